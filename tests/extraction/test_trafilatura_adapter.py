"""The trafilatura adapter: the only importer of trafilatura, and its block conversion."""

from __future__ import annotations

import re
from pathlib import Path

from crawler.extraction.parsing import parse_html
from crawler.extraction.trafilatura_adapter import BASELINE_CALL, baseline_text, extract_blocks

PACKAGE = Path(__file__).resolve().parents[2] / "crawler" / "extraction"
PAGE = (
    "<html><body><article>"
    + "".join(
        f"<p>Paragraph {i} of a story long enough for trafilatura to keep it as body text, "
        f"with a few more words to be safe.</p>"
        for i in range(6)
    )
    + "<ul><li>First listed point of the story text</li><li>Second listed point</li></ul></article></body></html>"
)


def test_only_the_adapter_imports_trafilatura():
    importers = [
        path.name
        for path in PACKAGE.glob("*.py")
        if re.search(r"^\s*(import|from)\s+trafilatura", path.read_text(), re.MULTILINE)
    ]
    assert importers == ["trafilatura_adapter.py"]


def test_blocks_keep_paragraphs_and_list_items_apart():
    blocks = extract_blocks(parse_html(PAGE), "https://example.org/a")
    kinds = [b.kind for b in blocks]
    assert kinds.count("p") == 6 and kinds.count("item") == 2


def test_tree_is_not_mutated():
    root = parse_html(PAGE)
    before = len(list(root.iter()))
    extract_blocks(root, None)
    assert len(list(root.iter())) == before


def test_baseline_is_plain_trafilatura():
    assert "include_comments=False" in BASELINE_CALL
    assert "Paragraph 0" in baseline_text(PAGE, None)
