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

from lxml import etree
from lxml.html import HtmlElement

from crawler.extraction.links import HEADLINE_WORDS, normalise

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
# A block holding more than half of the body trafilatura found is that body: teaser rails
# and boxes that trafilatura swallows are a minority of what it returns.
_MAX_BODY_SHARE = 0.5
# Prose of the body in a box, with more body after it, is the article's own text whatever
# the box is called: a paragraph's worth (300 characters; news paragraphs run 200-400) in
# paragraphs of 15 words or more (a sentence; teaser headlines and calls to action are
# shorter), at most a fifth of it link text (teaser blurbs sit in link-dense cards under
# their headline link), with two such paragraphs still to come (a closing bio or comment
# thread has none after it). Seen on the tuning part of fundus-publishers-150: article
# openings in layout boxes named "sidebar-grid" and "teaser-content".
_PROSE_WORDS = 15
_PROSE_CHARS = 300
_PROSE_LINK_SHARE = 0.2
_PROSE_AFTER = 2
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

# Relative to the region pruned (the part of the page that holds trafilatura's body).
_NAMED_XPATH = etree.XPath(
    "descendant-or-self::*[@class or @id] | "
    + " | ".join(f"descendant-or-self::{tag}" for tag in sorted(_ALWAYS))
)
_EMAIL_XPATH = etree.XPath(".//input[translate(@type, 'EMAIL', 'email')='email']")
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
    """Protects the article: the <h1>, the bulk of the page's paragraph text, and the body
    that trafilatura found on the intact page (``body``: its blocks, normalised, in order)."""

    def __init__(self, root: HtmlElement, body: list[str]) -> None:
        # The <h1> elements themselves are kept: an lxml proxy's id lasts only while it lives.
        self.h1s = list(root.iter("h1"))
        self.headlines = {id(h) for h in self.h1s}
        self.total = sum(_text_len(p) for p in root.iter("p")) or 1
        # Blocks of a few words ("Advertisement", "Share") are found inside any box.
        self.body = [b if len(b.split()) >= HEADLINE_WORDS else "" for b in body]
        self.body_chars = sum(len(b) for b in self.body)
        first = next((i for i, b in enumerate(self.body) if len(b.split()) >= _PROSE_WORDS), None)
        self.opening = [] if first is None else [first]

    def allows(self, element: HtmlElement, thread: bool = False) -> bool:
        """Whether ``element`` may go; a comment ``thread`` may be longer than other blocks."""
        if any(id(h) in self.headlines for h in element.iter("h1")):
            return False
        paragraph_text = sum(_text_len(p) for p in element.iter("p"))
        if thread:
            limit = _MAX_THREAD_SHARE * self.total
        else:
            limit = min(_MAX_SHARE * self.total, _MAX_BLOCK_CHARS)
        return paragraph_text <= limit and not self._holds_body(element)

    def _holds_body(self, element: HtmlElement) -> bool:
        """Whether ``element`` holds the body trafilatura found: most of it (then it is the
        article or its wrapper, a page-wide ASP.NET <form> or an article classed "share"),
        or prose with body text still to come after it (an opening or a middle part of the
        article in a box whose layout name happens to say "sidebar" or "teaser")."""
        if not self.body_chars:
            return False
        # Too short to hold half the body or a paragraph's worth of it (most boxes are),
        # or the opening sentence.
        length = _text_len(element)
        if length < min(_PROSE_CHARS, _MAX_BODY_SHARE * self.body_chars) and (
            not self.opening or length < len(self.body[self.opening[0]])
        ):
            return False
        text = normalise(element.text_content())
        held = [i for i, block in enumerate(self.body) if block and block in text]
        if not held:
            return False
        if sum(len(self.body[i]) for i in held) > _MAX_BODY_SHARE * self.body_chars:
            return True
        prose = [i for i in held if len(self.body[i].split()) >= _PROSE_WORDS]
        # The article's opening sentence (the body's first prose block) is body in any box:
        # a metered page sets it apart in a "teaser-content" preview.
        opening = prose[:1] == self.opening
        if not prose or (sum(len(self.body[i]) for i in prose) < _PROSE_CHARS and not opening):
            return False
        inside = set(held)
        after = [
            i
            for i in range(max(held) + 1, len(self.body))
            if i not in inside and len(self.body[i].split()) >= _PROSE_WORDS
        ]
        if len(after) < _PROSE_AFTER:
            return False
        return _link_len(element) < _PROSE_LINK_SHARE * max(len(text), 1)


def _detach(element: HtmlElement) -> None:
    parent = element.getparent()
    if parent is not None:
        element.drop_tree()


def _attached(element: HtmlElement, root: HtmlElement) -> bool:
    """Whether ``element`` is still in the document of ``root`` (not in a removed block)."""
    root = root.getroottree().getroot()
    top = element
    for ancestor in element.iterancestors():
        top = ancestor
    return top is root


def _prune_named(root: HtmlElement, guard: _Guard) -> list[HtmlElement]:
    removed: list[HtmlElement] = []
    for element in _NAMED_XPATH(root):
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
            removed.append(element)
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
    # The last path segment of the page's URL ("" for a site's root, where any href may
    # name the page).
    tail = own.rsplit("/", 1)[-1] if own.count("/") > 2 else ""
    found = []
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        words = anchor.text_content().split()
        if len(words) < HEADLINE_WORDS:
            continue
        if not _stands_alone(anchor, len(" ".join(words))):
            continue
        # Only an href that could name this page is resolved (a urljoin per link is slow).
        if tail in href or href.startswith(("?", ".")):
            try:
                if urldefrag(urljoin(url, href))[0].rstrip("/") == own:
                    continue
            except ValueError:
                continue
        found.append(anchor)
    return found


def _link_len(element: HtmlElement) -> int:
    return sum(_text_len(a) for a in element.iter("a"))


def _prune_teaser_containers(root: HtmlElement, url: str, guard: _Guard) -> list[HtmlElement]:
    counts: dict[int, int] = defaultdict(int)
    elements: dict[int, HtmlElement] = {}
    for anchor in _headline_links(root, url):
        for level, ancestor in enumerate(anchor.iterancestors()):
            if level >= _ANCESTOR_LEVELS or ancestor.tag in ("body", "html") or ancestor is root:
                break
            counts[id(ancestor)] += 1
            elements[id(ancestor)] = ancestor
    removed: list[HtmlElement] = []
    # Outermost first (fewest ancestors), skipping what is already detached.
    candidates = [k for k in counts if counts[k] >= _TEASER_MIN_LINKS]
    depth = {k: sum(1 for _ in elements[k].iterancestors()) for k in candidates}
    for key in sorted(candidates, key=depth.__getitem__):
        element = elements[key]
        if element.tag not in _CONTAINERS:
            continue
        if not _attached(element, root):
            continue
        text = _text_len(element)
        if not text or _link_len(element) < _TEASER_LINK_SHARE * text:
            continue
        if not guard.allows(element):
            continue
        _detach(element)
        removed.append(element)
    return removed


def _prune_signup_boxes(root: HtmlElement, guard: _Guard) -> list[HtmlElement]:
    """Remove the box around each e-mail input: a newsletter or registration form, whatever
    its class names, is the smallest ancestor with a heading or a paragraph of its own."""
    removed: list[HtmlElement] = []
    for field in _EMAIL_XPATH(root):
        box = None
        for level, ancestor in enumerate(field.iterancestors()):
            if level >= _ANCESTOR_LEVELS or ancestor.tag in ("body", "html") or ancestor is root:
                break
            if _text_len(ancestor) > _SIGNUP_MAX_CHARS:
                break
            box = ancestor
        if box is not None and _attached(box, root) and guard.allows(box):
            _detach(box)
            removed.append(box)
    return removed


def prune(
    root: HtmlElement,
    url: str = "",
    body: list[str] | None = None,
    region: HtmlElement | None = None,
) -> list[HtmlElement]:
    """Remove boilerplate and teaser blocks from ``root`` in place and return them; ``body``
    is the normalised text of trafilatura's body blocks, which no removal may take, and
    ``region`` the part of the page that holds it (only blocks there can change the text
    kept; the whole page when not given)."""
    guard = _Guard(root, body or [])
    root = region if region is not None else root
    removed = _prune_named(root, guard) + _prune_signup_boxes(root, guard)
    return removed + _prune_teaser_containers(root, url, guard)
