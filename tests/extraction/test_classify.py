"""Article vs listing classification."""

from __future__ import annotations

from crawler.extraction.classify import PageSignals, classify


def _signals(**changes):
    base = dict(
        url="https://x.example/news/2026/03/01/council-approves-new-budget",
        og_type=None,
        jsonld_types=frozenset(),
        body_chars=2500,
        body_link_chars=0,
        paragraphs=8,
        headline_links=20,
        has_article_element_with_h1=False,
    )
    base.update(changes)
    return PageSignals(**base)


def test_plain_article_without_metadata_is_an_article():
    assert classify(_signals())[0]


def test_listing_with_article_og_type_is_not():
    signals = _signals(
        url="https://x.example/tag/housing/",
        og_type="article",
        body_chars=300,
        paragraphs=2,
        headline_links=30,
    )
    assert not classify(signals)[0]


def test_home_page_is_not():
    assert not classify(_signals(url="https://x.example/", og_type="website", body_chars=900))[0]


def test_link_dense_body_is_not():
    assert not classify(_signals(body_link_chars=2000))[0]


def test_reasons_are_given():
    _, reasons = classify(_signals(og_type="article", jsonld_types=frozenset({"newsarticle"})))
    assert "og:type=article" in reasons and "jsonld=newsarticle" in reasons


def test_short_brief_declared_as_article_is_an_article():
    brief = _signals(
        body_chars=400, paragraphs=3, og_type="article", jsonld_types=frozenset({"newsarticle"})
    )
    assert classify(brief)[0]
    assert not classify(_signals(body_chars=400, paragraphs=3))[0]


def test_the_article_floor_has_one_home():
    from crawler import settings
    from crawler.items import MIN_BODY_CHARS

    assert settings.NEWS_MIN_BODY_CHARS == MIN_BODY_CHARS
    declared = dict(og_type="article", jsonld_types=frozenset({"newsarticle"}), paragraphs=3)
    assert classify(_signals(body_chars=MIN_BODY_CHARS, **declared))[0]
    assert not classify(_signals(body_chars=MIN_BODY_CHARS - 1, **declared))[0]
