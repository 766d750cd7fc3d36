"""A robots.txt Crawl-delay of a day is capped, shown by `status`, and a crawl with a deadline
ends on time, leaving what it could not fetch queued for the next run."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crawler.coordination.connection import connect
from crawler.coordination.frontier import Frontier
from crawler.coordination.keys import Keys
from tests.crawltools import common_args, run_newscrawl

pytestmark = [pytest.mark.integration, pytest.mark.crawl]

PARAGRAPH = "<p>" + "The council met again on Tuesday to discuss the harbour works. " * 6 + "</p>"


class _SlowSite(BaseHTTPRequestHandler):
    """robots.txt asks for a day between requests; the home page links five articles."""

    def do_GET(self) -> None:
        if self.path == "/robots.txt":
            body, kind = b"User-agent: *\nCrawl-delay: 86400\n", "text/plain"
        elif self.path == "/":
            links = "".join(
                f'<a href="/2026/05/0{i}/harbour-story-number-{i}">{i}</a>' for i in range(1, 6)
            )
            body, kind = f"<html><body>{links}</body></html>".encode(), "text/html"
        else:
            body = f"<html><body><article><h1>Story</h1>{PARAGRAPH * 3}</article></body></html>"
            body, kind = body.encode(), "text/html"
        self.send_response(200 if self.path.startswith(("/robots", "/2026", "/")) else 404)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def slow_site():
    server = ThreadingHTTPServer(("127.0.0.37", 0), _SlowSite)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.37:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.timeout(180)
def test_a_day_long_crawl_delay_is_capped_and_the_deadline_ends_the_crawl(
    slow_site, redis_url, key_prefix, tmp_path
):
    args = common_args(redis_url, f"sqlite:///{tmp_path / 'a.db'}", key_prefix, tmp_path / "data")
    started = time.monotonic()
    result = run_newscrawl(
        "crawl", slow_site, "--workers", "1", "--allow-private", *args, "-s", "DOWNLOAD_DELAY=0",
        "-s", "NEWS_CRAWL_DEADLINE_SECONDS=8", cwd=tmp_path, timeout=150,
    )  # fmt: skip
    elapsed = time.monotonic() - started
    assert result.returncode == 1, result.stdout + result.stderr  # the job did not finish
    assert elapsed < 60, elapsed
    assert "deadline reached" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    host = slow_site.split("//")[1].strip("/")
    frontier = Frontier(connect(redis_url), Keys(key_prefix))
    assert frontier.host_politeness(host)["crawl_delay_ms"] == 60_000  # NEWS_MAX_CRAWL_DELAY
    counts = frontier.counts()
    assert counts["queued"] > 0 and counts["leased"] == 0  # handed back, kept for next time
    status = run_newscrawl("status", "--redis", redis_url, "-s", f"NEWS_KEY_PREFIX={key_prefix}",
                           "--json", cwd=tmp_path)  # fmt: skip
    assert json.loads(status.stdout)["slowed_hosts"] == {host: "86400.0"}
    text = run_newscrawl("status", "--redis", redis_url, "-s", f"NEWS_KEY_PREFIX={key_prefix}",
                         cwd=tmp_path).stdout  # fmt: skip
    assert "held back by NEWS_MAX_CRAWL_DELAY" in text and host in text
