"""Per-site fixtures (crawler/site_fixtures.py): saved, loaded, compared field by field.

Pages come from the demo site's content model, offline; the declaration is the demo's.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from crawler.extraction import Overrides
from crawler.site_fixtures import (
    EXPECTED_FIELDS,
    FixtureError,
    compare_fixture,
    load_fixtures,
    save_fixture,
    slug_of,
)
from tests.declared.demo import DEMO_HOME, DemoSpider
from tests.demo_site.content import Site as DemoContent

SITE = DemoSpider.site
FETCHED = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)


def _articles(count: int) -> list[tuple[str, bytes]]:
    content = DemoContent(DEMO_HOME)
    pages = []
    for entry in content.manifest()["articles"][:count]:
        path = entry["url"].removeprefix(DEMO_HOME.rstrip("/"))
        pages.append((entry["url"], content.respond(path).body))
    return pages


def test_saved_fixtures_pass_their_own_comparison(tmp_path):
    for url, body in _articles(3):
        save_fixture(tmp_path, SITE, url, body, FETCHED)
    fixtures = load_fixtures(tmp_path)
    assert [f.html_path.name[:3] for f in fixtures] == ["01-", "02-", "03-"]
    for fixture in fixtures:
        assert compare_fixture(fixture, SITE) == []
    record = json.loads(fixtures[0].json_path.read_text("utf-8"))
    assert set(record) == {"url", "fetched", "site", "expected"}
    assert record["fetched"] == "2026-11-29T23:30:00+00:00"
    assert record["site"] == "demo"
    assert tuple(record["expected"]) == EXPECTED_FIELDS
    assert record["expected"]["title"] and record["expected"]["text"]


def test_a_changed_field_is_named(tmp_path):
    url, body = _articles(1)[0]
    path = save_fixture(tmp_path, SITE, url, body, FETCHED)
    record = json.loads(path.read_text("utf-8"))
    record["expected"]["title"] = "Another headline"
    del record["expected"]["tags"]  # a field left out is not compared
    path.write_text(json.dumps(record), "utf-8")
    (fixture,) = load_fixtures(tmp_path)
    differences = compare_fixture(fixture, SITE)
    assert len(differences) == 1 and differences[0].startswith("title: differs at character 0")


def test_a_declaration_change_that_breaks_the_body_shows(tmp_path):
    url, body = _articles(1)[0]
    save_fixture(tmp_path, SITE, url, body, FETCHED)
    (fixture,) = load_fixtures(tmp_path)
    broken = replace(SITE, overrides=Overrides(drop_selectors=("p",)))
    assert compare_fixture(fixture, broken) != []


def test_a_page_that_is_no_article_is_not_saved(tmp_path):
    home = DemoContent(DEMO_HOME).respond("/").body
    with pytest.raises(FixtureError, match="not read as an article"):
        save_fixture(tmp_path, SITE, DEMO_HOME, home, FETCHED)
    assert list(tmp_path.iterdir()) == []


def test_broken_records_are_named(tmp_path):
    assert load_fixtures(tmp_path / "none") == []
    (tmp_path / "01-x.json").write_text("{}", "utf-8")
    with pytest.raises(FixtureError, match=r"01-x\.json"):
        load_fixtures(tmp_path)


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        ("http://h/world/2026/11/02/a-story", "a-story"),
        ("http://h/article.php?id=12", "article-id-12"),
        ("http://h/news/x/story-123.html", "story-123"),
        ("http://h/", "home"),
    ],
)
def test_slugs(url, slug):
    assert slug_of(url) == slug
