"""Seen-filter memory and false-positive rate at 1M URLs: Bloom vs exact set vs scrapy-redis.

Runs the production check-and-add Lua (crawler/coordination/lua/seen.lua, through
``Frontier.check_seen``) against a real Redis under a throwaway key prefix:

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

from crawler.coordination.frontier import Frontier
from crawler.coordination.keys import Keys
from crawler.coordination.seen import SeenFilter

BATCH = 5000


def article_url(i: int, salt: str) -> str:
    # Shaped like real news URLs: a section, a date and a slug.
    return (
        f"https://news{i % 97}.example/world/2026/11/{1 + i % 28:02d}/story-{salt}-{i}-about-things"
    )


def fill(frontier: Frontier, seen: SeenFilter, n: int, salt: str) -> float:
    options = seen.script_options()
    started = time.perf_counter()
    for start in range(0, n, BATCH):
        entries = [
            seen.push_fields(Request(article_url(i, salt)))
            for i in range(start, min(n, start + BATCH))
        ]
        frontier.check_seen(entries, options)
    return time.perf_counter() - started


def probe(frontier: Frontier, seen: SeenFilter, m: int, salt: str) -> int:
    """How many of m never-added URLs the filter calls seen (looked up, not added)."""
    options = seen.script_options()
    false_positives = 0
    for start in range(0, m, BATCH):
        entries = [
            seen.push_fields(Request(article_url(i, salt)))
            for i in range(start, min(m, start + BATCH))
        ]
        checked = frontier.check_seen(entries, options, add=False)
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
    results: dict[str, object] = {
        "urls": args.urls,
        "probes": args.probes,
        "error_rate": args.error_rate,
    }
    try:
        bloom = SeenFilter(keys, "bloom", args.urls, args.error_rate, recrawl_days=0)
        results["bloom_fill_s"] = round(fill(frontier, bloom, args.urls, "a"), 1)
        bloom_bytes = sum(client.memory_usage(k) or 0 for k in bloom.memory_keys())
        results["bloom_bytes"] = bloom_bytes
        results["bloom_bytes_per_url"] = round(bloom_bytes / args.urls, 3)
        results["bloom_bits"] = bloom.shape.bits
        results["bloom_hashes"] = bloom.shape.hashes
        fps = probe(frontier, bloom, args.probes, "b")
        results["bloom_false_positives"] = fps
        results["bloom_false_positive_rate"] = round(fps / args.probes, 6)

        exact = SeenFilter(keys, "set", args.urls, args.error_rate, recrawl_days=0)
        results["set_fill_s"] = round(fill(frontier, exact, args.urls, "a"), 1)
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
