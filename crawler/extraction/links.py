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
from typing import Protocol
from urllib.parse import urldefrag, urljoin

from lxml.html import HtmlElement

_NON_WORD = re.compile(r"[\W_]+")
# A link text of four or more words can be a headline; shorter ones are navigation labels.
HEADLINE_WORDS = 4


class HasText(Protocol):
    """Anything with a ``text`` (the extracted blocks)."""

    text: str


def normalise(text: str) -> str:
    """Lower-cased words joined by single spaces, punctuation removed."""
    return _NON_WORD.sub(" ", text.lower()).strip()


def _same_page(href: str, own: set[str]) -> bool:
    return urldefrag(href)[0].rstrip("/") in own


def link_texts(root: HtmlElement, url: str, canonical: str | None) -> dict[str, int]:
    """Normalised text of each link to another page -> how many such links carry it."""
    own = {u.rstrip("/") for u in (url, canonical) if u}
    texts: dict[str, int] = {}
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        try:
            target = urljoin(url, href)
        except ValueError:
            continue
        if _same_page(target, own):
            continue
        text = normalise(anchor.text_content())
        if text:
            texts[text] = texts.get(text, 0) + 1
    return texts


def headline_link_count(texts: dict[str, int]) -> int:
    """How many distinct link texts look like headlines (four words or more)."""
    return sum(1 for text in texts if len(text.split()) >= HEADLINE_WORDS)


def link_chars_in(blocks: Iterable[HasText], texts: dict[str, int]) -> int:
    """Characters of the blocks that are, as a whole, the text of a link to another page."""
    return sum(len(block.text) for block in blocks if normalise(block.text) in texts)
