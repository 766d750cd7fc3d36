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

from lxml import etree
from lxml.html import Element, HtmlElement

from crawler.extraction.cleanup import clean_blocks
from crawler.extraction.links import normalise
from crawler.extraction.locate import Locator, common_ancestor
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
    """The text of ``tree`` (scripts and styles are gone already, see parsing.drop_code)."""
    return etree.tostring(tree, method="text", encoding=str, with_tail=False)


# The standfirst looks at the first blocks too; they are found in the same pass (a lead and
# the two body blocks after it).
_LEADING = 3


def _region(locator: Locator, tree: HtmlElement, blocks: list[Block]) -> HtmlElement:
    """The part of the page that holds trafilatura's body: the element holding its first
    and its last block (every block between them in page order lies inside it), else the
    whole page. Boxes outside it cannot change the text kept, so pruning skips them."""
    if len(blocks) < 2:
        return tree
    located = locator.find([b.text for b in blocks[:_LEADING]] + [blocks[-1].text])
    first, last = located[0], located[-1]
    if first is None or last is None:
        return tree
    region = common_ancestor([first, last])
    return region if region is not None else tree


def _outside_removed(
    blocks: list[Block], norms: list[str], tree: HtmlElement, removed: list[HtmlElement]
) -> list[Block]:
    """The blocks whose text is still in the pruned region, or was never in a removed
    block."""
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
    locator: Locator | None = None,
) -> list[Block]:
    """The article body of the page as cleaned blocks. Mutates ``root``; ``reparse`` gives
    a fresh tree of the page for when a site's overrides left trafilatura nothing, and
    ``locator`` (of ``root``) is narrowed to the region of the body for the later layers."""
    dropped = apply_drop_selectors(root, overrides)
    container = body_container(root, overrides)
    tree = _document_of(container) if container is not None else root
    found = extract_blocks(tree, url)
    if not found and (dropped or container is not None) and reparse is not None:
        fresh = reparse()
        if fresh is not None:
            tree, found = fresh, extract_blocks(fresh, url)
    norms = [normalise(block.text) for block in found]
    if locator is None or locator.root is not tree:
        locator = Locator(tree)
    region = _region(locator, tree, found)
    locator.narrow(region)
    removed = prune(tree, url, norms, region)
    blocks = _outside_removed(found, norms, region, removed)
    return clean_blocks(blocks, headlines, authors, link_texts)


def blocks_to_text(blocks: list[Block]) -> str:
    """Paragraphs separated by one blank line."""
    return "\n\n".join(block.text for block in blocks)
