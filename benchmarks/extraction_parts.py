"""Extraction quality on each part of the fixed split: the tuning part, the held-out part
(never looked at while rules were tuned) and the whole, for every labelled set given.

Usage: ``python benchmarks/extraction_parts.py [DATASET_DIR...]`` (default: fundus-news-80
and fundus-publishers-150 under $NEWSCRAWL_DATASETS or ../shared/datasets beside the
clone). Prints the ``newscrawl eval`` report of each part (ours and plain trafilatura in
the same run; the split is ``crawler.extraction.labelled.held_out``), then, for the sets
whose labels count the standfirst as body, F1 scored as ``description`` always followed by
``text`` (the eval leaves out a description that the text already holds).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from crawler.extraction import analyse_page
from crawler.extraction.eval_report import run_eval
from crawler.extraction.labelled import held_out, load_folder
from crawler.extraction.scoring import score_page, score_set

SETS = ("fundus-news-80", "fundus-publishers-150")


def _default_folders() -> list[str]:
    beside = Path(__file__).resolve().parents[2] / "shared" / "datasets"
    for root in (os.environ.get("NEWSCRAWL_DATASETS"), str(beside)):
        if root and all((Path(root) / name).is_dir() for name in SETS):
            return [str(Path(root) / name) for name in SETS]
    raise SystemExit("no datasets: pass DATASET_DIR... or set NEWSCRAWL_DATASETS")


def literal_f1(folder: str) -> dict[str, float]:
    """F1 with the description always put before the text, per part."""
    scores: dict[str, list] = {"tuning": [], "held-out": [], "all": []}
    for page in load_folder(folder):
        if not page.truth_has_standfirst:
            return {}
        article = analyse_page(page.html, page.url).article
        text = "\n\n".join(t for t in (article.description, article.text) if t)
        scored = score_page(text, page.truth)
        scores["held-out" if held_out(page.page_id) else "tuning"].append(scored)
        scores["all"].append(scored)
    return {part: round(score_set(s).f1, 4) for part, s in scores.items()}


def main() -> None:
    folders = sys.argv[1:] or _default_folders()
    parts = (
        ("tuning part", lambda page_id: not held_out(page_id)),
        ("held-out part", held_out),
        ("whole sets", None),
    )
    for title, select in parts:
        print(f"=== {title} ===")
        print(run_eval(folders, select=select))
        print()
    for folder in folders:
        literal = literal_f1(folder)
        if literal:
            print(f"{Path(folder).name}, description always before text: F1 {literal}")


if __name__ == "__main__":
    main()
