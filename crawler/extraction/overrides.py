"""Applying a declared site's overrides to the page tree, before any generic layer runs.

A site declaration may name blocks to drop (``drop_selectors``) and the body container
(``body_selector``). They come first because they encode what a person checked on that
site; the generic layers then work on what is left. A selector that does not parse or
matches nothing is ignored: a stale override must not empty a site's articles.
"""

from __future__ import annotations

from functools import lru_cache

from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from crawler.extraction.model import Overrides


@lru_cache(maxsize=512)
def _compile(selector: str) -> CSSSelector | None:
    """A compiled selector (cached: a site's overrides apply to every page of the site)."""
    try:
        return CSSSelector(selector)
    except (SelectorError, SyntaxError, etree.XPathError):
        return None


def selector_problem(selector: str) -> str | None:
    """Why ``selector`` would be ignored here (it does not parse), or None: declarations are
    checked when loaded by the very compiler that applies them."""
    try:
        CSSSelector(selector)
    except (SelectorError, SyntaxError, etree.XPathError) as exc:
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return None


def select(root: HtmlElement, selector: str) -> list[HtmlElement]:
    """Elements matching a CSS selector; ``[]`` if the selector is invalid."""
    compiled = _compile(selector)
    if compiled is None:
        return []
    try:
        return list(compiled(root))
    except etree.XPathError:
        return []


def remove(element: HtmlElement) -> None:
    """Remove an element (``drop_tree`` keeps its tail text, which belongs to the parent)."""
    if element.getparent() is not None:
        element.drop_tree()


def apply_drop_selectors(root: HtmlElement, overrides: Overrides | None) -> int:
    """Remove every block matching the site's drop selectors; returns how many."""
    if not overrides:
        return 0
    dropped = 0
    for selector in overrides.drop_selectors:
        for element in select(root, selector):
            remove(element)
            dropped += 1
    return dropped


def body_container(root: HtmlElement, overrides: Overrides | None) -> HtmlElement | None:
    """The site's declared body container, if the selector matches one element with text."""
    if not overrides or not overrides.body_selector:
        return None
    for element in select(root, overrides.body_selector):
        if element.text_content().strip():
            return element
    return None
