"""``newscrawl``: the operator's command. This module parses arguments; crawler/commands runs them.

Every command follows ../shared/DESIGN.md ("Command line"). Bad input (unreachable Redis
or database, unknown site, malformed URL, bad ``-s`` value, missing file) ends with one
clear line on stderr and exit code 2, never a traceback; passwords in URLs are masked.
Arguments are text: one that is not UTF-8, holds a control character, or is empty where
a value is expected is refused here, before any command runs; so are counts beyond what a
command can do at once.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Callable, Sequence
from typing import IO, NoReturn

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2

# Each worker is a Scrapy process of about 100 MB (memusage/startup in a worker's stats):
# 256 of them need 25 GB, more than one machine should carry. Past that, run
# `newscrawl worker` on more machines.
MAX_WORKERS = 256
# One Redis reply carries the dead letters listed (entries keep up to 10,000 characters of
# what failed: 100 MB at most) and one atomic script call those requeued; run it again
# for more.
MAX_DEAD_LETTERS = 10_000
# A check is a sample, not a crawl: at the default delay of 1 s, 100 articles (and at
# most three candidate pages fetched for each) take a few minutes.
MAX_SAMPLE_ARTICLES = 100
# C0, DEL and C1: no argument of any command takes one (a path, a URL, a setting).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _count(most: int) -> Callable[[str], int]:
    """An argument type: a whole number from 1 to ``most``."""

    def count(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number") from None
        if value < 1:
            raise argparse.ArgumentTypeError("must be at least 1")
        if value > most:
            raise argparse.ArgumentTypeError(f"must be at most {most}")
        return value

    return count


def _text(text: str) -> str:
    """An argument type: a value that is not empty (an empty --db or --redis would
    silently mean the default; an empty path, the current folder)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def _argv_problem(argv: Sequence[str]) -> str | None:
    """Why the raw arguments cannot be read as text, or None."""
    for index, arg in enumerate(argv, 1):
        shown = repr(arg if len(arg) <= 60 else arg[:57] + "...")
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:  # bytes that are not UTF-8 arrive as lone surrogates
            return f"argument {index} ({shown}) is not valid UTF-8 text"
        if _CONTROL.search(arg):
            return f"argument {index} ({shown}) contains a control character"
    return None


class _OneLineParser(argparse.ArgumentParser):
    """Usage errors in one line, like every other bad input (the usage is in --help)."""

    def error(self, message: str) -> NoReturn:
        _say(f"{self.prog}: {message} (see {self.prog} --help)")
        sys.exit(EXIT_BAD_INPUT)


def _say(line: str) -> None:
    """One line on stderr: whatever it quotes (a URL, a path, Redis data), it stays one
    line, carries no escape code to the terminal and no password."""
    from crawler.masking import mask_urls
    from crawler.sanitize import printable

    print(printable(mask_urls(line)), file=sys.stderr)


def _common(
    sub: argparse.ArgumentParser, *, redis: bool = True, db: bool = False, settings: bool = True
) -> None:
    if redis:
        sub.add_argument("--redis", type=_text, metavar="URL", help="Redis URL (default: "
                         "REDIS_URL, else 127.0.0.1:6379, else an embedded Redis)")  # fmt: skip
    if db:
        sub.add_argument("--db", type=_text, metavar="URL", help="database URL (default: "
                         "DATABASE_URL, else sqlite:///data/articles.db)")  # fmt: skip
    if settings:
        sub.add_argument("-s", dest="settings", action="append", default=[],
                         metavar="NAME=VALUE", help="override a setting (repeatable)")  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="newscrawl",
        description="Distributed news crawler: Redis-coordinated Scrapy workers, clean articles.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    crawl = commands.add_parser("crawl", help="seed targets and crawl them with N workers")
    crawl.add_argument("targets", nargs="+", type=_text, metavar="TARGET",
                       help="declared site or home URL")  # fmt: skip
    crawl.add_argument("--workers", type=_count(MAX_WORKERS), default=2, metavar="N",
                       help=f"worker processes to run here (1 to {MAX_WORKERS})")  # fmt: skip
    crawl.add_argument("--allow-private", action="store_true",
                       help="allow loopback and private addresses")  # fmt: skip
    crawl.add_argument("--json", action="store_true",
                       help="write the run's summary as one JSON object")  # fmt: skip
    crawl.add_argument("--quiet", action="store_true", help="print only errors")
    _common(crawl, db=True)

    worker = commands.add_parser("worker", help="long-running worker on the shared frontier")
    worker.add_argument("--allow-private", action="store_true")
    _common(worker, db=True)

    seed = commands.add_parser("seed", help="push targets' entry points into the frontier")
    seed.add_argument("targets", nargs="+", type=_text, metavar="TARGET")
    _common(seed)

    schedule = commands.add_parser(
        "schedule", help="re-seed sites on their schedules (long-running; one leader among many)"
    )
    schedule.add_argument("targets", nargs="*", type=_text, metavar="TARGET",
                          help="declared sites or home URLs (default: every declared site)")  # fmt: skip
    _common(schedule)

    status = commands.add_parser("status", help="frontier, leases, dead letters, workers")
    status.add_argument("--json", action="store_true")
    _common(status)

    dead = commands.add_parser("dead", help="list or requeue dead letters")
    dead.add_argument("action", choices=["list", "requeue"])
    dead.add_argument("--limit", type=_count(MAX_DEAD_LETTERS), default=100,
                      help=f"how many, oldest first (1 to {MAX_DEAD_LETTERS})")  # fmt: skip
    _common(dead)

    export = commands.add_parser("export", help="stored articles to stdout")
    export.add_argument("--db", type=_text, metavar="URL")
    export.add_argument("--site", type=_text, metavar="NAME")
    export.add_argument("--since", type=_text, metavar="ISO",
                        help="only articles fetched at or after ISO; 'last-run': those stored or changed "
                        "since this export last ran with the same --site")  # fmt: skip
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    export.add_argument("--unique", action="store_true",
                        help="one row per story: leave out copies another site stored first")  # fmt: skip

    extract = commands.add_parser("extract", help="extract saved pages to JSON Lines")
    extract.add_argument("paths", nargs="+", type=_text, metavar="PATH")
    extract.add_argument("--url", type=_text, metavar="URL",
                         help="the pages' URL (default: their canonical)")  # fmt: skip
    extract.add_argument("--site", type=_text, metavar="NAME",
                         help="read the pages by this declared site's rules and hooks")  # fmt: skip
    _common(extract, redis=False)

    evaluate = commands.add_parser("eval", help="extraction quality on labelled folders")
    evaluate.add_argument("folders", nargs="+", type=_text, metavar="DIR")
    evaluate.add_argument("--baseline", default="trafilatura", choices=["trafilatura", "none"])
    evaluate.add_argument("--json", action="store_true")

    sites = commands.add_parser("sites", help="declared sites: list, check, add, snapshot, doc")
    sites.add_argument("action", choices=["list", "check", "add", "snapshot", "doc"])
    sites.add_argument("target", nargs="?", type=_text, metavar="NAME|URL",
                       help="check, snapshot: a declared site or a URL; add: the home URL")  # fmt: skip
    sites.add_argument("--json", action="store_true")
    sites.add_argument("--limit", type=_count(MAX_SAMPLE_ARTICLES), default=5, metavar="N",
                       help=f"articles to fetch (1 to {MAX_SAMPLE_ARTICLES})")  # fmt: skip
    sites.add_argument("--name", type=_text, metavar="NAME", help="add: the new site's name")
    sites.add_argument("--dir", type=_text, metavar="DIR",
                       help="add: where the site file goes (spiders); snapshot: where fixtures "
                       "go, doc: where they are read from (tests/sites)")  # fmt: skip
    sites.add_argument("--allow-private", action="store_true",
                       help="allow loopback and private addresses")  # fmt: skip
    _common(sites, redis=False)
    return parser


# The function that runs each command: its module in crawler/commands and its name.
_COMMANDS = {
    "crawl": ("crawling", "cmd_crawl"),
    "worker": ("crawling", "cmd_worker"),
    "seed": ("frontier", "cmd_seed"),
    "schedule": ("scheduling", "cmd_schedule"),
    "status": ("frontier", "cmd_status"),
    "dead": ("frontier", "cmd_dead"),
    "export": ("articles", "cmd_export"),
    "extract": ("articles", "cmd_extract"),
    "eval": ("evaluate", "cmd_eval"),
    "sites": ("sites", "cmd_sites"),
}


def _command(name: str) -> Callable[[argparse.Namespace, IO[str]], int]:
    """The function that runs a command (imported on use: `--help` stays fast)."""
    import importlib

    module, function = _COMMANDS[name]
    return getattr(importlib.import_module(f"crawler.commands.{module}"), function)


def main(argv: Sequence[str] | None = None, out: IO[str] | None = None) -> int:
    """Entry point of the ``newscrawl`` console script."""
    argv = sys.argv[1:] if argv is None else list(argv)
    problem = _argv_problem(argv)
    if problem:
        command = f" {argv[0]}" if argv and argv[0] in _COMMANDS else ""
        _say(f"newscrawl{command}: {problem}")
        return EXIT_BAD_INPUT
    args, unknown = build_parser().parse_known_args(argv)
    if unknown:  # said by the command's name, like its other usage errors
        prog = f"newscrawl {args.command}"
        _say(f"{prog}: unrecognized arguments: {' '.join(unknown)} (see {prog} --help)")
        return EXIT_BAD_INPUT
    if args.command != "worker":  # workers log through Scrapy's logging setup
        from crawler.sanitize import PrintableFormatter

        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(PrintableFormatter("%(message)s"))
        logging.basicConfig(level=logging.INFO, handlers=[handler])
        for noisy in ("scrapy", "twisted", "trafilatura", "htmldate", "urllib3"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
    from crawler.commands.common import BadInput

    try:
        return _command(args.command)(args, out or sys.stdout)
    except BadInput as exc:  # exit code 2, or 6 for a site whose declaration is broken
        _say(f"newscrawl {args.command}: {exc}")
        return exc.code
    except KeyboardInterrupt:
        _say(f"newscrawl {args.command}: interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        log = _write_crash_log()
        _say(f"newscrawl {args.command}: internal error: {type(exc).__name__}: "
             f"{str(exc).splitlines()[0] if str(exc) else ''} (traceback in {log})")  # fmt: skip
        return EXIT_FAILED


def _write_crash_log() -> str:
    """Write the current traceback to a file and return its path."""
    import tempfile
    import traceback

    with tempfile.NamedTemporaryFile(
        "w", prefix="newscrawl-error-", suffix=".log", delete=False
    ) as handle:
        traceback.print_exc(file=handle)
        return handle.name


if __name__ == "__main__":
    sys.exit(main())
