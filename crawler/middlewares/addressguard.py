"""Refuse requests to loopback, private, link-local and metadata addresses, hop by hop.

Every request, including each redirect hop (Scrapy re-issues a redirect as a new request,
which comes through here again), is checked before anything connects: its scheme must be
http(s), and its host must resolve only to public addresses (crawler/netguard.py), unless
private networks are allowed. Resolution runs off the reactor thread and is cached
briefly; the same policy is enforced again at connection time by the resolver
(crawler/resolver.py), so a name that changes its answer in between still cannot connect.
"""

from __future__ import annotations

import logging
import socket
import time

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.threads import deferToThread

from crawler.netguard import ALLOWED_SCHEMES, AddressPolicy, host_is_ip_literal

logger = logging.getLogger(__name__)

# Cache resolutions for a minute: the resolver re-checks at connect time anyway.
_CACHE_SECONDS = 60.0


class RefusedAddress(IgnoreRequest):
    """A request refused by the address policy."""


class AddressGuardMiddleware:
    """Downloader middleware enforcing the address policy on every request."""

    def __init__(self, policy: AddressPolicy, crawler: Crawler | None = None) -> None:
        self.policy = policy
        self.crawler = crawler
        self._resolved: dict[str, tuple[float, list[str]]] = {}
        self._warned: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AddressGuardMiddleware:
        return cls(AddressPolicy.from_settings(crawler.settings), crawler)

    async def process_request(self, request: Request) -> None:
        reason = await self.refusal(request)
        if reason:
            host = urlparse_cached(request).hostname or request.url
            if host not in self._warned:
                self._warned.add(host)
                logger.warning("Refused %s: %s", request.url, reason)
            if self.crawler is not None:
                self.crawler.stats.inc_value("newscrawl/refused_address")
            raise RefusedAddress(reason)

    async def refusal(self, request: Request) -> str | None:
        parts = urlparse_cached(request)
        if parts.scheme not in ALLOWED_SCHEMES:
            return f"scheme {parts.scheme!r} is not fetched (only http and https)"
        host = parts.hostname or ""
        if not host:
            return "URL without a host"
        if self.policy.allow_private:
            return None
        reason = self.policy.refusal_for_host(host)
        if reason:
            return reason
        if host_is_ip_literal(host):
            return self.policy.refusal_for_address(host, host.strip("[]"))
        for address in await self._resolve(host):
            reason = self.policy.refusal_for_address(host, address)
            if reason:
                return reason
        return None

    async def _resolve(self, host: str) -> list[str]:
        cached = self._resolved.get(host)
        if cached and time.monotonic() - cached[0] < _CACHE_SECONDS:
            return cached[1]
        try:
            infos = await maybe_deferred_to_future(
                deferToThread(socket.getaddrinfo, host, None, proto=socket.IPPROTO_TCP)
            )
        except OSError:
            # Unresolvable: the download fails with its own DNS error; nothing to refuse.
            return []
        addresses = sorted({info[4][0] for info in infos})
        self._resolved[host] = (time.monotonic(), addresses)
        return addresses
