"""URL signals: canonical, date in path, article vs listing shape."""

from __future__ import annotations

import datetime as dt

import pytest

from crawler.extraction.parsing import parse_html
from crawler.extraction.urls import page_url_of, url_date, url_shape


def test_canonical_then_og_url_resolved():
    root = parse_html('<link rel="Canonical" href="/a/b"><meta property="og:url" content="/c">')
    assert page_url_of(root, "https://x.example/q?id=1") == "https://x.example/a/b"
    root = parse_html('<meta property="og:url" content="/c">')
    assert page_url_of(root, "https://x.example/q") == "https://x.example/c"
    assert (
        page_url_of(parse_html('<link rel="canonical" href="javascript:x">'), "https://x.example/")
        is None
    )


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://x.example/2019/10/22/slug/", dt.date(2019, 10, 22)),
        ("https://x.example/news/20260318/slug", dt.date(2026, 3, 18)),
        ("https://x.example/2026-03-04/slug", dt.date(2026, 3, 4)),
        ("https://x.example/society/2026/may/06/slug", None),
        ("https://x.example/article/123456789", None),
    ],
)
def test_url_date(url, day):
    assert url_date(url) == day


@pytest.mark.parametrize(
    ("url", "sign"),
    [
        ("https://x.example/2026/03/01/council-approves-new-budget/", 1),
        ("https://x.example/news/a-long-article-slug-about-things", 1),
        ("https://x.example/", -1),
        ("https://x.example/tag/housing/", -1),
        ("https://x.example/author/jane-doe/", -1),
        ("https://x.example/news/?page=2", -1),
        ("https://x.example/search?q=x", -1),
    ],
)
def test_url_shape(url, sign):
    score, reasons = url_shape(url)
    assert (score > 0) == (sign > 0), reasons
