"""``sites``: the operator's view of the declared sites."""

from __future__ import annotations

import argparse
import json
from typing import IO

from crawler.commands.common import EXIT_OK, settings_of
from crawler.sanitize import printable
from crawler.sites import Site, SiteRegistry


def cmd_sites(args: argparse.Namespace, out: IO[str]) -> int:
    registry = SiteRegistry.load(settings_of(args))
    sites = sorted(registry, key=lambda s: s.name)
    if args.json:
        out.write(json.dumps([site_json(s) for s in sites], indent=2) + "\n")
        return EXIT_OK
    out.write(f"{'name':<16} {'home':<40} {'delay':>6} {'every':>7}  entry points\n")
    for site in sites:
        delay = "-" if site.delay is None else f"{site.delay:g}s"
        line = (
            f"{site.name:<16} {site.home:<40} {delay:>6} {site.every_minutes:>5g}m  "
            f"{len(site.entry_points())}"
        )
        out.write(printable(line) + "\n")
    return EXIT_OK


def site_json(site: Site) -> dict[str, object]:
    """A declared site as JSON: what ``sites list --json`` shows."""
    return {
        "name": site.name,
        "home": site.home,
        "origins": list(site.origins),
        "entry_points": [{"url": p.url, "kind": p.kind} for p in site.entry_points()],
        "delay": site.delay,
        "concurrency": site.concurrency,
        "every_minutes": site.every_minutes,
        "cron": site.cron,
        "hooks": [h for h in ("fix_article", "extra_links") if getattr(site, h) is not None],
    }
