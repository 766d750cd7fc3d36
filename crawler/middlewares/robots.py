"""robots.txt fetched once per host for all workers, its rules and Crawl-delay shared.

Scrapy's ``RobotsTxtMiddleware`` fetches robots.txt once per *process*, so N workers fetch
it N times and each honours Crawl-delay (if at all) on its own. This subclass keeps the
fetched body in Redis for a day: the first worker to need a host's robots.txt takes a short
lock and fetches it, the others wait for the cached copy. Its Crawl-delay goes into the
frontier's per-host politeness, where it slows that host down for every worker together.
"""

from __future__ import annotations

import json
import logging
import time

import redis
from protego import Protego
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request, Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler
from twisted.internet.defer import Deferred

from crawler.coordination.connection import redis_client
from crawler.coordination.frontier import Frontier
from crawler.coordination.keys import Keys
from crawler.urls import host_of

logger = logging.getLogger(__name__)

# A day, as Google caches robots.txt (developers.google.com/search/docs/crawling-indexing/robots/robots_txt).
ROBOTS_TTL_SECONDS = 86_400
# Longer than one robots.txt download may take (DOWNLOAD_TIMEOUT 30 s plus retries).
LOCK_SECONDS = 60
_POLL_SECONDS = 0.2


async def _sleep(seconds: float) -> None:
    deferred: Deferred[None] = Deferred()
    call_later(seconds, deferred.callback, None)
    await maybe_deferred_to_future(deferred)


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """``RobotsTxtMiddleware`` with a cross-worker cache of robots.txt in Redis."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        settings = crawler.settings
        url = settings.get("NEWS_REDIS_URL") or settings.get("NEWS_REDIS_DEFAULT_URL")
        self.keys = Keys(settings.get("NEWS_KEY_PREFIX"))
        self.redis = redis_client(url)
        self.frontier = Frontier(self.redis, self.keys)

    async def robot_parser(self, request: Request) -> RobotParser | None:
        netloc = urlparse_cached(request).netloc
        if netloc in self._parsers:
            return await super().robot_parser(request)
        try:
            cached = self._cached(request)
            deadline = time.monotonic() + LOCK_SECONDS
            while cached is None and not self._take_lock(request):
                # Another worker is fetching it: wait for its copy rather than fetch again.
                if time.monotonic() > deadline:
                    break
                await _sleep(_POLL_SECONDS)
                cached = self._cached(request)
        except redis.RedisError as exc:
            logger.warning("robots.txt cache unavailable (%s); fetching %s directly", exc, netloc)
            cached = None
        if cached is not None and netloc not in self._parsers:
            parser = build_from_crawler(self._parserimpl, self.crawler, cached.encode())
            self._parsers[netloc] = parser
            self._apply_crawl_delay(request, cached)
            return parser
        return await super().robot_parser(request)

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
        return bool(self.redis.set(key, "1", nx=True, ex=LOCK_SECONDS))

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
