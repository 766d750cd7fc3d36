"""The worker's scheduler: scrapy-redis's scheduler, plugged into the shared leased frontier.

``FrontierScheduler`` is scrapy-redis's ``Scheduler`` used through its plug points: its
queue is ``SCHEDULER_QUEUE_CLASS`` (the leased queue, crawler/coordination/queue.py), its
requests are encoded by ``SCHEDULER_SERIALIZER`` (JSON, crawler/coordination/codec.py), its
filter is ``DUPEFILTER_CLASS`` (this worker's memory of recent links; the shared seen-filter
runs atomically inside the frontier's sync script), and ``SCHEDULER_PERSIST`` keeps the
shared state when a worker closes. scrapy-redis's own ``enqueue_request``, ``next_request``
and ``has_pending_requests`` run unchanged. This class only wires it to the worker's
``FrontierService`` (the project's Redis client instead of one built from REDIS_* settings)
and starts and stops the sync loop with the scheduler; every other adaptation is listed in
crawler/coordination/scrapy_redis_adapter.py.
"""

from __future__ import annotations

import importlib
import logging

from scrapy.crawler import Crawler
from scrapy.spiders import Spider
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from crawler.coordination.scrapy_redis_adapter import StatsWithoutSpider, checked_dupefilter
from crawler.coordination.service import FrontierService

logger = logging.getLogger(__name__)


class FrontierScheduler(RedisScheduler):
    """scrapy-redis's scheduler over the leased, polite, shared frontier."""

    service: FrontierService

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FrontierScheduler:
        s = crawler.settings
        service = FrontierService.from_crawler(crawler)
        scheduler = cls(
            server=service.client,
            persist=s.getbool("SCHEDULER_PERSIST"),
            # scrapy-redis formats the key with %(spider)s: a literal % must be doubled
            queue_key=service.keys.prefix.replace("%", "%%"),
            queue_cls=s.get("SCHEDULER_QUEUE_CLASS"),
            dupefilter_cls=checked_dupefilter(s.get("DUPEFILTER_CLASS")),
            serializer=importlib.import_module(s.get("SCHEDULER_SERIALIZER")),
        )
        scheduler.stats = StatsWithoutSpider(crawler.stats)
        scheduler.service = service
        return scheduler

    def open(self, spider: Spider) -> None:
        super().open(spider)
        self.service.start(spider.crawler, self.queue)

    def close(self, reason: str) -> None:
        super().close(reason)
        self.service.stop()
        queue = self.queue
        logger.info(
            "Worker %s closed (%s): %d links queued, %d already seen (%d known locally), "
            "%d Redis round trips",
            self.service.worker_id,
            reason,
            queue.pushed,
            queue.filtered + self.df.skipped,
            self.df.skipped,
            queue.frontier.round_trips,
        )
