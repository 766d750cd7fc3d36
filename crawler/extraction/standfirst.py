"""The standfirst: the summary paragraph shown between the headline and the body.

Editors write it as part of the article (and the labelled data of fundus-news-80 counts it
as body), but it sits outside the body container, in the header next to the headline, so
trafilatura leaves it out. It is recognised without class names: an element placed after
the ``<h1>`` whose whole visible text is the page's description (og:description or meta
description), which is what the CMS writes into both. It is found on the intact tree,
before pruning, and only its text is kept.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from crawler.extraction.links import normalise

# A standfirst is a sentence; a shorter description is a label or a site slogan.
_MIN_WORDS = 8
# The description is searched for by its opening characters, which keeps the search in
# lxml's XPath engine instead of a Python walk over every element.
_PREFIX_CHARS = 30
_NOT_INSIDE = ("a", "li", "script", "style", "noscript", "head", "title", "figcaption")


def find_standfirst(root: HtmlElement, description: str | None) -> str | None:
    """The visible text of the page's standfirst, or ``None`` when the page shows none."""
    if not description or len(description.split()) < _MIN_WORDS:
        return None
    wanted = normalise(description)
    prefix = description.strip()[:_PREFIX_CHARS]
    try:
        nodes = root.xpath("//body//text()[contains(., $prefix)]", prefix=prefix)
    except ValueError:  # text that XPath cannot carry (control characters)
        return None
    for node in nodes[:5]:
        element = node.getparent()
        if element is None or element.tag in _NOT_INSIDE:
            continue
        if any(a.tag in _NOT_INSIDE for a in element.iterancestors()):
            continue
        text = " ".join(element.text_content().split())
        if normalise(text) != wanted:
            continue
        if not element.xpath("preceding::h1"):
            continue
        return text
    return None
