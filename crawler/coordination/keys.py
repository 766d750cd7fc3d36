"""Every Redis key newscrawl uses, named in one place under one prefix.

Workers, the scheduler, ``status`` and the tests all build key names through ``Keys`` so
that a crawl's whole state lives under ``<prefix>:`` (the ``NEWS_KEY_PREFIX`` setting) and
can be inspected, or removed, as one. The Lua scripts receive the prefix and build the
per-host keys with the same patterns; ``tests/coordination/test_keys.py`` checks that the
two stay in step. Each key is declared once, with what it holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, overload


class FixedKey:
    """One key: ``keys.requests`` is ``"<prefix>:req"``."""

    def __init__(self, suffix: str, holds: str) -> None:
        self.suffix = suffix
        self.__doc__ = holds

    @overload
    def __get__(self, keys: None, owner: type) -> FixedKey: ...
    @overload
    def __get__(self, keys: Keys, owner: type) -> str: ...
    def __get__(self, keys: Keys | None, owner: type) -> Any:
        return self if keys is None else f"{keys.prefix}:{self.suffix}"


class KeyFamily:
    """A key per name: ``keys.host_queue(host)`` is ``"<prefix>:q:<host>"``."""

    def __init__(self, suffix: str, holds: str) -> None:
        self.suffix = suffix
        self.__doc__ = holds

    @overload
    def __get__(self, keys: None, owner: type) -> KeyFamily: ...
    @overload
    def __get__(self, keys: Keys, owner: type) -> Callable[[object], str]: ...
    def __get__(self, keys: Keys | None, owner: type) -> Any:
        if keys is None:
            return self
        stem = f"{keys.prefix}:{self.suffix}"
        return lambda name: f"{stem}{name}"


@dataclass(frozen=True)
class Keys:
    """Key names under one prefix. Values are JSON strings, never pickle."""

    prefix: str

    # --- frontier -------------------------------------------------------------------
    requests = FixedKey("req", "Hash: request id -> request JSON (queued or leased).")
    host_queue = KeyFamily(
        "q:", "Sorted set: ids of queued requests of one host, scored by priority then age."
    )
    hosts = FixedKey(
        "hosts",
        "Sorted set: hosts with queued requests, scored by the time (ms) they are next due.",
    )
    leases = FixedKey("leases", "Sorted set: leased request ids, scored by lease deadline (ms).")
    lease_info = FixedKey(
        "leaseinfo", 'Hash: leased request id -> "token|worker|host|queue score".'
    )
    host_active = KeyFamily(
        "active:", "Sorted set: ids being downloaded from one host (per-host concurrency)."
    )
    host_config = KeyFamily(
        "hostcfg:",
        "Hash: per-host politeness: delay_ms and concurrency (site files, seeding) and "
        "crawl_delay_ms (robots.txt).",
    )
    slowed_hosts = FixedKey(
        "slowed", "Hash: host -> the Crawl-delay (s) its robots.txt asks, when over the ceiling."
    )
    host_next = FixedKey(
        "hostnext", "Hash: host -> earliest time (ms) its next request may be handed out."
    )
    attempts = FixedKey(
        "attempts", "Hash: request id -> times its lease expired without an acknowledgement."
    )
    lease_token = FixedKey(
        "token", "Counter: lease tokens, so a stale worker cannot acknowledge a re-leased request."
    )
    host_pages = FixedKey("hostpages", "Hash: host -> pages queued so far (per-host page cap).")
    capped_hosts = FixedKey("capped", "Set: hosts that reached NEWS_MAX_PAGES_PER_HOST.")
    sequence = FixedKey("seq", "Counter: insertion order of requests (FIFO within a priority).")
    seeds = FixedKey(
        "seeds", "Hash: entry-point fingerprint -> id of its queued request (one copy at a time)."
    )
    call_answer = KeyFamily(
        "done:", "String with TTL: the answer of one sync call, returned if it is repeated."
    )
    dead_letters = FixedKey(
        "dead", "List: JSON entries of requests that failed too often or could not be read."
    )

    # --- trap budget ----------------------------------------------------------------
    request_templates = FixedKey(
        "reqtpl", "Hash: queued request id -> its URL template (links only, not seeds)."
    )
    page_yields = FixedKey(
        "yield", "Hash: leased request id -> 1 once a fresh article link was found on it."
    )
    template_misses = KeyFamily(
        "tplmiss:", "Hash: a host's URL template -> fetches in a row without a new article."
    )
    cut_templates = KeyFamily(
        "tplcut:", "Hash: a host's URL templates cut by the trap budget -> when (ms)."
    )
    cut_hosts = FixedKey("cuthosts", "Set: hosts with templates cut by the trap budget.")

    # --- seen-filter ----------------------------------------------------------------
    seen_bloom = KeyFamily(
        "seen:bloom:", "Bitmap: one Bloom filter generation of article fingerprints."
    )
    seen_set = FixedKey(
        "seen:set", "Sorted set: exact fingerprints (NEWS_SEEN_MODE=set), scored by time added."
    )
    seen_pages = FixedKey(
        "seen:pages", "Sorted set: listing-page fingerprints by time, refetched after a TTL."
    )
    seen_count = FixedKey("seen:count", "Counter: fingerprints added (URLs seen, approximately).")

    # --- robots.txt -----------------------------------------------------------------
    robots = KeyFamily(
        "robots:", "String: cached robots.txt of one scheme://host:port (JSON with status)."
    )
    robots_lock = KeyFamily(
        "robots-lock:", "String with TTL: held by the one worker fetching a host's robots.txt."
    )

    # --- workers and statistics -----------------------------------------------------
    workers = FixedKey("workers", "Sorted set: worker id -> last heartbeat (ms).")
    worker = KeyFamily("worker:", "Hash: one worker's published state (host, pid, counters).")
    totals = FixedKey("totals", "Hash: crawl-wide counters (pages, articles, errors, ...).")
    minute = KeyFamily(
        "minute:", "Hash: counters of one wall-clock minute (pages and articles per minute)."
    )

    # --- sites and scheduling -------------------------------------------------------
    sites = FixedKey("sites", "Hash: site name -> JSON of the last seeding (time, entry points).")
    run_lock = FixedKey("run", "String with TTL: held by the one `crawl` job on this frontier.")
    run_info = FixedKey("run-info", "String: JSON of who holds the run lock (host, pid, start).")
    scheduler_leader = FixedKey(
        "schedule-leader",
        "String with TTL: the token of the one `schedule` process that re-seeds (its lease).",
    )
    schedule_ticks = FixedKey(
        "schedule-ticks",
        "Hash: site name -> the last tick (epoch ms, before jitter) the leader seeded or "
        "skipped; claimed atomically with a check of the leader's token.",
    )
    schedule_skipped = FixedKey(
        "schedule-skipped",
        "Hash: site name -> JSON of its last tick skipped for its backlog (tick, backlog, "
        "threshold), until a tick of it is seeded.",
    )

    # --- conditional requests and re-fetches ------------------------------------------
    validators = FixedKey(
        "validators",
        "Hash: feed or sitemap URL -> JSON of the ETag and Last-Modified it last answered with.",
    )
    announced_dates = FixedKey(
        "lastmod",
        "Hash: article fingerprint (8 bytes, hex) and date kind (m: changed, p: published) "
        "-> the latest such date (epoch s) a feed or sitemap announced; a later one queues "
        "the article again.",
    )

    def pattern(self) -> str:
        """Glob matching every key of this prefix (for cleanup)."""
        return f"{self.prefix}:*"
