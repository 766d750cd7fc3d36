"""``sites check``, ``sites snapshot`` and ``sites add``: trying a site before crawling it.

All three fetch a sample of the site with crawler/sampling.py (its entry points, a few
listings, ``--limit`` articles; politely, with nothing written to the shared frontier or
the database) and read it as a worker would (crawler/site_check.py). ``check`` prints what
it read and what to look at, and exits with the run outcome of crawler/outcomes.py (0 when
the site yielded articles). ``snapshot`` saves the article pages it read as fixtures for a
person to review (crawler/site_fixtures.py). ``add`` samples a site nobody declared by the
generic rules, proposes article URL patterns (crawler/site_proposal.py), writes a
declaration and checks it.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import IO
from urllib.parse import urljoin

from crawler.commands.common import EXIT_FAILED, existing_path, fail, settings_of, sites_of
from crawler.outcomes import NO_ARTICLES
from crawler.sampling import SampleError, sample_site
from crawler.sanitize import json_text, printable
from crawler.site_check import CheckReport, check_sample
from crawler.site_fixtures import FixtureError, load_fixtures, save_fixture
from crawler.site_proposal import declaration_source, name_problem, propose_patterns
from crawler.sites import SiteRegistry
from crawler.urls import InvalidUrl, canonical_url, registrable_domain

DEFAULT_SNAPSHOT_DIR = "tests/sites"
DEFAULT_SPIDERS_DIR = "spiders"
# `sites add` reads more articles than a check: patterns generalised from a handful of
# URLs would miss a shape the site uses less often.
ADD_SAMPLE_ARTICLES = 12


def _check(args: argparse.Namespace, target: str, overrides: list[str], python_path: list[str],
           limit: int) -> CheckReport:  # fmt: skip
    """Sample ``target`` and read the sample by its site's rules."""
    settings = settings_of(argparse.Namespace(**{**vars(args), "settings": overrides}))
    site = sites_of(settings, [target])[0]
    registry = SiteRegistry.load(settings)
    try:
        sample = sample_site(target, limit=limit, overrides=overrides,
                             allow_private=args.allow_private, python_path=python_path)  # fmt: skip
    except SampleError as exc:
        raise _SampleFailed(str(exc)) from None
    return check_sample(site, sample, registry)


class _SampleFailed(Exception):
    pass


# The options each action takes besides --limit, --json and --allow-private.
_OPTIONS = {"check": (), "snapshot": ("dir",), "add": ("name", "dir")}


def _needs_target(args: argparse.Namespace) -> str:
    """The action's site; an option the action does not take is bad input, not ignored."""
    for option in ("name", "dir"):
        if getattr(args, option) and option not in _OPTIONS[args.action]:
            fail(f"--{option} is not an option of sites {args.action}")
    if not args.target:
        fail(f"sites {args.action} needs a site: a declared name or a URL")
    return args.target


def cmd_check(args: argparse.Namespace, out: IO[str]) -> int:
    target = _needs_target(args)
    try:
        report = _check(args, target, list(args.settings), [], args.limit)
    except _SampleFailed as exc:
        print(printable(f"newscrawl sites check: {exc}"), file=sys.stderr)
        return EXIT_FAILED
    write_report(report, out, as_json=args.json)
    return report.outcome.code


def write_report(report: CheckReport, out: IO[str], *, as_json: bool) -> None:
    """The check's table (or one JSON object)."""
    if as_json:
        out.write(json_text(report.to_json()) + "\n")
        return
    kind = "declared" if report.declared else "not declared: generic rules"
    lines = [f"site {report.site} ({kind}), {report.home}: {len(report.rows)} pages fetched, "
             f"{report.articles} read as articles", ""]  # fmt: skip
    lines.append(f"{'#':>3}  {'kind':<8} {'status':>6}  {'verdict':<15} {'words':>6}  url")
    for number, row in enumerate(report.rows, 1):
        status = "-" if row.status is None else str(row.status)
        words = str(row.words) if row.verdict == "article" else ""
        lines.append(
            f"{number:>3}  {row.kind:<8} {status:>6}  {row.verdict:<15} {words:>6}  {row.url}"
        )
        if row.verdict in ("not an article", "failed", "refused") and row.kind in (
            "article",
            "home",
            "section",
        ):
            lines.append(f"{'':>5}why: {row.why}")
    articles = [row for row in report.rows if row.verdict == "article"]
    if articles:
        lines += ["", "Articles:"]
    for row in articles:
        lines += [
            f"  {row.url}",
            f"    title:     {row.title}",
            f"    authors:   {', '.join(row.authors) or '-'}",
            f"    published: {row.published or '-'}",
            f"    words:     {row.words}",
            f"    first:     {row.first}",
            f"    last:      {row.last}",
            f"    why:       {row.why}",
        ]
        lines += [f"    FLAG:      {flag}" for flag in row.flags]
    lines += ["", "Flags:" if report.flags else "Flags: none"]
    lines += [f"  - {flag}" for flag in report.flags]
    verdict = report.outcome.name + (f": {report.reason}" if report.reason else "")
    lines += ["", f"outcome: {verdict} (exit {report.outcome.code})"]
    for line in lines:
        out.write(printable(line) + "\n")


def cmd_snapshot(args: argparse.Namespace, out: IO[str]) -> int:
    target = _needs_target(args)
    root = Path(args.dir or DEFAULT_SNAPSHOT_DIR)
    settings = settings_of(args)
    site = sites_of(settings, [target])[0]
    if not site.declared:
        fail(f"sites snapshot needs a declared site, not {target!r} (see `newscrawl sites add`)")
    folder = root / site.name
    if existing_path(str(folder)) is not None and not folder.is_dir():
        fail(f"cannot use {str(folder)!r}: not a folder")
    try:
        known = {fixture.url for fixture in load_fixtures(folder)}
    except FixtureError as exc:
        fail(str(exc))
    try:
        report = _check(args, target, list(args.settings), [], args.limit)
    except _SampleFailed as exc:
        print(printable(f"newscrawl sites snapshot: {exc}"), file=sys.stderr)
        return EXIT_FAILED
    fetched = datetime.now(UTC)
    saved = []
    for page_url, body in _article_bodies(report):
        if page_url in known:
            continue
        try:
            saved.append(save_fixture(folder, site, page_url, body, fetched))
        except (FixtureError, OSError) as exc:
            fail(f"cannot save a fixture into {str(folder)!r}: {exc}")
    if args.json:
        out.write(json_text({"site": site.name, "saved": [str(p) for p in saved],
                             "outcome": report.outcome.name}) + "\n")  # fmt: skip
    else:
        for path in saved:
            out.write(printable(f"saved {path.with_suffix('.html')} and {path.name}") + "\n")
        out.write(printable(
            f"{len(saved)} new fixtures of {site.name} in {folder} ({len(known)} there before). "
            "Review each .json's \"expected\" against its page: correct what the extraction got "
            "wrong, leave out a field the page does not settle.") + "\n")  # fmt: skip
    return report.outcome.code


def _article_bodies(report: CheckReport) -> list[tuple[str, bytes]]:
    return [(url, report.bodies[url]) for url in report.readings]


def _site_name(url: str) -> str:
    """A name for a site from its home URL: the registrable domain's first label."""
    host = url.split("://", 1)[1].split("/", 1)[0].split(":", 1)[0].strip("[]")
    label = registrable_domain(host).split(".")[0]
    name = "".join(c if c.isalnum() else "_" for c in label.lower())
    return name if name[:1].isalpha() else f"site_{name}"


def cmd_add(args: argparse.Namespace, out: IO[str]) -> int:
    target = _needs_target(args)
    if "://" not in target:
        fail(f"sites add needs the site's home URL, not {target!r}")
    try:
        home = canonical_url(target)
    except InvalidUrl as exc:
        fail(str(exc))
    name = args.name or _site_name(home)
    problem = name_problem(name)
    if problem:
        fail(problem)
    settings = settings_of(args)
    registry = SiteRegistry.load(settings)
    if registry.named(name):
        fail(f"a site named {name!r} is declared already")
    owner = registry.for_url(home)
    if owner.declared:
        fail(f"{home} belongs to the declared site {owner.name!r}; check it with "
             f"`newscrawl sites check {owner.name}`")  # fmt: skip
    folder = Path(args.dir or DEFAULT_SPIDERS_DIR)
    path = folder / f"{name}.py"
    if existing_path(str(path)) is not None:
        fail(f"{path} exists already: remove it or choose another --name")
    if existing_path(str(folder)) is not None and not folder.is_dir():
        fail(f"cannot use {str(folder)!r}: not a folder")
    # 1. The site by the generic rules: its feeds and sitemaps, and which pages are articles.
    try:
        generic = _check(args, home, list(args.settings), [], max(args.limit, ADD_SAMPLE_ARTICLES))
    except _SampleFailed as exc:
        print(printable(f"newscrawl sites add: {exc}"), file=sys.stderr)
        return EXIT_FAILED
    if not generic.readings:
        write_report(generic, out, as_json=args.json)
        out.write(printable(f"No article found on {home}: no declaration written.") + "\n")
        return generic.outcome.code
    proposals = propose_patterns(list(generic.readings))
    # Feeds and sitemaps where the site announces them (the usual locations, robots.txt, the
    # home page); not the sitemaps an index lists, which a crawl reads from the index.
    entry = ("declaration", home, canonical_url(urljoin(home, "/robots.txt")))
    feeds = [row.url for row in generic.rows if row.verdict == "feed" and row.found_on in entry]
    sitemaps = [row.url for row in generic.rows
                if row.verdict == "sitemap" and row.found_on in entry]  # fmt: skip
    source = declaration_source(name, home, feeds=feeds, sitemaps=sitemaps, proposals=proposals)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as handle:  # never over a file that appeared
            handle.write(source)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}")
    # 2. The declaration, checked as a worker would load it.
    overrides, python_path = list(args.settings), []
    if folder.resolve() != Path(DEFAULT_SPIDERS_DIR).resolve():
        modules = [*settings.getlist("SPIDER_MODULES"), name]
        overrides.append(f"SPIDER_MODULES={json_text(modules)}")
        python_path.append(str(folder.resolve()))
        sys.path.insert(0, str(folder.resolve()))
    try:
        report = _check(args, name, overrides, python_path, args.limit)
    except _SampleFailed as exc:
        print(printable(f"newscrawl sites add: wrote {path}, but its check failed: {exc}"),
              file=sys.stderr)  # fmt: skip
        return EXIT_FAILED
    if args.json:
        record = report.to_json()
        record["declaration"] = str(path)
        record["article_allow"] = [p.pattern for p in proposals]
        out.write(json_text(record) + "\n")
    else:
        write_report(report, out, as_json=False)
        _write_review(out, path, name, proposals, generic)
    return report.outcome.code


def _write_review(
    out: IO[str], path: Path, name: str, proposals: list, generic: CheckReport
) -> None:
    lines = ["", f"Wrote {path}. Review before crawling:"]
    if not proposals:
        lines.append("  - no article URL pattern could be proposed: add article_allow by hand")
    for proposal in proposals:
        lines.append(f"  - article_allow {proposal.pattern} (from {len(proposal.examples)} "
                     f"sampled articles, e.g. {proposal.examples[0]})")  # fmt: skip
    refused = [row.url for row in generic.rows if row.verdict == "article"
               and not any(p.examples and row.url in p.examples for p in proposals)]  # fmt: skip
    for url in refused[:5]:
        lines.append(f"  - read as an article by the generic rules, but no pattern takes it: {url}")
    lines += [
        "  - the flags above, and the title, date and first and last sentences of each article",
        f"  - then: newscrawl sites snapshot {name}   (fixtures to review)",
        f"          newscrawl crawl {name}",
    ]
    if generic.outcome is NO_ARTICLES:
        lines.append("  - the generic reading found no article")
    for line in lines:
        out.write(printable(line) + "\n")
