"""``newscrawl schedule`` in real processes on real Redis: one seeding per tick, failover.

Each scheduler is the real command line in its own process, re-seeding an ad-hoc site every
2 s (``NEWS_SCHEDULE_EVERY_SECONDS``) with a leader lease of 0.6 s, so that a standby has
to take over well within one interval. Seeding only pushes entry points into the frontier,
so no site needs to answer and no worker runs, except in the last test, where a worker
crawls the demo site the scheduler seeds.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import time
from itertools import pairwise
from pathlib import Path

import pytest
import redis

from crawler.coordination.keys import Keys
from tests.crawltools import common_args, crawl_env, newscrawl_argv, start_worker, stop, wait_for
from tests.demo_site.server import DemoSite

pytestmark = [pytest.mark.integration, pytest.mark.timeout(120)]

INTERVAL = 2.0
TARGET = "http://scheduled.example/"
_SEEDED = re.compile(r"Seeded scheduled\.example at tick (\d+)")
_SEEDED_ANY = re.compile(r"Seeded \S+ at tick (\d+)")


class Scheduler:
    """One ``newscrawl schedule`` process and its log."""

    def __init__(
        self, name: str, redis_url: str, prefix: str, folder: Path, target: str = TARGET
    ) -> None:
        self.log = folder / f"{name}.log"
        argv = newscrawl_argv(
            "schedule", target, "--redis", redis_url,
            "-s", f"NEWS_KEY_PREFIX={prefix}",
            "-s", f"NEWS_DATA_DIR={folder / 'data'}",
            "-s", f"NEWS_SCHEDULE_EVERY_SECONDS={INTERVAL}",
            "-s", "NEWS_SCHEDULE_LEADER_SECONDS=0.6",
        )  # fmt: skip
        with self.log.open("wb") as handle:
            self.process = subprocess.Popen(
                argv, cwd=folder, env=crawl_env(), stdout=handle, stderr=subprocess.STDOUT
            )

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def ticks(self) -> list[int]:
        return [int(tick) for tick in _SEEDED.findall(self.text())]

    def says(self, words: str) -> bool:
        return words in self.text()


@pytest.fixture
def schedulers(redis_url, key_prefix, tmp_path):
    started: list[Scheduler] = []

    def start(name: str, target: str = TARGET) -> Scheduler:
        scheduler = Scheduler(name, redis_url, key_prefix, tmp_path, target)
        started.append(scheduler)
        return scheduler

    yield start
    for scheduler in started:
        if scheduler.process.poll() is None:
            scheduler.process.kill()
            scheduler.process.wait(timeout=10)


def _in_step(ticks: list[int]) -> None:
    """Each tick once, one interval apart."""
    assert len(ticks) == len(set(ticks)), ticks
    gaps = {b - a for a, b in pairwise(ticks)}
    assert gaps <= {int(INTERVAL * 1000)}, ticks


def test_two_schedulers_seed_each_tick_once_and_stop_cleanly(schedulers, redis_url, key_prefix):
    first = schedulers("first")
    assert wait_for(lambda: first.says("Leading the schedule"), 30), first.text()
    second = schedulers("second")
    assert wait_for(lambda: second.says("Standing by"), 30), second.text()
    assert wait_for(lambda: len(first.ticks()) >= 4, 30), first.text()
    assert stop(second.process, signal.SIGINT) == 0, second.text()  # Ctrl-C: a clean stop too
    assert stop(first.process) == 0, first.text()
    assert second.ticks() == []
    _in_step(first.ticks())
    assert "Gave up the lead of the schedule" in first.text()
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    keys = Keys(key_prefix)
    assert client.get(keys.scheduler_leader) is None  # released, not left to expire
    assert int(client.hget(keys.schedule_ticks, "scheduled.example")) == first.ticks()[-1]
    client.close()


def test_after_sigkill_of_the_leader_the_standby_seeds_within_one_interval(schedulers):
    leader = schedulers("leader")
    assert wait_for(lambda: leader.says("Leading the schedule"), 30), leader.text()
    standby = schedulers("standby")
    assert wait_for(lambda: standby.says("Standing by"), 30), standby.text()
    assert wait_for(lambda: len(leader.ticks()) >= 2, 30), leader.text()
    leader.process.send_signal(signal.SIGKILL)
    killed_at, killed_wall = time.monotonic(), time.time()
    leader.process.wait(timeout=10)
    assert wait_for(lambda: standby.ticks(), 10, interval=0.05), standby.text()
    took = time.monotonic() - killed_at
    # the standby seeds the first tick after the kill (or the one the leader left unseeded)
    first_after_kill = (int(killed_wall // INTERVAL) + 1) * int(INTERVAL * 1000)
    assert standby.ticks()[0] <= first_after_kill, (standby.ticks(), killed_wall)
    # so within one interval, plus its jitter (a tenth of it), polling and a loaded machine
    assert took <= INTERVAL * 1.1 + 1.0, f"the standby seeded {took:.2f} s after the kill"
    assert wait_for(lambda: len(standby.ticks()) >= 2, 10), standby.text()
    assert stop(standby.process) == 0, standby.text()
    ticks = leader.ticks() + standby.ticks()
    assert len(ticks) == len(set(ticks)), ticks
    # no tick left out, except from the logs: the leader may have seeded one and been
    # killed before it said so
    assert standby.ticks()[0] - leader.ticks()[-1] <= 2 * INTERVAL * 1000
    _in_step(standby.ticks())


def test_a_scheduled_site_is_crawled_and_its_unchanged_feed_answers_304(
    schedulers, redis_url, key_prefix, tmp_path
):
    """The whole loop: ticks seed the demo site, a long-running worker crawls it, and the
    feed fetched again on a later tick is answered 304 and read as nothing new."""
    with DemoSite(host="127.0.0.42", port=0) as site:
        args = common_args(redis_url, f"sqlite:///{tmp_path / 'a.db'}", key_prefix,
                           tmp_path / "data")  # fmt: skip
        worker = start_worker(*args, "--allow-private", "-s", "DOWNLOAD_DELAY=0",
                              cwd=tmp_path, log=tmp_path / "worker.log")  # fmt: skip
        try:
            scheduler = schedulers("scheduler", site.base_url)

            def feed_answers() -> list[int]:
                return [r["status"] for r in site.requests() if r["path"] == "/feeds/all.xml"]

            assert wait_for(lambda: 304 in feed_answers(), 90), (feed_answers(), scheduler.text())
            assert stop(scheduler.process) == 0, scheduler.text()
        finally:
            code = stop(worker)
        log = (tmp_path / "worker.log").read_text(errors="replace")
        assert code == 0 and "Traceback" not in log, log[-3000:]
    assert feed_answers()[0] == 200
    assert len(_SEEDED_ANY.findall(scheduler.text())) >= 2
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    dead = [json.loads(e)["payload"] for e in client.lrange(Keys(key_prefix).dead_letters, 0, -1)]
    assert not [p for p in dead if "feeds/all.xml" in p]  # a 304 is no failure
    client.close()
