"""Story cards: a listing's list of stories with blurbs, told from an article's rails."""

from __future__ import annotations

from crawler.extraction.parsing import parse_html
from crawler.extraction.story_cards import story_cards

URL = "https://x.example/topics/harbour"
BLURB = "A sentence of blurb that says what the other story is about, in a dozen words."


def _card(n: int) -> str:
    return (
        f'<div class="item"><h3><a href="/2026/01/0{n % 9 + 1}/story-number-{n}">Another story '
        f"headline number {n} here</a></h3><p>{BLURB}</p></div>"
    )


def test_a_list_of_cards_with_blurbs_is_counted():
    page = f"<html><body><main><h1>Harbour</h1><p>Intro.</p><div>{''.join(_card(n) for n in range(8))}</div></main></body></html>"
    cards = story_cards(parse_html(page), URL)
    assert cards.cards == 8 and cards.chars > 8 * len(BLURB)
    assert not cards.linked_headline


def test_rails_chrome_and_bare_headlines_are_not_cards():
    rail = f"<aside>{''.join(_card(n) for n in range(8))}</aside>"
    named = f'<div class="related-stories">{"".join(_card(n) for n in range(8))}</div>'
    bare = "".join(
        f'<li><a href="/s/{n}">Another story headline number {n} here</a></li>' for n in range(12)
    )
    page = f"<html><body><h1>A headline</h1><p>Body.</p>{rail}{named}<ul>{bare}</ul></body></html>"
    assert story_cards(parse_html(page), URL).cards == 0


def test_a_lead_story_under_a_linked_headline():
    page = '<html><body><h2><a href="/2026/01/02/the-lead-story">The lead story of the day here</a></h2><p>Text.</p></body></html>'
    assert story_cards(parse_html(page), "https://x.example/").linked_headline
    own = '<html><body><h1><a href="/a">The headline of this very page</a></h1></body></html>'
    assert not story_cards(parse_html(own), "https://x.example/a").linked_headline
