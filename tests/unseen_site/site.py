"""The whole unseen site: the four publishers bound to their base URLs, and its ground truth.

`UnseenContent(base_urls)` builds the four publishers (`PUBLISHERS`, in this order: courier,
harbour, almanac, meridian) on the given base URLs, answers a request for any of them, and
merges their manifests and page-type sets. Pure: a running server adds only the page-view
counter and the request log (`server.py`).
"""

from __future__ import annotations

from collections.abc import Sequence

from .almanac import Almanac
from .base import Publisher
from .courier import Courier
from .harbour import Harbour
from .meridian import Meridian

PUBLISHERS: tuple[type[Publisher], ...] = (Courier, Harbour, Almanac, Meridian)
KEYS = ("courier", "harbour", "almanac", "meridian")


class UnseenContent:
    """The four publishers of the unseen site on their base URLs."""

    def __init__(self, base_urls: Sequence[str]) -> None:
        if len(base_urls) != len(PUBLISHERS):
            raise ValueError(f"need {len(PUBLISHERS)} base URLs, got {len(base_urls)}")
        self.publishers = {
            cls.spec.key: cls(url) for cls, url in zip(PUBLISHERS, base_urls, strict=True)
        }

    def __getitem__(self, key: str) -> Publisher:
        return self.publishers[key]

    def manifest(self) -> dict:
        """Ground truth of the whole site: each publisher's manifest, plus every article and
        every trap with the publisher's base URL."""
        publishers = [p.manifest() for p in self.publishers.values()]
        return {
            "publishers": publishers,
            "articles": [a for m in publishers for a in m["articles"]],
            "traps": [
                {**trap, "publisher": m["key"], "base_url": m["base_url"]}
                for m in publishers
                for trap in m["traps"]
            ],
        }

    def page_types(self) -> list[tuple[str, str]]:
        """(url, "article" | "listing") over all four publishers."""
        return [pair for p in self.publishers.values() for pair in p.page_types()]
