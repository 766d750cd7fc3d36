"""The report of ``newscrawl eval``: a table per labelled set and one in total (ours against
plain trafilatura, from the same run), the pages where each extractor loses most to the
other, and the pages not classified as articles, as text or as JSON.

``run_eval`` is the whole command: the CLI parses its arguments and prints what it returns.
Totals pool the pages of all sets (means over pages, as ``scoring`` defines them), so a
large set weighs more than a small one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from crawler.extraction.evaluation import (
    RECALL_LOSS,
    EvalReport,
    ExtractorRun,
    Outcome,
    SetResult,
    evaluate,
    metadata_accuracy,
)
from crawler.extraction.labelled import LabelledPage

# How many pages each "loses most" list shows.
WORST_PAGES = 10


def _merged(results: Sequence[SetResult]) -> SetResult:
    """All sets as one, page ids prefixed with their set's name."""

    def rename(outcome: Outcome, name: str) -> Outcome:
        return replace(outcome, page_id=f"{name}/{outcome.page_id}")

    def relabel(page: LabelledPage, name: str) -> LabelledPage:
        return replace(page, page_id=f"{name}/{page.page_id}")

    ours = ExtractorRun("newscrawl", [rename(o, r.name) for r in results for o in r.ours.outcomes])
    baseline = None
    if all(r.baseline is not None for r in results):
        baseline = ExtractorRun(
            "trafilatura",
            [rename(o, r.name) for r in results for o in r.baseline.outcomes],  # type: ignore[union-attr]
        )
    labels = [relabel(p, r.name) for r in results for p in r.labels]
    return SetResult("total", "", "", labels, ours, baseline)


def _recall_losses(run: ExtractorRun, other: ExtractorRun | None) -> int | None:
    if other is None:
        return None
    theirs = {o.page_id: o.score.recall for o in other.outcomes}
    return sum(1 for o in run.outcomes if o.score.recall < theirs[o.page_id] - RECALL_LOSS)


def _summary(result: SetResult, run: ExtractorRun, other: ExtractorRun | None) -> dict[str, Any]:
    score = run.score
    summary: dict[str, Any] = {
        "precision": round(score.precision, 4),
        "recall": round(score.recall, 4),
        "f1": round(score.f1, 4),
        "pages": score.pages,
        "empty_pages": score.empty_pages,
        "teaser_leak_pages": run.leak_pages,
        "recall_loss_pages": _recall_losses(run, other),
        "median_ms": round(run.median_ms, 1),
    }
    verdicts = [o.is_article for o in run.outcomes if o.is_article is not None]
    summary["classified_as_articles"] = sum(verdicts) if verdicts else None
    accuracy = metadata_accuracy(result, run)
    summary.update({k: None if v is None else round(v, 4) for k, v in accuracy.items()})
    return summary


def _set_json(result: SetResult) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": result.name,
        "folder": result.folder,
        "labels_sha256": result.digest,
        "scored": _convention(result),
        "ours": _summary(result, result.ours, result.baseline),
        "not_articles": [
            {"id": o.page_id, "reasons": list(o.reasons)}
            for o in result.ours.outcomes
            if o.is_article is False
        ],
    }
    if result.baseline is not None:
        data["baseline"] = _summary(result, result.baseline, result.ours)
        data["speed_ratio"] = round(result.ours.median_ms / result.baseline.median_ms, 2)
    return data


def _convention(result: SetResult) -> str:
    kinds = {p.truth_has_standfirst for p in result.labels}
    if kinds == {True}:
        return "description + text (the labels count the standfirst as body)"
    if kinds == {False}:
        return "text (the labels keep the standfirst apart)"
    return "per page: description + text where the labels count the standfirst as body"


def _page_json(ours: Outcome, theirs: Outcome) -> dict[str, Any]:
    return {
        "id": ours.page_id,
        "ours": {k: round(getattr(ours.score, k), 4) for k in ("precision", "recall", "f1")},
        "trafilatura": {
            k: round(getattr(theirs.score, k), 4) for k in ("precision", "recall", "f1")
        },
        "leaked": list(ours.leaked),
    }


def _losses(total: SetResult, ours_lose: bool) -> list[tuple[Outcome, Outcome]]:
    """Pages where one extractor's F1 is furthest below the other's (only real losses)."""
    if total.baseline is None:
        return []
    theirs = {o.page_id: o for o in total.baseline.outcomes}
    pairs = [(o, theirs[o.page_id]) for o in total.ours.outcomes]
    sign = 1 if ours_lose else -1
    pairs = [p for p in pairs if sign * (p[1].score.f1 - p[0].score.f1) > 0]
    pairs.sort(key=lambda p: sign * (p[1].score.f1 - p[0].score.f1), reverse=True)
    return pairs[:WORST_PAGES]


def report_to_json(report: EvalReport) -> dict[str, Any]:
    """The report as a JSON-ready dict."""
    total = _merged(report.sets)
    data: dict[str, Any] = {
        "metric": "token 4-gram overlap (crawler/extraction/scoring.py)",
        "sets": [_set_json(result) for result in report.sets],
        "total": _set_json(total),
    }
    del data["total"]["labels_sha256"], data["total"]["folder"]
    if report.baseline_call:
        data["baseline_call"] = report.baseline_call
        data["baseline_metadata_call"] = report.baseline_metadata_call
        data["ours_lose_most"] = [_page_json(o, t) for o, t in _losses(total, True)]
        data["trafilatura_loses_most"] = [_page_json(o, t) for o, t in _losses(total, False)]
    return data


_ROWS: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("precision", "precision", "{:.4f}".format),
    ("recall", "recall", "{:.4f}".format),
    ("F1", "f1", "{:.4f}".format),
    ("empty pages", "empty_pages", str),
    ("teaser-leak pages", "teaser_leak_pages", str),
    (f"recall > {RECALL_LOSS} below other", "recall_loss_pages", str),
    ("classified as articles", "classified_as_articles", str),
    ("title", "title", "{:.4f}".format),
    ("published day", "published_day", "{:.4f}".format),
    ("authors", "authors", "{:.4f}".format),
    ("median ms/page", "median_ms", "{:.1f}".format),
)


def _table(data: dict[str, Any]) -> list[str]:
    ours, base = data["ours"], data.get("baseline")
    lines = [f"{'':30}{'newscrawl':>12}" + (f"{'trafilatura':>14}" if base else "")]
    for label, key, fmt in _ROWS:
        if ours.get(key) is None and (base is None or base.get(key) is None):
            continue
        cell = "-" if ours.get(key) is None else fmt(ours[key])
        if key == "classified_as_articles" and ours.get(key) is not None:
            cell = f"{ours[key]}/{ours['pages']}"
        line = f"{label:30}{cell:>12}"
        if base is not None:
            line += f"{'-' if base.get(key) is None else fmt(base[key]):>14}"
        lines.append(line)
    if "speed_ratio" in data:
        lines.append(f"{'speed ratio (medians)':30}{data['speed_ratio']:>11.2f}x")
    return lines


def _page_line(page: dict[str, Any]) -> str:
    o, t = page["ours"], page["trafilatura"]
    return (
        f"  {page['id']:44} ours P {o['precision']:.3f} R {o['recall']:.3f} F1 {o['f1']:.3f}"
        f"   trafilatura P {t['precision']:.3f} R {t['recall']:.3f} F1 {t['f1']:.3f}"
    )


def format_report(report: EvalReport) -> str:
    """Human-readable tables: per set, in total, then the pages each extractor loses most."""
    data = report_to_json(report)
    lines: list[str] = []
    for result in data["sets"]:
        lines.append(
            f"{result['name']}: {result['ours']['pages']} pages, labels sha256 "
            f"{result['labels_sha256'][:16]}, scored: {result['scored']}"
        )
        lines += [*_table(result), ""]
    if len(data["sets"]) > 1:
        lines.append(f"total: {data['total']['ours']['pages']} pages in {len(data['sets'])} sets")
        lines += [*_table(data["total"]), ""]
    lines.append("metric: token 4-gram overlap; metadata: exact match, case and whitespace aside")
    if report.baseline_call:
        lines.append(f"baseline: {report.baseline_call}; {report.baseline_metadata_call}")
        lines += ["", f"pages where newscrawl loses most to trafilatura (F1), up to {WORST_PAGES}:"]
        lines += [_page_line(p) for p in data["ours_lose_most"]] or ["  none"]
        lines += ["", f"pages where trafilatura loses most to newscrawl (F1), up to {WORST_PAGES}:"]
        lines += [_page_line(p) for p in data["trafilatura_loses_most"]] or ["  none"]
    not_articles = [(r["name"], p) for r in data["sets"] for p in r["not_articles"]]
    lines += ["", "pages not classified as articles:"]
    lines += [f"  {name}/{p['id']}: {', '.join(p['reasons'])}" for name, p in not_articles] or [
        "  none"
    ]
    return "\n".join(lines)


def run_eval(
    folders: Sequence[str],
    baseline: str | None = "trafilatura",
    as_json: bool = False,
    select: Callable[[str], bool] | None = None,
) -> str:
    """The whole ``newscrawl eval DIR [DIR...]``: evaluate and return the report's text (or
    JSON). Raises ``ValueError`` with a one-line message on bad input."""
    report = evaluate(folders, baseline, select)
    if as_json:
        return json.dumps(report_to_json(report), indent=2, ensure_ascii=False)
    return format_report(report)
