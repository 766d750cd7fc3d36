"""The worker's one owner of Redis: every Redis call a worker makes goes through it.

One ``FrontierService`` per crawler: ``from_crawler`` returns the same instance to every
component that needs the frontier (the scheduler and its queue, the spider, the robots.txt
middleware, the failures extension), the way Scrapy hands components their collaborators.
It holds the Redis client from the one client factory, the key names, the frontier (sync
script, politeness, dead letters), the shared robots.txt cache, the feeds' and sitemaps'
validators and, while the scheduler is open, the sync loop. Nothing outside crawler/coordination imports redis.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from weakref import WeakKeyDictionary

import redis
from scrapy.crawler import Crawler
from scrapy.http import Request

from crawler.coordination.connection import redis_client, redis_url_of
from crawler.coordination.frontier import Frontier
from crawler.coordination.keys import Keys
from crawler.coordination.queue import LeaseQueue, QueueOptions
from crawler.coordination.revisits import Validators
from crawler.coordination.robots_cache import RobotsCache
from crawler.coordination.seen import SeenFilter
from crawler.coordination.sync_loop import FrontierSync
from crawler.identity import worker_id
from crawler.masking import mask_url

logger = logging.getLogger(__name__)

_SERVICES: WeakKeyDictionary[Crawler, FrontierService] = WeakKeyDictionary()


class FrontierService:
    """Everything one worker does with Redis."""

    def __init__(
        self,
        client: redis.Redis,
        keys: Keys,
        *,
        seen: SeenFilter,
        options: QueueOptions,
        worker: str,
        where: str,
    ) -> None:
        self.client = client
        self.keys = keys
        self.seen = seen
        self.options = options
        self.worker_id = worker
        self.where = where
        self.frontier = Frontier(client, keys)
        self.robots = RobotsCache(client, keys)
        self.validators = Validators(client, keys)
        self.loop: FrontierSync | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierService:
        """The crawler's service, built on first use from its settings."""
        service = _SERVICES.get(crawler)
        if service is not None:
            return service
        s = crawler.settings
        url = redis_url_of(s)
        keys = Keys(s.get("NEWS_KEY_PREFIX"))
        service = cls(
            redis_client(url),
            keys,
            seen=SeenFilter.from_settings(keys, s),
            options=QueueOptions.from_settings(s),
            worker=worker_id(),
            where=mask_url(url),
        )
        _SERVICES[crawler] = service
        return service

    # --- the scheduler's lifecycle -------------------------------------------------------------
    def start(self, crawler: Crawler, queue: LeaseQueue) -> None:
        """Start syncing ``queue`` with the frontier (the scheduler has opened)."""
        logger.info(
            "Worker %s on frontier %s (prefix %r)", self.worker_id, self.where, self.keys.prefix
        )
        self.loop = FrontierSync(crawler, queue, where=self.where)
        self.loop.start()

    def stop(self) -> None:
        """Acknowledge what is done and hand back the rest (the scheduler is closing)."""
        if self.loop is not None:
            self.loop.close()

    # --- what the spider and extensions ask ----------------------------------------------------
    def drained(self) -> bool:
        """Nothing queued or leased anywhere, as of a recent sync (False before the start)."""
        return self.loop is not None and self.loop.drained()

    def dead_letter(self, request: Request, reason: str) -> None:
        """Keep a request that failed for good for the operator (``newscrawl dead list``)."""
        if self.loop is None:
            logger.error("Not recorded as a dead letter (no frontier yet): %s", request.url)
            return
        self.loop.dead_letter(request, reason)

    def configure_hosts(self, politeness: Iterable[tuple[str, float | None, int | None]]) -> None:
        """Per-host delay and concurrency of declared sites, so that every worker applies a
        site's own politeness whichever command seeded it. Logged, never fatal, when Redis is
        away (the sync loop retries the frontier itself)."""
        try:
            for host, delay, concurrency in politeness:
                self.frontier.set_host_politeness(host, delay_s=delay, concurrency=concurrency)
        except redis.RedisError as exc:
            logger.warning("Could not record the declared sites' politeness: %s", exc)
