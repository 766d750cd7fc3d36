"""The Daily Almanac: HTML5 and schema.org microdata, an archive and listings without end.

Stories live at `/<section>/<slug>`; twelve of them are split over parts (`?page=2`,
`?page=3`, each part self-canonical, with rel=prev/next) and can be read whole at
`?page=all` (canonical to the story). Section pages `/<section>/` paginate with `?page=N`
for ever (past the last page they repeat its stories) and link every sort, order and filter
combination (`?sort=`, `&order=`, `&filter=`, canonical to the section). The calendar
archive `/archive/YYYY/MM/DD/` has a page for every date, each linking the day before, the
day after and the same day a year earlier. Story topics link `/search/?q=<topic>`, whose
results link a next page for ever and "related searches" that add words to the query.
Teaser cards are `<article>` elements too, on listings and around the story.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from urllib.parse import quote_plus, urlencode

from .base import Chunk, Publisher, Trap, render_blocks
from .beats import ALMANAC_AUTHORS, ALMANAC_BEATS, ALMANAC_PLACES
from .markup import ATOM_TYPE, XML_TYPE, a, atom, redirect, t, urlset, xml_page
from .model import LAST_DAY, Article, Page, PublisherSpec, slugify, summer_time

PAGE_SIZE = 8
TODAY = LAST_DAY + dt.timedelta(days=1)
SORTS = ("newest", "oldest", "popular", "az")
ORDERS = ("desc", "asc")
FILTERS = ("all", "week", "month", "year")
NEWSLETTER = (
    "The Almanac Morning: one email, five stories, and the weather for the day ahead."
    " Sign up free and get it before breakfast."
)
SPEC = PublisherSpec(
    key="almanac",
    beats=ALMANAC_BEATS,
    places=ALMANAC_PLACES,
    money="£{}m",
    authors=ALMANAC_AUTHORS,
    utc_offset=summer_time(0, 1, dt.date(2026, 10, 25)),
    ids=lambda rng: sorted(rng.sample(range(10000, 99999), 60)),
    multipart_articles=12,
)
SECTION_NAMES = {"city": "City", "science": "Science", "health": "Health", "transport": "Transport"}


def _above(n: int) -> str:
    """A regex for integers greater than n (0 <= n <= 8)."""
    return rf"(?:[{n + 1}-9]|[1-9]\d+)"


def _human(when: dt.datetime) -> str:
    zone = "GMT" if when.utcoffset() == dt.timedelta(0) else "BST"
    return f"{when:%A} {when.day} {when:%B %Y}, {when:%H.%M} {zone}"


class Almanac(Publisher):
    """The calendar, facets, search and multi-part publisher."""

    spec = SPEC
    name = "The Daily Almanac"
    template = "html5-microdata"
    ROBOTS_DISALLOWED = ("/account/",)
    VARIANTS = (
        Trap("all-parts", r"[?&]page=all(?:&|$)", "A multi-part story on one page."),
        Trap("first-part", r"^/[a-z]+/[a-z0-9-]+\?(?:.*&)?page=1(?:&|$)", "?page=1 of a story."),
    )

    @property
    def TRAPS(self) -> tuple[Trap, ...]:  # a property here: the patterns need the sections
        sections = "|".join(self.sections)
        last = max(self._pages(s) for s in self.sections)
        return (
            Trap("calendar", r"^/archive/", "Day pages of the calendar archive, with no end."),
            Trap(
                "facets",
                rf"^/(?:{sections})/\?(?:.*&)?(?:sort|order|filter)=",
                "Sorted and filtered section listings.",
            ),
            Trap("search", r"^/search/", "Search results, their next pages and related searches."),
            Trap(
                "endless-pagination",
                rf"^/(?:{sections})/\?(?:.*&)?page={_above(last)}(?:&|$)",
                "Section pages past the last one, repeating its stories.",
            ),
        )

    # ------------------------------------------------------------------ addresses
    def article_path(self, article: Article) -> str:
        return f"/{article.section}/{article.slug}"

    def part_paths(self, article: Article) -> list[str]:
        path = self.article_path(article)
        return [path] + [f"{path}?page={n}" for n in range(2, len(article.parts) + 1)]

    def variant_paths(self, article: Article) -> list[str]:
        path = self.article_path(article)
        return [f"{path}?page=all", f"{path}?page=1"] if len(article.parts) > 1 else []

    def article_pattern(self, article: Article) -> str:
        return rf"^/{article.section}/{re.escape(article.slug)}(?:\?.*)?$"

    def _people_path(self, name: str) -> str:
        return f"/people/{slugify(name)}/"

    def _pages(self, section: str) -> int:
        return -(-len(self.latest(section=section)) // PAGE_SIZE)

    def _popularity(self, article: Article) -> str:
        return hashlib.sha1(f"{article.ident}".encode()).hexdigest()

    # -------------------------------------------------------------------- routes
    def route(self, path: str, query: dict[str, str], view: int) -> Page | None:
        if path == "/":
            return self.html(self.render_home())
        if path == "/about/":
            return self.html(
                self._doc(
                    "About us",
                    '<main id="content"><h1>About the Almanac</h1><p>The Daily Almanac has covered Wexcombe and the vale since 1891.</p></main>',
                )
            )
        if path == "/archive/":
            return redirect(self.url(f"/archive/{TODAY:%Y/%m/%d}/"), 302)
        if match := re.fullmatch(r"/archive/(\d{4})/(\d{2})/(\d{2})/", path):
            try:
                day = dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return None
            return self.html(self.render_day(day))
        if path == "/search/":
            page = query.get("page", "1")
            return self.html(
                self.render_search(query.get("q", ""), int(page) if page.isdigit() else 1)
            )
        if match := re.fullmatch(r"/people/([a-z0-9-]+)/", path):
            names = [n for n in self.authors if slugify(n) == match[1]]
            return self.html(self.render_person(names[0])) if names else None
        if path == "/feeds/latest.atom":
            return self.render_atom()
        if path == "/sitemap.xml":
            entries = [
                (self.url(self.article_path(x)), x.last_change.isoformat()) for x in self.latest()
            ]
            return xml_page(urlset(entries), XML_TYPE, max(x.last_change for x in self.articles))
        if match := re.fullmatch(r"/([a-z]+)/", path):
            if match[1] not in self.sections:
                return None
            page = query.get("page", "1")
            if not page.isdigit() or int(page) < 1:
                return None
            return self.html(self.render_section(match[1], int(page), query))
        if match := re.fullmatch(r"/([a-z]+)/([a-z0-9-]+)", path):
            found = [x for x in self.articles if x.section == match[1] and x.slug == match[2]]
            if not found:
                return None
            article = found[0]
            page = query.get("page", "1")
            if page == "all":
                return self.html(self.render_article(article, None))
            if not page.isdigit() or not 1 <= int(page) <= len(article.parts):
                return None
            return self.html(self.render_article(article, int(page)))
        return None

    def robots(self) -> str:
        return f"User-agent: *\nDisallow: /account/\n\nSitemap: {self.url('/sitemap.xml')}\n"

    # -------------------------------------------------------------------- chrome
    def _doc(self, title: str, main: str, head: str = "", rail: str = "") -> str:
        nav = "".join(f'<li><a href="/{s}/">{SECTION_NAMES[s]}</a></li>' for s in self.sections)
        return (
            '<!doctype html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{t(title)} — The Daily Almanac</title>\n{head}"
            '<link rel="alternate" type="application/atom+xml" href="/feeds/latest.atom" title="The Daily Almanac">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n</head>\n<body>\n'
            '<header class="masthead"><a class="brand" href="/">The Daily Almanac</a>\n'
            f'<nav aria-label="Sections"><ul>{nav}<li><a href="/archive/{TODAY:%Y/%m/%d}/">Archive</a></li>'
            '<li><a href="/search/?q=">Search</a></li></ul></nav></header>\n'
            f"{main}\n{rail}"
            '<footer class="site-foot"><p>The Daily Almanac, Corn Exchange Yard, Wexcombe.</p>'
            '<p><a href="/about/">About us</a> · <a href="/feeds/latest.atom">Atom feed</a> · <a href="/account/login">Sign in</a></p></footer>\n'
            "</body>\n</html>\n"
        )

    def _card(self, article: Article, heading: str = "h2", href: str | None = None) -> str:
        return (
            '<article class="card">'
            f'<{heading}><a href="{a(href or self.article_path(article))}">{t(article.title)}</a></{heading}>'
            f"<p>{t(article.description)}</p>"
            f'<time datetime="{article.published.isoformat()}">{article.published:%d %b %Y}</time></article>\n'
        )

    def _rail(self, numbers: tuple[int, ...]) -> Chunk:
        items = "".join(
            f'<li><article><h3><a href="{self.article_path(self.by_number[n])}">{t(self.by_number[n].title)}</a></h3></article></li>'
            for n in numbers
        )
        return Chunk(
            f'<aside class="rail"><section class="most-read"><h2>Most read</h2><ol>{items}</ol></section>'
            f'<section class="newsletter"><h2>Newsletter</h2><p>{t(NEWSLETTER)}</p>'
            '<form action="/newsletter" method="post"><input type="email" name="email"><button>Sign up</button></form></section></aside>\n',
            tuple(self.by_number[n].title for n in numbers),
            ("Most read", "Newsletter"),
        )

    @property
    def _site_most_read(self) -> tuple[int, ...]:
        return tuple(x.number for x in sorted(self.articles, key=self._popularity)[:5])

    # ---------------------------------------------------------------- articles
    def _pullout(self, article: Article) -> Chunk:
        other = self.by_number[article.related[0]]
        return Chunk(
            '<aside class="pullout related"><p class="label">Related</p>'
            + self._card(other, "h3")
            + "</aside>\n",
            (other.title,),
            ("Related", other.description),
        )

    def _more_stories(self, article: Article) -> Chunk:
        others = [self.by_number[n] for n in article.related]
        return Chunk(
            '<section class="more-stories" aria-label="More stories"><h2>More stories</h2>\n'
            + "".join(self._card(x) for x in others)
            + "</section>\n",
            tuple(x.title for x in others),
            ("More stories", *(x.description for x in others)),
        )

    def furniture(self, article: Article) -> list[Chunk]:
        chunks = [self._more_stories(article), self._rail(article.most_read)]
        if len(article.parts[0]) >= 4:
            chunks.append(self._pullout(article))
        return chunks

    def boilerplate(self, article: Article) -> list[str]:
        return [*article.captions, NEWSLETTER, *(text for _, text in article.comments)]

    def _figure(self, article: Article, k: int) -> str:
        return (
            f'<figure><img src="/media/{article.ident}-{k}.jpg" alt="" width="960" height="540">'
            f"<figcaption>{t(article.captions[k])}</figcaption></figure>\n"
        )

    def render_article(self, article: Article, part: int | None) -> str:
        """A story's part (1-based), or the whole story for None (?page=all)."""
        count = len(article.parts)
        path = self.article_path(article)
        blocks = article.blocks if part is None else article.parts[part - 1]
        offset = 0 if part is None else article.part_starts[part - 1]
        inserts = {
            k - offset: self._figure(article, i + 1)
            for i, k in enumerate(article.images_at)
            if 0 <= k - offset < len(blocks)
        }
        if len(blocks) >= 4:
            inserts[2] = inserts.get(2, "") + self._pullout(article).html
        body = render_blocks(blocks, h="<h2>{}</h2>", inserts=inserts)
        canonical = path if part in (None, 1) else f"{path}?page={part}"
        head = (
            f'<link rel="canonical" href="{self.url(canonical)}">\n'
            f'<meta name="description" content="{a(article.description)}">\n'
            '<meta property="og:type" content="article">\n'
            f'<meta property="og:title" content="{a(article.title)}">\n'
        )
        pages = ""
        if count > 1:
            if part and part > 1:
                previous = path if part == 2 else f"{path}?page={part - 1}"
                head += f'<link rel="prev" href="{self.url(previous)}">\n'
            if part and part < count:
                head += f'<link rel="next" href="{self.url(f"{path}?page={part + 1}")}">\n'
            # Later parts link the first as ?page=1, as many CMSs do.
            current = ' aria-current="page"'
            links = " ".join(
                f'<a href="{path if n == 1 and part == 1 else f"{path}?page={n}"}"{current if n == part else ""}>{n}</a>'
                for n in range(1, count + 1)
            )
            if part and part < count:
                links += f' <a rel="next" href="{path}?page={part + 1}">Next page</a>'
            pages = f'<nav class="pages" aria-label="Pages">{links} <a href="{path}?page=all">Read as one page</a></nav>\n'
        authors = ", ".join(
            f'<span itemprop="author" itemscope itemtype="https://schema.org/Person"><a itemprop="url" href="{self._people_path(n)}"><span itemprop="name">{t(n)}</span></a></span>'
            for n in article.authors
        )
        topics = ", ".join(
            f'<a href="/search/?q={quote_plus(tag)}">{t(tag)}</a>' for tag in article.tags
        )
        lead = self._figure(article, 0) if part in (None, 1) else ""
        standfirst = (
            f'<p class="standfirst" itemprop="description">{t(article.description)}</p>\n'
            if part in (None, 1)
            else f'<p class="part">Page {part} of {count}</p>\n'
        )
        comments = ""
        if article.comments:
            items = "".join(
                f'<li><p class="who">{t(name)}</p><p>{t(text)}</p></li>'
                for name, text in article.comments
            )
            comments = f'<section class="comments" aria-label="Comments"><h2>Comments ({len(article.comments)})</h2><ol>{items}</ol></section>\n'
        day = article.published.date()
        main = (
            '<main id="content">\n<article class="piece" itemscope itemtype="https://schema.org/NewsArticle">\n'
            f'<header class="piece-header"><p class="kicker"><a href="/{article.section}/">{SECTION_NAMES[article.section]}</a></p>\n'
            f'<h1 itemprop="headline">{t(article.title)}</h1>\n{standfirst}'
            f'<p class="byline">By {authors} · <time itemprop="datePublished" datetime="{article.published.isoformat()}">{_human(article.published)}</time></p></header>\n'
            f'{lead}<div class="piece-text" itemprop="articleBody">\n{body}</div>\n{pages}'
            f'<footer class="piece-footer"><p>Topics: {topics}</p>'
            f'<p><a href="/archive/{day:%Y/%m/%d}/">More from {day.day} {day:%B %Y}</a></p></footer>\n'
            "</article>\n" + comments + self._more_stories(article).html + "</main>"
        )
        title = article.title if part in (None, 1) else f"{article.title} (page {part})"
        return self._doc(title, main, head, self._rail(article.most_read).html)

    # ---------------------------------------------------------------- listings
    def _listing(self, title: str, inner: str, head: str = "") -> str:
        main = f'<main id="content" class="listing">\n<h1>{t(title)}</h1>\n{inner}</main>'
        return self._doc(title, main, head, self._rail(self._site_most_read).html)

    def render_home(self) -> str:
        latest = self.latest()
        inner = "".join(self._card(x) for x in latest[:10])
        inner += (
            f'<p class="on-this-day"><a href="/archive/{TODAY:%Y/%m/%d}/">On this day</a></p>\n'
        )
        for section in self.sections:
            inner += f'<section><h2><a href="/{section}/">{SECTION_NAMES[section]}</a></h2>'
            inner += "".join(self._card(x, "h3") for x in self.latest(2, section)) + "</section>\n"
        return self._listing("Today's news", inner, '<meta property="og:type" content="website">\n')

    def _facet_href(self, section: str, params: dict[str, str], **change: str) -> str:
        """A facet link: the current facets with one changed, back on the first page."""
        return f"/{section}/?{urlencode({**params, **change})}"

    def _sorted(self, section: str, params: dict[str, str]) -> list[Article]:
        chosen = self.latest(section=section)
        days = {"week": 7, "month": 31, "year": 366}.get(params.get("filter", "all"))
        if days:
            chosen = [x for x in chosen if (TODAY - x.published.date()).days <= days]
        sort = params.get("sort", "newest")
        if sort == "oldest":
            chosen.reverse()
        elif sort == "popular":
            chosen.sort(key=self._popularity)
        elif sort == "az":
            chosen.sort(key=lambda x: x.title)
        if params.get("order") == "asc":
            chosen.reverse()
        return chosen

    def render_section(self, section: str, page: int, query: dict[str, str]) -> str:
        params = {k: query[k] for k in ("sort", "order", "filter") if k in query}
        chosen = self._sorted(section, params)
        last = max(1, -(-len(chosen) // PAGE_SIZE))
        shown_page = min(page, last)  # past the end, the last page again
        shown = chosen[(shown_page - 1) * PAGE_SIZE : shown_page * PAGE_SIZE]
        inner = "".join(self._card(x) for x in shown) or "<p>No stories match.</p>\n"
        facet_links = []
        for name, values in (("sort", SORTS), ("order", ORDERS), ("filter", FILTERS)):
            items = " ".join(
                f'<a href="{a(self._facet_href(section, params, **{name: v}))}">{v}</a>'
                for v in values
            )
            facet_links.append(f'<p class="facet">{name.capitalize()}: {items}</p>')
        nav = []
        with_page = {**params}
        if page > 1:
            prev = {**with_page, "page": str(page - 1)} if page > 2 else with_page
            nav.append(
                f'<a rel="prev" href="{a(f"/{section}/" + (f"?{urlencode(prev)}" if prev else ""))}">Newer</a>'
            )
        nxt = {**with_page, "page": str(page + 1)}
        nav.append(f'<a rel="next" href="{a(f"/{section}/?{urlencode(nxt)}")}">Older stories</a>')
        inner = (
            f'<div class="facets">{"".join(facet_links)}</div>\n{inner}'
            f'<nav class="pager">Page {page} · {" ".join(nav)}</nav>\n'
        )
        canonical = (
            f"/{section}/"
            if params
            else (f"/{section}/" if page == 1 else f"/{section}/?page={page}")
        )
        head = f'<link rel="canonical" href="{self.url(canonical)}">\n<meta property="og:type" content="website">\n'
        title = SECTION_NAMES[section] + (f" — page {page}" if page > 1 else "")
        return self._listing(title, inner, head)

    def render_day(self, day: dt.date) -> str:
        stories = [x for x in self.articles if x.published.date() == day]
        inner = (
            "".join(self._card(x) for x in stories)
            or "<p>No stories were published on this day.</p>\n"
        )
        nav = []
        for label, delta in (("Previous day", -1), ("Next day", 1), ("A year earlier", -365)):
            try:
                other = day + dt.timedelta(days=delta)
            except OverflowError:
                continue
            nav.append(f'<a href="/archive/{other:%Y/%m/%d}/">{label}</a>')
        inner += f'<nav class="calendar">{" · ".join(nav)}</nav>\n'
        return self._listing(f"Archive: {day:%A} {day.day} {day:%B %Y}", inner)

    def render_search(self, query: str, page: int) -> str:
        words = [w for w in query.lower().split() if w]
        hits = [
            x
            for x in self.latest()
            if words and all(any(w in f.lower() for f in (x.title, *x.tags)) for w in words[:1])
        ]
        last = max(1, -(-len(hits) // PAGE_SIZE))
        shown_page = min(page, last)
        shown = hits[(shown_page - 1) * PAGE_SIZE : shown_page * PAGE_SIZE]
        inner = "".join(self._card(x) for x in shown) or "<p>No results.</p>\n"
        related = []
        for x in hits[:3]:
            for tag in x.tags:
                if tag.lower() not in query.lower() and len(related) < 4:
                    related.append(f"{query} {tag}".strip())
        inner += "".join(
            f'<a class="related-search" href="/search/?q={quote_plus(q)}">{t(q)}</a> '
            for q in related
        )
        inner += f'<p><a rel="next" href="/search/?{urlencode({"q": query, "page": page + 1})}">More results</a></p>\n'
        head = '<meta name="robots" content="noindex">\n'
        return self._listing(f"Search results for {query}" if query else "Search", inner, head)

    def render_person(self, name: str) -> str:
        written = [x for x in self.latest() if name in x.authors]
        beats = dict(ALMANAC_AUTHORS)[name]
        bio = f"{name} writes about {' and '.join(beats)} for The Daily Almanac."
        inner = f'<p class="bio">{t(bio)}</p>\n' + "".join(self._card(x) for x in written)
        return self._listing(name, inner)

    def render_atom(self) -> Page:
        chosen = self.latest(15)
        entries = [
            (
                x.title,
                self.url(self.article_path(x)),
                x.published,
                x.last_change,
                x.authors,
                x.description,
            )
            for x in chosen
        ]
        body = atom("The Daily Almanac", self.url("/feeds/latest.atom"), self.base_url, entries)
        return xml_page(body, ATOM_TYPE, max(x.last_change for x in chosen))

    # ------------------------------------------------------------ ground truth
    def listing_pages(self) -> list[tuple[str, str]]:
        pages = [("/", "home")]
        for section in self.sections:
            pages.append((f"/{section}/", "section"))
            pages += [
                (f"/{section}/?page={n}", "section-page")
                for n in range(2, self._pages(section) + 1)
            ]
            pages.append((f"/{section}/?page={self._pages(section) + 3}", "pagination-beyond-end"))
            pages.append((f"/{section}/?sort=oldest", "facet"))
            pages.append((f"/{section}/?sort=popular&order=asc&filter=month", "facet"))
        days = sorted({x.published.date() for x in self.articles})
        pages += [(f"/archive/{d:%Y/%m/%d}/", "archive-day") for d in days[::6]]
        empty = [TODAY, TODAY + dt.timedelta(days=40), dt.date(2025, 11, 27), dt.date(2026, 8, 15)]
        pages += [(f"/archive/{d:%Y/%m/%d}/", "archive-day-empty") for d in empty]
        for tag in self.tags[::3]:
            pages.append((f"/search/?q={quote_plus(tag)}", "search"))
        pages.append((f"/search/?q={quote_plus(self.tags[0])}&page=2", "search-page"))
        pages += [(self._people_path(n), "author") for n in self.authors]
        pages.append(("/about/", "static"))
        return pages

    def extra_manifest(self) -> dict:
        return {
            "feeds": [self.url("/feeds/latest.atom")],
            "sitemaps": [self.url("/sitemap.xml")],
            "today": TODAY.isoformat(),
        }
