"""How many links real news pages carry: the measurement behind NEWS_MAX_LINKS_PER_PAGE.

Counts, per page, the links ``NewsSpider`` takes from it (Scrapy's ``LinkExtractor`` as the
spider configures it: ``<a>`` and ``<area>``, unique, nofollow dropped) on every HTML page of
the demo site (tests/demo_site, walked in process, no server) and on the real pages of the
labelled datasets (../shared/datasets/fundus-news-80 and fundus-publishers-150, read where
they are, never copied). Prints the distribution per source and the largest pages.

    .venv/bin/python benchmarks/links_per_page.py [--datasets ../shared/datasets]
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.http import HtmlResponse
from scrapy.linkextractors import LinkExtractor

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.demo_site.content import Site as DemoContent  # noqa: E402

EXTRACTOR = LinkExtractor(unique=True, canonicalize=False, tags=("a", "area"))
DEMO_BASE = "http://127.0.0.2:8461/"


def links_of(url: str, body: bytes) -> int:
    response = HtmlResponse(url=url, body=body, encoding="utf-8")
    return len([link for link in EXTRACTOR.extract_links(response) if not link.nofollow])


def demo_pages() -> list[tuple[str, bytes]]:
    """Every HTML page of the demo site reachable from its home page (breadth first)."""
    site = DemoContent(DEMO_BASE)
    seen, queue, pages = {"/"}, deque(["/"]), []
    while queue and len(pages) < 2000:
        target = queue.popleft()
        page = site.respond(target)
        if page.status != 200 or "html" not in page.content_type:
            continue
        url = DEMO_BASE.rstrip("/") + target
        pages.append((url, page.body))
        response = HtmlResponse(url=url, body=page.body, encoding="utf-8")
        for link in EXTRACTOR.extract_links(response):
            parts = urlsplit(link.url)
            if parts.netloc != urlsplit(DEMO_BASE).netloc:
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            # the calendar archive is endless: a few days of it are enough
            if local not in seen and not (local.startswith("/archive/") and len(seen) > 400):
                seen.add(local)
                queue.append(local)
    return pages


def dataset_pages(folder: Path) -> list[tuple[str, bytes]]:
    import json

    pages = []
    for path in sorted(folder.glob("*.html.gz")):
        meta = json.loads(path.with_name(path.name[: -len(".html.gz")] + ".json").read_text())
        pages.append((meta["url"], gzip.decompress(path.read_bytes())))
    return pages


def report(name: str, pages: list[tuple[str, bytes]]) -> None:
    counts = sorted(((links_of(url, body), len(body), url) for url, body in pages), reverse=True)
    values = [count for count, _, _ in counts]
    quantiles = statistics.quantiles(values, n=100) if len(values) > 1 else values * 99
    print(
        f"{name}: {len(values)} pages; links per page median {statistics.median(values):.0f}, "
        f"p90 {quantiles[89]:.0f}, p99 {quantiles[98]:.0f}, max {values[0]}"
    )
    for count, size, url in counts[:3]:
        print(f"    {count:5d} links, {size / 1024:7.0f} KiB  {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=Path, default=REPO.parent / "shared" / "datasets")
    args = parser.parse_args()
    report("demo site", demo_pages())
    for folder in ("fundus-news-80", "fundus-publishers-150"):
        if (args.datasets / folder).is_dir():
            report(folder, dataset_pages(args.datasets / folder))


if __name__ == "__main__":
    main()
