"""One leader among the ``newscrawl schedule`` processes: a lease in Redis with a token.

Every scheduler, on every machine, calls ``hold()`` a few times per lease period. The one
whose token is in the leader key gets its lease extended; when the key is empty (no leader
yet, or the leader died and its lease ran out) the first caller takes it with ``SET NX PX``.
Both are one Lua call, a compare-and-set on the token, so a scheduler whose lease expired
while it was paused cannot renew a lease another has taken since, nor delete it on
``release()``. A leader that dies is replaced within one lease period; one that stops
cleanly releases the key at once. Leadership alone does not make a seeding happen once: the
tick claim (crawler/coordination/schedule_book.py) checks the token again, atomically with
the claim, so that a leader paused past its lease cannot seed after its successor.
"""

from __future__ import annotations

import os
import secrets
import socket

import redis

# Renew or take the lease: ARGV token, lease ms. 1 when the caller holds it afterwards.
_HOLD = """
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not holder and redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return 1
end
return 0
"""
# Give the lease up, if the caller still holds it: 1 if it did.
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


def new_token() -> str:
    """A scheduler's token: where it runs, for the operator, and random, so that a restarted
    process with a reused pid is someone else."""
    return f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(4)}"


class LeaderLease:
    """The leader key of one frontier, seen by one scheduler (``token``)."""

    def __init__(self, client: redis.Redis, key: str, token: str, lease_ms: int) -> None:
        if lease_ms < 1:
            raise ValueError("a leader lease lasts at least a millisecond")
        self.client = client
        self.key = key
        self.token = token
        self.lease_ms = lease_ms
        self._hold = client.register_script(_HOLD)
        self._release = client.register_script(_RELEASE)

    def hold(self) -> bool:
        """Renew the lease if this scheduler leads, take it if nobody does: whether it leads."""
        return bool(self._hold(keys=[self.key], args=[self.token, self.lease_ms]))

    def release(self) -> bool:
        """Give leadership up now (a clean stop), if this scheduler still has it."""
        return bool(self._release(keys=[self.key], args=[self.token]))

    def holder(self) -> tuple[str | None, int]:
        """Who leads, and for how many more milliseconds unless renewed (None, 0: nobody)."""
        pipe = self.client.pipeline(transaction=True)
        pipe.get(self.key)
        pipe.pttl(self.key)
        token, ttl = pipe.execute()
        return (token, max(int(ttl), 0)) if token else (None, 0)
