"""The trap budget: templates that keep giving no new article are cut, per host, in Redis.

The sync script's side runs against the real Redis with a fixed clock (as in
test_frontier.py); the worker's side (which fields a link and an acknowledgement carry, and
the spider middleware that stamps them) without one.
"""

from __future__ import annotations

import json

from scrapy.http import HtmlResponse, Request

from crawler.coordination import codec
from crawler.coordination.seen import request_fingerprint
from crawler.coordination.trap_budget import (
    STORED_META,
    VIA_META,
    TrapBudgetMiddleware,
    budget_fields,
    outcome_fields,
)
from crawler.urls import url_template

T0 = 1_800_000_000_000
BUDGET = 3
CALENDAR = "/archive/{n}/{n}/{n}/"


def entry(seen, url, *, via=None, art=False, seed=False):
    request = Request(url)
    payload = codec.encode_request(request)
    e = {"host": "a.test", "score": 0, "payload": payload, **seen.push_fields(request)}
    if seed:
        e["seed"] = request_fingerprint(request).hex()
    else:
        e["tpl"] = url_template(url)
    if via:
        e.update(via=via, art=art)
    return e


def push(frontier, seen, *entries):
    ops = {"push": list(entries), "seen": seen.script_options(T0), "budget": BUDGET}
    return frontier.sync(ops, at_ms=T0)


def lease_all(frontier):
    ops = {"lease": {"n": 50, "worker": "w", "lease_ms": 60_000, "delay_ms": 0,
                     "concurrency": 50, "scan": 64}}  # fmt: skip
    return frontier.sync(ops, at_ms=T0).leased


def ack(frontier, leased, **fields):
    acks = []
    for lease in leased:
        url = json.loads(lease.payload)["request"]["url"]
        acks.append({"id": lease.id, "token": lease.token, "tpl": url_template(url), **fields})
    return frontier.sync({"ack": acks, "budget": BUDGET}, at_ms=T0)


def day(n):
    return f"http://a.test/archive/2026/01/{n:02d}/"


def test_a_template_is_cut_after_its_budget_of_fetches_without_a_new_article(frontier, seen):
    push(frontier, seen, *(entry(seen, day(n)) for n in range(1, BUDGET + 1)))
    ack(frontier, lease_all(frontier))  # three calendar pages, nothing new on any
    assert frontier.cut_templates() == {"a.test": [CALENDAR]}
    refused = push(
        frontier, seen, entry(seen, day(20)), entry(seen, "http://a.test/2026/01/20/a-story")
    )
    assert refused.pushed == [False, True] and refused.cut == 1
    # an entry point is never cut
    assert push(frontier, seen, entry(seen, day(21), seed=True)).pushed == [True]


def test_requests_queued_before_the_cut_are_dropped_at_lease(frontier, seen):
    push(frontier, seen, *(entry(seen, day(n)) for n in range(1, 10)))
    leased = lease_all(frontier)
    first, rest = leased[:BUDGET], leased[BUDGET:]
    handback = [{"id": x.id, "token": x.token} for x in rest]
    frontier.sync({"handback": handback}, at_ms=T0)  # back in the queue, not fetched
    ack(frontier, first)
    later = frontier.sync({"lease": {"n": 50, "worker": "w", "lease_ms": 60_000, "delay_ms": 0,
                                     "concurrency": 50, "scan": 64}}, at_ms=T0)  # fmt: skip
    assert later.leased == [] and later.cut == 9 - BUDGET
    assert later.queued_total == 0 and later.leased_total == 0


def test_a_page_that_finds_a_new_article_earns_its_template_back(frontier, seen):
    push(frontier, seen, *(entry(seen, day(n)) for n in range(1, BUDGET + 2)))
    pages = lease_all(frontier)
    ack(frontier, pages[: BUDGET - 1])  # two misses in a row
    fresh = push(
        frontier,
        seen,
        entry(seen, "http://a.test/2026/01/03/new-story", via=pages[BUDGET - 1].id, art=True),
    )
    assert fresh.pushed == [True]
    ack(frontier, [pages[BUDGET - 1]])  # found a new article: the count starts again
    ack(frontier, [pages[BUDGET]])
    assert frontier.cut_templates() == {}


def test_a_known_article_link_earns_nothing(frontier, seen):
    push(frontier, seen, entry(seen, "http://a.test/2026/01/01/known-story"))
    push(frontier, seen, *(entry(seen, day(n)) for n in range(1, BUDGET + 1)))
    pages = [x for x in lease_all(frontier) if "archive" in x.payload]
    again = push(frontier, seen, *(entry(seen, "http://a.test/2026/01/01/known-story", via=p.id, art=True)
                                   for p in pages))  # fmt: skip
    assert again.pushed == [False] * BUDGET
    ack(frontier, pages)
    assert frontier.cut_templates() == {"a.test": [CALENDAR]}


def test_a_stored_article_credits_the_page_that_linked_it(frontier, seen):
    push(
        frontier,
        seen,
        *(entry(seen, f"http://a.test/world/?page={n}") for n in range(2, 2 + BUDGET)),
    )
    listings = lease_all(frontier)
    ack(frontier, listings[: BUDGET - 1])
    push(frontier, seen, entry(seen, "http://a.test/x/9"))
    (story,) = lease_all(frontier)[-1:]
    ack(frontier, [story], new=True, via_host="a.test", via_tpl="/{w}/?page={n}")
    ack(frontier, listings[BUDGET - 1 :])
    assert frontier.cut_templates() == {}


def test_seeding_a_site_starts_a_new_round(frontier, seen):
    push(frontier, seen, *(entry(seen, day(n)) for n in range(1, BUDGET + 1)))
    ack(frontier, lease_all(frontier))
    assert frontier.cut_templates()
    frontier.start_round("a.test")
    assert frontier.cut_templates() == {}
    assert push(frontier, seen, entry(seen, day(25))).pushed == [True]


def test_no_budget_cuts_nothing(frontier, seen):
    push(frontier, seen, *(entry(seen, day(n)) for n in range(1, 8)))
    leased = lease_all(frontier)
    acks = [{"id": x.id, "token": x.token, "tpl": CALENDAR} for x in leased]
    frontier.sync({"ack": acks, "budget": 0}, at_ms=T0)
    assert frontier.cut_templates() == {}


# --- the worker's side ---------------------------------------------------------------------


def test_fields_of_a_link_and_of_an_acknowledgement():
    link = Request("http://a.test/2026/01/02/a-story", meta={
        "news": {"kind": "article"}, VIA_META: ["17", "a.test", CALENDAR]})  # fmt: skip
    assert budget_fields(link) == {"tpl": "/{n}/{n}/{n}/{s}", "via": "17", "art": True}
    assert budget_fields(Request("http://a.test/tag/x/")) == {"tpl": "/tag/{w}/"}
    assert outcome_fields(link) == {"tpl": "/{n}/{n}/{n}/{s}"}
    link.meta[STORED_META] = True
    assert outcome_fields(link) == {"tpl": "/{n}/{n}/{n}/{s}", "new": True, "via_host": "a.test",
                                    "via_tpl": CALENDAR}  # fmt: skip


def test_the_middleware_stamps_links_with_their_page_and_marks_stored_pages():
    page = Request("http://a.test/archive/2026/01/01/", meta={"_lease": ["42", "t"]})
    response = HtmlResponse(page.url, body=b"<html></html>", request=page)
    middleware = TrapBudgetMiddleware()
    out = list(
        middleware.process_spider_output(response, [Request("http://a.test/x"), {"item": 1}])
    )
    assert out[0].meta[VIA_META] == ["42", "a.test", CALENDAR] and out[1] == {"item": 1}
    middleware.item_scraped({"item": 1}, response)
    assert page.meta[STORED_META] is True
    assert STORED_META not in json.loads(codec.encode_request(page))["request"]["meta"]


def test_the_query_variants_of_one_path_share_a_family_budget(frontier, seen):
    facets = ["?sort=new", "?order=asc&sort=new", "?filter=week"]  # three templates
    push(frontier, seen, *(entry(seen, f"http://a.test/city/{f}") for f in facets))
    ack(frontier, lease_all(frontier))
    assert frontier.cut_templates() == {"a.test": ["/{w}/?*"]}
    refused = push(frontier, seen, entry(seen, "http://a.test/city/?order=desc"))
    assert refused.pushed == [False] and refused.cut == 1
    # the path itself, without a query, is another template
    assert push(frontier, seen, entry(seen, "http://a.test/city/")).pushed == [True]
