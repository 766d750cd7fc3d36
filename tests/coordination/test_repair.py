"""Frontier repair against the real Redis: wrong-typed keys, garbage counters and fields."""

from __future__ import annotations

import json

import pytest
import redis

from crawler.coordination.keys import Keys
from crawler.coordination.repair import repair

pytestmark = pytest.mark.integration

ENTRY = json.dumps({"v": 1, "host": "a.test", "request": {"url": "http://a.test/"}})


@pytest.fixture
def client(redis_url):
    c = redis.Redis.from_url(redis_url, decode_responses=True)
    yield c
    c.close()


def test_a_clean_frontier_needs_nothing(client, key_prefix):
    keys = Keys(key_prefix)
    client.hset(keys.requests, "1", ENTRY)
    client.zadd(keys.host_queue("a.test"), {"1": 0})
    client.set(keys.sequence, 1)
    assert repair(client, keys) == []


def test_wrong_types_are_moved_aside_never_deleted(client, key_prefix):
    keys = Keys(key_prefix)
    client.set(keys.hosts, "not a sorted set")
    client.rpush(keys.host_queue("a.test"), "x")
    client.set(keys.capped_hosts, "oops")
    fixes = repair(client, keys)
    assert {f.key for f in fixes} == {keys.hosts, keys.host_queue("a.test"), keys.capped_hosts}
    assert client.type(keys.hosts) == "none"
    quarantined = list(client.scan_iter(match=f"{key_prefix}:quarantine:*"))
    assert len(quarantined) == 3
    assert "not a sorted set" in [client.get(k) for k in quarantined if client.type(k) == "string"]
    letters = [json.loads(x) for x in client.lrange(keys.dead_letters, 0, -1)]
    assert len(letters) == 3 and all(
        letter["reason"].startswith("corrupt key") for letter in letters
    )


def test_garbage_numbers_are_fixed_without_reusing_ids(client, key_prefix):
    keys = Keys(key_prefix)
    client.hset(keys.requests, mapping={"41": ENTRY, "7": ENTRY})
    client.zadd(keys.host_queue("a.test"), {"41": 41, "7": 7})
    client.set(keys.sequence, "forty")
    client.set(keys.lease_token, "x")
    client.hset(keys.attempts, mapping={"41": "2", "7": "many"})
    client.hset(keys.host_pages, "a.test", "lots")
    fixes = repair(client, keys)
    assert len(fixes) == 4
    assert int(client.get(keys.sequence)) == 41  # the next INCR gives 42: no id reused
    assert int(client.get(keys.lease_token)) > 0
    assert client.hgetall(keys.attempts) == {"41": "2"}
    assert client.hgetall(keys.host_pages) == {}


def test_requests_neither_queued_nor_leased_are_requeued_or_dead_lettered(client, key_prefix):
    keys = Keys(key_prefix)
    client.hset(keys.requests, mapping={"5": ENTRY, "6": "garbage", "8": ENTRY})
    client.zadd(keys.leases, {"8": 1})  # leased: left alone
    fixes = repair(client, keys)
    assert sorted(f.action for f in fixes) == ["moved to dead letters", "requeued"]
    assert client.zscore(keys.host_queue("a.test"), "5") is not None
    assert client.hexists(keys.requests, "6") is False
    assert client.zscore(keys.hosts, "a.test") is not None


def test_an_entry_queued_under_another_host_is_not_an_orphan(client, key_prefix):
    # The payload names a.test but sits in b.test's queue (a lying or stale host field):
    # requeueing it under a.test would hand it out twice, and dead-lettering garbage that
    # is queued would dead-letter it twice (once here, once when a worker leases it).
    keys = Keys(key_prefix)
    client.hset(keys.requests, mapping={"5": ENTRY, "6": "garbage"})
    client.zadd(keys.host_queue("b.test"), {"5": 0, "6": 0})
    assert repair(client, keys) == []
    assert client.exists(keys.host_queue("a.test")) == 0
    assert client.llen(keys.dead_letters) == 0
