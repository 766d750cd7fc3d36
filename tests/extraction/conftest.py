"""Shared helpers of the extraction tests: the fixture pages and the labelled dataset."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures" / "pages"
BASELINE = REPO / "tests" / "extraction_baseline.json"
# The labelled sets are never copied into the repository: CI (and every checkout here) has
# ../shared beside the clone; NEWSCRAWL_DATASETS points elsewhere.
DATASET_ROOTS = (os.environ.get("NEWSCRAWL_DATASETS"), str(REPO.parent / "shared" / "datasets"))


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
    """The labelled dataset folder ``name``, from $NEWSCRAWL_DATASETS or ../shared/datasets."""
    for root in DATASET_ROOTS:
        if root and (Path(root) / name).is_dir():
            return Path(root) / name
    return None


def require_dataset(name: str) -> Path:
    """The folder of a labelled set; skips without it, but fails under CI=true, where the
    gate must run."""
    folder = dataset_dir(name)
    if folder is None:
        where = " or ".join(r for r in DATASET_ROOTS if r)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{name} is required when CI=true; looked under {where}")
        pytest.skip(f"{name} not found under {where}")
    return folder


@pytest.fixture(scope="session")
def baseline() -> dict[str, Any]:
    return json.loads(BASELINE.read_text(encoding="utf-8"))
