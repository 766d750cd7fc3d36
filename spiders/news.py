"""NewsSpider: the generic news spider every worker runs, for any site.

It decides where to go; extraction (crawler.extraction) decides what a page says. From a
site's entry points it reads feeds, sitemaps (indexes and Google News sitemaps) and
robots.txt Sitemap lines, follows in-domain links from home and section pages, and hands
each HTML page to ``analyse_page``: articles become ``Article`` items, everything else only
yields links. URLs are canonicalized before they reach the seen-filter, and a page whose
rel=canonical names another URL of the site (print and AMP variants) is not extracted: its
canonical URL is queued instead, so each article is stored once. Declared sites subclass
this spider with a ``site`` attribute (see spiders/demo.py); the worker finds their
declarations through the spider loader.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure
from w3lib.encoding import http_content_type_encoding

from crawler.coordination.scrapy_redis_adapter import FrontierSpiderMixin
from crawler.discovery import (
    looks_like_xml_feed_or_sitemap,
    parse_feed,
    parse_sitemap,
    robots_sitemaps,
)
from crawler.extraction import Hints, analyse_page, decode_html
from crawler.seeding import (
    PRIORITY_ANNOUNCED,
    PRIORITY_ARTICLE_LINK,
    PRIORITY_LISTING,
    PRIORITY_PAGE,
    news_meta,
    seed_requests,
)
from crawler.sites import Site, declared_sites, site_for
from crawler.urls import InvalidUrl, canonical_url, link_trap, url_shape

logger = logging.getLogger(__name__)

# Pages whose advertised feeds are followed: the entry points where sites list them.
_FEED_SOURCES = {"home", "section"}
# Entry-point kinds whose 404 is expected (probing the usual feed and sitemap locations).
_PROBES = {"feed", "sitemap"}
# A sitemap index can point at indexes; two levels cover every real site.
_MAX_SITEMAP_NESTING = 2
# The IgnoreRequest message of Scrapy's RobotsTxtMiddleware (and ours, which extends it).
_ROBOTS_FORBIDDEN = "Forbidden by robots.txt"


class NewsSpider(FrontierSpiderMixin, Spider):
    """Generic news spider over the shared frontier."""

    name = "news"
    # Declared-site subclasses set this; the generic spider serves every site.
    site: Site | None = None

    def __init__(self, *args: Any, url: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start_url = url
        # For feed-export file names: -s 'FEEDS={"articles-%(worker)s.jsonl": {...}}' gives
        # every worker a file of its own.
        self.worker = f"{socket.gethostname()}-{os.getpid()}"
        self.sites: dict[str, Site] = {}
        self._unknown_sites: set[str] = set()
        self._entry_urls: dict[str, frozenset[str]] = {}
        self.links = LinkExtractor(unique=True, canonicalize=False, tags=("a", "area"))

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.setup_frontier(crawler)
        spider.sites = declared_sites(crawler.settings)
        return spider

    async def start(self):  # noqa: ANN201 - async generator of seed requests
        """Seeds of this spider's own site (``scrapy crawl <site>`` or ``-a url=...``)."""
        own = self.site or (Site.adhoc(self.start_url) if self.start_url else None)
        if own is None:
            return  # a worker: everything comes from the frontier
        # `scrapy crawl <site>` is a one-shot crawl: it ends once the frontier is drained.
        self.exit_when_drained = True
        for request in seed_requests(own):
            yield request.replace(errback=self.on_error)

    # --- dispatch --------------------------------------------------------------------------
    def site_of(self, response: Response) -> Site:
        name = response.meta.get("news", {}).get("site")
        if not name:
            return Site.adhoc(response.url)
        if name in self.sites or ":" in name or "." in name:
            return site_for(name, self.sites)
        # A declared site this worker's spiders/ does not have (a machine not upgraded
        # yet): crawl its pages by the generic rules rather than drop them as off-site.
        if name not in self._unknown_sites:
            self._unknown_sites.add(name)
            logger.warning("Site %r is not declared on this worker; using generic rules", name)
        return replace(Site.adhoc(response.url), name=name)

    def parse(self, response: Response) -> Iterator[Any]:
        news = response.meta.get("news", {})
        kind = news.get("kind", "page")
        site = self.site_of(response)
        if kind == "robots":
            yield from self.parse_robots(response, site)
            return
        xml_kind = looks_like_xml_feed_or_sitemap(response.body)
        if xml_kind == "feed":
            yield from self.parse_feed(response, site)
        elif xml_kind == "sitemap":
            yield from self.parse_sitemap(response, site)
        elif isinstance(response, TextResponse) and _is_html(response):
            yield from self.parse_page(response, site, news)
        elif kind not in _PROBES:
            logger.debug("Skipping %s: neither HTML nor a feed or sitemap", response.url)

    # --- entry points ------------------------------------------------------------------------
    def parse_robots(self, response: Response, site: Site) -> Iterator[Request]:
        for url in robots_sitemaps(response.body, response.url):
            yield self._entry(url, site, "sitemap")

    def parse_feed(self, response: Response, site: Site) -> Iterator[Request]:
        for entry in parse_feed(response.body, response.url):
            yield from self._follow(
                entry.url,
                site,
                "article",
                PRIORITY_ANNOUNCED,
                hints={"published": entry.published, "title": entry.title},
            )

    def parse_sitemap(self, response: Response, site: Site) -> Iterator[Request]:
        content = parse_sitemap(response.body, response.url)
        nesting = response.meta.get("news", {}).get("nesting", 0)
        for entry in content.entries:
            if content.is_index:
                if nesting < _MAX_SITEMAP_NESTING and site.owns(entry.url):
                    yield self._entry(entry.url, site, "sitemap", nesting=nesting + 1)
            else:
                yield from self._follow(
                    entry.url,
                    site,
                    "article",
                    PRIORITY_ANNOUNCED,
                    hints={"published": entry.published, "title": entry.title},
                )

    def _entry(self, url: str, site: Site, kind: str, **extra: object) -> Request:
        # Not dont_filter: a feed advertised on every section page is fetched once; the
        # seen-filter remembers entry-point kinds only for NEWS_LISTING_REFRESH_MINUTES.
        return Request(
            url,
            priority=PRIORITY_ANNOUNCED,
            meta={"news": news_meta(site, kind, **extra)},
            errback=self.on_error,
        )

    # --- pages -------------------------------------------------------------------------------
    def parse_page(self, response: TextResponse, site: Site, news: dict[str, Any]) -> Iterator[Any]:
        if not site.owns(response.url):
            logger.info("Not following %s: redirected off %s", response.url, site.name)
            return
        hints = news.get("hints") or {}
        # In the reactor thread, not a worker thread: measured on six demo sites, a thread
        # per page cost a quarter of the throughput (187 against 136 pages/s), and the
        # engine is woken the moment a request is leased, so one page's extraction (10-50
        # ms) delays a leased request by no more than the pacing margin absorbs.
        analysis = analyse_page(
            # Not response.text: Scrapy believes the Content-Type charset even where the bytes
            # say otherwise (a windows-1252 page served as UTF-8 loses every accent);
            # decode_html weighs the header's charset, the page's own and the bytes.
            decode_html(response.body, http_content_type_encoding(_content_type(response))),
            response.url,
            overrides=site.overrides,
            hints=Hints(published=hints.get("published"), title=hints.get("title")),
        )
        yield from self._page_outputs(response, site, news, analysis)

    def _page_outputs(
        self, response: TextResponse, site: Site, news: dict[str, Any], analysis: Any
    ) -> Iterator[Any]:
        here = _canonical_or_none(response.url)
        declared = _canonical_or_none(analysis.canonical_url) if analysis.canonical_url else None
        if declared and declared != here and site.owns(declared):
            # A variant (print, AMP, tracking redirect) of another page: go to the original.
            self.crawler.stats.inc_value("newscrawl/variants_redirected")
            yield from self._follow(declared, site, "article", PRIORITY_ARTICLE_LINK)
            return
        url = declared or here or response.url
        verdict = site.allows_article_url(url)
        if analysis.is_article and verdict is not False:
            article = analysis.article
            article.url = url
            article.site = site.name
            article.fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
            yield article
        elif verdict is True and not analysis.is_article:
            logger.debug("%s matches the article patterns but is not an article: %s",
                         url, ", ".join(analysis.reasons))  # fmt: skip
        if news.get("kind") in _FEED_SOURCES:
            yield from self._advertised_feeds(response, site)
        yield from self._links(response, site)

    def _advertised_feeds(self, response: TextResponse, site: Site) -> Iterator[Request]:
        """Feeds a home or section page advertises with <link rel="alternate">."""
        for href in response.xpath(
            "//link[contains(concat(' ', normalize-space(@rel), ' '), ' alternate ')]"
            "[contains(@type, 'rss') or contains(@type, 'atom')]/@href"
        ).getall():
            url = response.urljoin(href)
            if site.owns(url):
                yield self._entry(url, site, "feed")

    def _links(self, response: TextResponse, site: Site) -> Iterator[Request]:
        for link in self.links.extract_links(response):
            if link.nofollow or not site.owns(link.url):
                continue
            score, _ = url_shape(link.url)
            allowed = site.allows_article_url(link.url)
            if _canonical_or_none(link.url) in self._entry_points_of(site):
                # the site's own home, sections and feeds: remembered like listings, as
                # when they were seeded, so a link to them is not a second fetch
                yield from self._follow(link.url, site, "listing", PRIORITY_LISTING)
            elif allowed is True or (allowed is None and score > 0):
                yield from self._follow(link.url, site, "article", PRIORITY_ARTICLE_LINK)
            elif score < 0:
                yield from self._follow(link.url, site, "listing", PRIORITY_LISTING)
            else:
                yield from self._follow(link.url, site, "page", PRIORITY_PAGE)

    def _entry_points_of(self, site: Site) -> frozenset[str]:
        if site.name not in self._entry_urls:
            self._entry_urls[site.name] = frozenset(p.url for p in site.entry_points())
        return self._entry_urls[site.name]

    def _follow(
        self, url: str, site: Site, kind: str, priority: int, **extra: object
    ) -> Iterator[Request]:
        try:
            canonical = canonical_url(url)
        except InvalidUrl:
            return
        if not site.owns(canonical):
            return
        trap = link_trap(canonical)
        if trap:
            self.crawler.stats.inc_value("newscrawl/trap_links")
            logger.debug("Not following %s: %s", canonical, trap)
            return
        if extra.get("hints"):
            extra["hints"] = {k: v for k, v in extra["hints"].items() if v}
        yield Request(
            canonical,
            priority=priority,
            meta={"news": news_meta(site, kind, **extra)},
            errback=self.on_error,
        )

    # --- failures ----------------------------------------------------------------------------
    def on_error(self, failure: Failure) -> None:
        """A request failed for good (after retries): log one line, keep it as a dead letter."""
        request = failure.request
        kind = request.meta.get("news", {}).get("kind")
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            # Refused on purpose (robots.txt, address policy, redirect or decompression
            # limits): a decision, not a failure. Each gets its line, except robots.txt
            # refusals, which are many, expected, and counted in robotstxt/forbidden.
            self.crawler.stats.inc_value("newscrawl/ignored")
            robots = str(failure.value) == _ROBOTS_FORBIDDEN
            logger.log(
                logging.DEBUG if robots else logging.INFO,
                "Not fetched %s: %s",
                request.url,
                failure.value,
            )
            return
        if failure.check(HttpError):
            status = failure.value.response.status
            if status in (404, 410) or kind in _PROBES:
                logger.info("Gone (%d): %s", status, request.url)
                self.crawler.stats.inc_value("newscrawl/gone")
                return
            reason = f"HTTP {status} after {request.meta.get('retry_times', 0)} retries"
        else:
            # Some exceptions have no message (a download cancelled at DOWNLOAD_MAXSIZE).
            message = str(failure.value).strip().splitlines()
            reason = failure.type.__name__ + (f": {message[0][:200]}" if message else "")
        logger.warning("Giving up on %s: %s", request.url, reason)
        scheduler = self.crawler.engine.scheduler
        if scheduler is not None and hasattr(scheduler, "dead_letter"):
            scheduler.dead_letter(request, reason)


def _content_type(response: Response) -> str:
    return (response.headers.get(b"Content-Type") or b"").decode("latin-1")


def _is_html(response: TextResponse) -> bool:
    content_type = _content_type(response).lower()
    if "html" in content_type:
        return True
    return not content_type and b"<html" in response.body[:4096].lower()


def _canonical_or_none(url: str | None) -> str | None:
    if not url:
        return None
    try:
        return canonical_url(url)
    except InvalidUrl:
        return None
