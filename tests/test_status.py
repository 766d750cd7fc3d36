"""status reads a crawl's state without ever failing on what it finds in Redis."""

from __future__ import annotations

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
    client.zadd(keys.workers, {"w1": 1})
    client.hset(keys.worker("w1"), mapping={"state": "running", "pid": "x", "pages": "?"})
    status = gather(Frontier(client, keys), redis_url, 30.0, seen_capacity=10)
    assert status["totals"] == {"pages": 0, "articles": 7}
    assert status["seen_approx"] == 0
    assert status["workers"][0]["pid"] == 0 and status["workers"][0]["alive"] is False
    assert "workers alive: 0 of 1" in format_status(status)


def test_password_of_the_url_is_masked(redis_url, key_prefix):
    frontier = Frontier(redis.Redis.from_url(redis_url, decode_responses=True), Keys(key_prefix))
    status = gather(frontier, "redis://:s3cret@127.0.0.1:6379/0", 30.0)
    assert "s3cret" not in format_status(status) and "s3cret" not in str(status)
