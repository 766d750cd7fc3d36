"""Publication and modification dates, cross-checked between every source the page offers.

Sources: JSON-LD ``datePublished``/``dateModified``, ``<meta>`` tags (Open Graph
``article:published_time``, Parse.ly, Sailthru, Dublin Core, ``pubdate``...), ``<time
datetime>`` elements, the date in the URL path and the date of the feed or sitemap entry the
request came with. A single source is often wrong (a template's build date, a teaser's
``<time>``, a "last updated" stamped as published), so candidates vote: a candidate more
than a day away from the URL date is rejected, the date most sources agree on wins, and the
most precise agreeing candidate (with time and offset) gives the value. A date without a
time is given as midnight ``+00:00``; a time without an offset is taken as UTC. A page that
declares only a modification date is taken as published then.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

from lxml.html import HtmlElement

from crawler.extraction.meta import MetaTags

# Meta keys for the publication date, most trusted first (each CMS family writes its own:
# Open Graph article:*, Parse.ly, Sailthru, Dublin Core, Google News, schema.org itemprop).
_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "article.published",
    "published_time",
    "publish-date",
    "publishdate",
    "pubdate",
    "dc.date.issued",
    "dcterms.created",
    "dc.date",
    "date",
    "og:published_time",
    "article:published",
)
_MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "article.updated",
    "dcterms.modified",
    "last-modified",
    "og:article:modified_time",
)

# How much each kind of source is trusted when candidates disagree. Structured data that
# the CMS writes from the article record (JSON-LD, article:published_time) ranks highest; a
# bare <time> may belong to a teaser and ranks lowest. Relative values only; tuned on the
# fixture pages and the fundus-news-80 set, not on any single page.
_WEIGHTS = {
    "jsonld": 1.0,
    "meta": 0.9,
    "time[published]": 0.8,
    "hint": 0.7,
    "url": 0.6,
    "meta-other": 0.5,
    "time": 0.3,
}

_EPOCH = re.compile(r"^\d{10}(\d{3})?$")
_COMPACT_OFFSET = re.compile(r"([+-]\d\d)(\d\d)$")
_DATE_ONLY = re.compile(r"^\d{4}-\d\d-\d\d$")


@dataclass(frozen=True)
class Candidate:
    """One date claim: where it came from, the value, and whether it carried a time."""

    source: str
    value: dt.datetime
    has_time: bool
    aware: bool

    @property
    def day(self) -> dt.date:
        return self.value.date()


def parse_date(raw: Any, source: str = "") -> Candidate | None:
    """Parse an ISO 8601, RFC 2822 or epoch date string; ``None`` if it is none of those."""
    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
        return None
    text = str(raw).strip()
    if not text or len(text) > 64:
        return None
    value: dt.datetime | None = None
    if _EPOCH.match(text):
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        try:
            value = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
        except (OverflowError, OSError, ValueError):
            return None
        return _candidate(source, value, True)
    if _DATE_ONLY.match(text):
        try:
            return _candidate(source, dt.datetime.fromisoformat(text), False)
        except ValueError:
            return None
    iso = text.replace("Z", "+00:00").replace("z", "+00:00").replace(" UTC", "+00:00")
    iso = _COMPACT_OFFSET.sub(r"\1:\2", iso)
    try:
        value = dt.datetime.fromisoformat(iso)
    except ValueError:
        value = None
    if value is None:
        try:
            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return _candidate(source, value, True)


def _candidate(source: str, value: dt.datetime, has_time: bool) -> Candidate | None:
    # Dates before the web or far in the future are template junk, not publication dates.
    if not 1990 <= value.year <= dt.datetime.now(dt.UTC).year + 1:
        return None
    return Candidate(source, value, has_time, value.tzinfo is not None)


def to_iso(candidate: Candidate) -> str:
    """ISO 8601 with an offset: midnight +00:00 for a bare date, UTC for a naive time."""
    value = candidate.value
    if not candidate.has_time:
        value = dt.datetime.combine(value.date(), dt.time(0, 0), tzinfo=dt.UTC)
    elif value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.replace(microsecond=0).isoformat()


def _time_elements(root: HtmlElement) -> tuple[list[str], list[str], list[str]]:
    published, modified, other = [], [], []
    for element in root.iter("time"):
        value = element.get("datetime")
        if not value:
            continue
        marks = " ".join(
            (
                element.get("itemprop") or "",
                element.get("class") or "",
                element.get("pubdate") or "",
            )
        ).lower()
        if element.get("pubdate") is not None or "publish" in marks or "datepublished" in marks:
            published.append(value)
        elif "modif" in marks or "updated" in marks:
            modified.append(value)
        else:
            other.append(value)
    return published, modified, other


def _from_jsonld(node: dict[str, Any] | None, key: str) -> list[Any]:
    if not node:
        return []
    value = node.get(key)
    return value if isinstance(value, list) else [value]


def find_dates(
    root: HtmlElement,
    meta: MetaTags,
    article: dict[str, Any] | None,
    url_day: dt.date | None,
    hint: str | None,
) -> tuple[str | None, str | None]:
    """The cross-checked (published, modified) of a page, ISO 8601 with offset or None."""
    time_published, time_modified, time_other = _time_elements(root)
    raw: list[tuple[str, Any]] = [("jsonld", v) for v in _from_jsonld(article, "datePublished")]
    raw += [("meta", v) for v in meta.all(*_PUBLISHED_META[:2])]
    raw += [("meta-other", v) for v in meta.all(*_PUBLISHED_META[2:])]
    raw += [("time[published]", v) for v in time_published]
    raw += [("time", v) for v in time_other[:1]]
    if hint:
        raw.append(("hint", hint))
    candidates = [c for c in (parse_date(v, s) for s, v in raw) if c]
    if url_day:
        candidates = [c for c in candidates if abs((c.day - url_day).days) <= 1]
        candidates.append(Candidate("url", dt.datetime.combine(url_day, dt.time()), False, False))
    published = _vote(candidates)

    raw_modified = [("jsonld", v) for v in _from_jsonld(article, "dateModified")]
    raw_modified += [("meta", v) for v in meta.all(*_MODIFIED_META)]
    raw_modified += [("time[published]", v) for v in time_modified]
    modified_candidates = [c for c in (parse_date(v, s) for s, v in raw_modified) if c]
    if published:
        modified_candidates = [
            c for c in modified_candidates if _utc(c) >= _utc(published) - dt.timedelta(days=1)
        ]
    modified = _vote(modified_candidates)
    if published is None:
        # A page that only says when it was last updated was published that day at the
        # latest; trafilatura's metadata (htmldate) makes the same choice.
        published = modified
    return (to_iso(published) if published else None, to_iso(modified) if modified else None)


def _utc(candidate: Candidate) -> dt.datetime:
    value = candidate.value
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _vote(candidates: list[Candidate]) -> Candidate | None:
    """The best candidate of the day most (weighted) sources agree on, within a day."""
    if not candidates:
        return None
    best_day, best_support = None, -1.0
    # Days in the order the page declares them: on a tie the first declared wins (the
    # article's own date comes before those of videos and teasers embedded below it).
    for day in dict.fromkeys(c.day for c in candidates):
        # Sources within a day agree: a UTC timestamp and a local date differ by one at most.
        support = sum(
            _WEIGHTS.get(c.source, 0.5) * (1.0 if c.day == day else 0.5)
            for c in candidates
            if abs((c.day - day).days) <= 1
        )
        if support > best_support:
            best_day, best_support = day, support
    agreeing = [c for c in candidates if c.day == best_day]
    return max(agreeing, key=lambda c: (c.has_time, c.aware, _WEIGHTS.get(c.source, 0.5)))
