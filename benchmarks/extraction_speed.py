"""Extraction speed: newscrawl's ``extract`` against plain trafilatura on the same pages.

Usage: ``python benchmarks/extraction_speed.py [DATASET_DIR] [--repeat N]`` (default: the
fundus-news-80 folder under $NEWSCRAWL_DATASETS or ../shared/datasets beside the clone, 5 repetitions).
Both extractors run in the same process on the same page bytes, interleaved page by page,
after one warm-up pass; the per-page time is the median over the repetitions, and the
report gives the median and 90th percentile over pages and the ratio of the medians. This
is a benchmark, not a test: timings depend on the machine, so results are written with the
machine they came from into benchmarks/extraction.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from pathlib import Path

from crawler.extraction import extract
from crawler.extraction.labelled import load_folder
from crawler.extraction.trafilatura_adapter import BASELINE_CALL, baseline_text


def _default_dataset() -> str:
    beside = Path(__file__).resolve().parents[2] / "shared" / "datasets"
    for root in (os.environ.get("NEWSCRAWL_DATASETS"), str(beside)):
        if root and (Path(root) / "fundus-news-80").is_dir():
            return str(Path(root) / "fundus-news-80")
    raise SystemExit("no dataset: pass DATASET_DIR or set NEWSCRAWL_DATASETS")


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset", nargs="?", default=None)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    pages = load_folder(args.dataset or _default_dataset())
    runners = {
        "newscrawl": lambda page: extract(page.html, page.url),
        "trafilatura": lambda page: baseline_text(page.html, page.url),
    }
    for page in pages:  # warm-up: imports, regex compilation, caches
        for run in runners.values():
            run(page)
    samples: dict[str, list[list[float]]] = {name: [[] for _ in pages] for name in runners}
    for _ in range(args.repeat):
        for index, page in enumerate(pages):
            for name, run in runners.items():
                started = time.perf_counter()
                run(page)
                samples[name][index].append(time.perf_counter() - started)
    per_page = {
        name: [1000 * statistics.median(times) for times in page_times]
        for name, page_times in samples.items()
    }
    print(f"pages: {len(pages)}, repetitions: {args.repeat}")
    print(f"machine: {os.cpu_count()} CPUs, {_cpu_model()}, Python {platform.python_version()}")
    print(f"baseline: {BASELINE_CALL}")
    print(f"{'':14}{'median ms':>12}{'p90 ms':>10}")
    for name, values in per_page.items():
        print(f"{name:14}{statistics.median(values):12.1f}{_percentile(values, 0.9):10.1f}")
    ratio = statistics.median(per_page["newscrawl"]) / statistics.median(per_page["trafilatura"])
    print(f"ratio of medians (newscrawl / trafilatura): {ratio:.2f}")


if __name__ == "__main__":
    main()
