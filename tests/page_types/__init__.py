"""The labelled page-type set (article / listing) that ``is_article`` is measured on.

Four kinds of page, from varied templates: the test sites' own pages, labelled by each site
and fetched over loopback (``sites``: the demo site and the hostile site; the unseen site
plugs in with one line); the real article pages of ../shared/datasets (``datasets``); and
listing and bare article pages composed from those real articles when the set is built
(``compose``). A fixed third of the set (sha256 of source and id, as for the extraction
sets) is held out while rules are tuned; ``score`` reports precision and recall of the
article class on any part. benchmarks/page_types.py writes the figures to
benchmarks/page_types.md; tests/extraction/test_page_types.py gates them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from crawler.extraction import analyse_page
from tests.page_types.compose import composed_pages
from tests.page_types.datasets import dataset_pages
from tests.page_types.model import ARTICLE, LISTING, TypedPage
from tests.page_types.sites import SITE_SOURCES, site_pages

__all__ = ["ARTICLE", "LISTING", "Score", "TypedPage", "Verdict", "build_set", "judge", "score"]


def build_set(datasets: Path | None, sites: Iterable[str] = tuple(SITE_SOURCES)) -> list[TypedPage]:
    """The whole set: the named test sites' pages, then the real and composed pages (when
    the datasets folder is there)."""
    pages: list[TypedPage] = []
    for name in sites:
        with SITE_SOURCES[name]() as site:
            pages += site_pages(name, site)
    if datasets is not None:
        real, stories = dataset_pages(datasets)
        pages += real + composed_pages(stories)
    return pages


@dataclass(frozen=True)
class Verdict:
    """The classifier's answer on one labelled page."""

    page: TypedPage
    is_article: bool
    reasons: tuple[str, ...]

    @property
    def right(self) -> bool:
        return self.is_article == (self.page.label == ARTICLE)


def judge(pages: Iterable[TypedPage]) -> list[Verdict]:
    """``analyse_page`` on every page, as the crawler calls it."""
    verdicts = []
    for page in pages:
        analysis = analyse_page(page.html, page.url)
        verdicts.append(Verdict(page, analysis.is_article, analysis.reasons))
    return verdicts


@dataclass
class Score:
    """Precision and recall of the article class over a part of the set."""

    verdicts: list[Verdict] = field(default_factory=list)

    @property
    def true_positives(self) -> int:
        return sum(1 for v in self.verdicts if v.is_article and v.page.label == ARTICLE)

    @property
    def predicted(self) -> int:
        return sum(1 for v in self.verdicts if v.is_article)

    @property
    def articles(self) -> int:
        return sum(1 for v in self.verdicts if v.page.label == ARTICLE)

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.articles if self.articles else 1.0

    @property
    def errors(self) -> list[Verdict]:
        return [v for v in self.verdicts if not v.right]


def score(verdicts: Iterable[Verdict], keep: Callable[[Verdict], bool] = lambda v: True) -> Score:
    """The score of the verdicts ``keep`` accepts (a part of the split, a source)."""
    return Score([v for v in verdicts if keep(v)])
