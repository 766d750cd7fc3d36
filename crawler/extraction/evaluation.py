"""``newscrawl eval``: extraction quality on a labelled folder, ours and plain trafilatura
side by side in the same run.

A labelled folder is laid out like ../shared/datasets/fundus-news-80: ``<id>.html`` or
``<id>.html.gz`` next to ``<id>.json`` holding ``articleBody`` (the ground truth) and ``url``.
Each page is scored with the 4-gram metric of ``scoring``; a page counts as a teaser leak
when its extracted text has a line of four or more words that is the text of a link to
another page and is not part of the ground truth. The report gives precision, recall, F1,
empty pages, leaks and median time per page, then the worst pages.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.extraction.decoding import decode_html
from crawler.extraction.links import HEADLINE_WORDS, link_texts, normalise
from crawler.extraction.offline import read_page
from crawler.extraction.page import extract
from crawler.extraction.parsing import parse_html
from crawler.extraction.scoring import PageScore, SetScore, score_page, score_set
from crawler.extraction.trafilatura_adapter import BASELINE_CALL, baseline_text

WORST_PAGES = 10


@dataclass(frozen=True)
class PageResult:
    """One extractor's result on one labelled page."""

    page_id: str
    score: PageScore
    leaked: tuple[str, ...]
    seconds: float


@dataclass
class ExtractorResult:
    """One extractor over the whole folder."""

    name: str
    pages: list[PageResult] = field(default_factory=list)

    @property
    def score(self) -> SetScore:
        return score_set(p.score for p in self.pages)

    @property
    def leak_pages(self) -> int:
        return sum(1 for p in self.pages if p.leaked)

    @property
    def median_ms(self) -> float:
        return 1000 * statistics.median(p.seconds for p in self.pages) if self.pages else 0.0


@dataclass
class EvalReport:
    """The result of ``evaluate_folder``: ours and, optionally, the baseline."""

    folder: str
    ours: ExtractorResult
    baseline: ExtractorResult | None
    baseline_call: str | None


@dataclass(frozen=True)
class LabelledPage:
    """A page of a labelled folder and its ground truth."""

    page_id: str
    url: str
    html: bytes
    truth: str


def _html_file(json_path: Path) -> Path | None:
    for suffix in (".html.gz", ".html", ".htm.gz", ".htm"):
        candidate = json_path.with_name(json_path.stem + suffix)
        if candidate.exists():
            return candidate
    return None


def load_folder(folder: str) -> list[LabelledPage]:
    """Every labelled page of ``folder`` (sorted by id); pages without HTML are skipped."""
    pages = []
    for json_path in sorted(Path(folder).glob("*.json")):
        html_path = _html_file(json_path)
        if html_path is None:
            continue
        label = json.loads(json_path.read_text(encoding="utf-8"))
        truth = label.get("articleBody")
        if not isinstance(truth, str):
            continue
        url = label.get("url") or html_path.resolve().as_uri()
        pages.append(LabelledPage(json_path.stem, url, read_page(html_path), truth))
    return pages


def teaser_leaks(text: str, links: dict[str, int], truth: str) -> tuple[str, ...]:
    """Lines of ``text`` that are another page's link text and not in the ground truth."""
    truth_norm = f" {normalise(truth)} "
    leaked = []
    for line in text.splitlines():
        norm = normalise(line)
        if len(norm.split()) < HEADLINE_WORDS or norm not in links:
            continue
        if f" {norm} " not in truth_norm:
            leaked.append(line.strip())
    return tuple(leaked)


def _run(page: LabelledPage, links: dict[str, int], name: str) -> PageResult:
    started = time.perf_counter()
    if name == "ours":
        text = extract(page.html, page.url).text
    else:
        text = baseline_text(page.html, page.url)
    seconds = time.perf_counter() - started
    return PageResult(
        page_id=page.page_id,
        score=score_page(text, page.truth),
        leaked=teaser_leaks(text, links, page.truth),
        seconds=seconds,
    )


def evaluate_folder(folder: str, baseline: str | None = "trafilatura") -> EvalReport:
    """Score our extraction (and plain trafilatura unless ``baseline`` is None) on a folder."""
    if baseline not in (None, "trafilatura"):
        raise ValueError(f"unknown baseline {baseline!r} (known: trafilatura)")
    pages = load_folder(folder)
    if not pages:
        raise ValueError(f"no labelled pages (<id>.html[.gz] + <id>.json) in {folder}")
    ours = ExtractorResult("newscrawl")
    base = ExtractorResult("trafilatura") if baseline else None
    for page in pages:
        root = parse_html(decode_html(page.html))
        links = link_texts(root, page.url, None) if root is not None else {}
        ours.pages.append(_run(page, links, "ours"))
        if base is not None:
            base.pages.append(_run(page, links, "trafilatura"))
    return EvalReport(
        folder=folder, ours=ours, baseline=base, baseline_call=BASELINE_CALL if base else None
    )


def _summary(result: ExtractorResult) -> dict[str, Any]:
    score = result.score
    return {
        "precision": round(score.precision, 4),
        "recall": round(score.recall, 4),
        "f1": round(score.f1, 4),
        "pages": score.pages,
        "empty_pages": score.empty_pages,
        "teaser_leak_pages": result.leak_pages,
        "median_ms": round(result.median_ms, 1),
    }


def _worst(result: ExtractorResult, count: int = WORST_PAGES) -> list[PageResult]:
    return sorted(result.pages, key=lambda p: p.score.f1)[:count]


def report_to_json(report: EvalReport) -> dict[str, Any]:
    """The report as a JSON-ready dict."""
    data: dict[str, Any] = {
        "folder": report.folder,
        "metric": "token 4-gram overlap (crawler/extraction/scoring.py)",
        "ours": _summary(report.ours),
        "worst": [
            {
                "id": p.page_id,
                "precision": round(p.score.precision, 4),
                "recall": round(p.score.recall, 4),
                "f1": round(p.score.f1, 4),
                "leaked": list(p.leaked),
            }
            for p in _worst(report.ours)
        ],
    }
    if report.baseline is not None:
        data["baseline"] = _summary(report.baseline)
        data["baseline_call"] = report.baseline_call
    return data


def format_report(report: EvalReport) -> str:
    """A human-readable table: ours vs the baseline, then the worst pages."""
    ours = _summary(report.ours)
    base = _summary(report.baseline) if report.baseline else None
    lines = [f"{report.folder}: {ours['pages']} pages, token 4-gram metric", ""]
    header = f"{'':22}{'newscrawl':>12}" + (f"{'trafilatura':>14}" if base else "")
    lines.append(header)
    rows = (
        ("precision", "precision", "{:.4f}"),
        ("recall", "recall", "{:.4f}"),
        ("F1", "f1", "{:.4f}"),
        ("empty pages", "empty_pages", "{}"),
        ("teaser-leak pages", "teaser_leak_pages", "{}"),
        ("median ms/page", "median_ms", "{:.1f}"),
    )
    for label, key, fmt in rows:
        line = f"{label:22}{fmt.format(ours[key]):>12}"
        if base:
            line += f"{fmt.format(base[key]):>14}"
        lines.append(line)
    if report.baseline_call:
        lines += ["", f"baseline: {report.baseline_call}"]
    lines += ["", f"worst {WORST_PAGES} pages (newscrawl):"]
    baseline_by_id = {p.page_id: p for p in report.baseline.pages} if report.baseline else {}
    for page in _worst(report.ours):
        line = (
            f"  {page.page_id:28} P {page.score.precision:.3f}  R {page.score.recall:.3f}"
            f"  F1 {page.score.f1:.3f}"
        )
        other = baseline_by_id.get(page.page_id)
        if other:
            line += f"   (trafilatura F1 {other.score.f1:.3f})"
        if page.leaked:
            line += f"   leaks: {len(page.leaked)}"
        lines.append(line)
    return "\n".join(lines)
