"""docs/sites.md's generator: one row per declared site, its sources, rules and fixture date."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from crawler.extraction import Overrides
from crawler.site_fixtures import save_fixture
from crawler.sites import BrokenDeclaration, Site, SiteRegistry
from tests.crawltools import REPO
from tests.declared import WITH_DEMO

PAGE = (REPO / "tests" / "sites" / "demo" / "01-met-police-armed-patrols.html").read_bytes()
URL = "http://127.0.0.2:8461/world/2026/11/02/met-police-armed-patrols"


def test_rows_say_sources_patterns_overrides_and_fixtures(tmp_path):
    from crawler.site_docs import render_sites_doc

    demo = Site(name="demo", home="http://127.0.0.2:8461/", sections=("/world/",),
                feeds=("/a.xml", "/b.xml"), discover=False, article_allow=(r"/\d{4}/",))  # fmt: skip
    other = Site(name="other", home="https://other.example/",
                 overrides=Overrides(drop_selectors=(".a", ".b"), body_selector="main"),
                 article_deny=("/live/",), fix_article=lambda a, p: a)  # fmt: skip
    for day in (3, 5, 4):
        save_fixture(tmp_path / "demo", demo, URL, PAGE, datetime(2026, 11, day, 8, tzinfo=UTC))
    broken = BrokenDeclaration("spiders/bad.py: article_allow[0]: 'a|(': missing )", ("bad",))
    doc = render_sites_doc(SiteRegistry([other, demo], [broken]), tmp_path)
    rows = [line for line in doc.splitlines() if line.startswith("| `")]
    assert rows == [
        "| `demo` | `http://127.0.0.2:8461` | 1 section, 2 feeds, 0 sitemaps | 1 allow | none "
        "| 3, 2026-11-05 |",
        "| `other` | `http://other.example`, `https://other.example` | 0 sections, 0 feeds, "
        "0 sitemaps + usual locations | 1 deny | 2 drop selectors, body selector, "
        "`fix_article` | none |",
    ]
    # a pipe would end a table cell
    assert doc.endswith("\n- spiders/bad.py: article_allow[0]: 'a\\|(': missing )\n")
    assert "make sites-doc" in doc


def test_sites_doc_command_prints_the_file(tmp_path, monkeypatch):
    """What `make sites-doc` runs writes what the stale-file test expects."""
    from crawler.cli import main

    monkeypatch.chdir(REPO)
    out = io.StringIO()
    assert main(["sites", "doc", "-s", WITH_DEMO], out=out) == 0
    assert out.getvalue() == (REPO / "docs" / "sites.md").read_text("utf-8")
