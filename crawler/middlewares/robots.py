"""robots.txt fetched once per host for all workers, its rules and Crawl-delay shared.

Scrapy's ``RobotsTxtMiddleware`` fetches robots.txt once per *process*, so N workers fetch
it N times and each honours Crawl-delay (if at all) on its own. This middleware takes its
place (it is not a subclass: it uses Scrapy's public pieces, the ``ROBOTSTXT_PARSER``
setting with the ``RobotParser`` interface, ``ROBOTSTXT_USER_AGENT``, the ``robots_parsed``
signal and ``engine.download_async``) and keeps the fetched body in the frontier's shared
cache (crawler/coordination/robots_cache.py): the first worker to need a host's robots.txt
takes a short lock and fetches it; requests that need it meanwhile, and the one that
triggered the fetch, go back to the frontier instead of waiting, so that none of them is
sent late, right after the robots.txt request, closer than the host's delay. Its
Crawl-delay goes into the frontier's per-host politeness, where it slows that host down for
every worker together.

A request sent back to wait holds its host for a moment, so that it is not leased again at
once and bounced in a busy loop while the fetch lasts. A robots.txt that cannot be fetched
(no such host, connection refused, timeouts) is logged in one line and, like Scrapy does
in one process, read as "no rules"; that outcome is shared for a while too, and the lock is
released, so that other workers neither wait for the lock to expire nor fetch it again.
"""

from __future__ import annotations

import logging

from protego import Protego
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response, TextResponse
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler, load_object
from twisted.internet.defer import Deferred

from crawler.coordination.connection import RedisError
from crawler.coordination.service import FrontierService
from crawler.discovery import robots_text
from crawler.urls import host_of

logger = logging.getLogger(__name__)

# How long a request waiting for a robots.txt fetch keeps its host out of the frontier's
# hands: a waiting request costs a Redis round trip each time it comes back (measured
# without a hold: ~5000 bounces in 8 s, one worker waiting for another's failed fetch),
# while most fetches take a few milliseconds. 1 s cost every host a second at the start
# of a crawl (six demo sites: 153 pages/s against 183 with 0.2 s); 0.2 s bounds the
# bouncing to five times a second.
PENDING_HOLD_SECONDS = 0.2
# The robots.txt request goes ahead of everything queued in this worker (Scrapy's value).
DOWNLOAD_PRIORITY = 1000
# The IgnoreRequest message for a refused URL (Scrapy's own, which the spider recognises).
FORBIDDEN = "Forbidden by robots.txt"


class _RobotsPending(Exception):
    """robots.txt of the host is being fetched: send the request later."""

    def __init__(self, hold: bool = True) -> None:
        super().__init__()
        # Keep the host out of the frontier's hands a moment (PENDING_HOLD_SECONDS); not
        # needed after this worker's own fetch, which holds the host for its delay.
        self.hold = hold


class SharedRobotsTxtMiddleware:
    """Obey robots.txt with one fetch per host for all workers (``ROBOTSTXT_OBEY``)."""

    def __init__(self, crawler: Crawler, service: FrontierService) -> None:
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler = crawler
        self.service = service
        self.parser_class: type[RobotParser] = load_object(settings.get("ROBOTSTXT_PARSER"))
        # Fails now, not on the first page, when the parser's dependencies are missing.
        build_from_crawler(self.parser_class, crawler, b"")
        self.user_agent: str = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.default_delay_ms = round(settings.getfloat("DOWNLOAD_DELAY") * 1000)
        self.max_crawl_delay = settings.getfloat("NEWS_MAX_CRAWL_DELAY")
        # Longer than one robots.txt download may take, every retry included, so that no
        # second worker starts the same fetch while the first is still waiting on it.
        self.lock_seconds = int(
            settings.getfloat("DOWNLOAD_TIMEOUT") * (settings.getint("RETRY_TIMES") + 1) + 10
        )
        # origin -> parser, None ("no rules"), or a Deferred while this worker fetches it
        self.parsers: dict[str, RobotParser | Deferred[None] | None] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedRobotsTxtMiddleware:
        return cls(crawler, FrontierService.from_crawler(crawler))

    async def process_request(self, request: Request) -> Request | None:
        """Refuse what robots.txt forbids; a request that must wait goes back to the frontier."""
        if request.meta.get("dont_obey_robotstxt") or not request.url.startswith("http"):
            return None
        try:
            parser = await self.parser_for(request)
        except _RobotsPending as pending:
            self.crawler.stats.inc_value("newscrawl/requeued_for_robots")
            if pending.hold:
                self._hold_host(request, PENDING_HOLD_SECONDS)
            news = {k: v for k, v in request.meta.get("news", {}).items() if k != "seed"}
            return request.replace(dont_filter=True, meta={**request.meta, "news": news})
        if parser is not None:
            agent = self.user_agent or request.headers.get(b"User-Agent", b"")
            if not parser.allowed(request.url, agent):
                logger.debug("Forbidden by robots.txt: %s", request)
                self.crawler.stats.inc_value("robotstxt/forbidden")
                raise IgnoreRequest(FORBIDDEN)
        return None

    async def parser_for(self, request: Request) -> RobotParser | None:
        """The rules of the request's origin (None: no rules); ``_RobotsPending`` if not yet."""
        origin = _origin(request)
        if origin in self.parsers:
            known = self.parsers[origin]
            if isinstance(known, Deferred):
                raise _RobotsPending  # this worker is fetching it right now
            return known
        cache = self.service.robots
        try:
            cached = cache.body(origin)
            if cached is None and not cache.try_lock(origin, self.lock_seconds):
                raise _RobotsPending  # another worker is fetching it right now
        except RedisError as exc:
            logger.warning("robots.txt cache unavailable (%s); fetching %s directly", exc, origin)
            await self._fetch(request, origin, share=False)
            return self.parsers[origin]  # type: ignore[return-value]
        if cached is not None:
            self.parsers[origin] = self._parser(cached.encode())
            self._apply_crawl_delay(request, cached)
            return self.parsers[origin]  # type: ignore[return-value]
        # This worker fetches it. robots.txt goes out outside the frontier, so it counts
        # against the host's delay like any other request: the frontier hands out nothing
        # for the host for one delay after it, and the request that needed it goes back to
        # the queue rather than following it at once.
        await self._fetch(request, origin, share=True)
        self._hold_host_after_robots(request)
        raise _RobotsPending(hold=False)

    async def _fetch(self, request: Request, origin: str, *, share: bool) -> None:
        """Fetch and parse robots.txt; a failure is one line and means "no rules"."""
        fetching: Deferred[None] = Deferred()
        self.parsers[origin] = fetching
        stats = self.crawler.stats
        robots_request = Request(
            f"{origin}/robots.txt",
            priority=DOWNLOAD_PRIORITY,
            meta={"dont_obey_robotstxt": True},
            callback=NO_CALLBACK,
        )
        parser: RobotParser | None = None
        try:
            response = await self.crawler.engine.download_async(robots_request)
        except Exception as exc:  # as Scrapy's: any failure means "no rules", never a crash
            if not isinstance(exc, IgnoreRequest):
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                logger.warning(
                    "robots.txt of %s could not be fetched (%s); crawling it without rules",
                    urlparse_cached(request).netloc,
                    reason,
                )
                stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
            if share:
                self._share(origin, status=0, body="", error=type(exc).__name__)
        else:
            stats.inc_value("robotstxt/response_count")
            stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            body = _rules_text(response)
            parser = self._parser(body.encode())
            await self.crawler.signals.send_catch_log_async(
                signal=signals.robots_parsed, robotparser=parser, request=request
            )
            if share:
                self._share(origin, status=response.status, body=body)
            self._apply_crawl_delay(request, body)
        stats.inc_value("robotstxt/request_count")
        self.parsers[origin] = parser
        fetching.callback(None)

    # --- helpers -----------------------------------------------------------------------------
    def _parser(self, body: bytes) -> RobotParser:
        return build_from_crawler(self.parser_class, self.crawler, body)

    def _share(self, origin: str, *, status: int, body: str, error: str | None = None) -> None:
        """Keep the outcome for every worker (a failure only for a while)."""
        try:
            if error is None:
                self.service.robots.store(origin, status, body)
            else:
                self.service.robots.store_failure(origin, error)
        except RedisError as exc:
            logger.warning("Could not share robots.txt of %s: %s", origin, exc)

    def _hold_host(self, request: Request, seconds: float) -> None:
        try:
            self.service.frontier.hold_host(host_of(request.url), seconds)
        except RedisError as exc:
            logger.warning("Could not hold %s for its robots.txt: %s", host_of(request.url), exc)

    def _hold_host_after_robots(self, request: Request) -> None:
        host = host_of(request.url)
        try:
            config = self.service.frontier.host_politeness(host)
            delay_ms = max(
                config.get("delay_ms", self.default_delay_ms), config.get("crawl_delay_ms", 0)
            )
            if delay_ms > 0:
                self.service.frontier.hold_host(host, delay_ms / 1000)
        except RedisError as exc:
            logger.warning("Could not pace %s after its robots.txt: %s", host, exc)

    def _apply_crawl_delay(self, request: Request, body: str) -> None:
        try:
            asked = float(Protego.parse(body).crawl_delay(self.user_agent) or 0)
        except Exception:
            return
        if not asked > 0:  # none, zero, negative or NaN
            return
        host = host_of(request.url)
        used = min(asked, self.max_crawl_delay)  # inf too
        try:
            self.service.frontier.set_crawl_delay(host, used, asked=asked if asked > used else None)
        except RedisError:
            logger.warning("Could not record Crawl-delay of %s", host)
            return
        if asked > used:
            logger.warning(
                "robots.txt of %s asks for Crawl-delay %g s; using NEWS_MAX_CRAWL_DELAY=%g s",
                host,
                asked,
                used,
            )
        else:
            logger.info("robots.txt of %s asks for Crawl-delay %g s", host, asked)


def _origin(request: Request) -> str:
    parts = urlparse_cached(request)
    return f"{parts.scheme}://{parts.netloc}"


def _rules_text(response: Response) -> str:
    """The rules a robots.txt response gives: its text when 2xx (its first 500 KiB, RFC 9309
    2.5: ``robots_text``), none for an error page (4xx means "no rules", RFC 9309 2.3.1.3;
    the body of an error page is not robots.txt)."""
    if 200 <= response.status < 300 and isinstance(response, TextResponse):
        return robots_text(response.body)
    return ""
