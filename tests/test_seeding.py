"""Seeding: entry points queued once at a time, politeness recorded, a new cap round."""

from __future__ import annotations

import pytest
import redis

from crawler.coordination.frontier import Frontier
from crawler.coordination.keys import Keys
from crawler.coordination.seen import SeenFilter
from crawler.seeding import seed_site, seed_sites
from crawler.sites import Site

pytestmark = pytest.mark.integration


@pytest.fixture
def frontier(redis_url, key_prefix):
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield Frontier(client, Keys(key_prefix))
    client.close()


def _seed(frontier, site):
    seen = SeenFilter(frontier.keys, "bloom", 1000, 0.01, recrawl_days=0)
    return seed_sites(frontier, seen, [site], default_delay=0.5, default_concurrency=3)


def test_seeding_queues_entry_points_once_and_records_politeness(frontier):
    site = Site(name="a", home="http://a.test/", sections=("/world/",), discover=False, delay=0.25)
    (first,) = _seed(frontier, site)
    assert first.queued == first.entry_points == 3  # home, section, robots.txt
    (again,) = _seed(frontier, site)
    assert again.queued == 0 and again.already_waiting == 3
    assert frontier.host_politeness("a.test") == {"delay_ms": 250, "concurrency": 3}


def test_seeding_starts_a_new_page_cap_round(frontier):
    frontier.client.hset(frontier.keys.host_pages, "a.test", 5000)
    frontier.client.sadd(frontier.keys.capped_hosts, "a.test")
    _seed(frontier, Site(name="a", home="http://a.test/", discover=False))
    assert frontier.client.hget(frontier.keys.host_pages, "a.test") is None
    assert frontier.capped_hosts() == []


def test_a_scheduled_seeding_claims_its_tick_in_the_call_that_pushes(frontier):
    """The claim and the push are one atomic call: only the leader's, once per tick."""
    seen = SeenFilter(frontier.keys, "bloom", 1000, 0.01, recrawl_days=0)
    site = Site(name="a", home="http://a.test/", discover=False)

    def seed(token, tick):
        claim = {"token": token, "site": "a", "tick": tick}
        return seed_site(frontier, seen, site, default_delay=0.5, default_concurrency=3,
                         claim=claim)  # fmt: skip

    keys = frontier.keys
    frontier.client.set(keys.scheduler_leader, "leader", px=60_000)
    frontier.client.hset(keys.schedule_skipped, "a", '{"backlog": 2000}')
    assert seed("standby", 1000).claim == -1  # not the leader: nothing queued
    assert frontier.counts()["queued"] == 0
    first = seed("leader", 1000)
    assert (first.claim, first.queued) == (1, 2)  # home and robots.txt
    assert frontier.client.hget(keys.schedule_ticks, "a") == "1000"
    assert frontier.client.hget(keys.schedule_skipped, "a") is None  # seeded: not skipped
    frontier.client.delete(keys.requests, keys.host_queue("a.test"), keys.seeds)
    assert seed("leader", 1000).claim == 0  # that tick again: nothing queued
    assert frontier.counts()["queued"] == 0
    assert seed("leader", 2000).queued == 2
