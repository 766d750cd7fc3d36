"""Markup helpers shared by the unseen site's publishers: escaping, pages, feeds, sitemaps.

Escaping for text and attributes, `Page` builders for HTML in a given charset, redirects
and plain text, a tiny GIF for every image URL, JSON-LD, and the XML of sitemaps, sitemap
indexes, RSS 2.0 and Atom feeds. The publishers decide what goes into them.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import json
from collections.abc import Iterable

from .model import Page

RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
JSON_FEED_TYPE = "application/feed+json; charset=utf-8"
CSS_TYPE = "text/css; charset=utf-8"
GIF_TYPE = "image/gif"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
# A 1x1 transparent GIF89a (43 bytes): every photo of the site.
TINY_GIF = bytes.fromhex(
    "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
)


def t(text: str) -> str:
    """Escape text for an HTML text node."""
    return html.escape(text, quote=False)


def a(text: str) -> str:
    """Escape text for an HTML attribute value."""
    return html.escape(text, quote=True)


def html_page(status: int, body: str, charset: str = "utf-8") -> Page:
    """An HTML page in `charset`; characters it lacks become numeric character references."""
    return Page(
        status,
        f"text/html; charset={charset}",
        body.encode(charset, errors="xmlcharrefreplace"),
    )


def text_page(body: str) -> Page:
    """A text/plain page (robots.txt)."""
    return Page(200, TEXT_TYPE, body.encode("utf-8"))


def redirect(location: str, status: int = 301) -> Page:
    """A redirect to an absolute URL."""
    body = f'<html><head><title>Moved</title></head><body><a href="{a(location)}">Moved</a></body></html>\n'
    return Page(status, "text/html; charset=utf-8", body.encode(), (("Location", location),))


def image() -> Page:
    """The photo every image URL serves."""
    return Page(200, GIF_TYPE, TINY_GIF, (("Cache-Control", "max-age=86400"),))


def json_ld(data: dict) -> str:
    """A JSON-LD script element."""
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def xml_page(body: str, content_type: str, last_modified: dt.datetime) -> Page:
    """A feed or sitemap that answers conditional requests."""
    return Page(200, content_type, body.encode("utf-8"), last_modified=last_modified)


def urlset(entries: Iterable[tuple[str, str | None]], news: str = "") -> str:
    """A sitemap of (url, lastmod) entries; `news` is extra XML per entry, none by default."""
    items = ""
    for loc, lastmod in entries:
        items += f"<url><loc>{t(loc)}</loc>"
        items += f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        items += "</url>\n"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}">\n{items}</urlset>\n'
    )


def news_urlset(entries: Iterable[tuple[str, str, str, str]]) -> str:
    """A Google News sitemap of (url, publication name, published, title) entries."""
    items = "".join(
        f"<url><loc>{t(loc)}</loc><news:news><news:publication><news:name>{t(name)}</news:name>"
        "<news:language>en</news:language></news:publication>"
        f"<news:publication_date>{when}</news:publication_date><news:title>{t(title)}</news:title>"
        "</news:news></url>\n"
        for loc, name, when, title in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="{SITEMAP_NS}" xmlns:news="{NEWS_NS}">\n{items}</urlset>\n'
    )


def sitemap_index(entries: Iterable[tuple[str, str | None]]) -> str:
    """A sitemap index of (url, lastmod) entries."""
    items = ""
    for loc, lastmod in entries:
        items += f"<sitemap><loc>{t(loc)}</loc>"
        items += f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
        items += "</sitemap>\n"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="{SITEMAP_NS}">\n{items}</sitemapindex>\n'
    )


def rss(
    title: str,
    link: str,
    self_url: str,
    items: Iterable[tuple[str, str, str, dt.datetime, str, str]],
) -> str:
    """RSS 2.0 of (title, link, guid, published, creator, description) items."""
    body = ""
    newest = None
    for item_title, item_link, guid, when, creator, description in items:
        newest = max(newest or when, when)
        body += (
            f"<item><title>{t(item_title)}</title><link>{t(item_link)}</link>"
            f'<guid isPermaLink="false">{t(guid)}</guid>'
            f"<pubDate>{email.utils.format_datetime(when)}</pubDate>"
            f"<dc:creator>{t(creator)}</dc:creator>"
            f"<description>{t(description)}</description></item>\n"
        )
    built = email.utils.format_datetime(newest) if newest else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f"<channel><title>{t(title)}</title><link>{t(link)}</link><description>{t(title)}</description>"
        f'<language>en</language><atom:link href="{a(self_url)}" rel="self" type="application/rss+xml"/>'
        f"<lastBuildDate>{built}</lastBuildDate>\n{body}</channel>\n</rss>\n"
    )


def atom(
    title: str,
    self_url: str,
    home: str,
    entries: Iterable[tuple[str, str, dt.datetime, dt.datetime, tuple[str, ...], str]],
) -> str:
    """Atom of (title, url, published, updated, authors, summary) entries."""
    body = ""
    newest = None
    for entry_title, url, published, updated, authors, summary in entries:
        newest = max(newest or updated, updated)
        body += (
            f"<entry><title>{t(entry_title)}</title><id>{t(url)}</id>"
            f'<link rel="alternate" type="text/html" href="{a(url)}"/>'
            f"<published>{published.isoformat()}</published><updated>{updated.isoformat()}</updated>"
            + "".join(f"<author><name>{t(name)}</name></author>" for name in authors)
            + f"<summary>{t(summary)}</summary></entry>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n'
        f"<title>{t(title)}</title><id>{t(home)}</id>"
        f'<link rel="self" href="{a(self_url)}"/><link rel="alternate" href="{a(home)}"/>'
        f"<updated>{newest.isoformat() if newest else ''}</updated>\n{body}</feed>\n"
    )
