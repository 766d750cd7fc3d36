"""Where articles are announced: RSS/Atom feeds, sitemaps and robots.txt Sitemap lines.

Pure functions from a fetched body to the URLs (with the date and title the publisher
announced) that the spider follows, each body unpacked and parsed once. ``unpacked`` gunzips
a body (sitemap.xml.gz) with Scrapy's bounded ``gunzip``, up to the caller's size cap, where
a decompression bomb stops; ``read_announcements`` tells a feed from a sitemap by its root
element and reads its entries in the same streaming parse, freeing each element once read
and stopping at the caller's entry cap, so that neither memory nor work grows with what a
site sends (the spider reads large bodies in a thread, knowing their size from
``unpacked`` first). XML is
parsed without network access, entity expansion or DTD loading, and with recovery, since
feeds in the wild are often malformed. robots.txt is read up to the 500 KiB that RFC 9309
asks crawlers to read. The announced date travels with the request as an extraction hint,
to cross-check the page's own date.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from io import BytesIO
from urllib.parse import urljoin

from lxml import etree
from protego import Protego
from scrapy.utils.gz import gunzip

# RFC 9309 2.5: a crawler SHOULD read at least the first 500 KiB of a robots.txt; Google
# reads exactly that much and ignores the rest. Rules beyond it are not rules anyone obeys,
# and parsing them costs: Protego takes 1.45 s over 10 MB of Disallow lines (0.05 s over
# 500 KiB), and a worker parses a robots.txt up to three times.
ROBOTS_MAX_BYTES = 500 * 1024

_GZIP_MAGIC = b"\x1f\x8b"
# Root elements: RSS 2.0, Atom, RSS 1.0 (RDF); a sitemap and a sitemap index.
_ROOTS = {"rss": "feed", "feed": "feed", "rdf": "feed", "urlset": "sitemap",
          "sitemapindex": "sitemap"}  # fmt: skip
_XML_STARTS = (b"<?xml", b"<rss", b"<feed", b"<urlset", b"<sitemapindex", b"<rdf")
# Enough of the body to see past a byte-order mark, an XML declaration and whitespace.
_SNIFF_BYTES = 2048
_PARSER_OPTIONS = {
    "recover": True,
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


@dataclass(frozen=True)
class Announcement:
    """A URL announced by a feed or sitemap, with what was said about it."""

    url: str
    published: str | None = None
    title: str | None = None
    # When it last changed, as announced (a sitemap's <lastmod>, an Atom entry's <updated>):
    # a later one makes the article worth fetching again.
    modified: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Announcements:
    """What one feed or sitemap announced."""

    kind: str  # "feed" or "sitemap"
    # A sitemap index: the entries are sitemaps, not pages.
    is_index: bool
    entries: list[Announcement]
    # More entries followed the last one read (the entry cap stopped the reading).
    capped: bool = False


class NotRead(ValueError):
    """A feed or sitemap that is not read: over the size cap, or not valid gzip."""

    def __init__(self, reason: str, *, over_cap: bool = False) -> None:
        super().__init__(reason)
        self.over_cap = over_cap


def unpacked(body: bytes, max_bytes: int) -> bytes:
    """The body, gunzipped when it is gzip (sitemap.xml.gz), never past ``max_bytes`` (0: no
    cap); ``NotRead`` when it would go past, or is not valid gzip."""
    if body[:2] != _GZIP_MAGIC:
        return body
    try:
        return gunzip(body, max_size=max_bytes)
    except (OSError, EOFError, struct.error, zlib.error) as error:
        raise NotRead(f"not valid gzip ({type(error).__name__})") from None
    except ValueError:  # scrapy.utils._compression._DecompressionMaxSizeExceeded
        raise NotRead(
            f"over the cap of {max_bytes} bytes once decompressed", over_cap=True
        ) from None


def read_announcements(
    data: bytes, base_url: str, *, max_bytes: int, max_entries: int
) -> Announcements | None:
    """The feed or sitemap in ``data`` (a body as ``unpacked`` gives it), or None when it is
    neither (an HTML page).

    ``max_bytes`` caps the document and ``max_entries`` the entries read (0: no cap); a
    feed or sitemap over ``max_bytes`` raises ``NotRead``, with the reason.
    """
    head = data[:_SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head.startswith(_XML_STARTS):
        return None
    events = _events(data)
    _, _, root = next(events, ("", 0, None))
    kind = _ROOTS.get(_local(root.tag)) if root is not None else None
    if kind is None:
        return None
    if max_bytes and len(data) > max_bytes:
        raise NotRead(f"{len(data)} bytes, over the cap of {max_bytes}", over_cap=True)
    is_index = _local(root.tag) == "sitemapindex"
    entries, capped = _read_entries(events, kind, base_url, max_entries)
    return Announcements(kind=kind, is_index=is_index, entries=entries, capped=capped)


def _events(data: bytes) -> Iterator[tuple[str, int, etree._Element]]:
    """``(event, depth, element)`` for each start and end tag, the root's at depth 0."""
    source = BytesIO(data)
    # Whitespace before the XML declaration is an error that recovery does not get past.
    prefix = data[:_SNIFF_BYTES]
    source.seek(len(prefix) - len(prefix.lstrip()))
    depth = 0
    try:
        for event, element in etree.iterparse(source, events=("start", "end"), **_PARSER_OPTIONS):
            if event == "start":
                yield event, depth, element
                depth += 1
            else:
                depth -= 1
                yield event, depth, element
    except etree.XMLSyntaxError:
        return  # what was read before the error stands (recovery gives up on some input)


def _is_entry(kind: str, name: str, depth: int) -> bool:
    """A feed's items and entries, wherever they are; a sitemap's own children."""
    if kind == "feed":
        return name in {"item", "entry"}
    return name in {"url", "sitemap"} and depth == 1


def _read_entries(
    events: Iterator[tuple[str, int, etree._Element]],
    kind: str,
    base_url: str,
    max_entries: int,
) -> tuple[list[Announcement], bool]:
    """Entries in document order, each element freed once its end tag is read unless it is
    inside an entry still open (its parts are read at the entry's end): memory stays flat
    whatever the document holds around its entries."""
    entries: list[Announcement] = []
    open_entries = 0
    for event, depth, element in events:
        entry_tag = _is_entry(kind, _local(element.tag), depth)
        if event == "start":
            open_entries += entry_tag
            continue
        if depth == 0:
            break  # the root's end
        if entry_tag:
            open_entries -= 1
            entry = (_feed_entry if kind == "feed" else _sitemap_entry)(element, base_url)
            if entry is not None:
                if max_entries and len(entries) >= max_entries:
                    return entries, True
                entries.append(entry)
        if not open_entries:
            _forget(element)
    return entries, False


def _forget(element: etree._Element) -> None:
    """Free an entry that has been read, and the siblings before it: memory stays flat."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]


def _local(tag: object) -> str:
    return _local_name(tag) if isinstance(tag, str) else ""


@lru_cache(maxsize=256)
def _local_name(tag: str) -> str:
    """``{namespace}Name`` -> ``name`` (cached: a document repeats a handful of tags)."""
    return tag.rpartition("}")[2].lower()


def _child_text(element: etree._Element, *names: str) -> str | None:
    for child in element:
        if _local(child.tag) in names:
            text = "".join(child.itertext()).strip()
            if text:
                return text
    return None


def _feed_entry(element: etree._Element, base_url: str) -> Announcement | None:
    """An RSS 2.0, RSS 1.0 (RDF) ``<item>`` or an Atom ``<entry>``."""
    link = None
    for child in element:
        if _local(child.tag) != "link":
            continue
        href = child.get("href")
        rel = child.get("rel", "alternate")
        if href and rel == "alternate":
            link = href
            break
        if not href and (child.text or "").strip():
            link = child.text.strip()
            break
    link = link or _child_text(element, "guid")
    if not link or not link.startswith(("http://", "https://", "/")):
        return None
    published = _child_text(element, "pubdate", "published", "date", "updated")
    return Announcement(
        url=urljoin(base_url, link),
        published=published,
        title=_child_text(element, "title"),
        modified=_child_text(element, "updated", "modified"),
    )


def _sitemap_entry(element: etree._Element, base_url: str) -> Announcement | None:
    """A sitemap's ``<url>`` or a sitemap index's ``<sitemap>``, with Google News dates and
    titles."""
    loc = _child_text(element, "loc")
    if not loc:
        return None
    published = None
    title = None
    for child in element:
        if _local(child.tag) == "news":
            published = _child_text(child, "publication_date")
            title = _child_text(child, "title")
    lastmod = _child_text(element, "lastmod")
    return Announcement(
        url=urljoin(base_url, loc),
        published=published or lastmod,
        title=title,
        modified=lastmod,
    )


def announced_time(text: str | None) -> int | None:
    """A date as feeds and sitemaps write it, in epoch seconds: W3C datetime (ISO 8601, a
    date alone or with a time and offset) or RFC 822 (RSS ``pubDate``); no offset means UTC.
    None for anything else."""
    if not text or len(text) > 64:
        return None
    text = text.strip()
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    try:
        return int(when.timestamp())
    except (OverflowError, OSError, ValueError):
        return None


def robots_text(body: bytes) -> str:
    """The part of a robots.txt body that is read: its first ``ROBOTS_MAX_BYTES``, up to the
    last whole line, as UTF-8 (RFC 9309 2.3)."""
    if len(body) > ROBOTS_MAX_BYTES:
        body = body[:ROBOTS_MAX_BYTES]
        body = body[: body.rfind(b"\n") + 1]
    return body.decode("utf-8", errors="replace")


def robots_sitemaps(body: bytes, base_url: str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt."""
    try:
        text = robots_text(body)
    except (AttributeError, TypeError):
        return []
    return [urljoin(base_url, url) for url in Protego.parse(text).sitemaps]
