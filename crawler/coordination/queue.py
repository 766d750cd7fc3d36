"""The leased request queue: the workers' scrapy-redis ``SCHEDULER_QUEUE_CLASS``.

scrapy-redis's scheduler builds it (server, spider, key, serializer) and calls ``push``,
``pop`` and ``len``; requests are encoded and decoded by scrapy-redis's ``_encode_request``
and ``_decode_request`` with the ``SCHEDULER_SERIALIZER`` (crawler/coordination/codec.py).
``push`` and ``pop`` work on local buffers; ``sync`` sends everything pending to Redis in
one atomic call (crawler/coordination/lua/sync.lua) and takes new leases back. A popped
request stays *held* until the engine has fully handled it; only then is it acknowledged,
in the same call that queues the links it yielded. Redirects and retries leave the engine
as new requests, so they are pushed like links and the original is acknowledged. A worker
that dies loses nothing: its leases expire and go back to the queue.
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from scrapy import Spider
from scrapy.http import Request
from scrapy_redis.queue import Base

from crawler.coordination import codec
from crawler.coordination.frontier import Frontier, Lease, SyncResult, now_ms
from crawler.coordination.revisits import announced_fields, validator_fields
from crawler.coordination.seen import SeenFilter, is_listing, request_fingerprint
from crawler.coordination.trap_budget import LEASE_META, budget_fields, outcome_fields

logger = logging.getLogger(__name__)

# Hosts are paced a little slower than their delay: a request is handed out at its due
# time but sent a moment later, after the worker's reactor finishes what it is doing (up to
# ~100 ms parsing a large page while three workers share two cores), and that lag differs
# between workers. The margin, half the delay but at most 100 ms, keeps the gaps between
# actual requests at least the delay. Measured on the demo site with three workers at
# DOWNLOAD_DELAY=0.2: no margin, 6 requests in one second; 10 %, 6 again under load.
POLITENESS_MARGIN = 0.5
POLITENESS_MARGIN_CAP_MS = 100
# Expired leases requeued per call: bounds one script run after a mass worker failure.
EXPIRE_BATCH = 100
# A host whose slots are all taken is looked at again after this long (or as soon as one
# of its downloads ends); meanwhile the lease scan moves on to the hosts behind it.
# About the time a news page takes to download.
FULL_HOST_BACKOFF_MS = 500
# A request entry is a URL, headers and a little meta: a few KB. Anything over 1 MB in the
# queue was not written by newscrawl (or carries a body no news page needs), and decoding
# it could cost a worker its memory: it goes to the dead letters instead.
MAX_ENTRY_BYTES = 1_000_000
# Queue scores are priority * 1e10 + sequence, held in a double: keep priorities where that
# stays exact (|priority| * 1e10 + 1e10 < 2**53).
_MAX_PRIORITY = 900


@dataclass(frozen=True)
class QueueOptions:
    """Frontier settings a worker applies, in its queue and its sync loop (see
    crawler/settings.py)."""

    lease_seconds: float
    delay_seconds: float
    concurrency_per_host: int
    max_attempts: int
    scan_hosts: int
    max_pages_per_host: int
    worker_dead_seconds: float
    template_budget: int = 0
    # how often the worker talks to the frontier (crawler/coordination/sync_loop.py)
    sync_interval: float = 0.1
    heartbeat_interval: float = 5.0
    lease_batch: int = 8
    forget_after_s: float = 600.0

    @classmethod
    def from_settings(cls, settings: Any) -> QueueOptions:
        s = settings
        return cls(
            # leases
            lease_seconds=s.getfloat("NEWS_LEASE_SECONDS"),
            max_attempts=s.getint("NEWS_MAX_ATTEMPTS"),
            # politeness, for all workers together
            delay_seconds=s.getfloat("DOWNLOAD_DELAY"),
            concurrency_per_host=s.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
            scan_hosts=s.getint("NEWS_LEASE_SCAN_HOSTS"),
            # a host's work in one round
            max_pages_per_host=s.getint("NEWS_MAX_PAGES_PER_HOST"),
            template_budget=s.getint("NEWS_TEMPLATE_BUDGET"),
            # how often this worker talks to the frontier, and how others see it
            sync_interval=s.getfloat("NEWS_SYNC_INTERVAL"),
            heartbeat_interval=s.getfloat("NEWS_HEARTBEAT_SECONDS"),
            lease_batch=s.getint("NEWS_LEASE_BATCH"),
            worker_dead_seconds=s.getfloat("NEWS_WORKER_DEAD_SECONDS"),
            forget_after_s=s.getfloat("NEWS_WORKER_FORGET_SECONDS"),
        )


@dataclass
class Held:
    """A leased request this worker is working on."""

    lease: Lease
    request: Request
    started: bool = False


def _nothing() -> None:
    return None


class LeaseQueue(Base):
    """Lease-based queue (replaces scrapy-redis's destructive ``PriorityQueue``).

    Built by scrapy-redis with (server, spider, key, serializer) only, it takes the rest of
    what it needs (frontier, seen-filter, options, worker id) from the worker's
    ``FrontierService``, reached through the spider's crawler.
    """

    def __init__(self, server: Any, spider: Spider, key: str, serializer: Any = None) -> None:
        from crawler.coordination.service import FrontierService

        super().__init__(server, spider, key, serializer=serializer or codec)
        service = FrontierService.from_crawler(spider.crawler)
        self.frontier: Frontier = service.frontier
        self.seen: SeenFilter = service.seen
        self.options: QueueOptions = service.options
        self.worker_id: str = service.worker_id
        self.ready: deque[Held] = deque()
        self.held: dict[str, Held] = {}
        self._push: list[dict[str, Any]] = []
        self._ack: list[dict[str, str]] = []
        self._release: list[dict[str, str]] = []
        self._dead: list[dict[str, str]] = []
        self._handback: list[dict[str, str]] = []
        self._stats: Counter[str] = Counter()
        self.last: SyncResult = SyncResult(queued_total=-1, leased_total=-1)
        self.last_sync_at = 0.0
        self._calls = 0
        self._unanswered: dict[str, Any] | None = None
        self.pushed = 0
        self.filtered = 0
        # Set by the sync loop: a push has something to send; a pop found nothing ready.
        self.on_push: Callable[[], None] = _nothing
        self.on_empty: Callable[[], None] = _nothing

    # --- scrapy-redis queue interface ------------------------------------------------------
    def __len__(self) -> int:
        return len(self.ready)

    def push(self, request: Request) -> None:
        """Buffer a request for the next sync (checked against the seen-filter there)."""
        request.meta.pop(LEASE_META, None)
        news = request.meta.get("news") or {}
        entry: dict[str, Any] = {
            "host": "",
            "score": -max(-_MAX_PRIORITY, min(_MAX_PRIORITY, request.priority)),
            "payload": "",
        }
        try:
            entry["payload"] = self._encode_request(request)
        except (TypeError, ValueError) as exc:
            logger.error("Cannot queue %s: %s", request.url, exc)
            self._stats["requests_unqueueable"] += 1
            return
        if len(entry["payload"]) > MAX_ENTRY_BYTES:
            logger.error(
                "Not queueing %s: its entry is %d bytes", request.url[:200], len(entry["payload"])
            )
            self._stats["requests_unqueueable"] += 1
            return
        entry["host"] = codec.entry_host(entry["payload"])
        listing = is_listing(request)
        # A retried or redirected copy of a seed keeps its meta, but is not a new seeding:
        # as a seed it would be refused while the original is still leased, and lost.
        fresh_seed = news.get("seed") and not (
            request.meta.get("retry_times") or request.meta.get("redirect_times")
        )
        if fresh_seed:
            entry.update(self.seen.push_fields(request, listing=listing))
            entry["seed"] = request_fingerprint(request).hex()
        elif not request.dont_filter:
            # A discovered link: checked against the seen-filter and the trap budget. Requests
            # sent again (retries, redirects, waits for robots.txt) and the parts of a split
            # article are no new discoveries: neither applies.
            entry.update(self.seen.push_fields(request, listing=listing))
            entry.update(budget_fields(request))
            entry.update(announced_fields(request))
        self._push.append(entry)
        self.on_push()

    def pop(self, timeout: int = 0) -> Request | None:
        """The next leased request, marked as handed to the engine."""
        if not self.ready:
            self.on_empty()
            return None
        held = self.ready.popleft()
        held.started = True
        return held.request

    def clear(self) -> None:
        """Never clears the shared frontier: other workers are using it."""

    # --- bookkeeping the scheduler reports ---------------------------------------------------
    def release(self, request: Request) -> None:
        """The download of ``request`` finished: free its host's concurrency slot."""
        lease = request.meta.get(LEASE_META)
        if lease and lease[0] in self.held:
            self._release.append({"id": lease[0], "token": lease[1]})

    def dead_letter(self, request: Request, reason: str) -> None:
        """Give up on a request for good; it is kept in the dead-letter list (once)."""
        lease = request.meta.get(LEASE_META) or ["", ""]
        if lease[0] and lease[0] not in self.held:
            return  # already dead-lettered (a second failure of the same page)
        entry = {
            "reason": reason,
            "url": request.url,
            "time": now_ms(),
            "worker": self.worker_id,
            "payload": self._payload_or_empty(request),
        }
        self._dead.append({"id": lease[0], "token": lease[1], "entry": json.dumps(entry)})
        if lease[0]:
            self.held.pop(lease[0], None)

    def _payload_or_empty(self, request: Request) -> str:
        try:
            return self._encode_request(request)
        except (TypeError, ValueError):
            return ""

    def count(self, name: str, increment: int = 1) -> None:
        self._stats[name] += increment

    def has_pending_writes(self) -> bool:
        return bool(
            self._unanswered is not None
            or self._push or self._ack or self._release or self._dead or self._handback
            or self._stats
        )  # fmt: skip

    # --- the one round trip ------------------------------------------------------------------
    def sync(
        self,
        *,
        lease: int = 0,
        in_progress: Iterable[Request] | None = None,
        heartbeat: dict[str, Any] | None = None,
        extend: bool = False,
        expire: bool = False,
    ) -> SyncResult:
        """Send pending writes, acknowledge finished pages, and lease up to ``lease`` more.

        A call whose answer was lost (Redis unreachable, a timeout) is sent again, exactly as
        it was, before anything new: the script recognises it by its id and returns the
        first run's answer, so nothing is pushed, leased or acknowledged twice. Raises the
        Redis error; what the call carried stays with it for the next attempt.
        """
        if self._unanswered is None:
            if in_progress is not None:
                self.collect_finished(in_progress)
            self._calls += 1
            self._unanswered = self._take_ops(lease, heartbeat, extend, expire)
            self._unanswered["call"] = f"{self.worker_id}:{self._calls}"
        result = self.frontier.sync(self._unanswered)
        self._unanswered = None
        if result.cut:
            self._stats["trap_cut"] += result.cut
        self.pushed += sum(result.pushed)
        self.filtered += len(result.pushed) - sum(result.pushed)
        self.last = result
        self.last_sync_at = time.monotonic()
        for leased in result.leased:
            self._accept(leased)
        return result

    def _take_ops(
        self, lease: int, heartbeat: dict[str, Any] | None, extend: bool, expire: bool
    ) -> dict[str, Any]:
        """The next call: everything buffered moves into it (new writes start new buffers)."""
        ops: dict[str, Any] = {}
        if self._push:
            ops["push"] = self._push
            ops["seen"] = self.seen.script_options()
            ops["max_pages"] = self.options.max_pages_per_host
        if self._push or self._ack:
            ops["budget"] = self.options.template_budget
        for name, pending in (
            ("ack", self._ack),
            ("release", self._release),
            ("dead", self._dead),
            ("handback", self._handback),
        ):
            if pending:
                ops[name] = pending
        if extend and self.held:
            ops["extend"] = [{"id": h.lease.id, "token": h.lease.token} for h in self.held.values()]
            ops["extend_ms"] = int(self.options.lease_seconds * 1000)
        if expire:
            ops["expire"] = {"max_attempts": self.options.max_attempts, "limit": EXPIRE_BATCH}
        if lease > 0:
            ops["lease"] = {
                "n": lease,
                "worker": self.worker_id,
                "lease_ms": int(self.options.lease_seconds * 1000),
                "delay_ms": int(self.options.delay_seconds * 1000),
                "concurrency": self.options.concurrency_per_host,
                "scan": self.options.scan_hosts,
                "margin": POLITENESS_MARGIN,
                "margin_cap_ms": POLITENESS_MARGIN_CAP_MS,
                "alive_ms": int(self.options.worker_dead_seconds * 1000),
                "full_backoff_ms": FULL_HOST_BACKOFF_MS,
            }
        if self._stats:
            ops["stats"] = dict(self._stats)
        if heartbeat is not None:
            ops["heartbeat"] = heartbeat
        self._push, self._ack, self._release, self._dead, self._handback = [], [], [], [], []
        self._stats = Counter()
        return ops

    def server_now_ms(self) -> int:
        """Redis's clock now, estimated from the last call (the frontier's time base)."""
        return self.last.now_ms + int((time.monotonic() - self.last_sync_at) * 1000)

    def _accept(self, lease: Lease) -> None:
        try:
            if len(lease.payload) > MAX_ENTRY_BYTES:
                raise codec.RequestDecodeError(
                    f"oversized entry ({len(lease.payload)} bytes, at most {MAX_ENTRY_BYTES})"
                )
            request = codec.request_of(self.serializer.loads(lease.payload), self.spider)
        except codec.RequestDecodeError as exc:
            # Queue poison: keep it for the operator, never crash on it.
            logger.error("Unreadable queue entry %s moved to dead letters: %s", lease.id, exc)
            entry = {"reason": f"unreadable queue entry: {exc}", "time": now_ms(),
                     "worker": self.worker_id, "payload": lease.payload[:10000]}  # fmt: skip
            self._dead.append({"id": lease.id, "token": lease.token, "entry": json.dumps(entry)})
            return
        request.meta[LEASE_META] = [lease.id, lease.token]
        held = Held(lease=lease, request=request)
        self.held[lease.id] = held
        self.ready.append(held)

    def collect_finished(self, in_progress: Iterable[Request]) -> None:
        """Acknowledge (at the next sync) every handed-out request the engine is done with."""
        busy = {id(r) for r in in_progress}
        for lease_id, held in list(self.held.items()):
            if held.started and id(held.request) not in busy:
                ack = {"id": lease_id, "token": held.lease.token}
                ack.update(outcome_fields(held.request))
                ack.update(validator_fields(held.request))
                self._ack.append(ack)
                del self.held[lease_id]

    def hand_back_all(self) -> None:
        """Return every lease not acknowledged yet to the queue (graceful shutdown)."""
        for lease_id, held in list(self.held.items()):
            self._handback.append({"id": lease_id, "token": held.lease.token})
            del self.held[lease_id]
        self.ready.clear()
