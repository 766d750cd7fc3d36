"""URL strings: canonicalization (tracking and session parameters, ports, hosts, fragments,
errors), the date in a path, and article vs listing shape."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.urls import (
    InvalidUrl,
    canonical_url,
    host_of,
    is_author_url,
    is_tracking_parameter,
    url_date,
    url_shape,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # tracking parameters dropped, the rest sorted, fragment gone
        (
            "https://example.com/a?utm_source=x&b=2&utm_medium=y&a=1&fbclid=F&gclid=G#top",
            "https://example.com/a?a=1&b=2",
        ),
        ("https://example.com/a?UTM_Campaign=x&id=7", "https://example.com/a?id=7"),
        (
            "https://example.com/a?msclkid=1&mc_cid=2&igshid=3&_ga=4&pk_kwd=5",
            "https://example.com/a",
        ),
        # session ids in the query
        ("https://example.com/a?PHPSESSID=abc&sid=2&page=3", "https://example.com/a?page=3"),
        ("https://example.com/a?jsessionid=abc&sessionid=1&session_id=2", "https://example.com/a"),
        # session ids as path parameters, any case
        ("https://example.com/story;jsessionid=ABC123", "https://example.com/story"),
        ("https://example.com/story;JSESSIONID=ABC123?id=4", "https://example.com/story?id=4"),
        ("https://example.com/a;sid=1/b", "https://example.com/a/b"),
        # default ports dropped, others kept; scheme and host lower-cased, path case kept
        ("HTTP://Example.COM:80/Path", "http://example.com/Path"),
        ("https://EXAMPLE.com:443/", "https://example.com/"),
        ("https://example.com:80/", "https://example.com:80/"),
        ("http://example.com:8080/x", "http://example.com:8080/x"),
        # empty path and trailing "?" normalized, trailing dot of the host dropped
        ("http://example.com", "http://example.com/"),
        ("http://example.com/?", "http://example.com/"),
        ("http://example.com./a", "http://example.com/a"),
        ("http://example.com\u3002/a", "http://example.com/a"),
        # fragment only
        ("https://example.com/a#comments", "https://example.com/a"),
        # percent-encoding normalized, blank values kept
        ("https://example.com/a b?q=%7e", "https://example.com/a%20b?q=~"),
        ("https://example.com/?b=&a", "https://example.com/?a=&b="),
        # credentials are not part of the canonical URL
        ("http://user:pw@example.com/a", "http://example.com/a"),
        # IPv6 literals keep their brackets
        ("http://[2001:DB8::1]:8080/a", "http://[2001:db8::1]:8080/a"),
        ("http://[::1]/a", "http://[::1]/a"),
        # internationalized host names become punycode
        ("http://b\u00fccher.example/x", "http://xn--bcher-kva.example/x"),
    ],
)
def test_canonical_url(url, expected):
    assert canonical_url(url) == expected


def test_surrounding_whitespace_is_ignored():
    assert canonical_url("  https://example.com/a?x=1 \n") == "https://example.com/a?x=1"


def test_query_values_with_reserved_characters_survive():
    assert (
        canonical_url("https://example.com/?q=a%26b&r=%2B") == "https://example.com/?q=a%26b&r=%2B"
    )


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/file",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "mailto:someone@example.com",
        "data:text/html,hi",
        "/relative/path",
        "example.com/no-scheme",
        "",
        "http://",
        "http:///path-only",
        "https://:80/",
        "http://example.com:99999/",
        "http://example.com:-1/",
        "http://[::1/",
        "http://example.com/\ud800",
        "http://\ud800/",
        "http://example.com/?q=\udfff",
        "http://\\evil/",
    ],
)
def test_invalid_urls_raise_invalid_url(url):
    with pytest.raises(InvalidUrl):
        canonical_url(url)


def test_invalid_url_message_is_one_line():
    with pytest.raises(InvalidUrl) as info:
        canonical_url("ftp://example.com/\nsecond")
    assert "\n" not in str(info.value)
    assert "not an http(s) URL" in str(info.value)


@pytest.mark.parametrize(
    "url",
    [
        "https://Example.com:443/a;jsessionid=1?utm_source=x&b=2&a=1#f",
        "http://[::1]:8080/x?z=1&y=2",
        "http://b\u00fccher.example/\u00e4?\u00f6=\u00fc",
        "https://example.com/a%2Fb?q=a+b",
        "http://example.com\uff0e/a",
    ],
)
def test_idempotent_on_examples(url):
    once = canonical_url(url)
    assert canonical_url(once) == once


@pytest.mark.parametrize(
    "name",
    ["utm_source", "UTM_MEDIUM", "utm_anything", "fbclid", "gclid", "PHPSESSID", "jsessionid",
     "sid", "_ga", "mc_eid", "__twitter_impression", "hsa_cam"],
)  # fmt: skip
def test_is_tracking_parameter_true(name):
    assert is_tracking_parameter(name) is True


@pytest.mark.parametrize("name", ["id", "page", "q", "utm", "source", "article_id", "sidebar"])
def test_is_tracking_parameter_false(name):
    assert is_tracking_parameter(name) is False


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://Example.com/a", "example.com"),
        ("http://example.com:80/a", "example.com"),
        ("https://example.com:443/a", "example.com"),
        ("https://example.com:80/a", "example.com:80"),
        ("http://example.com:8080/a", "example.com:8080"),
        ("http://example.com./a", "example.com"),
        ("http://127.0.0.2:8461/", "127.0.0.2:8461"),
    ],
)
def test_host_of(url, expected):
    assert host_of(url) == expected


def test_host_of_keeps_ipv6_brackets():
    assert host_of("http://[::1]:81/") == "[::1]:81"


@pytest.mark.parametrize(
    "url", ["http://exa mple.com/", "http://a\x10b/", "http://a<b/", "http://a\uff3bb/"]
)
def test_hosts_with_impossible_characters_are_invalid(url):
    with pytest.raises(InvalidUrl):
        canonical_url(url)


# --- properties ------------------------------------------------------------------------------

# Pieces URLs in the wild (and broken ones) are made of, including what has broken
# canonicalizers before: surrogates, NULs, percent-signs, brackets, ports, IDN dots.
_PIECES = [
    *"aZ09-._~%/?#[]@:;=&+ !$'()*,\\",
    "\ud800", "\udfff", "\x00", "\t", "\n", "\u00fc", "\u3002", "\uff0e", "\u00df", "\u200b",
    "xn--", "%00", "%ff", "%zz", "%2e", "%25", "%2F", "..", "/./", "utm_source=", "fbclid=",
    ";jsessionid=", "::1", "[::1]", "127.0.0.1", ":80", ":443", ":8080", ":99999", ":-1",
    "example.com", "www.", "?", "#",
]  # fmt: skip
_SCHEMES = ["http", "https", "HTTP", "hTTps", "ftp", "file", "javascript", ""]
_SEPARATORS = ["://", ":", ":///", "//", ""]

url_like = st.builds(
    lambda scheme, sep, rest: scheme + sep + rest,
    st.sampled_from(_SCHEMES),
    st.sampled_from(_SEPARATORS),
    st.lists(st.sampled_from(_PIECES), max_size=25).map("".join),
)
# Hosts made of what host names really contain (letters, digits, hyphens, dots, IDN).
_HOST_CHARS = st.sampled_from([*"abcXYZ019-", ".", "\u00fc", "\u00e9", "\u3002"])
plausible_url = st.builds(
    lambda scheme, host, port, path, query, frag: f"{scheme}://{host}{port}/{path}{query}{frag}",
    st.sampled_from(["http", "https", "HTTP"]),
    st.lists(_HOST_CHARS, min_size=1, max_size=15).map("".join),
    st.sampled_from(["", ":80", ":443", ":8080"]),
    st.lists(st.sampled_from([*"ab/%;=~", "%20", "%7e", ";jsessionid=x", "\u00e4"]), max_size=10).map("".join),
    st.sampled_from(["", "?", "?b=2&a=1", "?utm_source=x&id=3", "?q=a+b&q=%2B", "?x="]),
    st.sampled_from(["", "#", "#frag"]),
)  # fmt: skip

_PROPERTY = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_PROPERTY
@given(
    st.one_of(url_like, st.text(max_size=40), st.text(max_size=40).map("http://a.test/".__add__))
)
def test_never_raises_anything_but_invalid_url(url):
    try:
        result = canonical_url(url)
    except InvalidUrl:
        return
    assert result.startswith(("http://", "https://"))
    assert "#" not in result


@_PROPERTY
@given(plausible_url)
def test_canonical_of_canonical_is_the_same(url):
    try:
        once = canonical_url(url)
    except InvalidUrl:
        return
    assert canonical_url(once) == once


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://x.example/2019/10/22/slug/", dt.date(2019, 10, 22)),
        ("https://x.example/news/20260318/slug", dt.date(2026, 3, 18)),
        ("https://x.example/2026-03-04/slug", dt.date(2026, 3, 4)),
        ("https://x.example/society/2026/may/06/slug", None),
        ("https://x.example/article/123456789", None),
    ],
)
def test_url_date(url, day):
    assert url_date(url) == day


@pytest.mark.parametrize(
    ("url", "sign"),
    [
        ("https://x.example/2026/03/01/council-approves-new-budget/", 1),
        ("https://x.example/news/a-long-article-slug-about-things", 1),
        ("https://x.example/", -1),
        ("https://x.example/tag/housing/", -1),
        ("https://x.example/author/jane-doe/", -1),
        ("https://x.example/news/?page=2", -1),
        ("https://x.example/search?q=x", -1),
        # query-string CMSs: an item id is an article, a section or a writer a listing
        ("https://x.example/article.php?id=17", 1),
        ("https://x.example/?p=3013", 1),
        ("https://x.example/index.php?section=economy&start=10", -1),
        ("https://x.example/writer.php?name=Jana+Novak", -1),
        # a listing word with an item after it is a path to an article
        ("https://x.example/autoren/jane-doe/what-the-philippines-read-at-the-fair", 1),
        ("https://x.example/archive/63076", 1),
        # ... and with a date or a page number after it, a listing
        ("https://x.example/archive/2026/11/19/", -1),
        ("https://x.example/category/politics/page/2/", -1),
        # a long slug right after a listing word names the listing
        ("https://x.example/topics/climate-change-and-energy-policy", -1),
    ],
)
def test_url_shape(url, sign):
    score, reasons = url_shape(url)
    assert (score > 0) == (sign > 0), reasons


def test_author_urls():
    assert is_author_url("https://x.example/autoren/name/max-kolter")
    assert is_author_url("/author/jane-doe/")
    assert not is_author_url("https://x.example/2026/01/02/author-wins-prize")
