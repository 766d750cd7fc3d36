"""The standfirst: the summary the page shows between the headline and the body, apart from
the body. It belongs in ``description``, never in ``text``, which starts with the first
paragraph of the body.

"Shown apart" is read from the markup, never from class names: the leading blocks of the
extracted body are a standfirst when they sit in one container that is not the body's (in
the header with the headline, or in a box of their own before the body), after the
headline. A leading block that is the page's description (og:description or meta
description) written out is one too when it is merely set in another element than the
body paragraphs (an <h2>, a bold or classed paragraph). A description cut short ("...") or
running on into the next paragraph is an excerpt the CMS took from the body, and proves
nothing. When trafilatura left the standfirst out (it often does: it sits outside the body
container), ``description`` keeps the page's description, which is the standfirst's text
on the pages that show one.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml.html import HtmlElement

from crawler.extraction.links import normalise
from crawler.extraction.locate import Locator, elements_of
from crawler.extraction.trafilatura_adapter import Block

# A standfirst is a sentence or a few (or a few bullet points): one to three blocks, at
# least eight words (a shorter lead is a dateline or a label) and at most 1,000 characters
# (the longest summary of fundus-publishers-150's tuning part measures 870).
_MAX_BLOCKS = 3
_MIN_WORDS = 8
_MAX_CHARS = 1000
# The body after a standfirst: at least this many blocks, or the page is a brief whose one
# paragraph is the body.
_MIN_BODY_BLOCKS = 2
# Elements that group blocks: a block's container is its nearest ancestor among them.
_CONTAINERS = frozenset(
    {"div", "section", "article", "header", "main", "aside", "ul", "ol", "figure", "td", "body"}
)
_CUT_SHORT = ("...", "…", "[…]", "[...]")
# A summary in points: two to six sentences, little of it link text.
_POINTS_MIN = 2
_POINTS_MAX = 6
_POINTS_LINK_SHARE = 0.2
# A kicker is a topic or a place: a few words.
_KICKER_WORDS = 5
# Blocks after the standfirst that may be missing from the page's elements (datelines).
_UNFOUND = 2
# A lead set wholly in bold or italics above plain paragraphs is set apart by its type.
_EMPHASIS = frozenset({"strong", "b", "em", "i"})


@dataclass(frozen=True)
class Standfirst:
    """The standfirst found (None: none) and the body blocks without it."""

    text: str | None
    body: list[Block]


def _is_description(blocks: list[Block], lead: int, description: str | None) -> bool:
    """Whether ``blocks[lead]`` is the page's description written out, whole or as the
    start of a description that says more (and does not run on into the next block)."""
    if not description or description.rstrip().endswith(_CUT_SHORT):
        return False
    block, wanted = normalise(blocks[lead].text), normalise(description)
    if len(block.split()) < _MIN_WORDS or not wanted.startswith(block):
        return False
    rest = wanted[len(block) :].strip()
    if not rest:
        return True
    following = normalise(blocks[lead + 1].text) if lead + 1 < len(blocks) else ""
    return not (following and following.startswith(rest[:40]))


def _container(element: HtmlElement) -> HtmlElement | None:
    for ancestor in element.iterancestors():
        if ancestor.tag in _CONTAINERS:
            return ancestor
    return None


def _signature(element: HtmlElement) -> tuple[str, str]:
    return element.tag, " ".join(sorted((element.get("class") or "").split()))


def _apart(lead: HtmlElement, body: list[HtmlElement]) -> bool:
    """Whether the lead's container is not the body's: not the container of a body block,
    not one of its parts (a body cut into same-classed boxes by ads), and not inside one."""
    box = _container(lead)
    if box is None:
        return False
    for element in body:
        other = _container(element)
        if other is None or other is box or _signature(other) == _signature(box):
            return False
        if any(ancestor is box for ancestor in other.iterancestors()):
            return False
    return True


def _styled_apart(lead: HtmlElement, body: list[HtmlElement]) -> bool:
    """Whether the lead is set in another element than every body block after it."""
    return all(_signature(lead) != _signature(element) for element in body)


def _near_headline(lead: HtmlElement, strict: bool) -> bool:
    """Whether the lead is where a standfirst is shown: after the ``<h1>`` or in the page's
    header; unless ``strict``, also in the headline's own box, or anywhere on a page
    without an ``<h1>``."""
    if lead.xpath("preceding::h1 or ancestor::header"):
        return True
    if strict:
        return False
    box = _container(lead)
    return bool(lead.xpath("not(//h1)")) or (box is not None and bool(box.xpath(".//h1")))


def _shown_apart(located: list[HtmlElement | None], lead: int, styled: bool) -> bool:
    """Whether the first ``lead`` blocks are set apart from the body blocks after them: in
    one container that is not the body's (or, with ``styled``, in another kind of element),
    near the headline. Body blocks that cannot be found on the page are left out."""
    leads = located[:lead]
    # The body blocks found on the page: a dateline or place line between the standfirst
    # and the body ("20 Nisan 2026", "Ankara") is often not found as an element of its own.
    body = [e for e in located[lead:] if e is not None][:_MIN_BODY_BLOCKS]
    first = leads[0] if leads else None
    if first is None or not body or None in leads:
        return False
    # The containers are held while compared: lxml makes a new proxy object for an element
    # nobody holds, so the id() of a dropped proxy says nothing (and made this vary by run).
    boxes = [_container(e) for e in leads if e is not None]
    if any(box is not boxes[0] for box in boxes):
        return False
    if not (_apart(first, body) or (styled and _styled_apart(first, body))):
        return False
    # Without the description to confirm it, the lead must follow the headline itself.
    return _near_headline(first, strict=not styled)


def _wholly_emphasised(element: HtmlElement | None, text: str) -> bool:
    """Whether ``element`` is a bold or italic run holding the whole of ``text``."""
    if element is None or element.tag not in _EMPHASIS:
        return False
    return normalise(element.text_content()) == normalise(text)


def _emphasised_lead(blocks: list[Block], located: list[HtmlElement | None]) -> bool:
    """Whether the first block is set wholly in bold or italics, right after the headline,
    while the body paragraphs after it are set plain: a standfirst set apart by its type."""
    first = located[0] if located else None
    body = [(b, e) for b, e in zip(blocks[1:], located[1:], strict=False) if e is not None]
    body = body[:_MIN_BODY_BLOCKS]
    if first is None or len(body) < _MIN_BODY_BLOCKS:
        return False
    if not _wholly_emphasised(first, blocks[0].text) or not _near_headline(first, strict=True):
        return False
    return not any(_wholly_emphasised(e, b.text) for b, e in body)


def _description_shown_elsewhere(
    root: HtmlElement, description: str | None, blocks: list[Block]
) -> bool:
    """Whether the page shows its description as a text of its own, apart from the
    extracted blocks: then that is the standfirst (trafilatura left it out), and a lead set
    apart is the body's first paragraph in a box of its own (a paywall's or a layout's)."""
    if not description or description.rstrip().endswith(_CUT_SHORT):
        return False
    wanted = normalise(description)
    if any(wanted[:40] in normalise(b.text) for b in blocks):
        return False
    element = elements_of(root, [description])[0]
    if element is None:
        return False
    return wanted[:40] in normalise(element.text_content())


def _is_kicker(block: Block, element: HtmlElement | None) -> bool:
    """Whether a leading block is the kicker (the topic or place line over a headline:
    "Los Gallardos"): a few words without closing punctuation, in the headline's own box."""
    text = block.text.strip()
    if element is None or len(text.split()) > _KICKER_WORDS or text.endswith((".", "!", "?")):
        return False
    if element.tag == "h1" or any(a.tag == "h1" for a in element.iterancestors()):
        return False
    box = _container(element)
    return box is not None and box.tag != "body" and bool(box.xpath(".//h1"))


def split_standfirst(
    blocks: list[Block],
    root: HtmlElement | None,
    description: str | None,
    locator: Locator | None = None,
) -> Standfirst:
    """Take the kicker and the standfirst off the top of the body blocks (``root`` is the
    page, to see where the blocks sit, ``locator`` a ``Locator`` of it that may have found
    them already; ``description`` the page's own summary)."""
    if root is None or len(blocks) < 2:
        return Standfirst(None, blocks)
    if locator is None or locator.root is not root:
        locator = Locator(root)
    if _is_kicker(blocks[0], locator.find([blocks[0].text])[0]):
        blocks = blocks[1:]
    found = _split(blocks, root, description, locator)
    if found.text is None:
        points = _key_points(root, locator.find([found.body[0].text])[0], found.body)
        if points:
            return Standfirst(points, found.body)
    return found


def _key_points(root: HtmlElement, first: HtmlElement | None, blocks: list[Block]) -> str | None:
    """The summary in points that the page shows between the headline and the body ("Key
    Points", "Das Wichtigste in Kürze") when the extracted body left it out: a list after
    the <h1> and before the body's first block, of two to six items that are each a
    sentence (eight words or more) and not links."""
    if first is None:
        return None
    said = {normalise(b.text) for b in blocks}
    for points in first.xpath("preceding::ul[preceding::h1] | preceding::ol[preceding::h1]"):
        items = [normalise(li.text_content()) for li in points.iterchildren("li")]
        if not _POINTS_MIN <= len(items) <= _POINTS_MAX:
            continue
        if any(len(item.split()) < _MIN_WORDS for item in items):
            continue
        if 2 * sum(1 for item in items if item in said) >= len(items):
            continue  # the extracted body holds the list (a point it repeats is no sign)
        links = sum(len(normalise(a.text_content())) for a in points.iter("a"))
        if links > _POINTS_LINK_SHARE * sum(len(item) for item in items):
            continue
        text = "\n\n".join(" ".join(li.text_content().split()) for li in points.iterchildren("li"))
        return text if len(text) <= _MAX_CHARS else None
    return None


def _split(
    blocks: list[Block], root: HtmlElement, description: str | None, locator: Locator
) -> Standfirst:
    most = min(_MAX_BLOCKS, len(blocks) - _MIN_BODY_BLOCKS)
    if most < 1 or len(blocks[0].text) > _MAX_CHARS:
        return Standfirst(None, blocks)
    located = locator.find([b.text for b in blocks[: most + _MIN_BODY_BLOCKS + _UNFOUND]])
    lead = 0
    while lead < most and _is_description(blocks, lead, description):
        lead += 1
    if not (lead and _shown_apart(located, lead, styled=True)):
        lead = next((n for n in range(1, most + 1) if _shown_apart(located, n, False)), 0)
        if lead and _description_shown_elsewhere(root, description, blocks):
            lead = 0
        if not lead and _emphasised_lead(blocks, located):
            lead = 1
    text = "\n\n".join(b.text for b in blocks[:lead])
    if not lead or len(text) > _MAX_CHARS or len(text.split()) < _MIN_WORDS:
        return Standfirst(None, blocks)
    return Standfirst(text, blocks[lead:])
