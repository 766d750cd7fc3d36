"""Tests of the unseen news site itself: ground truth, templates, URL schemes and traps.

Crawl tests and benchmarks will trust `UnseenSite.manifest()` and `page_types()`; these
tests check that the served pages agree with them (titles, body blocks, teasers, variants,
parts, sitemap lies), that every template, variant family and trap is really there, that a
crawler which avoids the traps can still reach every article, and that the site is the same
on every run.
"""

import collections
import datetime as dt
import hashlib
import itertools
import json
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import urllib.robotparser
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from tests.unseen_site.server import UnseenSite
from tests.unseen_site.site import KEYS, UnseenContent

ROOT = Path(__file__).resolve().parents[1]
USER_AGENT = "newscrawl-tests/1.0 (+https://example.invalid/contact)"
SM = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def fetch(url: str, method: str = "GET", headers: dict | None = None):
    """Status, headers and body of one request; redirects are not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, hdrs, newurl):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(
        url, method=method, headers={"User-Agent": USER_AGENT, **(headers or {})}
    )
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


def decode(headers: dict, body: bytes) -> str:
    charset = re.search(r"charset=([\w-]+)", headers["Content-Type"])[1]
    return body.decode(charset)


def get(url: str) -> str:
    status, headers, body = fetch(url)
    assert status == 200, (url, status)
    return decode(headers, body)


class Page(HTMLParser):
    """The parts of a page the tests look at: visible text, links, head elements."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.anchors: list[str] = []
        self.links: list[dict] = []
        self.meta: list[dict] = []
        self.h1: list[str] = []
        self.ld_json: list[str] = []
        self._skip = 0
        self._in_h1 = False
        self._in_ld = False
        self.feed(html)
        self.close()
        self.text = " ".join(" ".join(self.chunks).split())

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if tag in ("script", "style"):
            self._skip += 1
            self._in_ld = attributes.get("type") == "application/ld+json"
            if self._in_ld:
                self.ld_json.append("")
        elif tag == "a" and "href" in attributes:
            self.anchors.append(attributes["href"])
        elif tag == "link":
            self.links.append(attributes)
        elif tag == "meta":
            self.meta.append(attributes)
        elif tag == "h1":
            self._in_h1 = True
            self.h1.append("")
        if tag in ("p", "div", "br", "li", "td", "th", "tr", "h1", "h2", "h3", "figcaption"):
            self.chunks.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
            self._in_ld = False
        elif tag == "h1":
            self._in_h1 = False

    def handle_data(self, data):
        if self._in_ld:
            self.ld_json[-1] += data
        if self._skip:
            return
        self.chunks.append(data)
        if self._in_h1:
            self.h1[-1] += data

    def link(self, rel: str) -> str | None:
        hrefs = [x["href"] for x in self.links if rel in x.get("rel", "").split()]
        return hrefs[0] if hrefs else None

    def meta_content(self, name: str) -> list[str]:
        return [m["content"] for m in self.meta if name in (m.get("property"), m.get("name"))]


def flat(text: str) -> str:
    return " ".join(text.split())


def block_text(block: dict) -> str:
    """A block as a page shows it in visible text (table cells separated by spaces)."""
    return flat(block["text"].replace(" | ", " ")) if block["kind"] == "row" else block["text"]


@pytest.fixture(scope="module")
def site():
    with UnseenSite() as running:
        yield running


@pytest.fixture(scope="module")
def manifest(site):
    return site.manifest()


@pytest.fixture(scope="module")
def by_key(manifest):
    return {m["key"]: m for m in manifest["publishers"]}


@pytest.fixture(scope="module")
def pages(manifest):
    """Each article's own page, fetched once and parsed."""
    return {a["url"]: Page(get(a["url"])) for a in manifest["articles"]}


# ---------------------------------------------------------------- content rules
def test_four_publishers_of_sixty_articles(manifest, by_key):
    assert list(by_key) == list(KEYS)
    assert len({m["base_url"] for m in by_key.values()}) == 4
    for m in by_key.values():
        articles = m["articles"]
        assert len(articles) == 60
        assert len({a["url"] for a in articles}) == 60
        assert len({a["title"] for a in articles}) == 60
        assert set(collections.Counter(a["section"] for a in articles).values()) == {15}
    assert len(manifest["articles"]) == 240


def test_article_metadata(by_key):
    for key, m in by_key.items():
        authors = collections.Counter(len(a["authors"]) for a in m["articles"])
        assert authors[2] >= 3, key  # some co-authored stories
        organisations = {n for a in m["articles"] for n in a["authors"] if " " in n}
        assert any(n.endswith(("Staff", "Newsroom", "Desk")) for n in organisations)
        offsets = set()
        for a in m["articles"]:
            published = dt.datetime.fromisoformat(a["published"])
            assert published.utcoffset() is not None
            offsets.add(published.utcoffset())
            assert dt.date(2026, 9, 1) <= published.date() <= dt.date(2026, 11, 27)
            if a["modified"]:
                assert dt.datetime.fromisoformat(a["modified"]) > published
            assert a["description"].endswith(".")
            assert 2 <= len(a["tags"]) <= 4
            assert a["text"] == "\n\n".join(b["text"] for b in a["blocks"])
            assert a["title"] not in a["teaser_headlines"]
            assert len(a["teaser_headlines"]) >= 4
        # summer time ends in the period, except in Meridian's time zone
        assert len(offsets) == (1 if key == "meridian" else 2), key
        kinds = collections.Counter(b["kind"] for a in m["articles"] for b in a["blocks"])
        assert min(kinds[k] for k in ("h", "li", "row")) >= 10, key
        assert sum(a["has_comments"] for a in m["articles"]) >= (0 if key == "meridian" else 10)


def test_short_articles_are_still_articles(by_key):
    lengths = [a["chars"] for a in by_key["courier"]["articles"] if a["size"] == "short"]
    assert len(lengths) == 12
    assert all(1200 <= n <= 1600 for n in lengths)
    longer = [a["chars"] for a in by_key["courier"]["articles"] if a["size"] == "long"]
    assert min(longer) > 1600


def test_prose_never_repeats_and_stories_are_not_near_duplicates(manifest, by_key):
    paragraphs = collections.Counter(
        b["text"] for a in manifest["articles"] for b in a["blocks"] if b["kind"] == "p"
    )
    assert [p for p, n in paragraphs.items() if n > 1 and len(p) >= 80] == []
    for m in by_key.values():

        def shingles(text):
            words = re.findall(r"\w+", text)
            return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}

        sets = [shingles(a["text"]) for a in m["articles"]]
        worst = max(len(x & y) / len(x | y) for x, y in itertools.combinations(sets, 2))
        # Stories share sentence templates, never enough to look like one story.
        assert worst < 0.35, (m["key"], worst)


def test_multipart_articles(by_key):
    parted = [a for a in by_key["almanac"]["articles"] if len(a["parts"]) > 1]
    assert len(parted) == 12
    assert {len(a["parts"]) for a in parted} == {2, 3}
    for key in ("courier", "harbour", "meridian"):
        assert all(a["parts"] == [a["url"]] for a in by_key[key]["articles"])


# ------------------------------------------------------------------- articles
def test_served_articles_agree_with_manifest(manifest, pages):
    for a in manifest["articles"]:
        page = pages[a["url"]]
        # a story split over parts: its texts are spread over the parts' pages
        text = " ".join([page.text, *(Page(get(url)).text for url in a["parts"][1:])])
        assert a["title"] in text, a["url"]
        for block in a["blocks"]:
            assert block_text(block) in text, (a["url"], block["text"][:60])
        for teaser in a["teaser_headlines"] + a["teaser_texts"] + a["boilerplate_texts"]:
            assert flat(teaser) in text, (a["url"], teaser)
        for teaser in a["teaser_headlines"] + a["teaser_texts"] + a["boilerplate_texts"]:
            assert teaser not in a["text"], (a["url"], teaser)
        assert a["description"] in text or a["description"] in page.meta_content("description")


def test_each_publisher_has_its_own_template(by_key, pages):
    def page_of(key, n=0):
        return get(by_key[key]["articles"][n]["url"])

    courier, harbour, almanac, meridian = (page_of(k) for k in KEYS)
    assert '<p class="tx">' in courier and "<table" in courier and "<article" not in courier
    assert 'class="td-post-content tagdiv-type"' in harbour and '"@graph"' in harbour
    assert 'itemprop="articleBody"' in almanac and "application/ld+json" not in almanac
    assert '"@type": "NewsArticle"' in meridian and "__NEXT_DATA__" in meridian
    body_classes = re.findall(r'class="([^"]+)"', meridian.split("<body>", 1)[1])
    assert not [c for c in body_classes if re.search(r"article|content", c, re.I)]
    # and none of them reuses the demo site's body containers
    for html in (courier, harbour, almanac, meridian):
        for demo_marker in ('class="entry-content"', 'class="article-body"', 'class="story-body"'):
            assert demo_marker not in html
    for key in KEYS:
        for a in by_key[key]["articles"]:
            page = pages[a["url"]]
            og_type = page.meta_content("og:type")
            assert og_type == ([] if key == "courier" else ["article"])
            assert page.link("canonical") == (None if key == "courier" else a["url"])


def test_courier_is_an_old_latin1_cms(site, by_key):
    article = by_key["courier"]["articles"][0]
    status, headers, body = fetch(article["url"])
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=iso-8859-1"
    assert b'charset=iso-8859-1"' in body
    page = Page(body.decode("iso-8859-1"))
    assert page.ld_json == [] and page.link("canonical") is None
    assert page.meta_content("DC.date.issued") == [article["published"]]
    assert page.h1 == []
    relative = [h for h in page.anchors if h.startswith(("article.php", "index.php", "writer.php"))]
    assert len(relative) >= 10


def test_courier_print_copies_have_no_canonical(by_key):
    for a in by_key["courier"]["articles"]:
        print_url = a["variants"][0]
        assert print_url == a["url"] + "&print=1"
        html = get(print_url)
        page = Page(html)
        assert page.link("canonical") is None
        assert a["title"] in page.text
        for block in a["blocks"]:
            if block["kind"] in ("p", "h", "li"):
                assert block["text"] in page.text, (print_url, block["text"][:50])
        assert "<p" not in html.split("<body", 1)[1]  # <br><br> between paragraphs
        for teaser in a["teaser_headlines"]:
            assert teaser not in page.text


def test_courier_session_ids_change_with_every_view(site, by_key):
    m = by_key["courier"]
    article = m["articles"][10]

    def sids(html):
        return set(re.findall(r"(?:sid|PHPSESSID)=([0-9a-f]+)", html))

    first, second = get(article["url"]), get(article["url"])
    assert sids(first) and sids(second) and not sids(first) & sids(second)
    assert first.replace(next(iter(sids(first))), "") != first
    sid_links = [h for h in Page(first).anchors if re.search(r"(?:sid|PHPSESSID)=", h)]
    assert any(re.match(r"article\.php\?sid=[0-9a-f]+&id=\d+$", h) for h in sid_links)
    assert any(re.match(r"article\.php\?id=\d+&sid=", h) for h in sid_links)
    assert any("PHPSESSID=" in h for h in sid_links)
    publisher = site.publisher("courier")
    for variant in article["variants"][1:]:
        page = Page(get(variant))
        assert article["blocks"][0]["text"] in page.text
        assert publisher.trap_of(variant.replace(m["base_url"], "/")) == "session-ids"
    listing = Page(get(m["base_url"] + "index.php?section=economy"))
    assert [h for h in listing.anchors if h.startswith("article.php?id=") and "sid" not in h]


def test_courier_soft_404(by_key):
    (url,) = by_key["courier"]["soft_404_urls"]
    status, _, body = fetch(url)
    assert status == 200 and b"Article not found" in body
    assert url.replace(by_key["courier"]["base_url"], "") in get(by_key["courier"]["base_url"])
    assert fetch(by_key["courier"]["base_url"] + "article.php?id=abc")[0] == 404


def test_harbour_wordpress_variants(by_key):
    m = by_key["harbour"]
    base = m["base_url"]
    for a in m["articles"][:12]:
        shortlink, amp, title_case, no_slash, *replies = a["variants"]
        assert re.fullmatch(re.escape(base) + r"\?p=\d+", shortlink)
        for url in (shortlink, amp, title_case, *replies):
            page = Page(get(url))
            assert page.link("canonical") == a["url"], url
            assert a["blocks"][0]["text"] in page.text
        assert "<html amp" in get(amp)
        status, headers, _ = fetch(no_slash)
        assert (status, headers["Location"]) == (301, a["url"])
        assert re.search(r"/[A-Z][a-z]", title_case.replace(base, "/"))
        for reply in replies:
            assert 'content="noindex, follow"' in get(reply)
    inline = collections.Counter()
    for a in m["articles"]:
        html = get(a["url"])
        block = html.split("td_block_related_posts", 1)[1].split("td-post-sharing", 1)[0]
        for href in re.findall(r'href="([^"#]+)"', block):
            path = href.replace(base, "/")
            inline["title-case"] += bool(re.search(r"/\d{2}/[A-Z]", path))
            inline["no-slash"] += not path.endswith("/")
    assert inline["title-case"] >= 20 and inline["no-slash"] >= 20


def test_harbour_listings(by_key):
    m = by_key["harbour"]
    base = m["base_url"]
    author = next(p["url"] for p in m["non_article_pages"] if p["kind"] == "author")
    page = Page(get(author))
    bio = get(author).split('td-category-description">', 1)[1].split("</div>", 1)[0]
    assert bio.count("<p>") >= 4 and len(Page(bio).text) >= 1200
    assert page.meta_content("og:type") == ["website"]
    tag = next(p["url"] for p in m["non_article_pages"] if p["kind"] == "tag")
    assert get(tag).count("<p>") >= 2
    second = [p["url"] for p in m["non_article_pages"] if p["kind"] == "section-page"]
    assert second
    last = max(second, key=lambda u: int(u.rstrip("/").rsplit("/", 1)[1]))
    n = int(last.rstrip("/").rsplit("/", 1)[1])
    assert fetch(last.replace(f"page/{n}/", f"page/{n + 1}/"))[0] == 404
    assert fetch(base + "category/food/page/1/")[0] == 404


def test_almanac_calendar_has_no_end(by_key):
    base = by_key["almanac"]["base_url"]
    url = base + "archive/2026/11/20/"
    for direction in ("Next day", "Previous day"):
        seen = set()
        current = url
        for _ in range(40):
            html = get(current)
            target = re.search(rf'<a href="([^"]+)">{direction}</a>', html)[1]
            current = urljoin(current, target)
            assert current not in seen
            seen.add(current)
    assert "/archive/2025/" in get(base + "archive/2026/01/01/")
    assert fetch(base + "archive/2026/02/30/")[0] == 404
    assert fetch(base + "archive/1970/01/01/")[0] == 200
    assert fetch(base + "archive/")[0] == 302


def test_almanac_facets_search_and_endless_pagination(site, by_key):
    m = by_key["almanac"]
    base = m["base_url"]
    publisher = site.publisher("almanac")
    last_real = Page(get(base + "science/?page=2"))
    far = Page(get(base + "science/?page=57"))
    assert "/science/?page=58" in far.anchors
    stories = [h for h in far.anchors if re.fullmatch(r"/science/[a-z0-9-]+", h)]
    assert stories and stories == [h for h in last_real.anchors if h in stories]
    assert publisher.trap_of("/science/?page=57") == "endless-pagination"
    assert publisher.trap_of("/science/?page=2") is None
    facets = [
        h
        for h in Page(get(base + "health/")).anchors
        if "sort=" in h or "filter=" in h or "order=" in h
    ]
    assert len(facets) == 10
    combos = {urlsplit(h).query for h in facets}
    deeper = Page(get(urljoin(base, facets[0].replace("&amp;", "&"))))
    combos |= {urlsplit(h).query for h in deeper.anchors if "sort=" in h}
    assert len(combos) > 10
    assert all(
        publisher.trap_of(urlsplit(urljoin(base, h)).path + "?" + urlsplit(h).query) == "facets"
        for h in facets
    )
    search = Page(get(base + "search/?q=Rivers"))
    assert "/search/?q=Rivers&page=2" in search.anchors
    related = [h for h in search.anchors if h.startswith("/search/?q=Rivers+")]
    assert related
    again = Page(get(urljoin(base, related[0])))
    assert any(h.count("+") >= 2 for h in again.anchors if h.startswith("/search/"))
    assert Page(get(base + "search/?q=Rivers&page=40")).anchors


def test_almanac_parts_merge_to_the_manifest_text(by_key):
    for a in by_key["almanac"]["articles"]:
        if len(a["parts"]) == 1:
            continue
        assert a["parts"][0] == a["url"]
        assert a["parts"][1:] == [f"{a['url']}?page={n}" for n in range(2, len(a["parts"]) + 1)]
        texts = []
        for n, url in enumerate(a["parts"], 1):
            html = get(url)
            page = Page(html)
            assert page.link("canonical") == url
            assert page.h1 == [a["title"]]
            body = html.split('itemprop="articleBody">', 1)[1].split("</div>\n", 1)[0]
            body = re.sub(
                r'<aside class="pullout.*?</aside>|<figure>.*?</figure>', "", body, flags=re.S
            )
            texts += [
                flat(Page(b).text)
                for b in re.findall(r"<(?:p|h2|li|tr)>(.*?)</(?:p|h2|li|tr)>", body)
            ]
            if n < len(a["parts"]):
                assert page.link("next") == f"{a['url']}?page={n + 1}"
        assert texts == [block_text(b) for b in a["blocks"]], a["url"]
        whole = Page(get(a["url"] + "?page=all"))
        assert whole.link("canonical") == a["url"]
        assert all(block_text(b) in whole.text for b in a["blocks"])
        assert fetch(f"{a['url']}?page={len(a['parts']) + 1}")[0] == 404
        assert a["variants"] == [a["url"] + "?page=all", a["url"] + "?page=1"]


def test_meridian_sitemaps_lie(site, by_key):
    m = by_key["meridian"]
    base = m["base_url"]
    lies = m["sitemap_lies"]
    robots = get(base + "robots.txt")
    named = re.findall(r"^Sitemap: (\S+)$", robots, re.M)
    assert named == [base + "sitemap-index.xml", lies["gone_sitemaps"][0]]
    for gone in lies["gone_sitemaps"]:
        assert fetch(gone)[0] == 404
    index = ET.fromstring(get(base + "sitemap-index.xml"))
    locs = [x.findtext("sm:loc", namespaces=SM) for x in index]
    assert lies["gone_sitemaps"][1] in locs
    listed, stale = [], []
    published = {a["url"]: a["published"] for a in m["articles"]}
    for loc in locs:
        if loc in lies["gone_sitemaps"]:
            continue
        for entry in ET.fromstring(get(loc)):
            url = entry.findtext("sm:loc", namespaces=SM)
            listed.append(url)
            if url in published:
                stale.append(entry.findtext("sm:lastmod", namespaces=SM) < published[url])
    assert all(stale) and len(stale) == 48
    dead = {d["url"]: d["status"] for d in lies["dead_entries"]}
    assert sorted(set(listed) - set(published)) == sorted(dead)
    assert sorted(collections.Counter(dead.values()).items()) == [(404, 4), (410, 2)]
    for url, status in dead.items():
        assert fetch(url)[0] == status
    assert sorted(set(listed) & set(published)) == sorted(lies["listed_articles"])
    assert len(lies["unlisted_articles"]) == 12
    assert not set(lies["unlisted_articles"]) & set(listed)
    linked = set()
    for section in ("markets", "energy", "world", "tech"):
        for page in (f"news/{section}/", f"news/{section}/?page=2"):
            linked |= {urljoin(base, h) for h in Page(get(base + page)).anchors}
    assert set(lies["unlisted_articles"]) <= linked


def test_meridian_legacy_scheme_tracking_and_lead_story(by_key):
    m = by_key["meridian"]
    base = m["base_url"]
    for a in m["articles"][:10]:
        legacy, *tracked = a["variants"]
        page = Page(get(legacy))
        assert legacy == f"{base}a/{a['id']}"
        assert (
            page.link("canonical") is None
            and page.ld_json == []
            and not page.meta_content("og:url")
        )
        assert all(block_text(b) in page.text for b in a["blocks"])
        for url in tracked:
            assert Page(get(url)).link("canonical") == a["url"]
    home = Page(get(base))
    lead = max(m["articles"], key=lambda a: a["published"])
    assert all(block_text(b) in home.text for b in lead["blocks"])
    assert any("utm_source=homepage" in h for h in home.anchors)
    assert sum(h.startswith("/a/") for h in home.anchors) == 5
    topic = next(p["url"] for p in m["non_article_pages"] if p["kind"] == "tag-og-article")
    assert Page(get(topic)).meta_content("og:type") == ["article"]
    rss = ET.fromstring(get(base + "rss.xml"))
    assert all("/a/" in link.text for link in rss.iter("link") if link.text != base)
    feed = json.loads(get(base + "feed.json"))
    assert all("utm_source=jsonfeed" in item["url"] for item in feed["items"])


# ------------------------------------------------------------- site-wide truth
def _crawl(site, manifest):
    """Breadth-first over every publisher, following <a href> links on its origin and
    skipping trap URLs and variant families: what a perfect crawler may fetch."""
    found, fetched, trapped_links = set(), 0, collections.Counter()
    for m in manifest["publishers"]:
        base = m["base_url"]
        publisher = site.publisher(m["key"])
        variants = [v["pattern"] for v in m["variant_families"]]
        queue, seen = collections.deque([base]), {base}
        while queue:
            url = queue.popleft()
            status, headers, body = fetch(url)
            fetched += 1
            if status in (301, 302):
                target = urljoin(url, headers["Location"])
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
                continue
            if status != 200 or not headers["Content-Type"].startswith("text/html"):
                continue
            found.add(url)
            for href in Page(decode(headers, body)).anchors:
                target = urljoin(url, href).split("#")[0]
                if not target.startswith(base):
                    continue
                parts = urlsplit(target)
                local = parts.path + (f"?{parts.query}" if parts.query else "")
                trap = publisher.trap_of(local)
                if trap:
                    trapped_links[(m["key"], trap)] += 1
                    continue
                if any(re.search(p, local) for p in variants):
                    continue
                if parts.query and m["key"] == "almanac" and "page=all" in parts.query:
                    continue
                if target not in seen and not local.startswith(
                    tuple(m["robots_disallowed_prefixes"])
                ):
                    seen.add(target)
                    queue.append(target)
    return found, fetched, trapped_links


def test_every_article_is_reachable_without_entering_a_trap(site, manifest):
    found, fetched, trapped = _crawl(site, manifest)
    missing = [a["url"] for a in manifest["articles"] if a["url"] not in found]
    assert missing == []
    # every part of a multi-part story too
    assert all(url in found for a in manifest["articles"] for url in a["parts"])
    # and every trap is linked from the pages a careful crawler reads
    assert set(trapped) == {(t["publisher"], t["name"]) for t in manifest["traps"]}
    assert fetched < 1000


def test_article_patterns_match_their_own_urls_only(site, manifest):
    for m in manifest["publishers"]:
        articles = m["articles"]
        for a in articles:
            urls = [a["url"], *a["variants"], *a["parts"]]
            locals_ = [u.replace(m["base_url"], "/") for u in urls]
            assert all(re.search(a["pattern"], u) for u in locals_), a["url"]
        for a, b in itertools.combinations(articles[:20], 2):
            assert not re.search(a["pattern"], b["url"].replace(m["base_url"], "/"))


def test_trap_list(manifest):
    names = {(t["publisher"], t["name"]) for t in manifest["traps"]}
    assert names == {
        ("courier", "session-ids"),
        ("harbour", "comment-replies"),
        ("almanac", "calendar"),
        ("almanac", "facets"),
        ("almanac", "search"),
        ("almanac", "endless-pagination"),
    }
    for m in manifest["publishers"]:
        for a in m["articles"]:
            for url in [a["url"], *a["parts"]]:
                assert not re.search(r"[?&](?:sid|PHPSESSID|replytocom|sort|order|filter)=", url)
                local = url.replace(m["base_url"], "/")
                assert not any(re.search(t["pattern"], local) for t in m["traps"]), url


def test_trap_counts_come_from_the_request_log(by_key):
    with UnseenSite() as fresh:
        for path in ("archive/2026/11/01/", "archive/2026/11/02/", "city/?sort=az", "search/?q=x"):
            fetch(fresh.base_urls["almanac"] + path)
        fetch(fresh.base_urls["courier"] + "index.php?section=sport&sid=abc")
        fetch(fresh.base_urls["courier"] + "index.php?section=sport")
        assert fresh.trap_counts() == {
            "courier": {"session-ids": 1},
            "harbour": {},
            "almanac": {"calendar": 2, "facets": 1, "search": 1},
            "meridian": {},
        }


def test_page_types(site, manifest):
    types = site.page_types()
    assert len(types) == len(set(u for u, _ in types))
    labels = collections.Counter(label for _, label in types)
    assert labels["article"] == 240 and labels["listing"] >= 150
    assert {u for u, label in types if label == "article"} == {
        a["url"] for a in manifest["articles"]
    }
    kinds = collections.Counter(
        (m["key"], p["kind"]) for m in manifest["publishers"] for p in m["non_article_pages"]
    )
    for needed in [
        ("courier", "section"), ("courier", "author"), ("courier", "section-page"),
        ("harbour", "author"), ("harbour", "tag"), ("harbour", "month-archive"),
        ("harbour", "section-page"), ("almanac", "archive-day"), ("almanac", "archive-day-empty"),
        ("almanac", "search"), ("almanac", "facet"), ("almanac", "pagination-beyond-end"),
        ("meridian", "tag-og-article"), ("meridian", "home-with-lead-story"),
    ]:  # fmt: skip
        assert kinds[needed] >= 1, needed
    for url, label in types:
        if label == "listing":
            status, headers, _ = fetch(url)
            assert status == 200 and headers["Content-Type"].startswith("text/html"), url


# ------------------------------------------------------------ machine-readable
def test_robots_feeds_and_sitemaps(by_key):
    for m in by_key.values():
        base = m["base_url"]
        status, headers, body = fetch(base + "robots.txt")
        assert status == 200 and headers["Content-Type"].startswith("text/plain")
        robots = urllib.robotparser.RobotFileParser()
        robots.parse(body.decode().splitlines())
        for prefix in m["robots_disallowed_prefixes"]:
            assert not robots.can_fetch(USER_AGENT, base + prefix.lstrip("/") + "x")
        assert all(robots.can_fetch(USER_AGENT, a["url"]) for a in m["articles"])
        for url in m["feeds"] + m["sitemaps"]:
            status, headers, body = fetch(url)
            assert status == 200, url
            if "json" in headers["Content-Type"]:
                json.loads(body)
            else:
                ET.fromstring(body)


def test_conditional_requests_on_feeds_and_sitemaps(by_key):
    for m in by_key.values():
        for url in m["feeds"][:1] + m["sitemaps"][:1]:
            status, headers, _ = fetch(url)
            assert status == 200 and headers["ETag"] and headers["Last-Modified"]
            assert fetch(url, headers={"If-None-Match": headers["ETag"]})[:3:2] == (304, b"")
            assert fetch(url, headers={"If-Modified-Since": headers["Last-Modified"]})[0] == 304
            assert fetch(url, headers={"If-None-Match": '"other"'})[0] == 200
            old = "Mon, 01 Jun 2026 00:00:00 GMT"
            assert fetch(url, headers={"If-Modified-Since": old})[0] == 200
    status, headers, _ = fetch(by_key["harbour"]["articles"][0]["url"])
    assert "ETag" not in headers


def test_head_post_and_unknown_paths(by_key):
    url = by_key["almanac"]["articles"][0]["url"]
    status, headers, body = fetch(url, method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    status, headers, _ = fetch(url, method="POST")
    assert (status, headers["Allow"]) == (405, "GET, HEAD")
    for m in by_key.values():
        status, headers, _ = fetch(m["base_url"] + "no/such/page")
        assert status == 404 and headers["Content-Type"].startswith("text/html")
        assert fetch(m["base_url"] + "img/x.jpg")[1]["Content-Type"] == "image/gif"


def test_request_log():
    with UnseenSite() as fresh:
        fetch(fresh.base_urls["courier"] + "article.php?id=1&x=2")
        fetch(fresh.base_urls["meridian"] + "robots.txt", method="HEAD")
        records = fresh.requests()
    assert [(r["publisher"], r["method"], r["path"], r["query"], r["status"]) for r in records] == [
        ("courier", "GET", "/article.php", "id=1&x=2", 200),
        ("meridian", "HEAD", "/robots.txt", "", 200),
    ]
    assert records[0]["target"] == "/article.php?id=1&x=2"
    assert all(isinstance(r["t"], float) and r["user_agent"] == USER_AGENT for r in records)


def test_one_address_four_ports():
    with UnseenSite("127.0.0.1", 0) as single:
        urls = list(single.base_urls.values())
        assert len({urlsplit(u).port for u in urls}) == 4
        assert {urlsplit(u).hostname for u in urls} == {"127.0.0.1"}
        assert all(fetch(u)[0] == 200 for u in urls)


# --------------------------------------------------------------- determinism
def without_bases(text: str, bases: list[str]) -> str:
    for k, base in enumerate(bases):
        text = text.replace(base, f"BASE{k}/")
    return text


def test_content_is_deterministic_across_instances(site, manifest, pages):
    with UnseenSite() as other:
        mine = without_bases(json.dumps(manifest), [m["base_url"] for m in manifest["publishers"]])
        theirs = other.manifest()
        bases = [m["base_url"] for m in theirs["publishers"]]
        assert without_bases(json.dumps(theirs), bases) == mine
        for a in theirs["articles"][::7]:
            if a["publisher"] == "courier":
                continue  # session ids depend on each server's page-view count
            mine_url = a["url"].replace(
                bases[KEYS.index(a["publisher"])],
                manifest["publishers"][KEYS.index(a["publisher"])]["base_url"],
            )
            assert Page(get(a["url"])).text == pages[mine_url].text


def _digest(content: UnseenContent) -> str:
    digest = hashlib.sha256()
    for key in KEYS:
        publisher = content[key]
        for path in ["/", publisher.article_path(publisher.articles[5]), "/robots.txt"]:
            digest.update(publisher.respond(path, view=3).body)
    digest.update(repr(content.manifest()).encode())
    return digest.hexdigest()


def test_content_is_deterministic_across_processes():
    """A fresh interpreter (another hash seed) renders byte-identical pages."""
    bases = [f"http://127.0.0.{k}:1/" for k in range(21, 25)]
    script = (
        "from tests.unseen_site.site import UnseenContent\n"
        "from tests.test_unseen_site import _digest\n"
        f"print(_digest(UnseenContent({bases!r})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        env={"PYTHONHASHSEED": "12345", "PATH": "/usr/bin:/bin"},
    )
    assert result.stdout.strip() == _digest(UnseenContent(bases))


def test_command_line_serves_until_sigterm(tmp_path):
    log_path = tmp_path / "requests.jsonl"
    command = [sys.executable, "-m", "tests.unseen_site", "--port", "0", "--log", str(log_path)]
    with subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        try:
            lines = [proc.stdout.readline() for _ in range(4)]
            urls = [re.search(r"http://\S+/", line)[0] for line in lines]
            assert [line.split()[0] for line in lines] == list(KEYS)
            assert fetch(urls[2] + "robots.txt")[0] == 200
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=20)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert proc.returncode == 0, err
    assert err == ""
    assert json.loads(log_path.read_text(encoding="utf-8"))["path"] == "/robots.txt"


def test_command_line_reports_a_busy_port(site):
    port = str(urlsplit(site.base_urls["courier"]).port)
    result = subprocess.run(
        [sys.executable, "-m", "tests.unseen_site", "--hosts", "127.0.0.11", "--port", port],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot serve on 127.0.0.11")
    assert "Traceback" not in result.stderr
