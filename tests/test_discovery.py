"""Feeds, sitemaps and robots.txt Sitemap lines, including hostile XML."""

from __future__ import annotations

import time

import pytest

from crawler.discovery import (
    MAX_ENTRIES,
    MAX_XML_BYTES,
    Announcement,
    looks_like_xml_feed_or_sitemap,
    parse_feed,
    parse_sitemap,
    robots_sitemaps,
)

BASE = "https://news.example/feeds/main.xml"

RSS = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Example News</title>
  <link>https://news.example/</link>
  <item>
    <title>First story</title>
    <link>https://news.example/2024/05/01/first</link>
    <pubDate>Wed, 01 May 2024 10:00:00 +0200</pubDate>
  </item>
  <item>
    <title><![CDATA[Second & <b>bold</b>]]></title>
    <link>
      /2024/05/02/second
    </link>
    <dc:date>2024-05-02T08:00:00Z</dc:date>
  </item>
  <item>
    <title>Guid only</title>
    <guid isPermaLink="true">https://news.example/2024/05/03/third</guid>
  </item>
  <item>
    <title>Not a web link</title>
    <link>mailto:desk@news.example</link>
  </item>
</channel>
</rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Example</title>
  <link href="https://news.example/" rel="alternate"/>
  <entry>
    <title>Atom one</title>
    <link rel="self" href="https://news.example/api/1.json"/>
    <link rel="alternate" type="text/html" href="https://news.example/a/1"/>
    <published>2024-06-01T12:00:00+00:00</published>
    <updated>2024-06-02T12:00:00+00:00</updated>
  </entry>
  <entry>
    <title type="html">Atom two</title>
    <link href="/a/2"/>
    <updated>2024-06-03T12:00:00Z</updated>
  </entry>
  <entry>
    <title>Only a replies link</title>
    <link rel="replies" href="https://news.example/a/3#comments"/>
  </entry>
</feed>"""

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
         xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://news.example/">
    <title>RDF news</title>
    <link>https://news.example/</link>
  </channel>
  <item rdf:about="https://news.example/r/1">
    <title>RDF one</title>
    <link>https://news.example/r/1</link>
    <dc:date>2024-07-01T09:00:00+01:00</dc:date>
  </item>
</rdf:RDF>"""

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://news.example/sitemap-2024-05.xml</loc><lastmod>2024-05-31</lastmod></sitemap>
  <sitemap><loc>/sitemap-2024-06.xml</loc></sitemap>
  <sitemap><lastmod>2024-01-01</lastmod></sitemap>
</sitemapindex>"""

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://news.example/p/1</loc><lastmod>2024-05-01T00:00:00+00:00</lastmod></url>
  <url><loc> https://news.example/p/2 </loc></url>
</urlset>"""

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url>
    <loc>https://news.example/2024/05/01/big</loc>
    <lastmod>2024-05-01T11:00:00+02:00</lastmod>
    <news:news>
      <news:publication><news:name>Example</news:name><news:language>en</news:language></news:publication>
      <news:publication_date>2024-05-01T10:00:00+02:00</news:publication_date>
      <news:title>Big news, today</news:title>
    </news:news>
  </url>
  <url><loc>https://news.example/2024/05/01/plain</loc><lastmod>2024-05-01</lastmod></url>
</urlset>"""


def test_rss2():
    entries = parse_feed(RSS, BASE)
    assert entries == [
        Announcement(
            "https://news.example/2024/05/01/first",
            "Wed, 01 May 2024 10:00:00 +0200",
            "First story",
        ),
        Announcement(
            "https://news.example/2024/05/02/second", "2024-05-02T08:00:00Z", "Second & <b>bold</b>"
        ),
        Announcement("https://news.example/2024/05/03/third", None, "Guid only"),
    ]


def test_atom_uses_the_alternate_link():
    entries = parse_feed(ATOM, BASE)
    assert entries == [
        Announcement("https://news.example/a/1", "2024-06-01T12:00:00+00:00", "Atom one"),
        Announcement("https://news.example/a/2", "2024-06-03T12:00:00Z", "Atom two"),
    ]


def test_rdf():
    assert parse_feed(RDF, BASE) == [
        Announcement("https://news.example/r/1", "2024-07-01T09:00:00+01:00", "RDF one")
    ]


def test_sitemap_index():
    content = parse_sitemap(SITEMAP_INDEX, "https://news.example/sitemap.xml")
    assert content.is_index is True
    assert content.entries == [
        Announcement("https://news.example/sitemap-2024-05.xml", "2024-05-31", None),
        Announcement("https://news.example/sitemap-2024-06.xml", None, None),
    ]


def test_urlset():
    content = parse_sitemap(URLSET, "https://news.example/sitemap.xml")
    assert content.is_index is False
    assert content.entries == [
        Announcement("https://news.example/p/1", "2024-05-01T00:00:00+00:00", None),
        Announcement("https://news.example/p/2", None, None),
    ]


def test_google_news_sitemap_dates_and_titles():
    content = parse_sitemap(NEWS_SITEMAP, "https://news.example/news-sitemap.xml")
    assert content.is_index is False
    assert content.entries == [
        # the publication date wins over lastmod
        Announcement(
            "https://news.example/2024/05/01/big", "2024-05-01T10:00:00+02:00", "Big news, today"
        ),
        Announcement("https://news.example/2024/05/01/plain", "2024-05-01", None),
    ]


def test_robots_sitemap_lines():
    body = (
        b"User-agent: *\nDisallow: /private/\n"
        b"Sitemap: https://news.example/sitemap_index.xml\n"
        b"sitemap: /news-sitemap.xml\n"
        b"# Sitemap: https://news.example/commented.xml\n"
    )
    assert robots_sitemaps(body, "https://news.example/robots.txt") == [
        "https://news.example/sitemap_index.xml",
        "https://news.example/news-sitemap.xml",
    ]


def test_robots_without_sitemaps_and_binary_garbage():
    assert robots_sitemaps(b"User-agent: *\nDisallow:\n", "https://news.example/robots.txt") == []
    assert robots_sitemaps(b"\xff\xfe\x00\x01garbage", "https://news.example/robots.txt") == []
    assert robots_sitemaps(b"", "https://news.example/robots.txt") == []


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (RSS, "feed"),
        (ATOM, "feed"),
        (RDF, "feed"),
        (SITEMAP_INDEX, "sitemap"),
        (NEWS_SITEMAP, "sitemap"),
        (b"  \n<rss version='2.0'><channel/></rss>", "feed"),
        (b"<!doctype html><html><body>hi</body></html>", None),
        (b'<?xml version="1.0"?><html><body/></html>', None),
        (b"{}", None),
        (b"", None),
    ],
)
def test_looks_like_xml_feed_or_sitemap(body, kind):
    assert looks_like_xml_feed_or_sitemap(body) == kind


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   ",
        b"not xml at all",
        b"<html><body><a href='/x'>x</a></body></html>",
        b"\x00\x01\x02\xff",
        b"<rss><channel><item><title>no link</title></item>",
        b"<<<>>>",
    ],
)
def test_malformed_or_empty_input_gives_nothing(body):
    assert parse_feed(body, BASE) == []
    assert parse_sitemap(body, BASE).entries == []
    assert parse_sitemap(body, BASE).is_index is False


def test_truncated_feed_keeps_what_was_readable():
    truncated = RSS[: RSS.index(b"<item>", RSS.index(b"<item>") + 1)]
    assert [a.url for a in parse_feed(truncated, BASE)] == ["https://news.example/2024/05/01/first"]


def test_input_over_the_size_cap_is_ignored():
    item = b"<url><loc>https://news.example/p/x</loc></url>"
    head = b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    body = head + item * (MAX_XML_BYTES // len(item) + 1) + b"</urlset>"
    assert len(body) > MAX_XML_BYTES
    started = time.monotonic()
    assert parse_sitemap(body, BASE).entries == []
    assert parse_feed(body, BASE) == []
    assert time.monotonic() - started < 1.0


def test_entries_are_capped():
    items = b"".join(
        b"<url><loc>https://news.example/p/%d</loc></url>" % i for i in range(MAX_ENTRIES + 10)
    )
    body = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + items + b"</urlset>"
    entries = parse_sitemap(body, BASE).entries
    assert len(entries) == MAX_ENTRIES
    assert entries[-1].url == f"https://news.example/p/{MAX_ENTRIES - 1}"


# --- hostile XML ------------------------------------------------------------------------------


def _external_entity_feed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENTS")
    body = (
        f'<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        "<rss version='2.0'><channel><item><title>t &xxe;</title>"
        "<link>https://news.example/x/&xxe;</link>"
        "<description>&xxe;</description></item></channel></rss>"
    ).encode()
    return body


def test_external_entities_are_not_expanded_in_feeds(tmp_path):
    entries = parse_feed(_external_entity_feed(tmp_path), BASE)
    assert "TOP-SECRET-CONTENTS" not in repr(entries)
    assert all(a.url.startswith("https://news.example/x/") for a in entries)


def test_external_entities_are_not_expanded_in_sitemaps(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENTS")
    body = (
        f'<?xml version="1.0"?>\n<!DOCTYPE urlset [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://news.example/&xxe;</loc><lastmod>&xxe;</lastmod></url></urlset>"
    ).encode()
    content = parse_sitemap(body, BASE)
    assert "TOP-SECRET-CONTENTS" not in repr(content)


def test_external_parameter_entity_and_dtd_are_not_fetched():
    # A parameter entity pointing at a closed local port: fetching it would be network
    # access (and, against a listening service, an SSRF); parsing must not even try.
    body = (
        b'<?xml version="1.0"?>\n'
        b'<!DOCTYPE rss SYSTEM "http://127.0.0.1:1/evil.dtd" '
        b'[<!ENTITY % remote SYSTEM "http://127.0.0.1:1/p.dtd"> %remote;]>\n'
        b"<rss><channel><item><link>https://news.example/ok</link></item></channel></rss>"
    )
    started = time.monotonic()
    assert [a.url for a in parse_feed(body, BASE)] == ["https://news.example/ok"]
    assert time.monotonic() - started < 1.0


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel>
<item><title>&lol9;</title><link>https://news.example/lol</link></item>
<item><title>after</title><link>https://news.example/lol/&lol9;</link></item>
</channel></rss>"""


def test_billion_laughs_does_not_expand_or_hang():
    started = time.monotonic()
    entries = parse_feed(BILLION_LAUGHS, BASE)
    sitemap = parse_sitemap(BILLION_LAUGHS.replace(b"rss", b"urlset"), BASE)
    kind = looks_like_xml_feed_or_sitemap(BILLION_LAUGHS)
    assert time.monotonic() - started < 2.0
    assert kind in {"feed", None}
    assert "lollollol" not in repr(entries) and "lollollol" not in repr(sitemap)
    assert all(len(a.url) < 200 and len(a.title or "") < 200 for a in entries)


def test_gzipped_sitemaps_are_read():
    import gzip

    body = gzip.compress(
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://a.example/2026/01/02/story</loc></url></urlset>"
    )
    assert looks_like_xml_feed_or_sitemap(body) == "sitemap"
    assert [e.url for e in parse_sitemap(body, "https://a.example/").entries] == [
        "https://a.example/2026/01/02/story"
    ]


def test_a_gzip_bomb_sitemap_is_refused():
    import gzip

    bomb = gzip.compress(b"<urlset>" + b" " * (60 * 1024 * 1024))
    assert parse_sitemap(bomb, "https://a.example/").entries == []
