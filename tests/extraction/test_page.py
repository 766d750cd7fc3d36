"""The public contract of crawler.extraction: signatures, purity and robustness."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.extraction import Hints, Overrides, PageAnalysis, analyse_page, extract
from crawler.items import Article

ARTICLE = """<html lang="en"><head><title>Bridge reopens after repairs | Town Post</title>
<meta property="og:type" content="article"><meta property="og:site_name" content="Town Post">
<link rel="canonical" href="/2026/01/05/bridge-reopens-after-repairs/"></head><body>
<article><h1>Bridge reopens after repairs</h1>
<p>The old river bridge reopened to traffic on Monday after eleven months of repairs that cost
the county more than four million dollars, officials said at a short ceremony.</p>
<p>Engineers replaced the deck and two of the supports, which had been weakened by decades of
road salt. The bridge now carries a weight limit twice as high as before the repairs.</p>
<p>Drivers had faced a detour of nine miles while the bridge was closed, and businesses on
the east bank said their takings fell by a third during the works.</p>
<p>The county said a second bridge downstream would be inspected next year, and that it had
set aside money for similar repairs if they are needed.</p>
<div class="newsletter"><p>Sign up for the Town Post morning briefing.</p></div>
</article></body></html>"""
URL = "https://townpost.example/2026/01/05/bridge-reopens-after-repairs/?utm_source=x"


def test_analyse_page_fills_the_contract():
    analysis = analyse_page(ARTICLE, URL)
    assert isinstance(analysis, PageAnalysis)
    assert analysis.is_article
    assert (
        analysis.canonical_url
        == "https://townpost.example/2026/01/05/bridge-reopens-after-repairs/"
    )
    article = analysis.article
    assert isinstance(article, Article)
    assert article.url == URL
    assert article.title == "Bridge reopens after repairs"
    assert article.published == "2026-01-05T00:00:00+00:00"
    assert article.language == "en"
    assert article.text.startswith("The old river bridge reopened")
    assert "\n\n" in article.text
    assert "Sign up" not in article.text
    assert any(reason.startswith("body=") for reason in analysis.reasons)


def test_extract_is_analyse_page_article():
    assert extract(ARTICLE, URL) == analyse_page(ARTICLE, URL).article


def test_overrides_drop_and_body_selector():
    html = ARTICLE.replace(
        "<article>", '<article><div class="kicker-box"><p>' + "Kicker " * 30 + "</p></div>"
    )
    dropped = extract(html, URL, overrides=Overrides(drop_selectors=(".kicker-box",)))
    assert "Kicker" not in dropped.text
    only = extract(ARTICLE, URL, overrides=Overrides(body_selector="article"))
    assert only.text.startswith("The old river bridge")
    # A broken or stale selector is ignored, never fatal.
    assert extract(
        ARTICLE, URL, overrides=Overrides(drop_selectors=("[[[",), body_selector="#gone")
    ).text


def test_hints_fill_gaps():
    html = ARTICLE.replace("<title>Bridge reopens after repairs | Town Post</title>", "")
    html = html.replace("<h1>Bridge reopens after repairs</h1>", "")
    article = extract(html, "https://townpost.example/bridge", hints=Hints("2026-01-05", "Bridge"))
    assert article.title == "Bridge"
    assert article.published == "2026-01-05T00:00:00+00:00"


@pytest.mark.parametrize(
    "html",
    [
        b"",
        "",
        b"\x00\x01\x02",
        b"\xff\xfe\x00<\x00",
        "<html>",
        "<?xml version='1.0' encoding='utf-8'?><html><body><p>x</p></body></html>",
        "<div>" * 5000 + "deep" + "</div>" * 5000,
        "<p>" + "word " * 400_000 + "</p>",
        "<html><head><script type='application/ld+json'>[[[[[[[[</script></head></html>",
        "<html><head><script type='application/ld+json'>" + "[" * 5000 + "]" * 5000 + "</script>",
        "<html><head><meta charset='no-such-charset'></head><body>é</body></html>",
        b"<html><head><meta charset='no-such-charset'></head><body>\xe9</body></html>",
    ],
)
def test_hostile_input_never_raises(html):
    analysis = analyse_page(html, "https://example.org/x")
    assert isinstance(analysis.article, Article)
    assert analysis.article.url == "https://example.org/x"


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise(data):
    analysis = analyse_page(data, "https://example.org/")
    assert not analysis.is_article


def test_importing_extraction_does_not_import_scrapy():
    code = "import sys, crawler.extraction; print('scrapy' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_pruning_that_empties_the_page_falls_back_to_the_untouched_page():
    assert extract(ARTICLE, URL, overrides=Overrides(drop_selectors=("article",))).text.startswith(
        "The old river bridge"
    )


def test_the_standfirst_goes_to_description_and_text_starts_with_the_body():
    standfirst = (
        "Engineers replaced the deck and supports, and the county paid four million dollars"
    )
    html = ARTICLE.replace(
        "<h1>Bridge reopens after repairs</h1>",
        f'<header><h1>Bridge reopens after repairs</h1><div class="dek"><p>{standfirst}</p></div></header>'
        '<div class="story">',
    ).replace("</article>", "</div></article>")
    article = extract(html, URL)
    assert article.description == standfirst
    assert article.text.startswith("The old river bridge reopened")
    assert standfirst not in article.text
