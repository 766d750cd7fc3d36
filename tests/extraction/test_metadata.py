"""Description, image, tags and language, and the headline and authors as read_metadata
assembles them."""

from __future__ import annotations

from crawler.extraction.jsonld import article_node, jsonld_nodes
from crawler.extraction.language import guess_language
from crawler.extraction.meta import MetaTags
from crawler.extraction.metadata import language_of, read_metadata
from crawler.extraction.parsing import parse_html


def _read(html: str, url: str = "https://x.example/a"):
    root = parse_html(html)
    nodes = jsonld_nodes(root)
    return read_metadata(root, url, MetaTags(root), nodes, article_node(nodes))


def test_og_title_first_decoded_without_the_site_name():
    html = """<meta property="og:site_name" content="Town Post">
    <meta property="og:title" content="Council &amp;quot;approves&amp;quot; budget | Town Post">
    <script type="application/ld+json">{"@type": "NewsArticle", "headline": "SEO headline"}</script>
    <h1>Council “approves” budget</h1>"""
    metadata = _read(html)
    assert metadata.title == "Council “approves” budget"
    assert "SEO headline" in metadata.headlines


def test_jsonld_tags_and_authors():
    html = """<script type="application/ld+json">{"@type": "NewsArticle", "headline": "H",
    "author": [{"@type": "Person", "name": "By Jane Doe"}, {"@type": "Organization", "name": "Wire"}],
    "keywords": "A, B, a"}</script>"""
    metadata = _read(html)
    assert metadata.authors == ["Jane Doe", "Wire"]
    assert metadata.tags == ["A", "B"]


def test_image_absolute_and_description():
    metadata = _read(
        '<meta property="og:image" content="/i.jpg"><meta name="description" content=" D &amp; x ">'
    )
    assert metadata.image == "https://x.example/i.jpg"
    assert metadata.description == "D & x"


def test_language_declared_then_guessed():
    root = parse_html('<html lang="en-GB"><p>x</p></html>')
    assert language_of(root, MetaTags(root), None, "") == "en"
    root = parse_html('<meta property="og:locale" content="de_DE">')
    assert language_of(root, MetaTags(root), None, "") == "de"
    french = "Le conseil a voté pour la nouvelle route et les habitants sont contents. " * 5
    assert guess_language(french) == "fr"
    assert guess_language("too short") is None
