"""Labelled sets of real article pages: reading a folder, its scoring convention, a digest of
its labels, and the fixed split that keeps part of every set aside while rules are tuned.

A labelled folder is laid out like ../shared/datasets/fundus-news-80: ``<id>.html`` or
``<id>.html.gz`` next to ``<id>.json`` holding ``url`` and ``articleBody`` (the ground truth
of the body), and optionally ``title``, ``authors``, ``published`` and ``summary``. Labels
that carry a ``summary`` keep the standfirst apart from the body, so our ``text`` is scored
alone; labels without one count the standfirst as body (fundus-news-80), so ``description``
followed by ``text`` is scored there. The split is by a hash of the page id, never by
looking at the pages: a third of every set is held out.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from crawler.extraction.offline import read_page

# One page in three is held out (sha256 of its id, modulo 3, is 0): fixed before any rule
# was tuned on fundus-publishers-150, and the same for every set, so anyone can recompute it.
HELD_OUT_MODULUS = 3


def held_out(page_id: str) -> bool:
    """Whether a page belongs to the held-out part of its set (never looked at in tuning)."""
    digest = hashlib.sha256(page_id.encode("utf-8")).hexdigest()
    return int(digest, 16) % HELD_OUT_MODULUS == 0


@dataclass(frozen=True)
class LabelledPage:
    """A page of a labelled folder and its ground truth."""

    page_id: str
    url: str
    html: bytes
    truth: str
    # Whether ``truth`` includes the standfirst (labels without a separate ``summary``).
    truth_has_standfirst: bool = True
    title: str | None = None
    # None when the set does not label authors; [] when the page has none.
    authors: tuple[str, ...] | None = None
    published: str | None = None


def _html_file(json_path: Path) -> Path | None:
    for suffix in (".html.gz", ".html", ".htm.gz", ".htm"):
        candidate = json_path.with_name(json_path.stem + suffix)
        if candidate.exists():
            return candidate
    return None


def _authors(label: dict) -> tuple[str, ...] | None:
    if "authors" not in label:
        return None
    value = label["authors"] or []
    return tuple(a for a in value if isinstance(a, str))


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
        pages.append(
            LabelledPage(
                page_id=json_path.stem,
                url=url,
                html=read_page(html_path),
                truth=truth,
                truth_has_standfirst="summary" not in label,
                title=label.get("title") if isinstance(label.get("title"), str) else None,
                authors=_authors(label),
                published=label.get("published")
                if isinstance(label.get("published"), str)
                else None,
            )
        )
    return pages


def labels_digest(folder: str) -> str:
    """sha256 over the names and bytes of the folder's label files: a changed set shows."""
    digest = hashlib.sha256()
    for json_path in sorted(Path(folder).glob("*.json")):
        digest.update(json_path.name.encode("utf-8") + b"\0")
        digest.update(json_path.read_bytes() + b"\0")
    return digest.hexdigest()
