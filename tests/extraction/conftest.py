"""Shared helpers of the extraction tests: the fixture pages and the labelled dataset."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
BASELINE = Path(__file__).resolve().parents[1] / "extraction_baseline.json"
DATASET_ROOTS = (os.environ.get("NEWSCRAWL_DATASETS"), "/work/shared/datasets")


@dataclass(frozen=True)
class FixturePage:
    """A fixture page and its reviewed expectations."""

    name: str
    html: bytes
    expected: dict[str, Any]


def fixture_pages() -> list[FixturePage]:
    """Every fixture page, sorted by name."""
    pages = []
    for json_path in sorted(FIXTURES.glob("*.json")):
        expected = json.loads(json_path.read_text(encoding="utf-8"))
        html = json_path.with_suffix(".html").read_bytes()
        pages.append(FixturePage(json_path.stem, html, expected))
    return pages


def dataset_dir(name: str) -> Path | None:
    """The labelled dataset folder ``name``, from NEWSCRAWL_DATASETS or /work/shared/datasets."""
    for root in DATASET_ROOTS:
        if root and (Path(root) / name).is_dir():
            return Path(root) / name
    return None


@pytest.fixture(scope="session")
def baseline() -> dict[str, Any]:
    return json.loads(BASELINE.read_text(encoding="utf-8"))
