"""The state of a crawl, read from Redis: what ``newscrawl status`` and ``crawl`` show.

Queued requests per host, leases (and who holds them), dead letters, the approximate number
of URLs seen, hosts that hit the page cap, URL templates cut by the trap budget, hosts held
back by the Crawl-delay ceiling, sites whose last scheduled tick was skipped for their
backlog and which scheduler leads, workers with the age of their last heartbeat, and pages
and articles per minute from the per-minute counters workers publish. Read-only: looking
never changes the crawl.
"""

from __future__ import annotations

import json
import time
from typing import Any

from crawler.coordination.frontier import Frontier
from crawler.coordination.schedule_book import ScheduleBook
from crawler.masking import mask_url
from crawler.sanitize import printable

# Rates are averaged over this many minutes (the current, partial one included).
RATE_MINUTES = 5


def _int(value: object) -> int:
    """A counter as published, or 0 for anything that is not one (never crash on garbage)."""
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0


# Workers silent for longer than this are not listed (NEWS_WORKER_FORGET_SECONDS).
FORGET_AFTER_S = 600.0


def gather(
    frontier: Frontier,
    redis_url: str,
    dead_after_s: float,
    seen_capacity: int = 0,
    forget_after_s: float = FORGET_AFTER_S,
) -> dict[str, Any]:
    """Everything ``status`` reports, as one JSON-ready dict."""
    now = time.time()
    counts = frontier.counts()
    workers = []
    for worker_id, beat_ms, info in frontier.workers():
        age = max(0.0, now - beat_ms / 1000)
        state = info.get("state", "unknown")
        if (state == "stopped" and age > dead_after_s) or age > forget_after_s:
            continue  # a worker that said goodbye, or has been gone for a while
        workers.append(
            {
                "id": worker_id,
                "host": info.get("host"),
                "pid": _int(info.get("pid")),
                "state": state,
                "alive": state == "running" and age <= dead_after_s,
                "heartbeat_age_s": round(age, 1),
                "held": _int(info.get("held")),
                "pages": _int(info.get("pages")),
                "articles": _int(info.get("articles")),
            }
        )
    totals = {k: _int(v) for k, v in frontier.totals().items()}
    minute_now = int(now // 60)
    buckets = frontier.minute_counters(range(minute_now - RATE_MINUTES + 1, minute_now + 1))
    span = (RATE_MINUTES - 1) + (now % 60) / 60
    rates = {
        name: round(sum(_int(b.get(name)) for b in buckets) / span, 1)
        for name in ("pages", "articles")
    }
    book = ScheduleBook(frontier.client, frontier.keys)
    sites = {}
    for name, raw in frontier.seedings().items():
        try:
            sites[name] = json.loads(raw)
        except ValueError:
            sites[name] = {"unreadable": raw[:100]}
    return {
        "redis": mask_url(redis_url),
        "prefix": frontier.keys.prefix,
        "queued": counts["queued"],
        "leased": counts["leased"],
        "dead_letters": counts["dead"],
        "seen_approx": counts["seen"],
        "seen_capacity": seen_capacity,
        "queued_per_host": frontier.queued_per_host(),
        "leased_per_worker": frontier.leased_per_worker(),
        "capped_hosts": frontier.capped_hosts(),
        "slowed_hosts": frontier.slowed_hosts(),
        "cut_templates": frontier.cut_templates(),
        "workers": workers,
        "workers_alive": sum(1 for w in workers if w["alive"]),
        "totals": totals,
        "per_minute": rates,
        "sites": sites,
        "schedule_leader": book.leader(),
        "skipped_ticks": book.skipped(),
    }


def format_status(status: dict[str, Any]) -> str:
    """The status as a short human-readable report."""
    lines = [
        f"Redis {status['redis']}  prefix {status['prefix']!r}",
        f"queued {status['queued']}  leased {status['leased']}  "
        f"dead letters {status['dead_letters']}  seen ~{status['seen_approx']}",
        f"pages {status['totals'].get('pages', 0)} ({status['per_minute']['pages']}/min)  "
        f"articles {status['totals'].get('articles', 0)} ({status['per_minute']['articles']}/min)",
    ]
    capacity = status.get("seen_capacity") or 0
    if capacity and status["seen_approx"] > capacity:
        lines.append(
            f"warning: {status['seen_approx']} URLs seen, over NEWS_SEEN_CAPACITY={capacity}: "
            "the Bloom filter's false positives rise (new URLs taken for seen); raise it"
        )
    if status["queued_per_host"]:
        lines.append("queued per host:")
        for host, n in sorted(status["queued_per_host"].items(), key=lambda kv: -kv[1])[:20]:
            lines.append(f"  {host:<40} {n:>8}")
    if status["capped_hosts"]:
        lines.append("hosts at NEWS_MAX_PAGES_PER_HOST: " + ", ".join(status["capped_hosts"]))
    if status["cut_templates"]:
        lines.append("URL templates cut by the trap budget (NEWS_TEMPLATE_BUDGET) this round:")
        for host, templates in sorted(status["cut_templates"].items()):
            lines.append(f"  {host:<40} {', '.join(templates)[:200]}")
    if status["slowed_hosts"]:
        lines.append("hosts held back by NEWS_MAX_CRAWL_DELAY (their robots.txt asks for more):")
        for host, asked in sorted(status["slowed_hosts"].items()):
            lines.append(f"  {host:<40} Crawl-delay {asked} s")
    if status["skipped_ticks"]:
        lines.append(
            "skipped ticks (NEWS_SCHEDULE_MAX_BACKLOG): "
            + ", ".join(
                f"{site} (backlog {_int(entry.get('backlog'))})"
                for site, entry in sorted(status["skipped_ticks"].items())
            )
        )
    if status["schedule_leader"]:
        lines.append(f"schedule led by {status['schedule_leader']}")
    lines.append(f"workers alive: {status['workers_alive']} of {len(status['workers'])}")
    for w in status["workers"]:
        mark = "alive" if w["alive"] else w["state"] if w["state"] != "running" else "silent"
        lines.append(
            f"  {w['id']:<36} {mark:<8} heartbeat {w['heartbeat_age_s']:>6.1f}s ago  "
            f"leased {status['leased_per_worker'].get(w['id'], 0):>3}  pages {w['pages']:>6}  "
            f"articles {w['articles']:>6}"
        )
    # Host names, worker ids and states come from Redis: no escape code reaches the terminal.
    return "\n".join(printable(line) for line in lines)
