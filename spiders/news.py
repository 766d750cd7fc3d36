"""NewsSpider: the generic news spider every worker runs, for any site.

It decides where to go; extraction (crawler.extraction) decides what a page says. From a
site's entry points it reads feeds, sitemaps (indexes and Google News sitemaps) and
robots.txt Sitemap lines, follows in-domain links from home and section pages, and hands
each HTML page to ``read_site_page`` (crawler/pages.py): articles become ``Article``
items, everything else only yields links. URLs are canonicalized before they reach the
seen-filter, and a page whose rel=canonical names another URL of the site (print and AMP
variants) is not extracted: its canonical URL is queued instead, so each article is stored
once. Declared sites subclass this spider with a ``site`` attribute (see tests/declared/demo.py);
every worker finds all declarations through the spider loader and reads each page by the
rules and hooks of the site the URL belongs to (``SiteRegistry.for_url``), whichever
command seeded it. The worker's frontier (dead letters, drain) is its ``FrontierService``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.settings import BaseSettings
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import DeferredSemaphore
from twisted.internet.threads import deferToThread
from twisted.python.failure import Failure
from w3lib.encoding import http_content_type_encoding

from crawler.coordination.scrapy_redis_adapter import FrontierSpiderMixin
from crawler.coordination.service import FrontierService
from crawler.discovery import (
    Announcement,
    Announcements,
    NotRead,
    announced_time,
    read_announcements,
    robots_sitemaps,
    unpacked,
)
from crawler.extraction import Hints, decode_html
from crawler.identity import worker_id
from crawler.items import Article
from crawler.middlewares.conditional import NOT_MODIFIED
from crawler.middlewares.robots import FORBIDDEN as ROBOTS_FORBIDDEN
from crawler.pagelinks import PageLinks, page_links
from crawler.pages import SiteReading, read_site_page
from crawler.pagetext import text_bytes
from crawler.seeding import (
    PRIORITY_ANNOUNCED,
    PRIORITY_ARTICLE_LINK,
    PRIORITY_LISTING,
    PRIORITY_PAGE,
    news_meta,
    seed_requests,
)
from crawler.sites import Site, SiteRegistry
from crawler.urls import InvalidUrl, canonical_or_none, canonical_url, link_trap, url_shape

logger = logging.getLogger(__name__)

# Pages whose advertised feeds are followed: the entry points where sites list them.
_FEED_SOURCES = {"home", "section"}
# Entry-point kinds whose 404 is expected (probing the usual feed and sitemap locations).
_PROBES = {"feed", "sitemap"}
# The entry points a site must answer on for a crawl of it to count as reached.
_ENTRY_PAGES = {"home", "section"}
# A sitemap index can point at indexes; two levels cover every real site.
_MAX_SITEMAP_NESTING = 2
# Parts of one split article followed at most: news sites split long reads into a handful
# of pages; a chain of "next" links beyond this is a loop, not an article.
MAX_ARTICLE_PARTS = 20


@dataclass(frozen=True)
class ReadingLimits:
    """The bounds on the work one response may cost (crawler/settings.py, "Bounded work per
    fetch"); 0 turns one off."""

    # Feeds and sitemaps, decompressed, and the setting that sets it (the smaller cap).
    xml_bytes: int
    xml_bytes_setting: str
    xml_entries: int
    links: int
    text_bytes: int
    # Pages at least this large are read in a thread.
    thread_bytes: int

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> ReadingLimits:
        caps = [
            (settings.getint(name), name)
            for name in ("NEWS_SITEMAP_MAXSIZE", "DOWNLOAD_MAXSIZE")
            if settings.getint(name) > 0
        ]
        xml_bytes, xml_setting = min(caps) if caps else (0, "")
        return cls(
            xml_bytes=xml_bytes,
            xml_bytes_setting=xml_setting,
            xml_entries=max(settings.getint("NEWS_SITEMAP_MAX_ENTRIES"), 0),
            links=max(settings.getint("NEWS_MAX_LINKS_PER_PAGE"), 0),
            text_bytes=max(settings.getint("NEWS_MAX_TEXT_BYTES"), 0),
            thread_bytes=max(settings.getint("NEWS_THREAD_READ_BYTES"), 0),
        )


@dataclass(frozen=True)
class PageRead:
    """Everything read from one HTML page: the work that may run off the reactor."""

    # The page's reading, or None when it is not read as an article (``skipped`` says why).
    reading: SiteReading | None
    links: PageLinks
    # Feeds the page advertises (home and section pages only).
    feeds: list[str]
    skipped: str = ""


@dataclass(frozen=True)
class ResponseRead:
    """What a response was read as: a feed or sitemap, an HTML page, or neither."""

    announced: Announcements | None = None
    page: PageRead | None = None
    # Why a feed or sitemap was not read (over the size cap, broken gzip), for the log.
    not_read: str = ""


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
        self.worker = worker_id()
        self.registry = SiteRegistry()
        self._entry_urls: dict[str, frozenset[str]] = {}
        self._warned_sites: set[str] = set()
        # Bodies read in a thread, one at a time (parse_in_thread).
        self._large_reads = DeferredSemaphore(1)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.limits = ReadingLimits.from_settings(crawler.settings)
        spider.service = FrontierService.from_crawler(crawler)
        spider.setup_frontier(crawler, spider.service.drained)
        spider.registry = SiteRegistry.load(crawler.settings)
        # Declared sites' own delay and concurrency, whichever command seeds them.
        spider.service.configure_hosts(
            (host, site.delay, site.concurrency)
            for site in spider.registry
            if site.delay is not None or site.concurrency is not None
            for host in site.hosts()
        )
        return spider

    async def start(self):  # noqa: ANN201 - async generator of seed requests
        """Seeds of this spider's own site (``scrapy crawl <site>`` or ``-a url=...``)."""
        own = self.site
        if own is None and self.start_url:
            own = self.registry.resolve([self.start_url])[0]
        if own is None:
            return  # a worker: everything comes from the frontier
        # `scrapy crawl <site>` is a one-shot crawl: it ends once the frontier is drained.
        self.exit_when_drained = True
        for request in seed_requests(own):
            yield request.replace(errback=self.on_error)

    # --- dispatch --------------------------------------------------------------------------
    def site_of(self, response: Response) -> Site:
        """The site a fetched page belongs to (by its URL, after any redirect)."""
        return self.registry.for_url(response.url)

    def _count_fetch(self, news: dict[str, Any], *, failed: bool) -> None:
        """The counts a crawl's outcome is judged by: the site's own pages it is entered by
        (home, sections; feeds and sitemaps are probed, not required) and article pages,
        fetched or failed for good (crawler/outcomes.py)."""
        if news.get("kind") in _ENTRY_PAGES:
            self.crawler.stats.inc_value(f"newscrawl/entry_{'failed' if failed else 'fetched'}")
        elif news.get("kind") == "article":
            self.crawler.stats.inc_value(
                "newscrawl/article_failed" if failed else "newscrawl/article_pages"
            )

    def _check_declared_here(self, seeded_as: str | None, site: Site) -> None:
        """Warn once when pages were seeded under another site than the one they belong to
        here (the seeding command and this worker declare sites differently, e.g. a machine
        not upgraded yet): they are read by the rules of the site they belong to here."""
        if seeded_as and seeded_as != site.name and seeded_as not in self._warned_sites:
            self._warned_sites.add(seeded_as)
            logger.warning(
                "Pages seeded as %r are read as %r on this worker (the seeding command and "
                "this worker declare sites differently)",
                seeded_as,
                site.name,
            )

    def parse(self, response: Response) -> Iterable[Any] | AsyncIterator[Any]:
        """Requests and items of a response. Each body is unpacked (a gzipped sitemap) and
        parsed once: on the reactor thread when it is small, as almost every page is (a
        thread per page cost a quarter of the throughput on six demo sites, 187 against 136
        pages/s), in a thread when it is NEWS_THREAD_READ_BYTES or more once unpacked, so
        that the reactor keeps serving downloads, leases and heartbeats meanwhile; what was
        found is then followed on the reactor."""
        news = response.meta.get("news", {})
        self._count_fetch(news, failed=False)
        if response.status == NOT_MODIFIED:
            # a feed or sitemap fetched conditionally: nothing new since it was last read
            logger.debug("Not modified since last read: %s", response.url)
            return []
        site = self.site_of(response)
        if news.get("kind") == "robots":
            return self.parse_robots(response, site)
        try:
            data = unpacked(response.body, self.limits.xml_bytes)
        except NotRead as refused:
            return self._outputs(response, site, news, self._not_read(refused))
        if self.limits.thread_bytes and len(data) >= self.limits.thread_bytes:
            return self.parse_in_thread(response, site, news, data)
        return self._outputs(response, site, news, self.read(response, site, news, data))

    async def parse_in_thread(
        self, response: Response, site: Site, news: dict[str, Any], data: bytes
    ) -> AsyncIterator[Any]:
        """``read`` in a thread of the reactor's pool (Twisted's ``deferToThread``), one
        large body at a time: reading is CPU work under the GIL, so two at once take as
        long as one after the other, and each holds several copies of its body (bytes,
        text, parse trees) while it lasts."""
        self.crawler.stats.inc_value("newscrawl/read_in_thread")
        read = await maybe_deferred_to_future(
            self._large_reads.run(deferToThread, self.read, response, site, news, data)
        )
        for output in self._outputs(response, site, news, read):
            yield output

    def read(
        self, response: Response, site: Site, news: dict[str, Any], data: bytes
    ) -> ResponseRead:
        """Read a response whose body is ``data`` once unpacked: touches no Scrapy state, so
        that it can run in a thread."""
        limits = self.limits
        try:
            announced = read_announcements(
                data, response.url, max_bytes=limits.xml_bytes, max_entries=limits.xml_entries
            )
        except NotRead as refused:
            return self._not_read(refused)
        if announced is not None:
            return ResponseRead(announced=announced)
        if isinstance(response, TextResponse) and _is_html(response):
            if self._arrived(response, site, news):
                return ResponseRead(page=self.read_page(response, site, news))
        elif news.get("kind", "page") not in _PROBES:
            logger.debug("Skipping %s: neither HTML nor a feed or sitemap", response.url)
        return ResponseRead()

    def _not_read(self, refused: NotRead) -> ResponseRead:
        cap = f" ({self.limits.xml_bytes_setting})" if refused.over_cap else ""
        return ResponseRead(not_read=f"{refused}{cap}")

    def _outputs(
        self, response: Response, site: Site, news: dict[str, Any], read: ResponseRead
    ) -> Iterator[Any]:
        if read.not_read:
            self.crawler.stats.inc_value("newscrawl/xml_not_read")
            logger.info("Not reading %s: %s", response.url, read.not_read)
        elif read.announced is not None:
            yield from self.parse_announcements(response, site, read.announced)
        elif read.page is not None:
            yield from self._page_outputs(response, site, news, read.page)

    # --- entry points ------------------------------------------------------------------------
    def parse_robots(self, response: Response, site: Site) -> Iterator[Request]:
        for url in robots_sitemaps(response.body, response.url):
            yield self._entry(url, site, "sitemap")

    def parse_announcements(
        self, response: Response, site: Site, announced: Announcements
    ) -> Iterator[Request]:
        """The articles a feed or sitemap announces, or the sitemaps an index lists."""
        if announced.capped:
            self.crawler.stats.inc_value("newscrawl/xml_entries_capped")
            logger.info(
                "Read the first %d entries of %s (NEWS_SITEMAP_MAX_ENTRIES)",
                len(announced.entries),
                response.url,
            )
        nesting = response.meta.get("news", {}).get("nesting", 0)
        for entry in announced.entries:
            if announced.is_index:
                if nesting < _MAX_SITEMAP_NESTING and self.registry.same_site(entry.url, site):
                    # a sitemap whose <lastmod> in the index moved is read again before
                    # NEWS_LISTING_REFRESH_MINUTES have passed
                    yield self._entry(
                        entry.url, site, "sitemap", nesting=nesting + 1, **_dates(entry)
                    )
            else:
                yield from self._announced(entry, site)

    def _announced(self, entry: Announcement, site: Site) -> Iterator[Request]:
        """An article a feed or sitemap announced, with what it said about it as hints."""
        hints = {"published": entry.published, "title": entry.title}
        yield from self._follow(
            entry.url, site, "article", PRIORITY_ANNOUNCED, hints=hints, **_dates(entry)
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
    def _arrived(self, response: TextResponse, site: Site, news: dict[str, Any]) -> bool:
        """Whether a page is read at all: not when a redirect took it off its site."""
        first_url = (response.meta.get("redirect_urls") or [response.url])[0]
        if not self.registry.same_site(first_url, site):
            logger.info("Not following %s: redirected off %s", response.url, first_url)
            return False
        self._check_declared_here(news.get("site"), site)
        return True

    def read_page(self, response: TextResponse, site: Site, news: dict[str, Any]) -> PageRead:
        """Parse, extract and take links: no Scrapy state is touched, so that this can run in
        a thread. Extraction's cost grows with a page's links and its text, so a page with
        more of either than any article has (NEWS_MAX_LINKS_PER_PAGE, NEWS_MAX_TEXT_BYTES)
        is not read as an article: only its links are taken."""
        limits = self.limits
        links = page_links(response, limits.links)
        feeds = []
        if news.get("kind") in _FEED_SOURCES:
            feeds = [url for url in links.feeds if self.registry.same_site(url, site)]
        if links.capped:
            skipped = (
                f"took the first {limits.links} of {links.total} links (NEWS_MAX_LINKS_PER_PAGE)"
            )
            return PageRead(reading=None, links=links, feeds=feeds, skipped=skipped)
        if limits.text_bytes and len(response.body) > limits.text_bytes:
            text = text_bytes(response.body)
            if text > limits.text_bytes:
                skipped = f"{text} bytes of text, over NEWS_MAX_TEXT_BYTES ({limits.text_bytes})"
                return PageRead(reading=None, links=links, feeds=feeds, skipped=skipped)
        hints = news.get("hints") or {}
        reading = read_site_page(
            site,
            # Not response.text: Scrapy believes the Content-Type charset even where the bytes
            # say otherwise (a windows-1252 page served as UTF-8 loses every accent);
            # decode_html weighs the header's charset, the page's own and the bytes.
            decode_html(response.body, http_content_type_encoding(_content_type(response))),
            response.url,
            registry=self.registry,
            hints=Hints(published=hints.get("published"), title=hints.get("title")),
        )
        return PageRead(reading=reading, links=links, feeds=feeds)

    def _page_outputs(
        self, response: TextResponse, site: Site, news: dict[str, Any], page: PageRead
    ) -> Iterator[Any]:
        reading = page.reading
        extra = [response.urljoin(url) for url in reading.extra_links] if reading else []
        links = page.links.urls + extra
        if reading is None:
            self.crawler.stats.inc_value("newscrawl/pages_not_read_as_articles")
            logger.info("Not read as an article: %s: %s", response.url, page.skipped)
            if news.get("parts"):
                # a part that is not read ends its article: the parts before it are stored
                yield self._joined_article(dict(news["parts"]["article"]))
                return
        elif news.get("parts"):
            # the next part of a split article: joined to the parts before, not stored alone
            yield from self._next_part(site, news["parts"], reading)
            return
        elif reading.first_part:
            # a later part reached on its own: the article is read from its first part
            yield from self._follow(reading.first_part, site, "article", PRIORITY_ARTICLE_LINK)
            yield from self._links(links, site)
            return
        elif reading.article is not None and reading.next_part:
            parts = {"article": reading.article.to_dict(), "count": 1}
            yield self._part_request(reading.next_part, site, parts)
            yield from self._links(links, site)
            return
        elif reading.variant_of:
            # A variant (print, AMP, tracking redirect) of another page: go to the original.
            self.crawler.stats.inc_value("newscrawl/variants_redirected")
            yield from self._follow(reading.variant_of, site, "article", PRIORITY_ARTICLE_LINK)
            return
        elif reading.article is not None:
            reading.article.fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
            yield reading.article
        else:
            logger.debug("Not an article: %s (%s)", response.url, ", ".join(reading.reasons))
            if reading.refused_by_site:
                self.crawler.stats.inc_value("newscrawl/refused_by_site")
        for url in page.feeds:
            yield self._entry(url, site, "feed")
        yield from self._links(links, site)

    # --- articles split over parts ------------------------------------------------------------
    def _part_request(self, url: str, site: Site, parts: dict[str, Any]) -> Request:
        # Not filtered: a part already seen (linked from a listing) must still be read for
        # the article it belongs to.
        return Request(
            url,
            priority=PRIORITY_ANNOUNCED,
            dont_filter=True,
            meta={"news": news_meta(site, "article", parts=parts)},
            errback=self.on_error,
        )

    def _next_part(self, site: Site, parts: dict[str, Any], reading: SiteReading) -> Iterator[Any]:
        article = dict(parts["article"])
        text = reading.analysis.article.text
        if text and text not in article["text"]:  # a part that repeats the last one ends it
            article["text"] = f"{article['text']}\n\n{text}" if article["text"] else text
            if reading.next_part and parts["count"] + 1 < MAX_ARTICLE_PARTS:
                joined = {"article": article, "count": parts["count"] + 1}
                yield self._part_request(reading.next_part, site, joined)
                return
        yield self._joined_article(article)

    def _joined_article(self, article: dict[str, Any]) -> Article:
        self.crawler.stats.inc_value("newscrawl/articles_joined_from_parts")
        joined = Article(**article)
        joined.fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        return joined

    def _links(self, found: Iterable[str], site: Site) -> Iterator[Request]:
        for url in found:
            if not self.registry.same_site(url, site):
                continue
            score, _ = url_shape(url)
            allowed = site.allows_article_url(url)
            if canonical_or_none(url) in self._entry_points_of(site):
                # the site's own home, sections and feeds: remembered like listings, as
                # when they were seeded, so a link to them is not a second fetch
                yield from self._follow(url, site, "listing", PRIORITY_LISTING)
            elif allowed is True or (allowed is None and score > 0):
                yield from self._follow(url, site, "article", PRIORITY_ARTICLE_LINK)
            elif score < 0:
                yield from self._follow(url, site, "listing", PRIORITY_LISTING)
            else:
                yield from self._follow(url, site, "page", PRIORITY_PAGE)

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
        if not self.registry.same_site(canonical, site):
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
    def on_error(self, failure: Failure) -> list[Article] | None:
        """A request failed for good (after retries): log one line, keep it as a dead letter.
        A later part of a split article that cannot be fetched ends the article there."""
        request = failure.request
        kind = request.meta.get("news", {}).get("kind")
        parts = request.meta.get("news", {}).get("parts")
        if parts:
            logger.warning("Part %s of an article could not be fetched (%s): storing the %d "
                           "before it", request.url, failure.value, parts["count"])  # fmt: skip
            return [self._joined_article(parts["article"])]
        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            # Refused on purpose (robots.txt, address policy, redirect or decompression
            # limits): a decision, not a failure. Each gets its line, except robots.txt
            # refusals, which are many, expected, and counted in robotstxt/forbidden.
            self.crawler.stats.inc_value("newscrawl/ignored")
            robots = str(failure.value) == ROBOTS_FORBIDDEN
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
                # a home or section page that is not there cannot enter the site; an
                # article that is gone was fetched
                self._count_fetch(request.meta.get("news", {}), failed=kind != "article")
                return
            reason = f"HTTP {status} after {request.meta.get('retry_times', 0)} retries"
        else:
            # Some exceptions have no message (a download cancelled at DOWNLOAD_MAXSIZE).
            message = str(failure.value).strip().splitlines()
            reason = failure.type.__name__ + (f": {message[0][:200]}" if message else "")
        logger.warning("Giving up on %s: %s", request.url, reason)
        self._count_fetch(request.meta.get("news", {}), failed=True)
        self.service.dead_letter(request, reason)


def _dates(entry: Announcement) -> dict[str, int | None]:
    """The date an announcement gives its URL, for the request's meta: when it last changed
    (``lastmod``) or, when it says no such thing, when it was published (``pubdate``). A URL
    seen already is queued again when a later announcement moves one of them forward
    (crawler/coordination/revisits.py); the two are never compared with each other, since a
    news sitemap's publication date and an article sitemap's lastmod of one page differ."""
    modified = announced_time(entry.modified)
    if modified is not None:
        return {"lastmod": modified}
    return {"pubdate": announced_time(entry.published)}


def _content_type(response: Response) -> str:
    return (response.headers.get(b"Content-Type") or b"").decode("latin-1")


def _is_html(response: TextResponse) -> bool:
    content_type = _content_type(response).lower()
    if "html" in content_type:
        return True
    return not content_type and b"<html" in response.body[:4096].lower()
