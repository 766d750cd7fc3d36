"""Which addresses a crawler may connect to: the rule, apart from where it is enforced.

A public news crawler must not be turned against the network it runs in: loopback,
private (RFC 1918, unique-local), link-local, carrier-grade NAT, multicast, reserved and
documentation addresses, and cloud metadata endpoints are refused unless the operator
allows private networks (``--allow-private`` / ``NEWSCRAWL_ALLOW_PRIVATE=1``) or lists
networks and hosts to allow. ``ipaddress``'s ``is_global`` is the definition of "public":
it follows IANA's special-purpose address registries.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

ALLOWED_SCHEMES = frozenset({"http", "https"})
HOW_TO_ALLOW = "pass --allow-private (or set NEWSCRAWL_ALLOW_PRIVATE=1) to crawl it"

# Names that resolve to the machine itself or to metadata services without DNS.
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "metadata.google.internal"})


def describe(address: IPAddress) -> str | None:
    """Why ``address`` is not public, or None if it is."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            why = describe(embedded)
            return f"{why} behind an IPv6 translation" if why else None
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address (cloud metadata lives here)"
    if address.is_multicast:
        return "a multicast address"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "a special-purpose (non-public) address"
    return None


# NAT64 (RFC 6052) carries an IPv4 address in the last 32 bits of 64:ff9b::/96.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, compatible, 6to4, Teredo, NAT64)."""
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address.teredo:
        return address.teredo[1]
    if address in _NAT64 or (address in _IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """Whether private addresses are allowed, and which networks and hosts always are."""

    allow_private: bool = False
    allowed_networks: tuple[IPNetwork, ...] = field(default_factory=tuple)
    allowed_hosts: frozenset[str] = frozenset()

    @classmethod
    def from_values(
        cls, allow_private: bool, networks: Iterable[str] = (), hosts: Iterable[str] = ()
    ) -> AddressPolicy:
        """The policy; ValueError (one line) for a network or host name that does not parse."""
        return cls(
            allow_private=allow_private,
            allowed_networks=tuple(ipaddress.ip_network(n, strict=False) for n in networks),
            allowed_hosts=frozenset(_host_name(h) for h in hosts),
        )

    @classmethod
    def from_settings(cls, settings: Any) -> AddressPolicy:
        """The policy of NEWS_ALLOW_PRIVATE, NEWS_ALLOW_NETWORKS and NEWS_ALLOW_HOSTS."""
        return cls.from_values(
            settings.getbool("NEWS_ALLOW_PRIVATE"),
            settings.getlist("NEWS_ALLOW_NETWORKS"),
            settings.getlist("NEWS_ALLOW_HOSTS"),
        )

    def refusal_for_host(self, host: str) -> str | None:
        """Why a host name (before resolution) is refused, or None."""
        name = host.lower().rstrip(".")
        if self.allow_private or name in self.allowed_hosts:
            return None
        if name in _LOCAL_NAMES or name.endswith(".localhost"):
            return f"{host} is the local machine; {HOW_TO_ALLOW}"
        return None

    def refusal_for_address(self, host: str, address: str) -> str | None:
        """Why connecting to ``address`` (resolved from ``host``) is refused, or None."""
        if self.allow_private or host.lower().rstrip(".") in self.allowed_hosts:
            return None
        try:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
        except ValueError:
            return f"{host} resolved to {address!r}, which is not an IP address"
        if any(ip in network for network in self.allowed_networks):
            return None
        why = describe(ip)
        if why is None:
            return None
        shown = host if host == address else f"{host} ({address})"
        return f"{shown} is {why}; {HOW_TO_ALLOW}"


# A host name: labels of letters (any script), digits, '-' and '_', separated by dots.
_HOST_NAME = re.compile(r"(?:[^\W_]|[-_])+(?:\.(?:[^\W_]|[-_])+)*", re.UNICODE)


def _host_name(host: str) -> str:
    """An allowed host as the policy compares it; ValueError if it is no host name (a URL
    or a path would never match anything, silently)."""
    name = host.strip().lower().rstrip(".")
    if not _HOST_NAME.fullmatch(name) and not host_is_ip_literal(name):
        raise ValueError(f"{host!r} is not a host name (give the name alone, no scheme or path)")
    return name


def host_is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return False
    return True
