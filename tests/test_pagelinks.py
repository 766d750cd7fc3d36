"""The links taken from one page: all of them up to the cap, the first ones past it, fast."""

from __future__ import annotations

import time

from scrapy.http import HtmlResponse
from scrapy.linkextractors import LinkExtractor

from crawler import settings
from crawler.pagelinks import link_count, page_links

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


def test_a_page_over_the_cap_gives_its_first_links_in_document_order():
    links = page_links(_page(50, '<map><area href="/map"></map>'), 10)
    assert links.capped is True and links.total == 51
    assert links.urls == ["https://news.example/map"] + [
        f"https://news.example/story/{i}" for i in range(9)
    ]


def test_zero_takes_every_link():
    links = page_links(_page(50), 0)
    assert len(links.urls) == 50 and links.capped is False


def test_a_hundred_thousand_links_cost_well_under_a_second_or_two():
    """libxml2 merges the node sets of a union ('//a | //area') in quadratic time: with one
    <area> on the page that took 24 s here. The cap's query must not."""
    response = _page(100_000, '<map><area href="/map"></map>')
    response.selector  # parsing is not what is measured  # noqa: B018
    started = time.monotonic()
    links = page_links(response, settings.NEWS_MAX_LINKS_PER_PAGE)
    assert time.monotonic() - started < 2.0
    assert links.total == 100_001 and links.capped is True
    assert len(links.urls) == settings.NEWS_MAX_LINKS_PER_PAGE


def test_link_count_counts_every_a_and_area():
    assert link_count(_page(0)) == 0
    assert link_count(_page(3, '<map><area href="/m"><area></map><a name="x"></a>')) == 6
