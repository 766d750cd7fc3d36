"""Parsing page text into one lxml tree that every later step shares.

The tree is built once per page: metadata, classification, pruning and trafilatura all read
it (trafilatura copies it before its own destructive cleaning). Parsing is made safe for
hostile input here, so that no caller has to care: XML declarations that lxml refuses on
text, NUL and other control characters, and pages far larger than any article are handled,
and a failure gives ``None`` rather than an exception.
"""

from __future__ import annotations

import re

from lxml import etree, html

# DOWNLOAD_MAXSIZE in crawler/settings.py is 10 MiB; text beyond twice that in characters is
# not an article page and only costs time, so the rest is cut off before parsing.
MAX_CHARS = 20_000_000

# Control characters other than tab, newline and carriage return are invalid in HTML and
# make lxml drop the rest of a text node.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Looked for one by one first (a substring search each, in C): nearly no page has any, and
# the regex pass over a whole page costs a millisecond.
_CONTROL_CHARS = tuple(chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)))
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)

_PARSER = html.HTMLParser(
    remove_comments=True,
    remove_pis=True,
    # Pages nest deeper than libxml2's default limit of 256 often enough (ad markup); the
    # huge-tree flag lifts it, and the size cap above bounds what that can cost.
    huge_tree=True,
    default_doctype=False,
    # No table of ids: nothing looks elements up by id, and trafilatura's own parser skips
    # it too (parsing is a few percent faster without).
    collect_ids=False,
)


def parse_html(text: str) -> html.HtmlElement | None:
    """Parse page text to an ``<html>`` element, or ``None`` when nothing usable is there."""
    if not text or not text.strip():
        return None
    text = _XML_DECLARATION.sub("", text[:MAX_CHARS], count=1)
    if any(c in text for c in _CONTROL_CHARS):
        text = _CONTROL.sub("", text)
    try:
        root = html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError, etree.XMLSyntaxError):
        return None
    if root is None or not isinstance(root, html.HtmlElement):
        return None
    return root


# Scripts other than JSON-LD, and styles: read by no later pass (JSON-LD stays, for
# trafilatura's rescue of a body it finds nowhere else). trafilatura drops them anyway;
# taking them off first makes its copy of the tree and every later walk cheaper (8% of
# trafilatura's time on the tuning part of fundus-publishers-150, with identical output).
_CODE = etree.XPath("//script[not(contains(@type, 'ld+json'))] | //style")


def drop_code(root: html.HtmlElement) -> None:
    """Remove scripts (but JSON-LD) and styles from a parsed page, keeping their tails."""
    for element in _CODE(root):
        element.drop_tree()
