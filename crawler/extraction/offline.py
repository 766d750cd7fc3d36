"""Reading saved pages from disk for ``newscrawl extract``: the one module of the package that
does I/O, kept apart so that ``extract`` itself stays a pure function.

Paths may be ``.html`` or ``.html.gz`` files or folders searched recursively for them, in
sorted order so that runs are reproducible. An unreadable file raises ``PageReadError``
with a one-line message; the command reports it and goes on with the next file.
"""

from __future__ import annotations

import gzip
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from crawler.extraction.canonical import page_url_of
from crawler.extraction.decoding import decode_html
from crawler.extraction.parsing import parse_html

PAGE_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")


class PageReadError(Exception):
    """A saved page could not be read; the message is one line naming the file."""


def _is_page(path: Path) -> bool:
    return path.name.lower().endswith(PAGE_SUFFIXES)


def _page_files(paths: Iterable[str]) -> Iterator[Path]:
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and _is_page(p))
            yield from found
        else:
            yield path


def read_page(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of a saved page, gunzipped when its name ends in ``.gz``; a page of more
    than ``max_bytes`` (unpacked) and anything that is not a regular file (a device, a
    FIFO: read for ever) raise ``PageReadError``."""
    try:
        if path.exists() and not path.is_file():
            raise PageReadError(f"cannot read {path}: not a regular file")
        opener = gzip.open if path.name.lower().endswith(".gz") else open
        with opener(path, "rb") as handle:
            data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as error:
        reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
        raise PageReadError(f"cannot read {path}: {reason}") from error
    if max_bytes is not None and len(data) > max_bytes:
        raise PageReadError(f"cannot read {path}: larger than {max_bytes} bytes")
    return data


class _Resumable(Iterator[Any]):
    """An iterator over page files that raises ``PageReadError`` for a bad file and can be
    asked for the next file afterwards (a generator would be finished by the raise)."""

    def __init__(self, paths: Iterable[str], handle: Callable[[Path], Any]) -> None:
        self._files = _page_files(paths)
        self._handle = handle

    def __iter__(self) -> _Resumable:
        return self

    def __next__(self) -> Any:
        return self._handle(next(self._files))


def iter_pages(paths: Iterable[str], max_bytes: int | None = None) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of every page under ``paths``; raises ``PageReadError`` per bad file,
    after which iteration goes on with the next file."""
    return _Resumable(paths, lambda path: (str(path), read_page(path, max_bytes)))


def page_url(data: bytes, path: str) -> str:
    """The page's own rel=canonical / og:url, else ``file://`` and its absolute path."""
    root = parse_html(decode_html(data))
    base = Path(os.path.abspath(path)).as_uri()
    if root is not None:
        found = page_url_of(root, base)
        if found:
            return found
    return base
