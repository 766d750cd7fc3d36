"""How long reading one page holds a worker's reactor: the measurement behind
NEWS_THREAD_READ_BYTES.

A worker reads a page (decodes it, runs extraction, takes its links) on the reactor thread
unless the page is large; this script times that reading, as ``NewsSpider`` does it
(``crawler.pages.read_site_page`` and ``crawler.pagelinks.page_links``), on the real pages
of the labelled datasets (../shared/datasets, read where they are) and on generated article
pages padded to a given size (inline data, as heavy real pages are), and prints the time
against the size. The threshold is the size above which reading could exceed the bound the
documentation gives for the reactor (docs/robustness.md).

    .venv/bin/python benchmarks/page_read_cost.py [--datasets ../shared/datasets]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scrapy.http import HtmlResponse  # noqa: E402

from crawler.extraction import decode_html  # noqa: E402
from crawler.pagelinks import page_links  # noqa: E402
from crawler.pages import read_site_page  # noqa: E402
from crawler.sites import SiteRegistry  # noqa: E402
from tests.hostile_site import GOOD_ARTICLES  # noqa: E402

REGISTRY = SiteRegistry()
MAX_LINKS = 2000
PADDED_SIZES = (250_000, 500_000, 1_000_000, 2_000_000, 4_000_000, 10_000_000)


def read_seconds(url: str, body: bytes) -> float:
    """Wall time of one page's reading (best of three: the cost, not the machine's noise)."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        response = HtmlResponse(url=url, body=body, encoding="utf-8")
        site = REGISTRY.for_url(url)
        read_site_page(site, decode_html(body, "utf-8"), url, registry=REGISTRY)
        page_links(response, MAX_LINKS)
        best = min(best, time.perf_counter() - started)
    return best


def dataset_pages(folder: Path) -> list[tuple[str, bytes]]:
    pages = []
    for path in sorted(folder.glob("*.html.gz")):
        meta = json.loads(path.with_name(path.name[: -len(".html.gz")] + ".json").read_text())
        pages.append((meta["url"], gzip.decompress(path.read_bytes())))
    return pages


def padded_article(size: int) -> tuple[str, bytes]:
    article = GOOD_ARTICLES[0]
    pad = b'<script type="application/json">{"p": "' + b"0123456789abcdef" * (size // 16)
    body = article.render().replace(b"</main>", pad + b'"}</script></main>', 1)
    return "http://127.0.0.7" + article.path, body


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=REPO.parent / "shared" / "datasets")
    args = parser.parse_args()
    pages = []
    for folder in ("fundus-news-80", "fundus-publishers-150"):
        if (args.datasets / folder).is_dir():
            pages += dataset_pages(args.datasets / folder)
    timed = sorted((len(body), read_seconds(url, body), url) for url, body in pages)
    print(f"{len(timed)} dataset pages")
    for low, high in ((0, 250_000), (250_000, 500_000), (500_000, 1_000_000), (1_000_000, 1e12)):
        bucket = [seconds for size, seconds, _ in timed if low <= size < high]
        if bucket:
            print(
                f"  {low / 1000:6.0f}-{min(high, 1e9) / 1000:6.0f} KB: {len(bucket):3d} pages, "
                f"median {statistics.median(bucket) * 1000:6.0f} ms, "
                f"max {max(bucket) * 1000:6.0f} ms"
            )
    slowest = sorted(timed, key=lambda row: row[1], reverse=True)[:5]
    print("  slowest:")
    for size, seconds, url in slowest:
        print(f"    {seconds * 1000:6.0f} ms  {size / 1000:6.0f} KB  {url}")
    ratio = max(seconds / size for size, seconds, _ in timed if size > 100_000)
    print(f"  worst cost per byte (pages over 100 KB): {ratio * 1e9:.0f} ms per MB")
    print("generated article pages padded with inline data:")
    for size in PADDED_SIZES:
        url, body = padded_article(size)
        print(f"  {len(body) / 1e6:5.2f} MB: {read_seconds(url, body) * 1000:6.0f} ms")


if __name__ == "__main__":
    main()
