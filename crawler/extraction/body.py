"""The body extraction pipeline: site overrides, DOM pre-pruning, trafilatura, text cleanup.

Each stage is its own module; this one only runs them in order on the tree parsed once by
``page.analyse_page``, and falls back to trafilatura on the untouched page when pruning
leaves nothing, so that no layer can empty a page that trafilatura alone would extract.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from lxml.html import Element, HtmlElement

from crawler.extraction.cleanup import clean_blocks
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


def extract_body(
    root: HtmlElement,
    url: str,
    overrides: Overrides | None,
    headlines: list[str],
    authors: list[str],
    link_texts: dict[str, int],
    standfirst: str | None = None,
    reparse: Callable[[], HtmlElement | None] | None = None,
) -> list[Block]:
    """The article body of the page as cleaned blocks, led by the ``standfirst`` when the
    page shows one that the body does not already hold. Mutates ``root``; ``reparse`` gives
    a fresh tree of the page for the fallback when pruning left trafilatura nothing."""
    apply_drop_selectors(root, overrides)
    container = body_container(root, overrides)
    tree = _document_of(container) if container is not None else root
    prune(tree, url)
    found = extract_blocks(tree, url)
    if not found and reparse is not None:
        # Pruning (or a stale body selector) must never empty a page that trafilatura
        # alone would extract: retry on the untouched page.
        fresh = reparse()
        found = extract_blocks(fresh, url) if fresh is not None else []
    blocks = clean_blocks(found, headlines, authors, link_texts)
    if blocks and standfirst and not any(standfirst in block.text for block in blocks[:3]):
        blocks.insert(0, Block("p", standfirst))
    return blocks


def blocks_to_text(blocks: list[Block]) -> str:
    """Paragraphs separated by one blank line."""
    return "\n\n".join(block.text for block in blocks)
