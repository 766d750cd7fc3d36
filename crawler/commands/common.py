"""What every ``newscrawl`` command does the same way: settings, Redis, database, sites.

Each helper turns a failure into ``BadInput`` with a one-line message (passwords masked),
which the command line prints with exit code 2: an unusable ``-s`` value, an unreachable
Redis or database, an unknown site, a malformed URL, a path that cannot be used, Redis
data newscrawl did not write.
"""

from __future__ import annotations

import argparse
import logging
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

from scrapy.settings import Settings
from sqlalchemy.engine import Engine

from crawler import storage
from crawler.config import ConfigError, build_settings
from crawler.coordination.connection import CorruptData, RedisError, RedisUnavailable, connect
from crawler.coordination.embedded import EmbeddedRedisError, redis_session
from crawler.coordination.frontier import Frontier
from crawler.coordination.keys import Keys
from crawler.coordination.seen import SeenFilter
from crawler.masking import mask_url
from crawler.outcomes import DECLARATION_BROKEN
from crawler.sites import BrokenSite, Site, SiteRegistry, UnknownSite

logger = logging.getLogger("newscrawl")

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class BadInput(Exception):
    """Operator error: printed as one line, exit code 2."""

    code = EXIT_BAD_INPUT


class DeclarationBroken(BadInput):
    """A command named a declared site whose file is broken: its one line, exit code 6."""

    code = DECLARATION_BROKEN.code


def fail(message: str) -> NoReturn:
    raise BadInput(message)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def existing_path(text: str) -> Path | None:
    """``text`` as a path if something is there, None if nothing is; a path the system
    cannot even look at (too long, a component that is a file, no permission) is bad input."""
    path = Path(text)
    try:
        return path if path.exists() else None
    except (OSError, ValueError) as exc:
        fail(f"cannot use {text!r}: {getattr(exc, 'strerror', None) or _first_line(exc)}")


def data_dir_of(settings: Settings) -> Path:
    """NEWS_DATA_DIR, created and writable (worker logs, spool files, the embedded Redis)."""
    folder = Path(settings.get("NEWS_DATA_DIR"))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        writable = os.access(folder, os.W_OK | os.X_OK)
    except (OSError, ValueError) as exc:
        fail(f"cannot use the data folder {str(folder)!r} (NEWS_DATA_DIR): "
             f"{getattr(exc, 'strerror', None) or _first_line(exc)}")  # fmt: skip
    if not writable:
        fail(f"cannot use the data folder {str(folder)!r} (NEWS_DATA_DIR): not writable")
    return folder


def settings_of(args: argparse.Namespace) -> Settings:
    """The project settings with this command's options and ``-s`` overrides applied."""
    try:
        return build_settings(
            getattr(args, "settings", []),
            redis_url=getattr(args, "redis", None),
            database_url=getattr(args, "db", None),
            allow_private=getattr(args, "allow_private", False),
        )
    except ConfigError as exc:
        fail(str(exc))


@contextmanager
def frontier_of(settings: Settings, *, own_redis: bool = False) -> Iterator[tuple[Frontier, str]]:
    """The frontier of the settings' Redis and that Redis's URL, for the ``with`` block.

    Says in one line which Redis it is (once reached) when it chose one itself (the
    default address, an embedded server): a URL the operator gave needs no announcing, and
    an error after it is reached stays the one line on stderr. An embedded Redis started
    for the command stops when the block ends.
    """
    try:
        with redis_session(
            settings.get("NEWS_REDIS_URL") or None,
            default_url=settings.get("NEWS_REDIS_DEFAULT_URL"),
            data_dir=Path(settings.get("NEWS_DATA_DIR")),
            own=own_redis,
        ) as choice:
            try:
                client = connect(choice.url)
            except RedisUnavailable as exc:
                fail(str(exc))
            if not settings.get("NEWS_REDIS_URL"):
                logger.info("%s", choice.line)
            try:
                yield Frontier(client, Keys(settings.get("NEWS_KEY_PREFIX"))), choice.url
            except CorruptData as exc:
                # Not newscrawl's failure: the frontier holds data it did not write.
                fail(
                    f"frontier data in Redis at {mask_url(choice.url)} is corrupt "
                    f"({_first_line(exc)}); a worker's next sync moves the bad keys aside"
                )
            except RedisError as exc:  # lost after the first answer
                fail(f"lost Redis at {mask_url(choice.url)} ({_first_line(exc)})")
            finally:
                client.close()
    except EmbeddedRedisError as exc:
        fail(str(exc))


def database_of(settings: Settings, *, init: bool) -> Engine:
    """An engine for the settings' database, checked (and its schema created if ``init``)."""
    try:
        engine = storage.create_db_engine(settings.get("NEWS_DATABASE_URL"))
    except storage.StorageError as exc:
        fail(str(exc))
    try:
        storage.check_connection(engine)
        if init:
            storage.init_schema(engine)
    except storage.StorageError as exc:
        engine.dispose()
        fail(str(exc))
    except (storage.SQLAlchemyError, ValueError, TypeError) as exc:  # a read-only file, a
        engine.dispose()  # folder, an option the driver refuses
        reason = _first_line(getattr(exc, "orig", None) or exc)
        fail(f"cannot use the database at {mask_url(settings.get('NEWS_DATABASE_URL'))}: {reason}")
    return engine


def sites_of(settings: Settings, targets: Sequence[str]) -> list[Site]:
    """The sites command-line targets name (declared names or URLs). A target whose
    declaration is broken ends the command with that declaration's one line (exit code 6);
    other broken declarations are logged, and stop nothing."""
    registry = registry_of(settings, targets)
    try:
        return registry.resolve(targets)
    except BrokenSite as exc:
        raise DeclarationBroken(str(exc)) from None
    except UnknownSite as exc:
        fail(str(exc))


def registry_of(settings: Settings, targets: Sequence[str]) -> SiteRegistry:
    """The declared sites, with the broken declarations the targets do not name logged
    (those the targets name are the command's own error, said once)."""
    registry = SiteRegistry.load(settings, log=False)
    for entry in registry.broken:
        if not set(entry.names) & set(targets):
            logger.error("%s", entry.line)
    return registry


def seen_filter_of(settings: Settings, keys: Keys) -> SeenFilter:
    """The seen-filter the settings describe (an unusable one is bad input)."""
    try:
        return SeenFilter.from_settings(keys, settings)
    except ValueError as exc:
        fail(str(exc))


def worker_args(args: argparse.Namespace) -> list[str]:
    """The worker argv that carries this command's configuration (never a URL: those go
    through the environment, so that no password shows in the process list)."""
    argv = []
    if getattr(args, "allow_private", False):
        argv.append("--allow-private")
    for override in getattr(args, "settings", []):
        argv += ["-s", override]
    return argv
