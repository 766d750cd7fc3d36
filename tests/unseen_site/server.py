"""The unseen site's HTTP servers: `UnseenSite` serves the four publishers on loopback.

One `ThreadingHTTPServer` per publisher, each on its own origin (by default four loopback
addresses sharing a port number; or one address and four ports), in background threads.
It answers GET and HEAD (405 otherwise), counts page views per publisher (the session ids
of the query-string CMS change with that count), answers conditional requests on feeds and
sitemaps (ETag / Last-Modified -> 304), and records every request in order: publisher,
method, target, path, query, status, time. The content itself is `site.UnseenContent`.
"""

from __future__ import annotations

import collections
import datetime as dt
import email.utils
import hashlib
import json
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import IO, Self
from urllib.parse import urlsplit

from .base import Publisher
from .model import Page
from .site import KEYS, UnseenContent

DEFAULT_HOSTS = ("127.0.0.11", "127.0.0.12", "127.0.0.13", "127.0.0.14")
# The fixed port of `python -m tests.unseen_site` (each publisher on its own address).
DEMO_PORT = 8471


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], site: UnseenSite, key: str) -> None:
        super().__init__(address, _Handler)
        self.site = site
        self.key = key

    def handle_error(self, request: object, client_address: object) -> None:
        """Stay quiet: a client hanging up mid-response is normal in crawl tests."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "Apache/2.4.62"
    timeout = 30  # a client that connects and sends nothing must not hold a thread for ever

    def version_string(self) -> str:
        """The Server header, without the Python version."""
        return self.server_version

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def do_POST(self) -> None:
        self._serve(send_body=True, allowed=False)

    def log_message(self, format: str, *args: object) -> None:
        """No stderr line per request: `UnseenSite.requests()` is the log."""

    def _serve(self, send_body: bool, allowed: bool = True) -> None:
        started = time.time()
        site = self.server.site
        target = self.path
        if target.startswith(("http://", "https://")):
            parts = urlsplit(target)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        if allowed:
            page = site.respond(self.server.key, target)
            status, headers, body = _conditional(page, self.headers)
        else:
            status, body = 405, b"<html><body><h1>Method Not Allowed</h1></body></html>\n"
            headers = [("Content-Type", "text/html; charset=utf-8"), ("Allow", "GET, HEAD")]
        parts = urlsplit(target)
        site._record(
            {
                "t": started,
                "publisher": self.server.key,
                "method": self.command,
                "target": target,
                "path": parts.path,
                "query": parts.query,
                "status": status,
                "host": self.headers.get("Host"),
                "user_agent": self.headers.get("User-Agent"),
                "client": self.client_address[0],
            }
        )
        try:
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body and body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def _conditional(page: Page, request: object) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body, answering 304 when the client's validators still match."""
    headers = [("Content-Type", page.content_type), *page.headers]
    if page.last_modified is None or page.status != 200:
        return page.status, headers, page.body
    etag = '"' + hashlib.sha1(page.body).hexdigest()[:20] + '"'
    modified = page.last_modified.replace(microsecond=0)
    validators = [
        ("ETag", etag),
        ("Last-Modified", email.utils.format_datetime(modified.astimezone(dt.UTC), usegmt=True)),
        ("Cache-Control", "max-age=300"),
    ]
    match = request.get("If-None-Match")  # type: ignore[attr-defined]
    since = request.get("If-Modified-Since")  # type: ignore[attr-defined]
    if match is not None:
        fresh = match.strip() == "*" or etag in [m.strip() for m in match.split(",")]
    elif since is not None:
        try:
            when = email.utils.parsedate_to_datetime(since)
            fresh = (when if when.tzinfo else when.replace(tzinfo=dt.UTC)) >= modified
        except (TypeError, ValueError):
            fresh = False
    else:
        fresh = False
    if fresh:
        return 304, validators, b""
    return 200, headers + validators, page.body


class UnseenSite:
    """The four publishers of the unseen site, served on loopback in background threads.

    `hosts` is four addresses (one origin each, all on `port`), or one address with four
    ports: `port` 0 picks free ports, any other `port` p gives p, p+1, p+2, p+3 on a single
    address (and p on each of four addresses). Use `start()`/`stop()` or a `with` block.
    """

    def __init__(
        self,
        hosts: str | Sequence[str] = DEFAULT_HOSTS,
        port: int = 0,
        log_path: str | Path | None = None,
    ) -> None:
        self.hosts = [hosts] * len(KEYS) if isinstance(hosts, str) else list(hosts)
        if len(self.hosts) != len(KEYS):
            raise ValueError(f"need one host or {len(KEYS)}, got {len(self.hosts)}")
        single = len(set(self.hosts)) == 1
        self.ports = [port + k if single and port else port for k in range(len(KEYS))]
        self.log_path = Path(log_path) if log_path is not None else None
        self._lock = threading.Lock()
        self._requests: list[dict] = []
        self._views: collections.Counter[str] = collections.Counter()
        self._servers: list[_Server] = []
        self._threads: list[threading.Thread] = []
        self._log: IO[str] | None = None
        self._content: UnseenContent | None = None

    # ---------------------------------------------------------------- lifecycle
    def start(self) -> Self:
        """Bind all four servers and serve until `stop()`."""
        if self._servers:
            return self
        try:
            for key, host, port in zip(KEYS, self.hosts, self.ports, strict=True):
                self._servers.append(_Server((host, port), self, key))
        except OSError:
            for server in self._servers:
                server.server_close()
            self._servers = []
            raise
        self.ports = [server.server_address[1] for server in self._servers]
        self._content = UnseenContent([self.base_urls[key] for key in KEYS])
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log = self.log_path.open("a", encoding="utf-8")
        for server in self._servers:
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.1},
                name=f"unseen-{server.key}-{server.server_address[1]}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Stop serving, close the sockets and the log file. Safe to call twice."""
        servers, threads = self._servers, self._threads
        self._servers, self._threads = [], []
        for server in servers:
            server.shutdown()
            server.server_close()
        for thread in threads:
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
    def base_urls(self) -> dict[str, str]:
        """Publisher key -> root URL ending with "/"."""
        if 0 in self.ports:
            raise RuntimeError("UnseenSite has no ports yet: call start() first")
        return {
            key: f"http://{f'[{host}]' if ':' in host else host}:{port}/"
            for key, host, port in zip(KEYS, self.hosts, self.ports, strict=True)
        }

    @property
    def content(self) -> UnseenContent:
        """The content model bound to this server's base URLs."""
        if self._content is None:
            self._content = UnseenContent([self.base_urls[key] for key in KEYS])
        return self._content

    def publisher(self, key: str) -> Publisher:
        """One publisher's content model (courier, harbour, almanac, meridian)."""
        return self.content[key]

    def manifest(self) -> dict:
        """Ground truth of the whole site (see `site.UnseenContent.manifest`)."""
        return self.content.manifest()

    def page_types(self) -> list[tuple[str, str]]:
        """(url, "article" | "listing") for a page-type classifier evaluation."""
        return self.content.page_types()

    def requests(self) -> list[dict]:
        """The requests served so far, oldest first (copies)."""
        with self._lock:
            return [dict(record) for record in self._requests]

    def trap_of(self, record: dict) -> str | None:
        """The trap a logged request fell into, or None."""
        return self.publisher(record["publisher"]).trap_of(record["target"])

    def trap_counts(self) -> dict[str, dict[str, int]]:
        """Fetches per trap per publisher so far (GET and HEAD alike)."""
        counts: dict[str, dict[str, int]] = {key: {} for key in KEYS}
        for record in self.requests():
            trap = self.trap_of(record)
            if trap is not None:
                counts[record["publisher"]][trap] = counts[record["publisher"]].get(trap, 0) + 1
        return counts

    # ---------------------------------------------------------------- serving
    def respond(self, key: str, target: str) -> Page:
        """The page for one request to one publisher; counts it as a page view."""
        with self._lock:
            self._views[key] += 1
            view = self._views[key]
        return self.content[key].respond(target, view)

    def _record(self, record: dict) -> None:
        with self._lock:
            self._requests.append(record)
            if self._log is not None:
                self._log.write(json.dumps(record, ensure_ascii=False) + "\n")
                self._log.flush()
