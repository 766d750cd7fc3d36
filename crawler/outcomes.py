"""How a crawl ended, as an exit code a cron job can act on: the table of run outcomes.

``newscrawl crawl`` judges its run from what this run alone did (the workers' counters,
before and after; overlapping runs are refused, so the difference is this run's) and exits
with the code of the first outcome that applies, in the order of ``OUTCOMES``. The README
shows the same table; tests/test_outcomes.py checks that it does.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Outcome:
    """One row of the table: an exit code, a name for logs and JSON, and what it means."""

    code: int
    name: str
    meaning: str


OK = Outcome(0, "ok", "the run did its job: the frontier drained and every worker ended well")
FAILED = Outcome(
    1,
    "failed",
    "ended with other problems: a worker crashed or was killed, the run was interrupted, "
    "or the deadline came first (what was not fetched stays queued)",
)
USAGE = Outcome(2, "usage", "bad input: an argument, a setting, an unreachable Redis or database")
UNREACHABLE = Outcome(
    3, "unreachable", "no entry point could be fetched: the site is down or does not resolve"
)
NOTHING_FETCHED = Outcome(
    4,
    "nothing-fetched",
    "nothing was fetched: everything was refused (robots.txt, private addresses)",
)
ARTICLES_FAILED = Outcome(
    5, "articles-failed", "every article page failed (after retries): none could be fetched"
)
DECLARATION_BROKEN = Outcome(
    6,
    "declaration-broken",
    "a declared site is broken: its file cannot be loaded, or its rules refused every "
    "article its pages offered",
)
ALREADY_RUNNING = Outcome(
    7, "already-running", "another crawl runs on this frontier (the same Redis and key prefix)"
)
# Only `sites check` (and `add`, which runs it) ends this way: a crawl that finds no
# article has still done its job, a check has not.
NO_ARTICLES = Outcome(
    8,
    "no-articles",
    "sites check: none of the pages fetched is an article (by the site's rules, or the "
    "generic ones)",
)
OUTCOMES = (
    OK,
    FAILED,
    USAGE,
    UNREACHABLE,
    NOTHING_FETCHED,
    ARTICLES_FAILED,
    DECLARATION_BROKEN,
    ALREADY_RUNNING,
    NO_ARTICLES,
)


@dataclass
class RunCounts:
    """What one run did, from the workers' counters and the job itself."""

    pages: int = 0
    articles: int = 0
    entry_fetched: int = 0
    entry_failed: int = 0
    article_pages: int = 0
    article_failed: int = 0
    refused_by_site: int = 0
    worker_exit_codes: list[int] = field(default_factory=list)
    interrupted: bool = False
    deadline_reached: bool = False
    drained: bool = False
    # Whether a declared site (not only ad-hoc ones) was crawled.
    declared: bool = False


def judge(run: RunCounts) -> tuple[Outcome, str]:
    """The run's outcome and, unless it is OK, why in a few words."""
    if run.interrupted:
        return FAILED, "interrupted"
    crashed = [code for code in run.worker_exit_codes if code != 0]
    if crashed:
        return FAILED, f"{len(crashed)} worker(s) ended with an error"
    if run.entry_failed and not run.entry_fetched:
        return UNREACHABLE, f"{run.entry_failed} entry points failed, none answered"
    if run.pages == 0:
        return NOTHING_FETCHED, "no page was fetched"
    if run.article_failed and not run.article_pages:
        return ARTICLES_FAILED, f"all {run.article_failed} article pages failed"
    if run.declared and run.refused_by_site and not run.articles:
        return DECLARATION_BROKEN, (
            f"the site's rules refused all {run.refused_by_site} articles its pages offered"
        )
    if run.deadline_reached:
        return FAILED, "the deadline came first"
    if not run.drained:
        return FAILED, "the frontier was not drained"
    return OK, ""
