"""Cross-checked publication dates."""

from __future__ import annotations

import datetime as dt

from crawler.extraction.dates import find_dates, parse_date, to_iso
from crawler.extraction.meta import MetaTags
from crawler.extraction.parsing import parse_html


def _dates(html: str, url_day=None, hint=None, node=None):
    root = parse_html(html)
    return find_dates(root, MetaTags(root), node, url_day, hint)


def test_parse_forms():
    assert to_iso(parse_date("2026-03-01T10:00:00Z")) == "2026-03-01T10:00:00+00:00"
    assert to_iso(parse_date("2026-03-01T10:00:00+0530")) == "2026-03-01T10:00:00+05:30"
    assert to_iso(parse_date("2026-03-01")) == "2026-03-01T00:00:00+00:00"
    assert to_iso(parse_date("Sun, 01 Mar 2026 10:00:00 GMT")) == "2026-03-01T10:00:00+00:00"
    assert to_iso(parse_date("1772359200")) == "2026-03-01T10:00:00+00:00"
    assert parse_date("yesterday") is None
    assert parse_date("1850-01-01") is None


def test_agreeing_sources_and_precision():
    html = """<meta property="article:published_time" content="2026-03-01T10:00:00-05:00">
    <time datetime="2026-03-01">March 1</time>"""
    published, _ = _dates(html, node={"datePublished": "2026-03-01T15:00:00Z"})
    assert published in ("2026-03-01T15:00:00+00:00", "2026-03-01T10:00:00-05:00")


def test_candidate_contradicting_url_date_is_rejected():
    html = '<meta property="article:published_time" content="2019-01-01T08:00:00+00:00">'
    published, _ = _dates(html, url_day=dt.date(2026, 3, 1))
    assert published == "2026-03-01T00:00:00+00:00"


def test_teaser_time_loses_to_structured_data():
    html = """<div class="rail"><time datetime="2026-02-10T08:00:00Z">x</time></div>
    <meta property="article:published_time" content="2026-03-01T09:00:00+01:00">"""
    published, _ = _dates(html, node={"datePublished": "2026-03-01T08:00:00Z"})
    assert published[:10] == "2026-03-01"


def test_hint_alone_and_modified_after_published():
    published, modified = _dates(
        '<meta property="article:modified_time" content="2026-03-02T09:00:00Z">',
        hint="2026-03-01T07:00:00Z",
    )
    assert published == "2026-03-01T07:00:00+00:00"
    assert modified == "2026-03-02T09:00:00+00:00"


def test_naive_time_is_utc_and_nothing_gives_none():
    assert (
        _dates('<meta name="pubdate" content="2026-03-01 07:00">')[0] == "2026-03-01T07:00:00+00:00"
    )
    assert _dates("<p>no dates</p>") == (None, None)
