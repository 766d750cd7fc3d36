"""The links a worker takes from one page: at most the first NEWS_MAX_LINKS_PER_PAGE of them.

News pages carry a few hundred links (benchmarks/links_per_page.py: at most 497 on 230 real
article pages of 166 publishers, 47 on the demo site); a page with a hundred thousand is a
dump or an attack, and following every one of them would cost the worker as much as a
hundred ordinary pages. ``page_links`` counts the page's link elements (``<a>``, ``<area>``)
in one XPath call and hands only the first ``max_links`` of them, in document order, to
Scrapy's ``LinkExtractor`` (the same extractor, with the same rules, as before the cap), so
the work per page is bounded whatever the page holds. The count tells the caller when the
page was cut.
"""

from __future__ import annotations

from dataclasses import dataclass

from scrapy.http import TextResponse
from scrapy.linkextractors import LinkExtractor

# The elements LinkExtractor takes links from, as NewsSpider configures it. One step with a
# predicate, not the union "//a | //area": libxml2 merges the two node sets of a union in
# quadratic time (24 s on a page of 100,000 <a> and one <area>; 0.13 s this way).
_TAGS = ("a", "area")
_LINK_ELEMENTS = "//*[" + " or ".join(f"self::{tag}" for tag in _TAGS) + "]"


@dataclass(frozen=True)
class PageLinks:
    """The URLs taken from a page, and how many link elements the page had in all."""

    urls: list[str]
    total: int
    # True when the page had more link elements than were read.
    capped: bool


def _extractor(max_links: int | None) -> LinkExtractor:
    restrict = (f"({_LINK_ELEMENTS})[position() <= {max_links}]",) if max_links else ()
    return LinkExtractor(unique=True, canonicalize=False, tags=_TAGS, restrict_xpaths=restrict)


def link_count(response: TextResponse) -> int:
    """How many link elements (``<a>``, ``<area>``) the page has, counted by lxml."""
    return int(float(response.xpath(f"count({_LINK_ELEMENTS})").get() or 0))


def page_links(response: TextResponse, max_links: int) -> PageLinks:
    """Absolute URLs of the page's first ``max_links`` links (0: all), nofollow dropped."""
    total = link_count(response)
    capped = 0 < max_links < total
    extractor = _extractor(max_links if capped else None)
    urls = [link.url for link in extractor.extract_links(response) if not link.nofollow]
    return PageLinks(urls=urls, total=total, capped=capped)
