"""docs/sites.md, generated from the code: the coverage table of the declared sites.

One row per site the registry loads (the spider loader is the one list: no second list to
keep in sync): its origins, its sources (sections, feeds, sitemaps, and whether the usual
locations are probed), its article URL patterns, the extraction overrides and hooks it
uses, and its fixtures under ``tests/sites/<name>/`` (how many, and the newest ``fetched``
date: how long ago a person last checked the site's pages). Broken declarations are listed
below the table with their one line. ``newscrawl sites doc`` prints it (``make sites-doc``
writes docs/sites.md); tests/test_declared_sites.py fails when the file is stale.
"""

from __future__ import annotations

from pathlib import Path

from crawler.site_fixtures import load_fixtures
from crawler.sites import Site, SiteRegistry

# What regenerates the file; the stale-file test and the file itself name it.
REGENERATE = "make sites-doc"


def render_sites_doc(registry: SiteRegistry, fixtures_root: Path) -> str:
    """The Markdown of docs/sites.md for the registry's sites and the fixtures under
    ``fixtures_root`` (one folder per site name)."""
    lines = [
        "# Declared sites",
        "",
        f"Generated from the declarations and `tests/sites/` by `{REGENERATE}`; do not edit.",
        "Each site's fixtures are read offline by `tests/test_declared_sites.py`, field by field;",
        "the fixture date is when its newest page was fetched (`newscrawl sites snapshot NAME`).",
        "",
        "| site | origins | sources | article patterns | overrides and hooks | fixtures |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for site in sorted(registry, key=lambda s: s.name):
        cells = (
            f"`{site.name}`",
            ", ".join(f"`{origin}`" for origin in site.origins),
            _sources(site),
            _patterns(site),
            _overrides(site),
            _fixtures(fixtures_root / site.name),
        )
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    if not registry.declared:
        lines.append("| (none) | | | | | |")
    if registry.broken:
        lines += ["", "Broken declarations (not loaded, not crawled):", ""]
        lines += [f"- {_cell(entry.line)}" for entry in registry.broken]
    return "\n".join(lines) + "\n"


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _sources(site: Site) -> str:
    parts = [
        _count(len(site.sections), "section"),
        _count(len(site.feeds), "feed"),
        _count(len(site.sitemaps), "sitemap"),
    ]
    # discover probes the usual feed and sitemap paths besides the declared ones.
    return ", ".join(parts) + (" + usual locations" if site.discover else "")


def _patterns(site: Site) -> str:
    parts = []
    if site.article_allow:
        parts.append(f"{len(site.article_allow)} allow")
    if site.article_deny:
        parts.append(f"{len(site.article_deny)} deny")
    return ", ".join(parts) or "none"


def _overrides(site: Site) -> str:
    parts = []
    if site.overrides.drop_selectors:
        parts.append(_count(len(site.overrides.drop_selectors), "drop selector"))
    if site.overrides.body_selector:
        parts.append("body selector")
    parts += [f"`{hook}`" for hook in ("fix_article", "extra_links") if getattr(site, hook)]
    return ", ".join(parts) or "none"


def _fixtures(folder: Path) -> str:
    fixtures = load_fixtures(folder)
    if not fixtures:
        return "none"
    # ISO 8601 in UTC sorts as text; the day is what a reader needs.
    newest = max(fixture.fetched for fixture in fixtures)
    return f"{len(fixtures)}, {newest[:10]}"


def _cell(text: str) -> str:
    """Text safe in a Markdown table cell (a pipe would end the cell)."""
    return text.replace("|", "\\|").replace("\n", " ")
