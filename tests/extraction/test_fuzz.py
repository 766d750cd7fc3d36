"""Property-based fuzzing of the extraction entry point and URL canonicalization.

Three generators: HTML trees built from news-page parts (nested containers, teaser class
names, links, bylines, scripts, broken markup), mutations of the real fixture pages
(slices deleted, duplicated or swapped, random bytes and tags inserted, truncation), and
arbitrary URL-like text. Properties: extraction never raises, always returns an Article,
and finishes each page within PAGE_SECONDS; canonicalization either raises InvalidUrl or
returns a canonical URL. ``make test`` runs a short pass; a long one runs with
``NEWSCRAWL_FUZZ_EXAMPLES=20000 .venv/bin/python -m pytest tests/extraction/test_fuzz.py``
(see docs/robustness.md for the last long run).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.extraction import analyse_page
from crawler.items import Article
from crawler.urls import InvalidUrl, canonical_url

EXAMPLES = int(os.environ.get("NEWSCRAWL_FUZZ_EXAMPLES", "150"))
# A page that takes longer than this is a hang for a crawler (the slowest fundus page
# takes about 0.1 s on this machine; the deepest nesting the generators make, under 1 s).
PAGE_SECONDS = 5.0
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PAGES = sorted((Path(__file__).parent.parent / "fixtures" / "pages").glob("*.html"))

TAGS = ["div", "p", "span", "section", "article", "aside", "main", "h1", "h2", "h3", "a",
        "ul", "li", "table", "td", "script", "style", "noscript", "figure", "header", "footer",
        "nav", "form", "iframe", "svg", "template", "br", "img"]  # fmt: skip
CLASSES = ["related-posts", "entry-content", "article-body", "newsletter", "comments", "share",
           "trending", "story", "byline", "", "promo", "sidebar", "content", "post"]  # fmt: skip
WORDS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=60)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda tag, cls, href, text, inner, close: (
            f'<{tag} class="{cls}" href="{href}">{text}{"".join(inner)}'
            + (f"</{tag}>" if close else "")
        ),
        st.sampled_from(TAGS),
        st.sampled_from(CLASSES),
        st.sampled_from(
            ["/a/b", "https://x.example/2026/01/02/story-slug", "#", "javascript:x", ""]
        ),
        WORDS,
        st.lists(children, max_size=4),
        st.booleans(),
    )


HTML_TREES = st.recursive(WORDS, _element, max_leaves=60).map(
    lambda body: f"<html><head><title>t</title></head><body>{body}</body></html>"
)


def _check(html: str | bytes, url: str = "https://news.example/2026/01/02/a-story-slug") -> None:
    started = time.perf_counter()
    analysis = analyse_page(html, url)
    elapsed = time.perf_counter() - started
    assert isinstance(analysis.article, Article)
    assert isinstance(analysis.article.text, str)
    assert elapsed < PAGE_SECONDS, f"{elapsed:.1f} s on one page"


@FUZZ
@given(HTML_TREES)
def test_generated_news_like_html_never_breaks_extraction(html):
    _check(html)


@st.composite
def mutated_pages(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(PAGES)).read_bytes())
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        start = draw(st.integers(0, len(data) - 1))
        end = draw(st.integers(start, min(len(data), start + 2000)))
        action = draw(st.sampled_from(["delete", "duplicate", "insert", "tag", "truncate"]))
        if action == "delete":
            del data[start:end]
        elif action == "duplicate":
            data[end:end] = data[start:end]
        elif action == "insert":
            data[start:start] = draw(st.binary(max_size=200))
        elif action == "tag":
            data[start:start] = draw(st.sampled_from(
                [b"<div>", b"</div>", b"<p>", b"</article>", b"<script>", b"<!--", b"<![CDATA[",
                 b"<aside class=related>", b'"', b"<", b"&#x0;", b"\xff\xfe"]))  # fmt: skip
        else:
            del data[start:]
    return bytes(data)


@FUZZ
@given(mutated_pages())
def test_mutated_real_pages_never_break_extraction(page):
    _check(page)


@FUZZ
@given(st.integers(100, 20000))
def test_deep_nesting_is_bounded_in_time(depth):
    _check("<html><body>" + "<div>" * depth + "deep text " * 20 + "</div>" * depth)


@FUZZ
@given(st.text(max_size=300) | st.builds(lambda rest: "http://" + rest, st.text(max_size=300)))
def test_canonical_url_is_total_and_idempotent(text):
    try:
        url = canonical_url(text)
    except InvalidUrl:
        return
    assert canonical_url(url) == url
