"""``seed``, ``status`` and ``dead``: the operator's view of, and hand on, the frontier."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import IO

from scrapy.settings import Settings

from crawler.commands.common import (
    EXIT_OK,
    frontier_of,
    seen_filter_of,
    settings_of,
    sites_of,
)
from crawler.coordination import codec
from crawler.coordination.frontier import Frontier
from crawler.sanitize import json_text, printable
from crawler.seeding import seed_sites
from crawler.sites import Site


def seed_and_report(
    settings: Settings, frontier: Frontier, sites: list[Site], out: IO[str]
) -> None:
    """Push the sites' entry points and say what was queued, one line per site."""
    reports = seed_sites(
        frontier,
        seen_filter_of(settings, frontier.keys),
        sites,
        default_delay=settings.getfloat("DOWNLOAD_DELAY"),
        default_concurrency=settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
    )
    for report in reports:
        waiting = f", {report.already_waiting} already waiting" if report.already_waiting else ""
        out.write(printable(f"Seeded {report.site}: {report.queued} entry points queued{waiting}"))
        out.write("\n")


def cmd_seed(args: argparse.Namespace, out: IO[str]) -> int:
    settings = settings_of(args)
    sites = sites_of(settings, args.targets)
    with frontier_of(settings) as (frontier, _url):
        seed_and_report(settings, frontier, sites, out)
    return EXIT_OK


def cmd_status(args: argparse.Namespace, out: IO[str]) -> int:
    from crawler.status import format_status, gather

    settings = settings_of(args)
    with frontier_of(settings) as (frontier, url):  # corrupt data: one line, exit 2
        status = gather(
            frontier,
            url,
            settings.getfloat("NEWS_WORKER_DEAD_SECONDS"),
            seen_capacity=settings.getint("NEWS_SEEN_CAPACITY"),
        )
    out.write((json.dumps(status, indent=2) if args.json else format_status(status)) + "\n")
    return EXIT_OK


def _requeueable_host(payload: str) -> str:
    """The host of a dead letter's request, if the request can be rebuilt (else ValueError)."""
    codec.decode_request(payload)
    return codec.entry_host(payload)


def _readable_time(ms: object) -> object:
    """A dead letter's time (epoch milliseconds) as ISO 8601 in UTC; anything else as is."""
    if isinstance(ms, (int, float)) and not isinstance(ms, bool) and 0 <= ms < 2**53:
        try:
            return datetime.fromtimestamp(ms / 1000, UTC).isoformat(timespec="seconds")
        except (OverflowError, OSError, ValueError):
            return ms
    return ms


def cmd_dead(args: argparse.Namespace, out: IO[str]) -> int:
    settings = settings_of(args)
    with frontier_of(settings) as (frontier, _url):
        if args.action == "list":
            for entry in frontier.dead_letters(args.limit):
                shown = {k: v for k, v in entry.items() if k != "payload"}
                if "time" in shown:
                    shown["time"] = _readable_time(shown["time"])
                out.write(json_text(shown) + "\n")
        else:
            requeued, unreadable = frontier.requeue_dead_letters(args.limit, _requeueable_host)
            out.write(f"Requeued {requeued} dead letters ({unreadable} unreadable kept)\n")
    return EXIT_OK
