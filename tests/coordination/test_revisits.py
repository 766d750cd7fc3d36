"""Fetching again only what changed, in the sync script: announced dates and validators."""

from __future__ import annotations

import json

import pytest
from scrapy.http import Request

from crawler.coordination import codec
from crawler.coordination.revisits import (
    VALIDATORS_META,
    Validators,
    announced_fields,
    validator_fields,
    validators_of,
)

pytestmark = pytest.mark.integration

T0 = 1_800_000_000_000
URL = "https://news.example/2027/01/15/story"


def announced(seen, lastmod, url=URL, kind="lastmod"):
    news = {"kind": "article"} if lastmod is None else {"kind": "article", kind: lastmod}
    request = Request(url, meta={"news": news})
    payload = codec.encode_request(request)
    entry = {"host": json.loads(payload)["host"], "score": 0, "payload": payload}
    entry.update(seen.push_fields(request))
    entry.update(announced_fields(request))
    return entry


def pushed(frontier, seen, entry, **ops):
    return frontier.sync({"push": [entry], "seen": seen.script_options(T0), **ops}, at_ms=T0)


def test_a_seen_article_is_queued_again_only_when_its_announced_date_moves_forward(frontier, seen):
    assert pushed(frontier, seen, announced(seen, 1000)).pushed == [True]
    assert pushed(frontier, seen, announced(seen, 1000)).pushed == [False]  # the same date
    assert pushed(frontier, seen, announced(seen, 900)).pushed == [False]  # an older one
    assert pushed(frontier, seen, announced(seen, None)).pushed == [False]  # none
    assert pushed(frontier, seen, announced(seen, 2000)).pushed == [True]  # moved forward
    assert pushed(frontier, seen, announced(seen, 2000)).pushed == [False]  # once


def test_an_article_seen_before_its_date_was_known_takes_the_date_as_its_baseline(frontier, seen):
    assert pushed(frontier, seen, announced(seen, None)).pushed == [True]
    assert pushed(frontier, seen, announced(seen, 1000)).pushed == [False]  # baseline
    assert pushed(frontier, seen, announced(seen, 1001)).pushed == [True]


def test_dates_of_change_and_of_publication_are_never_compared(frontier, seen):
    # a news sitemap's publication date, then an article sitemap's later lastmod of the
    # same page: not a move, only the first date of each kind
    assert pushed(frontier, seen, announced(seen, 1000, kind="pubdate")).pushed == [True]
    assert pushed(frontier, seen, announced(seen, 5000, kind="lastmod")).pushed == [False]
    assert pushed(frontier, seen, announced(seen, 1000, kind="pubdate")).pushed == [False]
    assert pushed(frontier, seen, announced(seen, 6000, kind="lastmod")).pushed == [True]
    assert pushed(frontier, seen, announced(seen, 1001, kind="pubdate")).pushed == [True]


def test_a_moved_article_refused_by_the_page_cap_keeps_its_old_date(frontier, seen):
    other = "https://news.example/2027/01/15/other"
    assert pushed(frontier, seen, announced(seen, 1000)).pushed == [True]
    assert pushed(frontier, seen, announced(seen, 1, url=other), max_pages=1).pushed == [True]
    # the host's round is full: the move is refused, and tried again next round
    assert pushed(frontier, seen, announced(seen, 2000), max_pages=1).pushed == [False]
    assert pushed(frontier, seen, announced(seen, 2000)).pushed == [True]


def test_validators_are_kept_with_the_acknowledgement_of_their_page(frontier, seen):
    feed = "https://news.example/feed.xml"
    request = Request(feed, meta={"news": {"kind": "feed"}})
    payload = codec.encode_request(request)
    frontier.sync({"push": [{"host": "news.example", "score": 0, "payload": payload}]}, at_ms=T0)
    ops = {"n": 1, "worker": "w", "lease_ms": 60_000, "delay_ms": 0, "concurrency": 1, "scan": 8}
    lease = frontier.sync({"lease": ops}, at_ms=T0).leased[0]
    validators = Validators(frontier.client, frontier.keys)
    request.meta[VALIDATORS_META] = {"etag": '"v1"'}
    stale = {"id": lease.id, "token": "0", **validator_fields(request)}
    frontier.sync({"ack": [stale]}, at_ms=T0)
    assert validators.of(feed) == {}  # not the holder of the lease: nothing kept
    ack = {"id": lease.id, "token": lease.token, **validator_fields(request)}
    frontier.sync({"ack": [ack]}, at_ms=T0)
    assert validators.of(feed) == {"etag": '"v1"'}


def test_only_printable_validators_of_reasonable_size_are_kept(frontier):
    assert validators_of({"etag": '"abc"', "last_modified": None}) == {"etag": '"abc"'}
    assert validators_of({"etag": "x" * 201, "last_modified": "a\nb"}) is None
    frontier.client.hset(frontier.keys.validators, "u", "not json")
    frontier.client.hset(frontier.keys.validators, "v", '{"etag": 5, "other": "x"}')
    assert Validators(frontier.client, frontier.keys).of("u") == {}
    assert Validators(frontier.client, frontier.keys).of("v") == {}
