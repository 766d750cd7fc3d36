"""The address policy: which addresses and hosts a crawler may connect to."""

from __future__ import annotations

import ipaddress

import pytest

from crawler.netguard import HOW_TO_ALLOW, AddressPolicy, describe, host_is_ip_literal


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("127.255.255.254", "loopback"),
        ("::1", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("172.31.255.255", "private"),
        ("192.168.1.1", "private"),
        ("fc00::1", "private"),
        ("fd00:ec2::254", "private"),  # AWS IMDS over IPv6
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("169.254.0.1", "link-local"),
        ("fe80::1", "link-local"),
        ("100.64.0.1", "special-purpose"),  # carrier-grade NAT
        ("100.127.255.254", "special-purpose"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped IPv6
        ("::ffff:10.0.0.1", "private"),
        ("::ffff:169.254.169.254", "link-local"),
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("192.0.2.10", "non-public"),  # documentation (TEST-NET-1)
        ("198.18.0.1", "non-public"),  # benchmarking
        ("240.0.0.1", "non-public"),  # reserved
        ("2001:db8::1", "non-public"),  # documentation
    ],
)
def test_non_public_addresses(address, why):
    reason = describe(ipaddress.ip_address(address))
    assert reason is not None
    if why == "non-public":
        assert "private" in reason or "special-purpose" in reason
    else:
        assert why in reason


@pytest.mark.parametrize(
    "address",
    ["93.184.216.34", "1.1.1.1", "8.8.8.8", "2606:4700:4700::1111", "::ffff:93.184.216.34",
     "100.128.0.1", "172.32.0.1", "11.0.0.1"],
)  # fmt: skip
def test_public_addresses(address):
    assert describe(ipaddress.ip_address(address)) is None


def test_default_policy_refuses_private_addresses_with_the_way_out():
    policy = AddressPolicy()
    reason = policy.refusal_for_address("intranet.example", "10.0.0.5")
    assert reason == f"intranet.example (10.0.0.5) is a private address; {HOW_TO_ALLOW}"
    assert "--allow-private" in reason
    literal = policy.refusal_for_address("127.0.0.1", "127.0.0.1")
    assert literal == f"127.0.0.1 is a loopback address; {HOW_TO_ALLOW}"
    assert policy.refusal_for_address("news.example", "93.184.216.34") is None


def test_scoped_ipv6_addresses_are_judged_without_their_zone():
    assert "link-local" in AddressPolicy().refusal_for_address("h", "fe80::1%eth0")


def test_a_resolution_that_is_not_an_address_is_refused():
    reason = AddressPolicy().refusal_for_address("weird.example", "not-an-ip")
    assert reason is not None and "not an IP address" in reason


def test_allow_private_allows_everything():
    policy = AddressPolicy.from_values(True)
    for address in ("127.0.0.1", "10.0.0.1", "169.254.169.254", "::1"):
        assert policy.refusal_for_address("h", address) is None
    assert policy.refusal_for_host("localhost") is None


def test_allowed_networks():
    policy = AddressPolicy.from_values(False, networks=["10.20.0.0/16", "fd12::/16", "192.168.1.7"])
    assert policy.refusal_for_address("a", "10.20.3.4") is None
    assert policy.refusal_for_address("a", "fd12::5") is None
    assert policy.refusal_for_address("a", "192.168.1.7") is None
    assert policy.refusal_for_address("a", "10.21.0.1") is not None
    assert policy.refusal_for_address("a", "192.168.1.8") is not None
    assert policy.refusal_for_address("a", "127.0.0.1") is not None


def test_non_strict_network_notation_is_accepted():
    policy = AddressPolicy.from_values(False, networks=["10.20.30.40/16"])
    assert policy.allowed_networks == (ipaddress.ip_network("10.20.0.0/16"),)


def test_invalid_network_is_an_error():
    with pytest.raises(ValueError):
        AddressPolicy.from_values(False, networks=["not-a-network"])


def test_allowed_hosts_are_case_and_dot_insensitive():
    policy = AddressPolicy.from_values(False, hosts=["Intranet.Example."])
    assert policy.allowed_hosts == frozenset({"intranet.example"})
    assert policy.refusal_for_address("INTRANET.example.", "10.0.0.5") is None
    assert policy.refusal_for_host("intranet.example") is None
    assert policy.refusal_for_address("other.example", "10.0.0.5") is not None
    allows_localhost = AddressPolicy.from_values(False, hosts=["localhost"])
    assert allows_localhost.refusal_for_host("localhost") is None


@pytest.mark.parametrize(
    "host",
    ["localhost", "LOCALHOST", "localhost.", "localhost.localdomain", "app.localhost",
     "metadata.google.internal"],
)  # fmt: skip
def test_local_names_are_refused_before_resolution(host):
    reason = AddressPolicy().refusal_for_host(host)
    assert reason is not None and "--allow-private" in reason


@pytest.mark.parametrize("host", ["news.example", "localhost.news.example", "mylocalhost"])
def test_other_names_wait_for_resolution(host):
    assert AddressPolicy().refusal_for_host(host) is None


@pytest.mark.parametrize(
    ("host", "literal"),
    [("127.0.0.1", True), ("::1", True), ("[::1]", True), ("fe80::1%eth0", True),
     ("news.example", False), ("2130706433", False), ("127.1", False), ("", False)],
)  # fmt: skip
def test_host_is_ip_literal(host, literal):
    assert host_is_ip_literal(host) is literal


@pytest.mark.parametrize(
    "address",
    [
        "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
        "2002:7f00:1::",  # 6to4 of 127.0.0.1
        "::127.0.0.1",  # IPv4-compatible (deprecated) loopback
        "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo with client 127.0.0.1
        "64:ff9b::a9fe:a9fe",  # NAT64 of the cloud metadata address
    ],
)
def test_ipv4_behind_an_ipv6_translation_is_judged_as_ipv4(address):
    assert describe(ipaddress.ip_address(address)) is not None
    assert AddressPolicy().refusal_for_address("h", address) is not None


def test_translated_public_addresses_stay_allowed():
    assert describe(ipaddress.ip_address("64:ff9b::808:808")) is None  # NAT64 of 8.8.8.8


@pytest.mark.parametrize(
    "host",
    ["http://intranet.example/", "intranet.example/news", "intra net", "", "a..b", "*.example"],
)
def test_allowed_hosts_must_be_host_names(host):
    with pytest.raises(ValueError, match="not a host name"):
        AddressPolicy.from_values(False, hosts=[host])


def test_allowed_hosts_are_compared_as_lower_case_names():
    policy = AddressPolicy.from_values(False, hosts=["Intranet.Example.", "bücher.example", "::1"])
    assert policy.allowed_hosts == {"intranet.example", "bücher.example", "::1"}
