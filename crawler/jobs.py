"""The one-shot crawl job behind ``newscrawl crawl``: seed, run N workers, report.

Seeds the targets into the shared frontier, starts N worker processes (each a
``newscrawl worker`` in crawl mode, exiting once the frontier is drained and nothing is
leased), shows progress read from Redis (live on a terminal, a line every 30 s in a log),
and ends with a summary of this run alone: pages fetched, articles stored per site, dead
letters, elapsed time, one sample article, and the run's outcome (crawler/outcomes.py),
whose code the command exits with. SIGINT/SIGTERM are passed on to the workers, which
drain gracefully. Worker logs go to files under the data folder.
"""

from __future__ import annotations

import contextlib
import logging
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
from crawler.outcomes import OK, Outcome, RunCounts, judge
from crawler.sanitize import printable
from crawler.status import gather

logger = logging.getLogger(__name__)

# How often the progress line is refreshed: live on a terminal; in a log (cron, systemd)
# a line every half minute is enough to see a run move without drowning the log.
PROGRESS_SECONDS = 1.0
LOG_PROGRESS_SECONDS = 30.0
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
    outcome: Outcome = OK
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.outcome is OK

    def to_json(self) -> dict[str, Any]:
        """The summary as one JSON object (``crawl --json``)."""
        return {
            "outcome": self.outcome.name,
            "exit_code": self.outcome.code,
            "reason": self.reason,
            "elapsed_s": round(self.elapsed_s, 1),
            "pages": self.pages,
            "articles": self.articles,
            "per_site": self.per_site,
            "dead_letters": self.dead_letters,
            "refused": self.refused,
            "drained": self.drained,
            "deadline_reached": self.deadline_reached,
            "left_queued": self.left_queued,
            "worker_exit_codes": self.worker_exit_codes,
            "log_files": self.log_files,
            "sample_url": self.sample["url"] if self.sample else None,
        }


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
    out: IO[str] | None,
    seed: Callable[[], None],
    declared: bool = False,
    keep_alive: Callable[[], None] = lambda: None,
) -> CrawlSummary:
    """Seed, run the workers until the frontier is drained, and summarize this run.

    ``out`` takes the progress lines (None: quiet); ``keep_alive`` is called with every
    progress check (the job renews its run lock there)."""
    started = time.monotonic()
    before = gather(frontier, redis_url, settings.getfloat("NEWS_WORKER_DEAD_SECONDS"))
    stored_before = storage.highest_seq(engine)
    seed()
    log_dir = Path(settings.get("NEWS_DATA_DIR")) / "logs"
    processes, logs = start_workers(workers, settings_args, log_dir, env=worker_env)
    summary = CrawlSummary(log_files=[str(p) for p in logs])
    if out is not None:
        out.write(f"Started {workers} workers (logs: {log_dir}/)\n")
    every = PROGRESS_SECONDS if out is not None and out.isatty() else LOG_PROGRESS_SECONDS
    interrupted = False

    def forward(signum: int, _frame: object) -> None:
        nonlocal interrupted
        interrupted = True
        _signal_all(processes, signum)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    deadline = settings.getfloat("NEWS_CRAWL_DEADLINE_SECONDS")
    stop_asked_at: float | None = None
    try:
        last_line = started
        while any(p.poll() is None for p in processes):
            time.sleep(0.2)
            now = time.monotonic()
            if now - last_line >= min(every, PROGRESS_SECONDS * 10):
                keep_alive()
            if now - last_line >= every:
                last_line = now
                if out is not None:
                    _progress(out, frontier, redis_url, settings, before, started)
            if deadline and stop_asked_at is None and now - started >= deadline:
                # Graceful: in-flight pages are finished, the rest is handed back and stays
                # queued for the next run.
                if out is not None:
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
    if out is not None and out.isatty():
        out.write("\n")
    summary.elapsed_s = time.monotonic() - started

    def counted(name: str) -> int:
        return max(0, after["totals"].get(name, 0) - before["totals"].get(name, 0))

    summary.pages = counted("pages")
    summary.articles = counted("articles")
    summary.dead_letters = max(0, after["dead_letters"] - before["dead_letters"])
    summary.refused = counted("refused")
    summary.drained = not interrupted and after["queued"] == 0 and after["leased"] == 0
    summary.left_queued = after["queued"] + after["leased"]
    summary.per_site = _stored_per_site(engine, stored_before, sites)
    summary.sample = _sample(engine, stored_before)
    summary.outcome, summary.reason = judge(
        RunCounts(
            pages=summary.pages,
            articles=summary.articles,
            entry_fetched=counted("entry_fetched"),
            entry_failed=counted("entry_failed"),
            article_pages=counted("article_pages"),
            article_failed=counted("article_failed"),
            refused_by_site=counted("refused_by_site"),
            worker_exit_codes=summary.worker_exit_codes,
            interrupted=interrupted,
            deadline_reached=summary.deadline_reached,
            drained=summary.drained,
            declared=declared,
        )
    )
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
    except Exception as exc:  # a progress line is never worth stopping the crawl for
        logger.warning("No progress line this time: %s: %s", type(exc).__name__, exc)
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


def _stored_per_site(engine: Any, after_seq: int, sites: list[str]) -> dict[str, int]:
    """Articles this run stored (or changed), per site, by the database's sequence numbers."""
    return {**dict.fromkeys(sites, 0), **storage.count_by_site(engine, after_seq=after_seq)}


def _sample(engine: Any, after_seq: int) -> dict[str, Any] | None:
    best = None
    for article in storage.iter_articles(engine, after_seq=after_seq):
        if best is None or len(article["text"]) > len(best["text"]):
            best = article
    return best


def format_summary(summary: CrawlSummary) -> str:
    """The end-of-crawl report."""
    verdict = "finished" if summary.ok else f"ended: {summary.outcome.name} ({summary.reason})"
    lines = [
        "",
        f"Crawl {verdict} in {summary.elapsed_s:.1f} s",
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
        lines.append(f"  exit code         {summary.outcome.code}: {summary.outcome.meaning}")
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
