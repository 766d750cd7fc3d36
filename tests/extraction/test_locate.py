"""Finding blocks of extracted text on the page."""

from __future__ import annotations

from crawler.extraction.locate import Locator, common_ancestor, elements_of
from crawler.extraction.parsing import parse_html

PAGE = """<html><body><header><p class="dek">Engineers replaced the deck and the supports</p></header>
<div class="story"><p>The old river bridge reopened
   to traffic on Monday.</p><p>Engineers replaced the deck and two of the supports.</p></div>
<p>Advertisement</p></body></html>"""


def test_each_block_takes_the_next_element_whose_text_opens_it():
    root = parse_html(PAGE)
    dek, first, second, short = elements_of(
        root,
        [
            "Engineers replaced the deck and the supports",
            "The old river bridge reopened to traffic on Monday.",
            "Engineers replaced the deck and two of the supports.",
            "Advert",
        ],
    )
    assert dek.get("class") == "dek"
    assert first.text.startswith("The old river bridge")  # whitespace in the page aside
    assert second.text.startswith("Engineers replaced the deck and two")
    assert short is None  # too short an opening to be found for sure


def test_a_locator_remembers_and_narrows():
    root = parse_html(PAGE)
    locator = Locator(root)
    (dek,) = locator.find(["Engineers replaced the deck and the supports"])
    story = root.find(".//div")
    locator.narrow(story)
    # a block with the same opening as one already found takes another element
    (second,) = locator.find(["Engineers replaced the deck and two of the supports."])
    assert second is not dek and second.getparent() is story
    assert common_ancestor([dek, second]).tag == "body"
    assert common_ancestor([second, story.find("p")]) is story
    assert common_ancestor([]) is None
