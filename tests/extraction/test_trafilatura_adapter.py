"""The trafilatura adapter: the only importer of trafilatura, and its block conversion."""

from __future__ import annotations

import re
from pathlib import Path

from crawler.extraction.parsing import parse_html
from crawler.extraction.trafilatura_adapter import (
    BASELINE_CALL,
    _depth_over,
    baseline_text,
    extract_blocks,
)

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


def test_text_between_elements_and_tables_are_body():
    paragraph = (
        "A paragraph of the story long enough for trafilatura to keep it as body text, with more "
        "words to be safe."
    )
    page = (
        "<html><body><article><h2>Results of the race</h2>Prose written straight after the heading "
        "without a paragraph element, as some templates do, is part of the article body too."
        + "".join(f"<p>{paragraph}</p>" for _ in range(4))
        + "<table><tr><td>1. Anna Berg</td><td>2:31:04</td></tr>"
        "<tr><td>2. Lea Moser</td><td>2:32:10</td></tr></table></article></body></html>"
    )
    blocks = extract_blocks(parse_html(page), "https://example.org/a")
    texts = [b.text for b in blocks]
    assert any(t.startswith("Prose written straight after the heading") for t in texts)
    assert ("row", "1. Anna Berg | 2:31:04") in [(b.kind, b.text) for b in blocks]


def test_deeply_nested_pages_skip_the_fallbacks():
    assert _depth_over(parse_html("<div>" * 300 + "x" + "</div>" * 300))
    assert not _depth_over(parse_html(PAGE))
