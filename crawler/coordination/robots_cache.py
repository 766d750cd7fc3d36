"""robots.txt shared by all workers: one fetch per host, its body cached in Redis.

The first worker to need a host's robots.txt takes a short lock and fetches it; the body
(or the fact that it could not be fetched) is kept here for the others. The robots.txt
middleware (crawler/middlewares/robots.py) decides what to do with it; this module only
reads and writes the cache, under the key names of crawler/coordination/keys.py.
"""

from __future__ import annotations

import json
import logging

import redis

from crawler.coordination.keys import Keys

logger = logging.getLogger(__name__)

# A day, as Google caches robots.txt (developers.google.com/search/docs/crawling-indexing/robots/robots_txt).
ROBOTS_TTL_SECONDS = 86_400
# A robots.txt that could not be fetched is read as "no rules" for this long, then fetched
# again by whichever worker needs the host next: a host that was down briefly gets its
# rules back within minutes, one that stays down is not hammered for them.
FAILED_TTL_SECONDS = 600


class RobotsCache:
    """The shared robots.txt cache of one key prefix, keyed by scheme://host:port."""

    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.client = client
        self.keys = keys

    def body(self, origin: str) -> str | None:
        """The cached robots.txt of ``origin`` ("" for "no rules"), or None if not cached."""
        raw = self.client.get(self.keys.robots(origin))
        if raw is None:
            return None
        try:
            return str(json.loads(raw).get("body", ""))
        except (ValueError, AttributeError):
            logger.warning("Ignoring an unreadable cached robots.txt for %s", origin)
            return None

    def try_lock(self, origin: str, seconds: int) -> bool:
        """Take the right to fetch ``origin``'s robots.txt (False: another worker has it)."""
        return bool(self.client.set(self.keys.robots_lock(origin), "1", nx=True, ex=seconds))

    def store(self, origin: str, status: int, body: str) -> None:
        """Keep a fetched robots.txt for every worker, and release the fetch lock."""
        self._put(origin, {"status": status, "body": body}, ROBOTS_TTL_SECONDS)

    def store_failure(self, origin: str, error: str) -> None:
        """Remember that ``origin``'s robots.txt could not be fetched ("no rules" for now)."""
        self._put(origin, {"status": 0, "body": "", "error": error}, FAILED_TTL_SECONDS)

    def _put(self, origin: str, value: dict[str, object], ttl: int) -> None:
        pipe = self.client.pipeline(transaction=True)
        pipe.set(self.keys.robots(origin), json.dumps(value), ex=ttl)
        pipe.delete(self.keys.robots_lock(origin))
        pipe.execute()
