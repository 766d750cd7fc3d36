"""Sampling a site for ``sites check`` (crawler/sampling.py): polite, and apart from the frontier.

A small site on loopback asks for a Crawl-delay and disallows a folder in its robots.txt;
the sample must keep to both, one request at a time, and its Scrapy settings must hold none
of the frontier's components.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crawler.config import build_settings
from crawler.sampling import sample_settings, sample_site
from crawler.sites import Site

ROBOTS = b"User-agent: *\nDisallow: /private/\nCrawl-delay: 0.5\n"
STORY = (
    "<html><head><title>A story</title></head><body><article><h1>A story</h1>"
    + "<p>A paragraph of the story, long enough to be read as the body of an article.</p>" * 12
    + "</article></body></html>"
)
HOME = (
    '<html><body><a href="/private/secret-story-about-the-thing">x</a>'
    '<a href="/2026/11/02/a-story-about-the-thing">y</a></body></html>'
)


class _Site(BaseHTTPRequestHandler):
    requests: list[tuple[float, str]]

    def do_GET(self) -> None:
        self.requests.append((time.monotonic(), self.path))
        if self.path == "/robots.txt":
            body, kind = ROBOTS, "text/plain"
        elif self.path == "/":
            body, kind = HOME.encode(), "text/html"
        elif self.path.startswith("/2026/"):
            body, kind = STORY.encode(), "text/html"
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def polite_site():
    handler = type("Handler", (_Site,), {"requests": []})
    server = ThreadingHTTPServer(("127.0.0.42", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.42:{server.server_address[1]}/", handler.requests
    server.shutdown()
    server.server_close()


def test_the_sample_keeps_to_robots_txt_and_its_crawl_delay(polite_site):
    home, requests = polite_site
    sample = sample_site(home, limit=1, allow_private=True, overrides=["DOWNLOAD_DELAY=0"])
    paths = [path for _, path in requests]
    assert not any(path.startswith("/private/") for path in paths), paths
    assert paths[0] == "/robots.txt" and "/2026/11/02/a-story-about-the-thing" in paths
    assert sample.crawl_delay == 0.5
    # Scrapy's robots.txt middleware fetches it again just before the first page; every
    # other request waits the Crawl-delay after the one before.
    times = [t for t, path in requests if path != "/robots.txt"]
    first_robots = requests[0][0]
    gaps = [b - a for a, b in zip([first_robots, *times], times, strict=False)]
    assert min(gaps) >= 0.45, gaps
    (article,) = [p for p in sample.pages if p.kind == "article" and p.status == 200]
    assert article.body.startswith(b"<html>")


def test_the_sample_uses_no_part_of_the_frontier(tmp_path):
    site = Site(name="x", home="http://127.0.0.42:1/", delay=0.25)
    settings = sample_settings(build_settings(), site, tmp_path)
    assert settings.get("SCHEDULER") == "scrapy.core.scheduler.Scheduler"
    assert settings.getdict("ITEM_PIPELINES") == {} and settings.getdict("SPIDER_MIDDLEWARES") == {}
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert middlewares["crawler.middlewares.robots.SharedRobotsTxtMiddleware"] is None
    assert middlewares["crawler.middlewares.addressguard.AddressGuardMiddleware"] == 50
    assert settings.getdict("EXTENSIONS")["crawler.extensions.failures.FailureDeadLetters"] is None
    assert settings.getfloat("DOWNLOAD_DELAY") == 0.25
    assert settings.getint("CONCURRENT_REQUESTS") == 1
    # None of the components that run comes from crawler.coordination (which owns Redis).
    running = [settings.get("SCHEDULER"), settings.get("DUPEFILTER_CLASS")]
    for name in ("DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "EXTENSIONS", "ITEM_PIPELINES"):
        running += [path for path, order in settings.getdict(name).items() if order is not None]
    assert not [path for path in running if "coordination" in str(path)]
