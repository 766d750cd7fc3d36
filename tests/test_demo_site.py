"""Tests of the demo news site itself: content rules, HTTP behaviour and ground truth.

Crawl tests trust `DemoSite.manifest()`; these tests check that the served pages agree
with it (titles, body paragraphs, teasers, variants, failing URLs), that the content obeys
the rules it was written to (distinct sentences, paragraph lengths, every template and
teaser layout used), and that the site is the same on every run.
"""

import collections
import datetime as dt
import hashlib
import json
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
import urllib.robotparser
import xml.etree.ElementTree as ET
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.demo_site import content
from tests.demo_site.server import DemoSite

ROOT = Path(__file__).resolve().parents[1]
SHARED_SEED = ROOT.parent / "shared" / "seed"
USER_AGENT = "newscrawl-tests/1.0 (+https://example.invalid/contact)"


def fetch(url: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """Status, headers and body of one request; no redirects followed, sockets closed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


def get_text(url: str) -> str:
    status, _, body = fetch(url)
    assert status == 200, url
    return body.decode("utf-8")


class PageParser(HTMLParser):
    """Collects the parts of a page the tests look at."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h1: list[str] = []
        self.links: list[dict[str, str]] = []
        self.meta: list[dict[str, str]] = []
        self.anchors: list[str] = []
        self.times: list[str] = []
        self.ld_json: list[str] = []
        self.html_attrs: dict[str, str] = {}
        self._in_h1 = False
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "html":
            self.html_attrs = attributes
        elif tag == "h1":
            self._in_h1 = True
            self.h1.append("")
        elif tag == "link":
            self.links.append(attributes)
        elif tag == "meta":
            self.meta.append(attributes)
        elif tag == "a" and "href" in attributes:
            self.anchors.append(attributes["href"])
        elif tag == "time" and "datetime" in attributes:
            self.times.append(attributes["datetime"])
        elif tag == "script" and attributes.get("type") == "application/ld+json":
            self._in_ld = True
            self.ld_json.append("")

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False
        elif tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1[-1] += data
        if self._in_ld:
            self.ld_json[-1] += data

    def link(self, rel: str) -> str | None:
        hrefs = [link["href"] for link in self.links if link.get("rel") == rel]
        return hrefs[0] if hrefs else None

    def meta_property(self, name: str) -> list[str]:
        return [m["content"] for m in self.meta if name in (m.get("property"), m.get("name"))]


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.close()
    return parser


def visible_text(fragment: str) -> str:
    """Text of an HTML fragment with whitespace collapsed."""
    text = re.sub(r"<[^>]+>", " ", fragment)
    return " ".join(text.split())


def sentences(paragraph: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+(?=[“A-Z])|(?<=[.!?]”)\s+(?=[“A-Z])", paragraph)


@pytest.fixture(scope="module")
def site():
    """A site shared by the read-only tests, its flaky article already past its 500."""
    with DemoSite(host="127.0.0.3", port=0) as running:
        for path in running.manifest()["flaky_paths"]:
            assert fetch(running.base_url + path.lstrip("/"))[0] == 500
        yield running


@pytest.fixture(scope="module")
def manifest(site):
    return site.manifest()


@pytest.fixture(scope="module")
def pages(site, manifest):
    """Each article's main page HTML, fetched once."""
    return {article["url"]: get_text(article["url"]) for article in manifest["articles"]}


# ---------------------------------------------------------------- content rules
def test_thirty_articles_six_per_section(manifest):
    articles = manifest["articles"]
    assert len(articles) == 30
    assert collections.Counter(a["section"] for a in articles) == dict.fromkeys(content.SECTIONS, 6)
    assert len({a["url"] for a in articles}) == 30
    assert len({a["title"] for a in articles}) == 30


def test_articles_follow_the_writing_rules(manifest):
    seen: dict[str, str] = {}
    for article in manifest["articles"]:
        paragraphs = article["text"].split("\n\n")
        assert 1 <= len(article["authors"]) <= 2
        assert 2 <= len(article["tags"]) <= 3
        assert article["description"].endswith(".")
        published = dt.datetime.fromisoformat(article["published"])
        assert published.utcoffset() is not None
        assert dt.date(2026, 10, 1) <= published.date() <= dt.date(2026, 11, 20)
        assert article["path"].split("/")[2:5] == [
            f"{published:%Y}",
            f"{published:%m}",
            f"{published:%d}",
        ]
        if article["modified"]:
            assert dt.datetime.fromisoformat(article["modified"]) > published
        if article["title"] == content.SEED_TITLE:
            continue
        assert 5 <= len(paragraphs) <= 9, article["path"]
        for paragraph in paragraphs:
            assert 40 <= len(paragraph.split()) <= 90, paragraph
            for sentence in sentences(paragraph):
                assert seen.setdefault(sentence, article["path"]) == article["path"], sentence
    offsets = {dt.datetime.fromisoformat(a["published"]).utcoffset() for a in manifest["articles"]}
    assert len(offsets) >= 5


def test_every_template_and_teaser_layout_is_used_on_four_articles(manifest):
    templates = collections.Counter(a["template"] for a in manifest["articles"])
    layouts = collections.Counter(
        layout for a in manifest["articles"] for layout in a["teaser_layouts"]
    )
    assert set(templates) == set(content.TEMPLATES)
    assert set(layouts) == set(content.LAYOUTS)
    assert min(templates.values()) >= 4
    assert min(layouts.values()) >= 4
    for article in manifest["articles"]:
        assert len(article["teaser_headlines"]) >= 2, article["path"]
        assert article["title"] not in article["teaser_headlines"]


def test_teasers_show_real_headlines_of_other_articles(manifest):
    titles = {a["title"] for a in manifest["articles"]}
    for article in manifest["articles"]:
        others = set(article["teaser_headlines"]) - {content.SEED_TEASER_HEADLINE}
        assert others <= titles - {article["title"]}


def test_seed_article_is_the_spec_page(manifest, pages):
    seed = next(a for a in manifest["articles"] if a["title"] == content.SEED_TITLE)
    assert seed["section"] == "world"
    assert seed["path"] == "/world/2026/11/02/met-police-armed-patrols"
    assert seed["text"] == "\n\n".join(content.SEED_BODY)
    assert seed["teaser_layouts"][0] == "plain-divs"
    assert content.SEED_TEASER_HEADLINE in seed["teaser_headlines"]
    for text in (
        *content.SEED_TEASER_LABELS,
        content.SEED_TEASER_BYLINE,
        content.SEED_TEASER_BLURB,
    ):
        assert text in seed["teaser_texts"]
    # Right after the last body paragraph come the teasers, in the order the real page had.
    page = pages[seed["url"]]
    last = escape(content.SEED_BODY[-1], quote=False)
    after_body = page[page.index(last) + len(last) : page.index('<div class="newsletter-signup">')]
    expected = [
        *content.SEED_TEASER_LABELS,
        content.SEED_TEASER_HEADLINE,
        content.SEED_TEASER_HEADLINE,
        content.SEED_TEASER_BYLINE,
        content.SEED_TEASER_BLURB,
    ]
    assert visible_text(after_body) == " ".join(" ".join(expected).split())
    assert '<a href="' + content.SEED_TEASER_PATH + '">' in after_body
    assert "class=" not in after_body


def test_seed_constants_match_shared_seed_files():
    if not SHARED_SEED.is_dir():
        pytest.skip(f"{SHARED_SEED} is not beside this checkout")
    body = (SHARED_SEED / "article-body.txt").read_text(encoding="utf-8")
    assert body.strip("\n").split("\n\n") == list(content.SEED_BODY)
    teasers = (SHARED_SEED / "sidebar-teasers.txt").read_text(encoding="utf-8")
    lines = [line for line in teasers.split("\n") if line]
    assert lines == [
        *content.SEED_TEASER_LABELS,
        content.SEED_TEASER_HEADLINE,
        content.SEED_TEASER_HEADLINE,
        content.SEED_TEASER_BYLINE,
        content.SEED_TEASER_BLURB,
    ]


# ------------------------------------------------------------- machine-readable
def test_robots_txt(site):
    status, headers, body = fetch(site.base_url + "robots.txt")
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain")
    text = body.decode()
    assert "User-agent: *" in text
    assert "Disallow: /private/" in text
    assert "Disallow: /search" in text
    assert f"Sitemap: {site.base_url}sitemap.xml" in text
    assert "Crawl-delay" not in text
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(text.splitlines())
    assert not robots.can_fetch(USER_AGENT, site.base_url + "private/account")
    assert not robots.can_fetch(USER_AGENT, site.base_url + "search?q=brexit")
    assert robots.can_fetch(USER_AGENT, site.base_url + "world/2026/11/02/met-police-armed-patrols")


def test_home_advertises_feeds_and_links_the_traps(site, manifest):
    status, headers, body = fetch(site.base_url)
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    page = parse(body.decode())
    assert page.html_attrs.get("lang") == "en"
    alternates = {
        link["type"]: link["href"] for link in page.links if link.get("rel") == "alternate"
    }
    assert alternates["application/rss+xml"] == site.base_url + "feeds/all.xml"
    assert alternates["application/atom+xml"].startswith(site.base_url + "feeds/")
    assert content.LATEST_ARCHIVE_PATH in page.anchors
    assert content.ERROR_PATH in page.anchors
    assert content.LIVE_MISSING_PATH in page.anchors
    assert any("?utm_source=homepage&utm_medium=web" in href for href in page.anchors)
    assert any(href.endswith("?fbclid=abc123") for href in page.anchors)
    assert any(href.endswith("#comments") for href in page.anchors)
    assert "/private/" in page.anchors


def test_sitemap_index_lists_both_sitemaps(site, manifest):
    status, headers, body = fetch(site.base_url + "sitemap.xml")
    assert status == 200
    assert headers["Content-Type"].startswith("application/xml")
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in ET.fromstring(body).findall("sm:sitemap/sm:loc", ns)]
    assert locs == [site.base_url + "sitemap-articles.xml", site.base_url + "news-sitemap.xml"]
    assert manifest["sitemaps"] == [site.base_url + "sitemap.xml", *locs]


def test_sitemaps_list_every_article(site, manifest):
    ns = {
        "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "news": "http://www.google.com/schemas/sitemap-news/0.9",
    }
    urls = {a["url"]: a for a in manifest["articles"]}
    articles = ET.fromstring(get_text(site.base_url + "sitemap-articles.xml"))
    listed = {
        u.findtext("sm:loc", namespaces=ns): u.findtext("sm:lastmod", namespaces=ns)
        for u in articles
    }
    assert listed == {url: a["modified"] or a["published"] for url, a in urls.items()}
    news = ET.fromstring(get_text(site.base_url + "news-sitemap.xml"))
    for entry in news:
        article = urls[entry.findtext("sm:loc", namespaces=ns)]
        assert entry.findtext(".//news:publication_date", namespaces=ns) == article["published"]
        assert entry.findtext(".//news:title", namespaces=ns) == article["title"]
    assert len(news) == 30


def test_feeds(site, manifest):
    status, headers, body = fetch(site.base_url + "feeds/all.xml")
    assert status == 200
    assert headers["Content-Type"].startswith("application/rss+xml")
    items = ET.fromstring(body).findall("channel/item")
    assert len(items) == content.FEED_SIZE
    by_url = {a["url"]: a for a in manifest["articles"]}
    for item in items:
        article = by_url[item.findtext("guid")]
        assert item.findtext("title") == article["title"]
        assert item.findtext("link").startswith(article["url"] + "?utm_source=rss")
        published = dt.datetime.strptime(item.findtext("pubDate"), "%a, %d %b %Y %H:%M:%S %z")
        assert published == dt.datetime.fromisoformat(article["published"])
    atom = {"a": "http://www.w3.org/2005/Atom"}
    for section in content.SECTIONS:
        status, headers, body = fetch(f"{site.base_url}feeds/{section}.atom")
        assert status == 200
        assert headers["Content-Type"].startswith("application/atom+xml")
        entries = ET.fromstring(body).findall("a:entry", atom)
        assert {e.find("a:link", atom).get("href") for e in entries} == {
            a["url"] for a in manifest["articles"] if a["section"] == section
        }
    assert manifest["feeds"][0] == site.base_url + "feeds/all.xml"


# ------------------------------------------------------------------- articles
def test_every_article_serves_its_title_in_h1(manifest, pages):
    for article in manifest["articles"]:
        page = parse(pages[article["url"]])
        assert page.h1 == [article["title"]], article["url"]
        assert page.html_attrs.get("lang") == "en"
        assert page.link("canonical") == article["url"]
        assert page.link("amphtml") == article["variants"][0]


def test_article_paragraphs_occur_in_page(manifest, pages):
    for article in manifest["articles"]:
        page = pages[article["url"]]
        for paragraph in article["text"].split("\n\n"):
            assert escape(paragraph, quote=False) in page, (article["url"], paragraph[:60])


def test_teasers_occur_in_page_and_never_inside_body_paragraphs(manifest, pages):
    for article in manifest["articles"]:
        page = pages[article["url"]]
        for text in (
            article["teaser_headlines"] + article["teaser_texts"] + article["boilerplate_texts"]
        ):
            assert escape(text, quote=False) in page, (article["url"], text)
        for paragraph in article["text"].split("\n\n"):
            for text in article["teaser_headlines"] + article["teaser_texts"]:
                assert text not in paragraph, (article["url"], text)
            for text in article["boilerplate_texts"]:
                assert text not in paragraph


def test_metadata_varies_by_template(manifest, pages):
    for article in manifest["articles"]:
        page = parse(pages[article["url"]])
        published_meta = page.meta_property("article:published_time")
        ld_dates = [json.loads(text).get("datePublished") for text in page.ld_json]
        source = article["date_source"]
        assert published_meta == ([article["published"]] if source == "meta" else [])
        assert ld_dates == ([article["published"]] if source == "json-ld" else [])
        assert page.times[:1] == ([article["published"]] if source == "time" else [])
        assert page.meta_property("og:type") == ["article"]
        assert page.meta_property("og:title") == [article["title"]]
        assert page.meta_property("og:image") == [article["image"]]
        if source == "json-ld":
            data = json.loads(page.ld_json[0])
            assert data["@type"] == "NewsArticle"
            assert [a["name"] for a in data["author"]] == article["authors"]
            assert data["keywords"] == ", ".join(article["tags"])
            assert data.get("dateModified") == article["modified"]
        if source == "meta":
            assert page.meta_property("author") == [", ".join(article["authors"])]
            assert page.meta_property("article:tag") == article["tags"]


def test_variants_carry_canonical_and_the_body(site, manifest):
    for article in manifest["articles"]:
        amp_url, print_url = article["variants"]
        assert amp_url == article["url"].replace(site.base_url, site.base_url + "amp/")
        assert print_url == article["url"] + "?print=1"
        for url in (amp_url, print_url):
            page_html = get_text(url)
            page = parse(page_html)
            assert page.link("canonical") == article["url"], url
            assert page.link("amphtml") is None
            assert page.h1 == [article["title"]]
            for paragraph in article["text"].split("\n\n"):
                assert escape(paragraph, quote=False) in page_html
            assert 'class="sidebar"' not in page_html
            assert 'id="comments"' not in page_html
        assert "<html amp" in get_text(amp_url)
    linked = collections.Counter()
    for article in manifest["articles"]:
        page = parse(get_text(article["url"]))
        linked["print"] += article["path"] + "?print=1" in page.anchors
        linked["amp"] += "/amp" + article["path"] in page.anchors
    assert linked["print"] >= 4
    assert linked["amp"] >= 4


def test_tracking_variants_serve_the_same_article(site, manifest):
    article = manifest["articles"][3]
    for suffix in ("?utm_source=homepage&utm_medium=web", "?fbclid=abc123", "?sessionid=0a1b2c"):
        page = parse(get_text(article["url"] + suffix))
        assert page.link("canonical") == article["url"]
        assert page.h1 == [article["title"]]


# -------------------------------------------------------------- other pages
def test_non_article_pages_are_served(site, manifest):
    article_urls = {a["url"] for a in manifest["articles"]}
    for path in manifest["non_article_paths"]:
        status, headers, body = fetch(site.base_url + path.lstrip("/"))
        assert status == 200, path
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        page = parse(body.decode())
        assert page.link("canonical") not in article_urls
        assert not page.meta_property("og:type") or page.meta_property("og:type") == ["website"]


def test_section_pagination(site):
    first = parse(get_text(site.base_url + "world/"))
    assert "/world/?page=2" in first.anchors
    second = parse(get_text(site.base_url + "world/?page=2"))
    assert {"/world/", "/world/?page=3"} <= set(second.anchors)
    third = parse(get_text(site.base_url + "world/?page=3"))
    assert "/world/?page=2" in third.anchors
    assert "/world/?page=4" not in third.anchors
    assert fetch(site.base_url + "world/?page=4")[0] == 404
    assert fetch(site.base_url + "world/?page=zero")[0] == 404
    cards = re.findall(r'<article class="card">', get_text(site.base_url + "world/?page=2"))
    assert len(cards) == content.PAGE_SIZE


def test_calendar_archive_is_endless(site):
    path = content.LATEST_ARCHIVE_PATH
    for _ in range(5):
        page = parse(get_text(site.base_url + path.lstrip("/")))
        day = dt.date(*map(int, path.strip("/").split("/")[1:]))
        assert f"/archive/{day - dt.timedelta(days=1):%Y/%m/%d}/" in page.anchors
        nxt = f"/archive/{day + dt.timedelta(days=1):%Y/%m/%d}/"
        assert nxt in page.anchors
        path = nxt
    assert fetch(site.base_url + "archive/2400/02/30/")[0] == 404
    assert fetch(site.base_url + "archive/1999/01/01/")[0] == 200


def test_disallowed_areas_exist_and_are_linked(site):
    assert fetch(site.base_url + "search?q=cup")[0] == 200
    assert fetch(site.base_url + "private/account")[0] == 200
    author = parse(get_text(site.base_url + "author/rhys-morgan/"))
    assert any(href.startswith("/private/") for href in author.anchors)
    headline_links = re.findall(r'<h2><a href="([^"]+)"', get_text(site.base_url + "tag/europe/"))
    assert len(headline_links) >= 4
    assert all(re.search(r"\?sessionid=[0-9a-f]+$", href) for href in headline_links)


def test_redirects(site, manifest):
    for path, target in manifest["redirects"].items():
        status, headers, _ = fetch(site.base_url + path.lstrip("/"))
        assert status == 301
        assert headers["Location"] == target
    status, headers, _ = fetch(site.base_url + "sport")
    assert (status, headers["Location"]) == (301, site.base_url + "sport/")
    article = manifest["articles"][0]
    status, headers, _ = fetch(article["url"] + "/")
    assert (status, headers["Location"]) == (301, article["url"])


def test_images_and_static_files(site, manifest):
    status, headers, body = fetch(manifest["articles"][0]["image"])
    assert status == 200
    assert headers["Content-Type"] == "image/jpeg"
    assert body[:3] == b"\xff\xd8\xff"
    assert body[-2:] == b"\xff\xd9"
    assert fetch(site.base_url + "img/no-such-story.jpg")[0] == 404
    status, headers, _ = fetch(site.base_url + "static/site.css")
    assert (status, headers["Content-Type"]) == (200, "text/css; charset=utf-8")


def test_head_and_other_methods(site, manifest):
    url = manifest["articles"][1]["url"]
    status, headers, body = fetch(url, method="HEAD")
    assert status == 200
    assert body == b""
    assert int(headers["Content-Length"]) == len(get_text(url).encode())
    status, headers, _ = fetch(url, method="POST")
    assert status == 405
    assert headers["Allow"] == "GET, HEAD"


def test_unknown_paths_get_an_html_404(site, manifest):
    for path in [*manifest["missing_paths"], "/nope", "/world/2026/11/02/no-such-story"]:
        status, headers, body = fetch(site.base_url + path.lstrip("/"))
        assert status == 404, path
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert b"Page not found" in body


# --------------------------------------------------- failures, log, determinism
def test_errors_missing_and_flaky(tmp_path):
    with DemoSite(host="127.0.0.3", port=0) as fresh:
        manifest = fresh.manifest()
        assert manifest["error_paths"] == ["/world/broken-story"]
        for _ in range(2):
            assert fetch(fresh.base_url + "world/broken-story")[0] == 500
        (flaky_path,) = manifest["flaky_paths"]
        flaky = [a for a in manifest["articles"] if a["flaky"]]
        assert [a["path"] for a in flaky] == [flaky_path]
        assert fetch(fresh.base_url + flaky_path.lstrip("/"))[0] == 500
        assert fetch(fresh.base_url + flaky_path.lstrip("/"))[0] == 200
        assert fetch(fresh.base_url + flaky_path.lstrip("/"))[0] == 200
        for path in manifest["missing_paths"]:
            assert fetch(fresh.base_url + path.lstrip("/"))[0] == 404
    with DemoSite(host="127.0.0.3", port=0) as another:
        # Per instance: a new server fails the flaky article's first request again.
        assert fetch(another.base_url + flaky_path.lstrip("/"))[0] == 500


def test_request_log(tmp_path):
    log_path = tmp_path / "logs" / "requests.jsonl"
    with DemoSite(host="127.0.0.3", port=0, log_path=log_path) as fresh:
        fetch(fresh.base_url)
        fetch(fresh.base_url + "robots.txt", method="HEAD")
        fetch(fresh.base_url + "nope?x=1")
        records = fresh.requests()
        host = fresh.base_url.split("/")[2]
    assert [(r["method"], r["path"], r["status"]) for r in records] == [
        ("GET", "/", 200),
        ("HEAD", "/robots.txt", 200),
        ("GET", "/nope?x=1", 404),
    ]
    for record in records:
        assert record["host"] == host
        assert record["user_agent"] == USER_AGENT
        assert record["client"].startswith("127.")
        assert isinstance(record["t"], float)
    assert [r["t"] for r in records] == sorted(r["t"] for r in records)
    logged = [json.loads(line) for line in log_path.read_text(encoding="utf-8").splitlines()]
    assert logged == records


def without_base(text: str, base_url: str) -> str:
    """Text with the base URL (plain and percent-encoded) replaced by a placeholder."""
    return text.replace(base_url, "BASE/").replace(quote(base_url, safe=""), "BASE%2F")


def test_content_is_deterministic_across_instances(manifest, pages):
    with DemoSite(host="127.0.0.3", port=0) as other:
        other_manifest = other.manifest()
        mine = without_base(json.dumps(manifest), manifest["base_url"])
        assert without_base(json.dumps(other_manifest), other.base_url) == mine
        for article in other_manifest["articles"]:
            if article["flaky"]:
                fetch(article["url"])
            page = without_base(get_text(article["url"]), other.base_url)
            url = article["url"].replace(other.base_url, manifest["base_url"])
            assert page == without_base(pages[url], manifest["base_url"])


def test_content_is_deterministic_across_processes():
    """A fresh interpreter (another hash seed) renders byte-identical pages."""
    script = (
        "import hashlib\n"
        "from tests.demo_site.content import Site\n"
        "site = Site('http://127.0.0.9:1/')\n"
        "digest = hashlib.sha256()\n"
        "for path in ['/', '/sitemap.xml', '/feeds/all.xml', '/world/?page=2', *(a['path'] for a in site.manifest()['articles'])]:\n"
        "    digest.update(site.respond(path).body)\n"
        "digest.update(repr(site.manifest()).encode())\n"
        "print(digest.hexdigest())\n"
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
    site = content.Site("http://127.0.0.9:1/")
    digest = hashlib.sha256()
    for path in [
        "/",
        "/sitemap.xml",
        "/feeds/all.xml",
        "/world/?page=2",
        *(a["path"] for a in site.manifest()["articles"]),
    ]:
        digest.update(site.respond(path).body)
    digest.update(repr(site.manifest()).encode())
    assert result.stdout.strip() == digest.hexdigest()


def test_command_line_serves_until_sigterm(tmp_path):
    log_path = tmp_path / "requests.jsonl"
    command = [
        sys.executable,
        "-m",
        "tests.demo_site",
        "--host",
        "127.0.0.3",
        "--port",
        "0",
        "--log",
        str(log_path),
    ]
    with subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as proc:
        try:
            line = proc.stdout.readline()
            base_url = re.search(r"http://\S+/", line)[0]
            assert fetch(base_url + "robots.txt")[0] == 200
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
    port = site.base_url.rsplit(":", 1)[1].strip("/")
    result = subprocess.run(
        [sys.executable, "-m", "tests.demo_site", "--host", "127.0.0.3", "--port", port],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error: cannot serve on 127.0.0.3:")
    assert "Traceback" not in result.stderr
