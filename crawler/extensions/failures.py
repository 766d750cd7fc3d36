"""Pages whose processing failed become dead letters, never silent acknowledgements.

A page is acknowledged once the engine is done with it, whatever happened. When the spider
callback raised (a bug, a page extraction did not expect) or an item pipeline failed with
something other than a deliberate drop (the spool's disk full), the page would be
acknowledged with nothing stored and only a counter to show for it. This extension turns
each such failure into a dead letter with its reason, which ``newscrawl dead list`` shows
and ``dead requeue`` retries once the cause is fixed.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.spiders import Spider
from twisted.python.failure import Failure

from crawler.coordination.service import FrontierService

logger = logging.getLogger(__name__)


def _reason(where: str, failure: Failure) -> str:
    message = str(failure.value).splitlines()[0][:200] if str(failure.value) else ""
    return f"{where}: {failure.type.__name__}: {message}".rstrip(": ")


class FailureDeadLetters:
    """Dead-letter the request of a page whose callback or pipelines raised."""

    def __init__(self, service: FrontierService) -> None:
        self.service = service

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FailureDeadLetters:
        extension = cls(FrontierService.from_crawler(crawler))
        crawler.signals.connect(extension.spider_error, signal=signals.spider_error)
        crawler.signals.connect(extension.item_error, signal=signals.item_error)
        return extension

    def spider_error(self, failure: Failure, response: Response | None, spider: Spider) -> None:
        if response is not None:
            self._dead_letter(response, _reason("processing the page failed", failure))

    def item_error(
        self, item: Any, response: Response | None, spider: Spider, failure: Failure
    ) -> None:
        if response is not None:
            self._dead_letter(response, _reason("storing an article failed", failure))

    def _dead_letter(self, response: Response, reason: str) -> None:
        logger.error("Dead letter for %s: %s", response.url, reason)
        self.service.dead_letter(response.request, reason)
