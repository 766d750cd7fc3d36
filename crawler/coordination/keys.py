"""Every Redis key newscrawl uses, named in one place under one prefix.

Workers, the scheduler, ``status`` and the tests all build key names through ``Keys`` so
that a crawl's whole state lives under ``<prefix>:`` (the ``NEWS_KEY_PREFIX`` setting) and
can be inspected, or removed, as one. The Lua scripts receive the prefix and build the
per-host keys with the same patterns; ``tests/coordination/test_keys.py`` checks that the
two stay in step.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    """Key names under one prefix. Values are JSON strings, never pickle."""

    prefix: str

    # --- frontier -------------------------------------------------------------------
    @property
    def requests(self) -> str:
        """Hash: request id -> request JSON (queued or leased)."""
        return f"{self.prefix}:req"

    def host_queue(self, host: str) -> str:
        """Sorted set: ids of queued requests of one host, scored by priority then age."""
        return f"{self.prefix}:q:{host}"

    @property
    def hosts(self) -> str:
        """Sorted set: hosts with queued requests, scored by the time (ms) they are next due."""
        return f"{self.prefix}:hosts"

    @property
    def leases(self) -> str:
        """Sorted set: leased request ids, scored by lease deadline (ms)."""
        return f"{self.prefix}:leases"

    @property
    def lease_info(self) -> str:
        """Hash: leased request id -> "token|worker|host|queue score"."""
        return f"{self.prefix}:leaseinfo"

    def host_active(self, host: str) -> str:
        """Sorted set: ids being downloaded from one host (for per-host concurrency)."""
        return f"{self.prefix}:active:{host}"

    def host_config(self, host: str) -> str:
        """Hash: per-host politeness: delay_ms and concurrency (site files, seeding) and
        crawl_delay_ms (robots.txt)."""
        return f"{self.prefix}:hostcfg:{host}"

    @property
    def host_next(self) -> str:
        """Hash: host -> earliest time (ms) its next request may be handed out."""
        return f"{self.prefix}:hostnext"

    @property
    def attempts(self) -> str:
        """Hash: request id -> times its lease expired without an acknowledgement."""
        return f"{self.prefix}:attempts"

    @property
    def lease_token(self) -> str:
        """Counter: lease tokens, so a stale worker cannot acknowledge a re-leased request."""
        return f"{self.prefix}:token"

    @property
    def host_pages(self) -> str:
        """Hash: host -> pages queued so far (for the per-host page cap)."""
        return f"{self.prefix}:hostpages"

    @property
    def capped_hosts(self) -> str:
        """Set: hosts that reached NEWS_MAX_PAGES_PER_HOST."""
        return f"{self.prefix}:capped"

    @property
    def sequence(self) -> str:
        """Counter: insertion order of requests (FIFO within a priority)."""
        return f"{self.prefix}:seq"

    @property
    def seeds(self) -> str:
        """Hash: entry-point fingerprint -> id of its queued request (one copy at a time)."""
        return f"{self.prefix}:seeds"

    def call_answer(self, call: str) -> str:
        """String with TTL: the answer of one sync call, returned if the call is repeated."""
        return f"{self.prefix}:done:{call}"

    @property
    def dead_letters(self) -> str:
        """List: JSON entries of requests that failed too often or could not be read."""
        return f"{self.prefix}:dead"

    # --- seen-filter ----------------------------------------------------------------
    def seen_bloom(self, generation: int) -> str:
        """Bitmap: one Bloom filter generation of article fingerprints."""
        return f"{self.prefix}:seen:bloom:{generation}"

    @property
    def seen_set(self) -> str:
        """Sorted set: exact fingerprints (NEWS_SEEN_MODE=set), scored by time added."""
        return f"{self.prefix}:seen:set"

    @property
    def seen_pages(self) -> str:
        """Sorted set: listing-page fingerprints, scored by time, refetched after a TTL."""
        return f"{self.prefix}:seen:pages"

    @property
    def seen_count(self) -> str:
        """Counter: fingerprints added (approximate count of seen URLs)."""
        return f"{self.prefix}:seen:count"

    # --- robots.txt -----------------------------------------------------------------
    def robots(self, netloc: str) -> str:
        """String: cached robots.txt body of one scheme://host:port (JSON with status)."""
        return f"{self.prefix}:robots:{netloc}"

    def robots_lock(self, netloc: str) -> str:
        """String with TTL: held by the one worker fetching robots.txt for a host."""
        return f"{self.prefix}:robots-lock:{netloc}"

    # --- workers and statistics -----------------------------------------------------
    @property
    def workers(self) -> str:
        """Sorted set: worker id -> last heartbeat (ms)."""
        return f"{self.prefix}:workers"

    def worker(self, worker_id: str) -> str:
        """Hash: one worker's published state (host, pid, counters, state)."""
        return f"{self.prefix}:worker:{worker_id}"

    @property
    def totals(self) -> str:
        """Hash: crawl-wide counters (pages, articles, errors, ...)."""
        return f"{self.prefix}:totals"

    def minute(self, minute: int) -> str:
        """Hash: counters of one wall-clock minute (for pages and articles per minute)."""
        return f"{self.prefix}:minute:{minute}"

    # --- sites and scheduling -------------------------------------------------------
    @property
    def sites(self) -> str:
        """Hash: site name -> JSON of the last seeding (time, entry points)."""
        return f"{self.prefix}:sites"

    @property
    def scheduler_leader(self) -> str:
        """String with TTL: the id of the one `schedule` process that re-seeds sites."""
        return f"{self.prefix}:schedule-leader"

    def pattern(self) -> str:
        """Glob matching every key of this prefix (for cleanup)."""
        return f"{self.prefix}:*"
