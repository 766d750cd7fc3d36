"""The leased frontier under real worker processes: kills, drains, politeness, Redis restarts.

Each test serves the demo site on a loopback address of its own, seeds it with
``newscrawl seed`` and runs ``newscrawl worker`` processes in drain mode
(``NEWS_EXIT_WHEN_DRAINED``) against the real Redis, or against a Redis of the test's own
with append-only persistence when the test restarts it.
"""

from __future__ import annotations

import itertools
import re
import shutil
import signal
import socket
import subprocess
import time
from collections import defaultdict
from pathlib import Path

import pytest
import redis

from crawler.coordination.frontier import Frontier
from crawler.coordination.keys import Keys
from tests.crawltools import (
    common_args,
    seed,
    start_worker,
    stop,
    stored,
    stored_row_count,
    wait_for,
)
from tests.demo_site.content import Page
from tests.demo_site.server import DemoSite

pytestmark = [pytest.mark.integration, pytest.mark.crawl]

# Short leases and heartbeats so that a killed worker's leases come back within the test.
FAST_LEASES = ["-s", "NEWS_LEASE_SECONDS=8", "-s", "NEWS_HEARTBEAT_SECONDS=1"]
DRAIN = ["-s", "NEWS_EXIT_WHEN_DRAINED=true", "--allow-private"]


@pytest.fixture
def demo_site():
    with DemoSite(host="127.0.0.5", port=0) as site:
        yield site


def _article_requests(site):
    paths = {a["path"] for a in site.manifest()["articles"]}
    return [r for r in site.requests() if r["path"] in paths]


def _assert_every_article_once(site, db_url):
    expected = {a["url"] for a in site.manifest()["articles"]}
    urls = [row["url"] for row in stored(db_url)]
    assert stored_row_count(db_url) == len(urls)
    assert sorted(urls) == sorted(expected)


def _frontier(redis_url, prefix):
    return Frontier(redis.Redis.from_url(redis_url, decode_responses=True), Keys(prefix))


def _leases_of(frontier, pid):
    return sum(n for worker, n in frontier.leased_per_worker().items() if f"-{pid}-" in worker)


def test_sigkill_mid_crawl_loses_nothing(demo_site, redis_url, key_prefix, tmp_path):
    db_url = f"sqlite:///{tmp_path / 'a.db'}"
    args = common_args(redis_url, db_url, key_prefix, tmp_path / "data")
    args += ["-s", "DOWNLOAD_DELAY=0.05", *FAST_LEASES]
    seed([demo_site.base_url], args, tmp_path)
    frontier = _frontier(redis_url, key_prefix)
    workers = [
        start_worker(*args, *DRAIN, cwd=tmp_path, log=tmp_path / f"w{i}.log") for i in range(3)
    ]
    victim = workers[0]
    # kill it while it holds leases, a few pages into the crawl
    assert wait_for(
        lambda: len(demo_site.requests()) > 15 and _leases_of(frontier, victim.pid) > 0, 60
    )
    held = _leases_of(frontier, victim.pid)
    victim.kill()
    victim.wait(timeout=10)
    workers.append(start_worker(*args, *DRAIN, cwd=tmp_path, log=tmp_path / "w3.log"))
    for worker in workers[1:]:
        assert worker.wait(timeout=180) == 0
    assert held > 0
    _assert_every_article_once(demo_site, db_url)
    counts = frontier.counts()
    assert counts["queued"] == 0 and counts["leased"] == 0


def test_sigterm_drains_and_hands_back(demo_site, redis_url, key_prefix, tmp_path):
    db_url = f"sqlite:///{tmp_path / 'a.db'}"
    lease_seconds = 60
    args = common_args(redis_url, db_url, key_prefix, tmp_path / "data")
    args += ["-s", "DOWNLOAD_DELAY=0.1", "-s", f"NEWS_LEASE_SECONDS={lease_seconds}"]
    seed([demo_site.base_url], args, tmp_path)
    frontier = _frontier(redis_url, key_prefix)
    first = start_worker(*args, *DRAIN, cwd=tmp_path, log=tmp_path / "w0.log")
    second = start_worker(*args, *DRAIN, cwd=tmp_path, log=tmp_path / "w1.log")
    assert wait_for(
        lambda: len(demo_site.requests()) > 15 and _leases_of(frontier, first.pid) > 0, 60
    )
    started = time.monotonic()
    first.send_signal(signal.SIGTERM)
    assert first.wait(timeout=lease_seconds) == 0
    drained_in = time.monotonic() - started
    assert drained_in < lease_seconds
    # what it held went back at once, not after its leases expired
    assert _leases_of(frontier, first.pid) == 0
    assert second.wait(timeout=180) == 0
    assert time.monotonic() - started < lease_seconds, "the survivor waited for expired leases"
    _assert_every_article_once(demo_site, db_url)
    log = (tmp_path / "w0.log").read_text()
    assert "closed (shutdown)" in log


def test_politeness_holds_across_three_workers(demo_site, redis_url, key_prefix, tmp_path):
    db_url = f"sqlite:///{tmp_path / 'a.db'}"
    args = common_args(redis_url, db_url, key_prefix, tmp_path / "data")
    args += ["-s", "DOWNLOAD_DELAY=0.2"]
    seed([demo_site.base_url], args, tmp_path)
    workers = [
        start_worker(*args, *DRAIN, cwd=tmp_path, log=tmp_path / f"w{i}.log") for i in range(3)
    ]
    # enough of the crawl to measure; the whole site takes ~30 s at 5 requests a second
    assert wait_for(lambda: len(demo_site.requests()) >= 60, 120)
    for worker in workers:
        stop(worker)
    times = defaultdict(list)
    for r in demo_site.requests():
        times[r["host"]].append(r["t"])
    worst = 0
    for stamps in times.values():
        stamps.sort()
        start = 0
        for end, t in enumerate(stamps):
            while t - stamps[start] >= 1.0:
                start += 1
            worst = max(worst, end - start + 1)
    assert worst <= 5, f"{worst} requests to one host within one second"
    # robots.txt: once by the middleware for all three workers, once as the entry point
    robots = [r for r in demo_site.requests() if r["path"] == "/robots.txt"]
    assert len(robots) <= 2
    # and all three workers took part (the politeness is shared, not one worker doing all)
    for i in range(3):
        assert "Spider opened" in (tmp_path / f"w{i}.log").read_text()


def test_seeds_are_fetched_as_soon_as_the_worker_opens(demo_site, redis_url, key_prefix, tmp_path):
    """scrapy-redis on Scrapy >= 2.16 reads seeds only at the first idle tick (5 s later)."""
    db_url = f"sqlite:///{tmp_path / 'a.db'}"
    args = common_args(redis_url, db_url, key_prefix, tmp_path / "data")
    seed([demo_site.base_url], args, tmp_path)
    log = tmp_path / "w.log"
    worker = start_worker(
        *args, *DRAIN, "-s", "LOG_FORMAT=%(created)f %(name)s %(message)s", cwd=tmp_path, log=log
    )
    assert wait_for(lambda: demo_site.requests(), 60)
    first_request = demo_site.requests()[0]["t"]
    stop(worker)
    opened = re.search(r"^(\d+\.\d+) scrapy.core.engine Spider opened", log.read_text(), re.M)
    assert opened, log.read_text()[-2000:]
    assert first_request - float(opened.group(1)) < 2.0


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_redis(port, workdir):
    process = subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1",
         "--dir", str(workdir), "--appendonly", "yes", "--appendfsync", "always",
         "--save", "", "--daemonize", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    assert wait_for(lambda: _answers(url), 10)
    return process, url


def _answers(url):
    try:
        return redis.Redis.from_url(url, socket_connect_timeout=0.2).ping()
    except redis.RedisError:
        return False


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs a redis-server binary")
def test_redis_restart_mid_crawl_loses_nothing(demo_site, tmp_path):
    redis_dir = tmp_path / "redis"
    redis_dir.mkdir()
    port = _free_port()
    server, url = _start_redis(port, redis_dir)
    db_url = f"sqlite:///{tmp_path / 'a.db'}"
    args = [*common_args(url, db_url, "restart", tmp_path / "data"), "-s", "DOWNLOAD_DELAY=0.1"]
    workers = []
    try:
        seed([demo_site.base_url], args, tmp_path)
        workers = [
            start_worker(*args, *DRAIN, cwd=tmp_path, log=tmp_path / f"w{i}.log") for i in range(2)
        ]
        assert wait_for(lambda: len(_article_requests(demo_site)) >= 5, 60)
        server.send_signal(signal.SIGTERM)  # a clean shutdown, as a restart does
        server.wait(timeout=10)
        time.sleep(3)  # workers keep running, and buffering, while Redis is away
        server, _ = _start_redis(port, redis_dir)
        for worker in workers:
            assert worker.wait(timeout=180) == 0
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
        server.terminate()
        server.wait(timeout=10)
    _assert_every_article_once(demo_site, db_url)
    logs = "".join(Path(tmp_path / f"w{i}.log").read_text() for i in range(2))
    assert "is unreachable" in logs and "Redis is back" in logs
    assert logs.count("is unreachable") <= 2 * len(workers), "logged once per outage per worker"


class CrawlDelaySite(DemoSite):
    """The demo site with a robots.txt that asks for a Crawl-delay."""

    CRAWL_DELAY = 0.6

    def respond(self, method, target):
        if target.split("?")[0] == "/robots.txt":
            body = f"User-agent: *\nCrawl-delay: {self.CRAWL_DELAY}\nDisallow: /private/\n"
            return Page(200, "text/plain; charset=utf-8", body.encode())
        return super().respond(method, target)


def test_robots_crawl_delay_paces_every_worker(redis_url, key_prefix, tmp_path):
    db_url = f"sqlite:///{tmp_path / 'a.db'}"
    args = [
        *common_args(redis_url, db_url, key_prefix, tmp_path / "data"),
        "-s",
        "DOWNLOAD_DELAY=0",
    ]
    with CrawlDelaySite(host="127.0.0.5", port=0) as site:
        seed([site.base_url], args, tmp_path)
        workers = [
            start_worker(*args, *DRAIN, cwd=tmp_path, log=tmp_path / f"w{i}.log") for i in range(2)
        ]
        assert wait_for(lambda: len(site.requests()) >= 12, 60)
        for worker in workers:
            stop(worker)
        stamps = sorted(r["t"] for r in site.requests())
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    # the one robots.txt fetch comes before any Crawl-delay is known; every later gap
    # honours it, for both workers together
    assert min(gaps[1:]) >= CrawlDelaySite.CRAWL_DELAY * 0.95, gaps
