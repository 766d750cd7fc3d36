"""``analyse_page``: one page in, a verdict and an ``Article`` out, the HTML parsed once.

This module wires the single-purpose modules together: decode, parse, read metadata and
dates from the intact tree, collect link texts, then let ``body`` prune and extract (which
mutates the tree), and finally classify the page from all of it. Any failure on hostile
input (garbage, deep nesting, huge pages) ends in an empty, non-article result rather than
an exception: the crawler must never lose a worker to one page.
"""

from __future__ import annotations

import logging

from crawler.extraction.body import blocks_to_text, extract_body
from crawler.extraction.canonical import page_url_of
from crawler.extraction.classify import PageSignals, classify, jsonld_types_of
from crawler.extraction.dates import find_dates
from crawler.extraction.decoding import decode_html
from crawler.extraction.jsonld import article_node, jsonld_nodes
from crawler.extraction.links import (
    anchors_of,
    headline_link_count,
    link_chars_in,
    link_texts,
)
from crawler.extraction.locate import Locator
from crawler.extraction.meta import MetaTags
from crawler.extraction.metadata import language_of, read_metadata
from crawler.extraction.model import Hints, Overrides, PageAnalysis
from crawler.extraction.parsing import drop_code, parse_html
from crawler.extraction.standfirst import split_standfirst
from crawler.extraction.story_cards import story_cards
from crawler.items import Article
from crawler.urls import url_date

LOGGER = logging.getLogger(__name__)


def _empty(url: str, reason: str) -> PageAnalysis:
    return PageAnalysis(
        is_article=False, reasons=(reason,), canonical_url=None, article=Article(url=url)
    )


def analyse_page(
    html: str | bytes,
    url: str,
    overrides: Overrides | None = None,
    hints: Hints | None = None,
) -> PageAnalysis:
    """Classify a page and extract its article; never raises on bad input."""
    try:
        return _analyse(html, url, overrides, hints or Hints())
    except Exception as error:  # the contract: no page may raise (RecursionError, MemoryError)
        LOGGER.debug("extraction failed on %s: %r", url, error)
        return _empty(url, f"error={type(error).__name__}")


def extract(html: str | bytes, url: str, **options: Overrides | Hints | None) -> Article:
    """The article of a page: ``analyse_page(html, url, overrides=..., hints=...).article``."""
    return analyse_page(html, url, **options).article  # type: ignore[arg-type]


def _analyse(
    html: str | bytes, url: str, overrides: Overrides | None, hints: Hints
) -> PageAnalysis:
    text = decode_html(html)
    root = parse_html(text)
    if root is None:
        return _empty(url, "empty page")
    meta = MetaTags(root)
    nodes = jsonld_nodes(root)
    node = article_node(nodes)
    metadata = read_metadata(root, url, meta, nodes, node, hints.title)
    canonical = page_url_of(root, url)
    url_day = url_date(url) or (url_date(canonical) if canonical else None)
    published, modified = find_dates(root, meta, node, url_day, hints.published)
    anchors = anchors_of(root)
    links = link_texts(root, url, canonical, anchors)
    has_article_h1 = bool(root.xpath("//article[.//h1]"))
    # Read on the intact page: pruning takes teaser lists away.
    cards = story_cards(root, url, anchors)
    drop_code(root)

    locator = Locator(root)
    found = extract_body(
        root,
        url,
        overrides,
        metadata.headlines,
        metadata.authors,
        links,
        reparse=lambda: parse_html(text),
        locator=locator,
    )
    split = split_standfirst(found, root, metadata.description, locator)
    blocks = split.body
    description = split.text or metadata.description
    body = blocks_to_text(blocks)
    language = language_of(root, meta, node, body)

    og_type = meta.first("og:type")
    signals = PageSignals(
        url=url,
        og_type=og_type.lower() if og_type else None,
        jsonld_types=jsonld_types_of(nodes),
        body_chars=len(body),
        body_link_chars=link_chars_in(blocks, links),
        paragraphs=len(blocks),
        headline_links=headline_link_count(links),
        has_article_element_with_h1=has_article_h1,
        story_cards=cards.cards,
        story_chars=cards.chars,
        linked_headline=cards.linked_headline,
        dated_record=bool(node and node.get("datePublished")),
    )
    is_article, reasons = classify(signals)
    article = Article(
        url=url,
        title=metadata.title,
        authors=metadata.authors,
        published=published,
        modified=modified,
        language=language,
        description=description,
        image=metadata.image,
        tags=metadata.tags,
        text=body,
    )
    return PageAnalysis(
        is_article=is_article, reasons=reasons, canonical_url=canonical, article=article
    )
