"""Reading saved pages for `newscrawl extract`."""

from __future__ import annotations

import gzip

import pytest

from crawler.extraction.offline import PageReadError, extract_file_records, iter_pages

PAGE = (
    b"""<html><head><link rel="canonical" href="https://x.example/2026/01/02/a-story-slug-here/">
</head><body><article><h1>A story</h1>"""
    + b"<p>"
    + b"Body sentence of the story. " * 40
    + b"</p></article></body></html>"
)


def test_iter_pages_recurses_sorted_and_survives_a_bad_file(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.html.gz").write_bytes(gzip.compress(PAGE))
    (tmp_path / "a.html").write_bytes(PAGE)
    (tmp_path / "bad.html.gz").write_bytes(b"not gzip")
    (tmp_path / "notes.txt").write_text("skip me")
    pages = iter_pages([str(tmp_path)])
    assert next(pages) == (str(tmp_path / "a.html"), PAGE)
    assert next(pages) == (str(tmp_path / "b" / "two.html.gz"), PAGE)
    with pytest.raises(PageReadError, match=r"bad\.html\.gz"):
        next(pages)
    with pytest.raises(StopIteration):
        next(pages)


def test_missing_file_is_a_page_read_error(tmp_path):
    with pytest.raises(PageReadError):
        list(iter_pages([str(tmp_path / "missing.html")]))


def test_records_use_canonical_or_file_url(tmp_path):
    (tmp_path / "a.html").write_bytes(PAGE)
    (tmp_path / "b.html").write_bytes(PAGE.replace(b'<link rel="canonical"', b"<link"))
    records = list(extract_file_records([str(tmp_path)], None))
    assert records[0]["url"] == "https://x.example/2026/01/02/a-story-slug-here/"
    assert records[1]["url"] == (tmp_path / "b.html").resolve().as_uri()
    assert records[0]["source"] == str(tmp_path / "a.html")
    assert records[0]["text"].startswith("Body sentence")
    forced = list(extract_file_records([str(tmp_path / "a.html")], "https://y.example/p"))
    assert forced[0]["url"] == "https://y.example/p"
