"""NewsSpider's bounded reading of a response, without a crawl: what each body is read as,
where it is read (on the reactor or in a thread), and the limits it is read within.

The spider is built without a crawler (reading touches no Scrapy state) and given the
project's limits; tests/test_hostile_web.py crawls the same cases with real workers.
"""

from __future__ import annotations

import gzip
import inspect

import pytest
from scrapy.http import HtmlResponse, Request, TextResponse, XmlResponse
from scrapy.settings import Settings

from crawler import settings as project_settings
from crawler.discovery import NotRead, unpacked
from spiders.news import NewsSpider, ReadingLimits
from tests.hostile_site import (
    BIG_ARTICLE,
    GOOD_ARTICLES,
    big_article_page,
    link_flood_page,
    long_read_page,
    sitemap_bomb,
)

BASE = "http://127.0.0.7:8000"


def _settings(**overrides: object) -> Settings:
    values = Settings()
    values.setmodule(project_settings)
    values.setdict(overrides)
    return values


@pytest.fixture
def spider() -> NewsSpider:
    spider = NewsSpider()
    spider.limits = ReadingLimits.from_settings(_settings())
    return spider


def _response(path: str, body: bytes, kind: str = "page", cls: type = HtmlResponse) -> TextResponse:
    request = Request(BASE + path, meta={"news": {"kind": kind}})
    return cls(url=BASE + path, body=body, request=request, encoding="utf-8")


# --- the limits ------------------------------------------------------------------------------
def test_the_smaller_of_the_sitemap_cap_and_the_download_limit_applies():
    limits = ReadingLimits.from_settings(_settings(DOWNLOAD_MAXSIZE=1024 * 1024))
    assert (limits.xml_bytes, limits.xml_bytes_setting) == (1024 * 1024, "DOWNLOAD_MAXSIZE")
    limits = ReadingLimits.from_settings(_settings())
    assert limits.xml_bytes == project_settings.NEWS_SITEMAP_MAXSIZE
    assert limits.xml_bytes_setting == "NEWS_SITEMAP_MAXSIZE"
    # 0 is "no limit" for both, as for Scrapy's DOWNLOAD_MAXSIZE
    limits = ReadingLimits.from_settings(_settings(DOWNLOAD_MAXSIZE=0))
    assert limits.xml_bytes_setting == "NEWS_SITEMAP_MAXSIZE"
    limits = ReadingLimits.from_settings(_settings(DOWNLOAD_MAXSIZE=0, NEWS_SITEMAP_MAXSIZE=0))
    assert limits.xml_bytes == 0


def test_the_project_limits():
    limits = ReadingLimits.from_settings(_settings())
    assert limits.xml_entries == project_settings.NEWS_SITEMAP_MAX_ENTRIES == 5000
    assert limits.links == project_settings.NEWS_MAX_LINKS_PER_PAGE == 2000
    assert limits.text_bytes == project_settings.NEWS_MAX_TEXT_BYTES == 1_000_000
    assert limits.thread_bytes == project_settings.NEWS_THREAD_READ_BYTES == 1024 * 1024


# --- where a body is read --------------------------------------------------------------------
def test_small_bodies_are_read_on_the_reactor_and_large_ones_in_a_thread(spider):
    small = _response(GOOD_ARTICLES[0].path, GOOD_ARTICLES[0].render())
    assert inspect.isgenerator(spider.parse(small))
    large = _response(BIG_ARTICLE.path, big_article_page())
    assert inspect.isasyncgen(spider.parse(large))


def test_the_size_that_decides_is_the_size_once_unpacked(spider):
    """49 KB of gzip that unpacks to more than the thread threshold is not read on the
    reactor: here it is even over the sitemap cap, and not read at all."""
    bomb = _response("/sitemap.xml", sitemap_bomb(), "sitemap", XmlResponse)
    assert len(bomb.body) < spider.limits.thread_bytes
    assert inspect.isgenerator(spider.parse(bomb))  # the refusal, on the reactor
    items = gzip.compress(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + b"<url><loc>/p/1</loc></url>" * 50_000
        + b"</urlset>"
    )
    packed = _response("/sitemap.xml.gz", items, "sitemap", XmlResponse)
    assert len(packed.body) < 64 * 1024 < spider.limits.thread_bytes
    assert inspect.isasyncgen(spider.parse(packed))


# --- what a body is read as ------------------------------------------------------------------
def test_a_sitemap_is_read_once_with_its_entries_capped(spider):
    items = b"".join(b"<url><loc>/p/%d</loc></url>" % i for i in range(6000))
    body = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + items + b"</urlset>"
    response = _response("/sitemap.xml", body, "sitemap", XmlResponse)
    read = spider.read(response, spider.site_of(response), {"kind": "sitemap"}, body)
    assert read.announced is not None and read.page is None
    assert len(read.announced.entries) == 5000 and read.announced.capped


def _announced_requests(spider, path, body):
    response = _response(path, body, "sitemap", XmlResponse)
    site = spider.site_of(response)
    read = spider.read(response, site, {"kind": "sitemap"}, body)
    return list(spider.parse_announcements(response, site, read.announced))


def test_announced_dates_travel_with_the_links_they_announce(spider):
    articles = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>/2027/01/15/moved</loc><lastmod>2027-01-15T10:00:00+01:00</lastmod></url>"
        b"<url><loc>/2027/01/15/undated</loc></url></urlset>"
    )
    requests = _announced_requests(spider, "/sitemap-articles.xml", articles)
    assert [r.meta["news"].get("lastmod") for r in requests] == [1800003600, None]  # 9:00 UTC
    assert "pubdate" not in requests[1].meta["news"]
    news = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
        b"<loc>/2027/01/15/news</loc><news:news><news:publication_date>2027-01-15T09:00:00Z"
        b"</news:publication_date></news:news></url></urlset>"
    )
    (request,) = _announced_requests(spider, "/news-sitemap.xml", news)
    # no lastmod: its publication date stands in, kept apart from dates of change
    assert "lastmod" not in request.meta["news"] and request.meta["news"]["pubdate"] == 1800003600
    index = (
        b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
        b"<loc>/sitemap-articles.xml</loc><lastmod>2027-01-15</lastmod></sitemap></sitemapindex>"
    )
    (request,) = _announced_requests(spider, "/sitemap.xml", index)
    assert request.meta["news"]["kind"] == "sitemap"
    assert request.meta["news"]["lastmod"] == 1799971200  # 2027-01-15, UTC


def test_a_bomb_is_not_read_and_says_which_cap_stopped_it(spider):
    with pytest.raises(NotRead) as refused:
        unpacked(sitemap_bomb(), spider.limits.xml_bytes)
    assert spider._not_read(refused.value).not_read == (
        f"over the cap of {spider.limits.xml_bytes} bytes once decompressed (NEWS_SITEMAP_MAXSIZE)"
    )


def test_an_article_is_read_and_its_links_taken(spider):
    case = GOOD_ARTICLES[0]
    response = _response(case.path, case.render())
    read = spider.read(response, spider.site_of(response), {"kind": "page"}, response.body)
    assert read.page is not None and read.page.reading is not None
    assert read.page.reading.article is not None
    assert read.page.reading.article.text == case.text
    assert read.page.links.urls == [BASE + "/"]


def test_a_page_over_the_link_cap_is_not_read_as_an_article(spider):
    response = _response("/bounded/links", link_flood_page(), "home")
    read = spider.read(response, spider.site_of(response), {"kind": "home"}, response.body)
    assert read.page.reading is None
    assert read.page.skipped == "took the first 2000 of 100000 links (NEWS_MAX_LINKS_PER_PAGE)"
    assert len(read.page.links.urls) == 2000


def test_a_page_over_the_text_cap_is_not_read_as_an_article(spider):
    response = _response("/bounded/long-read", long_read_page())
    read = spider.read(response, spider.site_of(response), {"kind": "page"}, response.body)
    assert read.page.reading is None
    assert read.page.skipped.endswith("bytes of text, over NEWS_MAX_TEXT_BYTES (1000000)")
    assert read.page.links.urls == [BASE + "/bounded/"]


def test_a_large_article_within_the_caps_is_read(spider):
    response = _response(BIG_ARTICLE.path, big_article_page())
    read = spider.read(response, spider.site_of(response), {"kind": "page"}, response.body)
    assert read.page.reading.article.text == BIG_ARTICLE.text
