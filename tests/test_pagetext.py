"""The estimate of a page's text, against pages of real and hostile shapes."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest

from crawler import settings
from crawler.pagetext import text_bytes
from tests.hostile_site import GOOD_ARTICLES, big_article_page, link_flood_page

DATASETS = Path(__file__).resolve().parent.parent.parent / "shared" / "datasets"


@pytest.mark.parametrize(
    ("body", "text"),
    [
        (b"", b""),
        (b"<p>Hello <b>world</b></p>", b"Hello world"),
        (b"<script>var x = '<p>not text</p>';</script><p>seen</p>", b"seen"),
        (b"<STYLE>p { color: red }</STYLE><!-- a comment -->x", b"x"),
        (
            b"<svg><text>label</text></svg><template><p>t</p></template><noscript>n</noscript>y",
            b"y",
        ),
        (b"<p>unclosed <script>for ever", b"unclosed for ever"),
    ],
)
def test_markup_scripts_and_comments_are_not_text(body, text):
    assert text_bytes(body) == len(text)


def test_a_real_article_is_far_below_the_cap():
    assert text_bytes(GOOD_ARTICLES[0].render()) < 3000 < settings.NEWS_MAX_TEXT_BYTES


def test_a_page_of_inline_data_has_an_articles_text():
    """10 MB, nearly all of it one inline JSON state: the text is the article's."""
    started = time.monotonic()
    assert text_bytes(big_article_page()) < 5000
    assert time.monotonic() - started < 1.0


def test_a_page_of_links_counts_their_text():
    assert 500_000 < text_bytes(link_flood_page()) < settings.NEWS_MAX_TEXT_BYTES


@pytest.mark.skipif(not DATASETS.is_dir(), reason="../shared/datasets is not on this machine")
def test_real_article_pages_stay_under_a_seventh_of_the_cap():
    """The measurement behind NEWS_MAX_TEXT_BYTES: 230 real article pages, 140 KB at most."""
    pages = sorted(DATASETS.glob("*/*.html.gz"))
    assert len(pages) >= 200
    largest = max(text_bytes(gzip.decompress(page.read_bytes())) for page in pages)
    assert largest < settings.NEWS_MAX_TEXT_BYTES / 7, largest
