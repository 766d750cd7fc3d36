"""The guarded resolver: refused addresses never reach a connection, whatever DNS answers."""

from __future__ import annotations

from twisted.internet.address import IPv4Address, IPv6Address
from twisted.internet.interfaces import IResolutionReceiver
from zope.interface import implementer

from crawler.netguard import AddressPolicy
from crawler.resolver import GuardedResolver


@implementer(IResolutionReceiver)
class Receiver:
    def __init__(self):
        self.addresses = []
        self.complete = False

    def resolutionBegan(self, resolution):
        pass

    def addressResolved(self, address):
        self.addresses.append(address.host)

    def resolutionComplete(self):
        self.complete = True


class FakeReactor:
    """A name resolver that answers what DNS rebinding would: public and private mixed."""

    def __init__(self, answers):
        self.answers = answers
        self.nameResolver = self

    def resolveHostName(self, receiver, host, port=0, types=None, semantics="TCP"):
        receiver.resolutionBegan(None)
        for address in self.answers:
            cls = IPv6Address if ":" in address else IPv4Address
            receiver.addressResolved(cls("TCP", address, port))
        receiver.resolutionComplete()
        return receiver


def resolve(answers, policy):
    resolver = GuardedResolver(FakeReactor(answers), cache_size=0, policy=policy)
    receiver = Receiver()
    resolver.resolveHostName(receiver, "rebind.example", 80)
    return receiver


def test_private_answers_are_dropped_public_ones_kept():
    receiver = resolve(
        ["93.184.216.34", "127.0.0.1", "10.0.0.5", "169.254.169.254", "::1"], AddressPolicy()
    )
    assert receiver.addresses == ["93.184.216.34"] and receiver.complete


def test_a_name_that_only_resolves_privately_cannot_be_connected_to():
    receiver = resolve(["192.168.1.1", "fd00::1"], AddressPolicy())
    assert receiver.addresses == [] and receiver.complete


def test_allowed_private_networks_pass():
    policy = AddressPolicy.from_values(False, networks=["10.0.0.0/8"])
    assert resolve(["10.0.0.5", "127.0.0.1"], policy).addresses == ["10.0.0.5"]
    assert resolve(["127.0.0.1"], AddressPolicy(allow_private=True)).addresses == ["127.0.0.1"]
