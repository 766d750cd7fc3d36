"""Text-level cleanup of the extracted body: what DOM pruning cannot see, removed after
trafilatura has chosen the body.

Teasers flattened into the body's own ``<p>`` elements look like prose to any DOM rule; at
this stage they are recognised by what they say and how they are sequenced: a section label
("Related Articles"), another story's headline (a line that is the text of a link to
another page on this page), its byline with a date, and its blurb. Rules, in order:

1. lines without a letter or digit, bare timestamps, dateline leftovers ("· Updated"), and
   the article's own headline when it
   is repeated as the first line are removed;
2. "READ MORE: ..." pointers, calls to action (newsletter, app, comments, reprint notices)
   and bylines with dates are removed wherever they are;
3. a teaser card (a headline line that links elsewhere, then a byline or date, then a
   blurb) is removed as a unit; the blurb goes only when the card is proven by a byline or
   by sitting in a trailing teaser section, so a real paragraph after a lone link line stays;
4. a trailing section that starts at a rail label, or that consists only of teaser cards,
   is cut off; a label followed by real paragraphs only loses the label;
5. closing author bios are removed from the last few blocks.

No rule removes a block of more than a few sentences unless it is in a proven teaser unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from crawler.extraction.authors import without_label
from crawler.extraction.line_patterns import (
    BARE_BYLINE,
    BYLINE,
    INITIALS,
    LABEL,
    META_WORDS,
    POINTER,
    READ_ALSO,
    STAMP,
    TEMPLATE_LEAK,
    is_bio,
    is_call_to_action,
    is_paywall,
    is_symbols_only,
)
from crawler.extraction.links import HEADLINE_WORDS, normalise
from crawler.extraction.trafilatura_adapter import Block

# A headline is rarely longer than 25 words; a longer line is prose even if it is linked.
_HEADLINE_MAX_WORDS = 25
# A teaser blurb is one or two sentences, at most ~60 words (measured on the seed page and
# the fixture pages: 20-55 words); a longer paragraph is never taken as a blurb.
_BLURB_MAX_WORDS = 80
# A kicker (the topic line over a headline) is a few words: at most 60 characters.
_KICKER_CHARS = 60
# Bios sit in the last blocks of a body, after the final paragraph and its credits.
_BIO_WINDOW = 3
# A pull quote repeats a run of this many words of the paragraphs it is taken from.
_PULL_QUOTE_RUN = 6
# ... for at least this share of its runs (pull quotes on the tuning pages: 0.41-1.0;
# statements and tweets that the prose quotes a phrase of: 0.02).
_PULL_QUOTE_SHARE = 0.3
# Lines after a paywall notice that are this short are its promotion, not withheld prose.
_PROMO_CHARS = 60
# A bio that names the article's author is a sentence or two.
_BIO_AUTHOR_MAX_WORDS = 50
# Articles that open an organisation's name, never a person's.
_ARTICLES = frozenset({"the", "der", "die", "das", "la", "le", "les", "el", "los", "il"})
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)\s*$")
# "Les også: <headline>", "FUNDA OLUNYE UDABA LAPHA | <headline>": a short label, a
# separator, then the text of a link to another page. The label is a few words in any
# language; what proves the pointer is the linked headline after it.
_LABELLED = re.compile(r"^(?P<label>[^\W\d][^:|>»–—]{0,40}?)\s*[:|>»–—]\s*(?P<rest>\S.*)$")
_LABEL_MAX_WORDS = 5


@dataclass(frozen=True)
class Context:
    """What the cleanup knows about the page besides the blocks."""

    headlines: tuple[str, ...]  # normalised forms of the page's own headline
    authors: frozenset[str]  # normalised author names
    link_texts: dict[str, int]


@dataclass(frozen=True)
class Line:
    """A block with the facts every rule asks about, computed once."""

    block: Block
    norm: str
    words: int
    is_link: bool  # the whole line is a headline-sized link to another page
    is_byline: bool
    is_label: bool

    @property
    def text(self) -> str:
        return self.block.text


def _line(block: Block, context: Context) -> Line:
    text = block.text.strip()
    norm = normalise(text)
    words = len(text.split())
    norm_words = len(norm.split())
    is_link = (
        HEADLINE_WORDS <= norm_words <= _HEADLINE_MAX_WORDS and norm in context.link_texts
    ) or (
        2 * HEADLINE_WORDS <= norm_words <= 2 * _HEADLINE_MAX_WORDS
        and _is_doubled_link(norm, context)
    )
    is_byline = words <= 25 and (
        bool(BYLINE.match(text))
        or bool(BARE_BYLINE.match(text))
        or norm in context.authors
        or normalise(without_label(text)) in context.authors
    )
    return Line(block, norm, words, is_link, is_byline, bool(LABEL.match(text)))


def is_labelled_link(text: str, context: Context) -> bool:
    """A pointer to another story: a label of a few words, a separator, and a headline-sized
    text that is a link to another page ("Les også: <headline>")."""
    match = _LABELLED.match(text)
    if not match or len(match["label"].split()) > _LABEL_MAX_WORDS:
        return False
    if match["rest"].startswith(("http", "www.")):
        return False  # a web address written out is a citation, not another story's headline
    rest = normalise(match["rest"])
    return HEADLINE_WORDS <= len(rest.split()) <= _HEADLINE_MAX_WORDS and rest in context.link_texts


def _is_doubled_link(norm: str, context: Context) -> bool:
    """A card whose heading and link hold the same headline, flattened into one line."""
    words = norm.split()
    half = len(words) // 2
    return (
        len(words) % 2 == 0
        and words[:half] == words[half:]
        and " ".join(words[:half]) in (context.link_texts)
    )


def _is_headline_repeat(line: Line, context: Context) -> bool:
    """The page's headline, possibly cut, or led by its kicker ("Umbau des Weissen Hauses
    Trump plant ...": a few words of topic over the headline, run into one line)."""
    a = line.norm
    for b in context.headlines:
        if a == b or (
            len(a) > 20 and (a.startswith(b) or b.startswith(a)) and len(a) < 1.3 * len(b)
        ):
            return True
        if len(b) > 20 and a.endswith(" " + b) and len(a) - len(b) <= _KICKER_CHARS:
            return True
    return False


def _is_teaser_headline(line: Line) -> bool:
    return line.is_link or (
        # A headline-shaped line (short, no closing punctuation) in a teaser section.
        line.words <= _HEADLINE_MAX_WORDS
        and not line.text.rstrip().endswith((".", ":", ";", ","))
        and line.block.kind in ("p", "head", "item")
    )


def _drop_line_junk(lines: list[Line], context: Context) -> list[Line]:
    kept = []
    for index, line in enumerate(lines):
        text = line.text
        if is_symbols_only(text) or STAMP.match(text) or META_WORDS.match(text):
            continue
        if TEMPLATE_LEAK.match(text) or INITIALS.match(text) or READ_ALSO.match(text):
            continue
        if index < 3 and _is_headline_repeat(line, context):
            continue
        if POINTER.match(text) and line.words <= _HEADLINE_MAX_WORDS + 3:
            continue
        if line.words <= _HEADLINE_MAX_WORDS + _LABEL_MAX_WORDS and is_labelled_link(text, context):
            continue
        if is_call_to_action(text) or is_paywall(text):
            continue
        kept.append(line)
    return kept


def _cut_at_paywall(lines: list[Line]) -> list[Line]:
    """The lines before a paywall notice when only short promotional lines follow it (what
    the subscription brings, "related keywords"): the article stops at the wall."""
    for index, line in enumerate(lines):
        if index and is_paywall(line.text):
            if all(len(after.text) <= _PROMO_CHARS for after in lines[index + 1 :]):
                return lines[:index]
            break
    return lines


def _teaser_card_end(lines: list[Line], start: int, trailing: bool) -> int:
    """If a teaser card starts at ``start``, the index after it; else ``start``."""
    first = lines[start]
    if not first.is_link and not (trailing and _is_teaser_headline(first)):
        return start
    index = start + 1
    # The same headline shown twice (as a heading and as a link) is one card.
    while index < len(lines) and lines[index].norm == first.norm:
        index += 1
    proven = trailing
    if index < len(lines) and lines[index].is_byline:
        index += 1
        proven = True
    if proven and index < len(lines):
        candidate = lines[index]
        if (
            candidate.words <= _BLURB_MAX_WORDS and not candidate.is_link and not candidate.is_label
        ) or _ELLIPSIS.search(candidate.text):
            index += 1
    return index


def _only_teasers(lines: list[Line], start: int) -> bool:
    """Whether lines[start:] parse as labels, bylines and teaser cards only."""
    index, cards = start, 0
    while index < len(lines):
        if lines[index].is_label or lines[index].is_byline:
            index += 1
            continue
        end = _teaser_card_end(lines, index, trailing=True)
        if end == index:
            return False
        cards += 1
        index = end
    return cards > 0


def _drop_teasers(lines: list[Line]) -> list[Line]:
    kept: list[Line] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.is_label:
            if _only_teasers(lines, index + 1):
                break
            index += 1
            continue
        # An unlabeled trailing run of cards, started by a line that links elsewhere.
        if index > 0 and line.is_link and _only_teasers(lines, index):
            break
        end = _teaser_card_end(lines, index, trailing=False)
        if end > index:
            index = end
            continue
        if not line.is_byline:
            kept.append(line)
        index += 1
    return kept


def _is_authors_bio(line: Line, context: Context) -> bool:
    """A short closing line that starts with the name of the article's own author ("Manuela
    Conrad ist ZDF-Reporterin für ..."): a bio in any language, since a story does not end
    on a sentence about its writer."""
    return line.words <= _BIO_AUTHOR_MAX_WORDS and any(
        line.norm.startswith(author + " ") for author in context.authors if _is_personal(author)
    )


def _is_personal(author: str) -> bool:
    """A person's name (two to four words), not an organisation's ("The Associated Press",
    whose closing credit line is part of the story)."""
    words = author.split()
    return 2 <= len(words) <= 4 and words[0] not in _ARTICLES


def _drop_pull_quotes(lines: list[Line]) -> list[Line]:
    """Remove pull quotes: block quotes whose words the body's own paragraphs repeat (runs
    of six words, for a good part of the quote), set large beside the text they are taken
    from. A quoted tweet, statement or document says more than the phrase of it that the
    paragraphs may quote."""
    if not any(line.block.kind == "quote" for line in lines):
        return lines
    prose = " " + " ".join(line.norm for line in lines if line.block.kind != "quote") + " "

    def repeats(line: Line) -> bool:
        words = line.norm.split()
        runs = [
            " ".join(words[i : i + _PULL_QUOTE_RUN])
            for i in range(len(words) - _PULL_QUOTE_RUN + 1)
        ]
        repeated = sum(1 for run in runs if f" {run} " in prose)
        return bool(runs) and repeated >= _PULL_QUOTE_SHARE * len(runs)

    return [line for line in lines if line.block.kind != "quote" or not repeats(line)]


def _drop_closing_bios(lines: list[Line], context: Context) -> list[Line]:
    """Remove author bios among the last blocks."""
    start = max(len(lines) - _BIO_WINDOW, 1)
    return lines[:start] + [
        line for line in lines[start:] if not (is_bio(line.text) or _is_authors_bio(line, context))
    ]


def clean_blocks(
    blocks: list[Block], headlines: list[str], authors: list[str], link_texts: dict[str, int]
) -> list[Block]:
    """The body blocks without teasers, calls to action, bylines and the repeated headline.
    ``headlines`` are the page's own headline in its variants (title, ``<h1>``, og:title)."""
    context = Context(
        headlines=tuple({normalise(h) for h in headlines if h and normalise(h)}),
        authors=frozenset(normalise(a) for a in authors),
        link_texts=link_texts,
    )
    lines = [_line(block, context) for block in blocks]
    lines = _drop_line_junk(_cut_at_paywall(lines), context)
    lines = _drop_pull_quotes(_drop_teasers(lines))
    return [line.block for line in _drop_closing_bios(lines, context)]
