"""The URL a page declares for itself: its rel=canonical link, else its og:url.

This is the only URL code that reads HTML; everything done to URL strings (resolving,
canonicalizing, reading dates and shapes) lives in ``crawler.urls``.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.urls import absolute_url


def page_url_of(root: HtmlElement, url: str) -> str | None:
    """The absolute rel=canonical (else og:url) of the page, resolved against ``url``."""
    candidates = root.xpath(
        "//link[contains(concat(' ', normalize-space(translate(@rel, 'CANONIAL', 'canonial')), ' '),"
        " ' canonical ')]/@href"
        " | //meta[@property='og:url' or @name='og:url']/@content"
    )
    for href in candidates:
        resolved = absolute_url(str(href), url)
        if resolved:
            return resolved
    return None
