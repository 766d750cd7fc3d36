"""Reading one page of a site: the same steps wherever a site's pages are read.

``read_site_page`` runs extraction with the site's overrides, decides whether the page is a
stored article (the extraction's verdict, the site's article URL patterns, its
``fix_article`` hook) and where it would be stored, and collects the links the site's
``extra_links`` hook adds. Workers, ``scrapy crawl <site>`` and ``newscrawl extract
--site`` all call it, so a site's rules and hooks apply alike in each of them.

A page is stored under the URL fetched. A page whose rel=canonical names another URL of the
same site is a variant (print, AMP, a tracking redirect): it is not stored, its canonical
URL is followed instead. A canonical URL on another site is ignored: no site can have its
page stored under another site's address.

An article split over parts (``?page=2``) is read as one: its first part names the next
(``next_part``: a link to the same URL with the next part number), and a later part fetched
on its own names the first (``first_part``), which the crawler follows instead of storing
the part. The crawler joins the parts before the article is stored and fingerprinted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin

from crawler.extraction import Hints, PageAnalysis, analyse_page
from crawler.items import Article
from crawler.sites import Site, SitePage, SiteRegistry
from crawler.urls import canonical_or_none, part_position


@dataclass
class SiteReading:
    """What one page of a site is, for the crawler and for ``extract``."""

    analysis: PageAnalysis
    # The article to store (url and site set), or None when the page is not one.
    article: Article | None
    # Why (the extraction's signals, and the site's rules when they decided).
    reasons: tuple[str, ...]
    # The same site's canonical URL when the page is a variant of it, else None.
    variant_of: str | None = None
    # URLs the site's extra_links hook adds to the page's own links.
    extra_links: list[str] = field(default_factory=list)
    # The next part of an article split over parts, when this page links it.
    next_part: str | None = None
    # For a later part of a split article: the URL of its first part.
    first_part: str | None = None
    # An article by the extraction's verdict that the site's own rules (article patterns,
    # fix_article) refused: a declaration that refuses every one of them is broken.
    refused_by_site: bool = False


def read_site_page(
    site: Site,
    html: str,
    url: str,
    *,
    registry: SiteRegistry,
    hints: Hints | None = None,
) -> SiteReading:
    """Read one page of ``site`` fetched from ``url`` (hook exceptions propagate)."""
    analysis = analyse_page(html, url, overrides=site.overrides, hints=hints)
    here = canonical_or_none(url) or url
    page = SitePage(url, html)
    extra = list(site.extra_links(page)) if site.extra_links else []
    if not analysis.article.text:
        return _read_article(site, page, here, analysis, registry, extra)
    first, number = part_position(here)
    if number > 1 and analysis.is_article:
        reading = SiteReading(analysis, None, ("a later part of a split article",), None,
                              extra, first_part=first)  # fmt: skip
    else:
        reading = _read_article(site, page, here, analysis, registry, extra)
    reading.next_part = _next_part(page, here)
    return reading


def _next_part(page: SitePage, here: str) -> str | None:
    """The URL of the part after this one (same URL, next part number), if the page links it."""
    first, number = part_position(here)
    wanted = str(number + 1)
    for href in page.css("link[rel~=next]::attr(href), a[href]::attr(href)").getall():
        if wanted not in href:
            continue  # the next part's URL spells its number: skip the rest cheaply
        url = canonical_or_none(urljoin(page.url, href))
        if url and url != here and part_position(url) == (first, number + 1):
            return url
    return None


def _read_article(
    site: Site,
    page: SitePage,
    here: str,
    analysis: PageAnalysis,
    registry: SiteRegistry,
    extra: list[str],
) -> SiteReading:
    """The verdict on a page that is no later part: variant, article or neither."""
    declared = canonical_or_none(analysis.canonical_url)
    if declared and declared != here and registry.same_site(declared, site):
        return SiteReading(analysis, None, ("variant of its rel=canonical",), declared, extra)
    reasons = analysis.reasons
    verdict = site.allows_article_url(here)
    if not analysis.is_article:
        if verdict is True:
            reasons = (*reasons, "matches the site's article patterns, but is not an article")
        return SiteReading(analysis, None, reasons, None, extra)
    if verdict is False:
        return SiteReading(analysis, None, (*reasons, "refused by the site's article patterns"),
                           None, extra, refused_by_site=True)  # fmt: skip
    article = analysis.article
    article.url = here
    article.site = site.name
    if site.fix_article is not None:
        fixed = site.fix_article(article, page)
        if fixed is None:
            return SiteReading(analysis, None, (*reasons, "refused by the site's fix_article"),
                               None, extra, refused_by_site=True)  # fmt: skip
        article = fixed
        article.url, article.site = here, site.name  # a hook fixes fields, not identity
    return SiteReading(analysis, article, reasons, None, extra)
