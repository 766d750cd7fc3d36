"""The URL a page declares: rel=canonical, else og:url, resolved against the page URL."""

from __future__ import annotations

from crawler.extraction.canonical import page_url_of
from crawler.extraction.parsing import parse_html


def test_canonical_then_og_url_resolved():
    root = parse_html('<link rel="Canonical" href="/a/b"><meta property="og:url" content="/c">')
    assert page_url_of(root, "https://x.example/q?id=1") == "https://x.example/a/b"
    root = parse_html('<meta property="og:url" content="/c">')
    assert page_url_of(root, "https://x.example/q") == "https://x.example/c"
    assert (
        page_url_of(parse_html('<link rel="canonical" href="javascript:x">'), "https://x.example/")
        is None
    )
