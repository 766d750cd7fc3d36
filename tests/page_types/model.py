"""One page of the labelled page-type set: where it comes from, its URL, its bytes and
whether it is an article or a listing (any page that is not one article)."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.extraction.labelled import held_out

ARTICLE, LISTING = "article", "listing"


@dataclass(frozen=True)
class TypedPage:
    """A page and its page type."""

    source: str  # "demo", "hostile", "fundus-news-80", "composed:section", ...
    page_id: str  # stable: decides the held-out split
    url: str
    html: bytes
    label: str  # ARTICLE or LISTING

    @property
    def held_out(self) -> bool:
        """In the held-out part (the same fixed split as the extraction sets)."""
        return held_out(f"{self.source}/{self.page_id}")
