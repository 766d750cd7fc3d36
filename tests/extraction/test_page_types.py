"""The page-type gate: is_article precision and recall on the labelled page-type set
(tests/page_types), on the whole set and on its held-out part, against the floors in
tests/extraction_baseline.json. Without ../shared/datasets the set is the test sites' pages
alone; under CI=true a missing dataset fails, as in the extraction gate."""

from __future__ import annotations

import pytest

from tests.extraction.conftest import require_dataset
from tests.page_types import ARTICLE, LISTING, build_set, judge, score


@pytest.fixture(scope="module")
def verdicts():
    require_dataset("fundus-publishers-150")
    datasets = require_dataset("fundus-news-80").parent
    return judge(build_set(datasets))


def test_the_set_is_large_and_varied(verdicts):
    pages = [v.page for v in verdicts]
    assert len(pages) >= 300
    assert {p.label for p in pages} == {ARTICLE, LISTING}
    sources = {p.source for p in pages}
    assert {"demo", "hostile", "fundus-news-80", "fundus-publishers-150"} <= sources
    assert sum(1 for s in sources if s.startswith("composed:")) >= 8
    held = [p for p in pages if p.held_out]
    assert 0.25 * len(pages) < len(held) < 0.4 * len(pages)


@pytest.mark.parametrize("part", ["all", "held-out"])
def test_is_article_precision_and_recall(verdicts, baseline, part):
    floors = baseline["page_types"]
    chosen = score(verdicts, lambda v: part == "all" or v.page.held_out)
    errors = [(v.page.source, v.page.url, v.reasons) for v in chosen.errors]
    assert chosen.precision >= floors["precision"], errors
    assert chosen.recall >= floors["recall"], errors
