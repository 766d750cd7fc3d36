"""Story cards: the units a listing is made of, each another story's headline link with its
blurb, byline or date, set side by side in one container.

A listing page presents many stories, each pointing to its own page; an article page
presents one, with recirculation around it (related links, most-read lists) that is mostly
bare headlines in the page's chrome or in rails. So the classifier asks for the largest
group of sibling cards outside the chrome (``<nav>``, ``<header>``, ``<footer>``,
``<aside>``) and outside boxes named as rails, counting only cards that carry text of
their own besides the headline (a blurb: eight words or more). Read on the intact page,
before pruning takes teaser lists away. It also tells whether the page's main headline
links to another page, as a front page's lead story does.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler.extraction.links import HEADLINE_WORDS, Anchor, anchors_of, own_forms, points_here
from crawler.extraction.pruning import tokens_of

_CHROME = frozenset({"nav", "header", "footer", "aside"})
# Class and id words of recirculation boxes on article pages (a subset of the pruning
# vocabulary: "teaser" and "promo" name listing cards just as often, so they are not here).
_RAIL_WORDS = frozenset(
    {"sidebar", "related", "recirc", "recirculation", "trending", "popular", "recommended",
     "recommendations", "outbrain", "taboola", "footer", "widget", "most", "more", "latest",
     "rail", "sponsored"}
)  # fmt: skip
# A blurb, a byline with a date, or both: eight words besides the headline.
_BLURB_WORDS = 8


@dataclass(frozen=True)
class StoryCards:
    """The largest group of story cards with blurbs, and the main headline's link."""

    cards: int
    chars: int
    # The page's first <h1> (else its first <h2>) is a link to another page.
    linked_headline: bool


def _words(element: HtmlElement) -> list[str]:
    return element.text_content().split()


class _Chrome:
    """Whether an element lies in the page's chrome or a rail, remembered per element (the
    links of one list share their ancestors; the elements are kept, so ids stay valid)."""

    def __init__(self) -> None:
        self._known: dict[int, bool] = {}
        self._alive: list[HtmlElement] = []

    def holds(self, anchor: HtmlElement) -> bool:
        path = []
        verdict = False
        for ancestor in anchor.iterancestors():
            known = self._known.get(id(ancestor))
            if known is not None:
                verdict = known
                break
            path.append(ancestor)
            if ancestor.tag in _CHROME or not _RAIL_WORDS.isdisjoint(tokens_of(ancestor)):
                verdict = True
                break
        for element in path:
            self._known[id(element)] = verdict
        self._alive += path
        return verdict


def _elsewhere(anchor: HtmlElement, url: str, own: tuple[set[str], tuple[str, ...]]) -> bool:
    href = (anchor.get("href") or "").strip()
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return False
    return points_here(href, url, *own) is False


def _linked_headline(root: HtmlElement, url: str, own: tuple[set[str], tuple[str, ...]]) -> bool:
    for tag in ("h1", "h2"):
        for heading in root.iter(tag):
            if not " ".join(_words(heading)):
                continue
            anchors = [a for a in heading.iter("a") if _elsewhere(a, url, own)]
            text = len(" ".join(_words(heading)))
            linked = sum(len(" ".join(_words(a))) for a in anchors)
            return bool(anchors) and linked >= 0.6 * text
    return False


def story_cards(root: HtmlElement, url: str, anchors: list[Anchor] | None = None) -> StoryCards:
    """The story cards of the page (read before pruning; ``anchors``: its ``anchors_of``)."""
    own, tails = own_forms(url, None)
    chrome = _Chrome()
    headlines = [
        a.element
        for a in (anchors if anchors is not None else anchors_of(root))
        if len(a.text.split()) >= HEADLINE_WORDS
        and not chrome.holds(a.element)
        and points_here(a.href, url, own, tails) is False
    ]
    # How many headline links each element holds, from each link up its ancestors (the
    # elements are kept alive: lxml's proxies, and so their ids, last only while referenced).
    holds: dict[int, int] = defaultdict(int)
    alive: list[HtmlElement] = []
    for anchor in headlines:
        for ancestor in anchor.iterancestors():
            holds[id(ancestor)] += 1
            alive.append(ancestor)
    groups: dict[int, list[HtmlElement]] = defaultdict(list)
    for anchor in headlines:
        card = anchor
        for ancestor in anchor.iterancestors():
            if holds[id(ancestor)] > 1:
                break
            card = ancestor
        if len(_words(card)) - len(_words(anchor)) >= _BLURB_WORDS:
            parent = card.getparent()
            if parent is not None:
                groups[id(parent)].append(card)
    best = max(groups.values(), key=len, default=[])
    chars = sum(len(" ".join(_words(card))) for card in best)
    return StoryCards(len(best), chars, _linked_headline(root, url, (own, tails)))
