"""The one place that calls trafilatura: its main-content extraction, adapted to our tree and
to the blocks the cleanup layers work on.

trafilatura (2.3.1, pinned in pyproject.toml) finds the article body well, but it wants to
parse the page itself, returns either flat text (one newline between paragraphs, so that
headings, list items and paragraphs can no longer be told apart) or its own XML, and
extracts metadata with heuristics of its own. This adapter hands it the tree we already
parsed (it copies it before cleaning, so our tree stays intact), switches metadata and
comments off, and turns its XML body into ``Block``s: one per paragraph, heading, list item
or quote, each with its kind, which the teaser filters need. The
plain-trafilatura baselines of the evaluation (body text and metadata) also live here, so
that no other module imports the library.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

import trafilatura
from lxml import etree
from lxml.html import HtmlElement

# trafilatura logs every discarded page at WARNING; for a crawler that is noise.
logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)

_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")

# The exact call of the baseline, stated in evaluation reports.
BASELINE_CALL = "trafilatura.extract(html, url=url, include_comments=False)"


@dataclass(frozen=True)
class Block:
    """One unit of extracted body: a paragraph, heading, list item or quote."""

    kind: str  # "p", "head", "item", "quote", "row"
    text: str


def _raw_text(element: Any) -> str:
    """Text of ``element`` with its ``<lb/>`` line breaks kept as newlines."""
    parts = [element.text or ""]
    for child in element:
        parts.append("\n" if child.tag == "lb" else _raw_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _lines(element: Any) -> list[str]:
    """The non-empty lines of an element, whitespace collapsed."""
    return [
        t for t in (_SPACE.sub(" ", line).strip() for line in _raw_text(element).split("\n")) if t
    ]


def _loose_lines(text: str | None) -> list[Block]:
    """Text that trafilatura left between its elements: prose written straight into a
    container (a heading followed by bare text, no <p>), which is body like any paragraph."""
    return [
        Block("p", t)
        for t in (_SPACE.sub(" ", line).strip() for line in (text or "").split("\n"))
        if t
    ]


def _blocks_of(body: Any) -> list[Block]:
    blocks: list[Block] = _loose_lines(body.text)
    for child in body:
        tag = child.tag
        if tag == "list":
            blocks += [Block("item", line) for item in child.iter("item") for line in _lines(item)]
        elif tag == "table":
            blocks += [_row(row) for row in child.iter("row") if _row(row).text]
        elif tag not in ("graphic", "lb"):
            kind = tag if tag in ("head", "quote") else "p"
            blocks += [Block(kind, line) for line in _lines(child)]
        blocks += _loose_lines(child.tail)
    return blocks


def _row(row: Any) -> Block:
    """A table row as one line, its cells separated by " | " (as trafilatura writes them)."""
    cells = [" ".join(_lines(cell)) for cell in row.iter("cell")]
    return Block("row", " | ".join(c for c in cells if c))


# Deeper than this and the fallback extractors are skipped (see extract_blocks).
MAX_FALLBACK_DEPTH = 200


# An element nested deeper than MAX_FALLBACK_DEPTH below <html>: one XPath step per level,
# evaluated inside libxml2 (a Python walk over the tree cost a millisecond per page).
_TOO_DEEP = etree.XPath("boolean(/" + "/".join(["*"] * (MAX_FALLBACK_DEPTH + 2)) + ")")


def _depth_over(tree: HtmlElement) -> bool:
    """Whether any element of ``tree`` is nested more than MAX_FALLBACK_DEPTH levels deep."""
    return bool(_TOO_DEEP(tree))


def extract_blocks(
    tree: HtmlElement,
    url: str | None,
    *,
    favor_precision: bool = False,
    favor_recall: bool = False,
) -> list[Block]:
    """The main content of ``tree`` as blocks; ``[]`` when trafilatura finds none."""
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        # trafilatura's fallbacks (jusText, readability) build a path string per element,
        # quadratic in the nesting depth: 5,000 nested divs took 1.9 s. Real pages nest far
        # less (at most 26 levels on fundus-news-80), so a much deeper tree is hostile and
        # gets the main extractor only.
        no_fallback=_depth_over(tree),
        with_metadata=False,
        include_comments=False,
        # Tables that are part of an article (results, deals, figures) are body, as in
        # plain trafilatura's default.
        include_tables=True,
        # Links on would tell link text apart, but trafilatura then keeps more link-dense
        # blocks (F1 -0.002 on fundus-news-80); the page's own anchors serve instead.
        include_links=False,
        favor_precision=favor_precision,
        favor_recall=favor_recall,
        deduplicate=False,
    )
    if document is None or document.body is None:
        return []
    return _blocks_of(document.body)


def baseline_text(html: str | bytes, url: str | None) -> str:
    """Plain trafilatura, as a user would call it: the evaluation's point of comparison."""
    return trafilatura.extract(html, url=url, include_comments=False) or ""


# The exact call of the metadata baseline, stated in evaluation reports.
BASELINE_METADATA_CALL = "trafilatura.extract_metadata(html, default_url=url)"


@dataclass(frozen=True)
class BaselineMetadata:
    """trafilatura's own title, authors and publication date of a page."""

    title: str | None
    authors: tuple[str, ...]
    published: str | None


def baseline_metadata(html: str | bytes, url: str | None) -> BaselineMetadata:
    """trafilatura's metadata, the evaluation's point of comparison for ours (its author
    field joins several names with "; ")."""
    document = trafilatura.extract_metadata(html, default_url=url)
    if document is None:
        return BaselineMetadata(None, (), None)
    authors = tuple(a.strip() for a in (document.author or "").split(";") if a.strip())
    return BaselineMetadata(document.title, authors, document.date)
