"""``schedule``: the long-running re-seeder, one leader among any number of them.

Builds the scheduler (crawler/schedule.py) from the settings, the declared sites (or the
targets named) and the frontier's Redis, and runs it until SIGTERM or SIGINT, which stop it
cleanly: the pass under way ends, leadership is given up at once, and the exit code is 0
(crawler/outcomes.py).
"""

from __future__ import annotations

import argparse
import logging
import signal
from types import FrameType
from typing import IO

from crawler.commands.common import fail, frontier_of, seen_filter_of, settings_of, sites_of
from crawler.coordination.leader import LeaderLease, new_token
from crawler.coordination.schedule_book import ScheduleBook
from crawler.outcomes import OK
from crawler.schedule import ScheduleOptions, SiteScheduler
from crawler.seeding import SeedReport, seed_site
from crawler.sites import Site, SiteRegistry

logger = logging.getLogger("newscrawl")


def _describe(site: Site, options: ScheduleOptions) -> str:
    if options.every_s > 0:
        return f"{site.name} (every {options.every_s:g} s)"
    if site.cron:
        return f"{site.name} (cron {site.cron!r} UTC)"
    return f"{site.name} (every {site.every_minutes:g} min)"


def cmd_schedule(args: argparse.Namespace, out: IO[str]) -> int:
    settings = settings_of(args)
    if args.targets:
        sites = sites_of(settings, args.targets)
    else:
        sites = sorted(SiteRegistry.load(settings), key=lambda s: s.name)
    if not sites:
        fail("no site to schedule: declare sites in spiders/ (or SPIDER_MODULES), or name targets")
    options = ScheduleOptions.from_settings(settings)
    stop = {"requested": False}

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop["requested"] = True

    with frontier_of(settings) as (frontier, _url):
        seen = seen_filter_of(settings, frontier.keys)

        def seed(site: Site, claim: dict[str, object]) -> SeedReport:
            return seed_site(
                frontier,
                seen,
                site,
                default_delay=settings.getfloat("DOWNLOAD_DELAY"),
                default_concurrency=settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
                claim=claim,
            )

        scheduler = SiteScheduler(
            sites,
            lease=LeaderLease(
                frontier.client,
                frontier.keys.scheduler_leader,
                new_token(),
                round(options.lease_s * 1000),
            ),
            book=ScheduleBook(frontier.client, frontier.keys),
            seed=seed,
            options=options,
        )
        logger.info("Scheduling %s", ", ".join(_describe(site, options) for site in sites))
        previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            scheduler.run(lambda: stop["requested"])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    logger.info("Scheduler stopped")
    return OK.code
