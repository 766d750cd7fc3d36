"""Headline, authors, description, image, tags and language."""

from __future__ import annotations

from crawler.extraction.jsonld import article_node, jsonld_nodes
from crawler.extraction.language import guess_language
from crawler.extraction.meta import MetaTags
from crawler.extraction.metadata import language_of, read_metadata, strip_site_suffix
from crawler.extraction.parsing import parse_html


def _read(html: str, url: str = "https://x.example/a"):
    root = parse_html(html)
    nodes = jsonld_nodes(root)
    return read_metadata(root, url, MetaTags(root), nodes, article_node(nodes))


def test_site_suffix_removed():
    assert strip_site_suffix("Bridge reopens | Town Post", ["Town Post"]) == "Bridge reopens"
    assert (
        strip_site_suffix("Town Post - Bridge reopens today", ["town post"])
        == "Bridge reopens today"
    )
    assert strip_site_suffix("Council approves the new city budget - Metro", []) == (
        "Council approves the new city budget"
    )
    assert strip_site_suffix("Is it over - or not?", []) == "Is it over - or not?"


def test_jsonld_authors_skip_organisations_and_dedupe():
    html = """<script type="application/ld+json">{"@type": "NewsArticle", "headline": "H",
    "author": [{"@type": "Person", "name": "By Jane Doe"}, {"@type": "Organization", "name": "Wire"},
    {"@type": "Person", "name": "jane doe"}, {"@type": "Person", "name": "John Roe"}],
    "keywords": "A, B, a"}</script>"""
    metadata = _read(html)
    assert metadata.authors == ["Jane Doe", "John Roe"]
    assert metadata.tags == ["A", "B"]


def test_meta_author_and_byline_fallbacks():
    assert _read('<meta name="author" content="Jane Doe and John Roe">').authors == [
        "Jane Doe",
        "John Roe",
    ]
    site = '<meta property="og:site_name" content="Valley Express"><meta name="author" content="Valley Express">'
    byline = '<div class="post-author-name">By <a href="/a">SAMIR QURESHI</a> · March 3, 2026</div>'
    assert _read(site + byline).authors == ["Samir Qureshi"]


def test_image_absolute_and_description():
    metadata = _read(
        '<meta property="og:image" content="/i.jpg"><meta name="description" content=" D  x ">'
    )
    assert metadata.image == "https://x.example/i.jpg"
    assert metadata.description == "D x"


def test_language_declared_then_guessed():
    root = parse_html('<html lang="en-GB"><p>x</p></html>')
    assert language_of(root, MetaTags(root), None, "") == "en"
    root = parse_html('<meta property="og:locale" content="de_DE">')
    assert language_of(root, MetaTags(root), None, "") == "de"
    french = "Le conseil a voté pour la nouvelle route et les habitants sont contents. " * 5
    assert guess_language(french) == "fr"
    assert guess_language("too short") is None
