"""Meridian Wire: a modern JSON-LD news app whose sitemaps lie and whose links are tagged.

Server-rendered React markup with hashed class names (nothing called "article" or
"content"), NewsArticle JSON-LD, a `__NEXT_DATA__` blob. Stories live at
`/news/<section>/<slug>-<id>.html` (canonical) and also at `/a/<id>`, an older lean
template with no canonical, no JSON-LD and no og tags, which the RSS feed and the
"Trending" box still link. Links from the home page, inline promos and related boxes carry
utm_* and fbclid parameters. The sitemaps lie: robots.txt names a sitemap that is gone, the
index names a month sitemap that is gone, every lastmod is older than the story it dates,
twelve stories are in no sitemap (links reach them), and six entries are dead (four 404,
two 410: old ids of stories filed again under a new id). Topic pages declare
og:type=article, and the home page shows the lead story's whole text above the list.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re

from .base import Chunk, Publisher, Trap, render_blocks
from .beats import MERIDIAN_AUTHORS, MERIDIAN_BEATS, MERIDIAN_PLACES
from .markup import (
    JSON_FEED_TYPE,
    RSS_TYPE,
    XML_TYPE,
    a,
    json_ld,
    news_urlset,
    rss,
    sitemap_index,
    t,
    urlset,
    xml_page,
)
from .model import Article, Page, PublisherSpec, fixed_offset, slugify

PAGE_SIZE = 10
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
STALE_INDEX_LASTMOD = "2026-09-01T00:00:00+05:30"
MONTHS = ("2026-09", "2026-10", "2026-11")
GONE_MONTH = "2026-08"
NEWSLETTER = (
    "Meridian Morning Brief: markets, energy and the region in five minutes."
    " Delivered at 7am IST, free."
)
SPEC = PublisherSpec(
    key="meridian",
    beats=MERIDIAN_BEATS,
    places=MERIDIAN_PLACES,
    money="Rs {} crore",
    authors=MERIDIAN_AUTHORS,
    utc_offset=fixed_offset(5.5),
    ids=lambda rng: sorted(rng.sample(range(100000, 999999), 60)),
)
SECTION_NAMES = {"markets": "Markets", "energy": "Energy", "world": "World", "tech": "Tech"}


def _cls(name: str) -> str:
    """A CSS-modules class name: "Story_body" -> "Story_body__3nVt8"."""
    return f"{name}__{hashlib.sha1(name.encode()).hexdigest()[:5]}"


def _human(when: dt.datetime) -> str:
    return f"{when:%b} {when.day}, {when.year} · {when:%I:%M %p} IST"


class Meridian(Publisher):
    """The publisher whose sitemaps lie."""

    spec = SPEC
    name = "Meridian Wire"
    template = "react-json-ld"
    renders_comments = False
    ROBOTS_DISALLOWED = ("/api/", "/account/")
    VARIANTS = (
        Trap("tracking", r"[?&](?:utm_[a-z]+|fbclid)=", "utm_* and fbclid parameters on links."),
        Trap("legacy", r"^/a/\d+", "The older /a/<id> scheme, no canonical."),
    )

    # ------------------------------------------------------------------ addresses
    def article_path(self, article: Article) -> str:
        return f"/news/{article.section}/{article.slug}-{article.ident}.html"

    def variant_paths(self, article: Article) -> list[str]:
        path = self.article_path(article)
        return [
            f"/a/{article.ident}",
            f"{path}?utm_source=homepage&utm_medium=referral&utm_campaign=top-stories",
            f"{path}?utm_source=inline&utm_medium=referral",
            f"{path}?utm_source=related&fbclid={self._fbclid(article)}",
            f"{path}?utm_source=jsonfeed&utm_medium=feed",
        ]

    def article_pattern(self, article: Article) -> str:
        return rf"^/(?:news/{article.section}/{re.escape(article.slug)}-{article.ident}\.html|a/{article.ident})(?:\?.*)?$"

    def _fbclid(self, article: Article) -> str:
        return "IwAR" + hashlib.sha1(f"fb{article.ident}".encode()).hexdigest()[:20]

    @property
    def unlisted(self) -> list[Article]:
        """Stories in no sitemap: every fifth one."""
        return [x for x in self.articles if x.number % 5 == 2]

    @property
    def dead_entries(self) -> list[tuple[str, int]]:
        """(path, status) of sitemap entries that are gone: old ids of re-filed stories."""
        out = []
        for k, x in enumerate(self.articles[3::10]):
            out.append((f"/news/{x.section}/{x.slug}-{x.ident - 1}.html", 404 if k < 4 else 410))
        return out

    # -------------------------------------------------------------------- routes
    def route(self, path: str, query: dict[str, str], view: int) -> Page | None:
        if path == "/":
            return self.html(self.render_home())
        if match := re.fullmatch(r"/news/([a-z]+)/([a-z0-9-]+)-(\d+)\.html", path):
            article = self.by_ident.get(int(match[3]))
            if article is None or article.slug != match[2] or article.section != match[1]:
                for dead, status in self.dead_entries:
                    if dead == path:
                        return self.error(status) if status == 404 else self.gone()
                return None
            return self.html(self.render_article(article))
        if match := re.fullmatch(r"/a/(\d+)", path):
            article = self.by_ident.get(int(match[1]))
            return self.html(self.render_legacy(article)) if article else None
        if match := re.fullmatch(r"/news/([a-z]+)/", path):
            page = query.get("page", "1")
            if match[1] not in self.sections or not page.isdigit():
                return None
            posts = self.latest(section=match[1])
            if not 1 <= int(page) <= -(-len(posts) // PAGE_SIZE):
                return None
            return self.html(self.render_section(match[1], int(page)))
        if match := re.fullmatch(r"/topic/([a-z0-9-]+)/", path):
            tags = [x for x in self.tags if slugify(x) == match[1]]
            return self.html(self.render_topic(tags[0])) if tags else None
        if match := re.fullmatch(r"/authors/([a-z0-9-]+)/", path):
            names = [x for x in self.authors if slugify(x) == match[1]]
            return self.html(self.render_author(names[0])) if names else None
        if path == "/rss.xml":
            return self.render_rss()
        if path == "/feed.json":
            return self.render_json_feed()
        return self.route_sitemaps(path)

    def gone(self) -> Page:
        """410 Gone."""
        return self.html(
            "<!DOCTYPE html>\n<html><head><title>Gone</title></head><body><h1>This story has been removed</h1></body></html>\n",
            410,
        )

    def robots(self) -> str:
        return (
            "User-agent: *\nDisallow: /api/\nDisallow: /account/\n\n"
            f"Sitemap: {self.url('/sitemap-index.xml')}\n"
            f"Sitemap: {self.url('/sitemaps/legacy-articles.xml')}\n"
        )

    # ---------------------------------------------------------------- sitemaps
    def _month(self, article: Article) -> str:
        return f"{article.published:%Y-%m}"

    def route_sitemaps(self, path: str) -> Page | None:
        last = max(x.last_change for x in self.articles)
        if path == "/sitemap-index.xml":
            months = [GONE_MONTH, *MONTHS]
            body = sitemap_index(
                (self.url(f"/sitemaps/articles-{m}.xml"), STALE_INDEX_LASTMOD) for m in months
            )
            return xml_page(body, XML_TYPE, dt.datetime(2026, 9, 1, tzinfo=IST))
        if match := re.fullmatch(r"/sitemaps/articles-(\d{4}-\d{2})\.xml", path):
            if match[1] not in MONTHS:
                return None
            return xml_page(urlset(self.sitemap_entries(match[1])), XML_TYPE, last)
        if path == "/news-sitemap.xml":
            listed = [x for x in self.latest() if x not in self.unlisted][:5]
            body = news_urlset(
                (self.url(self.article_path(x)), self.name, x.published.isoformat(), x.title)
                for x in listed
            )
            return xml_page(body, XML_TYPE, last)
        return None

    def sitemap_entries(self, month: str) -> list[tuple[str, str]]:
        """A month sitemap's (url, lastmod): listed stories and dead entries, with a lastmod
        of the month's first day (older than every story it dates)."""
        stale = f"{month}-01T00:00:00+05:30"
        entries = [
            (self.url(self.article_path(x)), stale)
            for x in self.latest()
            if self._month(x) == month and x not in self.unlisted
        ]
        for path, _ in self.dead_entries:
            ident = int(path.rsplit("-", 1)[1].split(".")[0]) + 1
            if self._month(self.by_ident[ident]) == month:
                entries.append((self.url(path), stale))
        return entries

    # -------------------------------------------------------------------- chrome
    def _doc(self, title: str, inner: str, head: str = "", data: dict | None = None) -> str:
        nav = "".join(
            f'<a class="{_cls("Nav_link")}" href="/news/{s}/">{SECTION_NAMES[s]}</a>'
            for s in self.sections
        )
        next_data = json.dumps(
            {"props": {"pageProps": data or {}}, "page": "/[...slug]", "buildId": "mw-2026-11"},
            ensure_ascii=False,
        ).replace("</", "<\\/")
        return (
            '<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/>'
            '<meta name="viewport" content="width=device-width"/>'
            f"<title>{t(title)}</title>{head}"
            f'<link rel="alternate" type="application/rss+xml" href="{self.url("/rss.xml")}"/>'
            f'<link rel="alternate" type="application/feed+json" href="{self.url("/feed.json")}"/>'
            '<link rel="preload" href="/_next/static/css/4f1c.css" as="style"/></head>'
            f'<body><div id="__next"><div class="{_cls("Layout_root")}">'
            f'<div class="{_cls("Header_bar")}"><a class="{_cls("Header_logo")}" href="/">Meridian Wire</a><nav class="{_cls("Nav_row")}">{nav}</nav></div>'
            f"{inner}"
            f'<div class="{_cls("Footer_root")}"><span>© 2026 Meridian Wire Media Pvt Ltd</span> <a href="/rss.xml">RSS</a></div>'
            f'</div></div><script id="__NEXT_DATA__" type="application/json">{next_data}</script></body></html>\n'
        )

    def _newsletter(self) -> str:
        return (
            f'<div class="{_cls("Newsletter_box")}"><div class="{_cls("Newsletter_title")}">Morning Brief</div>'
            f'<div class="{_cls("Newsletter_copy")}">{t(NEWSLETTER)}</div>'
            f'<form class="{_cls("Newsletter_form")}"><input type="email" placeholder="you@example.com"/><button>Subscribe</button></form></div>'
        )

    def _trending(self, numbers: tuple[int, ...]) -> Chunk:
        items = "".join(
            f'<li class="{_cls("Trending_item")}"><a href="/a/{self.by_number[n].ident}">{t(self.by_number[n].title)}</a></li>'
            for n in numbers
        )
        return Chunk(
            f'<div class="{_cls("Sidebar_root")}"><div class="{_cls("Trending_title")}">Trending</div><ol class="{_cls("Trending_list")}">{items}</ol></div>',
            tuple(self.by_number[n].title for n in numbers),
            ("Trending",),
        )

    # ---------------------------------------------------------------- articles
    def _promo(self, article: Article) -> Chunk:
        other = self.by_number[article.related[0]]
        href = self.article_path(other) + "?utm_source=inline&utm_medium=referral"
        return Chunk(
            f'<div class="{_cls("Inline_promo")}"><span class="{_cls("Inline_label")}">READ NEXT</span>'
            f'<a class="{_cls("Inline_link")}" href="{a(href)}">{t(other.title)}</a></div>',
            (other.title,),
            ("READ NEXT",),
        )

    def _related(self, article: Article) -> Chunk:
        others = [self.by_number[n] for n in article.related]
        items = "".join(
            f'<div class="{_cls("Card_root")}"><a class="{_cls("Card_link")}" href="{a(self.article_path(x) + "?utm_source=related&fbclid=" + self._fbclid(x))}">'
            f'<div class="{_cls("Card_headline")}">{t(x.title)}</div></a><div class="{_cls("Card_dek")}">{t(x.description)}</div></div>'
            for x in others
        )
        return Chunk(
            f'<div class="{_cls("Related_rail")}"><div class="{_cls("Related_title")}">More from Meridian</div>{items}</div>',
            tuple(x.title for x in others),
            ("More from Meridian", *(x.description for x in others)),
        )

    def furniture(self, article: Article) -> list[Chunk]:
        return [self._promo(article), self._related(article), self._trending(article.most_read)]

    def boilerplate(self, article: Article) -> list[str]:
        return [*article.captions, NEWSLETTER]

    def _figure(self, article: Article, k: int) -> str:
        return (
            f'<div class="{_cls("Media_root")}"><img src="/img/{article.ident}-{k}.jpg" alt="" loading="lazy"/>'
            f'<div class="{_cls("Media_caption")}">{t(article.captions[k])}</div></div>'
        )

    def _body(self, article: Article, promo: bool = True) -> str:
        inserts = {k: self._figure(article, i + 1) for i, k in enumerate(article.images_at)}
        if promo:
            at = min(3, len(article.blocks) - 1)
            inserts[at] = inserts.get(at, "") + self._promo(article).html
        return render_blocks(
            article.blocks,
            p=f'<div class="{_cls("Para_root")}"><p class="{_cls("Para_text")}">{{}}</p></div>',
            h=f'<h2 class="{_cls("Story_subhead")}">{{}}</h2>',
            ul=(f'<ul class="{_cls("Story_list")}">', "</ul>"),
            table=(f'<div class="{_cls("Table_wrap")}"><table>', "</table></div>"),
            inserts=inserts,
        )

    def _byline(self, article: Article) -> str:
        return ", ".join(
            f'<a class="{_cls("Byline_name")}" href="/authors/{slugify(n)}/">{t(n)}</a>'
            if not n.endswith("Staff")
            else f'<span class="{_cls("Byline_name")}">{t(n)}</span>'
            for n in article.authors
        )

    def render_article(self, article: Article) -> str:
        url = self.url(self.article_path(article))
        author = [
            {"@type": "Organization" if n.endswith("Staff") else "Person", "name": n}
            for n in article.authors
        ]
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": article.title,
            "description": article.description,
            "datePublished": article.published.isoformat(),
            "dateModified": article.last_change.isoformat(),
            "author": author,
            "keywords": list(article.tags),
            "articleSection": SECTION_NAMES[article.section],
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "image": [self.url(f"/img/{article.ident}-0.jpg")],
            "publisher": {
                "@type": "NewsMediaOrganization",
                "name": self.name,
                "url": self.base_url,
            },
        }
        head = (
            f'<meta name="description" content="{a(article.description)}"/>'
            f'<link rel="canonical" href="{a(url)}"/>'
            '<meta property="og:type" content="article"/>'
            f'<meta property="og:title" content="{a(article.title)}"/>'
            f'<meta property="og:url" content="{a(url)}"/>' + json_ld(data)
        )
        tags = "".join(
            f'<a class="{_cls("Tag_pill")}" href="/topic/{slugify(x)}/">{t(x)}</a>'
            for x in article.tags
        )
        inner = (
            f'<div class="{_cls("Page_grid")}"><div class="{_cls("Story_col")}">'
            f'<div class="{_cls("Story_kicker")}"><a href="/news/{article.section}/">{SECTION_NAMES[article.section]}</a></div>'
            f'<h1 class="{_cls("Story_headline")}">{t(article.title)}</h1>'
            f'<div class="{_cls("Story_dek")}">{t(article.description)}</div>'
            f'<div class="{_cls("Byline_root")}"><span>By</span> {self._byline(article)} · <span class="{_cls("Byline_time")}">{_human(article.published)}</span></div>'
            + self._figure(article, 0)
            + f'<div class="{_cls("Story_body")}">{self._body(article)}</div>'
            + f'<div class="{_cls("Tag_row")}">{tags}</div>'
            + self._newsletter()
            + self._related(article).html
            + "</div>"
            + self._trending(article.most_read).html
            + "</div>"
        )
        props = {
            "story": {
                "id": article.ident,
                "headline": article.title,
                "section": article.section,
                "related": [self.by_number[n].title for n in article.related],
            }
        }
        return self._doc(f"{article.title} | Meridian Wire", inner, head, props)

    def render_legacy(self, article: Article) -> str:
        body = render_blocks(article.blocks)
        more = "".join(
            f'<li><a href="/a/{self.by_number[n].ident}">{t(self.by_number[n].title)}</a></li>'
            for n in article.related
        )
        return (
            '<html><head><meta charset="utf-8"><title>'
            f'{t(article.title)}</title></head><body><div class="wrap">'
            f'<h2>{t(article.title)}</h2><div class="meta">{t(", ".join(article.authors))} | {_human(article.published)}</div>'
            f'<div class="txt">\n{body}</div><div class="more"><b>More stories</b><ul>{more}</ul></div>'
            '<div class="foot">Meridian Wire</div></div></body></html>\n'
        )

    # ---------------------------------------------------------------- listings
    def _card(self, article: Article, tracking: str = "") -> str:
        return (
            f'<div class="{_cls("Card_root")}"><a class="{_cls("Card_link")}" href="{a(self.article_path(article) + tracking)}">'
            f'<div class="{_cls("Card_headline")}">{t(article.title)}</div></a>'
            f'<div class="{_cls("Card_dek")}">{t(article.description)}</div>'
            f'<div class="{_cls("Card_time")}">{_human(article.published)}</div></div>'
        )

    def _listing(
        self, title: str, heading: str, inner: str, og_type: str = "website", intro: str = ""
    ) -> str:
        head = f'<meta property="og:type" content="{og_type}"/><meta property="og:title" content="{a(heading)}"/>'
        body = (
            f'<div class="{_cls("Page_grid")}"><div class="{_cls("List_col")}">'
            f'<h1 class="{_cls("List_title")}">{t(heading)}</h1>{intro}{inner}</div>'
            + self._trending(tuple(x.number for x in self.latest(9)[4:9])).html
            + "</div>"
        )
        return self._doc(title, body, head)

    def render_home(self) -> str:
        lead, *rest = self.latest(16)
        tracking = "?utm_source=homepage&utm_medium=referral&utm_campaign=top-stories"
        lead_html = (
            f'<div class="{_cls("Lead_root")}"><div class="{_cls("Lead_kicker")}">Top story</div>'
            f'<a class="{_cls("Lead_link")}" href="{a(self.article_path(lead) + tracking)}"><div class="{_cls("Lead_headline")}">{t(lead.title)}</div></a>'
            f'<div class="{_cls("Story_dek")}">{t(lead.description)}</div>'
            f'<div class="{_cls("Byline_root")}">{self._byline(lead)} · {_human(lead.published)}</div>'
            f'<div class="{_cls("Story_body")}">{self._body(lead, promo=False)}</div></div>'
        )
        cards = "".join(self._card(x, tracking) for x in rest)
        sections = "".join(
            f'<a href="/news/{s}/">More {SECTION_NAMES[s]}</a> ' for s in self.sections
        )
        return self._listing(
            "Meridian Wire — News that moves markets",
            "Latest",
            lead_html + cards + f"<div>{sections}</div>",
        )

    def render_section(self, section: str, page: int) -> str:
        posts = self.latest(section=section)
        pages = -(-len(posts) // PAGE_SIZE)
        cards = "".join(self._card(x) for x in posts[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
        nav = ""
        if page < pages:
            nav += f'<a rel="next" href="/news/{section}/?page={page + 1}">Load more</a>'
        if page > 1:
            nav += f' <a rel="prev" href="/news/{section}/{"" if page == 2 else f"?page={page - 1}"}">Back</a>'
        name = SECTION_NAMES[section]
        title = (
            f"{name} News | Meridian Wire"
            if page == 1
            else f"{name} News - Page {page} | Meridian Wire"
        )
        return self._listing(title, name, cards + f'<div class="{_cls("Pager_root")}">{nav}</div>')

    def topic_intro(self, tag: str) -> str:
        """A topic page's introduction."""
        return (
            f"Latest news, analysis and data on {tag.lower()} from Meridian Wire's reporters"
            " across the region, updated through the day."
        )

    def render_topic(self, tag: str) -> str:
        cards = "".join(self._card(x) for x in self.latest() if tag in x.tags)
        intro = f'<p class="{_cls("List_intro")}">{t(self.topic_intro(tag))}</p>'
        return self._listing(f"{tag}: Latest News | Meridian Wire", tag, cards, "article", intro)

    def render_author(self, name: str) -> str:
        cards = "".join(self._card(x) for x in self.latest() if name in x.authors)
        beats = dict(MERIDIAN_AUTHORS)[name]
        intro = f'<p class="{_cls("List_intro")}">{t(name)} reports on {" and ".join(beats)} for Meridian Wire.</p>'
        return self._listing(f"{name} | Meridian Wire", name, cards, "profile", intro)

    # ----------------------------------------------------------------- machine
    def render_rss(self) -> Page:
        chosen = self.latest(20)
        items = [
            (
                x.title,
                self.url(f"/a/{x.ident}"),
                f"mw-{x.ident}",
                x.published,
                ", ".join(x.authors),
                x.description,
            )
            for x in chosen
        ]
        body = rss(self.name, self.base_url, self.url("/rss.xml"), items)
        return xml_page(body, RSS_TYPE, max(x.published for x in chosen))

    def render_json_feed(self) -> Page:
        chosen = self.latest(20)
        feed = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": self.name,
            "home_page_url": self.base_url,
            "feed_url": self.url("/feed.json"),
            "items": [
                {
                    "id": str(x.ident),
                    "url": self.url(self.article_path(x) + "?utm_source=jsonfeed&utm_medium=feed"),
                    "title": x.title,
                    "summary": x.description,
                    "date_published": x.published.isoformat(),
                    "authors": [{"name": n} for n in x.authors],
                    "tags": list(x.tags),
                }
                for x in chosen
            ],
        }
        body = json.dumps(feed, ensure_ascii=False, indent=1) + "\n"
        return Page(
            200, JSON_FEED_TYPE, body.encode(), last_modified=max(x.published for x in chosen)
        )

    # ------------------------------------------------------------ ground truth
    def listing_pages(self) -> list[tuple[str, str]]:
        pages = [("/", "home-with-lead-story")]
        for section in self.sections:
            count = -(-len(self.latest(section=section)) // PAGE_SIZE)
            pages.append((f"/news/{section}/", "section"))
            pages += [(f"/news/{section}/?page={n}", "section-page") for n in range(2, count + 1)]
        pages += [(f"/topic/{slugify(tag)}/", "tag-og-article") for tag in self.tags]
        pages += [
            (f"/authors/{slugify(n)}/", "author") for n in self.authors if not n.endswith("Staff")
        ]
        return pages

    def extra_manifest(self) -> dict:
        listed = {x.number for x in self.articles} - {x.number for x in self.unlisted}
        return {
            "feeds": [self.url("/rss.xml"), self.url("/feed.json")],
            "sitemaps": [
                self.url("/sitemap-index.xml"),
                *(self.url(f"/sitemaps/articles-{m}.xml") for m in MONTHS),
                self.url("/news-sitemap.xml"),
            ],
            "sitemap_lies": {
                "gone_sitemaps": [
                    self.url("/sitemaps/legacy-articles.xml"),
                    self.url(f"/sitemaps/articles-{GONE_MONTH}.xml"),
                ],
                "unlisted_articles": [self.url(self.article_path(x)) for x in self.unlisted],
                "listed_articles": [
                    self.url(self.article_path(self.by_number[n])) for n in sorted(listed)
                ],
                "dead_entries": [{"url": self.url(p), "status": s} for p, s in self.dead_entries],
                "stale_lastmod": "every <lastmod> is the first day of the sitemap's month, "
                "older than the publication of the story it dates; the index says "
                + STALE_INDEX_LASTMOD,
            },
        }
