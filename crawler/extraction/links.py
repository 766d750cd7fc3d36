"""The page's links as the teaser filters and the classifier need them: the text of every
link that points to another page, normalised for comparison.

A line of the extracted body that is, word for word, the text of a link to another URL is
almost always another story's headline (a teaser), a "read more" pointer or navigation.
Links to the page itself (its own URL or canonical, or a fragment) are excluded, because
sites link their own headline.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urldefrag, urljoin, urlsplit

from lxml.html import HtmlElement

_NON_WORD = re.compile(r"[\W_]+")
# Invisible characters that typesetting puts inside words (soft hyphens, zero-width spaces
# and joiners, word joiners, byte-order marks): "Helikopter\xadlandeplatz" is one word.
_INVISIBLE = dict.fromkeys(map(ord, "\xad\u200b\u200c\u200d\u2060\ufeff"))
# A link text of four or more words can be a headline; shorter ones are navigation labels.
HEADLINE_WORDS = 4


class HasText(Protocol):
    """Anything with a ``text`` (the extracted blocks)."""

    text: str


def normalise(text: str) -> str:
    """Lower-cased words joined by single spaces, punctuation and invisible characters
    removed."""
    return _NON_WORD.sub(" ", text.lower().translate(_INVISIBLE)).strip()


def own_forms(url: str, canonical: str | None) -> tuple[set[str], tuple[str, ...]]:
    """The page's own URLs (without fragment and trailing slash), and the last path segment
    of each: an href that contains none of those segments cannot point to the page."""
    own = {urldefrag(u)[0].rstrip("/") for u in (url, canonical) if u}
    tails = set()
    for u in own:
        path = urlsplit(u).path.rstrip("/")
        tails.add(path.rsplit("/", 1)[-1] or "/")
    return own, tuple(t for t in tails if t)


def points_here(href: str, url: str, own: set[str], tails: tuple[str, ...]) -> bool | None:
    """Whether ``href`` points to the page itself (None: not a resolvable link). Resolving
    costs a urljoin, so only hrefs that could name the page are resolved."""
    if not href.startswith(("?", ".", "/?")) and not any(t in href for t in tails):
        return False
    try:
        target = urljoin(url, href)
    except ValueError:
        return None
    return urldefrag(target)[0].rstrip("/") in own


@dataclass(frozen=True)
class Anchor:
    """A link of the page that goes somewhere (not a fragment, script or mail link)."""

    element: HtmlElement
    href: str
    text: str  # its text content, as in the page


def anchors_of(root: HtmlElement) -> list[Anchor]:
    """The page's links, read once for every layer that looks at them."""
    found = []
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if href and not href.startswith(("#", "javascript:", "mailto:")):
            found.append(Anchor(anchor, href, anchor.text_content()))
    return found


def link_texts(
    root: HtmlElement, url: str, canonical: str | None, anchors: list[Anchor] | None = None
) -> dict[str, int]:
    """Normalised text of each link to another page -> how many such links carry it
    (``anchors``: the page's ``anchors_of``, when already read)."""
    own, tails = own_forms(url, canonical)
    texts: dict[str, int] = {}
    for anchor in anchors if anchors is not None else anchors_of(root):
        if points_here(anchor.href, url, own, tails) is not False:
            continue
        text = normalise(anchor.text)
        if text:
            texts[text] = texts.get(text, 0) + 1
    return texts


def headline_link_count(texts: dict[str, int]) -> int:
    """How many distinct link texts look like headlines (four words or more)."""
    return sum(1 for text in texts if len(text.split()) >= HEADLINE_WORDS)


def link_chars_in(blocks: Iterable[HasText], texts: dict[str, int]) -> int:
    """Characters of the blocks that are, as a whole, the text of a link to another page."""
    return sum(len(block.text) for block in blocks if normalise(block.text) in texts)
