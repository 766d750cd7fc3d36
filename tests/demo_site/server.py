"""The demo news site's HTTP server: `DemoSite` serves `content.Site` on loopback.

A `ThreadingHTTPServer` in a background thread (daemon handler threads, address reuse, no
per-request stderr lines) answers GET and HEAD, records every request in order (and
optionally appends it to a JSON Lines file), and keeps the one piece of state the site
has: the flaky article fails with 500 on its first request to each server instance. Feeds
and sitemaps carry an ETag and a Last-Modified and answer conditional requests with 304.
Crawl tests start one per test, point a crawler at `base_url`, and compare what the
crawler stored with `manifest()`.
"""

import dataclasses
import datetime as dt
import email.utils
import hashlib
import json
import threading
import time
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import IO, Self
from urllib.parse import urlsplit

from .content import ATOM_TYPE, HTML_TYPE, RSS_TYPE, XML_TYPE, Page, Site

# Feeds and sitemaps: fetched conditionally by the crawler, answered with a 304 here.
FEED_TYPES = (RSS_TYPE, ATOM_TYPE, XML_TYPE)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], demo: "DemoSite") -> None:
        super().__init__(address, _Handler)
        self.demo = demo

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay quiet: a client hanging up mid-response is normal in crawl tests."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "LoopbackHerald/1.0"

    def version_string(self) -> str:
        """The Server header, without the Python version."""
        return self.server_version

    # A client that connects and then sends nothing must not hold a handler thread for ever.
    timeout = 30

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_POST(self) -> None:
        self._serve(send_body=True)

    def log_message(self, format: str, *args: object) -> None:
        """No stderr line per request: `DemoSite.requests()` is the log."""

    def _serve(self, send_body: bool) -> None:
        started = time.time()
        demo = self.server.demo
        page = demo.conditional(demo.respond(self.command, self.path), self.headers)
        # Recorded before the response is written, so a client that has its response
        # already finds the request in DemoSite.requests().
        demo._record(
            {
                "t": started,
                "method": self.command,
                "path": self.path,
                "host": self.headers.get("Host"),
                "status": page.status,
                "user_agent": self.headers.get("User-Agent"),
                "client": self.client_address[0],
            }
        )
        try:
            self.send_response(page.status)
            self.send_header("Content-Type", page.content_type)
            self.send_header("Content-Length", str(len(page.body)))
            for name, value in page.headers:
                self.send_header(name, value)
            self.end_headers()
            if send_body:
                self.wfile.write(page.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class DemoSite:
    """The Loopback Herald on `host:port` (port 0 picks a free one), in a background thread.

    Use `start()`/`stop()` or a `with` block. `requests()` lists the requests served so
    far; `manifest()` is the ground truth built from the content model.
    """

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, log_path: str | Path | None = None
    ) -> None:
        self.host = host
        self.port = port
        self.log_path = Path(log_path) if log_path is not None else None
        self._lock = threading.Lock()
        self._requests: list[dict] = []
        self._flaky_served: set[str] = set()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._log: IO[str] | None = None
        self._site: Site | None = None

    # ---------------------------------------------------------------- lifecycle
    def start(self) -> Self:
        """Bind, and serve in a daemon thread until `stop()`."""
        if self._server is not None:
            return self
        server = _Server((self.host, self.port), self)
        self.port = server.server_address[1]
        self._site = Site(self.base_url)
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log = self.log_path.open("a", encoding="utf-8")
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"demo-site-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close the socket and the log file. Safe to call twice."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join()
        with self._lock:
            if self._log is not None:
                self._log.close()
                self._log = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------- views
    @property
    def base_url(self) -> str:
        """Root URL of the site, always ending with "/"."""
        if self.port == 0:
            raise RuntimeError("DemoSite has no port yet: call start() first")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    def requests(self) -> list[dict]:
        """The requests served so far, oldest first (copies)."""
        with self._lock:
            return [dict(record) for record in self._requests]

    def manifest(self) -> dict:
        """Ground truth of the site (see `content.Site.manifest`)."""
        return self.site.manifest()

    @property
    def site(self) -> Site:
        """The content model bound to this server's base URL."""
        if self._site is None:
            self._site = Site(self.base_url)
        return self._site

    # ---------------------------------------------------------------- serving
    def respond(self, method: str, target: str) -> Page:
        """The page for one request, applying the per-instance flaky behaviour."""
        if method not in ("GET", "HEAD"):
            body = b'<!DOCTYPE html>\n<html lang="en"><head><title>Method not allowed</title></head><body><h1>Method not allowed</h1></body></html>\n'
            return Page(405, HTML_TYPE, body, (("Allow", "GET, HEAD"),))
        if target.startswith(("http://", "https://")):
            parts = urlsplit(target)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        path = urlsplit(target).path
        site = self.site
        if path in site.flaky_paths:
            with self._lock:
                first = path not in self._flaky_served
                self._flaky_served.add(path)
            if first:
                return site.error_page(500)
        return site.respond(target)

    def conditional(self, page: Page, headers: Message) -> Page:
        """A feed or sitemap with its validators (ETag: a digest of the body; Last-Modified:
        the newest article change), or a 304 without a body when the request's
        If-None-Match or, without one, If-Modified-Since says the client has it already
        (RFC 9110 13.1 and 13.2.2)."""
        if page.status != 200 or not page.content_type.startswith(FEED_TYPES):
            return page
        etag = '"' + hashlib.sha256(page.body).hexdigest()[:20] + '"'
        newest = max(a.modified or a.published for a in self.site.articles)
        last_modified = email.utils.format_datetime(newest.astimezone(dt.UTC), usegmt=True)
        validators = (("ETag", etag), ("Last-Modified", last_modified))
        asked_tags = headers.get("If-None-Match")
        since = headers.get("If-Modified-Since")
        if asked_tags is not None:
            fresh = etag in [tag.strip() for tag in asked_tags.split(",")] or asked_tags == "*"
        elif since is not None:
            try:
                fresh = email.utils.parsedate_to_datetime(since) >= newest.replace(microsecond=0)
            except (TypeError, ValueError):
                fresh = False
        else:
            fresh = False
        if fresh:
            return Page(304, page.content_type, b"", validators)
        return dataclasses.replace(page, headers=(*page.headers, *validators))

    def _record(self, record: dict) -> None:
        with self._lock:
            self._requests.append(record)
            if self._log is not None:
                self._log.write(json.dumps(record, ensure_ascii=False) + "\n")
                self._log.flush()
