"""Reading a page's JSON-LD (schema.org) blocks into plain dicts.

News sites describe the article in ``<script type="application/ld+json">``: headline,
authors, dates, keywords and its ``@type``. The blocks come as objects, lists or ``@graph``
containers, often with raw newlines inside strings or a trailing semicolon; this module
flattens them into one list of nodes and picks the node that describes the article.
Malformed blocks are skipped, never raised.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from lxml.html import HtmlElement

# schema.org types of a single article (CreativeWork > Article and its news/blog subtypes).
ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "askpublicnewsarticle",
        "blogposting",
        "socialmediaposting",
        "liveblogposting",
        "report",
        "scholarlyarticle",
        "techarticle",
        "satiricalarticle",
        "advertisercontentarticle",
    }
)
# Types that describe a listing page.
LISTING_TYPES = frozenset(
    {"collectionpage", "itemlist", "searchresultspage", "profilepage", "website"}
)

_TRAILING = re.compile(r"[;\s]+$")
# A nesting bound: JSON-LD nodes are rarely more than five levels deep; a hostile page's
# deeply nested arrays must not make the walk below recurse without end.
_MAX_DEPTH = 12


def _walk(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, list):
        for item in value:
            yield from _walk(item, depth + 1)
    elif isinstance(value, dict):
        yield value
        graph = value.get("@graph")
        if graph is not None:
            yield from _walk(graph, depth + 1)
        main = value.get("mainEntity")
        if isinstance(main, dict | list):
            yield from _walk(main, depth + 1)


def jsonld_nodes(root: HtmlElement) -> list[dict[str, Any]]:
    """Every JSON-LD node of the page, with ``@graph`` containers flattened."""
    nodes: list[dict[str, Any]] = []
    for script in root.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = _TRAILING.sub("", (script.text or "").strip())
        if not raw:
            continue
        try:
            data = json.loads(raw, strict=False)
        except (ValueError, RecursionError):
            continue
        nodes.extend(_walk(data))
    return nodes


def node_types(node: dict[str, Any]) -> set[str]:
    """The lower-cased ``@type`` values of a node."""
    value = node.get("@type")
    values = value if isinstance(value, list) else [value]
    return {v.rsplit("/", 1)[-1].lower() for v in values if isinstance(v, str)}


def article_node(nodes: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The node describing the article itself, or ``None``; with several, the one that has a
    headline and a publication date wins."""
    best, best_score = None, -1
    for node in nodes:
        if not node_types(node) & ARTICLE_TYPES:
            continue
        score = bool(node.get("headline")) + bool(node.get("datePublished"))
        score += bool(node.get("articleBody"))
        if score > best_score:
            best, best_score = node, score
    return best


def text_of(value: Any) -> str | None:
    """A string value, or the ``name``/``@value``/``url`` of an object value."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        for key in ("name", "@value", "url", "@id"):
            inner = value.get(key)
            if isinstance(inner, str) and inner.strip():
                return inner.strip()
    if isinstance(value, list) and value:
        return text_of(value[0])
    return None
