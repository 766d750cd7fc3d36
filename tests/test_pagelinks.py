"""The links taken from one page: all of them up to the cap, the first ones past it, fast and
without parsing the rest."""

from __future__ import annotations

import time

import pytest
from scrapy.http import HtmlResponse
from scrapy.linkextractors import LinkExtractor

from crawler import settings
from crawler.pagelinks import link_tags, page_links

BASE = "https://news.example/section/"


def _page(links: int, extra: str = "") -> HtmlResponse:
    rows = "".join(f'<li><a href="/story/{i}">Story {i}</a></li>' for i in range(links))
    body = f"<html><body>{extra}<ul>{rows}</ul></body></html>"
    return HtmlResponse(url=BASE, body=body.encode(), encoding="utf-8")


def test_an_ordinary_page_gives_what_the_link_extractor_gives():
    response = _page(300, '<map><area href="/map"></map><a href="/ad" rel="nofollow">ad</a>'
                          '<a href="/story/1">again</a><a href="/files/report.pdf">pdf</a>')  # fmt: skip
    links = page_links(response, settings.NEWS_MAX_LINKS_PER_PAGE)
    expected = [
        link.url
        for link in LinkExtractor(
            unique=True, canonicalize=False, tags=("a", "area")
        ).extract_links(response)
        if not link.nofollow
    ]
    assert links.urls == expected
    assert (
        links.urls[0] == "https://news.example/map" and "https://news.example/ad" not in links.urls
    )
    assert len(links.urls) == 301  # 300 stories and the map area, each once, no PDF
    assert links.total == 304 and links.capped is False
    assert links.feeds == []


def test_a_page_over_the_cap_gives_its_first_links_in_document_order():
    links = page_links(_page(50, '<map><area href="/map"></map>'), 10)
    assert links.capped is True and links.total == 51
    assert links.urls == ["https://news.example/map"] + [
        f"https://news.example/story/{i}" for i in range(9)
    ]


def test_zero_takes_every_link():
    links = page_links(_page(50), 0)
    assert len(links.urls) == 50 and links.capped is False


def test_a_hundred_thousand_links_cost_well_under_a_second():
    """Counted in the bytes, and only the part up to the cap parsed: no parse tree of the
    whole page (90 MB for these 100,000 links), no quadratic XPath union."""
    response = _page(100_000, '<map><area href="/map"></map>')
    started = time.monotonic()
    links = page_links(response, settings.NEWS_MAX_LINKS_PER_PAGE)
    assert time.monotonic() - started < 1.0
    assert links.total == 100_001 and links.capped is True
    assert len(links.urls) == settings.NEWS_MAX_LINKS_PER_PAGE
    assert links.urls[-1] == f"https://news.example/story/{settings.NEWS_MAX_LINKS_PER_PAGE - 2}"


def test_advertised_feeds_are_read_from_the_head_even_when_the_page_is_cut():
    head = (
        '<link rel="alternate" type="application/rss+xml" href="/feeds/all.xml">'
        '<link rel="home alternate" type="application/atom+xml" href="https://news.example/a">'
        '<link rel="stylesheet" href="/site.css"><link rel="alternate" hreflang="de" href="/de/">'
    )
    rows = "".join(f'<a href="/s/{i}">{i}</a>' for i in range(50))
    body = f"<html><head>{head}</head><body>{rows}</body></html>".encode()
    response = HtmlResponse(url=BASE, body=body, encoding="utf-8")
    for cap in (0, 10):
        links = page_links(response, cap)
        assert links.feeds == ["https://news.example/feeds/all.xml", "https://news.example/a"]
        assert links.capped is (cap == 10)


@pytest.mark.parametrize(
    ("body", "count"),
    [
        (b"", 0),
        (b"<p>no links</p>", 0),
        (b'<a href="/x">x</a><A HREF="/y">y</A><a\nhref="/z">z</a>', 3),
        (b'<map><area href="/m"><area/></map><a name="x"></a><a>bare</a>', 4),
        (b"<abbr>a</abbr><aside><article><audio></audio></article></aside>", 0),
    ],
)
def test_link_tags_are_counted_in_the_bytes(body, count):
    assert link_tags(body) == (count, None)


def test_the_cut_is_where_the_first_link_over_the_cap_begins():
    body = b"<html><body>" + b"".join(b'<a href="/%d">%d</a>' % (i, i) for i in range(5))
    total, cut = link_tags(body, 3)
    assert total == 5 and body[cut:].startswith(b'<a href="/3">')
    assert link_tags(body, 5) == (5, None) and link_tags(body, 0) == (5, None)
