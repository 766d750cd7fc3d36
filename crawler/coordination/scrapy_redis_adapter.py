"""Every adaptation of scrapy-redis 0.9.1 to Scrapy 2.19 and to a shared crawl, in one module.

The workers use scrapy-redis's ``Scheduler`` as it is designed to be used: its
``enqueue_request``, ``next_request`` and ``has_pending_requests`` run unchanged, with our
leased queue as ``SCHEDULER_QUEUE_CLASS``, our JSON codec as ``SCHEDULER_SERIALIZER``, our
local filter as ``DUPEFILTER_CLASS`` and ``SCHEDULER_PERSIST`` on (crawler/settings.py).
What remains to adapt, measured on Scrapy 2.19, is listed here; each item has a test in
tests/coordination/test_scrapy_redis_adapter.py, and docs/architecture.md says which parts
of scrapy-redis are used and why the others are not.

1. *Its Redis client comes from REDIS_* settings* (and it pings at construction):
   ``FrontierScheduler.from_crawler`` hands the scheduler the worker's client instead, made
   by the project's one client factory (timeouts, retries, text replies).
2. *Seeds read only at the first idle tick.* Scrapy >= 2.16 never calls
   ``start_requests``, so ``RedisMixin`` only reads its ``redis_key`` start-URL list when
   the engine first goes idle (5 s later), and pops it destructively (a worker killed after
   the pop loses the seeds). Seeds are pushed into the frontier by ``newscrawl seed`` and
   ``crawl`` instead and leased as soon as the spider opens; ``FrontierSpiderMixin.start()``
   yields nothing.
3. *The first worker to close would delete the shared queue and filter*
   (``SCHEDULER_PERSIST`` defaults to False and ``close()`` flushes): the project sets it to
   True, and even with it off the leased queue's and the local filter's ``clear()`` never
   delete shared state.
4. *``DUPEFILTER_CLASS`` is Scrapy's per-process filter unless set*, and scrapy-redis's own
   filter costs a round trip per link and keeps every fingerprint for ever (80 bytes per
   URL): ``checked_dupefilter`` accepts only ``RecentLinksFilter`` (crawler/coordination/seen.py).
5. *The scheduler emits a deprecation warning per request* (it passes ``spider=`` to the
   stats collector): ``StatsWithoutSpider`` takes the argument and drops it.
6. *Pickle is the default serializer*: requests travel as JSON (crawler/coordination/codec.py).
7. *The idle-close timer of ``RedisMixin`` counts from import time* (a class attribute set
   at import): ``FrontierSpiderMixin`` starts its drain timer when the spider first goes
   idle.
8. *Its stats collector raises on close* (and costs up to three round trips per counter
   increment): not used. Workers keep Scrapy's in-memory stats and publish totals with
   their heartbeat (crawler/coordination/sync_loop.py).
"""

from __future__ import annotations

import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.statscollectors import StatsCollector
from scrapy.utils.misc import load_object

from crawler.coordination.seen import RecentLinksFilter


def checked_dupefilter(path: str) -> str:
    """``DUPEFILTER_CLASS`` as given, if it is the workers' local filter (replaces 4)."""
    try:
        dupefilter_cls = load_object(path)
    except (ImportError, NameError, ValueError) as exc:
        raise NotConfigured(f"DUPEFILTER_CLASS {path!r} cannot be loaded: {exc}") from None
    if not (isinstance(dupefilter_cls, type) and issubclass(dupefilter_cls, RecentLinksFilter)):
        raise NotConfigured(
            f"DUPEFILTER_CLASS {path!r} is not crawler.coordination.seen.RecentLinksFilter: "
            "workers share one seen-filter, checked inside the frontier's sync script"
        )
    return path


class StatsWithoutSpider:
    """The crawler's stats, taking scrapy-redis's ``spider=`` argument and dropping it
    (replaces 5: Scrapy 2.19 warns about it on every call)."""

    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    def inc_value(self, key: str, count: int = 1, start: int = 0, spider: Any = None) -> None:
        self.stats.inc_value(key, count, start)


class FrontierSpiderMixin:
    """Spider mixin for the shared frontier (replaces scrapy-redis's ``RedisMixin``).

    Seeds are pushed into the frontier by ``newscrawl seed``/``crawl`` and leased by the
    scheduler right away, so ``start()`` yields nothing (replaces 2). While idle the spider
    stays open (a worker waits for work), unless ``NEWS_EXIT_WHEN_DRAINED`` is set: then it
    closes once the whole frontier has been drained, with nothing leased by any worker, for
    ``NEWS_DRAIN_GRACE_SECONDS`` counted from when it first saw it so (replaces 7).
    ``drained`` is the worker's ``FrontierService.drained``.
    """

    crawler: Crawler

    async def start(self):  # noqa: ANN201 - an async generator of nothing
        """Scrapy >= 2.16 entry point: seeds come from the frontier, not from here."""
        return
        yield  # pragma: no cover - makes this an async generator

    def setup_frontier(self, crawler: Crawler, drained: Any) -> None:
        settings = crawler.settings
        self.exit_when_drained = settings.getbool("NEWS_EXIT_WHEN_DRAINED")
        self.drain_grace = settings.getfloat("NEWS_DRAIN_GRACE_SECONDS")
        self._frontier_drained = drained
        self._drained_since: float | None = None
        crawler.signals.connect(self._on_idle, signal=signals.spider_idle)

    def _on_idle(self) -> None:
        if not self.exit_when_drained:
            raise DontCloseSpider
        if not self._frontier_drained():
            self._drained_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self._drained_since is None:
            self._drained_since = now
        if now - self._drained_since < self.drain_grace:
            raise DontCloseSpider
