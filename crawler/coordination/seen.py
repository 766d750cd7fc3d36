"""The shared seen-filter: which article URLs have been queued already, for all workers.

A Bloom filter on Redis bitmaps by default: sized from the expected number of URLs and the
false-positive rate (1M URLs at 0.1 % take 1.8 MB, 1.8 bytes per URL, where
scrapy-redis's set of SHA1 hex strings takes 80; benchmarks/frontier.md), or an exact sorted set of 16-byte
fingerprints (``NEWS_SEEN_MODE=set``). With ``NEWS_RECRAWL_DAYS`` the Bloom filter is kept
in time generations, so an article URL becomes fetchable again after that many days (at
most twice that). Entry points (seeds) bypass the filter. The check-and-add runs inside the
frontier's sync script (crawler/coordination/lua/sync.lua), atomically with the enqueue, so
a worker that dies can never leave a URL marked seen but not queued; this module computes
what the script needs. ``RecentLinksFilter``, the workers' ``DUPEFILTER_CLASS``, only skips
links the worker itself queued recently, without a round trip.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from scrapy import Spider
from scrapy.dupefilters import BaseDupeFilter
from scrapy.http import Request

from crawler.coordination.keys import Keys
from crawler.urls import InvalidUrl, canonical_url

logger = logging.getLogger(__name__)

# A Redis string (and so a bitmap) holds at most 512 MB = 2**32 bits.
_MAX_BITS = 2**32
_DAY_MS = 86_400_000
# Size for 95 % of the requested false-positive rate (see BloomShape.for_capacity).
_SIZING_MARGIN = 0.95


@dataclass(frozen=True)
class BloomShape:
    """Bits and hash count of a Bloom filter for ``capacity`` items at ``error_rate``."""

    bits: int
    hashes: int

    @classmethod
    def for_capacity(cls, capacity: int, error_rate: float) -> BloomShape:
        if capacity <= 0 or not 0 < error_rate < 1:
            raise ValueError("Bloom filter needs capacity > 0 and 0 < error_rate < 1")
        # The textbook optimum, m = -n ln p / (ln 2)^2 bits and k = m/n ln 2 hashes, rounds k
        # to an integer, which lands slightly above p (1M URLs at 0.1 %: k = 10 gives
        # 0.1024 %). Grow m until the exact rate (1 - e^(-kn/m))^k is within 95 % of p, so a
        # filter at capacity measures at or under its rate despite sampling noise.
        target = error_rate * _SIZING_MARGIN
        bits = math.ceil(-capacity * math.log(target) / math.log(2) ** 2)
        hashes = max(1, round(bits / capacity * math.log(2)))
        while (1 - math.exp(-hashes * capacity / bits)) ** hashes > target:
            bits = math.ceil(bits * 1.001)
        if bits > _MAX_BITS:
            raise ValueError(
                f"a Bloom filter for {capacity} URLs at {error_rate} needs {bits} bits, "
                f"more than one Redis string holds ({_MAX_BITS}); lower NEWS_SEEN_CAPACITY"
            )
        return cls(bits=bits, hashes=hashes)

    def false_positive_rate(self, items: int) -> float:
        """The expected false-positive rate with ``items`` in the filter."""
        return (1 - math.exp(-self.hashes * items / self.bits)) ** self.hashes

    def positions(self, fingerprint: bytes) -> list[int]:
        """Bit positions of one fingerprint (Kirsch-Mitzenmacher double hashing)."""
        digest = hashlib.blake2b(fingerprint, digest_size=16).digest()
        h1 = int.from_bytes(digest[:8], "little")
        h2 = int.from_bytes(digest[8:], "little") | 1
        return [(h1 + i * h2) % self.bits for i in range(self.hashes)]


def request_fingerprint(request: Request) -> bytes:
    """16 bytes identifying a request by method and canonical URL (and body, if any)."""
    try:
        url = canonical_url(request.url)
    except InvalidUrl:
        url = request.url
    data = f"{request.method} {url}".encode() + (b"\0" + request.body if request.body else b"")
    return hashlib.blake2b(data, digest_size=16).digest()


class SeenFilter:
    """What the frontier's sync script needs to check-and-add fingerprints."""

    def __init__(
        self,
        keys: Keys,
        mode: str,
        capacity: int,
        error_rate: float,
        recrawl_days: float,
        listing_refresh_minutes: float = 30.0,
    ) -> None:
        if mode not in {"bloom", "set"}:
            raise ValueError(f"NEWS_SEEN_MODE must be 'bloom' or 'set', not {mode!r}")
        self.keys = keys
        self.mode = mode
        self.shape = BloomShape.for_capacity(capacity, error_rate)
        self.recrawl_ms = int(recrawl_days * _DAY_MS)
        self.listing_ttl_ms = int(listing_refresh_minutes * 60_000)

    @classmethod
    def from_settings(cls, keys: Keys, settings: Any) -> SeenFilter:
        """The filter the NEWS_SEEN_* and NEWS_RECRAWL_DAYS settings describe (ValueError
        for an unusable one)."""
        return cls(
            keys,
            mode=settings.get("NEWS_SEEN_MODE"),
            capacity=settings.getint("NEWS_SEEN_CAPACITY"),
            error_rate=settings.getfloat("NEWS_SEEN_ERROR_RATE"),
            recrawl_days=settings.getfloat("NEWS_RECRAWL_DAYS"),
            listing_refresh_minutes=settings.getfloat("NEWS_LISTING_REFRESH_MINUTES"),
        )

    def push_fields(self, request: Request, listing: bool = False) -> dict[str, Any]:
        """The fields of a push entry that the script checks the filter with.

        Listing pages (sections, tags, pagination) are remembered exactly and only for
        ``listing_refresh_minutes``: they must be refetched to find new articles, but not
        once per article that links to them. Everything else is an article candidate.
        """
        fingerprint = request_fingerprint(request)
        if listing:
            return {"fp": fingerprint.hex(), "set": "pages", "ttl": self.listing_ttl_ms}
        if self.mode == "bloom":
            return {"bits": self.shape.positions(fingerprint)}
        return {"fp": fingerprint.hex(), "set": "set", "ttl": self.recrawl_ms}

    def script_options(self, now_ms: int | None = None) -> dict[str, Any]:
        """The ``seen`` section of a sync call: mode, live generations and expiry."""
        now_ms = int(time.time() * 1000) if now_ms is None else now_ms
        prune = [{"set": "pages", "ttl": self.listing_ttl_ms}]
        if self.mode == "set":
            if self.recrawl_ms:
                prune.append({"set": "set", "ttl": self.recrawl_ms})
            return {"mode": "set", "prune": prune}
        if not self.recrawl_ms:
            return {
                "mode": "bloom",
                "keys": [self.keys.seen_bloom(0)],
                "expire_s": 0,
                "prune": prune,
            }
        # Generations one recrawl period long; a URL is remembered while its generation or
        # the next one is live, i.e. for one to two periods.
        generation = now_ms // self.recrawl_ms
        return {
            "mode": "bloom",
            "keys": [self.keys.seen_bloom(generation), self.keys.seen_bloom(generation - 1)],
            "expire_s": math.ceil(2 * self.recrawl_ms / 1000) + 60,
            "prune": prune,
        }

    def memory_keys(self) -> list[str]:
        """Keys holding the filter (for ``status`` and the benchmark)."""
        if self.mode == "set":
            return [self.keys.seen_set]
        return list(self.script_options()["keys"])


# How many recently pushed URLs a worker remembers, and for how long: news pages link the
# same navigation, section and trending URLs over and over (measured on the demo sites: 15
# links per page, 9 in 10 already pushed), and each would cost an encode and a Lua check.
# 100k entries take about 20 MB; an hour is well under any recrawl period.
RECENT_CAPACITY = 100_000
RECENT_ARTICLE_TTL = 3600.0
# Pages that list other pages: remembered only for a while (see SeenFilter.push_fields),
# because they must be read again to find new articles.
LISTING_KINDS = frozenset({"listing", "home", "section", "feed", "sitemap", "robots"})


def is_listing(request: Request) -> bool:
    """Whether a request is for a page that lists others (refetched after a while)."""
    return (request.meta.get("news") or {}).get("kind") in LISTING_KINDS


class RecentLinksFilter(BaseDupeFilter):
    """``DUPEFILTER_CLASS``: this worker's bounded, expiring memory of the links it queued.

    scrapy-redis's scheduler asks the filter about every link before queueing it. The
    shared seen-filter cannot answer there without a Redis round trip per link and without
    losing the atomicity of check-and-enqueue, so it is applied by the frontier's sync
    script when the link is pushed. This filter answers from memory only: a link this
    worker queued within its TTL is a duplicate (its first push is either in Redis already
    or still buffered, and buffered pushes always reach Redis before, or together with, the
    acknowledgement of any page, so the skipped copy's page cannot be acknowledged alone).
    Requests with ``dont_filter`` (seeds, retries, redirects) never reach it.
    """

    def __init__(self, capacity: int, article_ttl: float, listing_ttl: float) -> None:
        self.capacity = capacity
        self.article_ttl = article_ttl
        self.listing_ttl = listing_ttl
        self.skipped = 0
        self._until: OrderedDict[tuple[str, str, object, object], float] = OrderedDict()

    @classmethod
    def from_spider(cls, spider: Spider) -> RecentLinksFilter:
        """scrapy-redis's constructor hook for filters (it passes the spider)."""
        minutes = spider.crawler.settings.getfloat("NEWS_LISTING_REFRESH_MINUTES")
        return cls(RECENT_CAPACITY, RECENT_ARTICLE_TTL, listing_ttl=minutes * 60)

    def request_seen(self, request: Request) -> bool:
        # an announced date is part of the link: a later one may be fetched again (the sync
        # script decides, crawler/coordination/revisits.py)
        news = request.meta.get("news") or {}
        key = (request.method, request.url, news.get("lastmod"), news.get("pubdate"))
        now = time.monotonic()
        until = self._until.get(key)
        if until is not None and until > now:
            self.skipped += 1
            return True
        self._until[key] = now + (self.listing_ttl if is_listing(request) else self.article_ttl)
        self._until.move_to_end(key)
        if len(self._until) > self.capacity:
            self._until.popitem(last=False)
        return False

    def clear(self) -> None:
        """scrapy-redis calls this on flush: only this worker's memory goes."""
        self._until.clear()

    def log(self, request: Request, spider: Spider) -> None:
        """scrapy-redis reports each skipped link here (Scrapy's base method is deprecated):
        counted in ``skipped``, logged at debug level."""
        logger.debug("Already queued by this worker: %s", request.url)
