"""Authors as the page declares them: people, co-authors, organisations; label words and
navigation text out."""

from __future__ import annotations

from crawler.extraction.authors import authors_of
from crawler.extraction.jsonld import article_node, jsonld_nodes
from crawler.extraction.meta import MetaTags
from crawler.extraction.parsing import parse_html


def _authors(html: str, sites: tuple[str, ...] = (), url: str = "https://x.example/a"):
    root = parse_html(html)
    nodes = jsonld_nodes(root)
    return authors_of(root, MetaTags(root), article_node(nodes), list(sites), url)


def _jsonld(author: str) -> str:
    return f'<script type="application/ld+json">{{"@type": "NewsArticle", "author": {author}}}</script>'


def test_declared_people_co_authors_and_organisations_are_kept():
    people = _jsonld(
        '[{"@type": "Person", "givenName": "Anna Giulia", "familyName": "Fink"},'
        ' {"@type": "Person", "name": "Von Jan Marchart"}, {"@type": "Person", "name": "dpa"},'
        ' {"@type": "Person", "name": "新間"}, {"@type": "Person", "name": "jan marchart"}]'
    )
    assert _authors(people) == ["Anna Giulia Fink", "Jan Marchart", "dpa", "新間"]
    assert _authors(_jsonld('{"@type": "Organization", "name": "Guardian staff reporter"}')) == [
        "Guardian staff reporter"
    ]


def test_label_words_dates_and_several_names_in_one_string():
    assert _authors('<meta name="author" content="Autor: Monika Bolliger, Anna Trechsel">') == [
        "Monika Bolliger",
        "Anna Trechsel",
    ]
    assert _authors('<meta name="author" content="By JANE DOE and John Roe | June 12, 2026">') == [
        "Jane Doe",
        "John Roe",
    ]
    assert _authors('<meta name="author" content="https://www.facebook.com/stern">') == []


def test_the_site_as_author_gives_way_to_a_person_in_a_byline():
    site = '<meta property="og:site_name" content="Valley Express"><meta name="author" content="Valley Express">'
    byline = '<div class="post-author-name">By <a href="/a">SAMIR QURESHI</a> · March 3, 2026</div>'
    assert _authors(site + byline, ("Valley Express",)) == ["Samir Qureshi"]
    # with no person on the page, the organisation byline stands
    assert _authors(site, ("Valley Express",)) == ["Valley Express"]
    # next to people, the site's own name is the publisher's credit
    both = _jsonld('[{"name": "Povilas Aleksandravičius"}, {"name": "Lrt.lt"}]')
    assert _authors(both, (), "https://www.lrt.lt/a") == ["Povilas Aleksandravičius"]


def test_byline_links_to_writer_pages_and_no_navigation_text():
    page = (
        '<header><p class="meta"><a href="/autoren/name/max-kolter">Dr. Max Kolter</a></p></header>'
    )
    assert _authors(page) == ["Dr. Max Kolter"]
    nav = '<div class="author-tools"><a href="/topics">Themen bearbeiten</a></div>'
    assert _authors(nav) == []
