"""`newscrawl eval` on a tiny labelled folder built from fixture pages."""

from __future__ import annotations

import json
import shutil

import pytest

from crawler.extraction.evaluation import (
    evaluate_folder,
    format_report,
    report_to_json,
    teaser_leaks,
)
from tests.extraction.conftest import FIXTURES


@pytest.fixture
def labelled(tmp_path):
    for name in ("seed_flattened_p", "wordpress_local_council"):
        expected = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
        shutil.copy(FIXTURES / f"{name}.html", tmp_path / f"{name}.html")
        label = {"id": name, "url": expected["url"], "articleBody": expected["expected_text"]}
        (tmp_path / f"{name}.json").write_text(json.dumps(label), encoding="utf-8")
    return tmp_path


def test_report_compares_with_trafilatura(labelled):
    report = evaluate_folder(str(labelled))
    assert report.ours.score.f1 > 0.99
    assert report.ours.leak_pages == 0
    assert report.baseline is not None and report.baseline.leak_pages >= 1
    text = format_report(report)
    for word in (
        "precision",
        "recall",
        "F1",
        "teaser-leak pages",
        "median ms/page",
        "trafilatura.extract(",
    ):
        assert word in text
    data = report_to_json(report)
    assert data["ours"]["pages"] == 2 and "baseline" in data
    json.dumps(data)


def test_without_baseline_and_empty_folder(labelled, tmp_path_factory):
    assert evaluate_folder(str(labelled), baseline=None).baseline is None
    with pytest.raises(ValueError):
        evaluate_folder(str(tmp_path_factory.mktemp("empty")))


def test_teaser_leak_definition():
    links = {"mayor opens new harbour walk": 1, "home": 1}
    assert teaser_leaks("Body.\nMayor opens new harbour walk\nHome", links, "Body.") == (
        "Mayor opens new harbour walk",
    )
    assert (
        teaser_leaks("Mayor opens new harbour walk", links, "Mayor opens new harbour walk today")
        == ()
    )
