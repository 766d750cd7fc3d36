"""Reading saved pages for `newscrawl extract`."""

from __future__ import annotations

import gzip

import pytest

from crawler.extraction.offline import PageReadError, iter_pages, page_url

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


def test_page_url_is_the_canonical_else_the_file_url(tmp_path):
    path = tmp_path / "b.html"
    assert page_url(PAGE, str(path)) == "https://x.example/2026/01/02/a-story-slug-here/"
    without = PAGE.replace(b'<link rel="canonical"', b"<link")
    assert page_url(without, str(path)) == path.resolve().as_uri()


def test_a_page_over_the_limit_is_a_page_read_error_not_a_memory_hog(tmp_path):
    import gzip

    (tmp_path / "big.html").write_bytes(b"<p>" + b"x" * 5000)
    (tmp_path / "bomb.html.gz").write_bytes(gzip.compress(b"<p>" + b"x" * 1_000_000))
    (tmp_path / "small.html").write_bytes(PAGE)
    pages = iter_pages([str(tmp_path)], max_bytes=4096)
    for name in ("big.html", "bomb.html.gz"):
        with pytest.raises(PageReadError, match=f"{name}: larger than 4096 bytes"):
            next(pages)
    assert next(pages) == (str(tmp_path / "small.html"), PAGE)


def test_a_device_or_fifo_is_not_read(tmp_path):
    import os

    fifo = tmp_path / "pipe.html"
    os.mkfifo(fifo)
    for path in (fifo, "/dev/zero"):
        with pytest.raises(PageReadError, match="not a regular file"):
            list(iter_pages([str(path)], max_bytes=4096))
