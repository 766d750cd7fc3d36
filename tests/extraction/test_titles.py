"""Headlines: entities decoded, the site's name taken off only when it is the site's name."""

from __future__ import annotations

import pytest

from crawler.extraction.titles import decode, host_names, pick_title, strip_site_name


def test_entities_are_decoded_even_when_escaped_twice():
    assert decode("Mexico to fight &#8216;illogical&#8217; tariffs") == (
        "Mexico to fight ‘illogical’ tariffs"
    )
    assert decode("&amp;quot;Nicht mehr viel&amp;quot;") == '"Nicht mehr viel"'
    assert decode("Helikopter\xadlandeplatz  im\u200b Garten") == "Helikopterlandeplatz im Garten"


@pytest.mark.parametrize(
    ("title", "names", "url", "expected"),
    [
        ("Bridge reopens | Town Post", ["Town Post"], "", "Bridge reopens"),
        ("Valley Courier - Bridge reopens today", ["Valley Courier"], "", "Bridge reopens today"),
        # the host's name, with no declaration at all
        (
            "Trump spricht über Bodeneinsätze - ntv.de",
            [],
            "https://www.n-tv.de/a",
            "Trump spricht über Bodeneinsätze",
        ),
        (
            "Einsatz - Die Neue Südtiroler Tageszeitung",
            [],
            "https://www.tageszeitung.it/a",
            "Einsatz",
        ),
        ("津波注意報：朝日新聞デジタル", ["朝日新聞デジタル"], "", "津波注意報"),
        ("Zwei Rücktritte | tagesschau.de", [], "https://www.tagesschau.de/a", "Zwei Rücktritte"),
        (
            "Räumt Versäumnisse ein - DER SPIEGEL",
            [],
            "https://www.spiegel.de/a",
            "Räumt Versäumnisse ein",
        ),
        (
            "Six charts on Evergrande - Business Insider",
            [],
            "https://www.businessinsider.de/a",
            "Six charts on Evergrande",
        ),
        # affixes that are not the site's name are part of the headline
        (
            "Zwei Rücktritte - und viele offene Fragen",
            ["tagesschau.de"],
            "https://www.tagesschau.de/a",
            None,
        ),
        (
            "Fikk overraskelse på fødestua: – Helt absurd",
            ["Nettavisen"],
            "https://www.nettavisen.no/a",
            None,
        ),
        (
            "Die Welt verändert sich - Klimawandel in der ganzen Welt",
            [],
            "https://www.welt.de/a",
            None,
        ),
        ("Is it over - or not?", [], "", None),
    ],
)
def test_site_name_affixes(title, names, url, expected):
    assert strip_site_name(title, names, url) == (expected or title)


def test_host_names():
    assert host_names("https://www.tagesschau.de/inland/x") == ["tagesschau.de", "tagesschau"]
    assert "bbc" in host_names("https://www.bbc.co.uk/news/x")


def test_candidates_in_order_and_the_typeset_form_of_the_same_words():
    picked = pick_title(
        ["Town Post", "Mexico to fight 'illogical' tariffs", "SEO"],
        ["Town Post"],
        "https://townpost.example/a",
        shown="Mexico to fight ‘illogical’ tariffs",
    )
    assert picked[0] == "Mexico to fight ‘illogical’ tariffs"
    assert picked[1:] == ["Mexico to fight 'illogical' tariffs", "SEO"]
    assert pick_title([None, "  ", "A headline"], [], "") == ["A headline"]
