"""The value types of the extraction contract: what a caller may pass in and what it gets back.

``Overrides`` come from a declared site's file, ``Hints`` from what the crawler knew before
fetching (a feed entry or a sitemap), and ``PageAnalysis`` is the answer of
``analyse_page``: whether the page is an article, why, its canonical URL and the extracted
``Article``. They are frozen dataclasses so that a site declaration can share one instance
between all requests of a site.
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.items import Article


@dataclass(frozen=True)
class Overrides:
    """Per-site corrections from a declared site's file; every field is optional."""

    # CSS selectors of blocks to remove before extraction (teaser rails, newsletter boxes).
    drop_selectors: tuple[str, ...] = ()
    # CSS selector of the body container, used when the generic path fails on a site.
    body_selector: str | None = None


@dataclass(frozen=True)
class Hints:
    """What the crawler knew about a page before fetching it (feed entry or sitemap)."""

    # ISO 8601 date or datetime from the feed or sitemap.
    published: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class PageAnalysis:
    """The verdict on one page and the article extracted from it."""

    # An article page, as opposed to a home, section, tag, author, listing, search or error page.
    is_article: bool
    # Short human-readable signals, e.g. ("og:type=article", "body=2345 chars").
    reasons: tuple[str, ...]
    # Absolute rel=canonical (or og:url), resolved against the page URL, when present.
    canonical_url: str | None
    # Always filled; its text may be "" on non-articles, and its url is the given url.
    article: Article
