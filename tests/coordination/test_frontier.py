"""The frontier's sync script against the real Redis: leases, politeness, fairness, losses."""

from __future__ import annotations

import json

import pytest
from scrapy.http import Request

from crawler.coordination import codec

pytestmark = pytest.mark.integration

T0 = 1_800_000_000_000  # a fixed "now" in ms; the script takes time from its caller


def entry(seen, url, *, priority=0, seed=False, dont_filter=False):
    request = Request(url, priority=priority, dont_filter=dont_filter)
    payload = codec.encode_request(request)
    e = {"host": json.loads(payload)["host"], "score": -priority, "payload": payload}
    if seed:
        from crawler.coordination.seen import request_fingerprint

        e["seed"] = request_fingerprint(request).hex()
        e.update(seen.push_fields(request, listing=True))
    elif not dont_filter:
        e.update(seen.push_fields(request))
    return e


def push(frontier, seen, *entries, at=T0):
    return frontier.sync({"push": list(entries), "seen": seen.script_options(at)}, at_ms=at)


def lease(frontier, n, *, at=T0, delay_ms=0, concurrency=8, worker="w1", lease_ms=60_000):
    ops = {"lease": {"n": n, "worker": worker, "lease_ms": lease_ms, "delay_ms": delay_ms,
                     "concurrency": concurrency, "scan": 64}}  # fmt: skip
    return frontier.sync(ops, at_ms=at)


def urls(result):
    return [json.loads(x.payload)["request"]["url"] for x in result.leased]


def test_push_lease_ack_drains(frontier, seen):
    result = push(frontier, seen, entry(seen, "http://a.test/1"), entry(seen, "http://a.test/2"))
    assert result.pushed == [True, True]
    assert result.queued_total == 2
    got = lease(frontier, 5)
    assert urls(got) == ["http://a.test/1", "http://a.test/2"]
    assert got.leased_total == 2 and got.queued_total == 0 and not got.drained
    acks = [{"id": x.id, "token": x.token} for x in got.leased]
    done = frontier.sync({"ack": acks}, at_ms=T0)
    assert done.drained


def test_seen_filter_drops_repeats_but_not_dont_filter(frontier, seen):
    push(frontier, seen, entry(seen, "http://a.test/x"))
    again = push(frontier, seen, entry(seen, "http://a.test/x"),
                 entry(seen, "http://a.test/x", dont_filter=True))  # fmt: skip
    assert again.pushed == [False, True]


def test_priority_then_fifo(frontier, seen):
    push(frontier, seen, entry(seen, "http://a.test/low1"), entry(seen, "http://a.test/high", priority=50),
         entry(seen, "http://a.test/low2"))  # fmt: skip
    assert urls(lease(frontier, 3)) == [
        "http://a.test/high",
        "http://a.test/low1",
        "http://a.test/low2",
    ]


def test_delay_is_shared_by_all_workers(frontier, seen):
    push(frontier, seen, *(entry(seen, f"http://a.test/{i}") for i in range(3)))
    assert len(lease(frontier, 3, delay_ms=1000, worker="w1").leased) == 1
    assert len(lease(frontier, 3, at=T0 + 500, delay_ms=1000, worker="w2").leased) == 0
    assert len(lease(frontier, 3, at=T0 + 1000, delay_ms=1000, worker="w2").leased) == 1


def test_delay_survives_an_empty_queue(frontier, seen):
    push(frontier, seen, entry(seen, "http://a.test/1"))
    assert len(lease(frontier, 1, delay_ms=1000).leased) == 1
    push(frontier, seen, entry(seen, "http://a.test/2"), at=T0 + 100)
    assert len(lease(frontier, 1, at=T0 + 200, delay_ms=1000).leased) == 0
    assert len(lease(frontier, 1, at=T0 + 1000, delay_ms=1000).leased) == 1


def test_concurrency_per_host_and_release(frontier, seen):
    push(frontier, seen, *(entry(seen, f"http://a.test/{i}") for i in range(5)))
    first = lease(frontier, 5, concurrency=2)
    assert len(first.leased) == 2
    assert len(lease(frontier, 5, concurrency=2, worker="w2").leased) == 0
    released = first.leased[0]
    frontier.sync({"release": [{"id": released.id, "token": "stale"}]}, at_ms=T0)
    assert len(lease(frontier, 5, concurrency=2, worker="w2").leased) == 0  # wrong token: no
    frontier.sync({"release": [{"id": released.id, "token": released.token}]}, at_ms=T0)
    assert len(lease(frontier, 5, concurrency=2, worker="w2").leased) == 1


def test_host_config_overrides_defaults(frontier, seen):
    frontier.set_host_politeness("a.test", delay_s=0, concurrency=1)
    push(frontier, seen, *(entry(seen, f"http://a.test/{i}") for i in range(3)))
    assert len(lease(frontier, 3, concurrency=8).leased) == 1


def test_crawl_delay_only_slows_down(frontier, seen):
    frontier.set_host_politeness("a.test", delay_s=0.5)
    frontier.set_crawl_delay("a.test", 2.0)
    push(frontier, seen, *(entry(seen, f"http://a.test/{i}") for i in range(2)))
    assert len(lease(frontier, 2).leased) == 1
    assert len(lease(frontier, 2, at=T0 + 1500).leased) == 0
    assert len(lease(frontier, 2, at=T0 + 2000).leased) == 1


def test_hosts_are_served_fairly(frontier, seen):
    push(frontier, seen, *(entry(seen, f"http://big.test/{i}") for i in range(20)))
    push(frontier, seen, entry(seen, "http://small.test/1"), at=T0 + 1)
    hosts = []
    for step in range(4):
        got = lease(frontier, 1, at=T0 + 10 + step)
        hosts += [x.host for x in got.leased]
    assert "small.test" in hosts[:2]


def test_expired_lease_requeued_then_dead_lettered(frontier, seen):
    push(frontier, seen, entry(seen, "http://a.test/1"))
    expire = {"expire": {"max_attempts": 2, "limit": 10}}
    lease(frontier, 1, lease_ms=1000)
    after = frontier.sync(expire, at_ms=T0 + 1001)
    assert after.queued_total == 1 and after.leased_total == 0
    lease(frontier, 1, at=T0 + 2000, lease_ms=1000)
    dead = frontier.sync(expire, at_ms=T0 + 3001)
    assert dead.queued_total == 0 and dead.leased_total == 0
    letters = frontier.dead_letters()
    assert len(letters) == 1 and "lease expired 2 times" in letters[0]["reason"]


def test_stale_ack_is_ignored(frontier, seen):
    push(frontier, seen, entry(seen, "http://a.test/1"))
    old = lease(frontier, 1, lease_ms=1000).leased[0]
    frontier.sync({"expire": {"max_attempts": 5, "limit": 10}}, at_ms=T0 + 1001)
    new = lease(frontier, 1, at=T0 + 1002, worker="w2").leased[0]
    assert new.id == old.id and new.token != old.token
    stale = frontier.sync({"ack": [{"id": old.id, "token": old.token}]}, at_ms=T0 + 1003)
    assert stale.stale == 1 and stale.leased_total == 1


def test_handback_returns_request_without_an_attempt(frontier, seen):
    push(frontier, seen, entry(seen, "http://a.test/1"))
    got = lease(frontier, 1).leased[0]
    back = frontier.sync({"handback": [{"id": got.id, "token": got.token}]}, at_ms=T0)
    assert back.queued_total == 1 and back.leased_total == 0
    assert frontier.client.hget(frontier.keys.attempts, got.id) is None


def test_seed_bypasses_filter_but_waits_once(frontier, seen):
    home = entry(seen, "http://a.test/", seed=True)
    assert push(frontier, seen, home).pushed == [True]
    assert push(frontier, seen, entry(seen, "http://a.test/", seed=True)).pushed == [False]
    got = lease(frontier, 1).leased[0]
    frontier.sync({"ack": [{"id": got.id, "token": got.token}]}, at_ms=T0)
    assert push(frontier, seen, entry(seen, "http://a.test/", seed=True)).pushed == [True]
    # a link to the home page is not queued while the seed is remembered as a listing
    link = Request("http://a.test/")
    fields = {"host": "a.test", "score": 0, "payload": codec.encode_request(link)}
    fields.update(seen.push_fields(link, listing=True))
    assert push(frontier, seen, fields).pushed == [False]


def test_page_cap_per_host(frontier, seen):
    entries = [entry(seen, f"http://a.test/{i}") for i in range(5)]
    result = frontier.sync({"push": entries, "seen": seen.script_options(T0), "max_pages": 3},
                           at_ms=T0)  # fmt: skip
    assert result.pushed == [True, True, True, False, False]
    assert frontier.capped_hosts() == ["a.test"]


def test_dead_op_and_counts(frontier, seen):
    push(frontier, seen, entry(seen, "http://a.test/1"))
    got = lease(frontier, 1).leased[0]
    frontier.sync({"dead": [{"id": got.id, "token": got.token,
                             "entry": json.dumps({"reason": "HTTP 500", "payload": got.payload})}]},
                  at_ms=T0)  # fmt: skip
    counts = frontier.counts()
    assert counts["dead"] == 1 and counts["queued"] == 0 and counts["leased"] == 0


def test_stats_and_heartbeat(frontier):
    frontier.sync({"stats": {"pages": 3, "articles": 1},
                   "heartbeat": {"worker": "w1", "fields": {"state": "running"}, "ttl_s": 60}},
                  at_ms=T0)  # fmt: skip
    keys = frontier.keys
    assert frontier.client.hgetall(keys.totals) == {"pages": "3", "articles": "1"}
    assert frontier.client.hget(keys.worker("w1"), "state") == "running"
    assert frontier.client.zscore(keys.workers, "w1") == T0


def test_workers_share_a_hosts_slots(frontier, seen):
    push(frontier, seen, *(entry(seen, f"http://a.test/{i}") for i in range(8)))
    for worker in ("w1", "w2"):
        frontier.sync({"heartbeat": {"worker": worker, "fields": {}, "ttl_s": 60}}, at_ms=T0)

    def lease_alive(worker):
        ops = {"lease": {"n": 8, "worker": worker, "lease_ms": 60_000, "delay_ms": 0,
                         "concurrency": 4, "scan": 64, "alive_ms": 30_000}}  # fmt: skip
        return frontier.sync(ops, at_ms=T0 + 1)

    assert len(lease_alive("w1").leased) == 2  # half of 4 while two workers are alive
    assert len(lease_alive("w1").leased) == 0
    assert len(lease_alive("w2").leased) == 2
    # alone, a worker may use every slot
    assert len(lease(frontier, 8, concurrency=4, worker="w3").leased) == 0  # host is full


def test_garbage_politeness_values_fall_back_to_the_defaults(frontier, seen):
    frontier.client.hset(frontier.keys.host_config("a.test"),
                         mapping={"delay_ms": "soon", "concurrency": "[]", "crawl_delay_ms": "x"})  # fmt: skip
    frontier.client.hset(frontier.keys.host_next, "a.test", "later")
    push(frontier, seen, *(entry(seen, f"http://a.test/{i}") for i in range(3)))
    assert len(lease(frontier, 3, concurrency=2).leased) == 2


def test_a_repeated_call_returns_its_first_answer_and_changes_nothing(frontier, seen):
    ops = {"push": [entry(seen, "http://a.test/1", dont_filter=True)], "seen": seen.script_options(T0),
           "lease": {"n": 1, "worker": "w1", "lease_ms": 60_000, "delay_ms": 0, "concurrency": 2,
                     "scan": 64},
           "call": "w1:1"}  # fmt: skip
    first = frontier.sync(ops, at_ms=T0)
    again = frontier.sync(ops, at_ms=T0 + 5)
    assert again == first
    counts = frontier.counts()
    assert counts["queued"] + counts["leased"] == 1  # pushed once, leased once


def test_a_capped_page_is_not_marked_seen(frontier, seen):
    entries = [entry(seen, f"http://a.test/{i}") for i in range(3)]
    capped = frontier.sync({"push": entries, "seen": seen.script_options(T0), "max_pages": 2},
                           at_ms=T0)  # fmt: skip
    assert capped.pushed == [True, True, False]
    frontier.client.hdel(frontier.keys.host_pages, "a.test")  # a new round (re-seeding)
    later = frontier.sync({"push": [entries[2]], "seen": seen.script_options(T0), "max_pages": 2},
                          at_ms=T0)  # fmt: skip
    assert later.pushed == [True]


def test_hosts_behind_the_scan_window_get_their_turn(frontier, seen):
    for i in range(3):
        push(frontier, seen, entry(seen, f"http://h{i}.test/a"), entry(seen, f"http://h{i}.test/b"),
             at=T0 + i)  # fmt: skip
    ops = {"lease": {"n": 1, "worker": "w1", "lease_ms": 60_000, "delay_ms": 0, "concurrency": 1,
                     "scan": 2, "full_backoff_ms": 500}}  # fmt: skip
    hosts = [frontier.sync(ops, at_ms=T0 + 10 + k).leased for k in range(3)]
    # h0 and h1 fill up (one slot each) and step back; h2, third in line, is reached
    assert {x.host for got in hosts for x in got} == {"h0.test", "h1.test", "h2.test"}


def test_the_script_uses_redis_time_by_default(frontier, seen):
    push(frontier, seen, entry(seen, "http://a.test/1"), at=0)
    got = lease(frontier, 1, at=0)
    server_ms = int(frontier.client.time()[0]) * 1000
    assert abs(got.now_ms - server_ms) < 5000
    assert got.leased and abs(frontier.client.zscore(frontier.keys.leases, got.leased[0].id)
                              - (got.now_ms + 60_000)) < 1000  # fmt: skip
