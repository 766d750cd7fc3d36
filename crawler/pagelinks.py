"""The links a worker takes from one page: at most the first NEWS_MAX_LINKS_PER_PAGE of them.

News pages carry a few hundred links (benchmarks/links_per_page.py: at most 497 on 230 real
article pages of 166 publishers, 47 on the demo site); a page with a hundred thousand is a
dump or an attack, and following every one of them would cost the worker as much as a
hundred ordinary pages. ``page_links`` counts the page's link tags (``<a>``, ``<area>``) in
its bytes first, which costs no parse tree. A page within the cap is read whole by Scrapy's
``LinkExtractor``, as before the cap; a page over it is read only up to its last link
within the cap, so that neither the work nor the memory (a parse tree of 100,000 links
takes 90 MB) grows with what the page holds. The count tells the caller when the page was
cut. The feeds a page advertises (``<link rel="alternate">``, in its head) are read from
the same part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from scrapy.http import TextResponse
from scrapy.linkextractors import LinkExtractor

# The tags LinkExtractor takes links from, as NewsSpider configures it.
_TAGS = ("a", "area")
_EXTRACTOR = LinkExtractor(unique=True, canonicalize=False, tags=_TAGS)
# A link tag in the bytes: "<a" or "<area", then a space, ">" or "/" (not <abbr>, <aside>).
_LINK_TAG = re.compile(rb"<(?:a|area)[\s>/]", re.IGNORECASE)
_FEEDS = (
    "//link[contains(concat(' ', normalize-space(@rel), ' '), ' alternate ')]"
    "[contains(@type, 'rss') or contains(@type, 'atom')]/@href"
)


@dataclass(frozen=True)
class PageLinks:
    """What was taken from a page: its links and advertised feeds (absolute URLs), and how
    many link tags the whole page had."""

    urls: list[str]
    feeds: list[str]
    total: int
    # True when the page had more link tags than were read.
    capped: bool


def link_tags(body: bytes, max_links: int = 0) -> tuple[int, int | None]:
    """How many link tags ``body`` has, and where the one after the first ``max_links``
    starts (None when there are no more than that, or ``max_links`` is 0)."""
    total = 0
    cut = None
    for match in _LINK_TAG.finditer(body):
        total += 1
        if total == max_links + 1 and max_links:
            cut = match.start()
    return total, cut


def page_links(response: TextResponse, max_links: int) -> PageLinks:
    """The page's first ``max_links`` links (0: all), nofollow dropped, and its feeds."""
    total, cut = link_tags(response.body, max_links)
    # A copy of the response (the body is not copied) holds the parse tree, which goes when
    # the reading is done rather than living on the response while the engine works through
    # what the page yielded.
    part = response.replace() if cut is None else response.replace(body=response.body[:cut])
    urls = [link.url for link in _EXTRACTOR.extract_links(part) if not link.nofollow]
    feeds = [part.urljoin(href) for href in part.xpath(_FEEDS).getall()]
    return PageLinks(
        urls=urls[: max_links or None], feeds=feeds, total=total, capped=cut is not None
    )
