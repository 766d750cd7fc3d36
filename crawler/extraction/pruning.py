"""DOM pre-pruning: removing boilerplate and teaser structures before trafilatura sees the page.

trafilatura drops much boilerplate itself, but it keeps what sits inside the article
container and looks like prose: related-post lists, promo cards, newsletter boxes, share
bars, author bios, embedded posts and comment threads. Two generic rules find them:

- class/id tokens: the vocabulary that CMSs, themes and widget vendors use across sites for
  these blocks (related, recirc, newsletter, share, comments, promo, trending, outbrain...),
  matched on whole tokens of the class and id attributes, never on a site's own names;
- link-dense teaser containers: a block holding two or more headline-sized links to other
  pages, in which link text makes up a large share of all text (a teaser rail or a "more
  stories" grid, even without a telling class name).

A block is never removed if it holds the page's ``<h1>`` or a large share of the page's
paragraph text: some sites put "comments" or "share" on the article wrapper itself.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from urllib.parse import urldefrag, urljoin

from lxml.html import HtmlElement

from crawler.extraction.links import HEADLINE_WORDS

# Tokens (from splitting class and id on "-", "_", spaces and camelCase) that name a
# boilerplate block in the themes and widgets of WordPress, Drupal, Arc, Brightspot, the
# big publishers' own CMSs and the recirculation vendors.
BOILERPLATE_TOKENS = frozenset(
    {
        "related",
        "relatedposts",
        "recirc",
        "recirculation",
        "newsletter",
        "newsletters",
        "signup",
        "subscribe",
        "subscription",
        "share",
        "sharing",
        "sharebar",
        "sharetools",
        "social",
        "comments",
        "comment",
        "disqus",
        "promo",
        "promos",
        "trending",
        "popular",
        "outbrain",
        "taboola",
        "teaser",
        "teasers",
        "recommended",
        "recommendations",
        "sponsored",
        "advert",
        "advertisement",
        "ads",
        "breadcrumb",
        "breadcrumbs",
        "sidebar",
        "widget",
        "bio",
        "byline",
        "caption",
        "credit",
        "newsletterbox",
        "cta",
        "tweet",
        "instagram",
        "tiktok",
        "reprint",
        "republish",
        # Reader-revenue appeals ("support us", "become a member") inside or after the body.
        "contributions",
        "donate",
        "donation",
        "membership",
    }
)
# Two-token names whose single tokens are too common alone ("more", "read", "also").
BOILERPLATE_PAIRS = frozenset(
    {
        ("read", "more"),
        ("most", "read"),
        ("most", "popular"),
        ("more", "stories"),
        ("more", "news"),
        ("also", "read"),
        ("read", "next"),
        ("sr", "only"),
        ("visually", "hidden"),
        ("screen", "reader"),
        ("author", "info"),
        ("about", "author"),
        ("tag", "list"),
        ("post", "tags"),
        ("print", "only"),
        ("in", "article", "ad"),
    }
)
# Elements that never hold article prose.
_ALWAYS = {"aside", "nav", "form", "button", "figcaption", "iframe", "noscript", "dialog"}
_CONTAINERS = {"div", "section", "ul", "ol", "aside", "nav", "footer", "header", "article"}

# A named block with more than this share of the page's <p> text, or more than this many
# characters of it, is the article (or its wrapper, or a block left unclosed by broken
# markup that swallowed the article), whatever its class says. Promo cards, newsletter
# boxes, bios and rails measure well under 1,500 characters on the fixture and fundus pages.
_MAX_SHARE = 0.2
_MAX_BLOCK_CHARS = 3000
# Comment threads can approach the article's own length.
_MAX_THREAD_SHARE = 0.45
_THREAD_TOKENS = frozenset({"comments", "comment", "disqus"})
# Link-dense teaser container: >= 2 headline links and links >= 35% of its text. Article
# bodies measured on fundus-news-80 stay below 15% link text; teaser rails with blurbs
# measure 30-70%.
_TEASER_MIN_LINKS = 2
_TEASER_LINK_SHARE = 0.35
# How far up from a headline link the container search goes (card > list > rail).
_ANCESTOR_LEVELS = 6

_NAMED_XPATH = "//*[@class or @id] | " + " | ".join(f"//{tag}" for tag in sorted(_ALWAYS))
# A signup box is a heading, a sentence of pitch and a field: well under 400 characters on
# every newsletter form of the fixture pages and of fundus-news-80.
_SIGNUP_MAX_CHARS = 400
_SPLIT = re.compile(r"[^a-zA-Z0-9]+|(?<=[a-z])(?=[A-Z])")


def tokens_of(element: HtmlElement) -> list[str]:
    """Lower-cased tokens of an element's class and id."""
    return _tokens(f"{element.get('class') or ''} {element.get('id') or ''}")


@lru_cache(maxsize=8192)
def _tokens(raw: str) -> list[str]:
    return [t.lower() for t in _SPLIT.split(raw) if t]


_TOKENS = {t.lower() for t in BOILERPLATE_TOKENS}


@lru_cache(maxsize=8192)
def _is_boilerplate_name(raw: str) -> bool:
    """Whether a class + id string names a boilerplate block (cached: pages repeat them)."""
    tokens = _tokens(raw)
    if not _TOKENS.isdisjoint(tokens):
        return True
    pairs = {tuple(tokens[i : i + 2]) for i in range(len(tokens) - 1)}
    pairs |= {tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2)}
    return not BOILERPLATE_PAIRS.isdisjoint(pairs)


def _text_len(element: HtmlElement) -> int:
    return len(" ".join(element.text_content().split()))


class _Guard:
    """Protects the article: the <h1> and the bulk of the page's paragraph text."""

    def __init__(self, root: HtmlElement) -> None:
        self.headlines = {id(h) for h in root.iter("h1")}
        self.total = sum(_text_len(p) for p in root.iter("p")) or 1

    def allows(self, element: HtmlElement, thread: bool = False) -> bool:
        """Whether ``element`` may go; a comment ``thread`` may be longer than other blocks."""
        if any(id(h) in self.headlines for h in element.iter("h1")):
            return False
        paragraph_text = sum(_text_len(p) for p in element.iter("p"))
        if thread:
            return paragraph_text <= _MAX_THREAD_SHARE * self.total
        return paragraph_text <= min(_MAX_SHARE * self.total, _MAX_BLOCK_CHARS)


def _detach(element: HtmlElement) -> None:
    parent = element.getparent()
    if parent is not None:
        element.drop_tree()


def _attached(element: HtmlElement, root: HtmlElement) -> bool:
    top = element
    for ancestor in element.iterancestors():
        top = ancestor
    return top is root


def _prune_named(root: HtmlElement, guard: _Guard) -> int:
    removed = 0
    for element in root.xpath(_NAMED_XPATH):
        tag = element.tag
        if not isinstance(tag, str) or tag in ("html", "body"):
            continue
        raw = f"{element.get('class') or ''} {element.get('id') or ''}"
        if tag not in _ALWAYS and not _is_boilerplate_name(raw):
            continue
        if tag == "blockquote" or tag in _ALWAYS or tag in _CONTAINERS or tag in ("p", "span"):
            thread = bool(_THREAD_TOKENS.intersection(tokens_of(element)))
            if not _attached(element, root) or not guard.allows(element, thread):
                continue
            _detach(element)
            removed += 1
    return removed


_BLOCKS = {"p", "li", "h2", "h3", "h4", "h5", "h6", "div", "td", "dd", "dt", "article"}
# A headline link is most of its block's text; a link inside a sentence of prose is not
# (it is under half of its paragraph in running text).
_ALONE_SHARE = 0.6


def _stands_alone(anchor: HtmlElement, text: int) -> bool:
    for ancestor in anchor.iterancestors():
        if ancestor.tag in _BLOCKS:
            return text >= _ALONE_SHARE * _text_len(ancestor)
    return True


def _headline_links(root: HtmlElement, url: str) -> list[HtmlElement]:
    own = urldefrag(url)[0].rstrip("/")
    found = []
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        text = _text_len(anchor)
        if len(anchor.text_content().split()) < HEADLINE_WORDS or not _stands_alone(anchor, text):
            continue
        try:
            if urldefrag(urljoin(url, href))[0].rstrip("/") == own:
                continue
        except ValueError:
            continue
        found.append(anchor)
    return found


def _link_len(element: HtmlElement) -> int:
    return sum(_text_len(a) for a in element.iter("a"))


def _prune_teaser_containers(root: HtmlElement, url: str, guard: _Guard) -> int:
    counts: dict[int, int] = defaultdict(int)
    elements: dict[int, HtmlElement] = {}
    for anchor in _headline_links(root, url):
        for level, ancestor in enumerate(anchor.iterancestors()):
            if level >= _ANCESTOR_LEVELS or ancestor.tag in ("body", "html"):
                break
            counts[id(ancestor)] += 1
            elements[id(ancestor)] = ancestor
    removed = 0
    # Outermost first: iterate in document order, skipping what is already detached.
    order = {id(e): i for i, e in enumerate(root.iter())} if counts else {}
    for key in sorted(counts, key=lambda k: order.get(k, 0)):
        element = elements[key]
        if counts[key] < _TEASER_MIN_LINKS or element.tag not in _CONTAINERS:
            continue
        if not _attached(element, root):
            continue
        text = _text_len(element)
        if not text or _link_len(element) < _TEASER_LINK_SHARE * text:
            continue
        if not guard.allows(element):
            continue
        _detach(element)
        removed += 1
    return removed


def _prune_signup_boxes(root: HtmlElement, guard: _Guard) -> int:
    """Remove the box around each e-mail input: a newsletter or registration form, whatever
    its class names, is the smallest ancestor with a heading or a paragraph of its own."""
    removed = 0
    for field in root.xpath("//input[translate(@type, 'EMAIL', 'email')='email']"):
        box = None
        for level, ancestor in enumerate(field.iterancestors()):
            if level >= _ANCESTOR_LEVELS or ancestor.tag in ("body", "html"):
                break
            if _text_len(ancestor) > _SIGNUP_MAX_CHARS:
                break
            box = ancestor
        if box is not None and _attached(box, root) and guard.allows(box):
            _detach(box)
            removed += 1
    return removed


def prune(root: HtmlElement, url: str = "") -> int:
    """Remove boilerplate and teaser blocks from ``root`` in place; returns how many."""
    guard = _Guard(root)
    removed = _prune_named(root, guard) + _prune_signup_boxes(root, guard)
    return removed + _prune_teaser_containers(root, url, guard)
