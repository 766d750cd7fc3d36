"""The stored article: the one item newscrawl produces, and a documented contract.

``Article`` is a plain dataclass (no Scrapy import) so that extraction, a pure function,
can build it, while Scrapy's pipelines handle it through ``ItemAdapter``, which supports
dataclasses. Field formats are the contract of ../shared/DESIGN.md ("The stored article"):
exports, storage and the tests rely on them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# The shortest body a stored article may have, and the floor under which extraction never
# calls a page an article: below ~250 characters a "body" is a teaser, a photo caption or
# a paywall stub, while the shortest real article bodies in ../shared/datasets measure 303
# (fundus-publishers-150) and 417 characters (fundus-news-80). It is part of the article
# contract, so it lives here; NEWS_MIN_BODY_CHARS in crawler/settings.py defaults to it.
MIN_BODY_CHARS = 250

ARTICLE_FIELDS = (
    "url",
    "site",
    "title",
    "authors",
    "published",
    "modified",
    "language",
    "description",
    "image",
    "tags",
    "text",
    "duplicate_of",
    "fetched_at",
)


@dataclass
class Article:
    """One news article, as stored and exported.

    - ``url``: canonical URL (rel=canonical when it stays on the site, tracking parameters
      and fragments removed).
    - ``site``: name of the declared site, or the host for an undeclared one.
    - ``title``: the headline, without the site name suffix.
    - ``authors``: person names, without "By" and without the site name.
    - ``published`` / ``modified``: ISO 8601 with a UTC offset (``2026-11-02T09:30:00+00:00``),
      or None when unknown.
    - ``language``: ISO 639-1 code (``en``), or None.
    - ``description``: the standfirst the page shows apart from the body, else the meta
      description, or None.
    - ``image``: absolute URL of the lead image, or None.
    - ``tags``: keywords / topics, as published.
    - ``text``: the body from its first paragraph (paragraphs, sub-headings, list items,
      table rows and quotes of the article), separated by one blank line; never the
      headline, the standfirst, bylines, captions, other stories' teasers, comments or
      newsletter boxes.
    - ``duplicate_of``: None, or the URL of the earlier article of another site with the
      same body (set by storage; both sites keep their article).
    - ``fetched_at``: when the page was fetched, ISO 8601 in UTC.
    """

    url: str
    site: str = ""
    title: str = ""
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    modified: str | None = None
    language: str | None = None
    description: str | None = None
    image: str | None = None
    tags: list[str] = field(default_factory=list)
    text: str = ""
    duplicate_of: str | None = None
    fetched_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The article as a plain dict in contract field order."""
        data = asdict(self)
        return {name: data[name] for name in ARTICLE_FIELDS}
