"""The Valley Courier: a regional paper on an old PHP CMS, all ids in the query string.

Table layout in ISO-8859-1, relative links, no rel=canonical, no og:type and no JSON-LD on
any page; the date is only in a Dublin Core meta tag and in "14.10.2026, 09:12" text.
Articles live at `article.php?id=N`; print copies at `article.php?id=N&print=1` (another,
plainer template whose paragraphs are separated by `<br><br>`); section pages at
`index.php?section=economy&start=10`, writers at `writer.php?name=Jana+Novak`. Links in
the side columns, the inline "Also read" box, bylines and comment forms carry a session id
that changes with every page view (`&sid=`, or `sid=` before `id=`, or `PHPSESSID=` in the
footer), so a crawler that keeps query strings never runs out of new URLs; the main
navigation, listings, the RSS feed and the sitemap link clean URLs. A fifth of the
articles are short (1,200 to 1,600 characters). `article.php` with an unknown id answers
200 with a "not found" text (a soft 404), linked once from the home page.
"""

from __future__ import annotations

import datetime as dt
import random
from urllib.parse import quote_plus

from .base import Chunk, Publisher, Trap, render_blocks, session_id
from .beats import COURIER_AUTHORS, COURIER_BEATS, COURIER_PLACES
from .markup import CSS_TYPE, RSS_TYPE, XML_TYPE, a, rss, t, urlset, xml_page
from .model import Article, Page, PublisherSpec, summer_time

PAGE_SIZE = 10
SOFT_404_ID = 999
NEWSLETTER = (
    "The Courier by mail: every morning at six, the most important news from the valley in"
    " your inbox. Free of charge and cancellable at any time."
)
SPEC = PublisherSpec(
    key="courier",
    beats=COURIER_BEATS,
    places=COURIER_PLACES,
    money="{} million euros",
    authors=COURIER_AUTHORS,
    utc_offset=summer_time(1, 2, dt.date(2026, 10, 25)),
    ids=lambda rng: sorted(rng.sample(range(1000, 9999), 60)),
    short_articles=12,
    ascii_quotes=True,
)
SECTION_NAMES = {"economy": "Economy", "region": "Region", "culture": "Culture", "sport": "Sport"}


def _date(when: dt.datetime) -> str:
    return f"{when:%d.%m.%Y, %H:%M}"


class Courier(Publisher):
    """The query-string CMS publisher."""

    spec = SPEC
    name = "Valley Courier"
    template = "table-cms"
    charset = "iso-8859-1"
    ROBOTS_DISALLOWED = ("/admin/", "/cgi-bin/")
    TRAPS = (
        Trap(
            "session-ids",
            r"[?&](?:sid|PHPSESSID)=",
            "Links carrying a session id that changes with every page view.",
        ),
    )
    VARIANTS = (Trap("print", r"^/article\.php\?(?:.*&)?print=1", "Print copies, no canonical."),)

    # ------------------------------------------------------------------ addresses
    def article_path(self, article: Article) -> str:
        return f"/article.php?id={article.ident}"

    def variant_paths(self, article: Article) -> list[str]:
        sid = session_id("courier", 0)
        return [
            f"/article.php?id={article.ident}&print=1",
            f"/article.php?id={article.ident}&sid={sid}",
            f"/article.php?sid={sid}&id={article.ident}",
        ]

    def article_pattern(self, article: Article) -> str:
        return rf"^/article\.php\?(?:.*&)?id={article.ident}(?:&|$)"

    def _writer_href(self, name: str, sid: str = "") -> str:
        href = f"writer.php?name={quote_plus(name)}"
        return href + (f"&sid={sid}" if sid else "")

    @property
    def site_most_read(self) -> tuple[int, ...]:
        """The most-read list the non-article pages show."""
        return tuple(article.number for article in self.latest(14)[6:11])

    # -------------------------------------------------------------------- routes
    def route(self, path: str, query: dict[str, str], view: int) -> Page | None:
        sid = session_id("courier", view)
        if path in ("/", "/index.php"):
            section = query.get("section")
            if section is None:
                return self.html(self.render_home(sid))
            if section not in self.sections:
                return None
            start = query.get("start", "0")
            count = len(self.latest(section=section))
            if not start.isdigit() or int(start) % PAGE_SIZE or int(start) >= count:
                return None
            return self.html(self.render_section(section, int(start), sid))
        if path == "/article.php":
            ident = query.get("id", "")
            article = self.by_ident.get(int(ident)) if ident.isdigit() else None
            if article is None:
                return self.html(self.render_soft_404(sid)) if ident.isdigit() else None
            if query.get("print") == "1":
                return self.html(self.render_print(article))
            return self.html(self.render_article(article, sid, view))
        if path == "/writer.php":
            if query.get("name") not in self.authors:
                return None
            return self.html(self.render_writer(query["name"], sid))
        if path == "/comment.php":
            ident = query.get("id", "")
            if not ident.isdigit() or int(ident) not in self.by_ident:
                return None
            return self.html(self.render_comment_form(self.by_ident[int(ident)], sid))
        if path == "/search.php":
            return self.html(self.render_search(query.get("q", ""), sid))
        if path in ("/impressum.php", "/contact.php"):
            return self.html(self.render_static(path, sid))
        if path == "/rss.php":
            section = query.get("section")
            if section is not None and section not in self.sections:
                return None
            return self.render_rss(section)
        if path == "/sitemap.xml":
            return self.render_sitemap()
        if path == "/css/main.css":
            return Page(200, CSS_TYPE, b"td.tx, p.tx { font: 13px Verdana; }\n")
        return None

    def robots(self) -> str:
        return (
            "User-agent: *\nDisallow: /admin/\nDisallow: /cgi-bin/\n\n"
            f"Sitemap: {self.url('/sitemap.xml')}\n"
        )

    # -------------------------------------------------------------------- frame
    def _frame(self, title: str, center: str, sid: str, right: str = "", meta: str = "") -> str:
        php = session_id("php", sid, length=32)
        top = " | ".join(
            f'<a href="index.php?section={s}" class="nav">{SECTION_NAMES[s]}</a>'
            for s in self.sections
        )
        left_sections = "".join(
            f'<tr><td class="linav">&raquo; <a href="index.php?section={s}&amp;sid={sid}">{SECTION_NAMES[s]}</a></td></tr>'
            for s in self.sections
        )
        return (
            '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<html>\n<head>\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">\n'
            f"<title>{t(title)}</title>\n{meta}"
            '<link rel="stylesheet" type="text/css" href="css/main.css">\n'
            '<link rel="alternate" type="application/rss+xml" title="Valley Courier" href="rss.php">\n'
            '</head>\n<body bgcolor="#FFFFFF" leftmargin="0" topmargin="0" marginwidth="0" marginheight="0">\n'
            '<table width="980" border="0" cellspacing="0" cellpadding="0" align="center">\n'
            '<tr><td colspan="3" class="kopf"><a href="index.php"><img src="images/logo.gif" width="300" height="60" border="0" alt="Valley Courier"></a><br>\n'
            f'<a href="index.php" class="nav">Home</a> | {top}\n'
            '<form action="search.php" method="get" style="display:inline"><input type="text" name="q" size="15"><input type="submit" value="Search"></form></td></tr>\n'
            '<tr valign="top">\n<td width="180" class="li">\n'
            f'<table width="100%" cellpadding="2" cellspacing="0">{left_sections}</table>\n'
            f"{{left}}</td>\n"
            f'<td width="560" class="mi">\n{center}</td>\n'
            f'<td width="240" class="re">\n{right}{self._newsletter()}</td>\n</tr>\n'
            '<tr><td colspan="3" class="fuss">&copy; 2026 Valley Courier Verlag GmbH | '
            f'<a href="impressum.php?PHPSESSID={php}">Imprint</a> | '
            f'<a href="contact.php?PHPSESSID={php}">Contact</a> | <a href="rss.php">RSS</a></td></tr>\n'
            "</table>\n</body>\n</html>\n"
        )

    def _page(
        self, title: str, center: str, sid: str, most_read: tuple[int, ...], **kw: str
    ) -> str:
        return self._frame(title, center, sid, **kw).replace(
            "{left}", self._most_read(most_read, sid).html
        )

    def _newsletter(self) -> str:
        return (
            '<table class="nl" width="100%" cellpadding="4"><tr><td><b>Newsletter</b><br>'
            f'{t(NEWSLETTER)}<form action="newsletter.php" method="post"><input type="text" name="email">'
            '<input type="submit" value="Subscribe"></form></td></tr></table>\n'
        )

    def _most_read(self, numbers: tuple[int, ...], sid: str) -> Chunk:
        items = "".join(
            f'<tr><td class="mr">{k}. <a href="article.php?id={self.by_number[n].ident}&amp;sid={sid}">{t(self.by_number[n].title)}</a></td></tr>'
            for k, n in enumerate(numbers, 1)
        )
        return Chunk(
            f'<br><b class="box">Most read</b>\n<table width="100%" cellpadding="2">{items}</table>\n',
            tuple(self.by_number[n].title for n in numbers),
            ("Most read",),
        )

    # ---------------------------------------------------------------- articles
    def _also_read(self, article: Article, sid: str) -> Chunk:
        other = self.by_number[article.related[0]]
        return Chunk(
            '<table class="box" width="100%" cellpadding="4"><tr><td><b>Also read:</b> '
            f'<a href="article.php?sid={sid}&amp;id={other.ident}">{t(other.title)}</a></td></tr></table>\n',
            (other.title,),
            ("Also read:",),
        )

    def _more_from(self, article: Article) -> Chunk:
        label = f"More from {SECTION_NAMES[article.section]}"
        items = ""
        for number in article.related:
            other = self.by_number[number]
            items += (
                f'<tr><td class="rt"><a href="article.php?id={other.ident}"><b>{t(other.title)}</b></a>'
                f"<br>{t(other.description)}</td></tr>\n"
            )
        return Chunk(
            f'<b class="box">{t(label)}</b>\n<table width="100%" cellpadding="3">{items}</table>\n',
            tuple(self.by_number[n].title for n in article.related),
            (label, *(self.by_number[n].description for n in article.related)),
        )

    def furniture(self, article: Article) -> list[Chunk]:
        sid = session_id("courier", 0)
        chunks = [self._most_read(article.most_read, sid), self._more_from(article)]
        if len(article.blocks) >= 5:
            chunks.append(self._also_read(article, sid))
        return chunks

    def boilerplate(self, article: Article) -> list[str]:
        return [
            *article.captions,
            NEWSLETTER,
            "Print article",
            "Send to a friend",
            *(text for _, text in article.comments),
        ]

    def _image(self, article: Article, k: int) -> str:
        return (
            '<table class="bild" cellpadding="0" cellspacing="0"><tr><td>'
            f'<img src="images/art/{article.ident}_{k}.gif" width="400" height="260" alt=""></td></tr>'
            f'<tr><td class="bu">{t(article.captions[k])}</td></tr></table>\n'
        )

    def _byline(self, article: Article, sid: str) -> str:
        names = [
            f'<a href="{a(self._writer_href(n, sid))}">{t(n)}</a>' if n in self._people else t(n)
            for n in article.authors
        ]
        return " and ".join(names)

    @property
    def _people(self) -> set[str]:
        return {name for name in self.authors if not name.endswith("Staff")}

    def render_article(self, article: Article, sid: str, view: int) -> str:
        inserts = {k: self._image(article, i + 1) for i, k in enumerate(article.images_at)}
        if len(article.blocks) >= 5:
            inserts[2] = inserts.get(2, "") + self._also_read(article, sid).html
        body = render_blocks(
            article.blocks,
            p='<p class="tx">{}</p>',
            h='<p class="zw"><b>{}</b></p>',
            ul=('<ul class="tx">', "</ul>"),
            table=('<table class="tab" border="1" cellpadding="3">', "</table>"),
            inserts=inserts,
        )
        comments = ""
        if article.comments:
            rows = "".join(
                f'<tr><td class="kn"><b>{t(name)}</b> wrote:</td></tr><tr><td class="kt">{t(text)}</td></tr>'
                for name, text in article.comments
            )
            comments = (
                f'<br><b class="box">Reader comments ({len(article.comments)})</b>\n'
                f'<table width="100%" class="komm">{rows}</table>\n'
                f'<a href="comment.php?id={article.ident}&amp;sid={sid}">Write a comment</a>\n'
            )
        center = (
            f'<span class="rubrik">{SECTION_NAMES[article.section]}</span><br>\n'
            f'<span class="titel">{t(article.title)}</span><br>\n'
            f'<span class="dat">{_date(article.published)} | {self._byline(article, sid)}</span>\n'
            f'<p class="intro"><b>{t(article.description)}</b></p>\n'
            + self._image(article, 0)
            + body
            + '<p class="tools"><a href="article.php?id='
            + f'{article.ident}&amp;print=1" target="_blank">Print article</a> | '
            + f'<a href="mailto:?subject={quote_plus(article.title)}">Send to a friend</a> | '
            + f'<a href="index.php?section={article.section}&amp;sid={sid}">&laquo; back</a></p>\n'
            + comments
        )
        meta = (
            f'<meta name="description" content="{a(article.description)}">\n'
            f'<meta name="keywords" content="{a(", ".join(article.tags))}">\n'
            f'<meta name="author" content="{a(", ".join(article.authors))}">\n'
            f'<meta name="DC.date.issued" content="{article.published.isoformat()}">\n'
        )
        return self._page(
            f"{article.title} - Valley Courier",
            center,
            sid,
            article.most_read,
            right=self._more_from(article).html,
            meta=meta,
        )

    def render_print(self, article: Article) -> str:
        parts = []
        for block in article.blocks:
            if block.kind == "h":
                parts.append(f"<b>{t(block.text)}</b>")
            elif block.kind == "li":
                parts.append(f"&bull; {t(block.text)}")
            elif block.kind == "row":
                parts.append(" &nbsp; ".join(t(c) for c in block.cells))
            else:
                parts.append(t(block.text))
        text = "<br><br>\n".join(parts)
        return (
            "<html><head>\n"
            '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">\n'
            f"<title>{t(article.title)} - Valley Courier - Print version</title>\n"
            '<meta name="robots" content="noindex">\n'
            '</head>\n<body onload="window.print()">\n'
            '<div class="druck"><img src="images/logo_print.gif" alt="Valley Courier"><hr>\n'
            f"<h2>{t(article.title)}</h2>\n"
            f"<i>{_date(article.published)} &middot; {t(', '.join(article.authors))}</i><br><br>\n"
            f"<b>{t(article.description)}</b><br><br>\n{text}\n<hr>\n"
            f"&copy; Valley Courier. Printed from {t(self.url(self.article_path(article)))}\n"
            "</div>\n</body></html>\n"
        )

    def render_soft_404(self, sid: str) -> str:
        center = (
            '<span class="titel">Article not found</span><br>\n'
            '<p class="tx">The requested article does not exist or is no longer available.</p>\n'
            '<p class="tx"><a href="index.php">Go to the home page</a></p>\n'
        )
        return self._page("Valley Courier", center, sid, self.site_most_read)

    # ---------------------------------------------------------------- listings
    def _row(self, article: Article) -> str:
        return (
            f'<tr><td class="dat" width="70">{article.published:%d.%m.%Y}</td>'
            f'<td><a class="hl" href="article.php?id={article.ident}">{t(article.title)}</a><br>'
            f'<span class="teaser">{t(article.description)}</span></td></tr>\n'
        )

    def render_home(self, sid: str) -> str:
        latest = self.latest()
        top = "".join(
            f'<p><a class="hl" href="article.php?id={x.ident}"><b>{t(x.title)}</b></a><br>'
            f"{t(x.description)}</p>\n"
            for x in latest[:3]
        )
        more = "".join(self._row(x) for x in latest[3:15])
        writers = "".join(
            f'<li><a href="{a(self._writer_href(n))}">{t(n)}</a></li>' for n in sorted(self._people)
        )
        center = (
            f'<span class="rubrik">Top stories</span>\n{top}'
            f'<table width="100%" cellpadding="3">{more}</table>\n'
            f'<p class="tx"><a href="article.php?id={SOFT_404_ID}">Editorial: the Courier has a new look</a></p>\n'
        )
        right = f'<b class="box">Our reporters</b><ul>{writers}</ul>\n'
        return self._page(
            "Valley Courier - News from the valley", center, sid, self.site_most_read, right=right
        )

    def render_section(self, section: str, start: int, sid: str) -> str:
        listed = self.latest(section=section)
        rows = "".join(self._row(x) for x in listed[start : start + PAGE_SIZE])
        nav = []
        if start:
            nav.append(
                f'<a href="index.php?section={section}&amp;start={start - PAGE_SIZE}">&laquo; newer</a>'
            )
        if start + PAGE_SIZE < len(listed):
            nav.append(
                f'<a href="index.php?section={section}&amp;start={start + PAGE_SIZE}">older &raquo;</a>'
            )
        center = (
            f'<span class="rubrik">{SECTION_NAMES[section]}</span>\n'
            f'<table width="100%" cellpadding="3">{rows}</table>\n<p>{" | ".join(nav)}</p>\n'
        )
        return self._page(
            f"{SECTION_NAMES[section]} - Valley Courier", center, sid, self.site_most_read
        )

    def render_writer(self, name: str, sid: str) -> str:
        written = [x for x in self.latest() if name in x.authors]
        rng = random.Random(name)
        bio = (
            f"{name} has reported for the Valley Courier since {rng.randint(1998, 2015)}"
            f" and lives in {rng.choice(COURIER_PLACES)}."
        )
        rows = "".join(
            f'<tr><td class="dat">{x.published:%d.%m.%Y}</td><td><a href="article.php?id={x.ident}&amp;sid={sid}">{t(x.title)}</a></td></tr>\n'
            for x in written
        )
        center = (
            f'<span class="titel">{t(name)}</span>\n<p class="tx">{t(bio)}</p>\n'
            f'<table width="100%" cellpadding="3">{rows}</table>\n'
        )
        return self._page(f"{name} - Valley Courier", center, sid, self.site_most_read)

    def render_comment_form(self, article: Article, sid: str) -> str:
        center = (
            f'<span class="titel">Your comment on: {t(article.title)}</span>\n'
            f'<form action="comment.php?id={article.ident}&amp;sid={sid}" method="post">'
            '<input type="text" name="name"><br><textarea name="text" rows="8" cols="50"></textarea><br>'
            '<input type="submit" value="Send"></form>\n'
        )
        return self._page("Write a comment - Valley Courier", center, sid, self.site_most_read)

    def render_search(self, query: str, sid: str) -> str:
        words = [w for w in query.lower().split() if w]
        hits = [x for x in self.latest() if words and any(w in x.title.lower() for w in words)]
        rows = "".join(self._row(x) for x in hits) or "<tr><td>No results.</td></tr>"
        center = (
            f'<span class="rubrik">Search: {t(query)}</span>\n'
            f'<table width="100%" cellpadding="3">{rows}</table>\n'
        )
        return self._page("Search - Valley Courier", center, sid, self.site_most_read)

    def render_static(self, path: str, sid: str) -> str:
        if path == "/impressum.php":
            title, text = (
                "Imprint",
                "Valley Courier Verlag GmbH, Mühlgasse 4, Stellbach. Managing editor: Jana Novak.",
            )
        else:
            title, text = (
                "Contact",
                "Newsroom: redaktion@valley-courier.test, phone 0 12 34 / 56 78.",
            )
        center = f'<span class="titel">{title}</span>\n<p class="tx">{t(text)}</p>\n'
        return self._page(f"{title} - Valley Courier", center, sid, self.site_most_read)

    # ----------------------------------------------------------------- machine
    def render_rss(self, section: str | None) -> Page:
        chosen = self.latest(20, section)
        items = [
            (
                x.title,
                self.url(self.article_path(x)),
                f"courier-{x.ident}",
                x.published,
                ", ".join(x.authors),
                x.description,
            )
            for x in chosen
        ]
        self_url = self.url("/rss.php" + (f"?section={section}" if section else ""))
        body = rss("Valley Courier", self.base_url, self_url, items)
        return xml_page(body, RSS_TYPE, max(x.published for x in chosen))

    def render_sitemap(self) -> Page:
        entries = [(self.base_url, None)]
        entries += [(self.url(f"/index.php?section={s}"), None) for s in self.sections]
        entries += [
            (self.url(self.article_path(x)), x.last_change.date().isoformat())
            for x in self.latest()
        ]
        last = max(x.last_change for x in self.articles)
        return xml_page(urlset(entries), XML_TYPE, last)

    # ------------------------------------------------------------ ground truth
    def listing_pages(self) -> list[tuple[str, str]]:
        pages = [("/", "home"), ("/index.php", "home")]
        for section in self.sections:
            count = len(self.latest(section=section))
            pages.append((f"/index.php?section={section}", "section"))
            pages += [
                (f"/index.php?section={section}&start={start}", "section-page")
                for start in range(PAGE_SIZE, count, PAGE_SIZE)
            ]
        pages += [(f"/{self._writer_href(n)}", "author") for n in sorted(self._people)]
        pages += [("/search.php?q=stellbach", "search")]
        pages += [("/impressum.php", "static"), ("/contact.php", "static")]
        pages += [(f"/article.php?id={SOFT_404_ID}", "soft-404")]
        pages += [(f"/comment.php?id={self.articles[0].ident}", "form")]
        return pages

    def extra_manifest(self) -> dict:
        return {
            "feeds": [
                self.url("/rss.php"),
                *(self.url(f"/rss.php?section={s}") for s in self.sections),
            ],
            "sitemaps": [self.url("/sitemap.xml")],
            "soft_404_urls": [self.url(f"/article.php?id={SOFT_404_ID}")],
        }
