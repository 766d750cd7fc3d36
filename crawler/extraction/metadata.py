"""Article metadata other than dates: headline, authors, description, lead image, tags and
language. The headline's rules live in ``titles`` and the authors' in ``authors``; the rest
is read here from the most reliable source the page has: the article's JSON-LD node
(written by the CMS from the article record), then Open Graph / Twitter / Parse.ly /
Sailthru ``<meta>`` tags.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

from crawler.extraction.authors import authors_of
from crawler.extraction.jsonld import node_types, text_of
from crawler.extraction.language import guess_language, normalise_code
from crawler.extraction.meta import MetaTags
from crawler.extraction.titles import decode, pick_title
from crawler.urls import absolute_url


@dataclass
class Metadata:
    """Everything about the article except its dates and body."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    description: str | None = None
    image: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    site_name: str | None = None
    # Every form of the headline the page shows (JSON-LD, og:title, <h1>, <title>), for
    # recognising the headline when the body repeats it.
    headlines: list[str] = field(default_factory=list)


_SPACE = re.compile(r"\s+")


def clean_text(value: str | None) -> str:
    """Collapse whitespace; ``None`` -> ``""``."""
    return _SPACE.sub(" ", value or "").strip()


def _site_names(meta: MetaTags, nodes: list[dict[str, Any]]) -> list[str]:
    names = meta.all("og:site_name", "application-name", "twitter:site", "publisher")
    for node in nodes:
        types = node_types(node)
        if types & {"organization", "newsmediaorganization", "website"}:
            name = text_of(node.get("name"))
            if name:
                names.append(name)
        publisher = node.get("publisher")
        if publisher is not None:
            name = text_of(publisher)
            if name:
                names.append(name)
    return [n.lstrip("@") for n in names]


def _first_h1(root: HtmlElement) -> str | None:
    for element in root.iter("h1"):
        text = clean_text(element.text_content())
        if len(text.split()) >= 2:
            return text
    return None


def _headline_candidates(
    root: HtmlElement, meta: MetaTags, article: dict[str, Any] | None, hint: str | None
) -> list[str | None]:
    """The page's headline candidates, most trusted first (see ``titles``)."""
    h1 = _first_h1(root)
    return [
        meta.first("og:title"),
        text_of(article.get("headline")) if article else None,
        meta.first("twitter:title", "parsely-title", "sailthru.title"),
        h1,
        hint,
        root.findtext(".//title"),
    ]


def _image(meta: MetaTags, article: dict[str, Any] | None, url: str) -> str | None:
    candidates = [meta.first("og:image", "og:image:url", "og:image:secure_url", "twitter:image")]
    if article:
        candidates.append(text_of(article.get("image")) or text_of(article.get("thumbnailUrl")))
    for candidate in candidates:
        resolved = absolute_url(candidate or "", url)
        if resolved:
            return resolved
    return None


def _tags(meta: MetaTags, article: dict[str, Any] | None) -> list[str]:
    values: list[str] = []
    if article:
        keywords = article.get("keywords")
        if isinstance(keywords, str):
            values += keywords.split(",")
        elif isinstance(keywords, list):
            values += [k for k in keywords if isinstance(k, str)]
    values += meta.all("article:tag")
    for joined in meta.all("news_keywords", "parsely-tags", "sailthru.tags"):
        values += joined.split(",")
    tags, seen = [], set()
    for value in values:
        tag = clean_text(value)
        if tag and tag.lower() not in seen and len(tag) <= 100:
            seen.add(tag.lower())
            tags.append(tag)
    return tags


def read_metadata(
    root: HtmlElement,
    url: str,
    meta: MetaTags,
    nodes: list[dict[str, Any]],
    article: dict[str, Any] | None,
    title_hint: str | None = None,
) -> Metadata:
    """Headline, authors, description, image and tags of the page (language comes later,
    when the body is known, see ``language_of``)."""
    sites = _site_names(meta, nodes)
    candidates = _headline_candidates(root, meta, article, title_hint)
    variants = pick_title(candidates, sites, url, shown=candidates[3])
    description = meta.first("og:description", "description", "twitter:description")
    if not description and article:
        description = text_of(article.get("description"))
    return Metadata(
        title=variants[0] if variants else "",
        headlines=variants + [decode(c) for c in candidates if c],
        authors=authors_of(root, meta, article, sites, url),
        description=decode(description) or None,
        image=_image(meta, article, url),
        tags=_tags(meta, article),
        site_name=sites[0] if sites else None,
    )


def language_of(
    root: HtmlElement, meta: MetaTags, article: dict[str, Any] | None, body: str
) -> str | None:
    """The declared language of the page, else a guess from the body text."""
    declared = [root.get("lang"), root.get("xml:lang")]
    declared += [meta.first("og:locale", "content-language", "language", "dc.language")]
    if article:
        declared.append(text_of(article.get("inLanguage")))
    for value in declared:
        code = normalise_code(value)
        if code:
            return code
    return guess_language(body)
