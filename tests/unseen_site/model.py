"""The unseen site's content model: articles, teasers and pages, built deterministically.

`build_articles(spec)` turns a `PublisherSpec` (beats, towns, reporters, time zone, how
many short and multi-part articles) into sixty `Article`s with `prose.write_story` and a
`random.Random` seeded from the publisher's key: sections, dates with the publisher's UTC
offset (summer time ends in late October or early November), authors (some co-authored,
one organisation byline), ids, related and most-read picks, comments and part breaks. The
`Article` knows its body blocks and the text a perfect extractor stores; where its pages
live is the publisher's business (`base.Publisher`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import random
import re
import unicodedata
from collections.abc import Callable

from .beats import COMMENTS
from .prose import Beat, write_story

ARTICLES_PER_PUBLISHER = 60
FIRST_DAY = dt.date(2026, 9, 1)
LAST_DAY = dt.date(2026, 11, 27)


@dataclasses.dataclass(frozen=True)
class Block:
    """One block of an article body: p (paragraph), h (sub-heading), li (list item), row
    (a table row, cells joined by " | ")."""

    kind: str
    text: str

    @property
    def cells(self) -> list[str]:
        """A table row's cells."""
        return self.text.split(" | ")


@dataclasses.dataclass(frozen=True)
class Article:
    """One article: what an editor wrote and which other stories its page teases."""

    publisher: str
    number: int  # 0 is the oldest
    ident: int  # the id the publisher's URLs use
    section: str
    slug: str
    title: str
    description: str
    authors: tuple[str, ...]
    published: dt.datetime
    modified: dt.datetime | None
    tags: tuple[str, ...]
    blocks: tuple[Block, ...]
    captions: tuple[str, ...]
    images_at: tuple[int, ...]
    size: str  # "short" or "long"
    comments: tuple[tuple[str, str], ...]
    part_starts: tuple[int, ...] = (0,)  # block index where each part begins
    related: tuple[int, ...] = ()  # numbers of same-section stories teased
    most_read: tuple[int, ...] = ()  # numbers of site-wide stories teased

    @property
    def text(self) -> str:
        """The body a perfect extractor stores: every block, joined by a blank line."""
        return "\n\n".join(block.text for block in self.blocks)

    @property
    def parts(self) -> list[tuple[Block, ...]]:
        """The body split into its pages (one part for most articles)."""
        bounds = [*self.part_starts, len(self.blocks)]
        return [self.blocks[a:b] for a, b in itertools.pairwise(bounds)]

    @property
    def last_change(self) -> dt.datetime:
        """When the article last changed."""
        return self.modified or self.published


@dataclasses.dataclass(frozen=True)
class Teaser:
    """Another story as a page shows it: headline, where it links, and a blurb."""

    headline: str
    href: str
    blurb: str


@dataclasses.dataclass(frozen=True)
class Page:
    """An HTTP response as a publisher would send it.

    `last_modified` marks a page that answers conditional requests (feeds and sitemaps):
    the server adds ETag and Last-Modified and answers 304 when they match.
    """

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()
    last_modified: dt.datetime | None = None


@dataclasses.dataclass(frozen=True)
class PublisherSpec:
    """What `build_articles` needs to know about a publisher."""

    key: str
    beats: tuple[Beat, ...]
    places: tuple[str, ...]
    money: str  # format string for "{} million" amounts
    authors: tuple[tuple[str, tuple[str, ...]], ...]  # name, sections
    utc_offset: Callable[[dt.date], dt.timedelta]
    ids: Callable[[random.Random], list[int]]
    short_articles: int = 0
    multipart_articles: int = 0
    ascii_quotes: bool = False


def slugify(text: str) -> str:
    """Lower-case ASCII slug: "Szabó's café" -> "szabos-cafe"."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = text.lower().replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def summer_time(standard: int, summer: int, ends: dt.date) -> Callable[[dt.date], dt.timedelta]:
    """A UTC offset rule: `summer` hours before `ends`, `standard` hours from then on."""

    def offset(day: dt.date) -> dt.timedelta:
        return dt.timedelta(hours=summer if day < ends else standard)

    return offset


def fixed_offset(hours: float) -> Callable[[dt.date], dt.timedelta]:
    """A UTC offset rule with no summer time."""
    return lambda day: dt.timedelta(hours=hours)


def _seed(key: str) -> int:
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big")


def _ascii(text: str) -> str:
    return text.replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")


def _dates(rng: random.Random, spec: PublisherSpec) -> list[dt.datetime]:
    span = (LAST_DAY - FIRST_DAY).days
    days = sorted(rng.choice(range(span + 1)) for _ in range(ARTICLES_PER_PUBLISHER))
    out = []
    for offset in days:
        day = FIRST_DAY + dt.timedelta(days=offset)
        tz = dt.timezone(spec.utc_offset(day))
        out.append(dt.datetime(day.year, day.month, day.day, 6, 0, tzinfo=tz))
    # Times of day: spread between 06:00 and 22:59, strictly increasing within a day.
    result: list[dt.datetime] = []
    for when in out:
        minutes = rng.randint(0, 16 * 60 + 59)
        candidate = when + dt.timedelta(minutes=minutes)
        if result and candidate <= result[-1]:
            candidate = result[-1] + dt.timedelta(minutes=rng.randint(7, 55))
        result.append(candidate)
    return result


def _authors(rng: random.Random, spec: PublisherSpec, section: str, index: int) -> tuple:
    people = [name for name, beats in spec.authors if section in beats and " " in name]
    people = [n for n in people if not n.endswith(("Staff", "Newsroom", "Desk"))]
    organisation = next(n for n, _ in spec.authors if n.endswith(("Staff", "Newsroom", "Desk")))
    if index % 20 == 7:
        return (organisation,)
    pool = [n for n, _ in spec.authors if n != organisation]
    if rng.random() < 0.18:
        first = rng.choice(people or pool)
        second = rng.choice([n for n in pool if n != first])
        return (first, second)
    return (rng.choice(people or pool),)


def _part_starts(rng: random.Random, blocks: tuple[Block, ...]) -> tuple[int, ...]:
    """Two or three parts, each break before a paragraph or sub-heading, none too short."""
    count = rng.choice((2, 2, 3))
    candidates = [
        i
        for i in range(3, len(blocks) - 2)
        if blocks[i].kind in ("p", "h") and blocks[i - 1].kind in ("p", "h")
    ]
    step = len(blocks) / count
    starts = [0]
    for k in range(1, count):
        target = round(k * step)
        best = min(candidates, key=lambda i: (abs(i - target), i))
        if best - starts[-1] >= 2:
            starts.append(best)
    return tuple(starts)


def build_articles(spec: PublisherSpec, seen: set[str] | None = None) -> tuple[Article, ...]:
    """The publisher's sixty articles, oldest first; the same on every run."""
    rng = random.Random(_seed(spec.key))
    seen = set() if seen is None else seen
    count = ARTICLES_PER_PUBLISHER
    sections = [beat.name for beat in spec.beats] * (count // len(spec.beats))
    rng.shuffle(sections)
    beats = {beat.name: beat for beat in spec.beats}
    dates = _dates(rng, spec)
    ids = spec.ids(rng)
    short = set(rng.sample(range(count), spec.short_articles))
    multipart = set(rng.sample(sorted(set(range(count)) - short), spec.multipart_articles))
    articles: list[Article] = []
    slugs: set[str] = set()
    for index in range(count):
        section = sections[index]
        size = "short" if index in short else "long"
        for _ in range(50):
            draft = write_story(rng, beats[section], spec.places, spec.money, size=size, seen=seen)
            length = sum(len(text) for _, text in draft.blocks) + 2 * (len(draft.blocks) - 1)
            if size == "short" and not 1200 <= length <= 1600:
                continue
            if index in multipart and len(draft.blocks) < 9:
                continue
            slug = slugify(draft.title)[:70].rstrip("-")
            if slug not in slugs:
                break
        else:
            raise RuntimeError(f"{spec.key}: no {size} story fits article {index}")
        slugs.add(slug)
        fix = _ascii if spec.ascii_quotes else (lambda text: text)
        blocks = tuple(Block(kind, fix(text)) for kind, text in draft.blocks)
        published = dates[index]
        modified = None
        if rng.random() < 0.3:
            modified = published + dt.timedelta(minutes=rng.randint(40, 60 * 30))
            modified = modified.astimezone(
                dt.timezone(spec.utc_offset(modified.astimezone(dt.UTC).date()))
            )
        comments = ()
        if rng.random() < 0.35:
            comments = tuple(rng.sample(COMMENTS, rng.randint(2, 5)))
        articles.append(
            Article(
                publisher=spec.key,
                number=index,
                ident=ids[index],
                section=section,
                slug=slug,
                title=fix(draft.title),
                description=fix(draft.description),
                authors=_authors(rng, spec, section, index),
                published=published,
                modified=modified,
                tags=draft.tags,
                blocks=blocks,
                captions=tuple(fix(c) for c in draft.captions),
                images_at=draft.images_at,
                size=size,
                comments=comments,
                part_starts=_part_starts(rng, blocks) if index in multipart else (0,),
            )
        )
    return tuple(_with_teasers(rng, articles))


def _with_teasers(rng: random.Random, articles: list[Article]) -> list[Article]:
    """Pick, for each article, three stories of its section near it in time and five
    site-wide "most read" stories."""
    out = []
    for article in articles:
        same = [a for a in articles if a.section == article.section and a is not article]
        same.sort(key=lambda a: (abs(a.number - article.number), a.number))
        others = [a.number for a in articles if a is not article]
        out.append(
            dataclasses.replace(
                article,
                related=tuple(a.number for a in same[:3]),
                most_read=tuple(rng.sample(others, 5)),
            )
        )
    return out
