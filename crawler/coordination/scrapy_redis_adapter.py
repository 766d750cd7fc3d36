"""Every adaptation of scrapy-redis 0.9.1 to Scrapy 2.19 and to a shared crawl, in one module.

scrapy-redis provides the shape newscrawl plugs into Scrapy with (a scheduler with a queue
class and a dupefilter, and a spider mixin), but, measured on Scrapy 2.19, it breaks in
ways that lose or repeat work. Each replacement below names what it replaces; each has a
test in tests/coordination/test_scrapy_redis_adapter.py.

1. *Seeds read only at the first idle tick.* Scrapy >= 2.16 never calls
   ``start_requests``, so ``RedisMixin`` only reads its start-URL list when the engine
   first goes idle (5 s later). Replaced by ``FrontierSpiderMixin.start()``: seeds live in
   the frontier and are leased by the scheduler as soon as the spider opens.
2. *The first worker to close deletes the shared queue and filter* (``SCHEDULER_PERSIST``
   defaults to False and ``close()`` flushes). ``AdaptedScheduler.close`` never flushes
   shared state; it hands back what the worker still holds.
3. *``DUPEFILTER_CLASS`` must be set explicitly*: otherwise scrapy-redis's scheduler loads
   Scrapy's per-process in-memory filter. ``AdaptedScheduler.from_crawler`` refuses it.
4. *Seeds bypass the filter and get fetched twice*: a seed is pushed with its fingerprint,
   marked seen (so links to it are filtered) and queued at most once at a time.
5. *The idle-close timer counts from import time* (a class attribute set at import):
   ``FrontierSpiderMixin`` starts its drain timer when the spider first goes idle.
6. *Its stats collector raises on close* (and costs up to three round trips per counter
   increment): not used. Workers keep Scrapy's in-memory stats and publish totals with
   their heartbeat (crawler/coordination/scheduler.py).
7. *Pickle is the default serializer*: requests travel as JSON (crawler/coordination/codec.py).
8. *The scheduler emits deprecation warnings per request* (it passes ``spider=`` to the
   stats collector): ``AdaptedScheduler`` counts without it.
"""

from __future__ import annotations

import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.dupefilters import RFPDupeFilter as ScrapyMemoryDupeFilter
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.http import Request
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler as RedisScheduler

from crawler.coordination import codec


class AdaptedScheduler(RedisScheduler):
    """scrapy-redis's scheduler with the behaviours listed in this module replaced."""

    @staticmethod
    def check_dupefilter(crawler: Crawler) -> Any:
        """The configured dupefilter class, refusing Scrapy's per-process one (replaces 3)."""
        dupefilter_cls = load_object(crawler.settings["DUPEFILTER_CLASS"])
        if issubclass(dupefilter_cls, ScrapyMemoryDupeFilter):
            raise NotConfigured(
                "DUPEFILTER_CLASS is Scrapy's in-memory filter, which workers do not share; "
                "set it to crawler.coordination.seen.RedisSeenFilter"
            )
        return dupefilter_cls

    def close(self, reason: str) -> None:
        """Leave the shared queue and filter alone (replaces 2: flush on close)."""
        self.persist = True

    def flush(self) -> None:
        """Never delete shared state from a worker (replaces 2)."""

    def enqueue_request(self, request: Request) -> bool:
        """Queue a request; counted without the deprecated ``spider=`` (replaces 8)."""
        self.queue.push(request)
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        """The next request; counted without the deprecated ``spider=`` (replaces 8)."""
        request = self.queue.pop()
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


SERIALIZER = codec  # replaces 7: JSON, never pickle


class FrontierSpiderMixin:
    """Spider mixin for the shared frontier (replaces scrapy-redis's ``RedisMixin``).

    Seeds are pushed into the frontier by ``newscrawl seed``/``crawl`` and leased by the
    scheduler right away, so ``start()`` yields nothing (replaces 1). While idle the spider
    stays open (a worker waits for work), unless ``NEWS_EXIT_WHEN_DRAINED`` is set: then it
    closes once the whole frontier has been drained, with nothing leased by any worker, for
    ``NEWS_DRAIN_GRACE_SECONDS`` counted from when it first saw it so (replaces 5).
    """

    crawler: Crawler

    async def start(self):  # noqa: ANN201 - an async generator of nothing
        """Scrapy >= 2.16 entry point: seeds come from the frontier, not from here."""
        return
        yield  # pragma: no cover - makes this an async generator

    def setup_frontier(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.exit_when_drained = settings.getbool("NEWS_EXIT_WHEN_DRAINED")
        self.drain_grace = settings.getfloat("NEWS_DRAIN_GRACE_SECONDS")
        self._drained_since: float | None = None
        crawler.signals.connect(self._on_idle, signal=signals.spider_idle)

    def _on_idle(self) -> None:
        scheduler = self.crawler.engine.scheduler
        if not self.exit_when_drained or scheduler is None:
            raise DontCloseSpider
        if not scheduler.frontier_drained():
            self._drained_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self._drained_since is None:
            self._drained_since = now
        if now - self._drained_since < self.drain_grace:
            raise DontCloseSpider
