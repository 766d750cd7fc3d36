"""``crawl`` (seed, run N local workers, report) and ``worker`` (one long-running worker)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import IO

from crawler.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
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
from crawler.coordination.keys import Keys


def cmd_crawl(args: argparse.Namespace, out: IO[str]) -> int:
    from crawler.jobs import format_summary, run_crawl_job

    if args.workers < 1:
        fail("--workers must be at least 1")
    settings = settings_of(args)
    sites = sites_of(settings, args.targets)
    seen_filter_of(settings, Keys(settings.get("NEWS_KEY_PREFIX")))  # unusable: one line
    data_dir_of(settings)
    engine = database_of(settings, init=True)
    try:
        with frontier_of(settings) as (frontier, url):
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
                out=sys.stderr,
                seed=lambda: seed_and_report(settings, frontier, sites, sys.stderr),
            )
    finally:
        engine.dispose()
    out.write(format_summary(summary) + "\n")
    return EXIT_OK if summary.ok else EXIT_FAILED


def cmd_worker(args: argparse.Namespace, out: IO[str]) -> int:
    from crawler.worker import run_worker

    settings = settings_of(args)
    seen_filter_of(settings, Keys(settings.get("NEWS_KEY_PREFIX")))  # unusable: one line
    data_dir_of(settings)
    database_of(settings, init=True).dispose()
    with frontier_of(settings) as (_frontier, url):
        settings.set("NEWS_REDIS_URL", url, priority="cmdline")
        return run_worker(settings)
