"""Reading one page of a site: verdicts, variants, article patterns and hooks, in one place."""

from __future__ import annotations

import pytest

from crawler.pages import read_site_page
from crawler.sites import Site, SiteRegistry

BODY = "".join(
    f"<p>Paragraph {i} of the story says something new about the harbour works and the "
    "people who live next to them, in plain words.</p>"
    for i in range(8)
)


def page(canonical: str | None = None, title: str = "Harbour works begin") -> str:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f"<html><head><title>{title}</title>{link}"
        '<meta property="og:type" content="article"></head>'
        f"<body><article><h1>{title}</h1>{BODY}</article></body></html>"
    )


SITE = Site(name="ex", home="https://news.example/")
REGISTRY = SiteRegistry([SITE])
URL = "https://news.example/2026/05/02/harbour-works-begin"


def test_an_article_is_stored_under_the_url_fetched():
    reading = read_site_page(SITE, page(), URL + "?utm_source=x", registry=REGISTRY)
    assert reading.article is not None
    assert reading.article.url == URL and reading.article.site == "ex"
    assert reading.variant_of is None


def test_a_variant_of_a_same_site_canonical_is_not_stored():
    reading = read_site_page(SITE, page(canonical=URL), URL + "/print", registry=REGISTRY)
    assert reading.article is None and reading.variant_of == URL


def test_a_canonical_on_another_site_is_ignored():
    """No page can have itself stored under another site's address (or skipped for it)."""
    other = "https://victim.example/2026/05/02/harbour-works-begin"
    reading = read_site_page(SITE, page(canonical=other), URL, registry=REGISTRY)
    assert reading.variant_of is None
    assert reading.article is not None and reading.article.url == URL


def test_article_patterns_can_refuse_an_article():
    site = Site(name="ex", home="https://news.example/", article_deny=(r"/2026/",))
    reading = read_site_page(site, page(), URL, registry=SiteRegistry([site]))
    assert reading.article is None
    assert "refused by the site's article patterns" in reading.reasons


def test_fix_article_corrects_a_field_but_not_the_identity():
    def fix(article, site_page):
        article.title = site_page.css("h1::text").get().upper()
        article.url = "https://elsewhere.example/"
        article.site = "elsewhere"
        return article

    site = Site(name="ex", home="https://news.example/", fix_article=fix)
    reading = read_site_page(site, page(), URL, registry=SiteRegistry([site]))
    assert reading.article.title == "HARBOUR WORKS BEGIN"
    assert reading.article.url == URL and reading.article.site == "ex"


def test_fix_article_may_refuse_the_page():
    site = Site(name="ex", home="https://news.example/", fix_article=lambda a, p: None)
    reading = read_site_page(site, page(), URL, registry=SiteRegistry([site]))
    assert reading.article is None and "refused by the site's fix_article" in reading.reasons


def test_extra_links_are_collected_for_every_page():
    site = Site(name="ex", home="https://news.example/", extra_links=lambda p: ["/more", p.url])
    reading = read_site_page(site, page(canonical=URL), URL + "/amp", registry=SiteRegistry([site]))
    assert reading.extra_links == ["/more", URL + "/amp"]


def test_a_hook_that_raises_is_not_hidden():
    def broken(article, site_page):
        raise KeyError("byline")

    site = Site(name="ex", home="https://news.example/", fix_article=broken)
    with pytest.raises(KeyError):
        read_site_page(site, page(), URL, registry=SiteRegistry([site]))


def test_a_listing_is_not_an_article_even_if_its_url_matches_the_patterns():
    site = Site(name="ex", home="https://news.example/", article_allow=(r"/world/",))
    listing = (
        "<html><body>"
        + "".join(
            f'<h2><a href="/world/story-{i}">Story number {i} of the day</a></h2>'
            for i in range(30)
        )
        + "</body></html>"
    )
    reading = read_site_page(
        site, listing, "https://news.example/world/", registry=SiteRegistry([site])
    )
    assert reading.article is None
    assert "matches the site's article patterns, but is not an article" in reading.reasons
