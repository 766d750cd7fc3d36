"""Feeds, sitemaps and robots.txt Sitemap lines, including hostile XML and bombs."""

from __future__ import annotations

import gzip
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler import settings
from crawler.discovery import (
    ROBOTS_MAX_BYTES,
    Announcement,
    Announcements,
    NotRead,
    announced_time,
    read_announcements,
    robots_sitemaps,
    robots_text,
    unpacked,
)

BASE = "https://news.example/feeds/main.xml"
REPO = Path(__file__).resolve().parent.parent
# The project's caps, as a worker applies them.
MAX_BYTES = settings.NEWS_SITEMAP_MAXSIZE
MAX_ENTRIES = settings.NEWS_SITEMAP_MAX_ENTRIES


def read(body: bytes, base: str = BASE, **caps: int) -> Announcements | None:
    """The body read as a worker reads it: unpacked, then parsed, with the project's caps."""
    caps = {"max_bytes": MAX_BYTES, "max_entries": MAX_ENTRIES, **caps}
    return read_announcements(unpacked(body, caps["max_bytes"]), base, **caps)


def feed(body: bytes) -> list[Announcement]:
    """Entries of a body that must be a feed."""
    announced = read(body)
    assert announced is not None and announced.kind == "feed"
    assert announced.is_index is False
    return announced.entries


def peak_growth_mib(setup: str, action: str) -> float:
    """How much ``action`` raises the peak memory of a fresh interpreter after ``setup``
    (ru_maxrss is a high-water mark: within the test process it would also hold every
    earlier test's peak)."""
    script = (
        "import gzip, resource\n"
        "from tests.test_discovery import *\n"
        f"{setup}\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        f"{action}\n"
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True
    )
    return float(result.stdout.split()[-1])


def sitemap(body: bytes, base: str = BASE) -> Announcements:
    announced = read(body, base)
    assert announced is not None and announced.kind == "sitemap"
    return announced


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
    entries = feed(RSS)
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
    entries = feed(ATOM)
    assert entries == [
        Announcement("https://news.example/a/1", "2024-06-01T12:00:00+00:00", "Atom one"),
        Announcement("https://news.example/a/2", "2024-06-03T12:00:00Z", "Atom two"),
    ]


def test_rdf():
    assert feed(RDF) == [
        Announcement("https://news.example/r/1", "2024-07-01T09:00:00+01:00", "RDF one")
    ]


def test_sitemap_index():
    content = sitemap(SITEMAP_INDEX, "https://news.example/sitemap.xml")
    assert content.is_index is True
    assert content.entries == [
        Announcement("https://news.example/sitemap-2024-05.xml", "2024-05-31", None),
        Announcement("https://news.example/sitemap-2024-06.xml", None, None),
    ]


def testurlset_body():
    content = sitemap(URLSET, "https://news.example/sitemap.xml")
    assert content.is_index is False
    assert content.entries == [
        Announcement("https://news.example/p/1", "2024-05-01T00:00:00+00:00", None),
        Announcement("https://news.example/p/2", None, None),
    ]


def test_google_news_sitemap_dates_and_titles():
    content = sitemap(NEWS_SITEMAP, "https://news.example/news-sitemap.xml")
    assert content.is_index is False
    assert content.entries == [
        # the publication date wins over lastmod
        Announcement(
            "https://news.example/2024/05/01/big", "2024-05-01T10:00:00+02:00", "Big news, today"
        ),
        Announcement("https://news.example/2024/05/01/plain", "2024-05-01", None),
    ]


def test_only_the_sitemaps_own_entries_are_read():
    """<url> elements nested deeper than the root's children are not the sitemap's."""
    body = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://news.example/p/1</loc></url>"
        b"<extra><url><loc>https://news.example/hidden</loc></url></extra></urlset>"
    )
    assert [e.url for e in sitemap(body).entries] == ["https://news.example/p/1"]


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


def test_robots_txt_is_read_up_to_500_kib_in_whole_lines():
    """RFC 9309 2.5: the first 500 KiB are read; a Sitemap line after them is not, nor is
    the line the limit cuts through."""
    rules = b"User-agent: *\n" + b"Disallow: /a-long-enough-private-path/\n" * 14_000
    assert len(rules) > ROBOTS_MAX_BYTES
    body = b"Sitemap: https://news.example/early.xml\n" + rules + b"Sitemap: /late.xml\n"
    text = robots_text(body)
    assert len(text.encode()) <= ROBOTS_MAX_BYTES and text.endswith("\n")
    assert text.splitlines()[-1] == "Disallow: /a-long-enough-private-path/"
    started = time.monotonic()
    assert robots_sitemaps(body, "https://news.example/robots.txt") == [
        "https://news.example/early.xml"
    ]
    assert time.monotonic() - started < 1.0
    assert robots_text(b"User-agent: *\nDisallow: /x\n") == "User-agent: *\nDisallow: /x\n"


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        (RSS, "feed"),
        (ATOM, "feed"),
        (RDF, "feed"),
        (SITEMAP_INDEX, "sitemap"),
        (NEWS_SITEMAP, "sitemap"),
        (b"  \n<rss version='2.0'><channel/></rss>", "feed"),
        (b"\xef\xbb\xbf<?xml version='1.0'?><rss version='2.0'><channel/></rss>", "feed"),
        (b'\n  <?xml version="1.0"?>\n<urlset><url><loc>/x</loc></url></urlset>', "sitemap"),
        (b"<!doctype html><html><body>hi</body></html>", None),
        (b'<?xml version="1.0"?><html><body/></html>', None),
        (b"{}", None),
        (b"", None),
    ],
)
def test_feeds_and_sitemaps_are_told_apart_from_other_bodies(body, kind):
    announced = read(body)
    assert (announced.kind if announced else None) == kind


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
        b"<urlset",
        b"<?xml version='1.0'?>",
    ],
)
def test_malformed_or_empty_input_gives_nothing(body):
    announced = read(body)
    assert announced is None or announced.entries == []


def test_truncated_feed_keeps_what_was_readable():
    truncated = RSS[: RSS.index(b"<item>", RSS.index(b"<item>") + 1)]
    assert [a.url for a in feed(truncated)] == ["https://news.example/2024/05/01/first"]


def urlset_body(count: int) -> bytes:
    items = b"".join(b"<url><loc>https://news.example/p/%d</loc></url>" % i for i in range(count))
    return b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">' + items + b"</urlset>"


def test_a_body_over_the_size_cap_is_not_read():
    body = urlset_body(200)
    with pytest.raises(NotRead, match=rf"{len(body)} bytes, over the cap of 1000"):
        read(body, max_bytes=1000)
    assert len(read(body, max_bytes=len(body)).entries) == 200
    assert len(read(body, max_bytes=0).entries) == 200  # 0: no cap


def test_entries_are_capped_and_the_rest_is_not_parsed():
    body = urlset_body(60_000)
    started = time.monotonic()
    announced = read(body, max_entries=100)
    assert time.monotonic() - started < 0.5
    assert len(announced.entries) == 100 and announced.capped is True
    assert announced.entries[-1].url == "https://news.example/p/99"
    everything = read(body, max_entries=0)
    assert len(everything.entries) == 60_000 and everything.capped is False
    exactly = read(urlset_body(100), max_entries=100)
    assert len(exactly.entries) == 100 and exactly.capped is False


def test_feed_entries_are_capped():
    items = b"".join(b"<item><link>https://news.example/f/%d</link></item>" % i for i in range(50))
    announced = read(b"<rss><channel>" + items + b"</channel></rss>", max_entries=10)
    assert [e.url for e in announced.entries] == [f"https://news.example/f/{i}" for i in range(10)]
    assert announced.capped is True


@pytest.mark.parametrize(
    "unit", [b"<a/>", b"<junk><url><loc>/x</loc></url></junk>", b"<url><x/></url>"]
)
def test_memory_stays_flat_around_the_entries(unit):
    """2 MiB of elements that are no entries (half a million): each is freed once read,
    whatever its depth, so the parse holds a few elements at a time, not a tree of 70 MB."""
    setup = (
        "head = b'<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">'\n"
        f"body = head + {unit!r} * (2 * 1024 * 1024 // {len(unit)}) + b'</urlset>'"
    )
    grown = peak_growth_mib(setup, "assert read(body).entries == []")
    assert grown < 10, grown


def test_memory_stays_flat_while_a_large_sitemap_is_read():
    """Entries already read are freed: a full 50,000-URL sitemap (the protocol's limit)
    read whole costs far less than its tree would."""
    grown = peak_growth_mib(
        "body = urlset_body(50_000)", "assert len(read(body, max_entries=0).entries) == 50_000"
    )
    assert grown < 40, grown


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
    entries = feed(_external_entity_feed(tmp_path))
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
    content = sitemap(body)
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
    assert [a.url for a in feed(body)] == ["https://news.example/ok"]
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
    announced = read(BILLION_LAUGHS)
    as_sitemap = read(BILLION_LAUGHS.replace(b"rss", b"urlset"))
    assert time.monotonic() - started < 2.0
    assert announced is None or announced.kind == "feed"
    entries = announced.entries if announced else []
    assert "lollollol" not in repr(entries) and "lollollol" not in repr(as_sitemap)
    assert all(len(a.url) < 200 and len(a.title or "") < 200 for a in entries)


# --- gzip ---------------------------------------------------------------------------------------


def test_gzipped_sitemaps_are_read():
    body = gzip.compress(
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://a.example/2026/01/02/story</loc></url></urlset>"
    )
    assert [e.url for e in sitemap(body, "https://a.example/").entries] == [
        "https://a.example/2026/01/02/story"
    ]


def test_a_gzip_bomb_sitemap_stops_at_the_cap():
    """49 KB of gzip that would unpack to 50 MB: unpacking stops at the cap, quickly and
    without taking the memory the bomb asks for."""
    bomb = gzip.compress(b"<urlset>" + b" " * (50 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 52 * 1024
    started = time.monotonic()
    with pytest.raises(NotRead, match=f"over the cap of {MAX_BYTES} bytes once decompressed"):
        read(bomb)
    assert time.monotonic() - started < 1.0
    grown = peak_growth_mib(
        "bomb = gzip.compress(b'<urlset>' + b' ' * (50 * 1024 * 1024), compresslevel=9)",
        "try:\n    read(bomb)\nexcept NotRead:\n    pass",
    )
    assert grown < 3 * MAX_BYTES / 1024 / 1024, grown


def test_the_download_limit_bounds_unpacking_when_it_is_the_smaller():
    body = gzip.compress(urlset_body(2000))
    assert len(read(body, max_bytes=0).entries) == 2000
    with pytest.raises(NotRead, match="over the cap of 4096 bytes once decompressed"):
        read(body, max_bytes=4096)


@pytest.mark.parametrize("body", [b"\x1f\x8b", b"\x1f\x8b\x08garbage", gzip.compress(b"x")[:-9]])
def test_broken_gzip_is_not_read_with_a_reason(body):
    try:
        announced = read(body)
    except NotRead as refused:
        assert "gzip" in str(refused)
    else:
        assert announced is None  # what could be unpacked is no feed


@pytest.mark.parametrize(
    ("text", "epoch"),
    [
        ("2027-01-15", 1799971200),  # a W3C date alone: midnight UTC
        ("2027-01-15T09:00Z", 1800003600),
        ("2027-01-15T10:00:00.5+01:00", 1800003600),
        ("2027-01-15T09:00:00", 1800003600),  # no offset: UTC
        ("Fri, 15 Jan 2027 09:00:00 GMT", 1800003600),  # RSS pubDate (RFC 822)
        ("Fri, 15 Jan 2027 10:00:00 +0100", 1800003600),
        ("yesterday", None),
        ("", None),
        (None, None),
        ("9" * 100, None),
    ],
)
def test_announced_times_are_read_from_the_formats_feeds_and_sitemaps_use(text, epoch):
    assert announced_time(text) == epoch


def test_the_date_an_entry_last_changed_is_announced_apart_from_its_publication():
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="https://n.example/a"/>'
        b"<published>2027-01-01T00:00:00Z</published><updated>2027-01-15T09:00:00Z</updated>"
        b"</entry></feed>"
    )
    (entry,) = read_announcements(atom, "https://n.example/", max_bytes=0, max_entries=0).entries
    assert (entry.published, entry.modified) == ("2027-01-01T00:00:00Z", "2027-01-15T09:00:00Z")
    news = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        b'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
        b"<loc>https://n.example/a</loc><lastmod>2027-01-15</lastmod><news:news>"
        b"<news:publication_date>2027-01-01</news:publication_date></news:news></url></urlset>"
    )
    (entry,) = read_announcements(news, "https://n.example/", max_bytes=0, max_entries=0).entries
    assert (entry.published, entry.modified) == ("2027-01-01", "2027-01-15")
