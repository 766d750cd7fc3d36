"""Seen-filter memory and false-positive rate at 1M URLs: Bloom vs exact set vs scrapy-redis.

Runs the production check-and-add Lua (crawler/coordination/lua/seen.lua, the very functions
the frontier's sync script runs, driven here by a few lines of benchmark-only Lua) against a
real Redis under a throwaway key prefix:

1. adds N distinct article URLs to the Bloom filter (``NEWS_SEEN_MODE=bloom``), and to the
   exact fingerprint set (``NEWS_SEEN_MODE=set``), measuring ``MEMORY USAGE`` of each;
2. looks up M other, never-added URLs in the Bloom filter (without adding them): every one
   reported as seen is a false positive;
3. for reference, stores the same N URLs the way scrapy-redis's RFPDupeFilter does
   (SHA1 hex strings in a set).

Usage: python benchmarks/seen_filter.py [--urls 1000000] [--probes 1000000]
                                        [--redis redis://127.0.0.1:6379/0]
Results are written by hand into benchmarks/frontier.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
import uuid

import redis
from scrapy.http import Request

from crawler.coordination.frontier import Frontier, lua_source
from crawler.coordination.keys import Keys
from crawler.coordination.seen import SeenFilter

BATCH = 5000
# Benchmark-only driver of seen.lua: check (and unless "add" is false, add) a batch of push
# entries without queueing anything; returns a JSON list, true where the entry was new.
_DRIVER = """
local prefix = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ops = cjson.decode(ARGV[2])
local fresh = {}
for i, p in ipairs(ops.entries) do
  fresh[i] = seen_check_and_add(prefix, now, ops.seen, p, ops.add)
end
seen_maintain(prefix, now, ops.seen)
return cjson.encode(fresh)
"""


class SeenChecker:
    """Runs seen.lua's check-and-add on batches of entries, outside any queue."""

    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.keys = keys
        self.script = client.register_script(lua_source("seen.lua") + "\n" + _DRIVER)

    def check(self, entries: list[dict], seen: dict, *, add: bool = True) -> list[bool]:
        ops = json.dumps({"entries": entries, "seen": seen, "add": add})
        return [bool(x) for x in json.loads(self.script(args=[self.keys.prefix, ops]))]


def article_url(i: int, salt: str) -> str:
    # Shaped like real news URLs: a section, a date and a slug.
    return (
        f"https://news{i % 97}.example/world/2026/11/{1 + i % 28:02d}/story-{salt}-{i}-about-things"
    )


def fill(checker: SeenChecker, seen: SeenFilter, n: int, salt: str) -> float:
    options = seen.script_options()
    started = time.perf_counter()
    for start in range(0, n, BATCH):
        entries = [
            seen.push_fields(Request(article_url(i, salt)))
            for i in range(start, min(n, start + BATCH))
        ]
        checker.check(entries, options)
    return time.perf_counter() - started


def probe(checker: SeenChecker, seen: SeenFilter, m: int, salt: str) -> int:
    """How many of m never-added URLs the filter calls seen (looked up, not added)."""
    options = seen.script_options()
    false_positives = 0
    for start in range(0, m, BATCH):
        entries = [
            seen.push_fields(Request(article_url(i, salt)))
            for i in range(start, min(m, start + BATCH))
        ]
        checked = checker.check(entries, options, add=False)
        false_positives += sum(not fresh for fresh in checked)
    return false_positives


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1_000_000)
    parser.add_argument("--probes", type=int, default=1_000_000)
    parser.add_argument("--error-rate", type=float, default=0.001)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    args = parser.parse_args()
    client = redis.Redis.from_url(args.redis, decode_responses=True)
    prefix = f"bench-seen-{uuid.uuid4().hex[:8]}"
    keys = Keys(prefix)
    frontier = Frontier(client, keys)
    checker = SeenChecker(client, keys)
    results: dict[str, object] = {
        "urls": args.urls,
        "probes": args.probes,
        "error_rate": args.error_rate,
    }
    try:
        bloom = SeenFilter(keys, "bloom", args.urls, args.error_rate, recrawl_days=0)
        results["bloom_fill_s"] = round(fill(checker, bloom, args.urls, "a"), 1)
        bloom_bytes = sum(client.memory_usage(k) or 0 for k in bloom.memory_keys())
        results["bloom_bytes"] = bloom_bytes
        results["bloom_bytes_per_url"] = round(bloom_bytes / args.urls, 3)
        results["bloom_bits"] = bloom.shape.bits
        results["bloom_hashes"] = bloom.shape.hashes
        fps = probe(checker, bloom, args.probes, "b")
        results["bloom_false_positives"] = fps
        results["bloom_false_positive_rate"] = round(fps / args.probes, 6)

        exact = SeenFilter(keys, "set", args.urls, args.error_rate, recrawl_days=0)
        results["set_fill_s"] = round(fill(checker, exact, args.urls, "a"), 1)
        set_bytes = client.memory_usage(keys.seen_set) or 0
        results["set_bytes"] = set_bytes
        results["set_bytes_per_url"] = round(set_bytes / args.urls, 1)

        # scrapy-redis RFPDupeFilter: SADD of a 40-character SHA1 hex digest per request.
        reference = f"{prefix}:scrapy-redis-dupefilter"
        for start in range(0, args.urls, BATCH):
            pipe = client.pipeline(transaction=False)
            for i in range(start, min(args.urls, start + BATCH)):
                pipe.sadd(reference, hashlib.sha1(article_url(i, "a").encode()).hexdigest())
            pipe.execute()
        sr_bytes = client.memory_usage(reference) or 0
        results["scrapy_redis_bytes_per_url"] = round(sr_bytes / args.urls, 1)
    finally:
        frontier.clear()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
