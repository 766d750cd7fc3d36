"""URL templates (crawler/urls.py ``url_template``): the unit the trap budget counts by."""

from __future__ import annotations

import pytest

from crawler.urls import part_position, url_preference, url_template


@pytest.mark.parametrize(
    ("url", "template"),
    [
        ("http://a.example/archive/2026/11/29/", "/archive/{n}/{n}/{n}/"),
        ("http://a.example/archive/2019/01/01/", "/archive/{n}/{n}/{n}/"),
        ("http://a.example/city/?sort=date&order=asc", "/{w}/?order={v}&sort={v}"),
        ("http://a.example/city/?page=7", "/{w}/?page={n}"),
        ("http://a.example/city/harbour-works-begin?page=2", "/{w}/{s}?page={n}"),
        ("http://a.example/search/?q=harbour", "/search/?q={v}"),
        ("http://a.example/2026/05/01/a-long-slug/", "/{n}/{n}/{n}/{s}/"),
        ("http://a.example/?p=123", "/?p={n}"),
        ("http://a.example/article.php?id=5&print=1", "/article.php?id={n}&print={n}"),
        ("http://a.example/index.php?section=economy", "/index.php?section={v}"),
        ("http://a.example/news/harbour-works-123.html", "/{w}/{s}.html"),
        ("http://a.example/a/123", "/{w}/{n}"),
        ("http://a.example/tag/brexit/", "/tag/{w}/"),
        ("http://a.example/category/economy/page/3/", "/category/{w}/page/{n}/"),
        ("http://a.example/amp/2026/05/01/a-long-slug/", "/amp/{n}/{n}/{n}/{s}/"),
        ("http://a.example/", "/"),
        ("http://a.example/world/", "/{w}/"),
        ("http://a.example/world/politics/", "/{w}/{w}/"),
        ("http://a.example/p/a1b2c3d4", "/{w}/{id}"),
    ],
)
def test_templates(url, template):
    assert url_template(url) == template


def test_traps_share_a_template_and_articles_do_not_mix_with_listings():
    days = {url_template(f"http://a.example/archive/2026/{m:02d}/{d:02d}/")
            for m in range(1, 13) for d in range(1, 29)}  # fmt: skip
    assert len(days) == 1
    assert url_template("http://a.example/world/?page=2") != url_template(
        "http://a.example/world/harbour-works-begin"
    )


def test_templates_are_bounded_and_never_raise():
    long = "http://a.example/" + "/".join(f"seg{i}" for i in range(500))
    assert len(url_template(long)) <= 200
    assert url_template("http://[::1/x") == "?"


@pytest.mark.parametrize(
    ("own", "variant"),
    [
        ("http://a.example/article.php?id=5", "http://a.example/article.php?id=5&print=1"),
        ("http://a.example/2026/05/01/a-long-slug/", "http://a.example/?p=123"),
        (
            "http://a.example/2026/05/01/a-long-slug/",
            "http://a.example/amp/2026/05/01/a-long-slug/",
        ),
        ("http://a.example/2026/05/01/a-long-slug/", "http://a.example/2026/05/01/A-Long-Slug/"),
        ("http://a.example/news/harbour-works-begin-123.html", "http://a.example/a/123"),
        ("http://a.example/city/harbour-works", "http://a.example/city/harbour-works?page=all"),
        ("http://a.example/story", "http://a.example/story?replytocom=42"),
    ],
)
def test_the_articles_own_url_is_preferred_to_its_variants(own, variant):
    assert url_preference(own) < url_preference(variant)


def test_a_trailing_slash_alone_decides_nothing():
    assert url_preference("http://a.example/a-long-slug/") == url_preference(
        "http://a.example/a-long-slug"
    )


@pytest.mark.parametrize(
    ("url", "position"),
    [
        ("http://a.example/city/story?page=3", ("http://a.example/city/story", 3)),
        ("http://a.example/city/story?page=1", ("http://a.example/city/story", 1)),
        ("http://a.example/article.php?id=5&page=2", ("http://a.example/article.php?id=5", 2)),
        ("http://a.example/city/story", ("http://a.example/city/story", 1)),
        ("http://a.example/city/story?page=all", ("http://a.example/city/story?page=all", 1)),
    ],
)
def test_part_position(url, position):
    assert part_position(url) == position
