"""Body fingerprints: when two pages of a site carry the same article.

Two kinds, both of the normalised body (lower case, words only, so that whitespace, case,
punctuation and markup do not matter):

- ``text_hash``: the exact fingerprint. Equal hashes are the same body; storage keeps one
  row per exact body and site with a unique index.
- ``body_marks`` and ``containment``: the near one. A print copy, an AMP page, a lean
  ``/a/<id>`` template or a mobile page often carry the same article with a line more or
  less (a dateline, "Printed from <url>", a list the other template dropped). The body is
  cut into overlapping runs of ``SHINGLE_WORDS`` words; the ``MARKS`` smallest hashes of
  them are its marks (a bottom-k sketch, indexed in the database to find candidates), and
  two bodies are one article when at least ``SAME_ARTICLE`` of the smaller one's shingles
  are in the other.

The numbers are set from what separates variants from distinct articles (docs/crawling.md):
on tests/unseen_site, whose stories are written from shared sentence templates, the 111
print and ``/a/<id>`` copies share at least 96 % of their shingles with their article (and
10 of 16 marks), distinct stories of one publisher at most 44 % (and 9 marks); on the
real pages of fundus-news-80, distinct stories of one publisher share at most 12 % (1
mark).
"""

from __future__ import annotations

import hashlib
import re

# Five-word runs: long enough that distinct stories rarely share one by chance, short
# enough that a changed word spoils few of them.
SHINGLE_WORDS = 5
# How many of a body's smallest shingle hashes are kept as its marks.
MARKS = 16
# Candidates share at least this many marks with the new body before their text is compared.
MIN_SHARED_MARKS = 4
# Share of the shorter body's shingles found in the other: one article at or above.
SAME_ARTICLE = 0.8

_WORD = re.compile(r"\w+")


def normalized_words(text: str) -> list[str]:
    """The body's words, lower case, punctuation and whitespace gone."""
    return _WORD.findall(text.lower())


def text_hash(text: str) -> str:
    """Exact fingerprint of a body, insensitive to whitespace and case."""
    normalized = " ".join(text.split()).lower()
    return hashlib.blake2b(normalized.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def shingles(text: str) -> set[int]:
    """Signed 64-bit hashes of the body's runs of ``SHINGLE_WORDS`` words (all of it, when
    shorter)."""
    words = normalized_words(text)
    runs = [words[i : i + SHINGLE_WORDS] for i in range(max(1, len(words) - SHINGLE_WORDS + 1))]
    return {
        int.from_bytes(
            hashlib.blake2b(" ".join(run).encode("utf-8", "surrogatepass"), digest_size=8).digest(),
            "big",
            signed=True,
        )
        for run in runs
        if run
    }


def body_marks(text: str) -> list[int]:
    """The body's marks: its ``MARKS`` smallest shingle hashes."""
    return sorted(shingles(text))[:MARKS]


def containment(a: str, b: str) -> float:
    """Share of the smaller body's shingles that the other one has too (0 to 1)."""
    first, second = shingles(a), shingles(b)
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))
