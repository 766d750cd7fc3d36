"""Article storage in SQLite (the embedded default) or PostgreSQL, through one code path.

SQLAlchemy Core with one table keyed by canonical URL. ``upsert`` inserts or updates in a
single statement (``INSERT ... ON CONFLICT (url) DO UPDATE``, which both databases speak),
so at-least-once processing gives exactly-once storage. ``init_schema`` is the one step that
creates the schema, serialized by a database lock (an advisory lock on PostgreSQL, an
immediate write transaction on SQLite) because racing CREATE TABLEs fail on both.
Everything goes through bound parameters, never string formatting.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from crawler.items import ARTICLE_FIELDS, Article
from crawler.masking import mask_url

metadata = sa.MetaData()

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("url", sa.Text, primary_key=True),
    sa.Column("site", sa.Text, nullable=False, index=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("authors", sa.Text, nullable=False),  # JSON list
    sa.Column("published", sa.Text),  # ISO 8601 with offset, as extracted
    sa.Column("modified", sa.Text),
    sa.Column("language", sa.Text),
    sa.Column("description", sa.Text),
    sa.Column("image", sa.Text),
    sa.Column("tags", sa.Text, nullable=False),  # JSON list
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("fetched_at", sa.Text, nullable=False, index=True),  # ISO 8601 UTC
    sa.Column("text_hash", sa.Text, nullable=False, index=True),
    sa.Column("first_stored_at", sa.Text, nullable=False),
    sa.Column("updates", sa.Integer, nullable=False, server_default="0"),
)

# Busy timeout in seconds: several worker processes write to the same SQLite file.
_SQLITE_BUSY_TIMEOUT = 30.0
# Any fixed 64-bit number works; this one is "newscrwl" in ASCII.
_PG_SCHEMA_LOCK = 0x6E657773637277


class StorageError(Exception):
    """The database cannot be used; the message is one line with the password masked."""


def sqlite_file(url: str) -> Path | None:
    """The file of a sqlite:/// URL (None for other databases and in-memory SQLite)."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser()


def has_schema(engine: Engine) -> bool:
    """Whether the articles table exists (a database no crawl has written to has none)."""
    return sa.inspect(engine).has_table(articles.name)


def create_db_engine(url: str) -> Engine:
    """An engine for ``url`` (sqlite:///path or postgresql://...), the SQLite folder created."""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise StorageError(f"invalid database URL {mask_url(url)!r}") from None
    if parsed.port == 0:  # the drivers read port 0 as "the default" (5432), silently
        raise StorageError(f"invalid database URL {mask_url(url)!r}: port 0 is no port")
    try:
        return _engine(parsed, url)
    except NoSuchModuleError as exc:  # a dialect or driver name SQLAlchemy does not know
        raise StorageError(f"unsupported database driver: {exc}") from None
    except ImportError as exc:  # a driver it knows, not installed (asyncpg, psycopg2 ...)
        raise StorageError(
            f"the database driver of {mask_url(url)!r} is not installed ({exc}); "
            "use sqlite:///path or postgresql://..."
        ) from None
    except (ArgumentError, ValueError, TypeError) as exc:  # an option of the URL it refuses
        raise StorageError(f"invalid database URL {mask_url(url)!r}: {exc}") from None


def _engine(parsed: sa.engine.URL, url: str) -> Engine:
    """The engine of a parsed URL (``url`` as given, for messages)."""
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).expanduser().parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StorageError(
                    f"cannot create the folder of {mask_url(url)}: {exc.strerror}"
                ) from None
        engine = sa.create_engine(parsed, connect_args={"timeout": _SQLITE_BUSY_TIMEOUT})
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return sa.create_engine(parsed, pool_pre_ping=True, connect_args={"connect_timeout": 10})
    raise StorageError(
        f"unsupported database {mask_url(url)!r}: use sqlite:///path or postgresql://..."
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (export, status) run while workers write. Switching a new database
    # to WAL takes an exclusive lock, and SQLite answers "database is locked" at once,
    # without its busy timeout, to a connection that switches at the same moment (workers
    # starting together on a fresh file): retry for as long as that timeout.
    deadline = time.monotonic() + _SQLITE_BUSY_TIMEOUT
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def check_connection(engine: Engine) -> None:
    """Raise ``StorageError`` (one line) unless the database answers."""
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except SQLAlchemyError as exc:
        reason = str(exc.orig if getattr(exc, "orig", None) else exc).strip().splitlines()
        where = engine.url.render_as_string(hide_password=True)
        why = reason[0] if reason else type(exc).__name__
        raise StorageError(f"cannot reach the database at {where}: {why}") from None


def init_schema(engine: Engine) -> None:
    """Create the schema once, safely even when several workers start at the same moment."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_SCHEMA_LOCK)))
            metadata.create_all(connection, checkfirst=True)
        return
    with engine.connect() as connection:
        # BEGIN IMMEDIATE takes SQLite's write lock first: a second process waits here
        # (busy timeout) instead of failing with "table already exists".
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            metadata.create_all(connection, checkfirst=True)
            connection.exec_driver_sql("COMMIT")
        except BaseException:
            connection.exec_driver_sql("ROLLBACK")
            raise


def text_hash(text: str) -> str:
    """Fingerprint of a body, insensitive to whitespace: finds one article under two URLs."""
    normalized = " ".join(text.split()).lower()
    return hashlib.blake2b(normalized.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _clean(value: Any) -> Any:
    """Text the databases accept: no NUL bytes (PostgreSQL refuses them), no lone surrogates."""
    if isinstance(value, str):
        value = value.replace("\x00", "")
        return value.encode("utf-8", "replace").decode("utf-8")
    return value


def article_row(article: Article | dict[str, Any]) -> dict[str, Any]:
    """The table row of an article."""
    data = article.to_dict() if isinstance(article, Article) else dict(article)
    row = {name: _clean(data.get(name)) for name in ARTICLE_FIELDS}
    row["authors"] = json.dumps([_clean(a) for a in data.get("authors") or []], ensure_ascii=False)
    row["tags"] = json.dumps([_clean(t) for t in data.get("tags") or []], ensure_ascii=False)
    row["title"] = row["title"] or ""
    row["text"] = row["text"] or ""
    row["site"] = row["site"] or ""
    row["fetched_at"] = row["fetched_at"] or datetime.now(UTC).isoformat(timespec="seconds")
    row["text_hash"] = text_hash(row["text"])
    return row


def _insert(engine: Engine) -> Any:
    return (postgresql if engine.dialect.name == "postgresql" else sqlite).insert(articles)


def upsert(engine: Engine, article: Article | dict[str, Any]) -> None:
    """Insert the article, or update the stored one with the same canonical URL."""
    row = article_row(article)
    row["first_stored_at"] = row["fetched_at"]
    statement = _insert(engine).values(**row)
    changed = {
        name: statement.excluded[name] for name in row if name not in {"url", "first_stored_at"}
    }
    changed["updates"] = articles.c.updates + 1
    statement = statement.on_conflict_do_update(index_elements=["url"], set_=changed)
    with engine.begin() as connection:
        connection.execute(statement)


def stored_url_with_text(engine: Engine, body_hash: str, other_than: str) -> str | None:
    """The URL of another stored article with the same body, if any."""
    query = (
        sa.select(articles.c.url)
        .where(articles.c.text_hash == body_hash, articles.c.url != other_than)
        .limit(1)
    )
    with engine.connect() as connection:
        return connection.execute(query).scalar()


def row_to_article(row: Any) -> dict[str, Any]:
    """A stored row as the exported article dict (contract field order)."""
    data = dict(row._mapping)
    data["authors"] = json.loads(data["authors"] or "[]")
    data["tags"] = json.loads(data["tags"] or "[]")
    return {name: data.get(name) for name in ARTICLE_FIELDS}


def iter_articles(
    engine: Engine, site: str | None = None, since: str | None = None
) -> Iterator[dict[str, Any]]:
    """Stored articles, oldest fetch first; ``since`` compares with ``fetched_at``."""
    query = sa.select(articles).order_by(articles.c.fetched_at, articles.c.url)
    if site:
        query = query.where(articles.c.site == site)
    if since:
        query = query.where(articles.c.fetched_at >= since)
    with engine.connect() as connection:
        for row in connection.execution_options(stream_results=True).execute(query):
            yield row_to_article(row)


def count_by_site(engine: Engine, since: str | None = None) -> dict[str, int]:
    """Stored articles per site; ``since`` compares with ``fetched_at``."""
    query = sa.select(articles.c.site, sa.func.count()).group_by(articles.c.site)
    if since:
        query = query.where(articles.c.fetched_at >= since)
    with engine.connect() as connection:
        return {site: int(n) for site, n in connection.execute(query)}
