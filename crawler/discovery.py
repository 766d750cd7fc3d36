"""Where articles are announced: RSS/Atom feeds, sitemaps and robots.txt Sitemap lines.

Pure functions from a fetched body (gzipped sitemaps included) to the URLs (with the date and title the publisher
announced) that the spider follows. XML is parsed without network access, entity
expansion or DTD loading, and with recovery, since feeds in the wild are often malformed.
The announced date travels with the request as an extraction hint, to cross-check the
page's own date.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from urllib.parse import urljoin

from lxml import etree
from protego import Protego

# Feeds and sitemaps beyond this size are not announcements but dumps; Google caps a
# sitemap at 50 MB uncompressed and 50,000 URLs.
MAX_XML_BYTES = 50 * 1024 * 1024
MAX_ENTRIES = 50_000

_PARSER = etree.XMLParser(
    recover=True,
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


@dataclass(frozen=True)
class Announcement:
    """A URL announced by a feed or sitemap, with what was said about it."""

    url: str
    published: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class SitemapContent:
    """A parsed sitemap: either an index of sitemaps or a list of pages."""

    is_index: bool
    entries: list[Announcement]


def _unpacked(body: bytes) -> bytes:
    """The body, gunzipped when it is gzip (sitemap.xml.gz), at most MAX_XML_BYTES."""
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        # max_length stops a decompression bomb at the limit instead of after it
        unpacked = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, MAX_XML_BYTES + 1)
    except zlib.error:
        return b""
    return b"" if len(unpacked) > MAX_XML_BYTES else unpacked


def _root(body: bytes) -> etree._Element | None:
    body = _unpacked(body)
    if not body or len(body) > MAX_XML_BYTES:
        return None
    try:
        root = etree.fromstring(body.lstrip(), parser=_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None
    return root


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _child_text(element: etree._Element, *names: str) -> str | None:
    for child in element:
        if _local(child.tag) in names:
            text = "".join(child.itertext()).strip()
            if text:
                return text
    return None


def looks_like_xml_feed_or_sitemap(body: bytes) -> str | None:
    """ "feed", "sitemap" or None, from the root element of an XML body."""
    head = _unpacked(body[:MAX_XML_BYTES])[:2048].lstrip().lower()
    if not (head.startswith(b"<?xml") or head.startswith(b"<rss") or head.startswith(b"<feed")
            or head.startswith(b"<urlset") or head.startswith(b"<sitemapindex")
            or head.startswith(b"<rdf")):  # fmt: skip
        return None
    root = _root(body)
    if root is None:
        return None
    name = _local(root.tag)
    if name in {"rss", "feed", "rdf"}:
        return "feed"
    if name in {"urlset", "sitemapindex"}:
        return "sitemap"
    return None


def parse_feed(body: bytes, base_url: str) -> list[Announcement]:
    """Entries of an RSS 2.0, RSS 1.0 (RDF) or Atom feed."""
    root = _root(body)
    if root is None:
        return []
    entries = []
    for element in root.iter():
        name = _local(element.tag)
        if name not in {"item", "entry"}:
            continue
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
            continue
        entries.append(
            Announcement(
                url=urljoin(base_url, link),
                published=_child_text(element, "pubdate", "published", "date", "updated"),
                title=_child_text(element, "title"),
            )
        )
        if len(entries) >= MAX_ENTRIES:
            break
    return entries


def parse_sitemap(body: bytes, base_url: str) -> SitemapContent:
    """URLs of a sitemap or sitemap index, with Google News dates and titles."""
    root = _root(body)
    if root is None:
        return SitemapContent(is_index=False, entries=[])
    is_index = _local(root.tag) == "sitemapindex"
    entries = []
    for element in root:
        if _local(element.tag) not in {"url", "sitemap"}:
            continue
        loc = _child_text(element, "loc")
        if not loc:
            continue
        published = None
        title = None
        for child in element:
            if _local(child.tag) == "news":
                published = _child_text(child, "publication_date")
                title = _child_text(child, "title")
        entries.append(
            Announcement(
                url=urljoin(base_url, loc),
                published=published or _child_text(element, "lastmod"),
                title=title,
            )
        )
        if len(entries) >= MAX_ENTRIES:
            break
    return SitemapContent(is_index=is_index, entries=entries)


def robots_sitemaps(body: bytes, base_url: str) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt."""
    try:
        text = body.decode("utf-8", errors="replace")
    except (AttributeError, LookupError):
        return []
    return [urljoin(base_url, url) for url in Protego.parse(text).sitemaps]
