"""Seeding: turning sites into entry-point requests in the shared frontier.

``seed_requests`` builds the requests a site starts from (home, sections, feeds, sitemaps,
robots.txt); the spider yields them from ``start()`` when run as ``scrapy crawl <site>``,
and ``seed_sites`` pushes them into the frontier (through ``Frontier``, the one owner of
Redis) for ``newscrawl seed``, ``crawl`` and ``schedule``, together with the site's
per-host politeness. Entry points bypass the seen-filter, so every seeding refetches them,
while one still waiting is not queued twice. (scrapy-redis's ``redis_key`` start-URL list
is not used: docs/architecture.md says why.)
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from scrapy.http import Request

from crawler.coordination import codec
from crawler.coordination.frontier import Frontier
from crawler.coordination.seen import SeenFilter, request_fingerprint
from crawler.sites import Site

# Priorities (higher is fetched first). Entry points first, so that a fresh crawl fans out
# quickly; announced articles next (their page is the product); listing pages last.
PRIORITY_SEED = 100
PRIORITY_ANNOUNCED = 60
PRIORITY_ARTICLE_LINK = 40
PRIORITY_PAGE = 10
PRIORITY_LISTING = 0
# The NewsSpider method that handles failures (dead letters) of seeded requests.
ERRBACK = "on_error"


def news_meta(site: Site, kind: str, *, seed: bool = False, **extra: object) -> dict[str, object]:
    """The ``news`` meta every request carries: its site, its kind and any hints."""
    meta: dict[str, object] = {"site": site.name, "kind": kind}
    if seed:
        meta["seed"] = True
    meta.update({k: v for k, v in extra.items() if v is not None})
    return meta


def seed_requests(site: Site) -> list[Request]:
    """Entry-point requests of a site."""
    return [
        Request(
            point.url,
            priority=PRIORITY_SEED,
            dont_filter=True,
            meta={"news": news_meta(site, point.kind, seed=True)},
        )
        for point in site.entry_points()
    ]


@dataclass(frozen=True)
class SeedReport:
    """What one seeding did for one site."""

    site: str
    queued: int
    already_waiting: int
    entry_points: int
    # A scheduled seeding's claim of its tick: 1 claimed (or none asked), 0 that tick was
    # seeded already, -1 the scheduler does not lead; unless 1, nothing was queued.
    claim: int = 1


def seed_sites(
    frontier: Frontier,
    seen: SeenFilter,
    sites: Iterable[Site],
    *,
    default_delay: float,
    default_concurrency: int,
) -> list[SeedReport]:
    """Push every site's entry points into the frontier and record its politeness."""
    return [
        seed_site(
            frontier,
            seen,
            site,
            default_delay=default_delay,
            default_concurrency=default_concurrency,
        )
        for site in sites
    ]


def seed_site(
    frontier: Frontier,
    seen: SeenFilter,
    site: Site,
    *,
    default_delay: float,
    default_concurrency: int,
    claim: dict[str, object] | None = None,
) -> SeedReport:
    """Push one site's entry points into the frontier and record its politeness. With a
    ``claim`` ({token, site, tick}: `newscrawl schedule`), the push happens only if the
    claim of that tick succeeds, in the same atomic call (lua/sync.lua)."""
    for host in site.hosts():
        # NEWS_MAX_PAGES_PER_HOST counts the pages of one round: seeding starts the next
        frontier.start_round(host)
        frontier.set_host_politeness(
            host,
            delay_s=site.delay if site.delay is not None else default_delay,
            concurrency=site.concurrency if site.concurrency is not None else default_concurrency,
        )
    pushes = []
    for request in seed_requests(site):
        payload = codec.encode_request(request, errback=ERRBACK)
        entry = {
            "host": codec.entry_host(payload),
            "score": -PRIORITY_SEED,
            "payload": payload,
            "seed": request_fingerprint(request).hex(),
        }
        entry.update(seen.push_fields(request, listing=True))
        pushes.append(entry)
    ops: dict[str, object] = {"push": pushes, "seen": seen.script_options()}
    if claim is not None:
        # an answer lost on the way back is sent again by the client: the call's id makes
        # the repeat return the first answer, not a refused claim of a tick already seeded
        ops.update(claim=claim, call=uuid.uuid4().hex)
    result = frontier.sync(ops)
    if result.claim != 1:
        return SeedReport(site.name, 0, 0, len(pushes), claim=result.claim)
    queued = sum(result.pushed)
    frontier.record_seeding(
        site.name, {"seeded_at": time.time(), "entry_points": len(pushes), "queued": queued}
    )
    return SeedReport(
        site=site.name,
        queued=queued,
        already_waiting=len(pushes) - queued,
        entry_points=len(pushes),
    )
