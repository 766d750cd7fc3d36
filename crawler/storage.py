"""Article storage in SQLite (the embedded default) or PostgreSQL, through one code path.

SQLAlchemy Core with two tables: ``articles``, keyed by canonical URL, with at most one row
per body within a site (a unique index on site and body fingerprint) and ``duplicate_of``
linking a body already stored by another site; and ``variants``, the other URLs of a
site's article (print copies, AMP, tracking variants). Writing one article is
crawler/storing.py's job; this module holds the engine, the schema and the reads.
``init_schema`` is the one step that creates (and upgrades) the schema, serialized by a
database lock (an advisory lock on PostgreSQL, an immediate write transaction on SQLite)
because racing CREATE TABLEs fail on both. Everything goes through bound parameters, never
string formatting.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from crawler.fingerprints import body_marks as fingerprint_marks
from crawler.items import ARTICLE_FIELDS
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
    # The URL of the earlier article of another site with the same body, or NULL.
    sa.Column("duplicate_of", sa.Text, index=True),
    # Assigned by the database each time the row is stored or changed, in commit order:
    # what `export --since last-run` counts by (workers' clocks, and articles replayed late
    # from a spool with their old fetch times, cannot say what arrived since).
    sa.Column("seq", sa.BigInteger, index=True),
)

# Named counters: "articles" hands out articles.seq (one row, updated in the storing
# transaction, so that seq follows commit order).
counters = sa.Table(
    "counters",
    metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

# Where each `export --since last-run` stopped, by what it exported (its site filter).
export_marks = sa.Table(
    "export_marks",
    metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("seq", sa.BigInteger, nullable=False),
)
# Within a site, one body is one article: a second URL with it is a variant, never a row.
ONE_BODY_PER_SITE = sa.Index(
    "uq_articles_site_body", articles.c.site, articles.c.text_hash, unique=True
)

# The near fingerprint of each stored article (crawler/fingerprints.py): its marks, indexed
# by site, find the stored articles a new body may be a copy of.
body_marks = sa.Table(
    "body_marks",
    metadata,
    sa.Column("site", sa.Text, nullable=False),
    sa.Column("mark", sa.BigInteger, nullable=False, index=True),
    sa.Column("article_url", sa.Text, nullable=False, index=True),
)

variants = sa.Table(
    "variants",
    metadata,
    sa.Column("url", sa.Text, primary_key=True),
    # The stored article (articles.url) this URL is another address of.
    sa.Column("article_url", sa.Text, nullable=False, index=True),
    sa.Column("site", sa.Text, nullable=False),
    sa.Column("first_seen", sa.Text, nullable=False),  # ISO 8601 UTC
    sa.Column("last_seen", sa.Text, nullable=False),
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
    """Create (or upgrade) the schema once, safely even when several workers start at once."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_SCHEMA_LOCK)))
            metadata.create_all(connection, checkfirst=True)
            _upgrade(connection)
        return
    with engine.connect() as connection:
        # BEGIN IMMEDIATE takes SQLite's write lock first: a second process waits here
        # (busy timeout) instead of failing with "table already exists".
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            metadata.create_all(connection, checkfirst=True)
            _upgrade(connection)
            connection.exec_driver_sql("COMMIT")
        except BaseException:
            connection.exec_driver_sql("ROLLBACK")
            raise


def _upgrade(connection: sa.Connection) -> None:
    """Bring a database written by an earlier newscrawl up to the current schema.

    ``create_all`` creates missing tables but never changes an existing one: add the
    ``duplicate_of`` column, give every article its marks, fold rows of one site that share
    a body into variants of the earliest of them (earlier versions stored print copies as
    rows when their bodies matched none stored yet), then create the one-body-per-site
    index.
    """
    columns = {c["name"] for c in sa.inspect(connection).get_columns(articles.name)}
    if "duplicate_of" not in columns:
        connection.exec_driver_sql("ALTER TABLE articles ADD COLUMN duplicate_of TEXT")
    if "seq" not in columns:
        connection.exec_driver_sql("ALTER TABLE articles ADD COLUMN seq BIGINT")
        connection.exec_driver_sql("CREATE INDEX IF NOT EXISTS ix_articles_seq ON articles (seq)")
        ordered = connection.execute(
            sa.select(articles.c.url).order_by(articles.c.fetched_at, articles.c.url)
        ).scalars()
        for number, url in enumerate(list(ordered), start=1):
            connection.execute(sa.update(articles).where(articles.c.url == url).values(seq=number))
    if (
        connection.execute(sa.select(counters.c.value).where(counters.c.name == "articles")).first()
        is None
    ):
        highest = connection.execute(sa.select(sa.func.max(articles.c.seq))).scalar() or 0
        connection.execute(sa.insert(counters).values(name="articles", value=highest))
    marked = connection.execute(sa.select(sa.func.count()).select_from(body_marks)).scalar()
    if not marked:
        for url, site, text in connection.execute(
            sa.select(articles.c.url, articles.c.site, articles.c.text)
        ).all():
            insert_marks(connection, url, site, text)
    indexes = {i["name"] for i in sa.inspect(connection).get_indexes(articles.name)}
    if ONE_BODY_PER_SITE.name in indexes:
        return
    rows = connection.execute(
        sa.select(
            articles.c.url, articles.c.site, articles.c.text_hash, articles.c.fetched_at
        ).order_by(articles.c.first_stored_at, articles.c.url)
    ).all()
    keeper: dict[tuple[str, str], str] = {}
    for url, site, body, fetched_at in rows:
        first = keeper.setdefault((site, body), url)
        if first != url:
            connection.execute(sa.delete(articles).where(articles.c.url == url))
            connection.execute(
                sa.insert(variants).values(
                    url=url, article_url=first, site=site, first_seen=fetched_at,
                    last_seen=fetched_at,
                )
            )  # fmt: skip
    ONE_BODY_PER_SITE.create(connection, checkfirst=True)


def insert_marks(connection: sa.Connection, url: str, site: str, text: str) -> None:
    """Index the near fingerprint of a stored article."""
    marks = [{"site": site, "mark": mark, "article_url": url} for mark in fingerprint_marks(text)]
    if marks:
        connection.execute(sa.insert(body_marks), marks)


def variants_of(engine: Engine, article_url: str) -> list[str]:
    """The other URLs of a stored article, oldest first."""
    query = (
        sa.select(variants.c.url)
        .where(variants.c.article_url == article_url)
        .order_by(variants.c.first_seen, variants.c.url)
    )
    with engine.connect() as connection:
        return list(connection.execute(query).scalars())


def row_to_article(row: Any) -> dict[str, Any]:
    """A stored row as the exported article dict (contract field order)."""
    data = dict(row._mapping)
    data["authors"] = json.loads(data["authors"] or "[]")
    data["tags"] = json.loads(data["tags"] or "[]")
    return {name: data.get(name) for name in ARTICLE_FIELDS}


def iter_articles(
    engine: Engine,
    site: str | None = None,
    since: str | None = None,
    unique: bool = False,
    after_seq: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Stored articles, oldest fetch first; ``since`` compares with ``fetched_at``;
    ``unique`` leaves out the later copies of a story another site stored first;
    ``after_seq`` gives those stored (or changed) after that sequence number, in that order,
    each with its ``seq``."""
    query = sa.select(articles).order_by(articles.c.fetched_at, articles.c.url)
    if after_seq is not None:
        query = sa.select(articles).where(articles.c.seq > after_seq).order_by(articles.c.seq)
    if site:
        query = query.where(articles.c.site == site)
    if since:
        query = query.where(articles.c.fetched_at >= since)
    if unique:
        query = query.where(articles.c.duplicate_of.is_(None))
    with engine.connect() as connection:
        for row in connection.execution_options(stream_results=True).execute(query):
            article = row_to_article(row)
            if after_seq is not None:
                article["seq"] = row.seq
            yield article


def export_mark(engine: Engine, name: str) -> int:
    """Where the last ``export --since last-run`` of ``name`` stopped (0: never ran)."""
    with engine.connect() as connection:
        found = connection.execute(
            sa.select(export_marks.c.seq).where(export_marks.c.name == name)
        ).scalar()
    return int(found or 0)


def set_export_mark(engine: Engine, name: str, seq: int) -> None:
    """Remember that ``name`` has exported everything up to ``seq``."""
    with engine.begin() as connection:
        if (
            connection.execute(
                sa.update(export_marks).where(export_marks.c.name == name).values(seq=seq)
            ).rowcount
            == 0
        ):
            connection.execute(sa.insert(export_marks).values(name=name, seq=seq))


def highest_seq(engine: Engine) -> int:
    """The sequence number of the last article stored or changed (0: none yet)."""
    with engine.connect() as connection:
        return int(connection.execute(sa.select(sa.func.max(articles.c.seq))).scalar() or 0)


def count_by_site(
    engine: Engine, since: str | None = None, after_seq: int | None = None
) -> dict[str, int]:
    """Stored articles per site; ``since`` compares with ``fetched_at``, ``after_seq`` with
    the sequence number the database gave each row when it was stored or changed."""
    query = sa.select(articles.c.site, sa.func.count()).group_by(articles.c.site)
    if since:
        query = query.where(articles.c.fetched_at >= since)
    if after_seq is not None:
        query = query.where(articles.c.seq > after_seq)
    with engine.connect() as connection:
        return {site: int(n) for site, n in connection.execute(query)}
