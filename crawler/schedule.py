"""``newscrawl schedule``: re-seed each site on its ticks, one leader among many schedulers.

Any number of schedulers run against one frontier, on any number of machines; the one that
holds the leader lease (crawler/coordination/leader.py) does the seeding, the others stand
by and take over within a lease period when it dies. Each pass, the leader looks at every
site's current tick (crawler/ticks.py: an interval on a grid since the epoch, or a cron
expression) and, once the tick's jitter has passed and no scheduler has claimed it yet,
seeds the site exactly as ``newscrawl seed`` does (crawler/seeding.py), the claim of the
tick (fenced by the leader's token) and the push of its entry points being one atomic call:
each tick is seeded once, and a leader killed before that call leaves the tick to its
successor. A site whose hosts still have more than ``NEWS_SCHEDULE_MAX_BACKLOG`` requests
queued has its tick claimed as skipped instead (crawler/coordination/schedule_book.py). A scheduler that finds no record of a site (a first start) seeds its
current tick at once; ticks missed while no scheduler ran are not made up, only the latest.
The clock and the sleep are injected, so that tests drive the loop without waiting.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from scrapy.settings import BaseSettings

from crawler.coordination.connection import RedisError
from crawler.coordination.leader import LeaderLease
from crawler.coordination.schedule_book import CLAIMED, NOT_LEADER, ScheduleBook
from crawler.seeding import SeedReport
from crawler.sites import Site
from crawler.ticks import Schedule, jitter_of

logger = logging.getLogger(__name__)

# How long a scheduler waits after Redis failed it before trying again: a restart of Redis
# takes a second or two, and the leader's lease outlasts a few such waits.
RETRY_SECONDS = 1.0
# How often a pause between passes looks whether the process was asked to stop: a
# SIGTERM is answered within this long.
STOP_CHECK_SECONDS = 0.1


@dataclass(frozen=True)
class ScheduleOptions:
    """The NEWS_SCHEDULE_* settings (crawler/settings.py says why each default)."""

    lease_s: float
    jitter_s: float
    max_backlog: int
    every_s: float = 0.0

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> ScheduleOptions:
        return cls(
            lease_s=settings.getfloat("NEWS_SCHEDULE_LEADER_SECONDS"),
            jitter_s=settings.getfloat("NEWS_SCHEDULE_JITTER_SECONDS"),
            max_backlog=settings.getint("NEWS_SCHEDULE_MAX_BACKLOG"),
            every_s=settings.getfloat("NEWS_SCHEDULE_EVERY_SECONDS"),
        )

    def schedule_of(self, site: Site) -> Schedule:
        """The site's own schedule, unless NEWS_SCHEDULE_EVERY_SECONDS overrides it."""
        return Schedule(every_s=self.every_s) if self.every_s > 0 else site.schedule()


def tick_text(tick: float) -> str:
    """A tick as the operator reads it: ISO 8601 in UTC."""
    return datetime.fromtimestamp(tick, UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class SiteScheduler:
    """Seeds ``sites`` on their ticks while this process leads."""

    def __init__(
        self,
        sites: Sequence[Site],
        *,
        lease: LeaderLease,
        book: ScheduleBook,
        seed: Callable[[Site, dict[str, object]], SeedReport],
        options: ScheduleOptions,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.sites = list(sites)
        self.schedules = {site.name: options.schedule_of(site) for site in self.sites}
        self.lease = lease
        self.book = book
        self.seed = seed
        self.options = options
        self.clock = clock
        self.leading = False
        # When the lease was last renewed (clock time), to renew it within a long pass.
        self._renewed = float("-inf")
        self._redis_down = False
        self._said_standby = False

    # --- one pass -------------------------------------------------------------------------
    def step(self) -> float:
        """Hold or seek leadership and, leading, seed every site whose tick is due: the
        seconds until there is something to do again."""
        try:
            wait = self._step()
        except RedisError as exc:
            if not self._redis_down:
                logger.warning("Redis failed the scheduler (%s); trying again", exc)
            self._redis_down = True
            self.leading = False
            return RETRY_SECONDS
        if self._redis_down:
            logger.info("Redis answers again")
            self._redis_down = False
        return wait

    def _step(self) -> float:
        # standbys look for a free lease three times per lease period, and the leader renews
        # as often: a renewal late by two thirds of the period still holds
        beat = self.options.lease_s / 3
        if not self._keep_lease(force=True):
            return beat
        now = self.clock()
        last = self.book.last_ticks()
        next_due = now + beat
        for site in self.sites:
            due = self._site_due(site, last.get(site.name))
            if due <= now:
                if not self._keep_lease():
                    return beat
                self._run_tick(site)
                due = self._site_due(site, self._claimed_tick(site))
            next_due = min(next_due, due)
            now = self.clock()
        return max(0.0, next_due - self.clock())

    def _keep_lease(self, force: bool = False) -> bool:
        """Renew (or take) the lease when a third of it has passed, or when ``force``d."""
        now = self.clock()
        if not force and self.leading and now - self._renewed < self.options.lease_s / 3:
            return True
        leading = self.lease.hold()
        if leading and not self.leading:
            logger.info("Leading the schedule of %d sites (%s)", len(self.sites), self.lease.token)
        elif self.leading and not leading:
            logger.warning("Lost the lead of the schedule; standing by")
        elif not leading and not self._said_standby:
            holder, _ = self.lease.holder()
            logger.info("Standing by: %s leads the schedule", holder or "another scheduler")
        self._said_standby = not leading
        self.leading = leading
        if leading:
            self._renewed = now
        return leading

    def _site_due(self, site: Site, last_ms: int | None) -> float:
        """When ``site`` is next to be seeded, given the last tick claimed (epoch ms)."""
        schedule = self.schedules[site.name]
        tick = schedule.tick_at_or_before(self.clock())
        if last_ms is not None and last_ms >= round(tick * 1000):
            tick = schedule.tick_after(tick)
        return tick + jitter_of(site.name, tick, schedule.period_near(tick), self.options.jitter_s)

    def _claimed_tick(self, site: Site) -> int:
        """The tick just handled for ``site`` (the current one)."""
        return round(self.schedules[site.name].tick_at_or_before(self.clock()) * 1000)

    def _run_tick(self, site: Site) -> None:
        """Claim ``site``'s current tick and seed it, or skip it for its backlog."""
        tick = self.schedules[site.name].tick_at_or_before(self.clock())
        tick_ms = round(tick * 1000)
        skipped = None
        if self.options.max_backlog > 0:
            backlog = self.book.backlog(site.hosts())
            if backlog > self.options.max_backlog:
                skipped = {
                    "tick": tick_ms,
                    "backlog": backlog,
                    "threshold": self.options.max_backlog,
                    "at": round(self.clock(), 3),
                }
        if skipped:
            claim = self.book.claim(site.name, tick_ms, self.lease.token, skipped)
            if self._claimed(claim, site):
                logger.warning(
                    "Skipped %s at tick %d (%s): %d requests still queued for its hosts, "
                    "over NEWS_SCHEDULE_MAX_BACKLOG=%d",
                    site.name, tick_ms, tick_text(tick), skipped["backlog"],
                    skipped["threshold"],
                )  # fmt: skip
            return
        # the claim of the tick and the push of the entry points are one atomic call
        report = self.seed(site, {"token": self.lease.token, "site": site.name, "tick": tick_ms})
        if not self._claimed(report.claim, site):
            return
        waiting = f", {report.already_waiting} already waiting" if report.already_waiting else ""
        logger.info(
            "Seeded %s at tick %d (%s): %d entry points queued%s",
            site.name, tick_ms, tick_text(tick), report.queued, waiting,
        )  # fmt: skip

    def _claimed(self, claim: int, site: Site) -> bool:
        """Whether a claim of ``site``'s tick went through (another scheduler may have done
        that tick; a lost lead is said once)."""
        if claim == NOT_LEADER:
            self.leading = False
            logger.warning(
                "Lost the lead of the schedule before seeding %s; standing by", site.name
            )
        return claim == CLAIMED

    # --- the long run ---------------------------------------------------------------------
    def run(self, stopping: Callable[[], bool]) -> None:
        """Pass after pass until ``stopping()`` says so, then give leadership up.

        ``stopping`` is read, never waited on: a signal handler sets a plain flag (taking a
        lock in a handler can deadlock the thread it interrupted), and the pauses between
        passes are cut into short sleeps that look at it."""
        try:
            while not stopping():
                pause = self.step()
                # wake a little after a tick's due time, and in time to renew the lease
                pause = min(max(pause, 0.05), self.options.lease_s / 3)
                deadline = time.monotonic() + pause
                while not stopping() and (left := deadline - time.monotonic()) > 0:
                    time.sleep(min(left, STOP_CHECK_SECONDS))
        finally:
            self.resign()

    def resign(self) -> None:
        """Give leadership up at once (a clean stop), so that a standby need not wait."""
        if not self.leading:
            return
        try:
            if self.lease.release():
                logger.info("Gave up the lead of the schedule")
        except RedisError as exc:
            logger.warning("Could not give up the lead (%s); it expires by itself", exc)
        self.leading = False
