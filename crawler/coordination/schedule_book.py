"""The scheduler's record in Redis: which tick of each site was seeded, which were skipped.

A tick is done once, by whichever scheduler leads when it comes due: a claim checks that the
leader key still holds the caller's token and that the site's last claimed tick is older,
then records the tick, all in one Lua call. A seeding claims its tick inside the frontier's
sync call that pushes its entry points (lua/sync.lua, "claim"); a tick skipped because the
site's backlog is still large is claimed here (it is not tried again), with the backlog kept
for ``status`` until a tick of that site is seeded. Two schedulers that both believe they
lead (one paused past its lease, the other just elected) cannot both claim a tick, and a
standby that takes over sees which ticks its predecessor did. The backlog is the requests
queued for the site's hosts, read from the frontier's per-host queues.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import redis

from crawler.coordination.keys import Keys

# KEYS leader, ticks, skipped; ARGV token, site, tick ms, skip JSON ("" when seeding).
# 1: claimed; 0: that tick (or a later one) was claimed already; -1: the caller does not lead.
_CLAIM = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return -1 end
local last = tonumber(redis.call('HGET', KEYS[2], ARGV[2]))
local tick = tonumber(ARGV[3])
if last and last >= tick then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
if ARGV[4] == '' then
  redis.call('HDEL', KEYS[3], ARGV[2])
else
  redis.call('HSET', KEYS[3], ARGV[2], ARGV[4])
end
return 1
"""

CLAIMED, ALREADY_CLAIMED, NOT_LEADER = 1, 0, -1


class ScheduleBook:
    """Tick claims, skipped ticks and backlogs, under one key prefix."""

    def __init__(self, client: redis.Redis, keys: Keys) -> None:
        self.client = client
        self.keys = keys
        self._claim = client.register_script(_CLAIM)

    def claim(
        self, site: str, tick_ms: int, token: str, skipped: dict[str, Any] | None = None
    ) -> int:
        """Claim ``site``'s tick for the leader ``token``: ``CLAIMED``, ``ALREADY_CLAIMED`` or
        ``NOT_LEADER``. With ``skipped`` (why), the tick is claimed as skipped."""
        skip = json.dumps(skipped, separators=(",", ":")) if skipped else ""
        keys = [self.keys.scheduler_leader, self.keys.schedule_ticks, self.keys.schedule_skipped]
        return int(self._claim(keys=keys, args=[token, site, tick_ms, skip]))

    def last_ticks(self) -> dict[str, int]:
        """Site -> the last tick claimed (epoch ms); unreadable entries are left out."""
        ticks = {}
        for site, raw in self.client.hgetall(self.keys.schedule_ticks).items():
            try:
                ticks[site] = int(raw)
            except ValueError:
                continue
        return ticks

    def backlog(self, hosts: Iterable[str]) -> int:
        """Requests queued (not leased) for these hosts, all together."""
        pipe = self.client.pipeline(transaction=False)
        hosts = list(hosts)
        for host in hosts:
            pipe.zcard(self.keys.host_queue(host))
        return sum(int(n) for n in pipe.execute()) if hosts else 0

    def leader(self) -> str | None:
        """The token of the scheduler that leads now, if any."""
        return self.client.get(self.keys.scheduler_leader)

    def skipped(self) -> dict[str, dict[str, Any]]:
        """Site -> why its last tick was skipped, for sites not seeded since."""
        found = {}
        for site, raw in self.client.hgetall(self.keys.schedule_skipped).items():
            try:
                entry = json.loads(raw)
            except ValueError:
                entry = None
            found[site] = entry if isinstance(entry, dict) else {"unreadable": raw[:100]}
        return found
