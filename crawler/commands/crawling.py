"""``crawl`` (seed, run N local workers, report) and ``worker`` (one long-running worker)."""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import sys
from datetime import UTC, datetime
from typing import IO

from crawler.commands.common import (
    data_dir_of,
    database_of,
    fail,
    frontier_of,
    seen_filter_of,
    settings_of,
    sites_of,
    worker_args,
)
from crawler.commands.frontier import seed_and_report
from crawler.coordination.frontier import Frontier
from crawler.coordination.keys import Keys
from crawler.outcomes import ALREADY_RUNNING
from crawler.sanitize import printable


def cmd_crawl(args: argparse.Namespace, out: IO[str]) -> int:
    from crawler.coordination.run_lock import RunLock
    from crawler.jobs import format_summary, run_crawl_job

    if args.workers < 1:
        fail("--workers must be at least 1")
    if args.quiet:  # only errors: no progress, no "Using Redis" or seeding lines
        logging.getLogger().setLevel(logging.WARNING)
    settings = settings_of(args)
    sites = sites_of(settings, args.targets)
    seen_filter_of(settings, Keys(settings.get("NEWS_KEY_PREFIX")))  # unusable: one line
    data_dir_of(settings)
    engine = database_of(settings, init=True)
    progress = None if args.quiet else sys.stderr
    try:
        with frontier_of(settings) as (frontier, url):
            lock = RunLock(frontier)
            holder = lock.acquire()
            if holder is not None:
                print(printable(f"newscrawl crawl: {_already_running(holder, frontier)}"),
                      file=sys.stderr)  # fmt: skip
                return ALREADY_RUNNING.code
            try:
                summary = run_crawl_job(
                    settings=settings,
                    settings_args=worker_args(args),
                    worker_env={
                        **os.environ,
                        "REDIS_URL": url,
                        "DATABASE_URL": settings.get("NEWS_DATABASE_URL"),
                    },
                    frontier=frontier,
                    redis_url=url,
                    engine=engine,
                    sites=[s.name for s in sites],
                    workers=args.workers,
                    out=progress,
                    seed=lambda: seed_and_report(
                        settings, frontier, sites, progress or io.StringIO()
                    ),
                    declared=any(site.declared for site in sites),
                    keep_alive=lock.renew,
                )
            finally:
                lock.release()
    finally:
        engine.dispose()
    if args.json:
        out.write(json.dumps(summary.to_json(), ensure_ascii=False) + "\n")
    elif not args.quiet:
        out.write(format_summary(summary) + "\n")
    elif not summary.ok:
        print(printable(f"newscrawl crawl: {summary.outcome.name}: {summary.reason}"),
              file=sys.stderr)  # fmt: skip
    return summary.outcome.code


def _already_running(holder: dict[str, object], frontier: Frontier) -> str:
    since = holder.get("started")
    when = (
        datetime.fromtimestamp(float(since), UTC).isoformat(timespec="seconds")
        if isinstance(since, (int, float))
        else "an unknown time"
    )
    return (
        f"another crawl runs on this frontier (key prefix {frontier.keys.prefix!r}), started "
        f"{when} by pid {holder.get('pid', '?')} on {holder.get('host', '?')}; wait for it to "
        "end, or use another NEWS_KEY_PREFIX"
    )


def cmd_worker(args: argparse.Namespace, out: IO[str]) -> int:
    from crawler.worker import run_worker

    settings = settings_of(args)
    seen_filter_of(settings, Keys(settings.get("NEWS_KEY_PREFIX")))  # unusable: one line
    data_dir_of(settings)
    database_of(settings, init=True).dispose()
    with frontier_of(settings) as (_frontier, url):
        settings.set("NEWS_REDIS_URL", url, priority="cmdline")
        return run_worker(settings)
