"""The body extraction pipeline: site overrides, one trafilatura pass on the page, then our
layers take away what they can prove is not the article, and clean the text.

trafilatura runs once, on the page as the site serves it (after a declared site's own
overrides): what it finds is the reference, and our result is never shorter without a
reason. DOM pruning then marks boilerplate and teaser blocks on the same tree, and a block
of trafilatura's body goes only when its text lies in a pruned block and nowhere else on
the page; pruning itself may not take a box that holds most of that body, or prose of it
with more body after it. The line-level cleanup comes last. A stale override that leaves
trafilatura nothing falls back to the untouched page, so that no layer can empty a page
that trafilatura alone would extract.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from lxml.html import Element, HtmlElement

from crawler.extraction.cleanup import clean_blocks
from crawler.extraction.links import normalise
from crawler.extraction.model import Overrides
from crawler.extraction.overrides import apply_drop_selectors, body_container
from crawler.extraction.pruning import prune
from crawler.extraction.trafilatura_adapter import Block, extract_blocks


def _document_of(container: HtmlElement) -> HtmlElement:
    """A minimal ``<html><body>`` document holding a copy of ``container``."""
    root = Element("html")
    body = Element("body")
    root.append(body)
    body.append(copy.deepcopy(container))
    return root


def _visible_text(tree: HtmlElement) -> str:
    """The page's text without scripts and styles (which can be megabytes of JSON)."""
    return " ".join(tree.xpath("//text()[not(parent::script or parent::style)]"))


def _outside_removed(
    blocks: list[Block], norms: list[str], tree: HtmlElement, removed: list[HtmlElement]
) -> list[Block]:
    """The blocks whose text is still on the pruned page, or was never in a removed block."""
    if not removed:
        return blocks
    removed_text = " | ".join(normalise(e.text_content()) for e in removed)
    candidates = [i for i, norm in enumerate(norms) if norm and norm in removed_text]
    if not candidates:
        return blocks
    kept_text = normalise(_visible_text(tree))
    dropped = {i for i in candidates if norms[i] not in kept_text}
    return [block for i, block in enumerate(blocks) if i not in dropped]


def extract_body(
    root: HtmlElement,
    url: str,
    overrides: Overrides | None,
    headlines: list[str],
    authors: list[str],
    link_texts: dict[str, int],
    reparse: Callable[[], HtmlElement | None] | None = None,
) -> list[Block]:
    """The article body of the page as cleaned blocks. Mutates ``root``; ``reparse`` gives
    a fresh tree of the page for when a site's overrides left trafilatura nothing."""
    dropped = apply_drop_selectors(root, overrides)
    container = body_container(root, overrides)
    tree = _document_of(container) if container is not None else root
    found = extract_blocks(tree, url)
    if not found and (dropped or container is not None) and reparse is not None:
        fresh = reparse()
        if fresh is not None:
            tree, found = fresh, extract_blocks(fresh, url)
    norms = [normalise(block.text) for block in found]
    removed = prune(tree, url, norms)
    blocks = _outside_removed(found, norms, tree, removed)
    return clean_blocks(blocks, headlines, authors, link_texts)


def blocks_to_text(blocks: list[Block]) -> str:
    """Paragraphs separated by one blank line."""
    return "\n\n".join(block.text for block in blocks)
