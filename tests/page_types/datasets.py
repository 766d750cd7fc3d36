"""The real article pages of the labelled sets in ../shared/datasets, as article pages of the
page-type set, and what the composed pages are made of: each article's headline,
standfirst, body paragraphs, byline and date, read from the pages and labels at run time
(never stored in the repository)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from crawler.extraction.decoding import decode_html
from crawler.extraction.meta import MetaTags
from crawler.extraction.offline import read_page
from crawler.extraction.parsing import parse_html
from tests.page_types.model import ARTICLE, TypedPage

DATASETS = ("fundus-news-80", "fundus-publishers-150")


@dataclass(frozen=True)
class Story:
    """What a listing shows of an article, and what a bare article page is made of."""

    story_id: str
    host: str
    headline: str
    standfirst: str
    paragraphs: tuple[str, ...]
    author: str
    day: str  # YYYY-MM-DD


def _headline(html: bytes) -> str:
    root = parse_html(decode_html(html))
    if root is None:
        return ""
    meta = MetaTags(root)
    title = meta.first("og:title", "twitter:title") or root.findtext(".//title") or ""
    return " ".join(title.split())


def _read(folder: Path) -> list[tuple[str, dict, bytes]]:
    found = []
    for label_path in sorted(folder.glob("*.json")):
        page_path = label_path.with_suffix(".html.gz")
        if not page_path.exists():
            page_path = label_path.with_suffix(".html")
        if page_path.exists():
            label = json.loads(label_path.read_text(encoding="utf-8"))
            found.append((label_path.stem, label, read_page(page_path)))
    return found


def dataset_pages(root: Path) -> tuple[list[TypedPage], list[Story]]:
    """The article pages of every labelled set under ``root``, and their stories."""
    pages: list[TypedPage] = []
    stories: list[Story] = []
    for name in DATASETS:
        folder = root / name
        if not folder.is_dir():
            continue
        for page_id, label, html in _read(folder):
            url = label.get("url") or f"https://{name}.example/{page_id}"
            pages.append(TypedPage(name, page_id, url, html, ARTICLE))
            paragraphs = tuple(p for p in label["articleBody"].split("\n\n") if p.strip())
            headline = label.get("title") or _headline(html)
            standfirst = label.get("summary") or (paragraphs[0] if paragraphs else "")
            authors = label.get("authors") or []
            stories.append(
                Story(
                    story_id=f"{name}/{page_id}",
                    host=urlsplit(url).hostname or f"{name}.example",
                    headline=headline or standfirst[:80],
                    standfirst=" ".join(standfirst.split()),
                    paragraphs=paragraphs,
                    author=authors[0] if authors else "Staff",
                    day=str(label.get("published") or label.get("crawl_date") or "2024-01-01")[:10],
                )
            )
    return pages, stories
