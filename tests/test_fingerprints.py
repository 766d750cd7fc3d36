"""Body fingerprints: the exact one, and the near one that finds a print copy of an article."""

from __future__ import annotations

from crawler.fingerprints import (
    MARKS,
    SAME_ARTICLE,
    body_marks,
    containment,
    shingles,
    text_hash,
)

ARTICLE = "\n\n".join(
    f"Paragraph {i}: the council met on Tuesday to discuss the harbour works near pier {i}, "
    f"and residents asked about noise, traffic and the cost of the {i}th phase."
    for i in range(12)
)


def test_text_hash_ignores_whitespace_and_case():
    assert text_hash("A  b\n\nc ") == text_hash("a b c")
    assert text_hash("a b c") != text_hash("a b d")
    assert len(text_hash("x")) == 32


def test_a_print_copy_with_a_dateline_and_a_footer_is_the_same_article():
    print_copy = "01.09.2026, 07:30 - Anna Berg\n\n" + ARTICLE + "\n\nPrinted from https://x/1"
    assert containment(ARTICLE, print_copy) >= SAME_ARTICLE
    assert len(set(body_marks(ARTICLE)) & set(body_marks(print_copy))) >= 10


def test_distinct_articles_are_not_even_when_written_from_one_template():
    """Two stories of one publisher share phrasing (the city, the council, "on Tuesday")."""
    other = "\n\n".join(
        f"Paragraph {i}: the council met on Tuesday to vote on the school budget for year {i}, "
        f"and teachers asked about class sizes, heating and the cost of new books."
        for i in range(12)
    )
    assert containment(ARTICLE, other) < SAME_ARTICLE


def test_marks_are_the_smallest_shingle_hashes_and_punctuation_does_not_matter():
    marks = body_marks(ARTICLE)
    assert len(marks) == MARKS and marks == sorted(shingles(ARTICLE))[:MARKS]
    assert body_marks(ARTICLE.replace(",", "").upper()) == marks
    assert body_marks("") == [] and containment("", ARTICLE) == 0.0
    assert len(shingles("three words only")) == 1
