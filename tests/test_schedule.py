"""The scheduler on an injected clock: which ticks it seeds, once, and which it skips.

Real Redis (the leader lease and the tick claim are Lua scripts), no sleeping: the tests
move the clock and call ``step()``. Leader failover on a real clock, with processes, is in
tests/test_schedule_processes.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import redis

from crawler.coordination.frontier import Frontier
from crawler.coordination.keys import Keys
from crawler.coordination.leader import LeaderLease
from crawler.coordination.schedule_book import ScheduleBook
from crawler.schedule import ScheduleOptions, SiteScheduler
from crawler.seeding import SeedReport
from crawler.sites import Site
from crawler.status import format_status, gather
from crawler.ticks import jitter_of

pytestmark = pytest.mark.integration

T0 = datetime(2027, 1, 15, 8, 0, tzinfo=UTC).timestamp()
EVERY_MINUTE = Site(name="minutely", home="http://minutely.example/", every_minutes=1)
CRON = Site(name="cronned", home="http://cronned.example/", cron="*/5 * * * *")
NO_JITTER = ScheduleOptions(lease_s=30, jitter_s=0, max_backlog=1000)


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Harness:
    """Schedulers on one frontier and one clock, recording what they seed."""

    def __init__(self, client: redis.Redis, keys: Keys, clock: Clock) -> None:
        self.client = client
        self.keys = keys
        self.clock = clock
        self.seeded: list[tuple[str, str, float]] = []

    def scheduler(
        self,
        token: str,
        sites: list[Site],
        options: ScheduleOptions,
        client: redis.Redis | None = None,
    ) -> SiteScheduler:
        client = client or self.client

        book = ScheduleBook(client, self.keys)

        def seed(site: Site, claim: dict) -> SeedReport:
            # the claim the sync call makes before its pushes (tests/test_seeding.py has it)
            claimed = book.claim(claim["site"], claim["tick"], claim["token"])
            if claimed == 1:
                self.seeded.append((token, site.name, self.clock.now))
            return SeedReport(site.name, claimed == 1, 0, 1, claim=claimed)

        return SiteScheduler(
            sites,
            lease=LeaderLease(client, self.keys.scheduler_leader, token, 30_000),
            book=book,
            seed=seed,
            options=options,
            clock=self.clock,
        )

    def sites_seeded(self) -> list[tuple[str, float]]:
        return [(site, at) for _, site, at in self.seeded]


@pytest.fixture
def harness(redis_url, key_prefix):
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    yield Harness(client, Keys(key_prefix), Clock(T0 + 30))
    client.close()


def test_seeds_each_site_on_its_ticks(harness):
    scheduler = harness.scheduler("a", [EVERY_MINUTE, CRON], NO_JITTER)
    clock = harness.clock
    # a first start seeds every site's current tick at once
    scheduler.step()
    assert harness.sites_seeded() == [("minutely", T0 + 30), ("cronned", T0 + 30)]
    # nothing more within the tick; the next pass is due at the next minute
    clock.now = T0 + 59.9
    assert scheduler.step() == pytest.approx(0.1)
    assert len(harness.seeded) == 2
    for minute in range(1, 11):
        clock.now = T0 + 60 * minute
        scheduler.step()
        clock.now += 20
        scheduler.step()  # a second pass within the tick seeds nothing
    seeded = harness.sites_seeded()[2:]
    assert [at - T0 for site, at in seeded if site == "minutely"] == [60 * m for m in range(1, 11)]
    assert [at - T0 for site, at in seeded if site == "cronned"] == [300, 600]
    assert scheduler.book.last_ticks() == {
        "minutely": (T0 + 600) * 1000,
        "cronned": (T0 + 600) * 1000,
    }


def test_missed_ticks_are_not_made_up(harness):
    scheduler = harness.scheduler("a", [EVERY_MINUTE], NO_JITTER)
    scheduler.step()
    harness.clock.now = T0 + 3600 + 5  # an hour without a scheduler
    scheduler.step()
    scheduler.step()
    assert [at - T0 for _, at in harness.sites_seeded()] == [30, 3605]


def test_jitter_delays_a_tick_by_the_same_amount_for_every_scheduler(harness):
    # a lease longer than the jitter, so that the pass's answer is the time to the tick
    options = ScheduleOptions(lease_s=600, jitter_s=120, max_backlog=1000)
    site = Site(name="quarterly", home="http://quarterly.example/", every_minutes=15)
    scheduler = harness.scheduler("a", [site], options)
    scheduler.step()  # the first start's seeding, at its current tick's jitter or later
    harness.seeded.clear()
    tick = T0 + 900
    harness.clock.now = tick
    wait = scheduler.step()
    assert wait == pytest.approx(jitter_of("quarterly", tick, 900, 120))
    assert 0 < wait <= 90 and not harness.seeded  # up to a tenth of 15 minutes late
    harness.clock.now = tick + wait - 0.01
    scheduler.step()
    assert not harness.seeded
    harness.clock.now = tick + wait
    scheduler.step()
    assert harness.sites_seeded() == [("quarterly", tick + wait)]


def test_two_schedulers_seed_each_tick_once(harness):
    one = harness.scheduler("one", [EVERY_MINUTE, CRON], NO_JITTER)
    two = harness.scheduler("two", [EVERY_MINUTE, CRON], NO_JITTER)
    for second in range(0, 600, 7):
        harness.clock.now = T0 + second
        (one if second % 2 else two).step()
        (two if second % 2 else one).step()
    assert {token for token, _, _ in harness.seeded} == {"two"}  # the first to ask leads
    assert not one.leading and two.leading
    ticks = [(site, int((at - T0) // 60)) for site, at in harness.sites_seeded()]
    assert len(ticks) == len(set(ticks))
    assert sum(1 for site, _ in ticks if site == "minutely") == 10


def test_a_standby_takes_over_the_next_tick_when_the_leader_is_gone(harness):
    one = harness.scheduler("one", [EVERY_MINUTE], NO_JITTER)
    two = harness.scheduler("two", [EVERY_MINUTE], NO_JITTER)
    one.step()
    two.step()
    # the leader dies: its lease runs out (the key's TTL on Redis's clock, removed here)
    harness.client.delete(harness.keys.scheduler_leader)
    harness.clock.now = T0 + 60
    two.step()
    assert harness.seeded == [("one", "minutely", T0 + 30), ("two", "minutely", T0 + 60)]


def test_a_leader_whose_lease_was_taken_over_cannot_seed(harness):
    one = harness.scheduler("one", [EVERY_MINUTE], NO_JITTER)
    one.step()
    # `one` is paused past its lease and `two` took the lease meanwhile: `one` still
    # believes it leads, but its claim of the next tick is refused (the claim checks the
    # token), and its next pass finds it does not lead
    harness.client.set(harness.keys.scheduler_leader, "two", px=30_000)
    harness.clock.now = T0 + 60
    assert one.leading
    book = ScheduleBook(harness.client, harness.keys)
    assert book.claim("minutely", int((T0 + 60) * 1000), "one") == -1
    assert book.claim("minutely", int((T0 + 60) * 1000), "two") == 1
    assert book.claim("minutely", int((T0 + 60) * 1000), "two") == 0  # once per tick
    one.step()
    assert len(harness.seeded) == 1 and not one.leading


def test_a_site_with_a_large_backlog_skips_its_tick_and_status_says_so(harness, redis_url):
    options = ScheduleOptions(lease_s=30, jitter_s=0, max_backlog=3)
    scheduler = harness.scheduler("a", [EVERY_MINUTE], options)
    scheduler.step()
    queue = harness.keys.host_queue("minutely.example")
    harness.client.zadd(queue, {str(i): i for i in range(4)})
    harness.clock.now = T0 + 60
    scheduler.step()
    scheduler.step()
    assert len(harness.seeded) == 1  # the tick was skipped, once
    status = gather(Frontier(harness.client, harness.keys), redis_url, 30.0)
    assert status["skipped_ticks"]["minutely"]["backlog"] == 4
    assert status["schedule_leader"] == "a"
    assert "skipped ticks (NEWS_SCHEDULE_MAX_BACKLOG): minutely (backlog 4)" in format_status(
        status
    )
    # worked off: the next tick is seeded, and status no longer lists it
    harness.client.delete(queue)
    harness.clock.now = T0 + 120
    scheduler.step()
    assert [at - T0 for _, at in harness.sites_seeded()] == [30, 120]
    assert gather(Frontier(harness.client, harness.keys), redis_url, 30.0)["skipped_ticks"] == {}


def test_a_clean_stop_gives_the_lead_up_at_once(harness):
    one = harness.scheduler("one", [EVERY_MINUTE], NO_JITTER)
    two = harness.scheduler("two", [EVERY_MINUTE], NO_JITTER)
    one.step()
    one.run(lambda: True)  # asked to stop before its first pass: it resigns
    assert harness.client.get(harness.keys.scheduler_leader) is None
    two.step()
    assert two.leading


def test_redis_failing_a_pass_is_survived(harness):
    away = redis.Redis(port=1, retry=None, socket_connect_timeout=1)  # nothing listens there
    scheduler = harness.scheduler("a", [EVERY_MINUTE], NO_JITTER, client=away)
    assert scheduler.step() == 1.0 and not scheduler.leading and not harness.seeded
    away.close()
