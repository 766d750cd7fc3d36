"""The address guard middleware: refused schemes, names and addresses, before anything connects.

``process_request`` is a coroutine; for URLs with IP literals (and refused schemes or local
names) it awaits nothing from Twisted, so ``asyncio.run`` drives it without a reactor. Host
names are resolved through ``deferToThread``, which needs the reactor: those tests replace
``_resolve`` with an async function.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from types import SimpleNamespace

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.settings import Settings

from crawler.middlewares import addressguard
from crawler.middlewares.addressguard import (
    AddressGuardMiddleware,
    RefusedAddress,
)
from crawler.netguard import AddressPolicy


class FakeStats:
    def __init__(self):
        self.values = {}

    def inc_value(self, key, count=1, start=0):
        self.values[key] = self.values.get(key, start) + count


def _middleware(policy=None, resolved=None, crawler=None):
    middleware = AddressGuardMiddleware(policy or AddressPolicy(), crawler)
    if resolved is not None:
        lookups = []

        async def fake_resolve(host):
            lookups.append(host)
            return resolved.get(host, [])

        middleware._resolve = fake_resolve
        middleware.lookups = lookups
    else:

        async def no_resolution(host):
            raise AssertionError(f"{host} must not be resolved")

        middleware._resolve = no_resolution
    return middleware


def _process(middleware, url):
    return asyncio.run(middleware.process_request(Request(url)))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://localhost/", "localhost is the local machine"),
        ("http://127.0.0.1/", "127.0.0.1 is a loopback address"),
        ("http://127.0.0.1:8080/admin", "127.0.0.1 is a loopback address"),
        ("http://[::1]/", "::1 is a loopback address"),
        ("http://10.1.2.3/", "10.1.2.3 is a private address"),
        ("http://192.168.0.1/", "192.168.0.1 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://100.64.1.1/", "special-purpose"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://[fe80::1]/", "link-local"),
        ("http://0.0.0.0:6379/", "unspecified"),
        ("http://metadata.google.internal/computeMetadata/v1/", "local machine"),
    ],
)
def test_private_targets_are_refused_with_the_way_out(url, expected):
    with pytest.raises(RefusedAddress) as info:
        _process(_middleware(), url)
    assert expected in str(info.value)
    assert "--allow-private" in str(info.value)
    assert isinstance(info.value, IgnoreRequest)


@pytest.mark.parametrize(
    ("url", "scheme"),
    [("file:///etc/passwd", "file"), ("ftp://ftp.example.com/x", "ftp"), ("s3://bucket/key", "s3"),
     ("data:text/html,hi", "data")],
)  # fmt: skip
def test_other_schemes_are_refused(url, scheme):
    with pytest.raises(RefusedAddress, match=f"scheme '{scheme}' is not fetched"):
        _process(_middleware(), url)


def test_schemes_are_refused_even_when_private_networks_are_allowed():
    with pytest.raises(RefusedAddress, match="scheme 'file'"):
        _process(_middleware(AddressPolicy(allow_private=True)), "file:///etc/passwd")


def test_public_literal_is_allowed_without_connecting():
    assert _process(_middleware(), "http://93.184.216.34/") is None
    assert _process(_middleware(), "https://[2606:4700:4700::1111]/x") is None


def test_allow_private_allows_loopback_and_private():
    middleware = _middleware(AddressPolicy(allow_private=True))
    for url in ("http://127.0.0.1:8461/", "http://localhost/", "http://[::1]/", "http://10.1.2.3/"):
        assert _process(middleware, url) is None


def test_allowed_network_and_host():
    policy = AddressPolicy.from_values(False, networks=["10.1.0.0/16"], hosts=["wiki.corp"])
    middleware = _middleware(policy, resolved={"wiki.corp": ["10.9.9.9"]})
    assert _process(middleware, "http://10.1.2.3/") is None
    assert _process(middleware, "http://wiki.corp/page") is None
    with pytest.raises(RefusedAddress):
        _process(middleware, "http://10.2.0.1/")


def test_resolved_names_are_checked_address_by_address():
    middleware = _middleware(resolved={
        "news.example": ["93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946"],
        "rebind.example": ["93.184.216.34", "127.0.0.1"],
        "internal.example": ["10.0.0.7"],
        "2130706433": ["127.0.0.1"],  # decimal form of 127.0.0.1: not a literal, resolves
    })  # fmt: skip
    assert _process(middleware, "https://news.example/a") is None
    with pytest.raises(RefusedAddress, match=r"rebind\.example \(127\.0\.0\.1\) is a loopback"):
        _process(middleware, "https://rebind.example/a")
    with pytest.raises(RefusedAddress, match=r"internal\.example \(10\.0\.0\.7\) is a private"):
        _process(middleware, "https://internal.example/a")
    with pytest.raises(RefusedAddress, match="loopback"):
        _process(middleware, "http://2130706433/")
    assert middleware.lookups == ["news.example", "rebind.example", "internal.example",
                                  "2130706433"]  # fmt: skip


def test_unresolvable_names_are_left_to_the_download():
    middleware = _middleware(resolved={})
    assert _process(middleware, "https://nxdomain.invalid/") is None


def test_local_names_are_refused_without_resolving():
    middleware = _middleware(resolved={})
    with pytest.raises(RefusedAddress):
        _process(middleware, "http://app.localhost:3000/")
    assert middleware.lookups == []


def test_refusals_are_counted_and_logged_once_per_host(caplog):
    crawler = SimpleNamespace(stats=FakeStats())
    middleware = _middleware(crawler=crawler)
    with caplog.at_level(logging.WARNING, logger="crawler.middlewares.addressguard"):
        for path in ("a", "b", "c"):
            with pytest.raises(RefusedAddress):
                _process(middleware, f"http://10.1.2.3/{path}")
        with pytest.raises(RefusedAddress):
            _process(middleware, "http://10.1.2.4/")
    assert crawler.stats.values == {"newscrawl/refused_address": 4}
    warnings = [
        r.getMessage() for r in caplog.records if r.name == "crawler.middlewares.addressguard"
    ]
    assert len(warnings) == 2
    assert warnings[0].startswith("Refused http://10.1.2.3/a: ")


def test_resolution_cache(monkeypatch):
    """``_resolve`` caches answers; its thread hop is replaced by a direct call here."""
    calls = []

    def fake_getaddrinfo(host, port, proto=0):
        calls.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 0)),
                (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", 0))]  # fmt: skip

    async def direct(deferred):
        return deferred

    monkeypatch.setattr(addressguard.socket, "getaddrinfo", fake_getaddrinfo)
    monkeypatch.setattr(addressguard, "deferToThread", lambda f, *a, **k: f(*a, **k))
    monkeypatch.setattr(addressguard, "maybe_deferred_to_future", direct)
    middleware = AddressGuardMiddleware(AddressPolicy())
    clock = SimpleNamespace(t=1000.0)
    monkeypatch.setattr(addressguard.time, "monotonic", lambda: clock.t)

    assert asyncio.run(middleware._resolve("news.example")) == ["93.184.216.34"]
    clock.t += 59
    assert asyncio.run(middleware._resolve("news.example")) == ["93.184.216.34"]
    assert calls == ["news.example"]
    clock.t += 2  # past the cache time
    asyncio.run(middleware._resolve("news.example"))
    assert calls == ["news.example", "news.example"]


def test_resolution_errors_give_no_addresses(monkeypatch):
    def failing(host, port, proto=0):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    async def direct(value):
        return value

    monkeypatch.setattr(addressguard.socket, "getaddrinfo", failing)
    monkeypatch.setattr(addressguard, "deferToThread", lambda f, *a, **k: f(*a, **k))
    monkeypatch.setattr(addressguard, "maybe_deferred_to_future", direct)
    middleware = AddressGuardMiddleware(AddressPolicy())
    assert asyncio.run(middleware._resolve("nxdomain.invalid")) == []


def test_policy_from_settings():
    settings = Settings({"NEWS_ALLOW_PRIVATE": "false", "NEWS_ALLOW_NETWORKS": "10.0.0.0/8,fd00::/8",
                         "NEWS_ALLOW_HOSTS": ["Wiki.Corp"]})  # fmt: skip
    policy = AddressPolicy.from_settings(settings)
    assert policy.allow_private is False
    assert [str(n) for n in policy.allowed_networks] == ["10.0.0.0/8", "fd00::/8"]
    assert policy.allowed_hosts == frozenset({"wiki.corp"})


def test_project_settings_enable_the_guard_first():
    from crawler.config import build_settings

    settings = build_settings()
    guard = settings.getdict("DOWNLOADER_MIDDLEWARES")[
        "crawler.middlewares.addressguard.AddressGuardMiddleware"
    ]
    # before robots.txt (which fetches) and every other downloader middleware of Scrapy
    base = settings.getdict("DOWNLOADER_MIDDLEWARES_BASE")
    assert guard <= min(v for v in base.values() if v is not None)
    assert (
        guard
        < settings.getdict("DOWNLOADER_MIDDLEWARES")[
            "crawler.middlewares.robots.SharedRobotsTxtMiddleware"
        ]
    )
    assert AddressPolicy.from_settings(build_settings(allow_private=True)).allow_private is True
