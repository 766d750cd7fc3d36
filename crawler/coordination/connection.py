"""The one Redis client factory, and the one place that turns a Redis failure into a message.

Every component gets its client from ``redis_client``: the same timeouts, the same retry
policy and ``decode_responses`` (values are JSON text) everywhere. ``RedisUnavailable``
carries a one-line message, the password masked (crawler/masking.py), that the CLI prints
as is.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

import redis
from redis.backoff import ExponentialWithJitterBackoff
from redis.retry import Retry

from crawler.masking import mask_url

logger = logging.getLogger(__name__)

# A restart of Redis takes a second or two; three quick retries inside one call ride it
# out without blocking a worker's reactor for long. Longer outages are handled by the
# callers, which keep their state and try again on their next tick (frontier sync).
_RETRIES = 3
_BACKOFF = ExponentialWithJitterBackoff(base=0.2, cap=2.0)
# Fail a command on a dead connection after 10 s instead of hanging a worker forever.
_SOCKET_TIMEOUT = 10.0
_CONNECT_TIMEOUT = 5.0


# What a Redis call may raise: the type code outside this package catches (Redis away, a
# timeout, data of the wrong type), so that no other package needs to import redis.
RedisError = redis.RedisError
# A command Redis refused: the frontier's data is not what newscrawl wrote.
CorruptData = redis.ResponseError


class RedisUnavailable(Exception):
    """Redis cannot be reached or refused us; the message is one line, password masked."""


def redis_url_of(settings: Any) -> str:
    """The Redis URL a worker component uses: NEWS_REDIS_URL, else the default address.

    ``newscrawl`` commands resolve the URL (embedded Redis included) before a worker
    starts and set NEWS_REDIS_URL; this fallback serves ``scrapy crawl`` run directly.
    """
    return settings.get("NEWS_REDIS_URL") or settings.get("NEWS_REDIS_DEFAULT_URL")


def redis_client(url: str) -> redis.Redis:
    """A client for ``url`` (redis://, rediss:// for TLS, unix://), not yet connected."""
    try:
        if urlsplit(url).port == 0:  # redis-py reads port 0 as "the default", 6379
            raise ValueError("port 0 is no port (redis-py would silently use 6379)")
        return redis.Redis.from_url(
            url,
            decode_responses=True,
            socket_timeout=_SOCKET_TIMEOUT,
            socket_connect_timeout=_CONNECT_TIMEOUT,
            health_check_interval=30,
            retry=Retry(_BACKOFF, _RETRIES),
            retry_on_error=[redis.ConnectionError, redis.TimeoutError],
        )
    except (ValueError, TypeError) as exc:  # scheme, port, or a query option it cannot read
        raise RedisUnavailable(f"invalid Redis URL {mask_url(url)}: {exc}") from None


def connect(url: str) -> redis.Redis:
    """A client for ``url`` that has answered PING; ``RedisUnavailable`` otherwise."""
    client = redis_client(url)
    try:
        client.ping()
    except redis.AuthenticationError:
        raise RedisUnavailable(f"Redis at {mask_url(url)} refused the credentials") from None
    except redis.ResponseError as exc:
        raise RedisUnavailable(f"Redis at {mask_url(url)} answered: {exc}") from None
    except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise RedisUnavailable(f"cannot reach Redis at {mask_url(url)} ({reason})") from None
    except (redis.RedisError, ValueError, TypeError) as exc:  # e.g. a TLS option it refuses
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise RedisUnavailable(f"cannot use Redis at {mask_url(url)} ({reason})") from None
    return client


def answers(url: str, timeout: float = 0.5) -> bool:
    """Whether a Redis at ``url`` answers PING within ``timeout`` seconds."""
    try:
        client = redis.Redis.from_url(
            url, socket_timeout=timeout, socket_connect_timeout=timeout, retry=None
        )
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError):
        return False
