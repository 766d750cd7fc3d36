"""When a site is due for re-seeding: its ticks, from an interval or a cron expression.

A tick is named by the time it is due before any jitter, on a grid every scheduler computes
alike without talking to the others: multiples of the interval since the Unix epoch, or the
times a cron expression (UTC, five fields or an ``@`` alias, read by croniter) names. So a
standby that takes over knows which tick the leader last seeded, and two schedulers agree on
which tick "now" belongs to. Jitter delays a tick's seeding by an amount drawn from a hash of
the site and the tick: the same on every machine, different from site to site, so that sites
sharing a schedule are not all seeded in the same second. Pure functions of time: the
scheduler's tests run them on an injected clock.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime

from croniter import CroniterBadDateError, croniter

# The share of a site's interval its ticks may be delayed by (see jitter_of): a tenth keeps
# a 15-minute site within 90 s of its tick while spreading many sites over that time.
JITTER_SHARE = 0.1


class BadSchedule(ValueError):
    """A cron expression that cannot drive a schedule; one-line message."""


def check_cron(expression: str) -> None:
    """Refuse a cron expression that is not five fields (or an ``@`` alias such as
    ``@hourly``) or never comes due (``0 0 31 2 *``); ``BadSchedule`` says why."""
    text = expression.strip()
    if not text.startswith("@") and len(text.split()) != 5:
        # croniter also reads a sixth field as seconds: a schedule that fine is no news
        # site's, and an operator who wrote six fields most likely meant something else
        raise BadSchedule(f"cron {expression!r}: expected five fields (minute hour day month "
                          "weekday) or an alias like @hourly")  # fmt: skip
    if not croniter.is_valid(text):
        raise BadSchedule(f"cron {expression!r}: not a valid cron expression")
    try:
        croniter(text, 0.0).get_next(float)
    except CroniterBadDateError:
        raise BadSchedule(f"cron {expression!r}: never comes due") from None


@dataclass(frozen=True)
class Schedule:
    """A site's ticks: every ``every_s`` seconds, or when ``cron`` says (it wins)."""

    every_s: float
    cron: str | None = None

    def __post_init__(self) -> None:
        if self.cron is not None:
            check_cron(self.cron)
        elif not (math.isfinite(self.every_s) and self.every_s > 0):
            raise BadSchedule(f"interval {self.every_s!r} s: must be a positive number")

    def tick_at_or_before(self, now: float) -> float:
        """The latest tick at or before ``now`` (epoch seconds)."""
        if self.cron is None:
            return math.floor(now / self.every_s) * self.every_s
        # croniter's get_prev from an exact match returns the one before it: start just after
        return croniter(self.cron, _utc(now + 1e-3)).get_prev(float)

    def tick_after(self, tick: float) -> float:
        """The first tick after ``tick``."""
        if self.cron is None:
            return tick + self.every_s
        return croniter(self.cron, _utc(tick)).get_next(float)

    def period_near(self, tick: float) -> float:
        """The time from ``tick`` to the next one (cron gaps vary: 9:00 to 17:00 to 9:00)."""
        return self.tick_after(tick) - tick


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def jitter_of(site: str, tick: float, period: float, most: float) -> float:
    """How long after ``tick`` the site is seeded: from 0 up to ``JITTER_SHARE`` of its
    period and at most ``most`` seconds, drawn from a hash of the site and the tick (every
    scheduler draws the same)."""
    span = min(period * JITTER_SHARE, most)
    if span <= 0:
        return 0.0
    digest = hashlib.blake2b(f"{site}|{tick:.3f}".encode(), digest_size=8).digest()
    return span * int.from_bytes(digest, "big") / 2**64
