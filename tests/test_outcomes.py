"""The run outcomes of ``newscrawl crawl``: the table, the verdict, and one real run per code.

Each documented exit code is produced by a real ``newscrawl crawl`` (real workers, the real
Redis) against a site on loopback built to end that way; the README's table is checked
against crawler/outcomes.py.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crawler.coordination.connection import connect
from crawler.coordination.frontier import Frontier
from crawler.coordination.keys import Keys
from crawler.coordination.run_lock import RunLock
from crawler.outcomes import (
    ARTICLES_FAILED,
    DECLARATION_BROKEN,
    FAILED,
    NOTHING_FETCHED,
    OK,
    OUTCOMES,
    UNREACHABLE,
    RunCounts,
    judge,
)
from tests.crawltools import REPO, common_args, run_newscrawl
from tests.demo_site.server import DemoSite

# --- the table and the verdict ---------------------------------------------------------------


def test_the_readme_shows_every_outcome():
    readme = (REPO / "README.md").read_text()
    for outcome in OUTCOMES:
        assert f"| {outcome.code} | `{outcome.name}` |" in readme, outcome.name


def test_codes_are_distinct():
    assert len({o.code for o in OUTCOMES}) == len(OUTCOMES) == len({o.name for o in OUTCOMES})


@pytest.mark.parametrize(
    ("counts", "outcome"),
    [
        (RunCounts(pages=9, articles=3, entry_fetched=2, article_pages=3, drained=True), OK),
        (RunCounts(pages=0, entry_failed=4, drained=True), UNREACHABLE),
        (RunCounts(pages=3, entry_failed=3, drained=True), UNREACHABLE),  # 500s answered
        (RunCounts(pages=0, drained=True), NOTHING_FETCHED),
        (RunCounts(pages=2, entry_fetched=1, article_failed=4, drained=True), ARTICLES_FAILED),
        (
            RunCounts(
                pages=5,
                entry_fetched=1,
                article_pages=3,
                refused_by_site=3,
                declared=True,
                drained=True,
            ),
            DECLARATION_BROKEN,
        ),
        # an ad-hoc site whose pages hold no article is not broken, and a re-run that finds
        # nothing new is a good run
        (RunCounts(pages=5, entry_fetched=1, refused_by_site=3, drained=True), OK),
        (RunCounts(pages=2, entry_fetched=2, drained=True), OK),
        (RunCounts(pages=9, entry_fetched=1, worker_exit_codes=[0, 1], drained=True), FAILED),
        (RunCounts(pages=9, entry_fetched=1, interrupted=True), FAILED),
        (RunCounts(pages=9, entry_fetched=1, deadline_reached=True), FAILED),
    ],
)
def test_judge(counts, outcome):
    assert judge(counts)[0] is outcome


# --- one real run per code -------------------------------------------------------------------


class _BrokenArticles(BaseHTTPRequestHandler):
    """A home page whose every article answers 500."""

    def do_GET(self) -> None:
        if self.path == "/":
            body = "".join(
                f'<a href="/2026/01/0{i}/a-story-about-the-harbour-{i}">story {i}</a>'
                for i in range(1, 4)
            )
            self._send(200, f"<html><body>{body}</body></html>")
        else:
            self._send(404 if self.path == "/robots.txt" else 500, "<html>no</html>")

    def _send(self, status: int, body: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


def _crawl(target, redis_url, key_prefix, tmp_path, *extra):
    args = common_args(redis_url, f"sqlite:///{tmp_path / 'a.db'}", key_prefix, tmp_path / "data")
    return run_newscrawl("crawl", target, "--workers", "1", *args, "-s", "DOWNLOAD_DELAY=0",
                         "-s", "RETRY_TIMES=0", "--json", *extra, cwd=tmp_path, timeout=180)  # fmt: skip


def _outcome(result):
    return json.loads(result.stdout.splitlines()[-1])


@pytest.mark.integration
@pytest.mark.crawl
def test_exit_3_when_no_entry_point_answers(redis_url, key_prefix, tmp_path):
    result = _crawl("http://127.0.0.41:1/", redis_url, key_prefix, tmp_path, "--allow-private")
    assert result.returncode == UNREACHABLE.code, result.stdout + result.stderr
    assert _outcome(result)["outcome"] == "unreachable"


@pytest.mark.integration
@pytest.mark.crawl
def test_exit_4_when_everything_is_refused(redis_url, key_prefix, tmp_path):
    with DemoSite(host="127.0.0.42", port=0) as site:  # a private address, not allowed
        result = _crawl(site.base_url, redis_url, key_prefix, tmp_path)
    assert result.returncode == NOTHING_FETCHED.code, result.stdout + result.stderr
    assert _outcome(result)["refused"] > 0


@pytest.mark.integration
@pytest.mark.crawl
def test_exit_5_when_every_article_page_fails(redis_url, key_prefix, tmp_path):
    server = ThreadingHTTPServer(("127.0.0.43", 0), _BrokenArticles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.43:{server.server_address[1]}/"
        result = _crawl(url, redis_url, key_prefix, tmp_path, "--allow-private")
    finally:
        server.shutdown()
        server.server_close()
    assert result.returncode == ARTICLES_FAILED.code, result.stdout + result.stderr
    assert _outcome(result)["dead_letters"] == 3


@pytest.mark.integration
@pytest.mark.crawl
def test_exit_6_when_a_declaration_refuses_every_article(redis_url, key_prefix, tmp_path):
    package = tmp_path / "broken_sites"
    package.mkdir()
    (package / "__init__.py").write_text("")
    with DemoSite(host="127.0.0.44", port=0) as site:
        (package / "denying.py").write_text(
            "from crawler.sites import Site\nfrom spiders.news import NewsSpider\n\n\n"
            "class DenyingSpider(NewsSpider):\n    name = 'denying'\n"
            f"    site = Site(name='denying', home={site.base_url!r}, article_deny=('.',),\n"
            "                discover=False, sections=('/world/',))\n"
        )
        env_modules = 'SPIDER_MODULES=["spiders", "broken_sites"]'
        args = common_args(redis_url, f"sqlite:///{tmp_path / 'a.db'}", key_prefix,
                           tmp_path / "data")  # fmt: skip
        result = run_newscrawl(
            "crawl", "denying", "--workers", "1", "--allow-private", *args, "-s", env_modules,
            "-s", "DOWNLOAD_DELAY=0", "-s", "DEPTH_LIMIT=1", "--json", cwd=tmp_path, timeout=180,
        )  # fmt: skip
    assert result.returncode == DECLARATION_BROKEN.code, result.stdout + result.stderr
    assert _outcome(result)["articles"] == 0


@pytest.mark.integration
@pytest.mark.crawl
def test_exit_7_when_another_crawl_holds_the_frontier(redis_url, key_prefix, tmp_path):
    lock = RunLock(Frontier(connect(redis_url), Keys(key_prefix)))
    assert lock.acquire() is None
    try:
        result = _crawl("http://127.0.0.45:1/", redis_url, key_prefix, tmp_path, "--allow-private")
    finally:
        lock.release()
    assert result.returncode == 7, result.stdout + result.stderr
    (line,) = result.stderr.splitlines()[-1:]
    assert "another crawl runs on this frontier" in line and key_prefix in line
    assert result.stdout == ""


def test_run_lock_is_released_and_reported(redis_url, key_prefix):
    frontier = Frontier(connect(redis_url), Keys(key_prefix))
    first, second = RunLock(frontier), RunLock(frontier)
    assert first.acquire() is None
    holder = second.acquire()
    assert holder is not None and holder["pid"] > 0
    first.renew()
    first.release()
    assert second.acquire() is None
    second.release()


def test_quiet_prints_only_errors(redis_url, key_prefix, tmp_path):
    result = _crawl("http://127.0.0.46:1/", redis_url, key_prefix, tmp_path, "--allow-private")
    quiet_args = common_args(redis_url, f"sqlite:///{tmp_path / 'b.db'}", key_prefix + "q",
                             tmp_path / "data")  # fmt: skip
    quiet = run_newscrawl("crawl", "http://127.0.0.46:1/", "--workers", "1", "--allow-private",
                          *quiet_args, "-s", "RETRY_TIMES=0", "--quiet", cwd=tmp_path,
                          timeout=180)  # fmt: skip
    assert result.returncode == quiet.returncode == UNREACHABLE.code
    assert quiet.stdout == ""
    (line,) = quiet.stderr.strip().splitlines()
    assert line.startswith("newscrawl crawl: unreachable: ")
