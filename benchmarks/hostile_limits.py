"""What a hostile response costs a real worker: peak memory, reactor lag and crawl time.

For each case of bounded work per response (issue 9: a gzip bomb in a sitemap, 315 MB of
response headers, a 4.4 MB page with 100,000 links, and a 10 MB article page, here both a
normal article in 10 MB of inline data and 10 MB of paragraphs),
``tests.hostile_site.HostileSite`` serves it alone on a loopback address of its own, and a
real crawl runs against it: ``newscrawl seed <url>``, then one ``newscrawl worker`` in drain
mode, against the real Redis (a key prefix per case, deleted afterwards) and a fresh SQLite
database, with the project's limits (only politeness is off: ``DOWNLOAD_DELAY=0``, as in the
hostile-web tests, so that the time measured is the worker's, not the pacing's). Measured:

- peak resident memory of the worker process (VmHWM from /proc/<pid>/status, sampled every
  0.1 s while it runs);
- the worker's maximum reactor lag (its closing "Reactor lag: at most ... s" line, from
  crawler/extensions/reactorlag.py);
- wall time from the seed to the worker's exit (the whole crawl of that case).

    .venv/bin/python benchmarks/hostile_limits.py [--redis URL] [--rounds N] [--case NAME]
        [-s NAME=VALUE]...

Prints one row per case (the worst of the rounds for memory and lag, the median time), with
the machine and its load, as docs/robustness.md reports them.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import redis  # noqa: E402
import scrapy  # noqa: E402
import twisted  # noqa: E402

from tests.crawltools import (  # noqa: E402
    PeakMemory,
    common_args,
    reactor_lag,
    seed,
    start_worker,
    stored,
)
from tests.hostile_site import BIG_ARTICLE, LONG_READ_PATH, HostileSite  # noqa: E402


@dataclass(frozen=True)
class Case:
    name: str
    path: str
    # What the worker must log, or store, for the case to count as handled.
    expect: str
    test: str


CASES = (
    Case(
        "sitemap-gzip-bomb",
        "/sitemap.xml",
        r"Not reading \S+/sitemap\.xml: over the cap of 8388608 bytes once decompressed",
        "tests/test_hostile_web.py::test_sitemap_gzip_bomb_stops_at_the_sitemap_cap",
    ),
    Case(
        "header-flood-315MB",
        "/headers/flood",
        r"Giving up on \S+/headers/flood: ResponseHeadersTooLarge",
        "tests/test_hostile_web.py::test_header_flood_is_refused_at_64_kib",
    ),
    Case(
        "page-100000-links",
        "/bounded/links",
        r"Not read as an article: \S+/bounded/links: took the first 2000 of 100000 links",
        "tests/test_hostile_web.py::test_link_flood_takes_the_first_links_only",
    ),
    Case(
        "article-10MB",
        BIG_ARTICLE.path,
        "stored",
        "tests/test_hostile_web.py::test_ten_megabyte_article_is_read_off_the_reactor_and_stored",
    ),
    Case(
        "text-10MB",
        LONG_READ_PATH,
        r"Not read as an article: \S+/bounded/long-read: \d+ bytes of text",
        "tests/test_hostile_web.py::test_ten_megabytes_of_text_are_not_read_as_an_article",
    ),
)


@dataclass(frozen=True)
class Measured:
    peak_mib: float
    lag_s: float
    wall_s: float
    handled: bool


def run_case(
    case: Case,
    host: str,
    redis_url: str,
    keep_logs: Path | None = None,
    extra: tuple[str, ...] = (),
) -> Measured:
    prefix = f"bench-{uuid.uuid4().hex[:12]}"
    with tempfile.TemporaryDirectory(prefix="hostile-limits-") as tmp_name:
        tmp = Path(tmp_name)
        db_url = f"sqlite:///{tmp / 'articles.db'}"
        args = [
            *common_args(redis_url, db_url, prefix, tmp / "data"),
            "-s", f"NEWS_ALLOW_NETWORKS={host}/32",
            "-s", "DOWNLOAD_DELAY=0",
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
            "-s", "NEWS_EXIT_WHEN_DRAINED=true",
            *(arg for setting in extra for arg in ("-s", setting)),
        ]  # fmt: skip
        site = HostileSite(host, bomb_sitemap=case.name == "sitemap-gzip-bomb")
        with site:
            url = site.url(case.path)
            started = time.monotonic()
            seed([url], args, tmp)
            log_path = tmp / "worker.log"
            worker = start_worker(*args, cwd=tmp, log=log_path)
            with PeakMemory(worker.pid) as memory:
                code = worker.wait(timeout=600)
            wall = time.monotonic() - started
        log = log_path.read_text(errors="replace")
        if keep_logs:
            (keep_logs / f"{case.name}-{prefix}.log").write_text(log)
        if code != 0 or "Traceback" in log:
            sys.exit(f"{case.name}: worker exited {code}\n{log[-3000:]}")
        if case.expect == "stored":
            handled = any(row["url"] == url for row in stored(db_url))
        else:
            handled = re.search(case.expect, log) is not None
        client = redis.Redis.from_url(redis_url)
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()
    return Measured(memory.mib, reactor_lag(log), wall, handled)


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} vCPUs ({model}), Python {platform.python_version()}, "
        f"Scrapy {scrapy.__version__}, Twisted {twisted.__version__}, {platform.platform()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--case", action="append", choices=[c.name for c in CASES])
    parser.add_argument("--logs", type=Path, help="keep each worker's log in this folder")
    parser.add_argument(
        "-s", dest="settings", action="append", default=[], metavar="NAME=VALUE",
        help="a setting for the workers, on top of the project's (repeatable)",
    )  # fmt: skip
    args = parser.parse_args()
    cases = [c for c in CASES if not args.case or c.name in args.case]
    print(f"Machine: {machine()}")
    print(f"Load before: {os.getloadavg()[0]:.2f} (1-minute average)")
    if args.settings:
        print(f"Settings on top of the project's: {' '.join(args.settings)}")
    print("| case | peak RSS | max reactor lag | crawl wall time | handled | test |")
    print("| --- | ---: | ---: | ---: | --- | --- |")
    for number, case in enumerate(cases):
        host = f"127.0.0.{31 + number}"
        runs = [
            run_case(case, host, args.redis, args.logs, tuple(args.settings))
            for _ in range(args.rounds)
        ]
        print(
            f"| {case.name} | {max(r.peak_mib for r in runs):.0f} MiB "
            f"| {max(r.lag_s for r in runs):.3f} s "
            f"| {statistics.median(r.wall_s for r in runs):.1f} s "
            f"| {'yes' if all(r.handled for r in runs) else 'NO'} | `{case.test}` |",
            flush=True,
        )
    print(f"Load after: {os.getloadavg()[0]:.2f} (1-minute average)")


if __name__ == "__main__":
    main()
