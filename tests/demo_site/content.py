"""The Loopback Herald's content model and its HTML, feed and sitemap rendering.

`build_articles()` turns the hand-written stories (and the spec page's story, copied here
from `shared/seed/` so that a clone elsewhere still has it) into thirty articles, assigns
each a page template and teaser layouts with a `random.Random(2026)`, and picks the other
stories each page teases. `Site(base_url)` answers a request target with a `Page` and
describes the same site as ground truth in `manifest()`. Everything is deterministic and
pure: the only state a running site has (the flaky article's first failure, the request
log) lives in `server.py`.
"""

import dataclasses
import datetime as dt
import email.utils
import functools
import hashlib
import html
import json
import random
import re
from collections.abc import Iterable
from urllib.parse import parse_qs, quote, urlsplit

from .stories import STORIES, Story

SITE_NAME = "The Loopback Herald"
SECTIONS = ("world", "politics", "business", "technology", "sport")
SECTION_NAMES = {
    "world": "World",
    "politics": "Politics",
    "business": "Business",
    "technology": "Technology",
    "sport": "Sport",
}
# Three stories per listing page gives most sections three pages (six own stories plus
# two cross-listed from other sections), so pagination is exercised.
PAGE_SIZE = 3
# Stories that also appear in a second section's listing (their URL keeps their own section).
CROSS_LISTED = {
    "world": ("rajasthan-shade-breaks-law", "lisbon-tourist-tax-rise"),
    "politics": ("cyprus-talks-geneva-water", "japan-fishing-towns-foreign-crews"),
    "business": ("quillon-processor-delay", "heliotrope-solar-roof-tiles"),
    "technology": ("ostro-battery-gigafactory", "rotterdam-flood-barrier-upgrade"),
    "sport": (),
}
FEED_SIZE = 20
MOST_READ_SIZE = 5

TEMPLATES = ("wordpress", "newsroom", "semantic", "story")
# Where each template states the publication date in machine-readable form; "url" means
# only the /yyyy/mm/dd/ of the URL (a date in the newsroom's local time, no time of day).
DATE_SOURCES = {"wordpress": "meta", "newsroom": "json-ld", "semantic": "time", "story": "url"}
LAYOUTS = (
    "aside-related",
    "related-posts",
    "plain-divs",
    "read-more",
    "flattened-p",
    "sidebar-trending",
)
_PRIMARY_CYCLE = ("aside-related", "related-posts", "plain-divs", "read-more", "flattened-p")

HTML_TYPE = "text/html; charset=utf-8"
RSS_TYPE = "application/rss+xml; charset=utf-8"
ATOM_TYPE = "application/atom+xml; charset=utf-8"
XML_TYPE = "application/xml; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"
CSS_TYPE = "text/css; charset=utf-8"
JPEG_TYPE = "image/jpeg"

ROBOTS_DISALLOWED = ("/private/", "/search")
ERROR_PATH = "/world/broken-story"
FLAKY_SLUG = "parley-encrypted-group-calls"
LATEST_ARCHIVE_PATH = "/archive/2026/11/20/"
LIVE_MISSING_PATH = "/sport/2026/10/31/cup-final-tickets-latest"
CORRECTION_MISSING_PATH = "/business/2026/11/19/retail-sales-surprise"
REDIRECTS = {"/about": "/about/"}

# ---------------------------------------------------------------- the spec page's story
# Copied verbatim from shared/seed/article-body.txt and shared/seed/sidebar-teasers.txt
# (odd spacing inside the quotes included): the body a perfect extractor stores, and the
# teasers that followed it on the real page.
SEED_SLUG = "met-police-armed-patrols"
SEED_TITLE = "Met Police consider armed foot patrols to tackle gang violence"
SEED_BODY = (
    "The police are evaluating posting armed officers on foot patrols to hinder violence in areas “ where gang activity is likely”. Met Commissioner Cressida Dick told an apprehending a move would only be used in “extreme circumstances”.",
    "In a memo noticed by the BBC, she said the assessment would only be used for “short periods of time”. The Met said armed patrols would not be “ routine”, but a Labour peer alerted they would be “ seen as provocative”. The number of brutal deaths in London has reached up to 127 so far, excelling entire 116 killings of 2017.",
    "A memo was seen by the BBC, the email recipients were informed about the concept of armed police on foot patrol was a section of a “ recent internal discussion” into how to reduce ruthless deaths in the capital. If sheltered, the armed patrols would be “based on an informed and reliable intelligence picture of where gang activity is likely”, only be done in “ full consultation with the local policing borough ” and be used as a “ temporary measure for short periods of time”, the memo stated.",
    "Ms Dick told a London Assembly apprehension the change would be “ half a step on” from the status quo and present a “small change in tactic in extreme circumstances”.",
    "Met assistant commissioner Sir Stephen House told the same apprehension the armed patrols were part of a “ range of tactics” the effort was considering to “ get ahead of the violence ”, and added the force was at “very early stages ” of a “very limited consultation”.",
    "He said in a statement: “We are not considering routine deployments of armed officers in our communities”.",
)
SEED_TEASER_LABELS = ("Related Articles", "Next Story", "Going Viral")
SEED_TEASER_HEADLINE = "Brexit: British PM Boris Johnson’s Final Attempt To Get Deal Through"
SEED_TEASER_BYLINE = "by Susmita October 22, 2019"
SEED_TEASER_BLURB = (
    "The British Prime Minister will request MPs to support his Brexit deal in a final bid"
    " to get the UK to leave the EU in nine day’s time. MPs will vote on the PM’s Withdrawl"
    " Agreement Bill and if they back they will be asked to approve a three-day timetable to"
    " consider the legislation.\u00a0 Opposition MPs have already protested the decision to"
    " reduce the scrutiny of the bill to three..."
)
# The teased 2019 story is long gone from the site: its link is one of the 404s.
SEED_TEASER_PATH = "/politics/2019/10/22/brexit-final-attempt-deal"
SEED_STORY = Story(
    section="world",
    slug=SEED_SLUG,
    title=SEED_TITLE,
    description="The Metropolitan Police is weighing armed foot patrols in areas where gang violence is most likely, the commissioner has said.",
    authors=("Rhys Morgan",),
    published="2026-11-02T09:15:00+00:00",
    modified="2026-11-02T14:30:00+00:00",
    tags=("Policing", "London"),
    caption="Armed officers outside New Scotland Yard. The Met says any patrols would be temporary.",
    paragraphs=SEED_BODY,
)

# ------------------------------------------------------------------- page furniture
NEWSLETTER_TEXT = (
    "Sign up for our Morning Briefing newsletter to get the day's essential stories from"
    " The Loopback Herald in your inbox before 7am, every weekday."
)
SHARE_LABELS = ("Share on Facebook", "Share on X", "Share via Email")
PRINT_LABEL = "Print this article"
COMMENTS = (
    (
        "Margaret H.",
        "Good to finally see this reported properly. The local papers have ignored it for months.",
    ),
    ("dave_from_leeds", "Same story every year. Announcements, consultations, and then nothing."),
    ("Aiyana", "Does anyone know whether the full report has been published? I couldn't find it."),
    ("Tomasz W.", "Interesting piece, but I would have liked to hear from the people affected."),
    ("K. Osei", "The numbers here don't match what was on the radio this morning."),
    ("Linda Fairweather", "My brother works in this field and says it is far worse than this."),
    ("RJ", "Sensible decision in my view, even if it took far too long."),
    ("northern_soul", "Who is going to pay for all of this? Not the people deciding, that's sure."),
    ("Beatriz", "Thank you for covering this. Please do a follow-up in six months."),
    ("Hugh P.", "I remember the last time this was tried. It did not end well."),
    ("sam.k", "Great reporting, as always. Shared with the whole family."),
    ("Yusuf", "The headline is a bit alarming, but the piece itself is much more balanced."),
    ("Ingrid L.", "Nobody asked the people who actually live there. They never do."),
    ("old_hack_1971", "Twenty years ago this would have been front-page news."),
    ("Chloe M.", "Fewer stories about the problem and more about what people can do, please."),
    ("Pradeep", "Fair and clear explanation. More of this, please."),
)

# A valid 8x8 grey baseline JPEG (159 bytes): JFIF header, a flat quantisation table,
# single-code Huffman tables and one all-zero block. libjpeg decodes it without warnings.
TINY_JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010100000100010000ffdb004300"
    + "01" * 64
    + "ffc0000b080008000801011100"
    + "ffc4001400"
    + "01"
    + "00" * 15
    + "00"
    + "ffc4001410"
    + "01"
    + "00" * 15
    + "00"
    + "ffda0008010100003f00"
    + "3f"
    + "ffd9"
)

SITE_CSS = """\
body { font-family: Georgia, serif; margin: 0 auto; max-width: 72rem; color: #1a1a1a; }
header, footer, nav { font-family: Helvetica, Arial, sans-serif; }
.sidebar { float: right; width: 18rem; }
.newsletter, .newsletter-signup, [data-component="newsletter-block"] { background: #f3efe6; padding: 1rem; }
"""


# ---------------------------------------------------------------------------- model
@dataclasses.dataclass(frozen=True)
class Teaser:
    """Another story as a page teases it: headline, link, byline with date, and blurbs."""

    headline: str
    path: str
    byline: str
    description: str
    excerpt: str


@dataclasses.dataclass(frozen=True)
class Article:
    """One article of the site: the story plus how its page is laid out."""

    slug: str
    section: str
    title: str
    description: str
    authors: tuple[str, ...]
    published: dt.datetime
    modified: dt.datetime | None
    tags: tuple[str, ...]
    caption: str
    paragraphs: tuple[str, ...]
    number: int = 0
    template: str = ""
    layouts: tuple[str, ...] = ()
    teasers: tuple[Teaser, ...] = ()
    read_more: tuple[Teaser, ...] = ()
    trending: tuple[Teaser, ...] = ()
    comments: tuple[tuple[str, str], ...] = ()
    flaky: bool = False

    @property
    def path(self) -> str:
        """The canonical path: /<section>/<yyyy>/<mm>/<dd>/<slug>, in local publication time."""
        return f"/{self.section}/{self.published:%Y/%m/%d}/{self.slug}"

    @property
    def amp_path(self) -> str:
        """The AMP variant's path."""
        return "/amp" + self.path

    @property
    def print_path(self) -> str:
        """The print variant's path and query."""
        return self.path + "?print=1"

    @property
    def image_path(self) -> str:
        """The lead image's path."""
        return f"/img/{self.slug}.jpg"

    @property
    def is_seed(self) -> bool:
        """Whether this is the spec page's story."""
        return self.slug == SEED_SLUG


@dataclasses.dataclass(frozen=True)
class Page:
    """An HTTP response as the site would send it."""

    status: int
    content_type: str
    body: bytes
    headers: tuple[tuple[str, str], ...] = ()


@dataclasses.dataclass(frozen=True)
class Block:
    """A rendered teaser block with the headlines and other texts it shows."""

    html: str
    headlines: tuple[str, ...]
    texts: tuple[str, ...]


def slugify(text: str) -> str:
    """Lower-case ASCII slug of a name or tag: "Women's sport" -> "womens-sport"."""
    text = text.lower().replace("'", "").replace("’", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def human_date(when: dt.datetime | dt.date) -> str:
    """Date as bylines print it: "October 22, 2019"."""
    return f"{when:%B} {when.day}, {when.year}"


def _article_from_story(story: Story) -> Article:
    return Article(
        slug=story.slug,
        section=story.section,
        title=story.title,
        description=story.description,
        authors=story.authors,
        published=dt.datetime.fromisoformat(story.published),
        modified=dt.datetime.fromisoformat(story.modified) if story.modified else None,
        tags=story.tags,
        caption=story.caption,
        paragraphs=story.paragraphs,
    )


def _teaser_of(article: Article) -> Teaser:
    words = article.paragraphs[0].split()
    return Teaser(
        headline=article.title,
        path=article.path,
        byline=f"by {article.authors[0]} {human_date(article.published)}",
        description=article.description,
        excerpt=" ".join(words[:24]) + "...",
    )


def build_articles() -> tuple[Article, ...]:
    """All thirty articles in section order, with templates, layouts and teasers assigned.

    Assignment is by position (templates cycle through four, primary teaser layouts through
    five) and the choice of teased stories and comments comes from `random.Random(2026)`,
    so every run builds the same site.
    """
    return _build()[0]


def most_read() -> tuple[Article, ...]:
    """The site-wide "Most read" list, as the home page shows it."""
    articles, slugs = _build()
    by_slug = {article.slug: article for article in articles}
    return tuple(by_slug[slug] for slug in slugs[:MOST_READ_SIZE])


@functools.cache
def _build() -> tuple[tuple[Article, ...], tuple[str, ...]]:
    rng = random.Random(2026)
    stories = (SEED_STORY, *STORIES)
    base = sorted(
        (_article_from_story(story) for story in stories),
        key=lambda article: SECTIONS.index(article.section),
    )
    teasers = {article.slug: _teaser_of(article) for article in base}
    popular = rng.sample([article.slug for article in base], MOST_READ_SIZE + 1)

    built = []
    for number, article in enumerate(base):
        template = TEMPLATES[number % len(TEMPLATES)]
        primary = _PRIMARY_CYCLE[number % len(_PRIMARY_CYCLE)]
        if article.is_seed or (primary == "flattened-p" and template == "story"):
            # Flattened <p> teasers need a <p>-based body; the seed page uses plain divs.
            primary = "plain-divs"
        layouts = [primary]
        if primary != "read-more" and number % 3 == 1:
            layouts.append("read-more")
        if template != "story":
            layouts.append("sidebar-trending")

        others = [slug for slug in teasers if slug != article.slug]
        chosen = rng.sample(others, rng.choice((2, 3)))
        leftover = [slug for slug in others if slug not in chosen]
        read_more = rng.sample(leftover, rng.choice((1, 2)))
        if primary == "read-more":
            read_more, chosen = chosen[:2], []
        elif "read-more" not in layouts:
            read_more = []
        if article.is_seed:
            chosen = []
        trending = [slug for slug in popular if slug != article.slug][:MOST_READ_SIZE]
        comments = rng.sample(COMMENTS, rng.randint(2, 4))
        built.append(
            dataclasses.replace(
                article,
                number=number,
                template=template,
                layouts=tuple(layouts),
                teasers=tuple(teasers[slug] for slug in chosen),
                read_more=tuple(teasers[slug] for slug in read_more),
                trending=tuple(teasers[slug] for slug in trending),
                comments=tuple(comments),
                flaky=article.slug == FLAKY_SLUG,
            )
        )
    return tuple(built), tuple(popular)


# ------------------------------------------------------------------------- helpers
def _t(text: str) -> str:
    """Escape text for an HTML text node (quotes and apostrophes stay as they are)."""
    return html.escape(text, quote=False)


def _a(text: str) -> str:
    """Escape text for an HTML attribute value."""
    return html.escape(text, quote=True)


def _json_ld(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'


def _join_names(names: Iterable[str]) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _session_id(key: str) -> str:
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def _html(status: int, body: str) -> Page:
    return Page(status, HTML_TYPE, body.encode("utf-8"))


class Site:
    """The Loopback Herald served at `base_url`: routing, rendering and ground truth."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.articles = build_articles()
        self._by_path = {article.path: article for article in self.articles}
        self._by_slug = {article.slug: article for article in self.articles}
        self.tags = sorted({tag for article in self.articles for tag in article.tags})
        self.authors = sorted({name for article in self.articles for name in article.authors})
        self._tag_by_slug = {slugify(tag): tag for tag in self.tags}
        self._author_by_slug = {slugify(name): name for name in self.authors}

    def revise(self, path: str, modified: dt.datetime) -> None:
        """The article at ``path`` was updated at ``modified``: its page, feeds and sitemaps
        say so from now on (a newsroom correcting a story)."""
        article = dataclasses.replace(self._by_path[path], modified=modified)
        self.articles = tuple(article if a.path == path else a for a in self.articles)
        self._by_path[path] = article
        self._by_slug[article.slug] = article

    # ------------------------------------------------------------------ addresses
    def url(self, path: str) -> str:
        """Absolute URL of a site path."""
        return self.base_url[:-1] + path

    @property
    def flaky_paths(self) -> tuple[str, ...]:
        """Paths that fail with 500 on their first request to a server instance."""
        return tuple(article.path for article in self.articles if article.flaky)

    def section_listing(self, section: str) -> list[Article]:
        """A section's listing, newest first: its own stories plus cross-listed ones."""
        listed = [article for article in self.articles if article.section == section]
        listed += [self._by_slug[slug] for slug in CROSS_LISTED[section]]
        return sorted(listed, key=lambda article: article.published, reverse=True)

    def section_pages(self, section: str) -> int:
        """How many listing pages a section has."""
        return -(-len(self.section_listing(section)) // PAGE_SIZE)

    def latest(self, count: int | None = None) -> list[Article]:
        """Articles newest first."""
        ordered = sorted(self.articles, key=lambda article: article.published, reverse=True)
        return ordered[:count] if count else ordered

    # -------------------------------------------------------------------- routing
    def respond(self, target: str) -> Page:
        """The page for a request target (path and query, as in the request line)."""
        parts = urlsplit(target)
        path = parts.path or "/"
        query = parse_qs(parts.query)
        try:
            return self._route(path, query)
        except Exception:
            return self.error_page(500)

    def _route(self, path: str, query: dict[str, list[str]]) -> Page:
        section_alt = "|".join(SECTIONS)
        if path == "/":
            return _html(200, self.render_home())
        if path == "/robots.txt":
            return Page(200, TEXT_TYPE, self.render_robots().encode())
        if path == "/sitemap.xml":
            return Page(200, XML_TYPE, self.render_sitemap_index().encode())
        if path == "/sitemap-articles.xml":
            return Page(200, XML_TYPE, self.render_sitemap_articles().encode())
        if path == "/news-sitemap.xml":
            return Page(200, XML_TYPE, self.render_news_sitemap().encode())
        if path == "/feeds/all.xml":
            return Page(200, RSS_TYPE, self.render_rss().encode())
        if path == "/static/site.css":
            return Page(200, CSS_TYPE, SITE_CSS.encode())
        if path == ERROR_PATH:
            return self.error_page(500)
        if path in REDIRECTS:
            return self.redirect(REDIRECTS[path])
        if match := re.fullmatch(rf"/feeds/({section_alt})\.atom", path):
            return Page(200, ATOM_TYPE, self.render_atom(match[1]).encode())
        if match := re.fullmatch(r"/img/([a-z0-9-]+)\.jpg", path):
            if match[1] in self._by_slug:
                return Page(200, JPEG_TYPE, TINY_JPEG, (("Cache-Control", "max-age=86400"),))
            return self.error_page(404)
        if match := re.fullmatch(
            rf"(/amp)?(/(?:{section_alt})/\d{{4}}/\d{{2}}/\d{{2}}/[a-z0-9-]+)(/?)", path
        ):
            article = self._by_path.get(match[2])
            if article is None:
                return self.error_page(404)
            if match[3]:
                return self.redirect((match[1] or "") + article.path)
            if match[1]:
                return _html(200, self.render_amp(article))
            return _html(
                200, self.render_article(article, print_mode="1" in query.get("print", []))
            )
        if match := re.fullmatch(rf"/({section_alt})(/?)", path):
            if not match[2]:
                return self.redirect(path + "/")
            page = query.get("page", ["1"])[0]
            if not page.isdigit() or not 1 <= int(page) <= self.section_pages(match[1]):
                return self.error_page(404)
            return _html(200, self.render_section(match[1], int(page)))
        if match := re.fullmatch(r"/tag/([a-z0-9-]+)(/?)", path):
            if match[1] not in self._tag_by_slug:
                return self.error_page(404)
            if not match[2]:
                return self.redirect(path + "/")
            return _html(200, self.render_tag(self._tag_by_slug[match[1]]))
        if match := re.fullmatch(r"/author/([a-z0-9-]+)(/?)", path):
            if match[1] not in self._author_by_slug:
                return self.error_page(404)
            if not match[2]:
                return self.redirect(path + "/")
            return _html(200, self.render_author(self._author_by_slug[match[1]]))
        if match := re.fullmatch(r"/archive/(\d{4})/(\d{2})/(\d{2})(/?)", path):
            try:
                day = dt.date(int(match[1]), int(match[2]), int(match[3]))
            except ValueError:
                return self.error_page(404)
            if not match[4]:
                return self.redirect(path + "/")
            return _html(200, self.render_archive_day(day))
        if path == "/about/":
            return _html(200, self.render_about())
        if path == "/contact/":
            return _html(200, self.render_contact())
        if path == "/search":
            return _html(200, self.render_search(query.get("q", [""])[0]))
        if path == "/private" or path.startswith("/private/"):
            return _html(200, self.render_private(path))
        return self.error_page(404)

    def redirect(self, location: str) -> Page:
        """A 301 to another path of the site."""
        body = f'<!DOCTYPE html>\n<html lang="en"><head><title>Moved</title></head><body><p>Moved to <a href="{_a(location)}">{_t(location)}</a>.</p></body></html>\n'
        return Page(301, HTML_TYPE, body.encode(), (("Location", self.url(location)),))

    def error_page(self, status: int) -> Page:
        """The HTML page for a 404 or a 500."""
        if status == 404:
            title, text = (
                "Page not found",
                "Sorry, we couldn't find the page you were looking for. It may have been moved or deleted.",
            )
        else:
            title, text = (
                "Something went wrong",
                "Our servers had a problem showing this page. Please try again later.",
            )
        body = (
            self._doc_start(
                f"{title} | {SITE_NAME}", meta=['<meta name="robots" content="noindex">']
            )
            + self._masthead()
            + f'<main class="error-page"><h1>{_t(title)}</h1><p>{_t(text)}</p>'
            + '<p><a href="/">Go to the home page</a></p></main>\n'
            + self._site_footer()
            + "</body>\n</html>\n"
        )
        return _html(status, body)

    # ------------------------------------------------------------------- chrome
    def _doc_start(
        self,
        title: str,
        *,
        canonical: str | None = None,
        meta: Iterable[str] = (),
        links: Iterable[str] = (),
        html_attrs: str = 'lang="en"',
    ) -> str:
        head = [
            "<!DOCTYPE html>",
            f"<html {html_attrs}>",
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{_t(title)}</title>",
            '<link rel="stylesheet" href="/static/site.css">',
        ]
        if canonical:
            head.append(f'<link rel="canonical" href="{_a(canonical)}">')
        head.extend(links)
        head.extend(meta)
        head += ["</head>", "<body>"]
        return "\n".join(head) + "\n"

    def _nav_links(self) -> str:
        items = ['<li><a href="/">Home</a></li>']
        items += [f'<li><a href="/{s}/">{SECTION_NAMES[s]}</a></li>' for s in SECTIONS]
        items.append('<li><a href="/search?q=">Search</a></li>')
        items.append('<li><a href="/private/login">Sign in</a></li>')
        return "<ul>" + "".join(items) + "</ul>"

    def _masthead(self, variant: str = "default") -> str:
        nav = self._nav_links()
        if variant == "wordpress":
            return f'<header id="masthead" class="site-header"><p class="site-title"><a href="/" rel="home">{SITE_NAME}</a></p><nav id="site-navigation" class="main-navigation">{nav}</nav></header>\n'
        if variant == "newsroom":
            return f'<header role="banner" class="orb-banner"><a class="brand" href="/">{SITE_NAME}</a><nav aria-label="Sections">{nav}</nav></header>\n'
        if variant == "story":
            return f'<div class="masthead"><div class="logo"><a href="/">{SITE_NAME}</a></div><div class="menu">{nav}</div></div>\n'
        return f'<header class="masthead"><a class="logo" href="/">{SITE_NAME}</a><nav class="sections">{nav}</nav></header>\n'

    def _site_footer(self) -> str:
        return (
            '<footer class="site-footer"><nav class="footer-links"><ul>'
            '<li><a href="/about">About us</a></li>'
            '<li><a href="/contact/">Contact</a></li>'
            f'<li><a href="{LATEST_ARCHIVE_PATH}">Archive</a></li>'
            '<li><a href="/feeds/all.xml">RSS</a></li>'
            '<li><a href="/private/">Members</a></li>'
            f"</ul></nav><p>© 2026 {SITE_NAME}. All rights reserved.</p></footer>\n"
        )

    # ------------------------------------------------------------- teaser blocks
    def teaser_blocks(self, article: Article) -> dict[str, list[Block]]:
        """Every teaser block an article's page shows, by layout, in page order."""
        blocks: dict[str, list[Block]] = {}
        for layout in article.layouts:
            if layout == "aside-related":
                blocks[layout] = [self._aside_related(article.teasers)]
            elif layout == "related-posts":
                blocks[layout] = [self._related_posts(article.teasers)]
            elif layout == "plain-divs":
                blocks[layout] = [self._plain_divs(article)]
            elif layout == "read-more":
                blocks[layout] = [self._read_more(teaser) for teaser in article.read_more]
            elif layout == "flattened-p":
                blocks[layout] = [self._flattened(article.teasers)]
            elif layout == "sidebar-trending":
                heading = "Trending now" if article.template == "semantic" else "Most read"
                blocks[layout] = [self._trending(article.trending, heading)]
        return blocks

    def _aside_related(self, teasers: tuple[Teaser, ...]) -> Block:
        items = "".join(
            f'<li><article class="teaser"><h3><a href="{_a(self.url(t.path))}">{_t(t.headline)}</a></h3>'
            f'<p class="teaser-byline">{_t(t.byline)}</p><p class="teaser-blurb">{_t(t.description)}</p></article></li>\n'
            for t in teasers
        )
        return Block(
            f'<aside class="related">\n<h2>Related Articles</h2>\n<ul>\n{items}</ul>\n</aside>\n',
            tuple(t.headline for t in teasers),
            ("Related Articles", *(x for t in teasers for x in (t.byline, t.description))),
        )

    def _related_posts(self, teasers: tuple[Teaser, ...]) -> Block:
        items = ""
        for t in teasers:
            href = _a(t.path + "?utm_source=related&utm_medium=web")
            image = "/img/" + t.path.rsplit("/", 1)[1] + ".jpg"
            items += (
                f'<div class="related-post"><a href="{href}"><img src="{image}" alt="" width="300" height="169"></a>'
                f'<h5><a href="{href}">{_t(t.headline)}</a></h5><span class="meta">{_t(t.byline)}</span>'
                f"<p>{_t(t.description)}</p></div>\n"
            )
        return Block(
            f'<div class="related-posts">\n<h4>You may also like</h4>\n{items}</div>\n',
            tuple(t.headline for t in teasers),
            ("You may also like", *(x for t in teasers for x in (t.byline, t.description))),
        )

    def _plain_divs(self, article: Article) -> Block:
        if article.is_seed:
            labels = "".join(f"<div>{_t(label)}</div>\n" for label in SEED_TEASER_LABELS)
            headline = _t(SEED_TEASER_HEADLINE)
            return Block(
                labels
                + f"<div><h3>{headline}</h3></div>\n"
                + f'<div><h3><a href="{_a(SEED_TEASER_PATH)}">{headline}</a></h3>'
                + f"<p>{_t(SEED_TEASER_BYLINE)}</p><p>{_t(SEED_TEASER_BLURB)}</p></div>\n",
                (SEED_TEASER_HEADLINE,),
                (*SEED_TEASER_LABELS, SEED_TEASER_BYLINE, SEED_TEASER_BLURB),
            )
        labels = "<div>Related Articles</div>\n<span>Next Story</span>\n<div>Going Viral</div>\n"
        items = "".join(
            f'<div><h3><a href="{_a(t.path)}">{_t(t.headline)}</a></h3><p>{_t(t.byline)}</p><p>{_t(t.excerpt)}</p></div>\n'
            for t in article.teasers
        )
        return Block(
            labels + items,
            tuple(t.headline for t in article.teasers),
            (*SEED_TEASER_LABELS, *(x for t in article.teasers for x in (t.byline, t.excerpt))),
        )

    def _read_more(self, teaser: Teaser) -> Block:
        return Block(
            f'<p><strong>READ MORE:</strong> <a href="{_a(teaser.path)}">{_t(teaser.headline)}</a></p>\n',
            (teaser.headline,),
            ("READ MORE:",),
        )

    def _flattened(self, teasers: tuple[Teaser, ...]) -> Block:
        labels = ("Next Story", "Previous Story", "More Stories")
        out, texts = "", []
        for label, t in zip(labels, teasers, strict=False):
            out += (
                f'<p>{label}</p>\n<p><a href="{_a(t.path)}">{_t(t.headline)}</a></p>\n'
                f"<p>{_t(t.byline)}</p>\n<p>{_t(t.excerpt)}</p>\n"
            )
            texts += [label, t.byline, t.excerpt]
        return Block(out, tuple(t.headline for t in teasers), tuple(texts))

    def _trending(self, teasers: tuple[Teaser, ...], heading: str) -> Block:
        items = "".join(f'<li><a href="{_a(t.path)}">{_t(t.headline)}</a></li>' for t in teasers)
        return Block(
            f'<section class="widget most-read"><h2 class="widget-title">{heading}</h2><ol>{items}</ol></section>\n',
            tuple(t.headline for t in teasers),
            (heading,),
        )

    # ------------------------------------------------------------ article parts
    def _byline(self, article: Article, rel: str = "") -> str:
        rel_attr = f' rel="{rel}"' if rel else ""
        links = [
            f'<a href="/author/{slugify(name)}/"{rel_attr}>{_t(name)}</a>'
            for name in article.authors
        ]
        return "By " + _join_names(links)

    def _share(self, article: Article, *, with_print: bool, with_amp: bool = False) -> str:
        target = quote(self.url(article.path), safe="")
        items = [
            f'<a class="share-facebook" href="https://www.facebook.com/sharer/sharer.php?u={target}">{SHARE_LABELS[0]}</a>',
            f'<a class="share-x" href="https://x.com/intent/post?url={target}">{SHARE_LABELS[1]}</a>',
            f'<a class="share-email" href="mailto:?subject={quote(article.title)}&amp;body={target}">{SHARE_LABELS[2]}</a>',
        ]
        if with_print:
            items.append(f'<a class="print" href="{_a(article.print_path)}">{PRINT_LABEL}</a>')
        if with_amp:
            items.append(f'<a class="lite" href="{_a(article.amp_path)}">Lite version</a>')
        return '<div class="share-bar">' + " | ".join(items) + "</div>\n"

    def _figure(self, article: Article, css: str = "") -> str:
        cls = f' class="{css}"' if css else ""
        return (
            f'<figure{cls}><img src="{article.image_path}" alt="{_a(article.title)}" width="1200" height="675">'
            f'<figcaption>{_t(article.caption)} <span class="credit">Photograph: Herald Picture Desk</span></figcaption></figure>\n'
        )

    def _breadcrumb(self, article: Article) -> str:
        name = SECTION_NAMES[article.section]
        return f'<nav class="breadcrumb" aria-label="Breadcrumb"><a href="/">Home</a> › <a href="/{article.section}/">{name}</a></nav>\n'

    def _newsletter(self, css: str, attrs: str = "") -> str:
        return (
            f'<div class="{css}"{attrs}><h3>Morning Briefing</h3><p>{_t(NEWSLETTER_TEXT)}</p>'
            '<form action="/newsletter/subscribe" method="post"><input type="email" name="email" placeholder="Your email address">'
            '<button type="submit">Sign up</button></form></div>\n'
        )

    def _comments(self, article: Article, tag: str = "section") -> str:
        items = "".join(
            f'<li class="comment"><p class="comment-author">{_t(name)}</p><p class="comment-text">{_t(text)}</p></li>'
            for name, text in article.comments
        )
        return f'<{tag} id="comments" class="comments-area"><h2>{len(article.comments)} comments</h2><ol class="comment-list">{items}</ol></{tag}>\n'

    def _tag_links(self, article: Article) -> str:
        return ", ".join(
            f'<a href="/tag/{slugify(tag)}/" rel="tag">{_t(tag)}</a>' for tag in article.tags
        )

    def _body(self, article: Article, blocks: dict[str, list[Block]], para: str) -> str:
        """Body paragraphs with READ MORE lines between them and in-container teasers after."""
        read_more = list(blocks.get("read-more", []))
        out = []
        for index, text in enumerate(article.paragraphs):
            out.append(para.format(_t(text)) + "\n")
            # READ MORE lines after the second and fourth paragraphs.
            if index in (1, 3) and read_more and index < len(article.paragraphs) - 1:
                out.append(read_more.pop(0).html)
        for layout in ("related-posts", "plain-divs", "flattened-p"):
            out += [block.html for block in blocks.get(layout, [])]
        return "".join(out)

    def _after_article(self, blocks: dict[str, list[Block]], print_mode: bool) -> str:
        if print_mode:
            return ""
        return "".join(block.html for block in blocks.get("aside-related", []))

    def _sidebar(self, blocks: dict[str, list[Block]], print_mode: bool, attrs: str = "") -> str:
        if print_mode or "sidebar-trending" not in blocks:
            return ""
        inner = "".join(block.html for block in blocks["sidebar-trending"])
        return f'<div class="sidebar"{attrs}>\n{inner}</div>\n'

    def _head_meta(self, article: Article) -> tuple[list[str], list[str]]:
        """(meta tags, extra head elements) for the article's template."""
        canonical = self.url(article.path)
        image = self.url(article.image_path)
        meta = [f'<meta name="description" content="{_a(article.description)}">']
        extra: list[str] = []
        og = [
            '<meta property="og:type" content="article">',
            f'<meta property="og:site_name" content="{SITE_NAME}">',
            f'<meta property="og:title" content="{_a(article.title)}">',
        ]
        og_description = f'<meta property="og:description" content="{_a(article.description)}">'
        og_image = f'<meta property="og:image" content="{_a(image)}">'
        og_url = f'<meta property="og:url" content="{_a(canonical)}">'
        if article.template == "wordpress":
            meta += [*og, og_description, og_image, og_url]
            meta.append(
                f'<meta property="article:published_time" content="{article.published.isoformat()}">'
            )
            if article.modified:
                meta.append(
                    f'<meta property="article:modified_time" content="{article.modified.isoformat()}">'
                )
            meta.append(
                f'<meta property="article:section" content="{SECTION_NAMES[article.section]}">'
            )
            meta += [f'<meta property="article:tag" content="{_a(tag)}">' for tag in article.tags]
            meta.append(f'<meta name="author" content="{_a(", ".join(article.authors))}">')
        elif article.template == "newsroom":
            meta += [*og, og_description, og_image, og_url]
            data = {
                "@context": "https://schema.org",
                "@type": "NewsArticle",
                "mainEntityOfPage": canonical,
                "headline": article.title,
                "description": article.description,
                "image": [image],
                "datePublished": article.published.isoformat(),
                "author": [
                    {"@type": "Person", "name": name, "url": self.url(f"/author/{slugify(name)}/")}
                    for name in article.authors
                ],
                "keywords": ", ".join(article.tags),
                "articleSection": SECTION_NAMES[article.section],
                "inLanguage": "en",
                "publisher": {
                    "@type": "NewsMediaOrganization",
                    "name": SITE_NAME,
                    "url": self.base_url,
                },
            }
            if article.modified:
                data["dateModified"] = article.modified.isoformat()
            extra.append(_json_ld(data))
        elif article.template == "semantic":
            meta += [*og, og_description, og_image]
            meta.append(f'<meta name="author" content="{_a(", ".join(article.authors))}">')
            meta.append(f'<meta name="keywords" content="{_a(", ".join(article.tags))}">')
        else:
            meta += [*og, og_image, '<meta name="twitter:card" content="summary_large_image">']
        return meta, extra

    # -------------------------------------------------------------- article page
    def render_article(self, article: Article, print_mode: bool = False) -> str:
        """The article page in its template; `print_mode` renders the ?print=1 variant."""
        blocks = self.teaser_blocks(article)
        meta, extra = self._head_meta(article)
        links = [*extra]
        if print_mode:
            meta.append('<meta name="robots" content="noindex, follow">')
        else:
            links.append(f'<link rel="amphtml" href="{_a(self.url(article.amp_path))}">')
        titles = {
            "wordpress": f"{article.title} | {SITE_NAME}",
            "newsroom": f"{article.title} - {SITE_NAME}",
            "semantic": f"{article.title} — {SECTION_NAMES[article.section]} — {SITE_NAME}",
            "story": article.title,
        }
        start = self._doc_start(
            titles[article.template],
            canonical=self.url(article.path),
            meta=meta,
            links=links,
        )
        render = {
            "wordpress": self._render_wordpress,
            "newsroom": self._render_newsroom,
            "semantic": self._render_semantic,
            "story": self._render_story,
        }[article.template]
        return (
            start + render(article, blocks, print_mode) + self._site_footer() + "</body>\n</html>\n"
        )

    def _render_wordpress(
        self, a: Article, blocks: dict[str, list[Block]], print_mode: bool
    ) -> str:
        body = self._body(a, blocks, "<p>{}</p>")
        newsletter = "" if print_mode else self._newsletter("newsletter-signup")
        share = "" if print_mode else self._share(a, with_print=True)
        comments = "" if print_mode else self._comments(a)
        return (
            '<div id="page" class="site">\n'
            + self._masthead("wordpress")
            + '<div id="content" class="site-content">\n<div id="primary" class="content-area"><main id="main" class="site-main">\n'
            + self._breadcrumb(a)
            + f'<article id="post-{1000 + a.number}" class="post type-post status-publish format-standard has-post-thumbnail">\n'
            + '<header class="entry-header">'
            + f'<h1 class="entry-title">{_t(a.title)}</h1>\n'
            + f'<div class="entry-meta"><span class="byline">{self._byline(a)}</span> <span class="posted-on">{human_date(a.published)}</span></div>'
            + "</header>\n"
            + share
            + self._figure(a, "wp-block-image")
            + '<div class="entry-content">\n'
            + body
            + newsletter
            + "</div>\n"
            + f'<footer class="entry-footer"><span class="tags-links">Tags: {self._tag_links(a)}</span></footer>\n'
            + "</article>\n"
            + self._after_article(blocks, print_mode)
            + comments
            + "</main></div>\n"
            + self._sidebar(blocks, print_mode, ' id="secondary" role="complementary"')
            + "</div>\n</div>\n"
        )

    def _render_newsroom(self, a: Article, blocks: dict[str, list[Block]], print_mode: bool) -> str:
        body = self._body(a, blocks, "<p>{}</p>")
        share = (
            ""
            if print_mode
            else f'<div data-component="share-block">{self._share(a, with_print=False)}</div>\n'
        )
        newsletter = (
            ""
            if print_mode
            else self._newsletter("newsletter", ' data-component="newsletter-block"')
        )
        comments = "" if print_mode else self._comments(a)
        return (
            self._masthead("newsroom")
            + '<div class="page-wrapper">\n<main id="main-content" role="main">\n'
            + self._breadcrumb(a)
            + '<div class="article-main" data-component="article">\n'
            + f'<div data-component="headline-block"><h1 id="main-heading">{_t(a.title)}</h1></div>\n'
            + f'<div data-component="byline-block"><p class="contributor">{self._byline(a)}</p></div>\n'
            + share
            + f'<div data-component="image-block">{self._figure(a)}</div>\n'
            + '<div class="article-body" data-component="text-block">\n'
            + body
            + "</div>\n"
            + f'<div data-component="tag-list"><h2>Related topics</h2>{self._tag_links(a)}</div>\n'
            + "</div>\n"
            + newsletter
            + self._after_article(blocks, print_mode)
            + comments
            + "</main>\n"
            + self._sidebar(blocks, print_mode, ' data-component="sidebar"')
            + "</div>\n"
        )

    def _render_semantic(self, a: Article, blocks: dict[str, list[Block]], print_mode: bool) -> str:
        body = self._body(a, blocks, "<p>{}</p>")
        published = f'<time datetime="{a.published.isoformat()}" class="published">{a.published.day} {a.published:%B %Y, %H:%M} (UTC{a.published.isoformat()[-6:]})</time>'
        if a.modified:
            published += f' · Updated <time datetime="{a.modified.isoformat()}" class="updated">{a.modified.day} {a.modified:%B %Y, %H:%M}</time>'
        share = "" if print_mode else self._share(a, with_print=True)
        newsletter = "" if print_mode else self._newsletter("newsletter")
        comments = "" if print_mode else self._comments(a)
        return (
            self._masthead()
            + self._breadcrumb(a)
            + '<div class="layout">\n<main>\n<article>\n'
            + f'<header><h1>{_t(a.title)}</h1><p class="byline">{self._byline(a, rel="author")}</p><p class="dateline">{published}</p></header>\n'
            + share
            + self._figure(a)
            + "<section>\n"
            + body
            + "</section>\n"
            + f'<footer class="article-tags">Topics: {self._tag_links(a)}</footer>\n'
            + "</article>\n"
            + self._after_article(blocks, print_mode)
            + newsletter
            + comments
            + "</main>\n"
            + self._sidebar(blocks, print_mode)
            + "</div>\n"
        )

    def _render_story(self, a: Article, blocks: dict[str, list[Block]], print_mode: bool) -> str:
        body = self._body(a, blocks, '<div class="story-text"><div>{}</div></div>')
        tools = (
            ""
            if print_mode
            else f'<div class="story-tools">{self._share(a, with_print=False, with_amp=True)}</div>\n'
        )
        newsletter = "" if print_mode else self._newsletter("newsletter")
        comments = "" if print_mode else self._comments(a, tag="div")
        return (
            '<div id="page">\n'
            + self._masthead("story")
            + self._breadcrumb(a).replace('class="breadcrumb"', 'class="crumbs breadcrumb"')
            + '<div class="story">\n'
            + f'<div class="story-head"><h1 class="story-title">{_t(a.title)}</h1><div class="story-byline">{self._byline(a)}</div></div>\n'
            + tools
            + f'<div class="story-media">{self._figure(a)}</div>\n'
            + '<div class="story-body">\n'
            + body
            + "</div>\n"
            + f'<div class="story-tags">More on: {self._tag_links(a)}</div>\n'
            + "</div>\n"
            + self._after_article(blocks, print_mode)
            + newsletter
            + comments
            + "</div>\n"
        )

    def render_amp(self, article: Article) -> str:
        """The AMP variant: simplified markup, the body only, canonical to the main page."""
        paragraphs = "".join(f"<p>{_t(text)}</p>\n" for text in article.paragraphs)
        return (
            '<!DOCTYPE html>\n<html amp lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{_t(article.title)}</title>\n"
            f'<link rel="canonical" href="{_a(self.url(article.path))}">\n'
            '<meta name="viewport" content="width=device-width,minimum-scale=1,initial-scale=1">\n'
            '<script async src="https://cdn.ampproject.org/v0.js"></script>\n'
            "<style amp-boilerplate>body{visibility:hidden}</style>\n"
            "</head>\n<body>\n"
            f'<header class="amp-header"><a href="/">{SITE_NAME}</a></header>\n'
            f'<article class="amp-article">\n<h1>{_t(article.title)}</h1>\n'
            f'<p class="amp-byline">{self._byline(article)}</p>\n'
            f'<amp-img src="{article.image_path}" width="1200" height="675" layout="responsive" alt="{_a(article.title)}"></amp-img>\n'
            f'<div class="amp-body">\n{paragraphs}</div>\n</article>\n'
            f'<footer class="amp-footer"><a href="{_a(article.path)}">View the full article</a></footer>\n'
            "</body>\n</html>\n"
        )

    # --------------------------------------------------------- listing pages
    def _card(self, article: Article, href: str) -> str:
        return (
            f'<article class="card"><h2><a href="{_a(href)}">{_t(article.title)}</a></h2>'
            f"<p>{_t(article.description)}</p>"
            f'<p class="meta">{self._byline(article)} · {human_date(article.published)} · '
            f'<a href="{_a(article.path)}#comments">{len(article.comments)} comments</a></p></article>\n'
        )

    def _listing_page(
        self, title: str, canonical: str, inner: str, links: Iterable[str] = ()
    ) -> str:
        return (
            self._doc_start(f"{title} | {SITE_NAME}", canonical=self.url(canonical), links=links)
            + self._masthead()
            + f'<main class="listing">\n<h1>{_t(title)}</h1>\n{inner}</main>\n'
            + self._site_footer()
            + "</body>\n</html>\n"
        )

    def _feed_links(self) -> list[str]:
        links = [
            f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME}: all stories" href="{self.url("/feeds/all.xml")}">'
        ]
        links += [
            f'<link rel="alternate" type="application/atom+xml" title="{SITE_NAME}: {SECTION_NAMES[s]}" href="{self.url(f"/feeds/{s}.atom")}">'
            for s in SECTIONS
        ]
        return links

    def render_home(self) -> str:
        """The home page: lead stories, section lists, most read, trending, footer."""
        lead = ""
        for article in self.latest(3):
            href = article.path + "?utm_source=homepage&utm_medium=web"
            lead += (
                f'<article class="lead"><a href="{_a(href)}"><img src="{article.image_path}" alt="" width="600" height="338"></a>'
                f'<h2><a href="{_a(href)}">{_t(article.title)}</a></h2><p>{_t(article.description)}</p>'
                f'<p class="meta">{self._byline(article)}</p></article>\n'
            )
        sections = ""
        for section in SECTIONS:
            own = [a for a in self.section_listing(section) if a.section == section]
            items = "".join(f'<li><a href="{_a(a.path)}">{_t(a.title)}</a></li>' for a in own[:3])
            sections += (
                f'<section class="section-list"><h2><a href="/{section}/">{SECTION_NAMES[section]}</a></h2>'
                f'<ul>{items}</ul><a class="more" href="/{section}/">More {SECTION_NAMES[section]}</a></section>\n'
            )
        most = "".join(f'<li><a href="{_a(a.path)}">{_t(a.title)}</a></li>' for a in most_read())
        latest = self.latest()
        trending_tags = "".join(
            f'<li><a href="/tag/{slugify(tag)}/">{_t(tag)}</a></li>'
            for tag in ("Climate", "Europe", "Football", "Markets")
        )
        shared = "".join(
            f'<li><a href="{_a(a.path)}?fbclid=abc123">{_t(a.title)}</a></li>' for a in latest[5:7]
        )
        discussed = "".join(
            f'<li><a href="{_a(a.path)}#comments">{_t(a.title)}</a></li>' for a in latest[7:9]
        )
        inner = (
            f'<section class="top-stories"><h1 class="visually-hidden">{SITE_NAME}</h1>\n{lead}</section>\n'
            '<section class="breaking"><p><strong>Live:</strong> '
            f'<a href="{LIVE_MISSING_PATH}">County cup final tickets: latest updates</a></p>'
            f'<p><strong>Developing:</strong> <a href="{ERROR_PATH}">Power cut hits parts of the city centre</a></p></section>\n'
            + sections
            + f'<aside class="most-read"><h2>Most read</h2><ol>{most}</ol></aside>\n'
            + f'<aside class="trending"><h2>Trending</h2><ul>{trending_tags}</ul><h3>Shared on Facebook</h3><ul>{shared}</ul>'
            + f"<h3>Most discussed</h3><ul>{discussed}</ul></aside>\n"
            + '<form class="search" action="/search" method="get"><input name="q" type="search"><button>Search</button></form>\n'
        )
        return (
            self._doc_start(
                f"{SITE_NAME} - News from around the world",
                canonical=self.base_url,
                meta=[
                    f'<meta name="description" content="{SITE_NAME}: news, politics, business, technology and sport.">',
                    '<meta property="og:type" content="website">',
                    f'<meta property="og:title" content="{SITE_NAME}">',
                ],
                links=self._feed_links(),
            )
            + self._masthead()
            + f'<main class="home">\n{inner}</main>\n'
            + self._site_footer()
            + "</body>\n</html>\n"
        )

    def _section_path(self, section: str, page: int) -> str:
        return f"/{section}/" if page == 1 else f"/{section}/?page={page}"

    def render_section(self, section: str, page: int) -> str:
        """A section's listing page, PAGE_SIZE stories per page with prev/next links."""
        listing = self.section_listing(section)
        pages = self.section_pages(section)
        items = listing[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        inner = "".join(self._card(article, article.path) for article in items)
        nav, links = (
            [],
            [
                f'<link rel="alternate" type="application/atom+xml" title="{SITE_NAME}: {SECTION_NAMES[section]}" href="{self.url(f"/feeds/{section}.atom")}">'
            ],
        )
        if page > 1:
            nav.append(
                f'<a rel="prev" href="{_a(self._section_path(section, page - 1))}">Newer stories</a>'
            )
            links.append(
                f'<link rel="prev" href="{_a(self.url(self._section_path(section, page - 1)))}">'
            )
        if page < pages:
            nav.append(
                f'<a rel="next" href="{_a(self._section_path(section, page + 1))}">Older stories</a>'
            )
            links.append(
                f'<link rel="next" href="{_a(self.url(self._section_path(section, page + 1)))}">'
            )
        inner += (
            f'<nav class="pagination"><span>Page {page} of {pages}</span> {" ".join(nav)}</nav>\n'
        )
        if page == 1 and section == "world":
            inner += f'<p class="developing"><a href="{ERROR_PATH}">Developing: power cut hits parts of the city centre</a></p>\n'
        if page == 1 and section == "business":
            inner += f'<p class="correction"><a href="{CORRECTION_MISSING_PATH}">Correction: retail sales figures for October</a></p>\n'
        title = SECTION_NAMES[section] + ("" if page == 1 else f" - page {page}")
        return self._listing_page(title, self._section_path(section, page), inner, links)

    def render_tag(self, tag: str) -> str:
        """Stories with a tag; links carry a legacy ?sessionid= parameter."""
        tagged = [a for a in self.latest() if tag in a.tags]
        session = _session_id("tag:" + tag)
        inner = "".join(self._card(a, f"{a.path}?sessionid={session}") for a in tagged)
        return self._listing_page(f"Topic: {tag}", f"/tag/{slugify(tag)}/", inner)

    def render_author(self, name: str) -> str:
        """An author's page and their stories."""
        written = [a for a in self.latest() if name in a.authors]
        inner = (
            f'<p class="bio">{_t(name)} is a reporter for {SITE_NAME}. '
            f'<a href="/private/messages?to={slugify(name)}">Message {_t(name.split()[0])}</a></p>\n'
        )
        inner += "".join(self._card(a, a.path) for a in written)
        return self._listing_page(name, f"/author/{slugify(name)}/", inner)

    def render_archive_day(self, day: dt.date) -> str:
        """One day of the calendar archive: its stories, and links to the days either side."""
        stories = [a for a in self.latest() if a.published.date() == day]
        inner = (
            "".join(self._card(a, a.path) for a in stories)
            or "<p>No stories were published on this day.</p>\n"
        )
        nav = []
        for label, delta in (("Previous day", -1), ("Next day", 1)):
            try:
                other = day + dt.timedelta(days=delta)
            except OverflowError:
                continue
            nav.append(f'<a href="/archive/{other:%Y/%m/%d}/">{label}</a>')
        inner += f'<nav class="archive-nav">{" ".join(nav)}</nav>\n'
        return self._listing_page(f"Archive: {human_date(day)}", f"/archive/{day:%Y/%m/%d}/", inner)

    def render_about(self) -> str:
        """The about page."""
        inner = (
            f"<p>{SITE_NAME} is an independent newsroom covering world news, politics, business, technology and sport.</p>\n"
            "<p>Our reporters work from bureaus in London, Nairobi, Lisbon and Singapore. We correct our mistakes openly and quickly.</p>\n"
        )
        return self._listing_page("About us", "/about/", inner)

    def render_contact(self) -> str:
        """The contact page."""
        inner = (
            '<p>News desk: <a href="mailto:newsdesk@loopback-herald.test">newsdesk@loopback-herald.test</a></p>\n'
            "<p>Corrections: please write to the readers' editor at the address above.</p>\n"
        )
        return self._listing_page("Contact", "/contact/", inner)

    def render_search(self, query: str) -> str:
        """Search results (disallowed by robots.txt), with an endless "next page" link."""
        words = [w for w in query.lower().split() if w]
        hits = [a for a in self.latest() if any(w in a.title.lower() for w in words)]
        inner = "".join(self._card(a, a.path) for a in hits) or "<p>No results.</p>\n"
        inner += f'<p><a href="/search?q={quote(query)}&amp;page=2">Next page</a></p>\n'
        return self._listing_page(f"Search: {query}", "/search", inner)

    def render_private(self, path: str) -> str:
        """The members area (disallowed by robots.txt)."""
        inner = (
            "<p>This area is for members only. Please sign in.</p>\n"
            '<form action="/private/login" method="post"><input name="user"><input name="password" type="password"><button>Sign in</button></form>\n'
            '<ul><li><a href="/private/archive/">Members archive</a></li><li><a href="/private/account">Your account</a></li></ul>\n'
        )
        return self._listing_page("Members area", path, inner)

    # ----------------------------------------------------------------- machine
    def render_robots(self) -> str:
        """robots.txt: two disallowed prefixes and the sitemap index."""
        rules = "".join(f"Disallow: {prefix}\n" for prefix in ROBOTS_DISALLOWED)
        return f"# robots.txt for {SITE_NAME}\nUser-agent: *\n{rules}\nSitemap: {self.url('/sitemap.xml')}\n"

    def render_sitemap_index(self) -> str:
        """sitemap.xml: an index of the article sitemap and the news sitemap."""
        latest = max(a.modified or a.published for a in self.articles)
        entries = "".join(
            f"<sitemap><loc>{_t(self.url(path))}</loc><lastmod>{latest.isoformat()}</lastmod></sitemap>\n"
            for path in ("/sitemap-articles.xml", "/news-sitemap.xml")
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</sitemapindex>\n"
        )

    def render_sitemap_articles(self) -> str:
        """All articles with their last modification time."""
        entries = "".join(
            f"<url><loc>{_t(self.url(a.path))}</loc><lastmod>{(a.modified or a.published).isoformat()}</lastmod></url>\n"
            for a in self.latest()
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</urlset>\n"
        )

    def render_news_sitemap(self) -> str:
        """A Google News sitemap of all articles."""
        entries = "".join(
            f"<url><loc>{_t(self.url(a.path))}</loc><news:news><news:publication>"
            f"<news:name>{SITE_NAME}</news:name><news:language>en</news:language></news:publication>"
            f"<news:publication_date>{a.published.isoformat()}</news:publication_date>"
            f"<news:title>{_t(a.title)}</news:title></news:news></url>\n"
            for a in self.latest()
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">\n'
            f"{entries}</urlset>\n"
        )

    def render_rss(self) -> str:
        """RSS 2.0 of the latest FEED_SIZE stories; item links carry utm parameters."""
        items = ""
        for a in self.latest(FEED_SIZE):
            link = self.url(a.path) + "?utm_source=rss&utm_medium=feed"
            categories = "".join(f"<category>{_t(tag)}</category>" for tag in a.tags)
            items += (
                f"<item><title>{_t(a.title)}</title><link>{_t(link)}</link>"
                f'<guid isPermaLink="true">{_t(self.url(a.path))}</guid>'
                f"<pubDate>{email.utils.format_datetime(a.published)}</pubDate>"
                f"<dc:creator>{_t(', '.join(a.authors))}</dc:creator>{categories}"
                f"<description>{_t(a.description)}</description></item>\n"
            )
        built = email.utils.format_datetime(self.latest(1)[0].published)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
            f"<channel><title>{SITE_NAME}</title><link>{self.base_url}</link>"
            f"<description>The latest stories from {SITE_NAME}</description><language>en</language>"
            f'<atom:link href="{self.url("/feeds/all.xml")}" rel="self" type="application/rss+xml"/>'
            f"<lastBuildDate>{built}</lastBuildDate>\n{items}</channel>\n</rss>\n"
        )

    def render_atom(self, section: str) -> str:
        """Atom feed of one section's own stories."""
        own = [a for a in self.latest() if a.section == section]
        entries = "".join(
            f"<entry><title>{_t(a.title)}</title><id>{_t(self.url(a.path))}</id>"
            f'<link rel="alternate" type="text/html" href="{_a(self.url(a.path))}"/>'
            f"<published>{a.published.isoformat()}</published>"
            f"<updated>{(a.modified or a.published).isoformat()}</updated>"
            + "".join(f"<author><name>{_t(name)}</name></author>" for name in a.authors)
            + f"<summary>{_t(a.description)}</summary></entry>\n"
            for a in own
        )
        updated = max(a.modified or a.published for a in own)
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<feed xmlns="http://www.w3.org/2005/Atom">\n'
            f"<title>{SITE_NAME}: {SECTION_NAMES[section]}</title><id>{self.url(f'/{section}/')}</id>"
            f'<link rel="self" href="{self.url(f"/feeds/{section}.atom")}"/>'
            f'<link rel="alternate" href="{self.url(f"/{section}/")}"/>'
            f"<updated>{updated.isoformat()}</updated>\n{entries}</feed>\n"
        )

    # ----------------------------------------------------------------- manifest
    def article_manifest(self, article: Article) -> dict:
        """Ground truth for one article: what a perfect crawler stores, and the traps."""
        blocks = self.teaser_blocks(article)
        headlines: list[str] = []
        texts: list[str] = []
        for layout_blocks in blocks.values():
            for block in layout_blocks:
                headlines += [h for h in block.headlines if h not in headlines]
                texts += [t for t in block.texts if t not in texts]
        boilerplate = [article.caption, NEWSLETTER_TEXT, *SHARE_LABELS]
        boilerplate += [text for _, text in article.comments]
        return {
            "url": self.url(article.path),
            "path": article.path,
            "section": article.section,
            "title": article.title,
            "authors": list(article.authors),
            "published": article.published.isoformat(),
            "modified": article.modified.isoformat() if article.modified else None,
            "description": article.description,
            "image": self.url(article.image_path),
            "tags": list(article.tags),
            "language": "en",
            "text": "\n\n".join(article.paragraphs),
            "teaser_headlines": headlines,
            "teaser_texts": texts,
            "template": article.template,
            "date_source": DATE_SOURCES[article.template],
            "teaser_layouts": list(article.layouts),
            "boilerplate_texts": boilerplate,
            "variants": [self.url(article.amp_path), self.url(article.print_path)],
            "flaky": article.flaky,
        }

    def non_article_paths(self) -> list[str]:
        """Listing and static pages a crawler may visit (not disallowed, not errors)."""
        paths = ["/"]
        for section in SECTIONS:
            paths += [
                self._section_path(section, p) for p in range(1, self.section_pages(section) + 1)
            ]
        paths += [f"/tag/{slugify(tag)}/" for tag in self.tags]
        paths += [f"/author/{slugify(name)}/" for name in self.authors]
        paths += [
            "/about/",
            "/contact/",
            LATEST_ARCHIVE_PATH,
            "/archive/2026/11/19/",
            "/archive/2026/11/21/",
        ]
        return paths

    def manifest(self) -> dict:
        """Ground truth for the whole site, built from the content model alone."""
        return {
            "base_url": self.base_url,
            "site_name": SITE_NAME,
            "articles": [self.article_manifest(article) for article in self.articles],
            "non_article_paths": self.non_article_paths(),
            "robots_disallowed_prefixes": list(ROBOTS_DISALLOWED),
            "missing_paths": [SEED_TEASER_PATH, LIVE_MISSING_PATH, CORRECTION_MISSING_PATH],
            "error_paths": [ERROR_PATH],
            "flaky_paths": list(self.flaky_paths),
            "redirects": {path: self.url(target) for path, target in REDIRECTS.items()},
            "feeds": [
                self.url("/feeds/all.xml"),
                *(self.url(f"/feeds/{s}.atom") for s in SECTIONS),
            ],
            "sitemaps": [
                self.url(p) for p in ("/sitemap.xml", "/sitemap-articles.xml", "/news-sitemap.xml")
            ],
        }
