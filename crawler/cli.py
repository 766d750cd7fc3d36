"""``newscrawl``: the operator's command. Parses arguments and calls functions tests call too.

Every command follows ../shared/DESIGN.md ("Command line"). Bad input (unreachable Redis
or database, unknown site, malformed URL, bad ``-s`` value, missing file) ends with one
clear line on stderr and exit code 2, never a traceback; passwords in URLs are masked.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import IO, NoReturn

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class BadInput(Exception):
    """Operator error: printed as one line, exit code 2."""


def _fail(message: str) -> NoReturn:
    raise BadInput(message)


# --- argument parsing -----------------------------------------------------------------------
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
        print(f"{self.prog}: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _OneLineParser(
        prog="newscrawl",
        description="Distributed news crawler: Redis-coordinated Scrapy workers, clean articles.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(sub: argparse.ArgumentParser, *, db: bool = False, settings: bool = True) -> None:
        sub.add_argument("--redis", metavar="URL", help="Redis URL (default: REDIS_URL, "
                         "else 127.0.0.1:6379, else an embedded Redis)")  # fmt: skip
        if db:
            sub.add_argument("--db", metavar="URL", help="database URL (default: DATABASE_URL, "
                             "else sqlite:///data/articles.db)")  # fmt: skip
        if settings:
            sub.add_argument("-s", dest="settings", action="append", default=[],
                             metavar="NAME=VALUE", help="override a setting (repeatable)")  # fmt: skip

    crawl = commands.add_parser("crawl", help="seed targets and crawl them with N workers")
    crawl.add_argument("targets", nargs="+", metavar="TARGET", help="declared site or home URL")
    crawl.add_argument("--workers", type=_positive, default=2, metavar="N")
    crawl.add_argument("--allow-private", action="store_true",
                       help="allow loopback and private addresses")  # fmt: skip
    common(crawl, db=True)

    worker = commands.add_parser("worker", help="long-running worker on the shared frontier")
    worker.add_argument("--allow-private", action="store_true")
    common(worker, db=True)

    seed = commands.add_parser("seed", help="push targets' entry points into the frontier")
    seed.add_argument("targets", nargs="+", metavar="TARGET")
    common(seed)

    status = commands.add_parser("status", help="frontier, leases, dead letters, workers")
    status.add_argument("--json", action="store_true")
    common(status)

    dead = commands.add_parser("dead", help="list or requeue dead letters")
    dead.add_argument("action", choices=["list", "requeue"])
    dead.add_argument("--limit", type=_positive, default=100)
    common(dead)

    export = commands.add_parser("export", help="stored articles to stdout")
    export.add_argument("--db", metavar="URL")
    export.add_argument("--site", metavar="NAME")
    export.add_argument("--since", metavar="ISO", help="only articles fetched at or after")
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")

    extract = commands.add_parser("extract", help="extract saved pages to JSON Lines")
    extract.add_argument("paths", nargs="+", metavar="PATH")
    extract.add_argument("--url", metavar="URL", help="the pages' URL (default: their canonical)")

    evaluate = commands.add_parser("eval", help="extraction quality on labelled folders")
    evaluate.add_argument("folders", nargs="+", metavar="DIR")
    evaluate.add_argument("--baseline", default="trafilatura", choices=["trafilatura", "none"])
    evaluate.add_argument("--json", action="store_true")

    sites = commands.add_parser("sites", help="declared sites")
    sites.add_argument("action", choices=["list"])
    sites.add_argument("--json", action="store_true")
    return parser


# --- shared steps -----------------------------------------------------------------------------
def _settings(args: argparse.Namespace):  # noqa: ANN202 - scrapy Settings, imported lazily
    from crawler.config import ConfigError, build_settings

    try:
        return build_settings(
            getattr(args, "settings", []),
            redis_url=getattr(args, "redis", None),
            database_url=getattr(args, "db", None),
            allow_private=getattr(args, "allow_private", False),
        )
    except ConfigError as exc:
        _fail(str(exc))


def _frontier(settings):  # noqa: ANN001, ANN202
    """(frontier, url, embedded server or None) for the settings' Redis."""
    from crawler.config import resolve_redis
    from crawler.coordination.connection import RedisUnavailable, connect
    from crawler.coordination.embedded import EmbeddedRedisError
    from crawler.coordination.frontier import Frontier
    from crawler.coordination.keys import Keys

    try:
        url, embedded = resolve_redis(settings)
        client = connect(url)
    except (RedisUnavailable, EmbeddedRedisError) as exc:
        _fail(str(exc))
    return Frontier(client, Keys(settings.get("NEWS_KEY_PREFIX"))), url, embedded


def _database(settings, *, init: bool):  # noqa: ANN001, ANN202
    from crawler import storage

    try:
        engine = storage.create_db_engine(settings.get("NEWS_DATABASE_URL"))
    except storage.StorageError as exc:
        _fail(str(exc))
    try:
        storage.check_connection(engine)
        if init:
            storage.init_schema(engine)
    except storage.StorageError as exc:
        engine.dispose()
        _fail(str(exc))
    return engine


def _sites(settings, targets: Sequence[str]):  # noqa: ANN001, ANN202
    from crawler.sites import UnknownSite, resolve_targets

    try:
        return resolve_targets(targets, settings)
    except UnknownSite as exc:
        _fail(str(exc))


def _seen_filter(settings, keys):  # noqa: ANN001, ANN202
    from crawler.coordination.seen import SeenFilter

    try:
        return SeenFilter.from_settings(keys, settings)
    except ValueError as exc:
        _fail(str(exc))


def _seed(settings, frontier, sites, out: IO[str]) -> None:  # noqa: ANN001
    from crawler.seeding import seed_sites

    reports = seed_sites(
        frontier,
        _seen_filter(settings, frontier.keys),
        sites,
        default_delay=settings.getfloat("DOWNLOAD_DELAY"),
        default_concurrency=settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
    )
    for report in reports:
        waiting = f", {report.already_waiting} already waiting" if report.already_waiting else ""
        out.write(f"Seeded {report.site}: {report.queued} entry points queued{waiting}\n")


def _settings_args(args: argparse.Namespace) -> list[str]:
    """The worker argv that carries this command's configuration (never a URL: those go
    through the environment, so that no password shows in the process list)."""
    argv = []
    if getattr(args, "allow_private", False):
        argv.append("--allow-private")
    for override in getattr(args, "settings", []):
        argv += ["-s", override]
    return argv


# --- commands ---------------------------------------------------------------------------------
def cmd_crawl(args: argparse.Namespace, out: IO[str]) -> int:
    from crawler.jobs import format_summary, run_crawl_job

    if args.workers < 1:
        _fail("--workers must be at least 1")
    settings = _settings(args)
    sites = _sites(settings, args.targets)
    engine = _database(settings, init=True)
    frontier, url, embedded = _frontier(settings)
    try:
        summary = run_crawl_job(
            settings=settings,
            settings_args=_settings_args(args),
            worker_env={
                **os.environ,
                "REDIS_URL": url,
                "DATABASE_URL": settings.get("NEWS_DATABASE_URL"),
            },
            frontier=frontier,
            redis_url=url,
            engine=engine,
            sites=[s.name for s in sites],
            workers=args.workers,
            out=sys.stderr,
            seed=lambda: _seed(settings, frontier, sites, sys.stderr),
        )
    finally:
        engine.dispose()
        if embedded is not None:
            embedded.stop()
    out.write(format_summary(summary) + "\n")
    return EXIT_OK if summary.ok else EXIT_FAILED


def cmd_worker(args: argparse.Namespace, out: IO[str]) -> int:
    from crawler.coordination.keys import Keys
    from crawler.worker import run_worker

    settings = _settings(args)
    _seen_filter(settings, Keys(settings.get("NEWS_KEY_PREFIX")))  # unusable settings: one line
    _database(settings, init=True).dispose()
    frontier, url, embedded = _frontier(settings)
    frontier.client.close()
    settings.set("NEWS_REDIS_URL", url, priority="cmdline")
    try:
        return run_worker(settings)
    finally:
        if embedded is not None:
            embedded.stop()


def cmd_seed(args: argparse.Namespace, out: IO[str]) -> int:
    settings = _settings(args)
    sites = _sites(settings, args.targets)
    frontier, _url, embedded = _frontier(settings)
    try:
        _seed(settings, frontier, sites, out)
    finally:
        if embedded is not None:
            embedded.stop()
    return EXIT_OK


def cmd_status(args: argparse.Namespace, out: IO[str]) -> int:
    import redis

    from crawler.status import format_status, gather

    settings = _settings(args)
    frontier, url, embedded = _frontier(settings)
    try:
        status = gather(
            frontier,
            url,
            settings.getfloat("NEWS_WORKER_DEAD_SECONDS"),
            seen_capacity=settings.getint("NEWS_SEEN_CAPACITY"),
        )
    except redis.ResponseError as exc:
        first_line = str(exc).splitlines()[0]
        print(f"newscrawl status: frontier data is corrupt ({first_line}); the next worker "
              "sync moves the bad keys aside", file=sys.stderr)  # fmt: skip
        return EXIT_FAILED
    finally:
        if embedded is not None:
            embedded.stop()
    out.write((json.dumps(status, indent=2) if args.json else format_status(status)) + "\n")
    return EXIT_OK


def cmd_dead(args: argparse.Namespace, out: IO[str]) -> int:
    from crawler.deadletters import requeue_dead_letters

    settings = _settings(args)
    frontier, _url, embedded = _frontier(settings)
    try:
        if args.action == "list":
            for entry in frontier.dead_letters(args.limit):
                shown = {k: v for k, v in entry.items() if k != "payload"}
                out.write(json.dumps(shown, ensure_ascii=False) + "\n")
        else:
            requeued, unreadable = requeue_dead_letters(frontier, args.limit)
            out.write(f"Requeued {requeued} dead letters ({unreadable} unreadable kept)\n")
    finally:
        if embedded is not None:
            embedded.stop()
    return EXIT_OK


def _since(value: str | None) -> str | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        _fail(f"--since {value!r} is not an ISO 8601 date or time")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def cmd_export(args: argparse.Namespace, out: IO[str]) -> int:
    from crawler import storage
    from crawler.items import ARTICLE_FIELDS

    settings = _settings(args)
    since = _since(args.since)
    database_file = storage.sqlite_file(settings.get("NEWS_DATABASE_URL"))
    if database_file is not None and not database_file.exists():
        return EXIT_OK  # nothing stored yet; reading must not create the file
    engine = _database(settings, init=False)
    try:
        if not storage.has_schema(engine):
            return EXIT_OK  # no crawl has written here yet
        rows = storage.iter_articles(engine, site=args.site, since=since)
        if args.format == "jsonl":
            for article in rows:
                out.write(json.dumps(article, ensure_ascii=False) + "\n")
        else:
            writer = csv.DictWriter(out, fieldnames=list(ARTICLE_FIELDS))
            writer.writeheader()
            for article in rows:
                article["authors"] = "; ".join(article["authors"])
                article["tags"] = "; ".join(article["tags"])
                writer.writerow(article)
    except storage.SQLAlchemyError as exc:
        message = str(getattr(exc, "orig", exc)).splitlines()[0]
        where = storage.mask_db_url(settings.get("NEWS_DATABASE_URL"))
        _fail(f"cannot read articles from {where}: {message}")
    finally:
        engine.dispose()
    return EXIT_OK


def cmd_extract(args: argparse.Namespace, out: IO[str]) -> int:
    from pathlib import Path

    from crawler.extraction.offline import PageReadError, extract_file_records

    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        _fail(f"no such file or folder: {missing[0]}")
    if args.url:
        from crawler.urls import InvalidUrl, canonical_url

        try:
            canonical_url(args.url)
        except InvalidUrl as exc:
            _fail(str(exc))
    from crawler.config import build_settings
    from crawler.sites import declared_sites
    from crawler.urls import host_of

    declared = list(declared_sites(build_settings()).values())

    def site_of(url: str) -> str:
        if not url.startswith(("http://", "https://")):
            return ""
        owner = next((site for site in declared if site.owns(url)), None)
        return owner.name if owner else host_of(url)

    failures = 0
    records = extract_file_records(args.paths, url=args.url)
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        except PageReadError as exc:
            failures += 1
            print(f"newscrawl: {exc}", file=sys.stderr)
            continue
        record["site"] = record["site"] or site_of(record["url"])
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return EXIT_FAILED if failures else EXIT_OK


def cmd_eval(args: argparse.Namespace, out: IO[str]) -> int:
    from crawler.extraction.eval_report import run_eval

    try:
        report = run_eval(
            args.folders, None if args.baseline == "none" else args.baseline, args.json
        )
    except ValueError as exc:
        _fail(str(exc))
    out.write(report + "\n")
    return EXIT_OK


def cmd_sites(args: argparse.Namespace, out: IO[str]) -> int:
    from crawler.sites import declared_sites

    settings = _settings(args)
    sites = declared_sites(settings)
    if args.json:
        out.write(json.dumps([_site_json(s) for s in sites.values()], indent=2) + "\n")
        return EXIT_OK
    out.write(f"{'name':<16} {'home':<40} {'delay':>6} {'every':>7}  entry points\n")
    for site in sorted(sites.values(), key=lambda s: s.name):
        delay = "-" if site.delay is None else f"{site.delay:g}s"
        out.write(
            f"{site.name:<16} {site.home:<40} {delay:>6} {site.every_minutes:>5g}m  "
            f"{len(site.entry_points())}\n"
        )
    return EXIT_OK


def _site_json(site) -> dict[str, object]:  # noqa: ANN001
    return {
        "name": site.name,
        "home": site.home,
        "allowed_domains": list(site.allowed_domains),
        "entry_points": [{"url": p.url, "kind": p.kind} for p in site.entry_points()],
        "delay": site.delay,
        "concurrency": site.concurrency,
        "every_minutes": site.every_minutes,
    }


COMMANDS = {
    "crawl": cmd_crawl,
    "worker": cmd_worker,
    "seed": cmd_seed,
    "status": cmd_status,
    "dead": cmd_dead,
    "export": cmd_export,
    "extract": cmd_extract,
    "eval": cmd_eval,
    "sites": cmd_sites,
}


def main(argv: Sequence[str] | None = None, out: IO[str] | None = None) -> int:
    """Entry point of the ``newscrawl`` console script."""
    args = build_parser().parse_args(argv)
    if args.command != "worker":  # workers log through Scrapy's logging setup
        logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
        for noisy in ("scrapy", "twisted", "trafilatura", "htmldate", "urllib3"):
            logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return COMMANDS[args.command](args, out or sys.stdout)
    except BadInput as exc:
        print(f"newscrawl {args.command}: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"newscrawl {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        log = _write_crash_log()
        print(f"newscrawl {args.command}: internal error: {type(exc).__name__}: "
              f"{str(exc).splitlines()[0] if str(exc) else ''} (traceback in {log})",
              file=sys.stderr)  # fmt: skip
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
