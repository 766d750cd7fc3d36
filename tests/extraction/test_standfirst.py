"""The standfirst shown under the headline."""

from __future__ import annotations

from crawler.extraction.parsing import parse_html
from crawler.extraction.standfirst import find_standfirst

DESCRIPTION = "Trusts will have to show how long patients wait at every hour of the day"


def test_visible_description_after_the_headline_is_the_standfirst():
    root = parse_html(f"<h1>Headline</h1><div class='x'><p>{DESCRIPTION}</p></div><p>Body</p>")
    assert find_standfirst(root, DESCRIPTION) == DESCRIPTION


def test_description_only_in_a_teaser_link_or_before_the_headline_is_not():
    assert (
        find_standfirst(parse_html(f"<h1>H</h1><a href='/x'>{DESCRIPTION}</a>"), DESCRIPTION)
        is None
    )
    assert find_standfirst(parse_html(f"<p>{DESCRIPTION}</p><h1>H</h1>"), DESCRIPTION) is None
    assert find_standfirst(parse_html("<h1>H</h1><p>Short one</p>"), "Short one") is None
