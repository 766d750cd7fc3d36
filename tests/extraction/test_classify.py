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


def test_a_list_of_story_cards_makes_a_listing_whatever_it_declares():
    tag_page = _signals(
        url="https://x.example/topics/harbour-and-ferries",
        og_type="article",
        jsonld_types=frozenset({"newsarticle"}),
        body_chars=1500,
        story_cards=10,
        story_chars=2500,
    )
    analysis = classify(tag_page)
    assert not analysis[0] and "story cards=10" in analysis[1]
    # An article's own recirculation: a few cards, or many next to a much longer body.
    assert classify(_signals(story_cards=5, story_chars=2000))[0]
    assert classify(_signals(body_chars=8000, story_cards=11, story_chars=2500))[0]


def test_a_body_under_a_linked_headline_is_a_teased_lead_story():
    front = _signals(url="https://x.example/news/", body_chars=6000, linked_headline=True)
    assert not classify(front)[0]


def test_a_dated_article_record_with_a_paywalled_opening_is_an_article():
    record = dict(
        url="https://x.example/articles/AST1F4445T1FUTIL02SM.html",
        og_type="article",
        jsonld_types=frozenset({"newsarticle"}),
        headline_links=37,
    )
    assert classify(_signals(body_chars=468, paragraphs=2, dated_record=True, **record))[0]
    assert not classify(_signals(body_chars=468, paragraphs=2, **record))[0]


def test_a_short_article_in_long_paragraphs_under_a_terse_url():
    bare = _signals(
        url="https://x.example/?p=3013", body_chars=1339, paragraphs=3, headline_links=8
    )
    assert classify(bare)[0]
