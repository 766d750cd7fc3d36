"""Link texts, normalised for comparison."""

from __future__ import annotations

from crawler.extraction.links import normalise


def test_normalise_joins_words_split_by_invisible_characters():
    assert normalise("Trump plant Helikopter\xadlandeplatz") == "trump plant helikopterlandeplatz"
    assert normalise("zero\u200bwidth, and \ufeffBOM!") == "zerowidth and bom"
