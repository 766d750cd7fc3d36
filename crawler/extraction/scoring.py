"""Extraction quality scoring: the token 4-gram shingle metric of the public
article-extraction-benchmark, as described in ../shared/datasets/README.md.

Text is split into ``\\w+`` tokens (case kept), overlapping 4-token shingles are formed, and
their multiset overlap with the ground truth is counted. Per page, precision = common /
extracted and recall = common / truth; over a set, precision is averaged over pages where
the extractor returned something, recall over all pages, and F1 is taken from the two means.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")
SHINGLE_SIZE = 4


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """The multiset of ``size``-token shingles of ``text`` (a short text is one shingle)."""
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def f1_of(precision: float, recall: float) -> float:
    """The harmonic mean of precision and recall (0 when both are 0)."""
    total = precision + recall
    return 0.0 if total == 0 else 2 * precision * recall / total


@dataclass(frozen=True)
class Scores:
    """Precision and recall, and their F1."""

    precision: float
    recall: float

    @property
    def f1(self) -> float:
        return f1_of(self.precision, self.recall)


@dataclass(frozen=True)
class PageScore(Scores):
    """Precision and recall of one extracted text against its ground truth."""

    extracted_empty: bool


def score_page(extracted: str, truth: str) -> PageScore:
    """Score one page; an empty extraction has precision 0 and is flagged as empty."""
    got, want = shingles(extracted), shingles(truth)
    common = sum((got & want).values())
    n_got, n_want = sum(got.values()), sum(want.values())
    precision = common / n_got if n_got else 0.0
    recall = common / n_want if n_want else (1.0 if not n_got else 0.0)
    return PageScore(precision=precision, recall=recall, extracted_empty=n_got == 0)


@dataclass(frozen=True)
class SetScore(Scores):
    """Mean precision (over non-empty pages), mean recall (over all pages) and their F1."""

    pages: int
    empty_pages: int


def score_set(scores: Iterable[PageScore]) -> SetScore:
    """Aggregate page scores the way the benchmark does."""
    scores = list(scores)
    non_empty = [s for s in scores if not s.extracted_empty]
    precision = sum(s.precision for s in non_empty) / len(non_empty) if non_empty else 0.0
    recall = sum(s.recall for s in scores) / len(scores) if scores else 0.0
    return SetScore(
        precision=precision,
        recall=recall,
        pages=len(scores),
        empty_pages=len(scores) - len(non_empty),
    )
