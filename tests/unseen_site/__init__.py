"""The unseen site: four news publishers built unlike tests/demo_site, for crawls and benchmarks.

Four publishers of 60 articles each (240 in all), each on its own loopback origin, with
their own templates, URL schemes and traps, so that a crawler can be measured on sites it
was not built against (issue 10). Standard library only; deterministic; the content model
is pure and the only state (page-view counter, request log) lives in the server.

Starting it
-----------
    with UnseenSite() as site:              # 127.0.0.11-14, a free port each (port=0)
        site.base_urls                      # {"courier": "http://127.0.0.11:PORT/", ...}
        site.manifest(); site.page_types(); site.requests(); site.trap_counts()
    UnseenSite(port=8471)                   # fixed: 127.0.0.11:8471 ... 127.0.0.14:8471
    UnseenSite("127.0.0.1", 8471)           # one address, ports 8471-8474
    python -m tests.unseen_site [--hosts A,B,C,D | --hosts A] [--port 8471] [--log FILE]

`requests()` records, per request: publisher, method, target (path?query), path, query,
status, t, host, user_agent, client. `site.trap_of(record)` names the trap a request fell
into; `trap_counts()` gives {publisher: {trap: fetches}}.

The publishers
--------------
courier — Valley Courier (courier.py): an old PHP CMS. Table layout, ISO-8859-1, relative
    links; no rel=canonical, no og:type, no JSON-LD anywhere (date only in a DC.date.issued
    meta and "14.10.2026, 09:12" text; the headline is a <span>, not an <h1>). Articles
    `article.php?id=N`; print copies `article.php?id=N&print=1` (no canonical, body as
    <br><br>-separated text); sections `index.php?section=economy[&start=10]`; writers
    `writer.php?name=Jana+Novak`; `rss.php`, `sitemap.xml`. Side columns, bylines, "Also
    read" boxes and footers link with `&sid=` / `sid=..&id=N` / `PHPSESSID=`, new on every
    page view; navigation, listings, feed and sitemap link clean URLs. 12 short articles
    (1,200-1,600 characters). `article.php?id=999` is a soft 404 (200, "Article not found").
harbour — Harbour Lights (harbour.py): WordPress with a tagDiv-style magazine theme, Yoast
    JSON-LD graph, canonical everywhere. Posts `/YYYY/MM/DD/slug/`; variants `/?p=N`
    (200), `/slug/amp/`, Title-Case slugs (200) and no trailing slash (301) in the in-body
    related block, `?replytocom=K` per comment (200, noindex). Categories
    `/category/x/[page/N/]`, tags `/tag/x/` (two-paragraph description), authors
    `/author/x/` (bio of five paragraphs above the list), months `/YYYY/MM/`, `/feed/`,
    `/wp-sitemap.xml`.
almanac — The Daily Almanac (almanac.py): HTML5 with schema.org microdata, teaser cards
    are <article>s too. Stories `/<section>/<slug>`; 12 split over `?page=2`/`?page=3`
    (self-canonical parts, rel=prev/next; later parts link the first as `?page=1`) and
    readable whole at `?page=all`. Sections paginate `?page=N` for ever (repeating the last
    page) and link all `?sort=`/`&order=`/`&filter=` combinations; the calendar
    `/archive/YYYY/MM/DD/` links the day before, after and a year earlier, for any date;
    topics link `/search/?q=tag`, whose results link a next page for ever and "related
    searches" that grow the query. robots.txt allows all of it.
meridian — Meridian Wire (meridian.py): server-rendered React, hashed class names (none
    says article or content), NewsArticle JSON-LD, `__NEXT_DATA__`. Stories
    `/news/<section>/<slug>-<id>.html`; the same story at `/a/<id>` (lean template, no
    canonical, no JSON-LD, linked from RSS and "Trending"); utm_*/fbclid on home, promo and
    related links. Sitemaps lie: robots.txt names a gone sitemap, the index names a gone
    month and stale lastmods, every lastmod predates its story, 12 stories are in no
    sitemap (sections link them), 6 entries are dead (4 x 404, 2 x 410). Topic pages
    declare og:type=article; the home page carries the lead story's whole text.

The manifest
------------
`manifest()` = {"publishers": [...], "articles": [all 240], "traps": [each with publisher
and base_url]}. A publisher: key, name, base_url, template, charset, articles,
non_article_pages [{url, kind}], traps [{name, pattern, description}], variant_families
(same shape), robots_disallowed_prefixes, feeds, sitemaps; courier adds soft_404_urls,
almanac today, meridian sitemap_lies {gone_sitemaps, unlisted_articles, listed_articles,
dead_entries [{url, status}], stale_lastmod}. An article: publisher, url (its own URL, never
a variant), path, id, section, title, authors, published and modified (ISO 8601 with
offset), description, tags, language, text (every block joined by a blank line: paragraphs,
sub-headings, list items one each, table rows with cells joined by " | "), blocks [{kind:
p|h|li|row, text}], size, chars, teaser_headlines and teaser_texts (on its page, never in
text), boilerplate_texts (captions, newsletter, comments, author boxes), variants (example
URLs that must collapse into it), parts (its part URLs, the first being url), pattern (a
regex, re.search on path?query, matching every URL of that article), template, has_comments.

Traps and page types
--------------------
Trap patterns are searched in the request target (path?query), first match wins:
courier session-ids; harbour comment-replies; almanac calendar, facets, search,
endless-pagination (past the last real page only). Meridian has variants but no trap.
`page_types()` gives (url, "article" | "listing") for the 240 articles and 177 listings of
every kind (home, sections and their pages, tags, authors with long bios, month archives,
archive days with and without stories, search results, facets, pagination past the end,
og:type=article topic pages, the home page with a lead story's full text).
"""
