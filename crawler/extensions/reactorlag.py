"""How long the reactor was held: the lateness of a timer that should fire every 0.1 s.

A worker does all its network and coordination work on one thread, the Twisted reactor; a
callback that computes for a second delays every download, lease extension and heartbeat by
that second. This extension schedules a probe every ``PROBE_SECONDS`` and records how late
each one runs. The worst lateness is the stat ``newscrawl/reactor_lag_max`` (seconds) and a
line when the worker closes ("Reactor lag: at most 0.12 s ..."); a lateness over
``WARN_SECONDS`` is a warning line when it happens, so that a page that holds the reactor
shows in the log of any crawl, not only in a benchmark (benchmarks/hostile_limits.py reads
the closing line).
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.statscollectors import StatsCollector
from twisted.internet.interfaces import IDelayedCall, IReactorTime

logger = logging.getLogger(__name__)

# Ten probes a second: lateness is measured to a tenth of a second at the cost of ten
# timer calls a second, nothing next to a crawl's own.
PROBE_SECONDS = 0.1
# Reading a page on the reactor takes at most 0.41-0.65 s on real pages (benchmarks/
# page_read_cost.py; larger bodies are read in a thread): a hold of a second is worth a line.
WARN_SECONDS = 1.0


class ReactorLagMonitor:
    """Measure and report the reactor's lag while the spider runs."""

    def __init__(self, stats: StatsCollector, clock: IReactorTime) -> None:
        self.stats = stats
        self.clock = clock
        self.max_lag = 0.0
        self.probes = 0
        self._due = 0.0
        self._call: IDelayedCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ReactorLagMonitor:
        from twisted.internet import reactor  # the installed one, known once the crawl runs

        monitor = cls(crawler.stats, reactor)
        crawler.signals.connect(monitor.start, signal=signals.spider_opened)
        crawler.signals.connect(monitor.stop, signal=signals.spider_closed)
        return monitor

    def start(self) -> None:
        self.stats.set_value("newscrawl/reactor_lag_max", 0.0)
        self._schedule(self.clock.seconds())

    def _schedule(self, now: float) -> None:
        self._due = now + PROBE_SECONDS
        self._call = self.clock.callLater(PROBE_SECONDS, self._probe)

    def _probe(self) -> None:
        now = self.clock.seconds()
        lag = round(max(0.0, now - self._due), 3)  # to the millisecond, past float noise
        self.probes += 1
        if lag > self.max_lag:
            self.max_lag = lag
            self.stats.set_value("newscrawl/reactor_lag_max", lag)
        if lag > WARN_SECONDS:
            logger.warning("The reactor was held for %.2f s", lag)
        self._schedule(now)

    def stop(self) -> None:
        if self._call is not None and self._call.active():
            self._call.cancel()
        self._call = None
        logger.info(
            "Reactor lag: at most %.3f s over %d probes every %.1f s",
            self.max_lag,
            self.probes,
            PROBE_SECONDS,
        )
