"""Scrapy's HTTP/1.1 download handler with a bound on the response header block.

``DOWNLOAD_MAXSIZE`` counts the body only. The header block is read by Twisted's HTTP client
parser (``twisted.web._newclient.HTTPParser``, under Scrapy's ``HTTP11DownloadHandler``),
which takes header lines of up to 16 KiB each (``LineReceiver.MAX_LENGTH``), as many as the
server sends, and keeps every one: a server sending 315 MB of headers took a worker to
1.33 GB. Neither Scrapy 2.19 nor Twisted 26.10 has a setting for it (Twisted's limits,
``HTTPChannel.maxHeaders`` and ``totalHeadersSize``, guard its server only), so this module
adapts their internals, and it is the only one that does (tests/handlers/test_http11.py pins
each of them against the pinned versions):

- Scrapy's handler keeps its connection pool in ``HTTP11DownloadHandler._pool`` and sets the
  pool's protocol factory, ``HTTPConnectionPool._factory``, to its own
  ``_LenientHTTP11ClientFactory``; ``BoundedHTTP11DownloadHandler`` replaces that factory
  with a subclass of Scrapy's, whose protocols are Scrapy's lenient ones plus the bound.
- ``HTTP11ClientProtocol.request()`` builds its parser itself, ``HTTPClientParser``, and
  Scrapy swaps the class of that object for its ``_LenientHTTPClientParser`` (the public way
  does not exist: the class is hardcoded). The protocol here swaps it once more, for a
  subclass that counts the bytes and lines of the status line and headers as
  ``lineReceived`` sees them (``HTTPParser.state`` tells headers from body) and raises
  ``ResponseHeadersTooLarge`` past either limit. Twisted's protocol turns an exception in
  its parser into a closed connection and a ``ResponseFailed`` for the request, exactly as
  for a malformed status line, so nothing beyond the limit is read or kept.
- The handler turns that ``ResponseFailed`` (which Scrapy wraps in ``DownloadFailedError``,
  a retried exception) back into ``ResponseHeadersTooLarge``, which is not retried: the
  request fails once, with one line and a dead letter.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
    _LenientHTTPClientParser,
)
from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadFailedError
from scrapy.http import Request, Response
from twisted.internet.defer import Deferred
from twisted.internet.interfaces import IAddress
from twisted.web._newclient import HEADER, STATUS, HTTP11ClientProtocol, ResponseFailed
from twisted.web.iweb import IResponse


@dataclass(frozen=True)
class HeaderLimits:
    """The largest response header block taken: bytes (status line included) and lines."""

    max_bytes: int
    max_lines: int


class ResponseHeadersTooLarge(Exception):
    """The response's header block went past a limit; the rest of it was not read."""


class _BoundedHeadersParser(_LenientHTTPClientParser):
    """Scrapy's lenient parser, counting what the header block costs as it arrives."""

    # Set on the instance right after its class is swapped in (no __init__ runs then).
    limits = HeaderLimits(max_bytes=0, max_lines=0)
    header_bytes = 0
    header_lines = 0

    def lineReceived(self, line: bytes) -> None:
        if self.state in (STATUS, HEADER):
            self.header_bytes += len(line) + len(self.delimiter)
            self.header_lines += 1
            limits = self.limits
            if limits.max_bytes and self.header_bytes > limits.max_bytes:
                raise ResponseHeadersTooLarge(
                    f"response header block over {limits.max_bytes} bytes (NEWS_MAX_HEADER_BYTES)"
                )
            if limits.max_lines and self.header_lines > limits.max_lines:
                raise ResponseHeadersTooLarge(
                    f"more than {limits.max_lines} response header lines (NEWS_MAX_HEADER_LINES)"
                )
        super().lineReceived(line)


class _BoundedHeadersProtocol(_LenientHTTP11ClientProtocol):
    """Scrapy's lenient protocol, parsing each response with ``_BoundedHeadersParser``."""

    limits = HeaderLimits(max_bytes=0, max_lines=0)

    def request(self, request: object) -> Deferred[IResponse]:
        result = super().request(request)
        parser = self._parser
        if parser is not None:  # None only when Twisted refused to send the request
            parser.__class__ = _BoundedHeadersParser
            parser.limits = self.limits
        return result


class _BoundedHeadersClientFactory(_LenientHTTP11ClientFactory):
    """Builds ``_BoundedHeadersProtocol`` protocols with the handler's limits."""

    def __init__(self, quiescentCallback: object, metadata: object, *, limits: HeaderLimits):
        super().__init__(quiescentCallback, metadata)
        self.limits = limits

    def buildProtocol(self, addr: IAddress | None) -> HTTP11ClientProtocol:
        protocol = _BoundedHeadersProtocol(self._quiescentCallback)
        protocol.limits = self.limits
        return protocol


def _too_large(error: BaseException) -> ResponseHeadersTooLarge | None:
    """The header limit behind a failed download, if that is what failed it."""
    cause = error.__cause__
    if isinstance(cause, ResponseFailed):
        for reason in cause.reasons:
            if isinstance(reason.value, ResponseHeadersTooLarge):
                return reason.value
    return None


class BoundedHTTP11DownloadHandler(HTTP11DownloadHandler):
    """``http`` and ``https`` as Scrapy downloads them, with the header block bounded by
    ``NEWS_MAX_HEADER_BYTES`` and ``NEWS_MAX_HEADER_LINES``."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        limits = HeaderLimits(
            max_bytes=crawler.settings.getint("NEWS_MAX_HEADER_BYTES"),
            max_lines=crawler.settings.getint("NEWS_MAX_HEADER_LINES"),
        )
        self._pool._factory = partial(_BoundedHeadersClientFactory, limits=limits)

    async def download_request(self, request: Request) -> Response:
        try:
            return await super().download_request(request)
        except DownloadFailedError as error:
            too_large = _too_large(error)
            if too_large is None:
                raise
            raise ResponseHeadersTooLarge(str(too_large)) from None
