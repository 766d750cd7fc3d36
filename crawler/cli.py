"""``newscrawl``: the operator's command. This module parses arguments; crawler/commands runs them.

Every command follows ../shared/DESIGN.md ("Command line"). Bad input (unreachable Redis
or database, unknown site, malformed URL, bad ``-s`` value, missing file) ends with one
clear line on stderr and exit code 2, never a traceback; passwords in URLs are masked.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import IO, NoReturn

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


class _OneLineParser(argparse.ArgumentParser):
    """Usage errors in one line, like every other bad input (the usage is in --help)."""

    def error(self, message: str) -> NoReturn:
        _say(f"{self.prog}: {message} (see {self.prog} --help)")
        sys.exit(EXIT_BAD_INPUT)


def _say(line: str) -> None:
    """One line on stderr: whatever it quotes (a URL, a path, Redis data), it stays one
    line and carries no escape code to the terminal."""
    from crawler.sanitize import printable

    print(printable(line), file=sys.stderr)


def _common(
    sub: argparse.ArgumentParser, *, redis: bool = True, db: bool = False, settings: bool = True
) -> None:
    if redis:
        sub.add_argument("--redis", metavar="URL", help="Redis URL (default: REDIS_URL, "
                         "else 127.0.0.1:6379, else an embedded Redis)")  # fmt: skip
    if db:
        sub.add_argument("--db", metavar="URL", help="database URL (default: DATABASE_URL, "
                         "else sqlite:///data/articles.db)")  # fmt: skip
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
    crawl.add_argument("targets", nargs="+", metavar="TARGET", help="declared site or home URL")
    crawl.add_argument("--workers", type=_positive, default=2, metavar="N")
    crawl.add_argument("--allow-private", action="store_true",
                       help="allow loopback and private addresses")  # fmt: skip
    _common(crawl, db=True)

    worker = commands.add_parser("worker", help="long-running worker on the shared frontier")
    worker.add_argument("--allow-private", action="store_true")
    _common(worker, db=True)

    seed = commands.add_parser("seed", help="push targets' entry points into the frontier")
    seed.add_argument("targets", nargs="+", metavar="TARGET")
    _common(seed)

    status = commands.add_parser("status", help="frontier, leases, dead letters, workers")
    status.add_argument("--json", action="store_true")
    _common(status)

    dead = commands.add_parser("dead", help="list or requeue dead letters")
    dead.add_argument("action", choices=["list", "requeue"])
    dead.add_argument("--limit", type=_positive, default=100)
    _common(dead)

    export = commands.add_parser("export", help="stored articles to stdout")
    export.add_argument("--db", metavar="URL")
    export.add_argument("--site", metavar="NAME")
    export.add_argument("--since", metavar="ISO", help="only articles fetched at or after")
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")

    extract = commands.add_parser("extract", help="extract saved pages to JSON Lines")
    extract.add_argument("paths", nargs="+", metavar="PATH")
    extract.add_argument("--url", metavar="URL", help="the pages' URL (default: their canonical)")
    extract.add_argument("--site", metavar="NAME",
                         help="read the pages by this declared site's rules and hooks")  # fmt: skip
    _common(extract, redis=False)

    evaluate = commands.add_parser("eval", help="extraction quality on a labelled folder")
    evaluate.add_argument("folder", metavar="DIR")
    evaluate.add_argument("--baseline", default="trafilatura", choices=["trafilatura", "none"])
    evaluate.add_argument("--json", action="store_true")

    sites = commands.add_parser("sites", help="declared sites")
    sites.add_argument("action", choices=["list"])
    sites.add_argument("--json", action="store_true")
    return parser


def _command(name: str) -> Callable[[argparse.Namespace, IO[str]], int]:
    """The function that runs a command (imported on use: `--help` stays fast)."""
    from crawler.commands import articles, crawling, evaluate, frontier, sites

    return {
        "crawl": crawling.cmd_crawl,
        "worker": crawling.cmd_worker,
        "seed": frontier.cmd_seed,
        "status": frontier.cmd_status,
        "dead": frontier.cmd_dead,
        "export": articles.cmd_export,
        "extract": articles.cmd_extract,
        "eval": evaluate.cmd_eval,
        "sites": sites.cmd_sites,
    }[name]


def main(argv: Sequence[str] | None = None, out: IO[str] | None = None) -> int:
    """Entry point of the ``newscrawl`` console script."""
    args = build_parser().parse_args(argv)
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
    except BadInput as exc:
        _say(f"newscrawl {args.command}: {exc}")
        return EXIT_BAD_INPUT
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
