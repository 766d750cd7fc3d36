"""``export`` (stored articles to stdout) and ``extract`` (saved pages to JSON Lines)."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any

from crawler import storage
from crawler.commands.common import (
    EXIT_FAILED,
    EXIT_OK,
    DeclarationBroken,
    database_of,
    existing_path,
    fail,
    registry_of,
    settings_of,
)
from crawler.items import ARTICLE_FIELDS
from crawler.masking import mask_url
from crawler.sanitize import csv_cell, json_text, printable
from crawler.sites import Site, SiteRegistry

# `export --since last-run`: what arrived since this export last ran (by the sequence numbers
# the database hands out when it stores a row).
LAST_RUN = "last-run"


def _since(value: str | None) -> str | None:
    if not value or value == LAST_RUN:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fail(f"--since {value!r} is not an ISO 8601 date or time")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC).isoformat(timespec="seconds")
    except OverflowError:  # 0001-01-01T00:00+01:00 is before the first moment there is
        fail(f"--since {value!r} is out of range once in UTC")


def cmd_export(args: argparse.Namespace, out: IO[str]) -> int:
    settings = settings_of(args)
    since = _since(args.since)
    database_file = storage.sqlite_file(settings.get("NEWS_DATABASE_URL"))
    if database_file is not None and existing_path(str(database_file)) is None:
        return EXIT_OK  # nothing stored yet; reading must not create the file
    engine = database_of(settings, init=False)
    try:
        if not storage.has_schema(engine):
            return EXIT_OK  # no crawl has written here yet
        mark_name = f"site={args.site or '*'}" + (" unique" if args.unique else "")
        last_run = args.since == LAST_RUN
        after = storage.export_mark(engine, mark_name) if last_run else None
        rows = storage.iter_articles(
            engine, site=args.site, since=since, unique=args.unique, after_seq=after
        )
        highest = _write_articles(rows, args.format, out)
        if last_run and highest is not None:
            out.flush()  # only once the reader has everything is it marked as exported
            storage.set_export_mark(engine, mark_name, highest)
    except storage.SQLAlchemyError as exc:
        message = str(getattr(exc, "orig", exc)).splitlines()[0]
        where = mask_url(settings.get("NEWS_DATABASE_URL"))
        fail(f"cannot read articles from {where}: {message}")
    finally:
        engine.dispose()
    return EXIT_OK


def _write_articles(rows: Iterator[dict[str, Any]], form: str, out: IO[str]) -> int | None:
    """Write the articles as JSON Lines or CSV; the highest ``seq`` among them, if any."""
    highest = None
    writer = None
    if form == "csv":
        writer = csv.DictWriter(out, fieldnames=list(ARTICLE_FIELDS))
        writer.writeheader()
    for article in rows:
        seq = article.pop("seq", None)
        if seq is not None:
            highest = seq if highest is None else max(highest, seq)
        if writer is None:
            out.write(json_text(article) + "\n")
        else:
            article["authors"] = "; ".join(article["authors"])
            article["tags"] = "; ".join(article["tags"])
            writer.writerow({name: csv_cell(value) for name, value in article.items()})
    return highest


def cmd_extract(args: argparse.Namespace, out: IO[str]) -> int:
    from crawler.extraction.offline import PageReadError, iter_pages, page_url
    from crawler.urls import InvalidUrl, canonical_url

    missing = [p for p in args.paths if existing_path(p) is None]
    if missing:
        fail(f"no such file or folder: {missing[0]}")
    if args.url:
        try:
            canonical_url(args.url)
        except InvalidUrl as exc:
            fail(str(exc))
    settings = settings_of(args)
    registry = registry_of(settings, [args.site] if args.site else [])
    forced = None
    if args.site:
        forced = registry.named(args.site)
        broken = registry.broken_named(args.site)
        if forced is None and broken is not None:
            raise DeclarationBroken(broken.line)
        if forced is None:
            names = ", ".join(sorted(registry.declared)) or "none"
            fail(f"unknown site {args.site!r} (declared sites: {names})")
    failures = 0
    # A saved page is read within the limit a fetched one is (a device, a FIFO or a bomb
    # named .html.gz would otherwise be read for ever).
    pages = iter_pages(args.paths, max_bytes=settings.getint("DOWNLOAD_MAXSIZE"))
    while True:
        try:
            path, data = next(pages)
            record = _record(registry, forced, data, args.url or page_url(data, path))
        except StopIteration:
            break
        except PageReadError as exc:
            failures += 1
            print(printable(f"newscrawl: {exc}"), file=sys.stderr)
            continue
        except Exception as exc:  # a site hook that raised: this page only
            failures += 1
            print(printable(f"newscrawl: {path}: the site's hook failed: {type(exc).__name__}: "
                            f"{str(exc).splitlines()[0] if str(exc) else ''}"),
                  file=sys.stderr)  # fmt: skip
            continue
        record["source"] = path
        out.write(json_text(record) + "\n")
    return EXIT_FAILED if failures else EXIT_OK


def _record(registry: SiteRegistry, forced: Site | None, data: bytes, url: str) -> dict[str, Any]:
    """The stored-article record of one saved page, read by the rules and hooks of
    ``forced`` (``--site``), else of the site its URL belongs to; a page that is no article
    (or a ``file://`` page of no site) keeps what extraction found."""
    from crawler.extraction import analyse_page, decode_html
    from crawler.pages import read_site_page

    html = decode_html(data)
    site = forced
    if site is None and url.startswith(("http://", "https://")):
        site = registry.for_url(url)
    if site is None:
        return analyse_page(html, url).article.to_dict()
    reading = read_site_page(site, html, url, registry=registry)
    article = reading.article or reading.analysis.article
    article.site = site.name
    return article.to_dict()
