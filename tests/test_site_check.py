"""Reading a sample of a site and flagging what to look at (crawler/site_check.py).

Samples are built from the demo site's content model, offline.
"""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

from crawler.extraction import Overrides
from crawler.items import Article
from crawler.outcomes import DECLARATION_BROKEN, NO_ARTICLES, OK, UNREACHABLE
from crawler.sampling import Sample, SampledPage
from crawler.site_check import PageRow, check_sample, describe
from crawler.sites import SiteRegistry
from tests.declared.demo import DEMO_HOME, DemoSpider
from tests.demo_site.content import Site as DemoContent

SITE = DemoSpider.site


def _sample(count: int = 2) -> Sample:
    content = DemoContent(DEMO_HOME)
    pages = [SampledPage(DEMO_HOME, "home", 200, body=content.respond("/").body)]
    for entry in content.manifest()["articles"][:count]:
        body = content.respond(entry["url"].removeprefix(DEMO_HOME.rstrip("/"))).body
        pages.append(SampledPage(entry["url"], "article", 200, body=body))
    discovered = {page.url: page.kind for page in pages}
    return Sample(site="demo", pages=pages, discovered=discovered, feeds=[], sitemaps=[])


def _check(site, sample):
    return check_sample(site, sample, SiteRegistry([site]))


def test_articles_are_described():
    report = _check(SITE, _sample())
    assert report.outcome is OK and report.articles == 2
    home, first, _ = report.rows
    assert home.verdict == "not an article" and "url=site root" in home.why
    assert first.verdict == "article" and first.title and first.words > 100
    assert first.published and first.first and first.last and first.flags == []
    assert report.flags == []


def test_selectors_and_patterns_that_match_nothing_are_flagged():
    site = replace(
        SITE,
        overrides=Overrides(drop_selectors=(".no-such-box",), body_selector="div.no-such-body"),
        article_allow=(*SITE.article_allow, r"/no-such-shape/\d+$"),
    )
    flags = _check(site, _sample()).flags
    assert any(
        f.startswith("drop_selectors '.no-such-box' matches nothing on 2 of 2") for f in flags
    )
    assert any(f.startswith("body_selector 'div.no-such-body' matches nothing") for f in flags)
    assert any(f.startswith("article_allow") and "no-such-shape" in f for f in flags)


def test_a_declaration_that_refuses_every_article_is_broken():
    site = replace(SITE, article_deny=(".",))
    report = _check(site, _sample())
    assert report.outcome is DECLARATION_BROKEN and report.articles == 0


def test_no_article_and_no_answer():
    only_home = _sample(0)
    assert _check(SITE, only_home).outcome is NO_ARTICLES
    down = Sample(
        "demo", [SampledPage(DEMO_HOME, "home", error="ConnectionRefusedError")], {}, [], []
    )
    report = _check(SITE, down)
    assert report.outcome is UNREACHABLE and report.flags[0].startswith("home ")


def test_short_bodies_teaser_tails_and_missing_dates_are_flagged():
    text = "A sentence of the story that is long enough to count. " * 5 + "Read more..."
    reading = SimpleNamespace(article=Article(url="http://h/a", title="T", text=text))
    row = PageRow(url="http://h/a", kind="article", status=200, verdict="article")
    describe(row, reading)
    assert row.flags == ["short body (282 characters)", "teaser-like tail", "no published date"]
    assert row.first == "A sentence of the story that is long enough to count."
    assert row.last == "Read more..."
