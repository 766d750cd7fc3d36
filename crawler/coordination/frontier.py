"""The shared frontier in Redis: per-host queues, leases, politeness and dead letters.

``Frontier`` is the Python face of ``lua/sync.lua``: every worker interaction (push the
links a page yielded, acknowledge finished pages, free host slots, lease new requests,
requeue expired leases, publish counters and a heartbeat) is one atomic script call, one
round trip. It also does the rest of the frontier's writes (seeding a site, per-host
politeness, requeueing dead letters) and answers the read-only questions of ``status``.
It knows nothing of Scrapy beyond the JSON entries it stores.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import redis

from crawler.coordination.keys import Keys


def lua_source(name: str) -> str:
    """The text of one of the frontier's Lua files (crawler/coordination/lua/)."""
    return resources.files("crawler.coordination").joinpath(f"lua/{name}").read_text("utf-8")


# The seen-filter's functions live in their own file, prepended to the script.
_SYNC_SCRIPT = lua_source("seen.lua") + "\n" + lua_source("sync.lua")
# Requeued dead letters go behind fresh discoveries: they failed before.
_REQUEUE_SCORE = 0


def now_ms() -> int:
    """Wall-clock milliseconds: the time base of every deadline in the frontier."""
    return int(time.time() * 1000)


@dataclass(frozen=True)
class Lease:
    """A request handed to this worker: acknowledge it with ``id`` and ``token``."""

    id: str
    token: str
    host: str
    payload: str


@dataclass
class SyncResult:
    """What one sync call did and what the frontier looks like afterwards."""

    pushed: list[bool] = field(default_factory=list)
    leased: list[Lease] = field(default_factory=list)
    stale: int = 0
    # Links refused, and queued requests dropped, because the trap budget cut their template.
    cut: int = 0
    queued_total: int = 0
    leased_total: int = 0
    next_due_ms: int | None = None
    next_expiry_ms: int | None = None
    # Redis's clock when the call ran: every deadline above is on that clock.
    now_ms: int = 0
    # A scheduled seeding's claim of its tick (ops "claim"): 1 claimed (or none asked), 0
    # that tick was seeded already, -1 the caller does not lead; unless 1, nothing was done.
    claim: int = 1

    @property
    def drained(self) -> bool:
        return self.queued_total <= 0 and self.leased_total <= 0


def _as_list(value: Any) -> list[Any]:
    # cjson encodes an empty Lua table as {}: read it as an empty list.
    return value if isinstance(value, list) else []


class Frontier:
    """Redis-side frontier operations for one key prefix."""

    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.client = client
        self.keys = keys
        self._script = client.register_script(_SYNC_SCRIPT)
        self.round_trips = 0

    def sync(self, ops: dict[str, Any], at_ms: int | None = None) -> SyncResult:
        """Run one sync call (see lua/sync.lua for the fields of ``ops``)."""
        # 0: the script takes Redis's clock (tests pass a fixed time)
        at_ms = 0 if at_ms is None else at_ms
        raw = self._script(args=[self.keys.prefix, at_ms, json.dumps(ops, separators=(",", ":"))])
        self.round_trips += 1
        data = json.loads(raw)
        next_due = data.get("next_due", -1)
        next_expiry = data.get("next_expiry", -1)
        return SyncResult(
            pushed=[bool(x) for x in _as_list(data.get("pushed"))],
            leased=[Lease(*entry) for entry in _as_list(data.get("leased"))],
            stale=int(data.get("stale", 0)),
            cut=int(data.get("cut", 0)),
            queued_total=int(data.get("queued_total", 0)),
            leased_total=int(data.get("leased_total", 0)),
            next_due_ms=None if next_due < 0 else int(next_due),
            next_expiry_ms=None if next_expiry < 0 else int(next_expiry),
            now_ms=int(data.get("now", 0)),
            claim=int(data.get("claim", 1)),
        )

    # --- politeness configuration ----------------------------------------------------------
    def set_host_politeness(
        self, host: str, delay_s: float | None = None, concurrency: int | None = None
    ) -> None:
        """Per-host delay and concurrency (site files, robots.txt Crawl-delay)."""
        mapping: dict[str, int] = {}
        if delay_s is not None:
            mapping["delay_ms"] = round(delay_s * 1000)
        if concurrency is not None:
            mapping["concurrency"] = int(concurrency)
        if mapping:
            self.client.hset(self.keys.host_config(host), mapping=mapping)

    def set_crawl_delay(self, host: str, seconds: float, asked: float | None = None) -> None:
        """robots.txt Crawl-delay of a host (the frontier uses the larger of it and the delay);
        ``asked`` is what robots.txt asked for when it was over the ceiling."""
        pipe = self.client.pipeline(transaction=True)
        pipe.hset(self.keys.host_config(host), "crawl_delay_ms", round(seconds * 1000))
        if asked is None:
            pipe.hdel(self.keys.slowed_hosts, host)
        else:
            pipe.hset(self.keys.slowed_hosts, host, asked)
        pipe.execute()

    def slowed_hosts(self) -> dict[str, str]:
        """Hosts whose robots.txt asks for a Crawl-delay over the ceiling: host -> seconds."""
        return self.client.hgetall(self.keys.slowed_hosts)

    def hold_host(self, host: str, seconds: float) -> None:
        """Hand out nothing for ``host`` during the next ``seconds`` (it was just contacted)."""
        self.sync({"hold": [{"host": host, "ms": round(seconds * 1000)}]})

    def host_politeness(self, host: str) -> dict[str, int]:
        return {k: int(v) for k, v in self.client.hgetall(self.keys.host_config(host)).items()}

    # --- seeding -------------------------------------------------------------------------------
    def start_round(self, host: str) -> None:
        """A new round for ``host`` (seeding its site starts one): its page count for
        NEWS_MAX_PAGES_PER_HOST and its trap budget start afresh."""
        pipe = self.client.pipeline(transaction=True)
        pipe.hdel(self.keys.host_pages, host)
        pipe.srem(self.keys.capped_hosts, host)
        pipe.delete(self.keys.template_misses(host), self.keys.cut_templates(host))
        pipe.srem(self.keys.cut_hosts, host)
        pipe.execute()

    def cut_templates(self) -> dict[str, list[str]]:
        """Per host, the URL templates the trap budget has cut in this round."""
        cut = {}
        for host in sorted(self.client.smembers(self.keys.cut_hosts)):
            templates = sorted(self.client.hkeys(self.keys.cut_templates(host)))
            if templates:
                cut[host] = templates
        return cut

    def record_seeding(self, site: str, info: dict[str, Any]) -> None:
        """What the last seeding of ``site`` did, for ``status``."""
        self.client.hset(self.keys.sites, site, json.dumps(info))

    # --- read-only views for status ----------------------------------------------------------
    def workers(self) -> list[tuple[str, float, dict[str, str]]]:
        """Every worker that sent a heartbeat: (id, last heartbeat in ms, published fields)."""
        beats = self.client.zrange(self.keys.workers, 0, -1, withscores=True)
        pipe = self.client.pipeline(transaction=False)
        for worker_id, _ in beats:
            pipe.hgetall(self.keys.worker(worker_id))
        infos = pipe.execute() if beats else []
        return [(w, ms, info) for (w, ms), info in zip(beats, infos, strict=True)]

    def totals(self) -> dict[str, str]:
        """Crawl-wide counters as published (values unparsed)."""
        return self.client.hgetall(self.keys.totals)

    def minute_counters(self, minutes: range) -> list[dict[str, str]]:
        """The counters of each wall-clock minute in ``minutes`` (values unparsed)."""
        pipe = self.client.pipeline(transaction=False)
        for minute in minutes:
            pipe.hgetall(self.keys.minute(minute))
        return pipe.execute()

    def seedings(self) -> dict[str, str]:
        """Site name -> JSON of its last seeding."""
        return self.client.hgetall(self.keys.sites)

    def queued_per_host(self) -> dict[str, int]:
        """Queued requests per host, for every host that has some."""
        hosts = self.client.zrange(self.keys.hosts, 0, -1)
        pipe = self.client.pipeline(transaction=False)
        for host in hosts:
            pipe.zcard(self.keys.host_queue(host))
        return {host: int(n) for host, n in zip(hosts, pipe.execute(), strict=True) if n}

    def leased_per_worker(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for info in self.client.hvals(self.keys.lease_info):
            parts = info.split("|")
            if len(parts) >= 2:
                counts[parts[1]] = counts.get(parts[1], 0) + 1
        return counts

    def counts(self) -> dict[str, int]:
        """Totals: queued, leased, dead letters, approximately seen, capped hosts."""
        pipe = self.client.pipeline(transaction=False)
        pipe.hlen(self.keys.requests)
        pipe.zcard(self.keys.leases)
        pipe.llen(self.keys.dead_letters)
        pipe.get(self.keys.seen_count)
        pipe.scard(self.keys.capped_hosts)
        total, leased, dead, seen, capped = pipe.execute()
        return {
            "queued": int(total) - int(leased),
            "leased": int(leased),
            "dead": int(dead),
            "seen": int(seen) if seen and str(seen).isdigit() else 0,
            "capped_hosts": int(capped),
        }

    def capped_hosts(self) -> list[str]:
        return sorted(self.client.smembers(self.keys.capped_hosts))

    # --- dead letters --------------------------------------------------------------------------
    def dead_letters(self, limit: int = 100) -> list[dict[str, Any]]:
        """The oldest ``limit`` dead-letter entries, parsed (unreadable ones shown raw)."""
        entries = []
        for raw in self.client.lrange(self.keys.dead_letters, 0, limit - 1):
            try:
                entry = json.loads(raw)
                if not isinstance(entry, dict):
                    raise ValueError("not an object")
            except ValueError:
                entry = {"reason": "unreadable dead-letter entry", "raw": raw[:200]}
            entries.append(entry)
        return entries

    def requeue_dead_letters(self, limit: int, readable: Any) -> tuple[int, int]:
        """Put the requests of the oldest ``limit`` dead letters back into the queues.

        ``readable(payload)`` returns the host of a request entry, raising ``ValueError`` for
        one that cannot be requeued; those are kept at the end of the list. Returns
        (requeued, kept). At-least-once: interrupted between the push and the trim, a
        request may be queued twice, never lost. Requeued requests bypass the seen-filter
        (their URLs are marked seen).
        """
        raw_entries = self.client.lrange(self.keys.dead_letters, 0, max(0, limit - 1))
        pushes, unreadable = [], []
        for raw in raw_entries:
            try:
                payload = json.loads(raw)["payload"]
                host = readable(payload)
            except (ValueError, KeyError, TypeError):
                unreadable.append(raw)
                continue
            pushes.append({"host": host, "score": _REQUEUE_SCORE, "payload": payload})
        if pushes:
            self.sync({"push": pushes})
        pipe = self.client.pipeline(transaction=True)
        pipe.ltrim(self.keys.dead_letters, len(raw_entries), -1)
        if unreadable:
            pipe.rpush(self.keys.dead_letters, *unreadable)
        pipe.execute()
        return len(pushes), len(unreadable)

    def clear(self) -> int:
        """Delete every key of this prefix (tests, the demo); returns how many were removed."""
        removed = 0
        batch: list[str] = []
        for key in self.client.scan_iter(match=self.keys.pattern(), count=1000):
            batch.append(key)
            if len(batch) >= 1000:
                removed += self.client.unlink(*batch)
                batch.clear()
        if batch:
            removed += self.client.unlink(*batch)
        return removed
