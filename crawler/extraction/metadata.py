"""Article metadata other than dates: headline, authors, description, lead image, tags and
language, each read from the most reliable source the page has.

Order of trust: the article's JSON-LD node (written by the CMS from the article record),
then Open Graph / Twitter / Parse.ly / Sailthru ``<meta>`` tags, then the page itself
(``<h1>``, ``<title>``, byline elements). Titles lose their " | Site Name" suffix; author
lists lose "By", roles, organisations and the site's own name, and are deduplicated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

from crawler.extraction.jsonld import node_types, text_of
from crawler.extraction.language import guess_language, normalise_code
from crawler.extraction.line_patterns import DATE, TIME
from crawler.extraction.meta import MetaTags
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
# Separators between a headline and the site name in <title> and og:title.
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ")
_BY = re.compile(r"^\s*(?:written\s+|posted\s+|reported\s+)?by[:\s]+", re.IGNORECASE)
# Dates and times inside a byline ("By Ana Ribeiro June 12, 2026, 10:30 AM").
_DATED = re.compile(rf"(?:(?:published|updated|posted)\s*:?\s*)?(?:{DATE}|{TIME})", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\bund\b|\bet\b|\by\b|\|)\s*", re.IGNORECASE)
_NOT_A_NAME = re.compile(
    r"(https?:|www\.|@|\d|\b(staff|team|desk|editor(s|ial)?|news|agency|agencies|press|"
    r"correspondent|reporter|contributor|writer|bureau|media|wire|service|updated|published|"
    r"minutes?|hours?|ago|read)\b)",
    re.IGNORECASE,
)
# Byline elements of common CMSs: rel=author links, itemprop=author, class tokens.
_LOWER = "translate(@class, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
_BYLINE_XPATH = (
    "//*[@rel='author' or @itemprop='author'"
    f" or contains({_LOWER}, 'byline') or contains({_LOWER}, 'author')]"
)
# A byline element holds a name and a few words ("By", a role, a date); longer elements
# whose class mentions "author" are bio boxes or author lists.
_BYLINE_MAX_CHARS = 120
_BYLINE_CANDIDATES = 12


def clean_text(value: str | None) -> str:
    """Collapse whitespace; ``None`` -> ``""``."""
    return _SPACE.sub(" ", value or "").strip()


def strip_site_suffix(title: str, site_names: list[str]) -> str:
    """Remove a " | Site Name" part (or "Site Name | " prefix) from a headline."""
    title = clean_text(title)
    names = {clean_text(n).lower() for n in site_names if n}
    for separator in _TITLE_SEPARATORS:
        if separator not in title:
            continue
        parts = title.split(separator)
        if parts[-1].strip().lower() in names or (
            # An unknown suffix is still a site name when it is short and the headline long.
            len(parts[-1].split()) <= 4
            and len(separator.join(parts[:-1]).split()) >= 4
            and not parts[-1].strip().endswith(("?", "!", "."))
        ):
            return separator.join(parts[:-1]).strip()
        if parts[0].strip().lower() in names:
            return separator.join(parts[1:]).strip()
    return title


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


def _headlines(
    root: HtmlElement, meta: MetaTags, article: dict[str, Any] | None, hint: str | None
) -> list[str]:
    """The page's headline candidates, most trusted first."""
    h1 = None
    for element in root.iter("h1"):
        text = clean_text(element.text_content())
        if len(text.split()) >= 2:
            h1 = text
            break
    candidates = [
        text_of(article.get("headline")) if article else None,
        meta.first("og:title", "twitter:title", "parsely-title", "sailthru.title"),
        h1,
        hint,
        clean_text(root.findtext(".//title")),
    ]
    return [clean_text(c) for c in candidates if c and clean_text(c)]


def _person_names(values: list[Any], site_names: list[str]) -> list[str]:
    names: list[str] = []
    seen = {n.lower() for n in site_names}
    for value in values:
        if isinstance(value, dict):
            if node_types(value) & {"organization", "newsmediaorganization"}:
                continue
            value = text_of(value.get("name"))
        if not isinstance(value, str):
            continue
        value = _DATED.sub(" ", value)
        for part in _AUTHOR_SPLIT.split(_BY.sub("", clean_text(value))):
            name = clean_text(_BY.sub("", part)).strip(" .,:;-·•|–—")
            if name.isupper():
                # Wire bylines shout ("By ANA RIBEIRO"); names are stored as written.
                name = name.title()
            if not name or _NOT_A_NAME.search(name):
                continue
            words = name.split()
            # Person names have two to five words; one word is a handle or an outlet.
            if not 2 <= len(words) <= 5 or name.lower() in seen:
                continue
            if not any(w[:1].isupper() for w in words):
                continue
            seen.add(name.lower())
            names.append(name)
    return names


def _authors(
    root: HtmlElement, meta: MetaTags, article: dict[str, Any] | None, sites: list[str]
) -> list[str]:
    if article:
        value = article.get("author") or article.get("creator")
        found = _person_names(value if isinstance(value, list) else [value], sites)
        if found:
            return found
    found = _person_names(
        [
            v
            for v in meta.all(
                "author",
                "article:author",
                "parsely-author",
                "sailthru.author",
                "dcterms.creator",
                "dc.creator",
            )
            if not v.startswith("http")
        ],
        sites,
    )
    if found:
        return found
    # The first byline in the page is the article's; later ones belong to teasers.
    for element in root.xpath(_BYLINE_XPATH)[:_BYLINE_CANDIDATES]:
        if element.tag in ("html", "body", "link", "meta", "script"):
            continue
        text = clean_text(element.text_content())
        if text and len(text) <= _BYLINE_MAX_CHARS:
            found = _person_names([text], sites)
            if found:
                return found
    return []


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
    headlines = _headlines(root, meta, article, title_hint)
    variants = [strip_site_suffix(h, sites) for h in headlines]
    description = meta.first("og:description", "description", "twitter:description")
    if not description and article:
        description = text_of(article.get("description"))
    return Metadata(
        title=variants[0] if variants else "",
        headlines=variants + headlines,
        authors=_authors(root, meta, article, sites),
        description=clean_text(description) or None,
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
