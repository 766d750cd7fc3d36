"""Telling article pages from listing pages (home, section, tag, author, archive, search,
error) by weighing independent signals: declared type, URL shape, and the body found.

No single signal decides: listing pages often declare ``og:type=article`` by template
accident, and plain articles often declare nothing. The declared type (Open Graph, JSON-LD)
and the URL shape give a prior; the extracted body (its length, how much of it is link
text, how many paragraphs) and the page's structure (many headline-sized links, a list of
story cards with blurbs, a main headline linking elsewhere; see ``story_cards``) confirm or
overturn it. Every signal used is returned as a short reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from crawler.extraction.jsonld import ARTICLE_TYPES, LISTING_TYPES, node_types
from crawler.items import MIN_BODY_CHARS
from crawler.urls import url_shape

# A news body of fewer than ~500 characters is a stub, a video caption or a teaser unless
# the page declares itself an article; the article contract's floor (MIN_BODY_CHARS) is the
# only length gate for a page that does.
_SHORT_BODY = 500
# A long body (roughly three solid paragraphs) is an article unless its URL or type says
# otherwise.
_LONG_BODY = 1500
# Article bodies on fundus-news-80 and the fixture pages stay under 15% link text; above
# 30% a "body" is mostly teasers, above half it is a link list.
_LINK_HEAVY = 0.3
_MAX_LINK_DENSITY = 0.5
# A thousand characters in paragraphs of 300 characters or more on average is prose (a
# listing's blurbs and labels are short), however few paragraphs it has.
_PROSE_BODY = 1000
_PROSE_PARAGRAPH = 300
# A list of story cards: six or more side by side, with as much text as half the body. On
# the tuning part of the page-type set, article pages show at most five such cards in one
# group (one shows eleven, but a third of its body long); listings six and more.
_STORY_CARDS = 6
_STORY_SHARE = 0.5


@dataclass(frozen=True)
class PageSignals:
    """What the classifier looks at, collected by the page analysis."""

    url: str
    og_type: str | None
    jsonld_types: frozenset[str]
    body_chars: int
    body_link_chars: int
    paragraphs: int
    headline_links: int  # links on the page whose text looks like a headline (>= 4 words)
    has_article_element_with_h1: bool
    # The largest group of story cards with blurbs outside the page's chrome (story_cards).
    story_cards: int = 0
    story_chars: int = 0
    # The page's main headline links to another page (a front page's lead story).
    linked_headline: bool = False
    # The article's JSON-LD node carries a publication date: an article record, not a
    # template's stock declaration.
    dated_record: bool = False


def classify(signals: PageSignals) -> tuple[bool, tuple[str, ...]]:
    """(is_article, reasons)."""
    score, reasons = 0.0, []
    if signals.og_type:
        reasons.append(f"og:type={signals.og_type}")
        if signals.og_type in ("article", "news", "blog", "blogposting"):
            score += 1.5
        elif signals.og_type in ("website", "profile"):
            score -= 1
    article_types = signals.jsonld_types & ARTICLE_TYPES
    if article_types:
        score += 2
        reasons.append("jsonld=" + ",".join(sorted(article_types)))
    elif signals.jsonld_types & LISTING_TYPES - {"website"}:
        score -= 2
        reasons.append("jsonld=" + ",".join(sorted(signals.jsonld_types & LISTING_TYPES)))
    url_score, url_reasons = url_shape(signals.url)
    score += url_score
    reasons += url_reasons

    chars = signals.body_chars
    reasons.append(f"body={chars} chars")
    density = signals.body_link_chars / chars if chars else 1.0
    # An article record (og:type=article and a dated JSON-LD article) that shows a brief
    # or a paywalled opening is still an article: its length is no evidence against it.
    record = signals.og_type == "article" and bool(article_types) and signals.dated_record
    if record:
        reasons.append("article record")
    if chars < _SHORT_BODY and not (record and chars >= MIN_BODY_CHARS):
        score -= 3
    elif chars >= _LONG_BODY:
        score += 2
    else:
        score += 0.5
    if chars and density > _LINK_HEAVY:
        # Link-heavy "bodies" are lists of teasers.
        score -= 3
        reasons.append(f"body link density={density:.2f}")
    if signals.paragraphs >= 4:
        score += 1
    elif (
        signals.paragraphs
        and chars >= _PROSE_BODY
        and chars / signals.paragraphs >= _PROSE_PARAGRAPH
    ):
        # A few long paragraphs of prose: a short article written in long paragraphs.
        score += 1
    # A listing is a page of headline links; an article page has some too (rails), but its
    # body text dwarfs them.
    if not record and signals.headline_links and signals.headline_links * 120 > max(chars, 1) * 1.5:
        score -= 2
        reasons.append(f"headline links={signals.headline_links}")
    if signals.has_article_element_with_h1:
        score += 0.5
    if signals.story_cards >= _STORY_CARDS and signals.story_chars >= _STORY_SHARE * chars:
        # The page presents many stories, each with its blurb: a listing, however long
        # its introduction, bio or lead story.
        score -= 4
        reasons.append(f"story cards={signals.story_cards}")
    if signals.linked_headline:
        # The body sits under a headline that links to another page: a lead story teased
        # on a front or section page.
        score -= 3
        reasons.append("headline links elsewhere")
    # A body that is mostly link text is a list of teasers whatever the other signals say.
    # A news brief is short; when the page declares itself an article in both Open Graph
    # and JSON-LD, the stored-article floor is the only length gate.
    declared = bool(article_types) and signals.og_type == "article"
    min_chars = MIN_BODY_CHARS if declared else _SHORT_BODY
    is_article = score >= 2 and chars >= min_chars and density <= _MAX_LINK_DENSITY
    reasons.insert(0, f"score={score:g}")
    return is_article, tuple(reasons)


def jsonld_types_of(nodes: list[dict]) -> frozenset[str]:
    """All @type values present in the page's JSON-LD."""
    types: set[str] = set()
    for node in nodes:
        types |= node_types(node)
    return frozenset(types)
