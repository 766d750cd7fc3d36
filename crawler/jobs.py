"""The one-shot crawl job behind ``newscrawl crawl``: seed, run N workers, report.

Seeds the targets into the shared frontier, starts N worker processes (each a
``newscrawl worker`` in crawl mode, exiting once the frontier is drained and nothing is
leased), shows progress read from Redis, and ends with a summary: pages fetched, articles
stored per site, elapsed time and one sample article. SIGINT/SIGTERM are passed on to the
workers, which drain gracefully. Worker logs go to files under the data folder.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from scrapy.settings import Settings

from crawler import storage
from crawler.coordination.frontier import Frontier
from crawler.sanitize import printable
from crawler.status import gather

# How often the progress line is refreshed.
PROGRESS_SECONDS = 1.0
# After the deadline's graceful stop, how long workers may take to finish in-flight pages
# before they are stopped at once: a page download may last DOWNLOAD_TIMEOUT (30 s).
_STOP_GRACE_SECONDS = 30.0


@dataclass
class CrawlSummary:
    """What a crawl job did."""

    pages: int = 0
    articles: int = 0
    per_site: dict[str, int] = field(default_factory=dict)
    elapsed_s: float = 0.0
    dead_letters: int = 0
    refused: int = 0
    worker_exit_codes: list[int] = field(default_factory=list)
    drained: bool = False
    sample: dict[str, Any] | None = None
    log_files: list[str] = field(default_factory=list)
    deadline_reached: bool = False
    # Requests still queued or leased when the crawl ended (fetched by a later run).
    left_queued: int = 0

    @property
    def ok(self) -> bool:
        # Nothing fetched because every address was refused is a failed crawl, not a
        # finished one.
        everything_refused = self.pages == 0 and self.refused > 0
        return (
            self.drained
            and all(code == 0 for code in self.worker_exit_codes)
            and not everything_refused
        )


def _signal_all(processes: list[subprocess.Popen[bytes]], signum: int) -> None:
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signum)


def worker_command(settings_args: list[str]) -> list[str]:
    """The argv of one crawl-mode worker."""
    return [sys.executable, "-m", "crawler.cli", "worker", *settings_args]


def start_workers(
    count: int, settings_args: list[str], log_dir: Path, env: dict[str, str] | None = None
) -> tuple[list[subprocess.Popen[bytes]], list[Path]]:
    """Start ``count`` crawl-mode workers with their output in ``log_dir``."""
    log_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    processes, logs = [], []
    for index in range(count):
        log_path = log_dir / f"crawl-{stamp}-worker-{index + 1}.log"
        with log_path.open("ab") as log:
            processes.append(
                subprocess.Popen(
                    worker_command([*settings_args, "-s", "NEWS_EXIT_WHEN_DRAINED=true"]),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                    env=env,
                    # Their own session: a terminal's Ctrl-C (or systemd stopping the
                    # command's group) reaches them once, through forward(), not twice,
                    # which Scrapy takes as "stop now, uncleanly".
                    start_new_session=True,
                )
            )
        logs.append(log_path)
    return processes, logs


def run_crawl_job(
    *,
    settings: Settings,
    settings_args: list[str],
    worker_env: dict[str, str],
    frontier: Frontier,
    redis_url: str,
    engine: Any,
    sites: list[str],
    workers: int,
    out: IO[str],
    seed: Callable[[], None],
) -> CrawlSummary:
    """Seed, run the workers until the frontier is drained, and summarize."""
    started = time.monotonic()
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    before = gather(frontier, redis_url, settings.getfloat("NEWS_WORKER_DEAD_SECONDS"))
    seed()
    log_dir = Path(settings.get("NEWS_DATA_DIR")) / "logs"
    processes, logs = start_workers(workers, settings_args, log_dir, env=worker_env)
    summary = CrawlSummary(log_files=[str(p) for p in logs])
    out.write(f"Started {workers} workers (logs: {log_dir}/)\n")
    interrupted = False

    def forward(signum: int, _frame: object) -> None:
        nonlocal interrupted
        interrupted = True
        _signal_all(processes, signum)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    deadline = settings.getfloat("NEWS_CRAWL_DEADLINE_SECONDS")
    stop_asked_at: float | None = None
    try:
        last_line = 0.0
        while any(p.poll() is None for p in processes):
            time.sleep(0.2)
            now = time.monotonic()
            if now - last_line >= PROGRESS_SECONDS:
                last_line = now
                _progress(out, frontier, redis_url, settings, before, started)
            if deadline and stop_asked_at is None and now - started >= deadline:
                # Graceful: in-flight pages are finished, the rest is handed back and stays
                # queued for the next run.
                out.write(f"\nDeadline of {deadline:g} s reached: stopping the workers\n")
                summary.deadline_reached = True
                stop_asked_at = now
                _signal_all(processes, signal.SIGTERM)
            elif stop_asked_at is not None and now - stop_asked_at >= _STOP_GRACE_SECONDS:
                # Still busy: a second SIGTERM stops Scrapy at once; leases expire and go
                # back to the queue, so nothing is lost.
                stop_asked_at = float("inf")
                _signal_all(processes, signal.SIGTERM)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    summary.worker_exit_codes = [p.returncode for p in processes]
    after = gather(frontier, redis_url, settings.getfloat("NEWS_WORKER_DEAD_SECONDS"))
    if sys.stderr.isatty() and out is sys.stderr:
        out.write("\n")
    summary.elapsed_s = time.monotonic() - started
    summary.pages = after["totals"].get("pages", 0) - before["totals"].get("pages", 0)
    summary.articles = after["totals"].get("articles", 0) - before["totals"].get("articles", 0)
    summary.dead_letters = after["dead_letters"]
    summary.refused = after["totals"].get("refused", 0) - before["totals"].get("refused", 0)
    summary.drained = not interrupted and after["queued"] == 0 and after["leased"] == 0
    summary.left_queued = after["queued"] + after["leased"]
    summary.per_site = _stored_per_site(engine, started_at, sites)
    summary.sample = _sample(engine, started_at)
    return summary


def _progress(
    out: IO[str],
    frontier: Frontier,
    redis_url: str,
    settings: Settings,
    before: dict[str, Any],
    started: float,
) -> None:
    try:
        now = gather(frontier, redis_url, settings.getfloat("NEWS_WORKER_DEAD_SECONDS"))
    except Exception:
        return
    pages = now["totals"].get("pages", 0) - before["totals"].get("pages", 0)
    articles = now["totals"].get("articles", 0) - before["totals"].get("articles", 0)
    line = (
        f"[{time.monotonic() - started:6.1f}s] pages {pages:>6}  articles {articles:>6}  "
        f"queued {now['queued']:>6}  leased {now['leased']:>4}  "
        f"workers {now['workers_alive']}  dead letters {now['dead_letters']}"
    )
    line = printable(line)  # anything shown from Redis stays inert on the terminal
    if out.isatty():
        out.write("\r" + line)
    else:
        out.write(line + "\n")
    out.flush()


def _stored_per_site(engine: Any, since: str, sites: list[str]) -> dict[str, int]:
    return {**dict.fromkeys(sites, 0), **storage.count_by_site(engine, since=since)}


def _sample(engine: Any, since: str) -> dict[str, Any] | None:
    best = None
    for article in storage.iter_articles(engine, since=since):
        if best is None or len(article["text"]) > len(best["text"]):
            best = article
    return best


def format_summary(summary: CrawlSummary) -> str:
    """The end-of-crawl report."""
    lines = [
        "",
        "Crawl "
        + ("finished" if summary.ok else "ended with problems")
        + f" in {summary.elapsed_s:.1f} s",
        f"  pages fetched     {summary.pages}",
        f"  articles stored   {summary.articles}",
    ]
    for site, n in sorted(summary.per_site.items()):
        lines.append(f"    {site:<30} {n}")
    lines.append(f"  dead letters      {summary.dead_letters}")
    if summary.deadline_reached:
        lines.append(
            f"  deadline reached  {summary.left_queued} requests left queued for the next run"
        )
    if summary.refused:
        lines.append(
            f"  refused           {summary.refused} requests to loopback or private addresses "
            "(pass --allow-private to crawl such a site)"
        )
    if not summary.ok:
        codes = ", ".join(str(c) for c in summary.worker_exit_codes)
        lines.append(f"  worker exit codes {codes}  (logs: {', '.join(summary.log_files)})")
    if summary.sample:
        sample = summary.sample
        text = sample["text"]
        preview = text[:500] + ("..." if len(text) > 500 else "")
        lines += [
            "",
            "Sample article:",
            f"  title      {sample['title']}",
            f"  url        {sample['url']}",
            f"  authors    {', '.join(sample['authors']) or '-'}",
            f"  published  {sample['published'] or '-'}",
            f"  text       {len(text)} characters:",
            "",
            *("    " + line for line in preview.splitlines()),
        ]
    # Titles, URLs, text and site names come from the web: no escape code reaches the terminal.
    return "\n".join(printable(line) for line in lines)
