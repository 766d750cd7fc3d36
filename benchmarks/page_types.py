"""Page-type classification: is_article precision and recall on the labelled page-type set.

Usage: ``python benchmarks/page_types.py [--datasets DIR] [--sites demo,hostile] [--out FILE]``
(default: ../shared/datasets beside the clone or $NEWSCRAWL_DATASETS, every test site of
tests/page_types/sites.py, Markdown to stdout). Builds the set (tests/page_types: the test
sites' own pages over loopback, the real articles of the labelled sets, and listing and
bare article pages composed from those articles at run time), runs ``analyse_page`` on
every page and reports precision and recall of the article class on the tuning part, the
held-out part and the whole, per source, and every page it gets wrong with its reasons.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.page_types import ARTICLE, Score, Verdict, build_set, judge, score
from tests.page_types.sites import SITE_SOURCES


def _datasets(given: str | None) -> Path | None:
    beside = Path(__file__).resolve().parents[2] / "shared" / "datasets"
    for root in (given, os.environ.get("NEWSCRAWL_DATASETS"), str(beside)):
        if root and Path(root).is_dir():
            return Path(root)
    return None


def _row(name: str, part: Score) -> str:
    articles = part.articles
    return (
        f"| {name} | {len(part.verdicts)} | {articles} | {len(part.verdicts) - articles} "
        f"| {part.precision:.4f} | {part.recall:.4f} | {len(part.errors)} |"
    )


def report(verdicts: list[Verdict]) -> str:
    """The Markdown report."""
    header = "| part | pages | articles | listings | precision | recall | wrong |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    parts = [
        ("tuning", score(verdicts, lambda v: not v.page.held_out)),
        ("held-out", score(verdicts, lambda v: v.page.held_out)),
        ("all", score(verdicts)),
    ]
    lines = [header, *(_row(name, part) for name, part in parts), ""]
    lines += [
        "| source | pages | articles | listings | precision | recall | wrong |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for source in sorted({v.page.source for v in verdicts}):
        lines.append(_row(source, score(verdicts, lambda v, s=source: v.page.source == s)))
    lines += ["", "Pages classified wrongly (label, part, URL, the classifier's reasons):", ""]
    errors = score(verdicts).errors
    for v in errors:
        part = "held-out" if v.page.held_out else "tuning"
        lines.append(
            f"- {v.page.label} ({v.page.source}, {part}) {v.page.url}: {', '.join(v.reasons)}"
        )
    if not errors:
        lines.append("- none")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", default=None)
    parser.add_argument("--sites", default=",".join(SITE_SOURCES))
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    pages = build_set(_datasets(args.datasets), [s for s in args.sites.split(",") if s])
    verdicts = judge(pages)
    counts = Counter((p.label == ARTICLE) for p in pages)
    text = (
        f"pages: {len(pages)} ({counts[True]} articles, {counts[False]} listings), "
        f"held out: {sum(p.held_out for p in pages)}\n"
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}\n\n"
        + report(verdicts)
        + "\n"
    )
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
