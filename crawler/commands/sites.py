"""``sites``: the operator's view of the declared sites.

``sites list`` shows the declared sites, then the broken declarations (files left out of
the registry), each with its one line, and exits 6 when there is any: a cron job or a test
can tell that a site will not be crawled. ``sites doc`` prints docs/sites.md, the coverage
table generated from the same registry (crawler/site_docs.py). ``check``, ``add`` and
``snapshot`` live in crawler/commands/site_tools.py.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import IO

from crawler.commands.common import EXIT_OK, fail, settings_of
from crawler.outcomes import DECLARATION_BROKEN
from crawler.sanitize import printable
from crawler.sites import Site, SiteRegistry


def cmd_sites(args: argparse.Namespace, out: IO[str]) -> int:
    if args.action in ("check", "add", "snapshot"):
        from crawler.commands import site_tools

        return getattr(site_tools, f"cmd_{args.action}")(args, out)
    if args.target:
        fail(f"sites {args.action} takes no site")
    for option in ("name",) if args.action == "doc" else ("name", "dir"):
        if getattr(args, option):
            fail(f"--{option} is for sites add and snapshot, not sites {args.action}")
    # The broken declarations are this command's report: listed below, not logged as well.
    registry = SiteRegistry.load(settings_of(args), log=False)
    if args.action == "doc":
        from crawler.site_docs import render_sites_doc

        out.write(render_sites_doc(registry, Path(args.dir or "tests/sites")))
        return DECLARATION_BROKEN.code if registry.broken else EXIT_OK
    sites = sorted(registry, key=lambda s: s.name)
    code = DECLARATION_BROKEN.code if registry.broken else EXIT_OK
    if args.json:
        # A broken entry has the name its file most likely declares, the line, and no more.
        broken = [{"name": b.names[0], "broken": b.line} for b in registry.broken]
        out.write(json.dumps([*(site_json(s) for s in sites), *broken], indent=2) + "\n")
        return code
    out.write(f"{'name':<16} {'home':<40} {'delay':>6} {'every':>7}  entry points\n")
    for site in sites:
        delay = "-" if site.delay is None else f"{site.delay:g}s"
        line = (
            f"{site.name:<16} {site.home:<40} {delay:>6} {site.every_minutes:>5g}m  "
            f"{len(site.entry_points())}"
        )
        out.write(printable(line) + "\n")
    if registry.broken:
        out.write("\nbroken (not loaded, not crawled):\n")
        for entry in registry.broken:
            out.write(printable(f"  {entry.line}") + "\n")
    return code


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
        "broken": None,
    }
