"""Article URL patterns proposed from sampled article URLs (crawler/site_proposal.py)."""

from __future__ import annotations

import re

import pytest

from crawler.site_proposal import (
    declaration_source,
    name_problem,
    propose_patterns,
    template_regex,
)
from crawler.sites import _check_declaration


def test_template_regex_anchors_and_abstracts():
    pattern = template_regex("/{n}/{n}/{n}/{s}/")
    assert re.search(pattern, "https://h.example/2026/11/02/a-story/")
    assert not re.search(pattern, "https://h.example/2026/11/02/a-story/amp/")
    assert not re.search(pattern, "https://h.example/category/x/")


@pytest.mark.parametrize(
    ("urls", "takes", "refuses"),
    [
        (  # a query-string CMS: print copies are variants, not another shape of articles
            [f"http://h:81/article.php?id={n}" for n in (12, 345, 6789)]
            + ["http://h:81/article.php?id=12&print=1"],
            ["http://h:81/article.php?id=1"],
            ["http://h:81/article.php?id=1&print=1", "http://h:81/index.php?section=x"],
        ),
        (  # a word every URL shares stays; the section that varies does not
            [f"https://h/news/{s}/a-story-{n}.html" for s, n in (("a", 1), ("b", 2), ("c", 3))],
            ["https://h/news/sport/another-one-9.html"],
            ["https://h/topics/sport/another-one-9.html", "https://h/news/sport/"],
        ),
    ],
)
def test_proposed_patterns(urls, takes, refuses):
    proposals = propose_patterns(urls)
    assert len(proposals) == 1
    pattern = proposals[0].pattern
    assert all(re.search(pattern, url) for url in urls if "print" not in url)
    assert all(re.search(pattern, url) for url in takes)
    assert not any(re.search(pattern, url) for url in refuses)


def test_the_written_declaration_loads_as_a_declaration(tmp_path, monkeypatch):
    proposals = propose_patterns([f"http://h:81/{n}/story-about-{n}" for n in (1, 2, 3)])
    source = declaration_source(
        "my_site", "http://h:81/", feeds=["http://h:81/rss.php"], sitemaps=[], proposals=proposals
    )
    (tmp_path / "my_site.py").write_text(source, "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import my_site  # written by the test

    site = _check_declaration(my_site.MySiteSpider)
    assert site.name == "my_site" and site.feeds == ("/rss.php",) and not site.discover
    assert site.allows_article_url("http://h:81/7/story-about-7") is True
    assert site.allows_article_url("http://h:81/tag/x") is False


@pytest.mark.parametrize("name", ["My", "1abc", "a-b", "class", "", "a" * 41])
def test_names_that_cannot_be_a_module(name):
    assert name_problem(name)


def test_a_good_name():
    assert name_problem("valley_courier") is None
