"""Crawl throughput and Redis round trips: newscrawl's frontier vs plain scrapy-redis.

Serves several copies of the demo news site on loopback (one host each), then crawls them
all with two worker processes, once with newscrawl (leases, shared politeness, delay 0)
and once with benchmarks/baseline_spider.py (scrapy-redis + trafilatura), alternating for
a number of rounds, each against a fresh redis-server of its own. Both use the same
Scrapy settings where they overlap (CONCURRENT_REQUESTS_PER_DOMAIN, DEPTH_LIMIT, robots.txt
obeyed). Throughput is requests served by the demo servers divided by the time from the
first to the last request (start-up and idle shutdown excluded). Round trips are counted
with MONITOR on that Redis: every command a worker sends (commands run inside a Lua script
excluded; workers pipeline nothing, so one command is one round trip), divided by the
requests served.

Usage: python benchmarks/frontier_throughput.py [--sites 6] [--rounds 2]
Results are written by hand into benchmarks/frontier.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import redis

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.demo_site.server import DemoSite  # noqa: E402

SHARED = {"DOWNLOAD_DELAY": "0", "CONCURRENT_REQUESTS_PER_DOMAIN": "8", "DEPTH_LIMIT": "6"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CommandCounter(threading.Thread):
    """Counts client commands (not those run inside Lua) seen by MONITOR."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.count = 0
        self.stopping = False

    def run(self) -> None:
        client = redis.Redis.from_url(self.url)
        with client.monitor() as monitor:
            for command in monitor.listen():
                if self.stopping:
                    break
                if command.get("client_type") != "lua" and not str(
                    command.get("command", "")
                ).startswith("MONITOR"):
                    self.count += 1


def start_redis(workdir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [shutil.which("redis-server") or "redis-server", "--port", str(port), "--bind", "127.0.0.1",
         "--dir", str(workdir), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    for _ in range(100):
        try:
            if redis.Redis.from_url(url).ping():
                return process, url
        except redis.RedisError:
            time.sleep(0.05)
    raise RuntimeError("redis-server did not start")


def measure(sites: list[DemoSite]) -> tuple[int, float]:
    stamps = sorted(r["t"] for site in sites for r in site.requests())
    return len(stamps), stamps[-1] - stamps[0]


def run_newscrawl(sites: list[DemoSite], url: str, workdir: Path) -> None:
    cli = [sys.executable, "-m", "crawler.cli"]
    settings = [arg for k, v in SHARED.items() for arg in ("-s", f"{k}={v}")]
    common = [
        "--redis",
        url,
        "-s",
        "NEWS_KEY_PREFIX=bench",
        "-s",
        f"NEWS_DATA_DIR={workdir}",
        *settings,
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([*cli, "seed", *(s.base_url for s in sites), *common], check=True, env=env,
                   capture_output=True, cwd=workdir)  # fmt: skip
    worker = [*cli, "worker", "--allow-private", "--db", f"sqlite:///{workdir}/ours.db", *common,
              "-s", "NEWS_EXIT_WHEN_DRAINED=true"]  # fmt: skip
    procs = [subprocess.Popen(worker, env=env, cwd=workdir, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL) for _ in range(2)]  # fmt: skip
    for proc in procs:
        proc.wait(timeout=900)


def start_baseline(
    url: str, start_urls: list[str], db: Path, workdir: Path, workers: int, extra: dict[str, str]
) -> list[subprocess.Popen[bytes]]:
    """Start ``workers`` processes of benchmarks/baseline_spider.py on the Redis at ``url``
    (plain scrapy-redis: its scheduler, queue and dupefilter; Scrapy's defaults otherwise,
    plus ``extra``), storing into the SQLite file ``db``. benchmarks/unseen_site.py runs the
    same baseline."""
    client = redis.Redis.from_url(url)
    for start_url in start_urls:
        client.lpush("baseline:start_urls", start_url)
    client.close()
    settings = {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": "True",
        "REDIS_URL": url,
        "ROBOTSTXT_OBEY": "True",
        "MAX_IDLE_TIME_BEFORE_CLOSE": "5",
        "ITEM_PIPELINES": json.dumps({"baseline_spider.SqlitePipeline": 300}),
        "BASELINE_DB": str(db),
        "TELNETCONSOLE_ENABLED": "False",
        "REMOTE_CONTROL_ENABLED": "False",
        "LOG_LEVEL": "INFO",
        **extra,
    }
    argv = [
        sys.executable,
        "-m",
        "scrapy",
        "runspider",
        str(REPO / "benchmarks" / "baseline_spider.py"),
    ]
    for key, value in settings.items():
        argv += ["-s", f"{key}={value}"]
    env = {**os.environ, "PYTHONPATH": str(REPO / "benchmarks"), "PYTHONWARNINGS": "ignore"}
    return [subprocess.Popen(argv, env=env, cwd=workdir, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL) for _ in range(workers)]  # fmt: skip


def run_baseline(sites: list[DemoSite], url: str, workdir: Path) -> None:
    procs = start_baseline(url, [site.base_url for site in sites], workdir / "baseline.db",
                           workdir, 2, SHARED)  # fmt: skip
    for proc in procs:
        proc.wait(timeout=900)


def one_run(kind: str, count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix=f"bench-{kind}-") as tmp:
        workdir = Path(tmp)
        server, url = start_redis(workdir)
        sites = [DemoSite(host=f"127.0.0.{20 + i}", port=0) for i in range(count)]
        for site in sites:
            site.start()
        counter = CommandCounter(url)
        counter.start()
        time.sleep(0.2)
        try:
            (run_newscrawl if kind == "newscrawl" else run_baseline)(sites, url, workdir)
        finally:
            counter.stopping = True
            redis.Redis.from_url(url).ping()  # wakes the monitor so it can stop
            for site in sites:
                site.stop()
            server.terminate()
            server.wait(timeout=10)
        requests, span = measure(sites)
        return {
            "requests": requests,
            "seconds": round(span, 2),
            "pages_per_s": round(requests / span, 1),
            "round_trips_per_page": round(counter.count / requests, 2),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    runs: dict[str, list[dict[str, float]]] = {"baseline": [], "newscrawl": []}
    for _ in range(args.rounds):
        for kind in ("baseline", "newscrawl"):
            result = one_run(kind, args.sites)
            runs[kind].append(result)
            print(kind, json.dumps(result), flush=True)
    summary = {
        kind: {
            "pages_per_s_median": statistics.median(r["pages_per_s"] for r in results),
            "round_trips_per_page_median": statistics.median(
                r["round_trips_per_page"] for r in results
            ),
        }
        for kind, results in runs.items()
    }
    ratio = summary["newscrawl"]["pages_per_s_median"] / summary["baseline"]["pages_per_s_median"]
    summary["throughput_ratio"] = round(ratio, 3)
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
