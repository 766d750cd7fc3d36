"""Listing pages, and bare article pages, composed when the set is built from the real
articles' headlines, standfirsts and bodies (``datasets.Story``): nothing of them is stored.

Eight listing layouts, each in three page templates (semantic HTML5, classed divs, an old
table layout), each under URL shapes of several CMSs: a section front with pagination, a
tag page opening with a long introduction, an author page with a long bio (some on a
query-string CMS, ``writer.php?name=...``), a front page leading with one story's full text,
a day archive under a dated path, search results, a query-string section page
(``index.php?section=economy``) and a grid of headlines. Many declare ``og:type=article``
or an article in JSON-LD by template accident, as real listings do. The bare article
layout is the hard positive case: about 1,400 characters of a real body on a template
with no ``og:type`` and no JSON-LD, under ``article.php?id=N`` and other terse URLs, with
a column of other stories' links beside it.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence

from tests.page_types.datasets import Story
from tests.page_types.model import ARTICLE, LISTING, TypedPage

PAGES_PER_LAYOUT = 20
BARE_ARTICLES = 60
SECTIONS = ("politics", "economy", "culture", "sport", "science", "world")
_FAMILIES = ("semantic", "classed", "table")


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _slug(text: str, words: int = 8) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower())[:words]) or "story"


class _Stories:
    """Stories handed out in a fixed rotation, so each page shows different ones."""

    def __init__(self, stories: Sequence[Story]) -> None:
        self.stories = list(stories)
        self.next = 0

    def take(self, count: int) -> list[Story]:
        taken = [self.stories[(self.next + i) % len(self.stories)] for i in range(count)]
        self.next = (self.next + count) % len(self.stories)
        return taken


def _story_url(story: Story, n: int) -> str:
    shapes = (
        f"/{story.day.replace('-', '/')}/{_slug(story.headline)}/",
        f"/article.php?id={1000 + n}",
        f"/news/{_slug(story.headline)}-{70000 + n}",
        f"/{SECTIONS[n % len(SECTIONS)]}/{_slug(story.headline, 6)}.html",
    )
    return shapes[n % len(shapes)]


def _card(story: Story, n: int, family: str, blurb: bool = True, byline: bool = True) -> str:
    link = f'<a href="{_story_url(story, n)}">{_e(story.headline)}</a>'
    parts = []
    if family == "semantic":
        parts.append(f'<article class="card"><h2>{link}</h2>')
        if blurb:
            parts.append(f"<p>{_e(story.standfirst)}</p>")
        if byline:
            parts.append(
                f'<footer>By {_e(story.author)} <time datetime="{story.day}">{story.day}</time></footer>'
            )
        parts.append("</article>")
    elif family == "classed":
        parts.append(f'<div class="c-item"><h3 class="c-item__title">{link}</h3>')
        if blurb:
            parts.append(f'<div class="c-item__text">{_e(story.standfirst)}</div>')
        if byline:
            parts.append(f'<span class="c-meta">{_e(story.author)} · {story.day}</span>')
        parts.append("</div>")
    else:
        parts.append(f"<tr><td><b>{link}</b>")
        if blurb:
            parts.append(f"<br>{_e(story.standfirst)}")
        if byline:
            parts.append(f"<br><small>{story.day} - {_e(story.author)}</small>")
        parts.append("</td></tr>")
    return "".join(parts)


def _cards(stories: list[Story], start: int, family: str, **kwargs: bool) -> str:
    cards = "".join(_card(s, start + i, family, **kwargs) for i, s in enumerate(stories))
    return f"<table>{cards}</table>" if family == "table" else f'<div class="list">{cards}</div>'


def _head(title: str, host: str, declares: str) -> str:
    meta = {
        "website": '<meta property="og:type" content="website">',
        "article": '<meta property="og:type" content="article">',
        "article+jsonld": '<meta property="og:type" content="article">'
        + '<script type="application/ld+json">'
        + json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title})
        + "</script>",
        "collection": '<script type="application/ld+json">'
        + json.dumps({"@context": "https://schema.org", "@type": "CollectionPage", "name": title})
        + "</script>",
        "profile": '<script type="application/ld+json">'
        + json.dumps({"@context": "https://schema.org", "@type": "ProfilePage", "name": title})
        + "</script>",
        "none": "",
    }[declares]
    site = host.split(".")[-2].title() if "." in host else host
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{_e(title)} | {_e(site)}</title>'
        f'<meta property="og:title" content="{_e(title)}"><meta property="og:site_name" content="{_e(site)}">'
        f"{meta}</head>"
    )


def _page(title: str, host: str, declares: str, family: str, main: str, rail: list[Story]) -> bytes:
    nav = "".join(f'<a href="/{s}/">{s.title()}</a> ' for s in SECTIONS)
    rail_links = "".join(
        f'<li><a href="{_story_url(s, 500 + i)}">{_e(s.headline)}</a></li>'
        for i, s in enumerate(rail)
    )
    foot = '<a href="/about/">About us</a> <a href="/contact/">Contact</a> <a href="/privacy/">Privacy</a>'
    if family == "semantic":
        body = (
            f"<body><header><a href='/'>Home</a><nav>{nav}</nav></header><main>{main}</main>"
            f"<aside><h2>Most read</h2><ol>{rail_links}</ol></aside><footer>{foot}</footer></body>"
        )
    elif family == "classed":
        body = (
            f'<body><div class="site-head"><div class="menu">{nav}</div></div>'
            f'<div class="layout"><div class="col-main">{main}</div>'
            f'<div class="col-side"><div class="box"><h4>Most read</h4><ul>{rail_links}</ul></div></div></div>'
            f'<div class="site-foot">{foot}</div></body>'
        )
    else:
        body = (
            f'<body><table width="100%"><tr><td colspan="2">{nav}</td></tr><tr>'
            f'<td width="70%" valign="top">{main}</td><td valign="top"><b>Most read</b><ul>{rail_links}</ul></td>'
            f"</tr><tr><td colspan=2>{foot}</td></tr></table></body>"
        )
    return (_head(title, host, declares) + body + "</html>").encode("utf-8")


def _prose(story: Story, limit: int) -> str:
    """Paragraphs of a real body, up to about ``limit`` characters."""
    out, size = [], 0
    for paragraph in story.paragraphs:
        if size >= limit:
            break
        out.append(f"<p>{_e(paragraph)}</p>")
        size += len(paragraph)
    return "".join(out)


# --- the layouts: (stories, page number, family) -> (path, title, declares, main html) ---


def _section(pool: _Stories, n: int, family: str) -> tuple[str, str, str, str]:
    section = SECTIONS[n % len(SECTIONS)]
    paths = (f"/{section}/", f"/{section}/page/{n % 5 + 2}/", f"/{section}?page={n % 4 + 2}")
    pager = f'<p class="pager"><a href="/{section}/page/2/">Next page</a></p>'
    main = f"<h1>{section.title()}</h1>{_cards(pool.take(12), n * 20, family)}{pager}"
    return paths[n % 3], section.title(), ("website", "article", "none")[n % 3], main


def _tag_intro(pool: _Stories, n: int, family: str) -> tuple[str, str, str, str]:
    intro, *listed = pool.take(11)
    topic = " ".join(intro.headline.split()[:6])
    paths = (f"/topics/{_slug(topic, 8)}", f"/tag/{_slug(topic, 2)}/", f"/thema/{_slug(topic, 5)}")
    main = (
        f"<h1>{_e(topic)}</h1><div class='intro'>{_prose(intro, 1500)}</div>"
        f"<h2>Latest on this topic</h2>{_cards(listed, n * 20, family)}"
    )
    return paths[n % 3], topic, ("article", "article+jsonld", "website")[n % 3], main


def _author_bio(pool: _Stories, n: int, family: str) -> tuple[str, str, str, str]:
    bio, *listed = pool.take(11)
    name = f"{('Jana', 'Tom', 'Ines', 'Rui', 'Mia')[n % 5]} {('Novak', 'Weller', 'Sousa', 'Lind', 'Okafor')[n % 4]}"
    paths = (
        f"/writer.php?name={name.replace(' ', '+')}",
        f"/author/{_slug(name)}/",
        f"/autoren/{_slug(name)}",
        f"/profile/{_slug(name)}",
    )
    main = (
        f"<h1>{_e(name)}</h1><div class='bio'><p>{_e(name)} writes about {SECTIONS[n % 6]}.</p>"
        f"{_prose(bio, 1100)}</div><h2>Articles by {_e(name)}</h2>"
        f"{_cards(listed, n * 20, family, byline=False)}"
    )
    return paths[n % 4], name, ("profile", "article", "none", "article+jsonld")[n % 4], main


def _lead_story(pool: _Stories, n: int, family: str) -> tuple[str, str, str, str]:
    lead, *rest = pool.take(16)
    paths = ("/", "/index.php", "/news/", "/home")
    main = (
        f'<div class="lead"><h2><a href="{_story_url(lead, n)}">{_e(lead.headline)}</a></h2>'
        f"<p><b>{_e(lead.standfirst)}</b></p>{_prose(lead, 6000)}</div>"
        f"{_cards(rest, n * 20 + 1, family)}"
    )
    return paths[n % 4], "Front page", ("website", "article+jsonld", "article", "none")[n % 4], main


def _archive(pool: _Stories, n: int, family: str) -> tuple[str, str, str, str]:
    stories = pool.take(20)
    day = stories[0].day
    paths = (f"/archive/{day.replace('-', '/')}/", f"/{day.replace('-', '/')}/", f"/archiv/{day}")
    rows = "".join(
        f'<li><time datetime="{s.day}">{s.day}</time> <a href="{_story_url(s, n * 20 + i)}">{_e(s.headline)}</a></li>'
        for i, s in enumerate(stories)
    )
    main = f"<h1>Archive: {day}</h1><ul class='archive'>{rows}</ul>"
    return paths[n % 3], f"Archive {day}", ("none", "article", "website")[n % 3], main


def _search(pool: _Stories, n: int, family: str) -> tuple[str, str, str, str]:
    stories = pool.take(10)
    word = (stories[0].headline.split() or ["news"])[0]
    paths = (
        f"/search?q={_slug(word)}",
        f"/?s={_slug(word)}&paged=2",
        f"/suche?query={_slug(word)}",
    )
    main = f"<h1>Results for “{_e(word)}”</h1><p>{len(stories)} results</p>{_cards(stories, n * 20, family)}"
    return paths[n % 3], f"Search: {word}", ("website", "none", "article")[n % 3], main


def _query_section(pool: _Stories, n: int, family: str) -> tuple[str, str, str, str]:
    section = SECTIONS[n % len(SECTIONS)]
    paths = (
        f"/index.php?section={section}",
        f"/index.php?section={section}&start={10 * (n % 3 + 1)}",
        f"/list.php?cat={n % 9 + 1}",
    )
    main = f"<span class='head'>{section.title()}</span>{_cards(pool.take(10), n * 20, 'table')}"
    return paths[n % 3], section.title(), "none", main


def _grid(pool: _Stories, n: int, family: str) -> tuple[str, str, str, str]:
    section = SECTIONS[(n + 2) % len(SECTIONS)]
    paths = (f"/{section}", f"/news/{section}/", f"/{section}/latest")
    main = f"<h1>{section.title()}</h1>{_cards(pool.take(18), n * 20, family, blurb=False, byline=False)}"
    return paths[n % 3], section.title(), ("collection", "website", "article")[n % 3], main


LAYOUTS: dict[str, Callable[[_Stories, int, str], tuple[str, str, str, str]]] = {
    "section": _section,
    "tag-intro": _tag_intro,
    "author-bio": _author_bio,
    "lead-story": _lead_story,
    "archive": _archive,
    "search": _search,
    "query-section": _query_section,
    "grid": _grid,
}


def _bare_article(story: Story, n: int, rail: list[Story], family: str) -> tuple[str, bytes]:
    paths = (
        f"/article.php?id={n + 1}",
        f"/?p={3000 + n}",
        f"/story/{40000 + n}",
        f"/news/{_slug(story.headline)}",
    )
    body = _prose(story, 1400)
    main = (
        f"<h1>{_e(story.headline)}</h1><p class='byline'>By {_e(story.author)}, {story.day}</p>{body}"
        f"<div class='also'><b>Also read</b><br>"
        + "".join(
            f'<a href="{_story_url(s, 800 + i)}">{_e(s.headline)}</a><br>'
            for i, s in enumerate(rail[:3])
        )
        + "</div>"
    )
    return paths[n % 4], _page(story.headline, story.host, "none", family, main, rail[3:])


def composed_pages(stories: Sequence[Story]) -> list[TypedPage]:
    """Every composed listing and bare article page, deterministic for given stories."""
    if not stories:
        return []
    pool = _Stories(stories)
    pages = []
    for name, layout in LAYOUTS.items():
        for n in range(PAGES_PER_LAYOUT):
            family = _FAMILIES[n % len(_FAMILIES)]
            path, title, declares, main = layout(pool, n, family)
            host = pool.stories[(n * 7) % len(pool.stories)].host
            page = _page(title, host, declares, family, main, pool.take(8))
            pages.append(
                TypedPage(f"composed:{name}", str(n), f"https://{host}{path}", page, LISTING)
            )
    with_body = [s for s in stories if sum(len(p) for p in s.paragraphs) >= 1200]
    for n in range(min(BARE_ARTICLES, len(with_body))):
        story = with_body[(n * 3) % len(with_body)]
        path, page = _bare_article(story, n, pool.take(8), _FAMILIES[n % len(_FAMILIES)])
        pages.append(
            TypedPage("composed:bare-article", str(n), f"https://{story.host}{path}", page, ARTICLE)
        )
    return pages
