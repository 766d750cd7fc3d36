"""Harbour Lights: a WordPress site on a magazine theme (tagDiv "Newspaper" style markup).

Posts live at `/YYYY/MM/DD/slug/` with a Yoast-style JSON-LD graph, og:type=article and
rel=canonical; `/?p=N` serves the same post (canonical to the permalink), `/slug/amp/` an
AMP copy, `?replytocom=K` one copy per comment (noindex, canonical). Links inside the
"Related articles" block spell some permalinks in Title-Case (served 200 with the
canonical) or without the trailing slash (301 to the permalink). Categories at
`/category/x/` and `/category/x/page/N/`, tags at `/tag/x/` with a two-paragraph tag
description, authors at `/author/x/` with a bio of four paragraphs above the post list (a
listing that reads like an essay), month archives at `/YYYY/MM/`, feeds at `/feed/` and
`/category/x/feed/`, WordPress core sitemaps at `/wp-sitemap.xml`.
"""

from __future__ import annotations

import datetime as dt
import random
import re

from .base import Chunk, Publisher, Trap, render_blocks
from .beats import HARBOUR_AUTHORS, HARBOUR_BEATS, HARBOUR_PLACES
from .markup import (
    RSS_TYPE,
    XML_TYPE,
    a,
    json_ld,
    redirect,
    rss,
    sitemap_index,
    t,
    urlset,
    xml_page,
)
from .model import Article, Page, PublisherSpec, slugify, summer_time
from .prose import long_bio

HOME_SIZE = 10
LIST_SIZE = 6
ORGANISATION = "Harbour Lights Newsroom"
NEWSLETTER = (
    "Get the Harbour Lights Weekly: the best of the waterfront, food and neighbourhood news,"
    " every Friday morning. No spam, unsubscribe any time."
)
SPEC = PublisherSpec(
    key="harbour",
    beats=HARBOUR_BEATS,
    places=HARBOUR_PLACES,
    money="${} million",
    authors=HARBOUR_AUTHORS,
    utc_offset=summer_time(-5, -4, dt.date(2026, 11, 1)),
    ids=lambda rng: sorted(rng.sample(range(120, 4800), 60)),
)
CATEGORY_NAMES = {
    "waterfront": "Waterfront",
    "food": "Food",
    "science": "Science",
    "neighbourhoods": "Neighbourhoods",
}


def _excerpt(article: Article) -> str:
    words = article.blocks[0].text.split()
    return " ".join(words[:28]) + " […]"


def _human(when: dt.datetime) -> str:
    return f"{when:%B} {when.day}, {when.year}"


class Harbour(Publisher):
    """The WordPress-like publisher."""

    spec = SPEC
    name = "Harbour Lights"
    template = "wordpress-magazine"
    ROBOTS_DISALLOWED = ("/wp-admin/",)
    TRAPS = (
        Trap(
            "comment-replies",
            r"[?&]replytocom=\d+",
            "One copy of a post per comment, from each comment's Reply link.",
        ),
    )
    VARIANTS = (
        Trap("shortlink", r"^/\?(?:.*&)?p=\d+", "/?p=N short links (canonical to the permalink)."),
        Trap("amp", r"/amp/$", "AMP copies (canonical to the permalink)."),
        Trap(
            "case-or-slash",
            r"^/\d{4}/\d{2}/\d{2}/(?:[^/?]*[A-Z][^/?]*/|[^/?]+$)",
            "Title-Case slugs (200) and permalinks without the trailing slash (301).",
        ),
    )

    # ------------------------------------------------------------------ addresses
    def article_path(self, article: Article) -> str:
        return f"/{article.published:%Y/%m/%d}/{article.slug}/"

    def _title_case(self, article: Article) -> str:
        slug = "-".join(word.capitalize() for word in article.slug.split("-"))
        return f"/{article.published:%Y/%m/%d}/{slug}/"

    def variant_paths(self, article: Article) -> list[str]:
        path = self.article_path(article)
        out = [f"/?p={article.ident}", path + "amp/", self._title_case(article), path[:-1]]
        out += [
            f"{path}?replytocom={self._comment_id(article, k)}"
            for k in range(len(article.comments))
        ]
        return out

    def article_pattern(self, article: Article) -> str:
        return (
            rf"^/(?:{article.published:%Y/%m/%d}/(?i:{re.escape(article.slug)})(?:/|/amp/)?(?:\?.*)?$"
            rf"|\?(?:.*&)?p={article.ident}(?:&|$))"
        )

    def _comment_id(self, article: Article, k: int) -> int:
        return article.ident * 10 + 3 + k

    def _author_path(self, name: str) -> str:
        return f"/author/{slugify(name)}/"

    def _related_href(self, article: Article) -> str:
        """How the in-content related block spells a post's link."""
        if article.number % 3 == 0:
            return self._title_case(article)
        if article.number % 3 == 1:
            return self.article_path(article)[:-1]
        return self.article_path(article)

    def _paged(self, base: str, page: int) -> str:
        return base if page == 1 else f"{base}page/{page}/"

    def _lists(self) -> dict[str, list[Article]]:
        """Every paginated listing: base path -> its posts, newest first."""
        lists = {"/": self.latest()}
        for section in self.sections:
            lists[f"/category/{section}/"] = self.latest(section=section)
        for tag in self.tags:
            lists[f"/tag/{slugify(tag)}/"] = [x for x in self.latest() if tag in x.tags]
        for name in self.authors:
            lists[self._author_path(name)] = [x for x in self.latest() if name in x.authors]
        for month in sorted({x.published.strftime("%Y/%m") for x in self.articles}):
            lists[f"/{month}/"] = [
                x for x in self.latest() if x.published.strftime("%Y/%m") == month
            ]
        return lists

    def _size(self, base: str) -> int:
        return HOME_SIZE if base == "/" or re.fullmatch(r"/\d{4}/\d{2}/", base) else LIST_SIZE

    # -------------------------------------------------------------------- routes
    def route(self, path: str, query: dict[str, str], view: int) -> Page | None:
        if path == "/" and "p" in query:
            article = self.by_ident.get(int(query["p"])) if query["p"].isdigit() else None
            return self.html(self.render_article(article)) if article else None
        if path == "/" and "s" in query:
            return self.html(self.render_search(query["s"]))
        if match := re.fullmatch(r"/(\d{4})/(\d{2})/(\d{2})/([A-Za-z0-9-]+)(/?)(amp/)?", path):
            day = "/".join(match.groups()[:3])
            found = [
                x
                for x in self.articles
                if x.slug == match[4].lower() and f"{x.published:%Y/%m/%d}" == day
            ]
            if not found:
                return None
            article = found[0]
            if not match[5]:
                return redirect(self.url(self.article_path(article)))
            if match[6]:
                return self.html(self.render_amp(article))
            return self.html(self.render_article(article, reply="replytocom" in query))
        if path == "/feed/":
            return self.render_feed(None)
        if match := re.fullmatch(r"/category/([a-z]+)/feed/", path):
            return self.render_feed(match[1]) if match[1] in self.sections else None
        if path in ("/wp-sitemap.xml", "/wp-sitemap-posts-post-1.xml") or path.startswith(
            "/wp-sitemap-"
        ):
            return self.render_sitemap(path)
        if path == "/about/":
            return self.html(self.render_about())
        if match := re.fullmatch(
            r"(/|/(?:category|tag|author)/[a-z0-9-]+/|/\d{4}/\d{2}/)(?:page/(\d+)/)?", path
        ):
            base, page = match[1], int(match[2] or 1)
            posts = self._lists().get(base)
            if not posts or match[2] == "1" or (page - 1) * self._size(base) >= len(posts):
                return None
            return self.html(self.render_listing(base, page, posts))
        return None

    def robots(self) -> str:
        return (
            "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n\n"
            f"Sitemap: {self.url('/wp-sitemap.xml')}\n"
        )

    # -------------------------------------------------------------------- chrome
    def _head(self, title: str, extra: str = "") -> str:
        return (
            '<!DOCTYPE html>\n<html lang="en-US">\n<head>\n<meta charset="UTF-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
            f"<title>{t(title)}</title>\n{extra}"
            "<link rel='stylesheet' id='td-theme-css' href='/wp-content/themes/Newspaper/style.css?ver=12.6' type='text/css' media='all' />\n"
            f'<link rel="alternate" type="application/rss+xml" title="Harbour Lights &raquo; Feed" href="{self.url("/feed/")}" />\n'
            "</head>\n"
        )

    def _header(self) -> str:
        items = "".join(
            f'<li class="menu-item menu-item-type-taxonomy"><a href="{self.url(f"/category/{s}/")}">{CATEGORY_NAMES[s]}</a></li>'
            for s in self.sections
        )
        return (
            '<div class="td-theme-wrap">\n<div class="td-header-wrap td-header-style-1">'
            f'<div class="td-header-sp-logo"><a class="td-main-logo" href="{self.base_url}"><span class="td-logo-text">Harbour Lights</span></a></div>'
            f'<div id="td-header-menu"><ul id="menu-main" class="sf-menu">{items}'
            f'<li class="menu-item"><a href="{self.url("/about/")}">About</a></li></ul></div>'
            f'<form method="get" class="td-search-form" action="{self.base_url}"><input name="s" value="" type="text"></form></div>\n'
        )

    def _footer(self) -> str:
        return (
            '<div class="td-footer-wrapper"><div class="td-footer-bottom-full">'
            "<p>© Harbour Lights Media. Independent news for the waterfront since 2011.</p>"
            f'<a href="{self.url("/about/")}">About us</a> · <a href="{self.url("/feed/")}">RSS</a></div></div>\n'
            "</div>\n</body>\n</html>\n"
        )

    def _sidebar(self, article: Article | None) -> str:
        numbers = article.most_read if article else tuple(x.number for x in self.latest(12)[7:12])
        popular = "".join(
            f'<div class="td_module_6 td_module_wrap"><h3 class="entry-title td-module-title"><a href="{self.url(self.article_path(self.by_number[n]))}" rel="bookmark">{t(self.by_number[n].title)}</a></h3></div>'
            for n in numbers
        )
        recent = [x for x in self.latest(6) if x is not article][:5]
        recent_items = "".join(
            f'<li><a href="{self.url(self.article_path(x))}">{t(x.title)}</a></li>' for x in recent
        )
        return (
            '<div class="td-pb-span4 td-main-sidebar" role="complementary"><div class="td-ss-main-sidebar">\n'
            f'<aside class="td_block_template_1 widget widget_recent_entries"><h4 class="block-title"><span>Recent Posts</span></h4><ul>{recent_items}</ul></aside>\n'
            '<aside class="td_block_template_1 widget mc4wp_form_widget"><h4 class="block-title"><span>Newsletter</span></h4>'
            f'<form id="mc4wp-form-1" class="mc4wp-form" method="post"><p>{t(NEWSLETTER)}</p><input type="email" name="EMAIL"><input type="submit" value="Subscribe"></form></aside>\n'
            f'<div class="td_block_wrap td_block_popular"><h4 class="block-title"><span>Popular</span></h4>{popular}</div>\n'
            "</div></div>\n"
        )

    def _sidebar_chunk(self, article: Article) -> Chunk:
        recent = [x for x in self.latest(6) if x is not article][:5]
        return Chunk(
            self._sidebar(article),
            tuple(self.by_number[n].title for n in article.most_read)
            + tuple(x.title for x in recent),
            ("Recent Posts", "Popular", "Newsletter"),
        )

    # ---------------------------------------------------------------- articles
    def _inline_related(self, article: Article) -> Chunk:
        items = ""
        for number in article.related:
            other = self.by_number[number]
            href = self.url(self._related_href(other))
            items += (
                '<div class="td-related-span4"><div class="td_module_related_posts td-animation-stack td_mod_related_posts">'
                f'<div class="td-module-image"><div class="td-module-thumb"><a href="{a(href)}" rel="bookmark" class="td-image-wrap" title="{a(other.title)}">'
                f'<img class="entry-thumb" src="/wp-content/uploads/2026/img-{other.ident}-218x150.jpg" alt="" width="218" height="150"></a></div></div>'
                f'<div class="item-details"><h3 class="entry-title td-module-title"><a href="{a(href)}" rel="bookmark" title="{a(other.title)}">{t(other.title)}</a></h3></div></div></div>'
            )
        return Chunk(
            '<div class="td_block_wrap td_block_related_posts td-pb-border-top td_block_template_1" data-td-block-uid="tdi_related">'
            '<h4 class="td-related-title td-block-title"><a href="#" class="td-related-left td-cur-simple-item">RELATED ARTICLES</a>'
            '<a href="#" class="td-related-right">MORE FROM AUTHOR</a></h4>'
            f'<div class="td_block_inner"><div class="td-related-row">{items}</div></div></div>\n',
            tuple(self.by_number[n].title for n in article.related),
            ("RELATED ARTICLES", "MORE FROM AUTHOR"),
        )

    def _next_prev(self, article: Article) -> Chunk:
        out, heads, texts = "", [], []
        for label, css, number in (
            ("Previous article", "td-post-prev-post", article.number - 1),
            ("Next article", "td-post-next-post", article.number + 1),
        ):
            other = self.by_number.get(number)
            if other is None:
                continue
            out += f'<div class="td-block-span6 {css}"><span>{label}</span><a href="{self.url(self.article_path(other))}">{t(other.title)}</a></div>'
            heads.append(other.title)
            texts.append(label)
        return Chunk(
            f'<div class="td-block-row td-post-next-prev">{out}</div>\n', tuple(heads), tuple(texts)
        )

    def _bottom_related(self, article: Article) -> Chunk:
        picks = [self.by_number[n] for n in article.most_read[:3]]
        items = "".join(
            f'<div class="td_module_mx1"><h3 class="entry-title td-module-title"><a href="{self.url(self.article_path(x))}">{t(x.title)}</a></h3>'
            f'<div class="td-excerpt">{t(_excerpt(x))}</div></div>'
            for x in picks
        )
        return Chunk(
            f'<div class="td_block_wrap td_block_21"><h4 class="block-title"><span>You might also like</span></h4>{items}</div>\n',
            tuple(x.title for x in picks),
            ("You might also like", *(_excerpt(x) for x in picks)),
        )

    def _author_box(self, article: Article) -> str:
        boxes = "".join(
            f'<div class="td-author-name vcard author"><a href="{self.url(self._author_path(n))}">{t(n)}</a></div>'
            f'<div class="td-author-description">{t(self._short_bio(n))}</div>'
            for n in article.authors
        )
        return f'<div class="td-author-name-wrap">{boxes}</div>\n'

    def _short_bio(self, name: str) -> str:
        beats = dict(HARBOUR_AUTHORS)[name]
        return f"{name} covers {' and '.join(beats)} for Harbour Lights."

    def furniture(self, article: Article) -> list[Chunk]:
        return [
            self._inline_related(article),
            self._next_prev(article),
            self._bottom_related(article),
            self._sidebar_chunk(article),
        ]

    def boilerplate(self, article: Article) -> list[str]:
        return [
            *article.captions,
            NEWSLETTER,
            *(self._short_bio(n) for n in article.authors),
            *(text for _, text in article.comments),
        ]

    def _figure(self, article: Article, k: int, css: str = "wp-block-image size-large") -> str:
        return (
            f'<figure class="{css}"><img src="/wp-content/uploads/2026/img-{article.ident}-{k}.jpg" alt="" width="696" height="392" />'
            f'<figcaption class="wp-element-caption">{t(article.captions[k])}</figcaption></figure>\n'
        )

    def _schema(self, article: Article) -> str:
        url = self.url(self.article_path(article))
        people = [
            {"@type": "Person", "@id": self.url(self._author_path(n)) + "#person", "name": n}
            for n in article.authors
        ]
        graph = [
            {
                "@type": "Article",
                "@id": url + "#article",
                "isPartOf": {"@id": url},
                "author": [{"@id": p["@id"]} for p in people],
                "headline": article.title,
                "datePublished": article.published.isoformat(),
                "dateModified": article.last_change.isoformat(),
                "keywords": list(article.tags),
                "articleSection": [CATEGORY_NAMES[article.section]],
                "inLanguage": "en-US",
            },
            {
                "@type": "WebPage",
                "@id": url,
                "url": url,
                "name": f"{article.title} - Harbour Lights",
            },
            *people,
        ]
        return json_ld({"@context": "https://schema.org", "@graph": graph})

    def render_article(self, article: Article, reply: bool = False) -> str:
        url = self.url(self.article_path(article))
        head = (
            ('<meta name="robots" content="noindex, follow" />\n' if reply else "")
            + f'<link rel="canonical" href="{a(url)}" />\n'
            + f"<link rel='shortlink' href='{self.url(f'/?p={article.ident}')}' />\n"
            + f'<link rel="amphtml" href="{a(url)}amp/">\n'
            + f'<meta name="description" content="{a(article.description)}" />\n'
            + '<meta property="og:locale" content="en_US" />\n<meta property="og:type" content="article" />\n'
            + f'<meta property="og:title" content="{a(article.title)}" />\n'
            + f'<meta property="og:url" content="{a(url)}" />\n'
            + f'<meta property="article:published_time" content="{article.published.isoformat()}" />\n'
            + self._schema(article)
            + "\n"
        )
        inserts = {k: self._figure(article, i + 1) for i, k in enumerate(article.images_at)}
        at = min(3, len(article.blocks) - 1)
        inserts[at] = inserts.get(at, "") + self._inline_related(article).html
        content = render_blocks(
            article.blocks,
            h='<h2 class="wp-block-heading">{}</h2>',
            ul=('<ul class="wp-block-list">', "</ul>"),
            table=(
                '<figure class="wp-block-table"><table class="has-fixed-layout"><tbody>',
                "</tbody></table></figure>",
            ),
            inserts=inserts,
        )
        authors = " and ".join(
            f'<a href="{self.url(self._author_path(n))}">{t(n)}</a>' for n in article.authors
        )
        comments = ""
        if article.comments:
            items = ""
            for k, (name, text) in enumerate(article.comments):
                cid = self._comment_id(article, k)
                items += (
                    f'<li class="comment" id="li-comment-{cid}"><article id="comment-{cid}">'
                    f'<footer><cite class="comment-author">{t(name)}</cite></footer>'
                    f'<div class="comment-content"><p>{t(text)}</p></div>'
                    f'<div class="comment-meta"><a rel="nofollow" class="comment-reply-link" href="{url}?replytocom={cid}#respond">Reply</a></div></article></li>'
                )
            comments = (
                f'<div class="comments" id="comments"><div class="td-comments-title-wrap"><h4 class="block-title"><span>{len(article.comments)} COMMENTS</span></h4></div>'
                f'<ol class="comment-list">{items}</ol>'
                '<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">LEAVE A REPLY</h3>'
                '<form action="/wp-comments-post.php" method="post" id="commentform"><textarea name="comment"></textarea><input name="submit" type="submit" value="Post Comment"></form></div></div>\n'
            )
        tags = "".join(
            f'<li><a href="{self.url(f"/tag/{slugify(tag)}/")}">{t(tag)}</a></li>'
            for tag in article.tags
        )
        main = (
            '<div class="td-main-content-wrap td-container-wrap"><div class="td-container td-post-template-default">\n'
            '<div class="td-crumb-container"><div class="entry-crumbs"><span><a href="/" class="entry-crumb">Home</a></span>'
            f' <i class="td-icon-right td-bread-sep"></i> <span><a href="/category/{article.section}/" class="entry-crumb">{CATEGORY_NAMES[article.section]}</a></span></div></div>\n'
            '<div class="td-pb-row"><div class="td-pb-span8 td-main-content" role="main"><div class="td-ss-main-content">\n'
            f'<div class="post type-post status-publish format-standard has-post-thumbnail hentry category-{article.section}">\n'
            '<div class="td-post-header"><ul class="td-category">'
            f'<li class="entry-category"><a href="/category/{article.section}/">{CATEGORY_NAMES[article.section]}</a></li></ul>\n'
            f'<header class="td-post-title"><h1 class="entry-title">{t(article.title)}</h1>\n'
            f'<div class="td-module-meta-info"><div class="td-post-author-name"><div class="td-author-by">By</div> {authors}</div>'
            f'<span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{article.published.isoformat()}">{_human(article.published)}</time></span>'
            f'<div class="td-post-comments"><a href="#comments"><i class="td-icon-comments"></i>{len(article.comments)}</a></div></div></header></div>\n'
            '<div class="td-post-sharing-top"><a class="td-social-sharing-button" href="#">Facebook</a><a class="td-social-sharing-button" href="#">Twitter</a><a class="td-social-sharing-button" href="#">Pinterest</a><a class="td-social-sharing-button" href="#">WhatsApp</a></div>\n'
            f'<div class="td-post-featured-image">{self._figure(article, 0, "wp-caption")}</div>\n'
            f'<div class="td-post-content tagdiv-type">\n{content}</div>\n'
            f'<footer><div class="td-post-source-tags"><ul class="td-tags td-post-small-box clearfix"><li><span>TAGS</span></li>{tags}</ul></div>\n'
            + self._next_prev(article).html
            + self._author_box(article)
            + "</footer>\n"
            + self._bottom_related(article).html
            + comments
            + "</div></div></div>\n"
            + self._sidebar(article)
            + "</div></div></div>\n"
        )
        return (
            self._head(f"{article.title} - Harbour Lights", head)
            + f'<body class="post-template-default single single-post postid-{article.ident} single-format-standard td-standard-pack">\n'
            + self._header()
            + main
            + self._footer()
        )

    def render_amp(self, article: Article) -> str:
        url = self.url(self.article_path(article))
        content = render_blocks(article.blocks, h="<h2>{}</h2>")
        return (
            '<!doctype html>\n<html amp lang="en-US">\n<head><meta charset="utf-8">\n'
            f"<title>{t(article.title)} - Harbour Lights</title>\n"
            f'<link rel="canonical" href="{a(url)}">\n'
            '<meta name="viewport" content="width=device-width">\n'
            "<style amp-boilerplate>body{visibility:hidden}</style>\n"
            '<script async src="https://cdn.ampproject.org/v0.js"></script>\n</head>\n<body>\n'
            f'<header class="amp-wp-header"><a href="{self.base_url}">Harbour Lights</a></header>\n'
            f'<article class="amp-wp-article"><header class="amp-wp-article-header"><h1 class="amp-wp-title">{t(article.title)}</h1>'
            f'<div class="amp-wp-meta amp-wp-byline">{t(", ".join(article.authors))}</div>'
            f'<time class="amp-wp-meta" datetime="{article.published.isoformat()}">{_human(article.published)}</time></header>\n'
            f'<amp-img src="/wp-content/uploads/2026/img-{article.ident}-0.jpg" width="696" height="392" layout="responsive"></amp-img>\n'
            f'<div class="amp-wp-article-content">\n{content}</div></article>\n'
            f'<footer class="amp-wp-footer"><p>© Harbour Lights Media</p><a href="{a(url)}">View the non-AMP version</a></footer>\n'
            "</body></html>\n"
        )

    # ---------------------------------------------------------------- listings
    def _module(self, article: Article) -> str:
        return (
            '<div class="td_module_10 td_module_wrap td-animation-stack"><div class="td-module-thumb">'
            f'<a href="{self.url(self.article_path(article))}" rel="bookmark"><img src="/wp-content/uploads/2026/img-{article.ident}-218x150.jpg" alt=""></a></div>'
            f'<div class="item-details"><h3 class="entry-title td-module-title"><a href="{self.url(self.article_path(article))}" rel="bookmark">{t(article.title)}</a></h3>'
            f'<div class="td-module-meta-info"><span class="td-post-author-name">{t(", ".join(article.authors))}</span> - '
            f'<span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{article.published.isoformat()}">{_human(article.published)}</time></span></div>'
            f'<div class="td-excerpt">{t(_excerpt(article))}</div></div></div>\n'
        )

    def _intro(self, base: str) -> tuple[str, str]:
        """(title, introduction HTML) of a listing."""
        if base == "/":
            return "Harbour Lights - Waterfront news, food and neighbourhoods", ""
        kind, _, slug = base.strip("/").partition("/")
        if kind == "category":
            return f"{CATEGORY_NAMES[slug]} Archives - Harbour Lights", ""
        if kind == "tag":
            tag = next(x for x in self.tags if slugify(x) == slug)
            return f"{tag} Archives - Harbour Lights", "".join(
                f"<p>{t(p)}</p>" for p in self.tag_description(tag)
            )
        if kind == "author":
            name = next(x for x in self.authors if slugify(x) == slug)
            return f"{name}, Author at Harbour Lights", "".join(
                f"<p>{t(p)}</p>" for p in self.author_bio(name)
            )
        return f"{dt.date(int(kind), int(slug), 1):%B %Y} - Harbour Lights", ""

    def tag_description(self, tag: str) -> list[str]:
        """A tag's description, two paragraphs."""
        count = sum(tag in x.tags for x in self.articles)
        return [
            f"Everything Harbour Lights has published about {tag.lower()}, newest first. Our"
            f" reporters have followed {tag.lower()} along the waterfront since the paper"
            " began, from council chambers to the end of the pier, and this page collects"
            f" all {count} stories in one place.",
            f"Have a tip about {tag.lower()}? Our newsroom reads every message and answers"
            " most of them. Corrections to anything on this page are noted at the foot of"
            " the story concerned, with the date on which they were made.",
        ]

    def author_bio(self, name: str) -> list[str]:
        """An author page's long biography (four paragraphs for a person)."""
        if name == ORGANISATION:
            return [
                "Stories credited to the Harbour Lights Newsroom are written by several"
                " members of staff together, usually on a deadline, or are based on"
                " announcements and public records checked by our editors.",
                "The newsroom byline is also used for corrections, for live coverage of storms"
                " and council votes, and for the weekly round-up of waterfront notices.",
            ]
        beats = dict(HARBOUR_AUTHORS)[name]
        return long_bio(random.Random(name), name, beats, "Harbour Lights")

    def render_listing(self, base: str, page: int, posts: list[Article]) -> str:
        size = self._size(base)
        shown = posts[(page - 1) * size : page * size]
        pages = -(-len(posts) // size)
        title, intro = self._intro(base)
        if page > 1:
            title = title.replace(
                " - Harbour Lights", f" - Page {page} of {pages} - Harbour Lights"
            )
        nav = "".join(
            f'<a href="{self.url(self._paged(base, n))}" class="{"current" if n == page else "page"}">{n}</a>'
            for n in range(1, pages + 1)
        )
        if page < pages:
            nav += f'<a href="{self.url(self._paged(base, page + 1))}"><i class="td-icon-menu-right"></i></a>'
        links = f'<link rel="canonical" href="{self.url(self._paged(base, page))}" />\n'
        links += '<meta property="og:type" content="website" />\n'
        heading = title.split(" - ")[0].replace(" Archives", "").split(", Author")[0]
        body = (
            f'<body class="archive td-standard-pack">\n{self._header()}'
            '<div class="td-main-content-wrap td-container-wrap"><div class="td-container"><div class="td-pb-row">'
            '<div class="td-pb-span8 td-main-content"><div class="td-ss-main-content">\n'
            f'<div class="td-page-header"><h1 class="entry-title td-page-title"><span>{t(heading)}</span></h1>'
            f'<div class="td-category-description">{intro}</div></div>\n'
            + "".join(self._module(x) for x in shown)
            + f'<div class="page-nav td-pb-padding-side">{nav}</div>\n</div></div>\n'
            + self._sidebar(None)
            + "</div></div></div>\n"
        )
        return self._head(title, links) + body + self._footer()

    def render_search(self, query: str) -> str:
        words = [w for w in query.lower().split() if w]
        hits = [x for x in self.latest() if words and any(w in x.title.lower() for w in words)]
        body = (
            f'<body class="search td-standard-pack">\n{self._header()}<div class="td-main-content-wrap"><div class="td-container">'
            f'<h1 class="entry-title td-page-title">Search results for: {t(query)}</h1>\n'
            + ("".join(self._module(x) for x in hits) or "<p>Nothing found.</p>")
            + "</div></div>\n"
        )
        return (
            self._head(
                f"You searched for {query} - Harbour Lights",
                '<meta name="robots" content="noindex" />\n',
            )
            + body
            + self._footer()
        )

    def render_about(self) -> str:
        body = (
            f'<body class="page">\n{self._header()}<div class="td-main-content-wrap"><div class="td-container">'
            '<h1 class="entry-title">About Harbour Lights</h1>'
            "<p>Harbour Lights is an independent, reader-funded newsroom covering the waterfront,"
            " food and the neighbourhoods around the old harbour.</p></div></div>\n"
        )
        return self._head("About - Harbour Lights") + body + self._footer()

    # ----------------------------------------------------------------- machine
    def render_feed(self, section: str | None) -> Page:
        chosen = self.latest(10, section)
        items = [
            (
                x.title,
                self.url(self.article_path(x)),
                self.url(f"/?p={x.ident}"),
                x.published,
                x.authors[0],
                x.description,
            )
            for x in chosen
        ]
        self_url = self.url(f"/category/{section}/feed/" if section else "/feed/")
        return xml_page(
            rss("Harbour Lights", self.base_url, self_url, items),
            RSS_TYPE,
            max(x.published for x in chosen),
        )

    def render_sitemap(self, path: str) -> Page | None:
        last = max(x.last_change for x in self.articles)
        names = {
            "/wp-sitemap-posts-post-1.xml": [
                (self.url(self.article_path(x)), x.last_change.isoformat()) for x in self.latest()
            ],
            "/wp-sitemap-taxonomies-category-1.xml": [
                (self.url(f"/category/{s}/"), None) for s in self.sections
            ],
            "/wp-sitemap-taxonomies-post_tag-1.xml": [
                (self.url(f"/tag/{slugify(tag)}/"), None) for tag in self.tags
            ],
            "/wp-sitemap-users-1.xml": [
                (self.url(self._author_path(n)), None) for n in self.authors
            ],
        }
        if path == "/wp-sitemap.xml":
            return xml_page(sitemap_index((self.url(p), None) for p in names), XML_TYPE, last)
        if path in names:
            return xml_page(urlset(names[path]), XML_TYPE, last)
        return None

    # ------------------------------------------------------------ ground truth
    def listing_pages(self) -> list[tuple[str, str]]:
        kinds = {"category": "section", "tag": "tag", "author": "author"}
        pages: list[tuple[str, str]] = []
        for base, posts in self._lists().items():
            kind = "home" if base == "/" else kinds.get(base.split("/")[1], "month-archive")
            count = -(-len(posts) // self._size(base))
            pages.append((base, kind))
            pages += [(self._paged(base, n), f"{kind}-page") for n in range(2, count + 1)]
        pages += [("/?s=harbour", "search"), ("/about/", "static")]
        return pages

    def extra_manifest(self) -> dict:
        return {
            "feeds": [
                self.url("/feed/"),
                *(self.url(f"/category/{s}/feed/") for s in self.sections),
            ],
            "sitemaps": [self.url("/wp-sitemap.xml")],
        }
