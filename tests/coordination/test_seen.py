"""The seen-filter: Bloom sizing and positions, and its behaviour inside the real frontier."""

from __future__ import annotations

import json

import pytest
from scrapy.http import Request

from crawler.coordination import codec
from crawler.coordination.keys import Keys
from crawler.coordination.seen import (
    BloomShape,
    RecentLinksFilter,
    SeenFilter,
    request_fingerprint,
)

T0 = 1_800_000_000_000  # a fixed "now" in ms; the script takes time from its caller
DAY_MS = 86_400_000


# --- Bloom shape and positions (no Redis) ---------------------------------------------------


def test_shape_for_a_million_urls_at_one_in_a_thousand():
    shape = BloomShape.for_capacity(1_000_000, 0.001)
    assert shape.hashes == 10
    assert shape.bits / 8 / 1_000_000 <= 2.0  # bytes per URL
    # no smaller than the textbook optimum m = -n ln p / (ln 2)^2 = 14,377,588 bits
    assert shape.bits >= 14_377_588


def test_shape_grows_with_capacity_and_precision():
    loose = BloomShape.for_capacity(20_000, 0.01)
    assert loose.hashes in (6, 7, 8)  # the optimum k = -log2(0.01) = 6.6
    assert BloomShape.for_capacity(40_000, 0.01).bits > loose.bits
    assert BloomShape.for_capacity(20_000, 0.001).bits > loose.bits


@pytest.mark.parametrize(("capacity", "rate"), [(0, 0.01), (-1, 0.01), (10, 0), (10, 1), (10, 1.5)])
def test_shape_rejects_nonsense(capacity, rate):
    with pytest.raises(ValueError):
        BloomShape.for_capacity(capacity, rate)


def test_shape_refuses_more_than_one_redis_string():
    with pytest.raises(ValueError, match="NEWS_SEEN_CAPACITY"):
        BloomShape.for_capacity(10_000_000_000, 0.0001)


def test_positions_are_deterministic_distinct_and_in_range():
    shape = BloomShape.for_capacity(1_000, 0.01)
    fp = request_fingerprint(Request("https://news.example/a"))
    positions = shape.positions(fp)
    assert positions == shape.positions(fp)
    assert positions == BloomShape(shape.bits, shape.hashes).positions(fp)
    assert len(positions) == shape.hashes
    assert all(0 <= p < shape.bits for p in positions)
    other = shape.positions(request_fingerprint(Request("https://news.example/b")))
    assert other != positions
    for i in range(200):
        ps = shape.positions(request_fingerprint(Request(f"https://news.example/{i}")))
        assert all(0 <= p < shape.bits for p in ps)


def test_fingerprint_uses_the_canonical_url_method_and_body():
    fp = request_fingerprint
    assert fp(Request("https://news.example/a?utm_source=x#f")) == fp(
        Request("https://NEWS.example/a")
    )
    assert fp(Request("https://news.example/a")) != fp(
        Request("https://news.example/a", method="POST")
    )
    assert fp(Request("https://news.example/a", method="POST", body=b"1")) != fp(
        Request("https://news.example/a", method="POST", body=b"2")
    )
    assert len(fp(Request("https://news.example/a"))) == 16


def test_script_options_bloom_without_recrawl():
    keys = Keys("p")
    seen = SeenFilter(keys, mode="bloom", capacity=100, error_rate=0.01, recrawl_days=0)
    options = seen.script_options(T0)
    assert options["mode"] == "bloom"
    assert options["keys"] == ["p:seen:bloom:0"]
    assert options["expire_s"] == 0
    assert options == seen.script_options(T0 + 1000 * DAY_MS)


def test_script_options_generations_change_with_time():
    keys = Keys("p")
    seen = SeenFilter(keys, mode="bloom", capacity=100, error_rate=0.01, recrawl_days=1)
    generation = T0 // DAY_MS
    now = seen.script_options(T0)
    assert now["keys"] == [keys.seen_bloom(generation), keys.seen_bloom(generation - 1)]
    assert now["expire_s"] == 2 * 86_400 + 60
    same_day = seen.script_options((generation + 1) * DAY_MS - 1)
    assert same_day["keys"] == now["keys"]
    next_day = seen.script_options((generation + 1) * DAY_MS)
    assert next_day["keys"] == [keys.seen_bloom(generation + 1), keys.seen_bloom(generation)]


def test_push_fields_by_mode():
    keys = Keys("p")
    request = Request("https://news.example/a")
    fp = request_fingerprint(request).hex()
    bloom = SeenFilter(keys, mode="bloom", capacity=100, error_rate=0.01, recrawl_days=0)
    assert bloom.push_fields(request) == {
        "bits": bloom.shape.positions(request_fingerprint(request))
    }
    exact = SeenFilter(keys, mode="set", capacity=100, error_rate=0.01, recrawl_days=2)
    assert exact.push_fields(request) == {"fp": fp, "set": "set", "ttl": 2 * DAY_MS}
    listing = bloom.push_fields(request, listing=True)
    assert listing == {"fp": fp, "set": "pages", "ttl": 30 * 60_000}


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="NEWS_SEEN_MODE"):
        SeenFilter(Keys("p"), mode="list", capacity=100, error_rate=0.01, recrawl_days=0)


def test_recent_links_filter_skips_what_this_worker_queued_within_its_ttl(monkeypatch):
    from crawler.coordination import seen as seen_module

    now = [0.0]
    monkeypatch.setattr(seen_module.time, "monotonic", lambda: now[0])
    links = RecentLinksFilter(capacity=2, article_ttl=100.0, listing_ttl=10.0)
    article = Request("https://news.example/a")
    listing = Request("https://news.example/world/", meta={"news": {"kind": "listing"}})
    assert links.request_seen(article) is False
    assert links.request_seen(listing) is False
    assert links.request_seen(article) is True and links.request_seen(listing) is True
    now[0] = 11.0  # the listing's TTL is over: it may be pushed again
    assert links.request_seen(listing) is False
    assert links.request_seen(article) is True
    assert links.skipped == 3
    links.request_seen(Request("https://news.example/c"))  # capacity 2: the oldest goes
    assert links.request_seen(article) is False
    links.clear()
    assert links.request_seen(Request("https://news.example/c")) is False


# --- against the real Redis -----------------------------------------------------------------


def _entries(seen, urls):
    entries = []
    for url in urls:
        request = Request(url)
        payload = codec.encode_request(request)
        entry = {"host": json.loads(payload)["host"], "score": 0, "payload": payload}
        entry.update(seen.push_fields(request))
        entries.append(entry)
    return entries


def _push_all(frontier, seen, urls, *, at=T0, batch=1000):
    pushed = []
    for start in range(0, len(urls), batch):
        chunk = urls[start : start + batch]
        result = frontier.sync(
            {"push": _entries(seen, chunk), "seen": seen.script_options(at)}, at_ms=at
        )
        pushed += result.pushed
    return pushed


@pytest.mark.integration
@pytest.mark.timeout(300)
def test_bloom_false_positive_rate_is_as_promised(frontier):
    keys = frontier.keys
    seen = SeenFilter(keys, mode="bloom", capacity=20_000, error_rate=0.01, recrawl_days=0)
    inserted = [f"https://fp{i % 50}.example/article/{i}" for i in range(20_000)]
    first = _push_all(frontier, seen, inserted)
    # while filling, only false positives are reported as seen
    assert sum(first) > 20_000 * 0.98
    # every inserted URL is now seen (no false negatives)
    assert not any(_push_all(frontier, seen, inserted[::20]))
    # Ask about 20,000 never-seen URLs at capacity. A push also inserts, which would fill
    # the filter to twice its capacity while measuring; so each batch of 1,000 writes into
    # a scratch generation of its own (the script sets bits in the first key only) while
    # reading the full filter, whose rate is what is measured.
    full = seen.script_options(T0)["keys"][0]
    never_seen = [f"https://fp{i % 50}.example/other/{i}" for i in range(20_000)]
    reported_seen = 0
    for batch, start in enumerate(range(0, len(never_seen), 1000)):
        options = {"mode": "bloom", "keys": [f"{keys.prefix}:seen:bloom:scratch{batch}", full]}
        result = frontier.sync(
            {"push": _entries(seen, never_seen[start : start + 1000]), "seen": options}, at_ms=T0
        )
        reported_seen += result.pushed.count(False)
    # deterministic (fixed URLs, fixed hashes): about 1 %, and not 0, which would mean the
    # full filter was not read
    assert 0 < reported_seen / len(never_seen) < 0.02
    assert int(frontier.client.get(keys.seen_count)) == sum(first) + len(never_seen) - reported_seen


@pytest.mark.integration
@pytest.mark.timeout(120)
def test_set_mode_is_exact(frontier):
    seen = SeenFilter(frontier.keys, mode="set", capacity=1000, error_rate=0.01, recrawl_days=0)
    urls = [f"https://exact.example/{i}" for i in range(5000)]
    assert all(_push_all(frontier, seen, urls))
    others = [f"https://exact.example/x{i}" for i in range(5000)]
    assert all(_push_all(frontier, seen, others))  # no false positives at all
    assert not any(_push_all(frontier, seen, urls[::7]))
    assert frontier.client.zcard(frontier.keys.seen_set) == 10_000
    # without a recrawl period, a URL is never fresh again
    assert not any(_push_all(frontier, seen, urls[:10], at=T0 + 1000 * DAY_MS))


@pytest.mark.integration
def test_set_mode_recrawl_ttl(frontier):
    seen = SeenFilter(frontier.keys, mode="set", capacity=1000, error_rate=0.01, recrawl_days=1)
    url = ["https://ttl.example/a"]
    assert _push_all(frontier, seen, url, at=T0) == [True]
    assert _push_all(frontier, seen, url, at=T0 + DAY_MS - 1) == [False]
    assert _push_all(frontier, seen, url, at=T0 + DAY_MS) == [True]
    # re-added at T0 + 1 day: seen again until a day after that
    assert _push_all(frontier, seen, url, at=T0 + DAY_MS + 1) == [False]
    assert _push_all(frontier, seen, url, at=T0 + 2 * DAY_MS) == [True]


@pytest.mark.integration
def test_set_mode_prunes_expired_fingerprints(frontier):
    seen = SeenFilter(frontier.keys, mode="set", capacity=1000, error_rate=0.01, recrawl_days=1)
    _push_all(frontier, seen, ["https://prune.example/old"], at=T0)
    _push_all(frontier, seen, ["https://prune.example/new"], at=T0 + DAY_MS + 10)
    members = frontier.client.zrange(frontier.keys.seen_set, 0, -1)
    assert members == [request_fingerprint(Request("https://prune.example/new")).hex()]


@pytest.mark.integration
def test_bloom_recrawl_generations(frontier):
    seen = SeenFilter(frontier.keys, mode="bloom", capacity=1000, error_rate=0.001, recrawl_days=1)
    start = (T0 // DAY_MS) * DAY_MS + 1000  # just after a generation began
    url = ["https://gen.example/a"]
    assert _push_all(frontier, seen, url, at=start) == [True]
    assert _push_all(frontier, seen, url, at=start + DAY_MS // 2) == [False]
    # the next generation still reads the previous one
    assert _push_all(frontier, seen, url, at=start + DAY_MS) == [False]
    # two generations later the URL is fresh again (remembered for one to two periods)
    later = start + 2 * DAY_MS
    assert _push_all(frontier, seen, ["https://gen.example/b"], at=start) == [True]
    assert _push_all(frontier, seen, ["https://gen.example/b"], at=later) == [True]
    ttl = frontier.client.ttl(seen.script_options(later)["keys"][0])
    assert 0 < ttl <= 2 * 86_400 + 60


@pytest.mark.integration
def test_listing_pages_are_refetched_after_their_ttl(frontier):
    seen = SeenFilter(frontier.keys, mode="bloom", capacity=1000, error_rate=0.01,
                      recrawl_days=0, listing_refresh_minutes=10)  # fmt: skip

    def push_listing(at):
        request = Request("https://list.example/section/")
        entry = {"host": "list.example", "score": 0, "payload": codec.encode_request(request)}
        entry.update(seen.push_fields(request, listing=True))
        return frontier.sync({"push": [entry], "seen": seen.script_options(at)}, at_ms=at).pushed

    assert push_listing(T0) == [True]
    assert push_listing(T0 + 10 * 60_000 - 1) == [False]
    assert push_listing(T0 + 10 * 60_000) == [True]
