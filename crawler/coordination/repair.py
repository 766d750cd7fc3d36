"""Frontier repair: what a worker does when Redis holds data newscrawl did not write.

A key of the wrong type (a list where the queue's sorted set should be), a counter that is
not a number, a non-numeric field in a hash the frontier increments: any of these makes
the sync script fail on every call, which would stall every worker for good. When a sync
fails with a Redis error reply (not a connection error), the worker runs ``repair``: each
key of the prefix is checked against what keys.py says it holds; a wrong-typed key is
renamed aside under ``<prefix>:quarantine:`` (kept for a person to look at, never
deleted), bad hash fields are removed, counters are reset above every id in use, and each
fix is recorded as a dead-letter entry and logged. Then the worker carries on.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass

import redis

from crawler.coordination import codec
from crawler.coordination.keys import Keys

logger = logging.getLogger(__name__)

# The Redis type each fixed key must have (keys.py documents what it holds).
_HASHES = ("requests", "lease_info", "attempts", "host_next", "host_pages", "seeds", "totals")
_MORE_HASHES = (
    "sites",
    "slowed_hosts",
    "request_templates",
    "page_yields",
    "validators",
    "announced_dates",
    "schedule_ticks",
    "schedule_skipped",
)
_FIXED_TYPES = {
    **dict.fromkeys((*_HASHES, *_MORE_HASHES), "hash"),
    **dict.fromkeys(("hosts", "leases", "seen_set", "seen_pages", "workers"), "zset"),
    **dict.fromkeys(("sequence", "lease_token", "seen_count", "scheduler_leader"), "string"),
    "dead_letters": "list",
    **dict.fromkeys(("capped_hosts", "cut_hosts"), "set"),
}
# Per-host and per-worker keys, by the pattern after the prefix.
_PATTERN_TYPES = {
    "q:*": "zset",
    "active:*": "zset",
    "hostcfg:*": "hash",
    "minute:*": "hash",
    "worker:*": "hash",
    "seen:bloom:*": "string",
    "tplmiss:*": "hash",
    "tplcut:*": "hash",
}
# Hashes whose values the script increments or compares as numbers.
_NUMERIC_HASHES = ("attempts", "host_pages", "host_next", "totals")
# Counters: reset above every id in use, so no new request or lease reuses an old id.
_COUNTERS = ("sequence", "lease_token", "seen_count")


@dataclass(frozen=True)
class Fix:
    """One repair: what was wrong and what was done about it."""

    key: str
    problem: str
    action: str


def _is_int(value: str) -> bool:
    try:
        int(value)
    except (TypeError, ValueError):
        return False
    return True


def repair(client: redis.Redis, keys: Keys) -> list[Fix]:
    """Check and fix every key of the prefix; returns what was fixed (logged, dead-lettered)."""
    fixes: list[Fix] = []
    stamp = int(time.time() * 1000)

    def quarantine(key: str, found: str, expected: str) -> None:
        target = f"{keys.prefix}:quarantine:{stamp}:{key.removeprefix(keys.prefix + ':')}"
        client.rename(key, target)
        fixes.append(Fix(key, f"holds a {found}, not a {expected}", f"renamed to {target}"))

    for name, expected in _FIXED_TYPES.items():
        key = getattr(keys, name)
        found = client.type(key)
        if found not in ("none", expected):
            quarantine(key, found, expected)
    for pattern, expected in _PATTERN_TYPES.items():
        for key in client.scan_iter(match=f"{keys.prefix}:{pattern}", count=1000):
            found = client.type(key)
            if found not in ("none", expected):
                quarantine(key, found, expected)

    for name in _NUMERIC_HASHES:
        key = getattr(keys, name)
        if client.type(key) != "hash":
            continue
        for field, value in client.hscan_iter(key, count=1000):
            if not _is_int(value):
                client.hdel(key, field)
                fixes.append(Fix(key, f"field {field!r} is {value[:40]!r}", "field removed"))

    for name in _COUNTERS:
        key = getattr(keys, name)
        value = client.get(key) if client.type(key) == "string" else None
        if value is not None and not _is_int(value):
            floor = _highest_id(client, keys) if name == "sequence" else stamp
            client.set(key, floor)
            fixes.append(Fix(key, f"is {value[:40]!r}, not a number", f"reset to {floor}"))

    fixes += _requeue_orphans(client, keys)

    for fix in fixes:
        logger.error("Corrupt frontier data: %s %s; %s", fix.key, fix.problem, fix.action)
        client.rpush(
            keys.dead_letters,
            json.dumps(
                {
                    "reason": f"corrupt key {fix.key}: {fix.problem}",
                    "action": fix.action,
                    "time": stamp,
                }
            ),
        )
    return fixes


def _highest_id(client: redis.Redis, keys: Keys) -> int:
    """The highest numeric request id in use (so new ids never overwrite queued requests)."""
    highest = 0
    if client.type(keys.requests) == "hash":
        for field, _value in client.hscan_iter(keys.requests, count=1000):
            if _is_int(field):
                highest = max(highest, int(field))
    return highest


def _requeue_orphans(client: redis.Redis, keys: Keys) -> list[Fix]:
    """Requests neither queued nor leased (left by a script that failed half-way): requeue
    them, or move them to the dead letters when they cannot be read.

    "Queued" means in any host's queue, not only the one the payload names: a payload's
    host field is data like any other and may be wrong, and requeueing an entry that is
    already queued elsewhere would hand it out twice."""
    if client.type(keys.requests) != "hash":
        return []
    queued = _queued_ids(client, keys)
    fixes = []
    for request_id, payload in client.hscan_iter(keys.requests, count=1000):
        if request_id in queued or client.zscore(keys.leases, request_id) is not None:
            continue
        try:
            host = codec.entry_host(payload)
        except codec.RequestDecodeError:
            host = None
        if host is None:
            entry = {"reason": "unreadable queue entry found by repair",
                     "time": int(time.time() * 1000), "payload": payload[:10000]}  # fmt: skip
            client.rpush(keys.dead_letters, json.dumps(entry))
            client.hdel(keys.requests, request_id)
            fixes.append(Fix(f"{keys.requests}[{request_id}]", "is unreadable and not queued",
                             "moved to dead letters"))  # fmt: skip
            continue
        client.zadd(
            keys.host_queue(host), {request_id: int(request_id) if _is_int(request_id) else 0}
        )
        client.zadd(keys.hosts, {host: 0}, nx=True)
        fixes.append(
            Fix(f"{keys.requests}[{request_id}]", "was neither queued nor leased", "requeued")
        )
    return fixes


def _queued_ids(client: redis.Redis, keys: Keys) -> set[str]:
    """Every request id in some host's queue (repair is rare, so one full pass is fine)."""
    queued: set[str] = set()
    for queue_key in client.scan_iter(match=keys.host_queue("*"), count=1000):
        if client.type(queue_key) == "zset":
            queued.update(member for member, _score in client.zscan_iter(queue_key, count=1000))
    return queued
