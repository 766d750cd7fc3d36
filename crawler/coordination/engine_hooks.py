"""The Scrapy 2.19 engine internals the leased frontier needs, kept in one place.

Scrapy has no signal for "this request is fully handled" (downloaded, parsed, its items
through the pipelines, its links scheduled), no public way to wake an idle engine before its
5-second heartbeat, and no signal that a graceful shutdown has begun. The engine tracks all
three privately: ``engine._slot.inprogress`` holds each request from download until its
output is fully processed, ``engine._slot.nextcall`` runs the scheduling loop, and
``engine._slot.closing`` is set when the spider starts closing. The downloader's free room
(``total_concurrency`` less its ``active`` set) is undocumented. And the downloader applies
``DOWNLOAD_DELAY`` and the per-domain concurrency again inside each process, which the
frontier already enforces for all workers together; ``pace_by_frontier`` turns that local
copy off. Reading and setting them here, and only here, means a Scrapy upgrade that renames
them breaks one module, which its tests pin down (tests/coordination/test_engine_hooks.py).
No other module reads a private or undocumented attribute of Scrapy's engine; the one other
adaptation of internals, Scrapy's HTTP/1.1 client, lives in crawler/handlers/http11.py.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.http import Request


def _slot(crawler: Crawler) -> object | None:
    try:
        engine = crawler.engine
    except (AttributeError, RuntimeError):  # Scrapy 2.19 raises RuntimeError before the crawl
        return None
    return getattr(engine, "_slot", None) if engine is not None else None


def requests_in_progress(crawler: Crawler) -> set[Request] | None:
    """Requests the engine is still downloading or processing; None before the engine runs."""
    slot = _slot(crawler)
    return None if slot is None else slot.inprogress


def wake_engine(crawler: Crawler) -> None:
    """Ask the engine to run its scheduling loop (pull from the scheduler) right away.

    Never with a delay: while a delayed run is pending, Scrapy ignores every request for
    an earlier one.
    """
    slot = _slot(crawler)
    if slot is not None:
        slot.nextcall.schedule()


def engine_is_closing(crawler: Crawler) -> bool:
    """Whether the spider is closing (graceful shutdown): take no new work."""
    slot = _slot(crawler)
    return slot is None or slot.closing is not None


def free_download_slots(crawler: Crawler) -> int:
    """How many more requests this worker's downloader would take right now."""
    downloader = crawler.engine.downloader
    return downloader.total_concurrency - len(downloader.active)


def pace_by_frontier(crawler: Crawler) -> None:
    """Leave per-host delay and concurrency to the frontier: no second, local copy.

    Without this a worker would wait DOWNLOAD_DELAY between its own requests to a host on
    top of the frontier's shared delay, and cap itself at CONCURRENT_REQUESTS_PER_DOMAIN
    even when the frontier allows a site more (a site declaration's ``concurrency``).
    """
    downloader = crawler.engine.downloader
    downloader._delay = 0.0
    downloader.domain_concurrency = downloader.total_concurrency
    for slot in downloader.slots.values():
        slot.delay = 0.0
        slot.concurrency = downloader.total_concurrency
