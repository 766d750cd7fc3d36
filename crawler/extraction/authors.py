"""The article's authors, as the page declares them: people, co-authors and organisations.

Sources, most trusted first: the article's JSON-LD ``author`` (or ``creator``), then the
author ``<meta>`` tags (Open Graph, Parse.ly, Sailthru, Dublin Core), then byline elements
(``rel=author``, ``itemprop=author``, classes naming a byline or an author). Declared
names are kept as declared, organisations included ("dpa", "Associated Press", the
newsroom's own name): only label words ("By", "Von", "Autor:"), dates, URLs and ids are
taken off, and a string holding several names ("A and B", "A, B") is split. When the only
declared author is the site itself, a person named in a byline element wins. Text read
from byline elements must look like a name (every word capitalised but for particles such
as "van" or "de"), which keeps navigation text ("Themen bearbeiten") out.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from crawler.extraction.jsonld import text_of
from crawler.extraction.line_patterns import DATE, TIME
from crawler.extraction.meta import MetaTags
from crawler.extraction.titles import decode, host_names
from crawler.urls import is_author_url

# Label words before a name, across the languages of fundus-publishers-150 and beyond:
# "By", "Von", "Par", "Por", "Di", "Av", "Af", "Door", "Door:", "Autor:", "Text:".
_LABEL = re.compile(
    r"^\s*(?:(?:written|posted|reported|words|photos?|text|texto|testo|tekst|autor(?:in|es|a)?"
    r"|author|auteur|redakteur(?:in)?|reporter|journalist)\s*:\s*"
    r"|(?:(?:written|posted|reported)\s+)?(?:by|von|vom|par|por|di|av|af|door|z)\b[:\s]+)",
    re.IGNORECASE,
)
_DATED = re.compile(rf"(?:(?:published|updated|posted)\s*:?\s*)?(?:{DATE}|{TIME})", re.IGNORECASE)
# Between names: commas, semicolons, pipes, "and" in the languages of news bylines.
_SPLIT = re.compile(
    r"\s*(?:,|;|\||\s&\s|\s(?:and|und|et|y|e|og|och|en|i|и|ve)\s)\s*", re.IGNORECASE
)
_NOT_A_NAME = re.compile(r"https?:|www\.|@|^\W*$|^[\d\W]+$")
# Declared names are as long as an agency's ("Deutsche Presse-Agentur") or a newsroom's
# ("Guardian staff reporter"); eight words or 80 characters is a sentence, not a name.
_MAX_WORDS = 8
_MAX_CHARS = 80
# Byline elements: rel=author links, itemprop=author, class names with "byline" or
# "author" (matched without their first letter, so that "Byline" and "byline" both count,
# without a translate() per element), and links to a writer's page (confirmed with
# crawler.urls.is_author_url; the XPath only narrows them down).
_HREF_WORDS = ("/aut", "/journalist", "/redak", "/reporter", "/writer", "/columnist",
               "/contributor", "/byline", "/profil", "/people", "/staff")  # fmt: skip
_BYLINE_XPATH = etree.XPath(
    "//*[@rel='author' or @itemprop='author' or contains(@class, 'yline')"
    " or contains(@class, 'uthor')] | //a["
    + " or ".join(f"contains(@href, '{word}')" for word in _HREF_WORDS)
    + "]"
)
# A byline element holds a name and a few words ("By", a role, a date); longer elements
# whose class mentions "author" are bio boxes or author lists. The first ones on the page
# are the article's; later ones belong to teasers.
_BYLINE_MAX_CHARS = 120
_BYLINE_CANDIDATES = 12
# A person's name in a byline: two to five words, each capitalised but for particles.
_PARTICLES = frozenset(
    {"van", "von", "de", "der", "den", "da", "di", "du", "del", "della", "la", "le", "bin",
     "al", "el", "ten", "ter", "zu", "dos", "das", "y"}
)  # fmt: skip
_NAME_WORDS = (2, 5)


def without_label(text: str) -> str:
    """A byline without its label word ("von Manuela Conrad" -> "Manuela Conrad")."""
    return _LABEL.sub("", text, count=1)


def _clean(value: str) -> list[str]:
    """The names in one declared string, label words, dates and URLs taken off."""
    text = _DATED.sub(" ", decode(value))
    text = _LABEL.sub("", text)
    names = []
    for part in _SPLIT.split(text):
        name = _LABEL.sub("", part).strip(" .,:;-·•|–—()")
        if not name or _NOT_A_NAME.search(name):
            continue
        if len(name) > _MAX_CHARS or len(name.split()) > _MAX_WORDS:
            continue
        names.append(name.title() if name.isupper() and len(name.split()) > 1 else name)
    return names


def _jsonld_names(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in values:
        if isinstance(item, dict):
            name = text_of(item.get("name"))
            if not name:
                given, family = text_of(item.get("givenName")), text_of(item.get("familyName"))
                name = " ".join(n for n in (given, family) if n) or None
            if name:
                names += _clean(name)
        elif isinstance(item, str):
            names += _clean(item)
    return names


def _dedupe(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        key = " ".join(name.casefold().split())
        if key not in seen:
            seen.add(key)
            out.append(name)
    return out


def _looks_like_person(name: str) -> bool:
    words = name.split()
    if not _NAME_WORDS[0] <= len(words) <= _NAME_WORDS[1]:
        return False
    return all(w[:1].isupper() or w.lower() in _PARTICLES for w in words) and not any(
        c.isdigit() for c in name
    )


def _byline_elements(root: HtmlElement) -> list[HtmlElement]:
    found = []
    for element in _BYLINE_XPATH(root):
        if element.tag in ("html", "body", "link", "meta", "script", "style"):
            continue
        marked = element.get("rel") == "author" or element.get("itemprop") == "author"
        unmarked_link = element.tag == "a" and not marked and not _marked_class(element)
        if unmarked_link and not is_author_url(element.get("href") or ""):
            continue
        found.append(element)
        if len(found) == _BYLINE_CANDIDATES:
            break
    return found


def _marked_class(element: HtmlElement) -> bool:
    cls = (element.get("class") or "").lower()
    return "byline" in cls or "author" in cls


def _byline_names(root: HtmlElement) -> list[str]:
    for element in _byline_elements(root):
        text = decode(element.text_content())
        if not text or len(text) > _BYLINE_MAX_CHARS:
            continue
        names = [n for n in _clean(text) if _looks_like_person(n)]
        if names:
            return _dedupe(names)
    return []


def _is_site(name: str, sites: set[str]) -> bool:
    key = re.sub(r"\W+", "", name.casefold())
    return any(key == re.sub(r"\W+", "", s.casefold()) for s in sites if s)


def authors_of(
    root: HtmlElement,
    meta: MetaTags,
    article: dict[str, Any] | None,
    site_names: list[str],
    url: str,
) -> list[str]:
    """The article's authors, in the page's order, without duplicates."""
    declared: list[str] = []
    if article:
        declared = _jsonld_names(article.get("author") or article.get("creator"))
    if not declared:
        for value in meta.all(
            "author",
            "article:author",
            "parsely-author",
            "sailthru.author",
            "dcterms.creator",
            "dc.creator",
        ):
            declared += _clean(value)
    declared = _dedupe(declared)
    sites = {*site_names, *host_names(url)}
    people = [name for name in declared if not _is_site(name, sites)]
    if people:
        # The site's own name next to people is the publisher's credit, not an author.
        return people
    # Nothing declared, or only the site itself: a person in a byline is the author.
    return _byline_names(root) or declared
