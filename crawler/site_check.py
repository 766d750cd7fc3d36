"""What a sample of a site says about its declaration: one row per page, flags, an outcome.

``check_sample`` reads every HTML page of a sample (crawler/sampling.py) as a worker reads it
(``crawler.pages.read_site_page``, with the announced date and title as hints) and reports,
per page, whether it is an article and why, and for articles the title, authors, date,
words and the first and last sentence of the body. It flags what a person should look at
before trusting the declaration: empty or short bodies, tails that read like a teaser,
missing dates, override selectors that do not parse or match nothing, article patterns that
match no URL the site offered, entry points that failed. The outcome uses the run outcomes
of crawler/outcomes.py, and ``NO_ARTICLES`` when the pages fetched offered no article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from crawler.extraction import Hints
from crawler.items import MIN_BODY_CHARS
from crawler.outcomes import NO_ARTICLES, OK, Outcome, RunCounts, judge
from crawler.pages import SiteReading, read_site_page
from crawler.sampling import Sample, SampledPage
from crawler.sites import Site, SitePage, SiteRegistry

# A body this short is flagged for a look: it passed the article floor (MIN_BODY_CHARS, 250
# characters), but the shortest real bodies in ../shared/datasets measure 303 and 417
# characters, so under twice the floor a body is as likely a stub or a teaser as a story.
SHORT_BODY_CHARS = 2 * MIN_BODY_CHARS
# A body whose last paragraph ends like this was cut short (a teaser, a paywall) or
# carries a call to action that is not the article's (sources: the teaser and paywall
# endings of the fundus datasets' publishers).
_TEASER_TAIL = re.compile(
    r"(\.\.\.|…|\[…\]|\[\.\.\.\])\s*$|\b(read more|continue reading|read the full|subscribe"
    r"|sign up|log in to|become a member|full story)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
# How much of a sentence the table shows.
_SENTENCE_CHARS = 100
# Entry points a site must answer on (feeds and sitemaps are probed, as in a crawl).
_ENTRY_PAGES = ("home", "section")


@dataclass
class PageRow:
    """One fetched page of the check's table."""

    url: str
    kind: str
    status: int | None
    # "article", "not an article", "variant", "failed", "refused", or "feed" / "sitemap" / "robots"
    verdict: str
    # robots.txt or the declaration (an entry point), or the URL of the feed, sitemap or
    # page that offered it.
    found_on: str = ""
    why: str = ""
    title: str = ""
    authors: list[str] = field(default_factory=list)
    published: str | None = None
    words: int = 0
    first: str = ""
    last: str = ""
    flags: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return dict(vars(self))


@dataclass
class CheckReport:
    """The check of one site: its pages, what to look at, and how it ended."""

    site: str
    declared: bool
    home: str
    rows: list[PageRow]
    flags: list[str]
    articles: int
    outcome: Outcome = OK
    reason: str = ""
    # The readings of the pages read as articles and their bodies, by URL (for snapshots
    # and proposals).
    readings: dict[str, SiteReading] = field(default_factory=dict)
    bodies: dict[str, bytes] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "site": self.site,
            "declared": self.declared,
            "home": self.home,
            "outcome": self.outcome.name,
            "exit_code": self.outcome.code,
            "reason": self.reason,
            "articles": self.articles,
            "flags": self.flags,
            "pages": [row.to_json() for row in self.rows],
        }


def check_sample(site: Site, sample: Sample, registry: SiteRegistry) -> CheckReport:
    """Read a sample of ``site`` as a worker would and say what to look at."""
    rows, readings, bodies, flags = [], {}, {}, []
    counts = RunCounts(drained=True, declared=site.declared)
    article_pages: list[SitePage] = []
    for page in sample.pages:
        row, reading = _row(site, page, registry)
        rows.append(row)
        _count(counts, page, reading)
        if reading is not None and reading.article is not None:
            readings[page.final_url or page.url] = reading
            bodies[page.final_url or page.url] = page.body
        if reading is not None and (reading.article is not None or reading.refused_by_site):
            article_pages.append(SitePage(page.final_url or page.url, page.html()))
        if page.kind in _ENTRY_PAGES and row.verdict in ("failed", "refused"):
            flags.append(f"{page.kind} {page.url} failed: {row.why}")
    flags += selector_flags(site, article_pages)
    flags += pattern_flags(site, sample)
    counts.articles = len(readings)
    outcome, reason = judge(counts)
    if outcome is OK and not readings:
        outcome, reason = (
            NO_ARTICLES,
            f"none of the {len(sample.pages)} pages fetched is an article",
        )
    return CheckReport(
        site=site.name,
        declared=site.declared,
        home=site.home,
        rows=rows,
        flags=flags,
        articles=len(readings),
        outcome=outcome,
        reason=reason,
        readings=readings,
        bodies=bodies,
    )


def _count(counts: RunCounts, page: SampledPage, reading: SiteReading | None) -> None:
    """The counts a crawl is judged by, from one page of the sample."""
    failed = bool(page.error) or (page.status or 0) >= 400
    if page.status is not None:  # an answer, even an error page: the site was reached
        counts.pages += 1
    if page.kind in _ENTRY_PAGES:
        if failed:
            counts.entry_failed += 1
        else:
            counts.entry_fetched += 1
    elif page.kind == "article":
        if failed and page.status not in (404, 410):
            counts.article_failed += 1
        elif not failed:
            counts.article_pages += 1
    if reading is not None and reading.refused_by_site:
        counts.refused_by_site += 1


def _row(
    site: Site, page: SampledPage, registry: SiteRegistry
) -> tuple[PageRow, SiteReading | None]:
    row = PageRow(page.url, page.kind, page.status, found_on=page.found_on, verdict="failed")
    if page.error or (page.status or 0) >= 400:
        row.why = page.error or f"HTTP {page.status}"
        if page.status is None and page.error.startswith("IgnoreRequest"):
            row.verdict = "refused"  # robots.txt, the address policy: a decision, no failure
        return row, None
    if page.kind in ("robots", "feed", "sitemap") and not page.body:
        row.verdict = page.kind
        return row, None
    if not page.body:
        row.verdict, row.why = "not an article", "not an HTML page"
        return row, None
    try:
        reading = read_site_page(
            site,
            page.html(),
            page.final_url or page.url,
            registry=registry,
            hints=Hints(published=page.hints.get("published"), title=page.hints.get("title")),
        )
    except Exception as exc:  # a site hook that raised: this page only, as in a worker
        row.why = f"the site's hook failed: {type(exc).__name__}: {exc}"
        return row, None
    row.why = ", ".join(reading.reasons)
    if reading.variant_of:
        row.verdict, row.why = "variant", f"variant of {reading.variant_of}"
    elif reading.article is None:
        row.verdict = "not an article"
    else:
        row.verdict = "article"
        describe(row, reading)
    return row, reading


def describe(row: PageRow, reading: SiteReading) -> None:
    """Fill an article's row: what it says, and the flags a reader should look at."""
    article = reading.article
    assert article is not None
    row.title = article.title
    row.authors = list(article.authors)
    row.published = article.published
    row.words = len(article.text.split())
    paragraphs = [p for p in article.text.split("\n\n") if p.strip()]
    if paragraphs:
        row.first = _cut(_SENTENCE_END.split(paragraphs[0].strip())[0])
        row.last = _cut(_SENTENCE_END.split(paragraphs[-1].strip())[-1])
    if not article.text:
        row.flags.append("empty body")
    elif len(article.text) < SHORT_BODY_CHARS:
        row.flags.append(f"short body ({len(article.text)} characters)")
    if paragraphs and _TEASER_TAIL.search(paragraphs[-1]):
        row.flags.append("teaser-like tail")
    if not article.published:
        row.flags.append("no published date")
    if not article.title:
        row.flags.append("no title")


def _cut(text: str) -> str:
    return text if len(text) <= _SENTENCE_CHARS else text[: _SENTENCE_CHARS - 1] + "…"


def selector_flags(site: Site, article_pages: list[SitePage]) -> list[str]:
    """Override selectors that match nothing on the site's article pages (extraction ignores
    them silently, so that a stale override never empties a site). Selectors that do not
    parse never get here: the declaration is refused when loaded (crawler/site_validation.py)."""
    flags = []
    selectors = [("drop_selectors", s) for s in site.overrides.drop_selectors]
    if site.overrides.body_selector:
        selectors.append(("body_selector", site.overrides.body_selector))
    for name, selector in selectors:
        matched = sum(bool(page.css(selector)) for page in article_pages)
        # The body container should be on every article; a block to drop on some at least.
        missed = len(article_pages) - matched
        if missed and (name == "body_selector" or matched == 0):
            flags.append(f"{name} {selector!r} matches nothing on {missed} of "
                         f"{len(article_pages)} article pages")  # fmt: skip
    return flags


def pattern_flags(site: Site, sample: Sample) -> list[str]:
    """Article patterns that match no URL the site's feeds, sitemaps and pages offered."""
    urls = set(sample.discovered) | {page.url for page in sample.pages}
    flags = []
    for pattern in site.article_allow:
        if not any(re.search(pattern, url) for url in urls):
            flags.append(f"article_allow {pattern} matches none of the {len(urls)} URLs found")
    return flags
