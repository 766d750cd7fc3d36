"""status reads a crawl's state without ever failing on what it finds in Redis."""

from __future__ import annotations

import json

import pytest
import redis

from crawler.coordination.frontier import Frontier
from crawler.coordination.keys import Keys
from crawler.status import format_status, gather

pytestmark = pytest.mark.integration


def test_status_of_an_empty_prefix(redis_url, key_prefix):
    frontier = Frontier(redis.Redis.from_url(redis_url, decode_responses=True), Keys(key_prefix))
    status = gather(frontier, redis_url, 30.0)
    assert status["queued"] == status["leased"] == status["dead_letters"] == 0
    assert status["workers"] == [] and status["per_minute"] == {"pages": 0.0, "articles": 0.0}


def test_garbage_counters_and_worker_fields_read_as_zero(redis_url, key_prefix):
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    keys = Keys(key_prefix)
    client.hset(keys.totals, mapping={"pages": "lots", "articles": "7"})
    client.set(keys.seen_count, "∞")
    client.zadd(keys.workers, {"w1": 1})  # a heartbeat in 1970: silent, not yet forgotten here
    client.hset(keys.worker("w1"), mapping={"state": "running", "pid": "x", "pages": "?"})
    status = gather(Frontier(client, keys), redis_url, 30.0, seen_capacity=10,
                    forget_after_s=float("inf"))  # fmt: skip
    assert status["totals"] == {"pages": 0, "articles": 7}
    assert status["seen_approx"] == 0
    assert status["workers"][0]["pid"] == 0 and status["workers"][0]["alive"] is False
    assert "workers alive: 0 of 1" in format_status(status)


def test_redis_text_reaches_the_terminal_without_escape_codes(redis_url, key_prefix):
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    keys = Keys(key_prefix)
    hostile = "\x1b[2J\x1b]0;owned\x07\u202e"
    client.zadd(keys.workers, {f"w{hostile}\nworkers alive: 9 of 9": 1})
    client.hset(keys.worker(f"w{hostile}\nworkers alive: 9 of 9"), mapping={"state": hostile})
    client.zadd(keys.hosts, {f"evil{hostile}.example": 0})
    client.zadd(keys.host_queue(f"evil{hostile}.example"), {"1": 0})
    client.sadd(keys.capped_hosts, f"capped{hostile}\r.example")
    status = gather(Frontier(client, keys), redis_url, 30.0)
    shown = format_status(status)
    assert not any((ord(c) < 0x20 and c != "\n") or 0x7F <= ord(c) < 0xA0 for c in shown)
    assert "\u202e" not in shown
    assert "workers alive: 9 of 9" not in shown.splitlines()  # no forged line
    assert "  evil.example" in shown and "capped .example" in shown
    # --json keeps the data as it is, every control character escaped by json.dumps
    dumped = json.dumps(status, indent=2)
    assert "\x1b" not in dumped and "\u202e" not in dumped
    assert json.loads(dumped)["capped_hosts"] == [f"capped{hostile}\r.example"]


def test_password_of_the_url_is_masked(redis_url, key_prefix):
    frontier = Frontier(redis.Redis.from_url(redis_url, decode_responses=True), Keys(key_prefix))
    status = gather(frontier, "redis://:s3cret@127.0.0.1:6379/0", 30.0)
    assert "s3cret" not in format_status(status) and "s3cret" not in str(status)


def test_workers_gone_for_a_while_are_not_listed(redis_url, key_prefix):
    import time

    client = redis.Redis.from_url(redis_url, decode_responses=True)
    keys = Keys(key_prefix)
    now_ms = time.time() * 1000
    client.zadd(keys.workers, {"recent": now_ms - 60_000, "long-gone": now_ms - 3_600_000})
    for worker in ("recent", "long-gone"):
        client.hset(keys.worker(worker), mapping={"state": "running"})
    status = gather(Frontier(client, keys), redis_url, 30.0, forget_after_s=600.0)
    assert [w["id"] for w in status["workers"]] == ["recent"]
    assert "workers alive: 0 of 1" in format_status(status)
