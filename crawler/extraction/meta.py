"""The page's ``<meta>`` tags and ``<html lang>`` as one lookup table.

Open Graph, Twitter cards, Dublin Core, Parse.ly, Sailthru and plain ``name=`` tags all
carry metadata in ``<meta>``; collecting them once (keys lower-cased, every value kept in
page order) lets the metadata and date modules ask for "the first of these keys" without
walking the tree again.
"""

from __future__ import annotations

from collections import defaultdict

from lxml.html import HtmlElement

_KEY_ATTRIBUTES = ("property", "name", "itemprop", "http-equiv")


class MetaTags:
    """Values of the page's meta tags by lower-cased key, in page order."""

    def __init__(self, root: HtmlElement) -> None:
        values: dict[str, list[str]] = defaultdict(list)
        for meta in root.iter("meta"):
            content = meta.get("content")
            if content is None or not content.strip():
                continue
            for attribute in _KEY_ATTRIBUTES:
                key = meta.get(attribute)
                if key:
                    values[key.strip().lower()].append(content.strip())
        self._values = dict(values)

    def first(self, *keys: str) -> str | None:
        """The first value of the first key present."""
        for key in keys:
            found = self._values.get(key)
            if found:
                return found[0]
        return None

    def all(self, *keys: str) -> list[str]:
        """Every value of every key given, in key order then page order."""
        return [value for key in keys for value in self._values.get(key, [])]
