"""The reactor lag monitor, on Twisted's deterministic clock."""

from __future__ import annotations

import logging

from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler
from twisted.internet.task import Clock

from crawler.extensions.reactorlag import PROBE_SECONDS, WARN_SECONDS, ReactorLagMonitor


def _monitor() -> tuple[ReactorLagMonitor, Clock, MemoryStatsCollector]:
    stats = MemoryStatsCollector(get_crawler())
    clock = Clock()
    monitor = ReactorLagMonitor(stats, clock)
    monitor.start()
    return monitor, clock, stats


def test_a_free_reactor_shows_no_lag():
    monitor, clock, stats = _monitor()
    clock.pump([PROBE_SECONDS] * 50)
    assert monitor.probes == 50 and monitor.max_lag == 0.0
    assert stats.get_value("newscrawl/reactor_lag_max") == 0.0


def test_a_held_reactor_shows_how_long(caplog):
    monitor, clock, stats = _monitor()
    clock.advance(PROBE_SECONDS)
    with caplog.at_level(logging.WARNING):
        clock.advance(PROBE_SECONDS + 0.4)  # held 0.4 s: measured, not worth a line
        clock.advance(PROBE_SECONDS + WARN_SECONDS + 0.5)
    assert abs(stats.get_value("newscrawl/reactor_lag_max") - (WARN_SECONDS + 0.5)) < 1e-6
    assert [r.getMessage() for r in caplog.records] == [
        f"The reactor was held for {WARN_SECONDS + 0.5:.2f} s"
    ]
    clock.pump([PROBE_SECONDS] * 5)
    assert abs(monitor.max_lag - (WARN_SECONDS + 0.5)) < 1e-6  # the worst one is kept


def test_stop_cancels_the_probe_and_says_the_worst(caplog):
    monitor, clock, _ = _monitor()
    clock.advance(PROBE_SECONDS + 0.25)
    with caplog.at_level(logging.INFO):
        monitor.stop()
    assert clock.getDelayedCalls() == []
    assert "Reactor lag: at most 0.250 s over 1 probes every 0.1 s" in caplog.text
