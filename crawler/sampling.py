"""A dry-run sample of one site: its entry points, a few listings and N articles, fetched
politely, with nothing written to the shared frontier or the database.

``sample_site`` is what ``newscrawl sites check``, ``sites add`` and ``sites snapshot``
fetch with. It runs ``python -m crawler.sampling`` as a child process (a Twisted reactor
runs once per process, and ``sites add`` samples twice), which runs one Scrapy crawler of
``SampleSpider`` with the project's download stack (address guard and guarded resolver,
the bounded HTTP handler, size, time and redirect limits, retries) and Scrapy's own
robots.txt middleware, but Scrapy's in-memory scheduler and none of the frontier's parts:
no Redis scheduler, queue, seen-filter, trap budget, dead letters or pipelines. Pages are
fetched one at a time, robots.txt first, at the site's delay (or ``DOWNLOAD_DELAY``), slower
when robots.txt asks for a Crawl-delay (up to ``NEWS_MAX_CRAWL_DELAY``). Which links are
followed, and whether a page is an article, is decided as a worker decides it: feeds and
sitemaps through ``crawler.discovery``, links through ``crawler.pagelinks`` and the site's
article patterns or the URL's shape, pages through ``crawler.pages.read_site_page``. The
child writes each body and what it was into a folder that the parent reads back.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
from collections import deque
from collections.abc import AsyncIterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from protego import Protego
from scrapy import Request, Spider
from scrapy.http import Response, TextResponse
from scrapy.settings import Settings
from twisted.python.failure import Failure

from crawler.discovery import NotRead, read_announcements, robots_sitemaps, robots_text, unpacked
from crawler.extraction import Hints, decode_html
from crawler.pagelinks import page_links
from crawler.pages import read_site_page
from crawler.sites import Site, SiteRegistry
from crawler.urls import InvalidUrl, canonical_url, link_trap, url_shape

# Listings fetched beyond the entry points (pagination, tag pages): enough to see whether
# the site's patterns hold past its home and sections, few enough to stay a sample.
DEFAULT_LISTINGS = 2
# Candidate article pages fetched per article asked for, at most: a site whose candidates
# are mostly not articles is a finding, not a reason to fetch its whole archive.
_TRIES_PER_ARTICLE = 3
# Sitemaps an index may add: a sample needs a few article URLs, not every month's sitemap.
_MAX_CHILD_SITEMAPS = 4
_MAX_SITEMAP_NESTING = 2
# What a page found by a link is taken for, as the worker's spider decides (spiders/news.py).
_ENTRY_KINDS = ("robots", "home", "section", "feed", "sitemap")


@dataclass
class SampledPage:
    """One fetch of the sample: what was asked for, and what came back."""

    url: str
    # robots, home, section, feed, sitemap (entry points), listing, or article (a candidate)
    kind: str
    status: int | None = None
    # Why nothing usable came back (a connection error, a refusal), or "".
    error: str = ""
    # The body's file in the sample's folder (HTML pages only), and its Content-Type.
    body_file: str = ""
    content_type: str = ""
    # The URL after redirects, when it differs.
    final_url: str = ""
    # Where the URL was found (a feed, a sitemap, a page), and what a feed or sitemap said.
    found_on: str = ""
    hints: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def html(self) -> str:
        return decode_html(self.body) if self.body else ""


@dataclass
class Sample:
    """What a sample of a site fetched and found."""

    site: str
    pages: list[SampledPage]
    # Every URL of the site that its feeds, sitemaps and pages offered, with its kind as a
    # worker would queue it (article, listing, page): what article patterns are checked on.
    discovered: dict[str, str]
    # Feeds and sitemaps that answered with entries.
    feeds: list[str]
    sitemaps: list[str]
    crawl_delay: float = 0.0
    log: str = ""


class SampleError(RuntimeError):
    """The sampling process could not run; the message is one line."""


def sample_site(
    target: str,
    *,
    limit: int,
    listings: int = DEFAULT_LISTINGS,
    overrides: Sequence[str] = (),
    allow_private: bool = False,
    python_path: Sequence[str] = (),
) -> Sample:
    """Fetch a sample of the site ``target`` names (a declared site's name or a URL, as
    ``crawl`` takes it) in a child process: its entry points, up to ``listings`` more
    listings and pages until ``limit`` of them are read as articles. ``overrides`` are
    ``-s NAME=VALUE`` settings; ``python_path`` folders are importable in the child (a
    declaration written outside the project)."""
    with tempfile.TemporaryDirectory(prefix="newscrawl-sample-") as folder:
        out = Path(folder)
        spec = {
            "target": target,
            "limit": limit,
            "listings": listings,
            "overrides": list(overrides),
            "allow_private": allow_private,
            "out": str(out),
        }
        (out / "spec.json").write_text(json.dumps(spec), "utf-8")
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([*python_path, os.getcwd(), env.get("PYTHONPATH", "")])
        result = subprocess.run(
            [sys.executable, "-m", "crawler.sampling", str(out / "spec.json")],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        log = (
            (out / "sample.log").read_text("utf-8", "replace")
            if (out / "sample.log").exists()
            else ""
        )
        if result.returncode != 0 or not (out / "sample.json").exists():
            lines = (result.stderr or log).strip().splitlines()
            raise SampleError(
                f"the sampling process failed: {lines[-1] if lines else result.returncode}"
            )
        return _read_sample(out, log)


def _read_sample(out: Path, log: str) -> Sample:
    data = json.loads((out / "sample.json").read_text("utf-8"))
    pages = []
    for record in data.pop("pages"):
        page = SampledPage(**record)
        if page.body_file:
            page.body = (out / page.body_file).read_bytes()
        pages.append(page)
    return Sample(pages=pages, log=log, **data)


# --- the child process ----------------------------------------------------------------------


def sample_settings(settings: Settings, site: Site, out: Path) -> Settings:
    """The project's settings with every part that writes anywhere left out: Scrapy's own
    scheduler and robots.txt middleware in place of the frontier's, no pipelines, no trap
    budget, no dead letters; one request at a time at the site's delay."""
    settings = settings.copy()
    settings.set("SCHEDULER", "scrapy.core.scheduler.Scheduler")
    settings.set("DUPEFILTER_CLASS", "scrapy.dupefilters.BaseDupeFilter")  # the spider plans
    settings.set("ITEM_PIPELINES", {})
    settings.set("SPIDER_MIDDLEWARES", {})
    settings.set("FEEDS", {})
    # Each request is yielded by the page before it, so depth counts fetches, not clicks:
    # the sample bounds itself (its limit and the tries per article).
    settings.set("DEPTH_LIMIT", 0)
    middlewares = dict(settings.getdict("DOWNLOADER_MIDDLEWARES"))
    middlewares["crawler.middlewares.robots.SharedRobotsTxtMiddleware"] = None
    middlewares["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] = 100
    settings.set("DOWNLOADER_MIDDLEWARES", middlewares)
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions["crawler.extensions.failures.FailureDeadLetters"] = None
    settings.set("EXTENSIONS", extensions)
    delay = site.delay if site.delay is not None else settings.getfloat("DOWNLOAD_DELAY")
    settings.set("DOWNLOAD_DELAY", delay)
    settings.set("CONCURRENT_REQUESTS", 1)
    settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 1)
    settings.set("LOG_FILE", str(out / "sample.log"))
    settings.set("LOG_FILE_APPEND", False)
    return settings


class SampleSpider(Spider):
    """Fetches a site's sample one page at a time: entry points, listings, then articles."""

    name = "newscrawl-sample"

    def __init__(
        self,
        site: Site,
        registry: SiteRegistry,
        limit: int,
        listings: int,
        out: Path,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.site = site
        self.registry = registry
        self.limit = limit
        self.listings_left = listings
        self.tries_left = limit * _TRIES_PER_ARTICLE
        self.out = out
        self.pages: list[SampledPage] = []
        self.discovered: dict[str, str] = {}
        self.feeds: list[str] = []
        self.sitemaps: list[str] = []
        self.articles = 0
        self.crawl_delay = 0.0
        self.child_sitemaps = 0
        self.planned: set[str] = set()
        self.entry: deque[SampledPage] = deque()
        self.listing: deque[SampledPage] = deque()
        self.candidates: deque[SampledPage] = deque()  # announced, then linked
        self.weak: deque[SampledPage] = deque()  # pages a worker would queue as "page"
        # robots.txt first: its Crawl-delay paces the rest, its Sitemap lines add sitemaps.
        points = sorted(site.entry_points(), key=lambda p: p.kind != "robots")
        for point in points:
            self._plan(self.entry, point.url, point.kind, found_on="declaration")

    # --- planning --------------------------------------------------------------------------
    def _plan(self, queue: deque[SampledPage], url: str, kind: str, **extra: Any) -> None:
        try:
            url = canonical_url(url)
        except InvalidUrl:
            return
        if url in self.planned or not self.registry.same_site(url, self.site) or link_trap(url):
            return
        self.planned.add(url)
        queue.append(SampledPage(url=url, kind=kind, **extra))

    def _next(self) -> SampledPage | None:
        if self.entry:
            return self.entry.popleft()
        if self.listing and self.listings_left > 0:
            self.listings_left -= 1
            return self.listing.popleft()
        if self.articles >= self.limit or self.tries_left <= 0:
            return None
        queue = self.candidates or self.weak
        if queue:
            self.tries_left -= 1
            return queue.popleft()
        return None

    async def _request(self) -> AsyncIterator[Request]:
        page = self._next()
        if page is None:
            return
        if self.crawl_delay > 0:
            await asyncio.sleep(self.crawl_delay)  # DOWNLOAD_DELAY already spaces requests
        yield Request(
            page.url,
            callback=self.parse,
            errback=self.on_error,
            dont_filter=True,
            cb_kwargs={"page": page},
            # Our own robots.txt fetch is the one entry point robots.txt does not govern.
            meta={"dont_obey_robotstxt": page.kind == "robots"},
        )

    async def start(self) -> AsyncIterator[Request]:
        async for request in self._request():
            yield request

    # --- reading ---------------------------------------------------------------------------
    async def parse(self, response: Response, page: SampledPage) -> AsyncIterator[Request]:
        page.status = response.status
        page.content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        if response.url != page.url:
            page.final_url = response.url
        self.pages.append(page)
        try:
            if page.kind == "robots":
                self._read_robots(response)
            else:
                self._read(response, page)
        except Exception as exc:  # a site hook that raised: this page only, the sample goes on
            page.error = f"not read: {type(exc).__name__}: {exc}"[:300]
            self.logger.exception("Reading %s failed", response.url)
        async for request in self._request():
            yield request

    async def on_error(self, failure: Failure) -> AsyncIterator[Request]:
        page: SampledPage = failure.request.cb_kwargs["page"]
        response = getattr(failure.value, "response", None)
        if response is not None:
            page.status = response.status
        message = str(failure.value).strip().splitlines()
        page.error = failure.type.__name__ + (f": {message[0][:200]}" if message else "")
        if response is not None:  # Scrapy's HttpError says no more than "non-200"
            page.error = f"HTTP {response.status}"
        self.pages.append(page)
        async for request in self._request():
            yield request

    def _read_robots(self, response: Response) -> None:
        if response.status != 200:
            return
        user_agent = self.settings.get("USER_AGENT")
        try:
            asked = float(Protego.parse(robots_text(response.body)).crawl_delay(user_agent) or 0)
        except (TypeError, ValueError, AttributeError):
            asked = 0.0
        delay = (
            self.site.delay
            if self.site.delay is not None
            else self.settings.getfloat("DOWNLOAD_DELAY")
        )
        most = self.settings.getfloat("NEWS_MAX_CRAWL_DELAY")
        self.crawl_delay = max(min(asked, most) - delay, 0.0)
        for url in robots_sitemaps(response.body, response.url):
            self._plan(self.entry, url, "sitemap", found_on=response.url)

    def _read(self, response: Response, page: SampledPage) -> None:
        try:
            data = unpacked(response.body, self.settings.getint("NEWS_SITEMAP_MAXSIZE"))
            announced = read_announcements(
                data,
                response.url,
                max_bytes=self.settings.getint("NEWS_SITEMAP_MAXSIZE"),
                max_entries=self.settings.getint("NEWS_SITEMAP_MAX_ENTRIES"),
            )
        except NotRead as refused:
            page.error = f"not read: {refused}"
            return
        if announced is not None:
            (self.feeds if announced.kind == "feed" else self.sitemaps).append(page.url)
            for entry in announced.entries:
                if announced.is_index:
                    if self.child_sitemaps < _MAX_CHILD_SITEMAPS:
                        self.child_sitemaps += 1
                        self._plan(self.entry, entry.url, "sitemap", found_on=page.url)
                    continue
                self._discover(entry.url, "article")
                hints = {
                    k: v for k, v in (("published", entry.published), ("title", entry.title)) if v
                }
                # What the site's patterns take first: a sample of what a crawl stores.
                refused = self.site.allows_article_url(entry.url) is False
                queue = self.weak if refused else self.candidates
                self._plan(queue, entry.url, "article", found_on=page.url, hints=hints)
            return
        if not isinstance(response, TextResponse) or b"<" not in data[:4096]:
            return
        page.body_file = f"{len(self.pages):04d}.html"
        (self.out / page.body_file).write_bytes(response.body)
        if page.kind == "article":
            reading = read_site_page(
                self.site,
                decode_html(response.body),
                response.url,
                registry=self.registry,
                hints=Hints(published=page.hints.get("published"), title=page.hints.get("title")),
            )
            if reading.article is not None:
                self.articles += 1
            elif reading.variant_of:
                self.candidates.appendleft(
                    SampledPage(url=reading.variant_of, kind="article", found_on=page.url)
                )
                self.planned.add(reading.variant_of)
        links = page_links(response, self.settings.getint("NEWS_MAX_LINKS_PER_PAGE"))
        if page.kind in ("home", "section"):
            for url in links.feeds:
                self._plan(self.entry, url, "feed", found_on=page.url)
        for url in links.urls:
            self._link(url, page.url)

    def _discover(self, url: str, kind: str) -> None:
        try:
            url = canonical_url(url)
        except InvalidUrl:
            return
        if self.registry.same_site(url, self.site):
            self.discovered.setdefault(url, kind)

    def _link(self, url: str, found_on: str) -> None:
        """A link queued as a worker would queue it (NewsSpider._links)."""
        score, _ = url_shape(url)
        allowed = self.site.allows_article_url(url)
        if allowed is True or (allowed is None and score > 0):
            self._discover(url, "article")
            self._plan(self.candidates, url, "article", found_on=found_on)
        elif score < 0:
            self._discover(url, "listing")
            self._plan(self.listing, url, "listing", found_on=found_on)
        else:
            self._discover(url, "page")
            self._plan(self.weak, url, "article", found_on=found_on)

    def closed(self, reason: str) -> None:
        record = {
            "site": self.site.name,
            "pages": [{k: v for k, v in asdict(p).items() if k != "body"} for p in self.pages],
            "discovered": self.discovered,
            "feeds": self.feeds,
            "sitemaps": self.sitemaps,
            "crawl_delay": self.crawl_delay,
        }
        (self.out / "sample.json").write_text(json.dumps(record), "utf-8")


def main(argv: Sequence[str]) -> int:
    """The child process: read the spec, sample the site, write what was found."""
    from scrapy.crawler import CrawlerProcess

    from crawler.config import build_settings

    spec = json.loads(Path(argv[0]).read_text("utf-8"))
    out = Path(spec["out"])
    settings = build_settings(spec["overrides"], allow_private=spec["allow_private"])
    registry = SiteRegistry.load(settings)
    site = registry.resolve([spec["target"]])[0]
    process = CrawlerProcess(sample_settings(settings, site, out))
    process.crawl(
        SampleSpider, site=site, registry=registry, limit=spec["limit"],
        listings=spec["listings"], out=out,
    )  # fmt: skip
    process.start()
    return 0 if (out / "sample.json").exists() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
