"""Running one worker process: a Scrapy crawler of NewsSpider on the shared frontier.

``run_worker`` is what ``newscrawl worker`` (and every worker that ``crawl`` starts) runs:
a CrawlerProcess with the project settings, Scrapy's own signal handling (the first
SIGTERM or SIGINT drains gracefully: no new leases, in-flight pages finished, the rest
handed back), and an exit code that says whether the worker ended cleanly.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.sanitize import PrintableLogRecord
from spiders.news import NewsSpider

logger = logging.getLogger(__name__)

# Close reasons of a clean end: drained (crawl mode) or asked to stop (SIGTERM, SIGINT).
CLEAN_REASONS = frozenset({"finished", "shutdown"})


def run_worker(settings: Settings) -> int:
    """Run one worker until it is drained or stopped; 0 on a clean end, 1 otherwise."""
    # Log lines quote what servers send (URLs, headers, reasons) and Redis holds: whichever
    # handler Scrapy installs, no escape code reaches the terminal or the log file.
    logging.setLogRecordFactory(PrintableLogRecord)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(NewsSpider)
    reasons: list[str] = []

    def closed(spider: object, reason: str) -> None:
        reasons.append(reason)

    from scrapy import signals

    crawler.signals.connect(closed, signal=signals.spider_closed)
    failures: list[str] = []

    def failed(failure: Any) -> Any:
        failures.append(f"{failure.type.__name__}: {failure.getErrorMessage()}")
        return failure  # Scrapy still logs the traceback

    process.crawl(crawler).addErrback(failed)
    process.start()
    # A crawl that failed to open (its scheduler, a pipeline or an extension raised) is
    # closed with "shutdown" like a drained one: that is no clean end.
    if failures or process.bootstrap_failed:
        why = failures[0].splitlines()[0] if failures else "the crawler did not start"
        logger.error("Worker failed to start: %s", why)
        return 1
    reason = reasons[-1] if reasons else "never opened"
    if reason not in CLEAN_REASONS:
        logger.error("Worker ended abnormally: %s", reason)
        return 1
    return 0
