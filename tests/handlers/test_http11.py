"""The bounded HTTP/1.1 handler: the header limits, and the Scrapy and Twisted internals they
rest on, pinned against the pinned versions.

The protocol is driven through Twisted's ``StringTransport``, byte by byte as a server would
send, without a reactor (the pytest process never installs one). The real handler, inside a
real worker against a server that floods headers, is in tests/test_hostile_web.py.
"""

from __future__ import annotations

import inspect

import pytest
from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
    _LenientHTTPClientParser,
)
from scrapy.exceptions import DownloadFailedError
from scrapy.settings.default_settings import RETRY_EXCEPTIONS
from scrapy.utils import _download_handlers
from twisted.internet.testing import StringTransport
from twisted.protocols.basic import LineReceiver
from twisted.python.failure import Failure
from twisted.web._newclient import (
    HEADER,
    STATUS,
    HTTP11ClientProtocol,
    HTTPParser,
    ResponseFailed,
)
from twisted.web._newclient import Request as TxRequest
from twisted.web.client import HTTPConnectionPool
from twisted.web.http_headers import Headers

from crawler import settings
from crawler.handlers.http11 import (
    BoundedHTTP11DownloadHandler,
    HeaderLimits,
    ResponseHeadersTooLarge,
    _BoundedHeadersClientFactory,
    _BoundedHeadersParser,
    _too_large,
)

LIMITS = HeaderLimits(max_bytes=settings.NEWS_MAX_HEADER_BYTES,
                      max_lines=settings.NEWS_MAX_HEADER_LINES)  # fmt: skip
STATUS_LINE = b"HTTP/1.1 200 OK\r\n"


class Exchange:
    """One request on a connection built by the handler's factory, and what came of it."""

    def __init__(self, limits: HeaderLimits = LIMITS) -> None:
        factory = _BoundedHeadersClientFactory(lambda protocol: None, "test", limits=limits)
        self.protocol = factory.buildProtocol(None)
        self.transport = StringTransport()
        self.protocol.makeConnection(self.transport)
        request = TxRequest(b"GET", b"/", Headers({b"host": [b"news.example"]}), None)
        self.responses: list = []
        self.failures: list[Failure] = []
        self.protocol.request(request).addCallbacks(self.responses.append, self.failures.append)

    def send(self, data: bytes, chunk: int = 65536) -> None:
        for start in range(0, len(data), chunk):
            self.protocol.dataReceived(data[start : start + chunk])

    @property
    def refusal(self) -> ResponseHeadersTooLarge | None:
        if not self.failures:
            return None
        failure = self.failures[0]
        assert failure.check(ResponseFailed), failure
        [reason] = failure.value.reasons
        return reason.value if isinstance(reason.value, ResponseHeadersTooLarge) else None


def _headers(count: int, width: int = 20) -> bytes:
    return b"".join(b"X-Pad-%d: %s\r\n" % (i, b"a" * width) for i in range(count))


# --- the limits -------------------------------------------------------------------------------
def test_an_ordinary_response_passes_with_its_headers():
    exchange = Exchange()
    exchange.send(STATUS_LINE + b"Content-Type: text/html\r\nContent-Length: 2\r\n" + _headers(40)
                  + b"\r\nok")  # fmt: skip
    assert exchange.failures == []
    [response] = exchange.responses
    assert response.code == 200
    assert response.headers.getRawHeaders(b"content-type") == [b"text/html"]
    assert response.headers.getRawHeaders(b"x-pad-39") == [b"a" * 20]


def test_scrapys_leniency_is_kept():
    """A header line without a colon is skipped (Scrapy's lenient parser), not fatal."""
    exchange = Exchange()
    exchange.send(STATUS_LINE + b"garbage line\r\nX-Ok: 1\r\nContent-Length: 0\r\n\r\n")
    [response] = exchange.responses
    assert response.headers.getRawHeaders(b"x-ok") == [b"1"]


def test_a_header_block_over_the_byte_limit_is_refused_as_it_arrives():
    """A flood of header lines: refused once 64 KiB have been read, the connection closed,
    and nothing more read (here: 10 MB offered)."""
    exchange = Exchange()
    line = b"X-Flood: " + b"f" * 1000 + b"\r\n"
    exchange.send(STATUS_LINE + line * (10 * 1024 * 1024 // len(line)))
    refusal = exchange.refusal
    assert refusal is not None
    assert (
        str(refusal)
        == f"response header block over {LIMITS.max_bytes} bytes (NEWS_MAX_HEADER_BYTES)"
    )
    assert exchange.transport.disconnecting
    assert exchange.responses == []


def test_too_many_header_lines_are_refused():
    exchange = Exchange()
    exchange.send(STATUS_LINE + _headers(LIMITS.max_lines + 10, width=1))
    assert str(exchange.refusal) == (
        f"more than {LIMITS.max_lines} response header lines (NEWS_MAX_HEADER_LINES)"
    )


def test_exactly_at_the_limits_passes():
    # The status line and the empty line that ends the block count as lines too.
    lines = LIMITS.max_lines - 2
    exchange = Exchange()
    exchange.send(STATUS_LINE + _headers(lines, width=1) + b"\r\n")
    assert exchange.failures == [] and len(exchange.responses) == 1


def test_continuation_lines_count():
    """Obsolete line folding: one header spread over many lines is counted line by line."""
    exchange = Exchange(HeaderLimits(max_bytes=0, max_lines=50))
    exchange.send(STATUS_LINE + b"X-Folded: start\r\n" + b" more\r\n" * 100)
    assert exchange.refusal is not None


def test_the_status_line_counts_against_the_byte_limit():
    exchange = Exchange(HeaderLimits(max_bytes=100, max_lines=0))
    exchange.send(b"HTTP/1.1 200 " + b"O" * 200 + b"\r\n")
    assert exchange.refusal is not None


def test_zero_turns_a_limit_off():
    exchange = Exchange(HeaderLimits(max_bytes=0, max_lines=0))
    exchange.send(STATUS_LINE + _headers(3000) + b"Content-Length: 0\r\n\r\n")
    assert exchange.failures == [] and len(exchange.responses) == 1


def test_the_body_is_not_counted():
    """50,000 lines of body after a small header block: the parser reads the body raw."""
    exchange = Exchange(HeaderLimits(max_bytes=200, max_lines=5))
    body = b"x\n" * 50_000
    exchange.send(STATUS_LINE + b"Content-Length: %d\r\n\r\n" % len(body) + body)
    assert exchange.failures == [] and len(exchange.responses) == 1


def test_data_after_a_refusal_is_ignored():
    exchange = Exchange(HeaderLimits(max_bytes=100, max_lines=0))
    exchange.send(STATUS_LINE + _headers(20))
    exchange.send(_headers(20))  # the server keeps going: the parser is gone, nothing fails
    assert exchange.refusal is not None and len(exchange.failures) == 1


def test_the_refusal_is_found_behind_scrapys_wrapping():
    refusal = ResponseHeadersTooLarge("response header block over 65536 bytes")
    try:
        try:
            raise ResponseFailed([Failure(refusal)])
        except ResponseFailed as failed:
            raise DownloadFailedError(str(failed)) from failed
    except DownloadFailedError as wrapped:
        assert _too_large(wrapped) is refusal
    other = DownloadFailedError("connection lost")
    other.__cause__ = ResponseFailed([Failure(ConnectionError("lost"))])
    assert _too_large(other) is None
    assert _too_large(DownloadFailedError("no cause")) is None


def test_the_refusal_is_not_retried():
    assert ResponseHeadersTooLarge.__name__ not in " ".join(map(str, RETRY_EXCEPTIONS))
    assert not issubclass(ResponseHeadersTooLarge, DownloadFailedError)


def test_the_settings_install_the_handler():
    handler = "crawler.handlers.http11.BoundedHTTP11DownloadHandler"
    assert settings.DOWNLOAD_HANDLERS["http"] == settings.DOWNLOAD_HANDLERS["https"] == handler
    assert issubclass(BoundedHTTP11DownloadHandler, HTTP11DownloadHandler)


# --- the internals, as the pinned Scrapy 2.19 and Twisted 26.10 have them ------------------------
def test_scrapys_handler_sets_its_pools_factory_in_init():
    """BoundedHTTP11DownloadHandler replaces ``_pool._factory`` after Scrapy sets it."""
    source = inspect.getsource(HTTP11DownloadHandler.__init__)
    assert "self._pool: HTTPConnectionPool = HTTPConnectionPool(" in source
    assert "self._pool._factory = _LenientHTTP11ClientFactory" in source


def test_the_pool_calls_its_factory_with_two_arguments():
    source = inspect.getsource(HTTPConnectionPool._newConnection)
    assert "self._factory(quiescentCallback, repr(endpoint))" in source
    assert list(inspect.signature(_LenientHTTP11ClientFactory.__init__).parameters) == [
        "self", "quiescentCallback", "metadata",
    ]  # fmt: skip


def test_scrapy_swaps_the_parser_class_after_request():
    source = inspect.getsource(_LenientHTTP11ClientProtocol.request)
    assert "d: Deferred[IResponse] = super().request(request)" in source
    assert "self._parser.__class__ = _LenientHTTPClientParser" in source
    assert issubclass(_BoundedHeadersParser, _LenientHTTPClientParser)
    # the swap is only safe while the lenient parser adds no state of its own
    assert "__init__" not in vars(_LenientHTTPClientParser)
    assert "__init__" not in vars(_BoundedHeadersParser)


def test_twisted_gives_up_on_a_parser_exception():
    source = inspect.getsource(HTTP11ClientProtocol.dataReceived)
    assert "self._parser.dataReceived(bytes)" in source
    assert "except BaseException:" in source and "self._giveUp(Failure())" in source


def test_the_parser_reads_headers_line_by_line_with_a_state():
    assert (STATUS, HEADER) == ("STATUS", "HEADER")
    assert "self.state = HEADER" in inspect.getsource(_LenientHTTPClientParser.lineReceived)
    assert "self.state = STATUS" in inspect.getsource(HTTPParser.connectionMade)
    assert HTTPParser.delimiter == b"\n"
    # one line is at most 16 KiB before Twisted drops the connection: between two counts,
    # the parser never holds more than that
    assert LineReceiver.MAX_LENGTH == 16384


def test_scrapy_wraps_response_failed_with_its_cause():
    source = inspect.getsource(_download_handlers.wrap_twisted_exceptions)
    assert "except ResponseFailed as e:" in source
    assert "raise DownloadFailedError(str(e)) from e" in source


@pytest.mark.parametrize("name", ["_pool", "_parser", "_quiescentCallback"])
def test_the_private_names_used_exist(name):
    owners = {
        "_pool": HTTP11DownloadHandler.__init__,
        "_parser": HTTP11ClientProtocol.request,
        "_quiescentCallback": _LenientHTTP11ClientFactory.buildProtocol,
    }
    assert f"self.{name}" in inspect.getsource(owners[name])
