"""Queue poison: a worker meets garbage in Redis, keeps it for the operator, and carries on."""

from __future__ import annotations

import json

import pytest
import redis

from crawler.coordination.frontier import Frontier
from crawler.coordination.keys import Keys
from crawler.urls import host_of
from tests.crawltools import common_args, seed, start_worker, stored
from tests.demo_site.server import DemoSite

pytestmark = [pytest.mark.integration, pytest.mark.crawl]

POISON = {
    "9000001": "garbage that is not JSON",
    "9000002": '{"v": 1, "host": "x", "request": {"url": "http://trunc',
    "9000003": json.dumps(
        {"v": 1, "host": "x", "request": {"url": "http://x/", "_class": "os.system"}}
    ),
    "9000004": json.dumps(
        {"v": 1, "host": "x", "request": {"url": "http://x/", "pad": "A" * 2_000_000}}
    ),
    "9000005": json.dumps(["a", "list"]),
}


def test_worker_survives_poisoned_entries_and_corrupt_keys(redis_url, key_prefix, tmp_path):
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    keys = Keys(key_prefix)
    db_url = f"sqlite:///{tmp_path / 'a.db'}"
    with DemoSite(host="127.0.0.12", port=0) as site:
        args = [
            *common_args(redis_url, db_url, key_prefix, tmp_path / "data"),
            "-s",
            "DOWNLOAD_DELAY=0",
        ]
        seed([site.base_url], args, tmp_path)
        host = host_of(site.base_url)
        # garbage entries at the head of the site's queue
        client.hset(keys.requests, mapping=POISON)
        client.zadd(keys.host_queue(host), {k: -1e12 for k in POISON})
        # and keys that no longer hold what the script expects
        client.set(keys.capped_hosts, "not a set")
        client.hset(keys.attempts, "9000001", "NaN")
        client.set(keys.lease_token, "zzz")
        log = tmp_path / "w.log"
        worker = start_worker(
            *args, "-s", "NEWS_EXIT_WHEN_DRAINED=true", "--allow-private", cwd=tmp_path, log=log
        )
        assert worker.wait(timeout=180) == 0
    text = log.read_text()
    assert "Traceback" not in text
    assert "Corrupt frontier data" in text and "Unreadable queue entry" in text
    assert len(stored(db_url)) == 30
    letters = Frontier(client, keys).dead_letters(1000)
    reasons = " | ".join(letter["reason"] for letter in letters)
    assert reasons.count("unreadable queue entry") == len(POISON), reasons
    assert "oversized entry" in reasons and "not allowed" in reasons
    assert "corrupt key" in reasons
    assert list(client.scan_iter(match=f"{key_prefix}:quarantine:*"))
