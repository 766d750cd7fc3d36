"""The name resolver that enforces the address policy at connection time.

The address guard middleware checks a host before a request is sent, but Scrapy resolves
the name again when it connects; a name that answers with a public address first and a
private one next (DNS rebinding) would slip between the two. Installed as
``TWISTED_DNS_RESOLVER``, this resolver drops every refused address from each resolution,
so a connection can only ever be made to an allowed address. It extends Scrapy's
``CachingHostnameResolver`` (IPv4 and IPv6), filtering both fresh and cached answers.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from scrapy.resolver import CachingHostnameResolver
from twisted.internet.interfaces import IAddress, IHostResolution, IResolutionReceiver
from zope.interface import provider

from crawler.netguard import AddressPolicy

logger = logging.getLogger(__name__)


@provider(IResolutionReceiver)
class _FilteringReceiver:
    def __init__(self, receiver: IResolutionReceiver, host: str, policy: AddressPolicy) -> None:
        self.receiver = receiver
        self.host = host
        self.policy = policy

    def resolutionBegan(self, resolution: IHostResolution) -> None:
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address: IAddress) -> None:
        reason = self.policy.refusal_for_address(self.host, getattr(address, "host", ""))
        if reason:
            logger.warning("Not connecting to %s: %s", self.host, reason)
            return
        self.receiver.addressResolved(address)

    def resolutionComplete(self) -> None:
        self.receiver.resolutionComplete()


class GuardedResolver(CachingHostnameResolver):
    """``CachingHostnameResolver`` that never hands out a refused address."""

    def __init__(self, reactor: Any, cache_size: int, policy: AddressPolicy) -> None:
        super().__init__(reactor, cache_size)
        self.policy = policy

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        settings = crawler.settings
        cache_size = settings.getint("DNSCACHE_SIZE") if settings.getbool("DNSCACHE_ENABLED") else 0
        policy = AddressPolicy.from_settings(settings)
        return cls(reactor, cache_size, policy)

    def resolveHostName(
        self,
        resolutionReceiver: IResolutionReceiver,
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[type[IAddress]] | None = None,
        transportSemantics: str = "TCP",
    ) -> IHostResolution:
        receiver = _FilteringReceiver(resolutionReceiver, hostName, self.policy)
        return super().resolveHostName(
            receiver, hostName, portNumber, addressTypes, transportSemantics
        )
