"""robots.txt fetched once per host for all workers, its rules and Crawl-delay shared.

Scrapy's ``RobotsTxtMiddleware`` fetches robots.txt once per *process*, so N workers fetch
it N times and each honours Crawl-delay (if at all) on its own. This subclass keeps the
fetched body in Redis for a day: the first worker to need a host's robots.txt takes a short
lock and fetches it; requests that need it meanwhile, and the one that triggered the fetch,
go back to the frontier instead of waiting, so that none of them is sent late, right after
the robots.txt request, closer than the host's delay. Its Crawl-delay goes into the
frontier's per-host politeness, where it slows that host down for every worker together.

A request sent back to wait holds its host for a moment, so that it is not leased again at
once and bounced in a busy loop while the fetch lasts. A robots.txt that cannot be fetched
(no such host, connection refused, timeouts) is logged in one line and, like Scrapy does
in one process, read as "no rules"; that outcome is shared for a while too, and the lock is
released, so that other workers neither wait for the lock to expire nor fetch it again.
"""

from __future__ import annotations

import json
import logging

import redis
from protego import Protego
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

from crawler.coordination.connection import redis_client, redis_url_of
from crawler.coordination.frontier import Frontier
from crawler.coordination.keys import Keys
from crawler.urls import host_of

logger = logging.getLogger(__name__)

# A day, as Google caches robots.txt (developers.google.com/search/docs/crawling-indexing/robots/robots_txt).
ROBOTS_TTL_SECONDS = 86_400
# A robots.txt that could not be fetched is read as "no rules" for this long, then fetched
# again by whichever worker needs the host next: a host that was down briefly gets its
# rules back within minutes, one that stays down is not hammered for them.
FAILED_TTL_SECONDS = 600
# How long a request waiting for a robots.txt fetch keeps its host out of the frontier's
# hands: a waiting request costs a Redis round trip each time it comes back (measured
# without a hold: ~5000 bounces in 8 s, one worker waiting for another's failed fetch),
# while most fetches take a few milliseconds. 1 s cost every host a second at the start
# of a crawl (six demo sites: 153 pages/s against 183 with 0.2 s); 0.2 s bounds the
# bouncing to five times a second.
PENDING_HOLD_SECONDS = 0.2


class _RobotsPending(Exception):
    """robots.txt of the host is being fetched: send the request later."""

    def __init__(self, hold: bool = True) -> None:
        super().__init__()
        # Keep the host out of the frontier's hands a moment (PENDING_HOLD_SECONDS); not
        # needed after this worker's own fetch, which holds the host for its delay.
        self.hold = hold


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """``RobotsTxtMiddleware`` with a cross-worker cache of robots.txt in Redis."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        url = redis_url_of(settings)
        self.keys = Keys(settings.get("NEWS_KEY_PREFIX"))
        self.redis = redis_client(url)
        self.frontier = Frontier(self.redis, self.keys)
        self.default_delay_ms = round(settings.getfloat("DOWNLOAD_DELAY") * 1000)
        # Longer than one robots.txt download may take, every retry included, so that no
        # second worker starts the same fetch while the first is still waiting on it.
        self.lock_seconds = int(
            settings.getfloat("DOWNLOAD_TIMEOUT") * (settings.getint("RETRY_TIMES") + 1) + 10
        )

    async def process_request(self, request: Request) -> Request | None:
        """Check robots.txt; a request that had to wait for it goes back to the frontier."""
        try:
            await super().process_request(request)
        except _RobotsPending as pending:
            self.crawler.stats.inc_value("newscrawl/requeued_for_robots")
            if pending.hold:
                self._hold_host(request, PENDING_HOLD_SECONDS)
            news = {k: v for k, v in request.meta.get("news", {}).items() if k != "seed"}
            return request.replace(dont_filter=True, meta={**request.meta, "news": news})
        return None

    async def robot_parser(self, request: Request) -> RobotParser | None:
        netloc = urlparse_cached(request).netloc
        if netloc in self._parsers:
            if isinstance(self._parsers[netloc], Deferred):
                raise _RobotsPending  # this worker is fetching it right now
            return await super().robot_parser(request)
        try:
            cached = self._cached(request)
            if cached is None and not self._take_lock(request):
                # Another worker is fetching it right now.
                raise _RobotsPending
        except redis.RedisError as exc:
            logger.warning("robots.txt cache unavailable (%s); fetching %s directly", exc, netloc)
            return await super().robot_parser(request)
        if cached is not None:
            parser = build_from_crawler(self._parserimpl, self.crawler, cached.encode())
            self._parsers[netloc] = parser
            self._apply_crawl_delay(request, cached)
            return parser
        # This worker fetches it. robots.txt goes out outside the frontier, so it counts
        # against the host's delay like any other request: the frontier hands out nothing
        # for the host for one delay after it, and the request that needed it goes back to
        # the queue rather than following it at once.
        await self._fetch(request, netloc)
        self._hold_host_after_robots(request)
        raise _RobotsPending(hold=False)

    async def _fetch(self, request: Request, netloc: str) -> None:
        """Fetch and parse robots.txt: ``RobotsTxtMiddleware.robot_parser``'s fetch, except
        that a failure is one line (Scrapy logs it with a traceback) and is shared."""
        self._parsers[netloc] = Deferred()
        parts = urlparse_cached(request)
        robots_request = Request(
            f"{parts.scheme}://{parts.netloc}/robots.txt",
            priority=self.DOWNLOAD_PRIORITY,
            meta={"dont_obey_robotstxt": True},
            callback=NO_CALLBACK,
        )
        try:
            response = await self.crawler.engine.download_async(robots_request)
            await self._parse_robots(response, netloc, request)
        except Exception as exc:  # as Scrapy's: any failure means "no rules", never a crash
            if not isinstance(exc, IgnoreRequest):
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                logger.warning(
                    "robots.txt of %s could not be fetched (%s); crawling it without rules",
                    netloc,
                    reason,
                )
            self._robots_error(exc, netloc)
            self._share_failure(request, type(exc).__name__)
        self._stats.inc_value("robotstxt/request_count")

    def _share_failure(self, request: Request, error: str) -> None:
        try:
            self.redis.set(
                self._key(request),
                json.dumps({"status": 0, "body": "", "error": error}),
                ex=FAILED_TTL_SECONDS,
            )
            self.redis.delete(self.keys.robots_lock(self._netloc_key(request)))
        except redis.RedisError as exc:
            logger.warning("Could not share the robots.txt failure of %s: %s", request.url, exc)

    def _hold_host(self, request: Request, seconds: float) -> None:
        try:
            self.frontier.hold_host(host_of(request.url), seconds)
        except redis.RedisError as exc:
            logger.warning("Could not hold %s for its robots.txt: %s", host_of(request.url), exc)

    def _hold_host_after_robots(self, request: Request) -> None:
        host = host_of(request.url)
        try:
            config = self.frontier.host_politeness(host)
            delay_ms = max(
                config.get("delay_ms", self.default_delay_ms), config.get("crawl_delay_ms", 0)
            )
            if delay_ms > 0:
                self.frontier.hold_host(host, delay_ms / 1000)
        except redis.RedisError as exc:
            logger.warning("Could not pace %s after its robots.txt: %s", host, exc)

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        # 4xx means "no rules" (RFC 9309 2.3.1.3); the body of an error page is not robots.txt.
        body = response.text if 200 <= response.status < 300 and hasattr(response, "text") else ""
        try:
            self.redis.set(
                self._key(request),
                json.dumps({"status": response.status, "body": body}),
                ex=ROBOTS_TTL_SECONDS,
            )
            self.redis.delete(self.keys.robots_lock(self._netloc_key(request)))
        except redis.RedisError as exc:
            logger.warning("Could not share robots.txt of %s: %s", netloc, exc)
        self._apply_crawl_delay(request, body)
        await super()._parse_robots(response, netloc, request)

    # --- helpers -----------------------------------------------------------------------------
    def _netloc_key(self, request: Request) -> str:
        parts = urlparse_cached(request)
        return f"{parts.scheme}://{parts.netloc}"

    def _key(self, request: Request) -> str:
        return self.keys.robots(self._netloc_key(request))

    def _cached(self, request: Request) -> str | None:
        raw = self.redis.get(self._key(request))
        if raw is None:
            return None
        try:
            return str(json.loads(raw).get("body", ""))
        except (ValueError, AttributeError):
            logger.warning(
                "Ignoring an unreadable cached robots.txt for %s", self._netloc_key(request)
            )
            return None

    def _take_lock(self, request: Request) -> bool:
        key = self.keys.robots_lock(self._netloc_key(request))
        return bool(self.redis.set(key, "1", nx=True, ex=self.lock_seconds))

    def _apply_crawl_delay(self, request: Request, body: str) -> None:
        agent = self._robotstxt_useragent or self._default_useragent
        try:
            delay = Protego.parse(body).crawl_delay(agent)
        except Exception:
            return
        if delay:
            try:
                self.frontier.set_crawl_delay(host_of(request.url), float(delay))
                logger.info(
                    "robots.txt of %s asks for Crawl-delay %s s", host_of(request.url), delay
                )
            except (redis.RedisError, ValueError):
                logger.warning("Could not record Crawl-delay of %s", host_of(request.url))
