"""Feeds and sitemaps fetched conditionally, with validators shared by every worker.

Re-seeding fetches a site's feeds and sitemaps again on every tick, and most of the time
nothing changed. This downloader middleware sends the ETag and Last-Modified of the last
full response for that URL (If-None-Match, If-Modified-Since; RFC 9110 13.1) and asks Scrapy
to pass a 304 to the spider, which reads it as "nothing new" (no error, no dead letter). A
200 response's validators go on the request, and the leased queue keeps them with the
page's acknowledgement (crawler/coordination/revisits.py says why then). Scrapy's
``HttpCacheMiddleware`` is not used: it keeps whole responses per process, where the point
here is one small record per URL for all workers.
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.statscollectors import StatsCollector

from crawler.coordination.revisits import VALIDATORS_META, Validators, validators_of
from crawler.coordination.service import FrontierService

# The entry-point kinds fetched conditionally: the pages that list a site's articles in a
# machine-readable form, refetched whole on every seeding otherwise. HTML pages are not:
# their validators change with every teaser and timestamp on them.
CONDITIONAL_KINDS = frozenset({"feed", "sitemap"})
NOT_MODIFIED = 304


def _kind(request: Request) -> str | None:
    return (request.meta.get("news") or {}).get("kind")


class ConditionalRequestsMiddleware:
    """Downloader middleware: conditional fetches of feeds and sitemaps."""

    def __init__(self, validators: Validators, stats: StatsCollector) -> None:
        self.validators = validators
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ConditionalRequestsMiddleware:
        return cls(FrontierService.from_crawler(crawler).validators, crawler.stats)

    def process_request(self, request: Request) -> None:
        if _kind(request) not in CONDITIONAL_KINDS:
            return
        kept = self.validators.of(request.url)
        if not kept:
            return
        if "etag" in kept:
            request.headers.setdefault("If-None-Match", kept["etag"])
        if "last_modified" in kept:
            request.headers.setdefault("If-Modified-Since", kept["last_modified"])
        # a 304 reaches the spider instead of failing in HttpErrorMiddleware
        allowed = list(request.meta.get("handle_httpstatus_list") or [])
        if NOT_MODIFIED not in allowed:
            request.meta["handle_httpstatus_list"] = [*allowed, NOT_MODIFIED]
        self.stats.inc_value("newscrawl/conditional_requests")

    def process_response(self, request: Request, response: Response) -> Response:
        if _kind(request) not in CONDITIONAL_KINDS:
            return response
        if response.status == NOT_MODIFIED:
            self.stats.inc_value("newscrawl/not_modified")
        elif response.status == 200:
            kept = validators_of(
                {
                    "etag": _header(response, b"ETag"),
                    "last_modified": _header(response, b"Last-Modified"),
                }
            )
            if kept:
                request.meta[VALIDATORS_META] = kept
        return response


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None
