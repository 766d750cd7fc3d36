"""Save fixtures of the demo site, the way ``newscrawl sites snapshot demo`` does, and review them.

``python -m tests.demo_site.snapshot [--replace]`` serves the demo site on its declared
address (127.0.0.2:8461, tests/declared/demo.py), fetches one article of each section over
HTTP (a different page template each where the site has one), saves each with
``save_fixture`` into ``tests/sites/demo/`` (``<nn>-<slug>.html`` and ``.json``), and
reviews the expected values against the demo's ground truth (``manifest()``): title,
authors, description and body text must match it exactly, published the same instant (the
same day where the page shows only the day, in its URL). A
page whose values differ is reported and the command exits 1: a fixture pins values a
person has checked, not whatever extraction read. It writes with
crawler/site_fixtures.py, the same code as ``newscrawl sites snapshot``.
"""

from __future__ import annotations

import argparse
import sys
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from crawler.config import build_settings
from crawler.site_fixtures import load_fixtures, save_fixture
from crawler.sites import SiteRegistry
from tests.declared import WITH_DEMO
from tests.declared.demo import DEMO_HOME
from tests.demo_site.server import DemoSite

FIXTURES = Path(__file__).resolve().parent.parent / "sites" / "demo"
# The ground-truth fields a fixture's expected values are reviewed against.
REVIEWED = ("title", "authors", "description", "text")


def pick_articles(manifest: dict) -> list[dict]:
    """One article per section, preferring page templates not picked yet; never the flaky
    article (its first request answers 500)."""
    picked: list[dict] = []
    for section in dict.fromkeys(a["section"] for a in manifest["articles"]):
        candidates = [a for a in manifest["articles"] if a["section"] == section and not a["flaky"]]
        templates = {a["template"] for a in picked}
        fresh = [a for a in candidates if a["template"] not in templates]
        picked.append((fresh or candidates)[0])
    return picked


def review(expected: dict, truth: dict) -> list[str]:
    """How the saved expected values differ from the demo's ground truth (empty: none)."""
    problems = [f"{name}: {expected.get(name)!r} != {truth[name]!r}"
                for name in REVIEWED if expected.get(name) != truth[name]]  # fmt: skip
    published = expected.get("published")
    want = datetime.fromisoformat(truth["published"])
    got = datetime.fromisoformat(published) if published else None
    # A page whose only date is in its URL shows the day, not the time.
    day_only = truth["date_source"] == "url"
    if got is None or (got.date() != want.date() if day_only else got != want):
        problems.append(f"published: {published!r} != {truth['published']!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.demo_site.snapshot")
    parser.add_argument("--replace", action="store_true", help="delete the fixtures there first")
    args = parser.parse_args(argv)
    existing = sorted(FIXTURES.glob("*.json")) + sorted(FIXTURES.glob("*.html"))
    if existing and not args.replace:
        print(f"{FIXTURES} holds fixtures already; --replace to save new ones", file=sys.stderr)
        return 2
    for path in existing:
        path.unlink()
    site = SiteRegistry.load(build_settings([WITH_DEMO])).named("demo")
    assert site is not None and site.home == DEMO_HOME
    failed = 0
    with DemoSite(host="127.0.0.2", port=8461) as server:
        assert server.base_url == DEMO_HOME
        for truth in pick_articles(server.manifest()):
            with urllib.request.urlopen(truth["url"], timeout=10) as response:
                body = response.read()
            saved = save_fixture(FIXTURES, site, truth["url"], body, datetime.now(UTC))
            (fixture,) = [f for f in load_fixtures(FIXTURES) if f.json_path == saved]
            problems = review(fixture.expected, truth)
            failed += bool(problems)
            print(f"{saved.name}: {'; '.join(problems) or 'matches the ground truth'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
