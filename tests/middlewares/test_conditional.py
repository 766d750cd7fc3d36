"""ConditionalRequestsMiddleware on its own: which requests carry validators, what is kept."""

from __future__ import annotations

import json

import fakeredis
from scrapy.http import Request, Response
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.coordination.keys import Keys
from crawler.coordination.revisits import VALIDATORS_META, Validators
from crawler.middlewares.conditional import ConditionalRequestsMiddleware

FEED = "https://news.example/feed.xml"


def middleware(kept: dict[str, str] | None = None) -> ConditionalRequestsMiddleware:
    client = fakeredis.FakeRedis(decode_responses=True)
    keys = Keys("t")
    if kept:
        client.hset(keys.validators, FEED, json.dumps(kept))
    return ConditionalRequestsMiddleware(
        Validators(client, keys), MemoryStatsCollector(get_crawler())
    )


def request(kind: str, url: str = FEED) -> Request:
    return Request(url, meta={"news": {"kind": kind}})


def test_a_feed_is_fetched_with_the_validators_kept_for_it():
    mw = middleware({"etag": '"v1"', "last_modified": "Fri, 15 Jan 2027 08:00:00 GMT"})
    feed = request("feed")
    mw.process_request(feed)
    assert feed.headers[b"If-None-Match"] == b'"v1"'
    assert feed.headers[b"If-Modified-Since"] == b"Fri, 15 Jan 2027 08:00:00 GMT"
    assert 304 in feed.meta["handle_httpstatus_list"]


def test_pages_and_first_fetches_are_unconditional():
    mw = middleware({"etag": '"v1"'})
    article = request("article")
    mw.process_request(article)
    first = request("sitemap", "https://news.example/other.xml")
    mw.process_request(first)
    for sent in (article, first):
        assert b"If-None-Match" not in sent.headers
        assert "handle_httpstatus_list" not in sent.meta


def test_a_full_response_leaves_its_validators_for_the_acknowledgement():
    mw = middleware()
    sitemap = request("sitemap")
    headers = {"ETag": '"v2"', "Last-Modified": "Sat, 16 Jan 2027 08:00:00 GMT"}
    mw.process_response(sitemap, Response(FEED, status=200, headers=headers))
    assert sitemap.meta[VALIDATORS_META] == {
        "etag": '"v2"',
        "last_modified": "Sat, 16 Jan 2027 08:00:00 GMT",
    }
    page = request("home")
    mw.process_response(page, Response(FEED, status=200, headers=headers))
    assert VALIDATORS_META not in page.meta


def test_a_304_is_counted_and_passed_on():
    mw = middleware({"etag": '"v1"'})
    feed = request("feed")
    mw.process_request(feed)
    response = Response(FEED, status=304)
    assert mw.process_response(feed, response) is response
    assert mw.stats.get_value("newscrawl/not_modified") == 1
    assert VALIDATORS_META not in feed.meta
