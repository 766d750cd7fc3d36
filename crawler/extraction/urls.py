"""What a page's URL says about it: the canonical URL the page declares, the publication date
written into the path, and whether the path looks like an article or a listing.

News CMSs put dates into article paths (``/2019/10/22/``, ``/20191022/``), give articles long
hyphenated slugs or numeric ids, and give listings short, recognisable paths (``/tag/x``,
``/author/y``, ``/section/``, ``?page=2``, ``/search``). These are signals, never verdicts:
``classify`` weighs them against the page's content.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urljoin, urlsplit

from lxml.html import HtmlElement

_URL_DATE_PATTERNS = (
    # /2019/10/22/ and /2019-10-22/ (WordPress, Arc, most news CMSs)
    re.compile(r"(?<![0-9])((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?![0-9])"),
    # /20191022/ or -20191022- (Drupal paths, wire services)
    re.compile(r"(?<![0-9])((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![0-9])"),
)

# Path segments that name a listing rather than one article, across common CMSs
# (WordPress: tag, category, author, page; Drupal: taxonomy, term; Arc/others: section, topic).
LISTING_SEGMENTS = frozenset(
    {
        "tag",
        "tags",
        "topic",
        "topics",
        "category",
        "categories",
        "author",
        "authors",
        "profile",
        "people",
        "section",
        "sections",
        "search",
        "archive",
        "archives",
        "page",
        "taxonomy",
        "term",
        "feed",
        "latest",
        "index",
        "series",
        "collection",
        "contributors",
    }
)
_LISTING_QUERY_KEYS = frozenset({"page", "p", "s", "q", "query", "search", "paged", "offset"})
_NUMERIC_ID = re.compile(r"(?<![0-9])\d{5,}(?![0-9])")


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


def absolute_url(href: str, base: str) -> str | None:
    """``href`` resolved against ``base`` if the result is an http(s) URL, else ``None``."""
    href = (href or "").strip()
    if not href:
        return None
    try:
        resolved = urljoin(base, href) if base else href
        parts = urlsplit(resolved)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return resolved


def url_date(url: str) -> dt.date | None:
    """The publication date written into the URL path, if there is a plausible one."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    for pattern in _URL_DATE_PATTERNS:
        for match in pattern.finditer(path):
            year, month, day = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                continue
    return None


def path_segments(url: str) -> list[str]:
    """The non-empty, lower-cased segments of the URL path."""
    try:
        path = urlsplit(url).path
    except ValueError:
        return []
    return [segment.lower() for segment in path.split("/") if segment]


def url_shape(url: str) -> tuple[int, list[str]]:
    """A score for how much the URL looks like an article (positive) or a listing (negative),
    and the reasons for it."""
    score, reasons = 0, []
    segments = path_segments(url)
    try:
        query = parse_qs(urlsplit(url).query)
    except ValueError:
        query = {}
    if not segments:
        return -3, ["url=site root"]
    if any(segment in LISTING_SEGMENTS for segment in segments[:-1]) or segments[-1] in (
        LISTING_SEGMENTS
    ):
        score -= 2
        reasons.append("url=listing segment")
    if _LISTING_QUERY_KEYS & set(query):
        score -= 2
        reasons.append("url=listing query")
    last = re.sub(r"\.(html?|php|aspx?|shtml)$", "", segments[-1])
    if url_date(url):
        score += 2
        reasons.append("url=date path")
    words = [w for w in re.split(r"[-_]", last) if w]
    if len(words) >= 4:
        score += 2
        reasons.append("url=long slug")
    elif _NUMERIC_ID.search(last) or (len(segments) > 1 and _NUMERIC_ID.search(segments[-2])):
        score += 1
        reasons.append("url=numeric id")
    elif len(segments) == 1 and len(words) <= 2:
        score -= 1
        reasons.append("url=short path")
    return score, reasons
