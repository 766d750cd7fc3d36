"""``sites check``, ``sites snapshot`` and ``sites add`` against sites on loopback.

Each test runs the real command line in a subprocess (the sample is fetched by a Scrapy
process of its own) against the demo site, a site that is down, a site without articles,
or a publisher of the unseen site; declarations are written into the test's folder, which
is the working directory of every process (so that they import as modules).
"""

from __future__ import annotations

import json
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from crawler.config import build_settings
from crawler.coordination.connection import connect
from crawler.outcomes import NO_ARTICLES, UNREACHABLE
from crawler.site_fixtures import compare_fixture, load_fixtures
from crawler.sites import SiteRegistry
from tests.crawltools import REPO, common_args, run_newscrawl, stored
from tests.demo_site.server import DemoSite
from tests.unseen_site.server import UnseenSite

pytestmark = [pytest.mark.crawl]


def _declare_demo(folder: Path, name: str, home: str) -> list[str]:
    """A copy of the demo's declaration for a demo site served at ``home``, as module
    ``name`` in ``folder``; the -s option that loads it."""
    source = (REPO / "tests" / "declared" / "demo.py").read_text("utf-8")
    source = source.replace('DEMO_HOME = "http://127.0.0.2:8461/"', f"DEMO_HOME = {home!r}")
    source = source.replace('"demo"', repr(name)).replace("DemoSpider", "CheckedSpider")
    (folder / f"{name}.py").write_text(source, "utf-8")
    return ["-s", f'SPIDER_MODULES=["spiders", "{name}"]']


def _keys(redis_url: str, prefix: str) -> list[str]:
    client = connect(redis_url)
    try:
        return sorted(client.scan_iter(match=f"{prefix}:*"))
    finally:
        client.close()


@pytest.mark.integration
def test_check_reads_the_demo_site_and_writes_nothing(redis_url, key_prefix, tmp_path):
    db = tmp_path / "articles.db"
    with DemoSite(host="127.0.0.41", port=0) as demo:
        modules = _declare_demo(tmp_path, "checked_demo", demo.base_url)
        manifest = demo.manifest()
        result = run_newscrawl(
            "sites", "check", "checked_demo", "--limit", "3", "--allow-private", *modules,
            "-s", f"NEWS_REDIS_URL={redis_url}", "-s", f"NEWS_DATABASE_URL=sqlite:///{db}",
            "-s", f"NEWS_KEY_PREFIX={key_prefix}", "-s", f"NEWS_DATA_DIR={tmp_path / 'data'}",
            cwd=tmp_path, timeout=180,
        )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    assert "outcome: ok (exit 0)" in out
    rows = [
        line for line in out.splitlines() if re.match(r"\s*\d+\s+article\s+200\s+article", line)
    ]
    assert len(rows) == 3, out
    titles = {a["title"] for a in manifest["articles"]}
    shown = re.findall(r"^    title:\s+(.*)$", out, re.MULTILINE)
    assert len(shown) == 3 and set(shown) <= titles, shown
    assert re.search(r"^    published: 20\d\d-", out, re.MULTILINE)
    assert "Flags: none" in out
    # Nothing in the shared frontier (the check uses no Redis at all) nor in a database.
    assert _keys(redis_url, key_prefix) == []
    assert not db.exists() and not (tmp_path / "data").exists()


def test_check_of_a_site_that_is_down_exits_unreachable(tmp_path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.41", 0))
        port = probe.getsockname()[1]
    result = run_newscrawl(
        "sites", "check", f"http://127.0.0.41:{port}/", "--allow-private", "--json",
        "-s", "RETRY_TIMES=0", "-s", "DOWNLOAD_DELAY=0", cwd=tmp_path, timeout=180,
    )  # fmt: skip
    assert result.returncode == UNREACHABLE.code, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["outcome"] == "unreachable" and report["articles"] == 0
    assert any(flag.startswith("home ") for flag in report["flags"])


class _Listings(BaseHTTPRequestHandler):
    """A site of listing pages only: every page links ten others, none is an article."""

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            self.send_error(404)
            return
        links = "".join(f'<li><a href="/list/{n}">Listing {n}</a></li>' for n in range(10))
        body = f"<html><head><title>Lists</title></head><body><ul>{links}</ul></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_check_of_a_site_without_articles_exits_no_articles(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.41", 0), _Listings)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = run_newscrawl(
            "sites", "check", f"http://127.0.0.41:{server.server_address[1]}/",
            "--allow-private", "-s", "DOWNLOAD_DELAY=0", cwd=tmp_path, timeout=180,
        )  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == NO_ARTICLES.code, result.stdout + result.stderr
    assert "outcome: no-articles" in result.stdout


def test_snapshot_output_passes_its_own_comparison(tmp_path, monkeypatch):
    fixtures = tmp_path / "fixtures"
    with DemoSite(host="127.0.0.41", port=0) as demo:
        modules = _declare_demo(tmp_path, "snapped_demo", demo.base_url)
        result = run_newscrawl(
            "sites", "snapshot", "snapped_demo", "--limit", "3", "--dir", str(fixtures),
            "--allow-private", *modules, cwd=tmp_path, timeout=180,
        )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    saved = load_fixtures(fixtures / "snapped_demo")
    assert len(saved) == 3, result.stdout
    monkeypatch.syspath_prepend(str(tmp_path))
    site = SiteRegistry.load(build_settings([modules[1]])).named("snapped_demo")
    for fixture in saved:
        assert fixture.site == "snapped_demo" and fixture.expected["text"]
        assert compare_fixture(fixture, site) == [], fixture.json_path


@pytest.mark.integration
@pytest.mark.timeout(600)
def test_add_writes_a_declaration_that_stores_the_publishers_articles(
    redis_url, key_prefix, tmp_path
):
    """The query-string publisher (article.php?id=N, print copies at &print=1, session ids
    on side links): the declaration `sites add` writes, crawled by name, stores at least 95%
    of its articles and nothing else."""
    db_url = f"sqlite:///{tmp_path / 'a.db'}"
    with UnseenSite() as unseen:
        home = unseen.base_urls["courier"]
        added = run_newscrawl(
            "sites", "add", home, "--name", "valley_courier", "--dir", str(tmp_path),
            "--allow-private", "-s", "DOWNLOAD_DELAY=0", cwd=tmp_path, timeout=240,
        )  # fmt: skip
        assert added.returncode == 0, added.stdout[-3000:] + added.stderr[-3000:]
        declaration = (tmp_path / "valley_courier.py").read_text("utf-8")
        assert "article_allow=(" in declaration and "Review before crawling" in added.stdout
        again = run_newscrawl("sites", "add", home, "--name", "valley_courier", "--dir",
                              str(tmp_path), cwd=tmp_path)  # fmt: skip
        assert again.returncode == 2 and "exists already" in again.stderr
        crawl = run_newscrawl(
            "crawl", "valley_courier", "--workers", "2", "--allow-private",
            *common_args(redis_url, db_url, key_prefix, tmp_path / "data"),
            "-s", "DOWNLOAD_DELAY=0", "-s", 'SPIDER_MODULES=["spiders", "valley_courier"]',
            cwd=tmp_path, timeout=400,
        )  # fmt: skip
        manifest = unseen.manifest()
    assert crawl.returncode == 0, crawl.stdout[-3000:] + crawl.stderr[-3000:]
    articles = [a for a in manifest["articles"] if a["publisher"] == "courier"]
    netloc = urlsplit(home).netloc
    found, others = set(), []
    for row in stored(db_url):
        parts = urlsplit(row["url"])
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        match = next((a for a in articles if re.search(a["pattern"], target)), None)
        if match is None or parts.netloc != netloc or row["site"] != "valley_courier":
            others.append(row["url"])
        else:
            found.add(match["url"])
    assert others == []
    assert len(found) / len(articles) >= 0.95, sorted({a["url"] for a in articles} - found)
