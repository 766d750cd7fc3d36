"""Stop downloads of non-HTML bodies (PDF, images, video) as soon as their headers arrive.

News crawls meet links to PDFs, galleries and video files; downloading them only to throw
them away costs bandwidth and time. On ``headers_received`` this extension looks at the
Content-Type and stops the download unless it is HTML, XML (feeds, sitemaps) or plain
text (robots.txt): the body is never read. A missing Content-Type is let through, since
extraction sniffs the body.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import StopDownload
from scrapy.http import Headers, Request
from scrapy.spiders import Spider

logger = logging.getLogger(__name__)

# Media types worth reading: pages, feeds, sitemaps, robots.txt.
_READABLE = ("text/html", "application/xhtml", "xml", "text/plain", "application/rss",
             "application/atom", "application/x-gzip", "application/gzip")  # fmt: skip


def is_readable(content_type: str) -> bool:
    """Whether a Content-Type names something newscrawl parses."""
    media = content_type.split(";", 1)[0].strip().lower()
    return not media or any(token in media for token in _READABLE)


class NonHtmlFilter:
    """Abort downloads whose Content-Type is not something newscrawl reads."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NonHtmlFilter:
        extension = cls(crawler)
        crawler.signals.connect(extension.headers_received, signal=signals.headers_received)
        return extension

    def headers_received(
        self, headers: Headers, body_length: int, request: Request, spider: Spider
    ) -> None:
        content_type = (headers.get(b"Content-Type") or b"").decode("latin-1")
        if not is_readable(content_type):
            self.crawler.stats.inc_value("newscrawl/non_html_skipped")
            logger.info("Skipping %s: %s is not a page", request.url, content_type)
            raise StopDownload(fail=False)
