"""A copycat news site on loopback: the demo site's pages, republished under its own address,
each still declaring the original's URL as its rel=canonical (and og:url).

It stands for a hostile or careless site that copies another's articles: a crawler must
store the copies under the copycat's own URLs (never under the original's address, which
the copycat does not own), link them to the originals with ``duplicate_of``, and never let
them overwrite, or keep out, the original site's rows.
"""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self

from tests.demo_site.content import Site


class CopycatSite:
    """Serves ``original``'s demo content on ``host:port`` with canonicals pointing back."""

    def __init__(self, original_base: str, host: str = "127.0.0.1", port: int = 0) -> None:
        self.original_base = original_base
        self.host = host
        self.port = port
        self._server: ThreadingHTTPServer | None = None
        self._content = Site(original_base)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    def page(self, target: str) -> tuple[int, str, bytes]:
        """Status, content type and body of the copy of ``target``."""
        page = self._content.respond(target)
        body = page.body.replace(self.original_base.encode(), self.base_url.encode())
        # ...except the declarations of where the page really lives
        for pattern in (
            rb'(<link rel="canonical" href=")',
            rb'(<meta property="og:url" content=")',
        ):
            body = re.sub(pattern + re.escape(self.base_url.encode()),
                          rb"\1" + self.original_base.encode(), body)  # fmt: skip
        return page.status, page.content_type, body

    def start(self) -> None:
        copycat = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, content_type, body = copycat.page(self.path)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                """No stderr line per request."""

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
