"""When a worker talks to the frontier: the sync loop that drives the leased queue.

Every Redis round trip of a worker's frontier work is one ``LeaseQueue.sync`` call; this
loop decides when to make it: right away when the engine asks for work and none is
buffered, soon after links are found or a download ends (coalesced into one call per
reactor turn), and on a short tick that acknowledges finished pages, follows the
frontier's next due time, sends heartbeats with lease extensions and requeues expired
leases. A Redis outage never kills the worker: pending writes stay buffered and the call is
retried with backoff, logged once. On close it acknowledges what is done and hands back
the rest.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from typing import Any

import redis
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Request
from scrapy.spiders import Spider
from scrapy.utils.asyncio import call_later, create_looping_call

from crawler.coordination import engine_hooks
from crawler.coordination.frontier import SyncResult
from crawler.coordination.queue import LeaseQueue
from crawler.coordination.repair import repair

logger = logging.getLogger(__name__)

# Scrapy stats published with each heartbeat, under these names, for `status`.
PUBLISHED_STATS = {
    "response_received_count": "pages",
    "item_scraped_count": "articles",
    "item_dropped_count": "dropped",
    "spider_exceptions/count": "spider_errors",
    "downloader/exception_count": "download_errors",
    "newscrawl/refused_address": "refused",
    # what a crawl's outcome is judged by (crawler/outcomes.py)
    "newscrawl/entry_fetched": "entry_fetched",
    "newscrawl/entry_failed": "entry_failed",
    "newscrawl/article_pages": "article_pages",
    "newscrawl/article_failed": "article_failed",
    "newscrawl/refused_by_site": "refused_by_site",
}
# While the frontier has nothing due, poll no faster than this...
_IDLE_POLL_MIN = 0.1
# ...and back off to this when it stays empty (a sibling may still push links).
_IDLE_POLL_MAX = 1.0
# A drained frontier seen by a sync older than this is not trusted (idle syncs come at
# least every _IDLE_POLL_MAX seconds, so this leaves room for one missed tick).
_DRAIN_FRESHNESS = 3 * _IDLE_POLL_MAX
# At most one repair of corrupt frontier data per this many seconds per worker.
_REPAIR_INTERVAL = 10.0
# After a failed sync (Redis away), wait this long, doubling up to the maximum.
_RETRY_MIN, _RETRY_MAX = 0.5, 15.0


class FrontierSync:
    """Drives one worker's ``LeaseQueue``: when to sync, heartbeats, outages, shutdown."""

    def __init__(self, crawler: Crawler, queue: LeaseQueue, *, where: str) -> None:
        self.crawler = crawler
        self.where = where  # the Redis URL, password masked, for messages
        self.queue = queue
        self.frontier = queue.frontier
        options = queue.options
        self.sync_interval = options.sync_interval
        self.heartbeat_interval = options.heartbeat_interval
        self.lease_batch = options.lease_batch
        self.forget_after_s = options.forget_after_s
        self._tick: Any = None
        self._sync_scheduled = False
        self._next_poll = 0.0
        self._idle_poll = _IDLE_POLL_MIN
        self._next_heartbeat = 0.0
        self._published: dict[str, int] = {}
        self._redis_down_since: float | None = None
        self._retry_delay = _RETRY_MIN
        self._closed = False
        self._next_repair = 0.0

    def start(self) -> None:
        """Hook into the queue and the engine, take the first leases, start ticking."""
        self.queue.on_push = self._on_push
        self.queue.on_empty = self.sync_soon
        self.crawler.signals.connect(self._on_left_downloader, signals.request_left_downloader)
        engine_hooks.pace_by_frontier(self.crawler)
        self._sync(lease=self._free_capacity(), heartbeat=True)
        self._tick = create_looping_call(self._on_tick)
        self._tick.start(self.sync_interval, now=False)

    def close(self) -> None:
        """Acknowledge what is done, hand back the rest, leave shared state alone."""
        self._closed = True
        if self._tick is not None and self._tick.running:
            self._tick.stop()
        queue = self.queue
        queue.collect_finished(engine_hooks.requests_in_progress(self.crawler) or set())
        queue.hand_back_all()
        self._publish_stats()
        for attempt in range(5):
            try:
                # twice when a call's answer was lost: that call first, then the hand-back
                queue.sync(heartbeat=self._heartbeat(state="stopped"))
                if not queue.has_pending_writes():
                    break
            except redis.RedisError as exc:
                logger.warning("Final frontier sync failed (%s); retrying", exc)
                time.sleep(min(2**attempt * 0.2, 3))
        else:
            logger.error(
                "Could not reach Redis at shutdown; leased requests return to the queue "
                "when their leases expire"
            )

    # --- what other components ask -----------------------------------------------------------
    def drained(self) -> bool:
        """Nothing queued or leased anywhere, as of a recent sync."""
        q = self.queue
        return (
            not q.held
            and not q.ready
            and not q.has_pending_writes()
            and q.last.drained
            and time.monotonic() - q.last_sync_at < _DRAIN_FRESHNESS
        )

    def dead_letter(self, request: Request, reason: str) -> None:
        """Record a request that failed for good."""
        self.queue.dead_letter(request, reason)
        self.sync_soon()

    # --- syncing -----------------------------------------------------------------------------
    def _free_capacity(self) -> int:
        if engine_hooks.engine_is_closing(self.crawler):
            return 0
        free = engine_hooks.free_download_slots(self.crawler) - len(self.queue.ready)
        return max(0, min(free, self.lease_batch))

    def _on_push(self) -> None:
        # New links may make a host due that had nothing queued.
        self._next_poll = 0.0
        self.sync_soon()

    def _on_left_downloader(self, request: Request, spider: Spider) -> None:
        self.queue.release(request)
        # A host slot frees up with this release: worth asking for work right away.
        self._next_poll = 0.0
        self.sync_soon()

    def sync_soon(self) -> None:
        """Sync once the reactor is done with what it is doing (one call for many events)."""
        if not self._sync_scheduled and not self._closed:
            self._sync_scheduled = True
            call_later(0, self._sync_from_event)

    def _sync_from_event(self) -> None:
        self._sync_scheduled = False
        if self._closed:
            return
        lease = self._free_capacity() if time.monotonic() >= self._next_poll else 0
        if lease or self.queue.has_pending_writes():
            self._sync(lease=lease)

    def _on_tick(self) -> None:
        if self._closed:
            return
        now = time.monotonic()
        heartbeat = now >= self._next_heartbeat
        in_progress = engine_hooks.requests_in_progress(self.crawler)
        if in_progress is not None:
            self.queue.collect_finished(in_progress)
        lease = self._free_capacity() if now >= self._next_poll else 0
        if lease or heartbeat or self.queue.has_pending_writes():
            self._sync(lease=lease, heartbeat=heartbeat)

    def _sync(self, *, lease: int, heartbeat: bool = False) -> SyncResult | None:
        queue = self.queue
        now = time.monotonic()
        if self._redis_down_since is not None and now < self._next_poll:
            return None
        self._publish_stats()
        expire = heartbeat or (
            queue.last.next_expiry_ms is not None
            and queue.last.next_expiry_ms <= queue.server_now_ms()
        )
        try:
            result = queue.sync(
                lease=lease,
                in_progress=engine_hooks.requests_in_progress(self.crawler),
                heartbeat=self._heartbeat() if heartbeat else None,
                extend=heartbeat,
                expire=expire,
            )
        except redis.ResponseError as exc:
            self._on_corrupt_frontier(exc)
            return None
        except redis.RedisError as exc:
            self._on_redis_error(exc)
            return None
        if self._redis_down_since is not None:
            logger.warning(
                "Redis is back after %.1f s; nothing was lost", now - self._redis_down_since
            )
            self._redis_down_since = None
            self._retry_delay = _RETRY_MIN
        if heartbeat:
            self._next_heartbeat = now + self.heartbeat_interval
        self._plan_next_poll(result, lease)
        if result.leased or result.drained:
            # New work to hand out, or nothing left anywhere: let the engine look now
            # (an idle engine otherwise only looks every 5 s), so a drained crawl ends soon.
            engine_hooks.wake_engine(self.crawler)
        if result.stale:
            logger.info("%d acknowledgements were stale (leases had expired)", result.stale)
        return result

    def _plan_next_poll(self, result: SyncResult, asked: int) -> None:
        now = time.monotonic()
        if asked and len(result.leased) >= asked:
            self._next_poll = now  # got all we asked for: there may be more right away
            self._idle_poll = _IDLE_POLL_MIN
            return
        if result.next_due_ms is not None:
            wait = (result.next_due_ms - result.now_ms) / 1000
            self._idle_poll = _IDLE_POLL_MIN
            self._next_poll = now + min(max(wait, _IDLE_POLL_MIN), _IDLE_POLL_MAX)
            # No delayed wake-up of the engine here: a wake-up already scheduled makes
            # Scrapy ignore an immediate one, and a request leased meanwhile would wait for
            # it (measured: every third request sent 0.2 s late, 0.5 s after the one before
            # at a Crawl-delay of 0.6 s). The tick leases when the host is due, then wakes.
            return
        # Nothing queued anywhere: poll, backing off, for links other workers may push.
        self._next_poll = now + self._idle_poll
        self._idle_poll = min(self._idle_poll * 2, _IDLE_POLL_MAX)

    def _on_redis_error(self, exc: Exception) -> None:
        now = time.monotonic()
        if self._redis_down_since is None:
            self._redis_down_since = now
            logger.error(
                "Redis at %s is unreachable (%s); keeping pending work and retrying with backoff",
                self.where,
                str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
            )
        self._next_poll = now + self._retry_delay
        self._retry_delay = min(self._retry_delay * 2, _RETRY_MAX)

    def _on_corrupt_frontier(self, exc: Exception) -> None:
        """The sync script failed on data it did not expect: repair it, then carry on."""
        now = time.monotonic()
        self._next_poll = now + _RETRY_MIN
        if now < self._next_repair:
            return
        self._next_repair = now + _REPAIR_INTERVAL
        first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        logger.error("Frontier sync failed (%s); checking the frontier's keys", first_line)
        try:
            fixes = repair(self.frontier.client, self.frontier.keys)
        except redis.RedisError as repair_error:
            logger.error("Frontier repair failed: %s", repair_error)
            return
        if not fixes:
            logger.error("Found nothing to repair; retrying in %.0f s", _REPAIR_INTERVAL)

    # --- heartbeats and published counters ---------------------------------------------------
    def _publish_stats(self) -> None:
        stats = self.crawler.stats
        for name, published in PUBLISHED_STATS.items():
            value = int(stats.get_value(name, 0) or 0)
            delta = value - self._published.get(name, 0)
            if delta:
                self.queue.count(published, delta)
                self._published[name] = value

    def _heartbeat(self, state: str = "running") -> dict[str, Any]:
        started = self.crawler.stats.get_value("start_time")
        fields: dict[str, Any] = {
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "state": state,
            "held": len(self.queue.held),
            "round_trips": self.frontier.round_trips + 1,
            "started": int(started.timestamp()) if started else 0,
        }
        for name, published in PUBLISHED_STATS.items():
            fields[published] = self._published.get(name, 0)
        # A stopped worker's record stays visible to `status` for a while, then goes: twenty
        # heartbeats, and at least a minute.
        ttl = max(60, int(self.heartbeat_interval * 20))
        return {
            "worker": self.queue.worker_id,
            "fields": fields,
            "ttl_s": ttl,
            "forget_ms": int(self.forget_after_s * 1000),
        }
