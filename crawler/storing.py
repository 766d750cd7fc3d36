"""Storing one article: which row it is, decided in one transaction.

At-least-once processing (a page fetched again, a spool replayed, two workers on two
variants of one page) must give one stored article per story and site:

- the URL is stored already: the row is updated in place, unless it belongs to another
  site, which it is never moved to (the page is refused, logged by the caller);
- the site has stored the same body under another URL (the same exact fingerprint, or the
  same article by the near one: a print copy with a dateline more, crawler/fingerprints.py):
  this URL becomes a *variant* of that article (a row of ``variants``), never a second row
  and never a silent drop; unless
  this URL is the article's own address and the stored one a print, AMP or short-link copy
  (``url_preference``): then the row moves to this URL and the other becomes the variant,
  so the stored URL does not depend on which copy was fetched first;
- otherwise a new row, linked with ``duplicate_of`` to the earliest article of another
  site with the same body: a copy published first elsewhere cannot keep a site's own
  article out.

One site's articles are stored by one writer at a time (SQLite's write lock, a PostgreSQL
advisory lock per site), so two workers storing two copies of one article cannot both
make it a row; the one-body-per-site unique index (crawler/storage.py) stands behind it: a
transaction that loses a race is retried and finds the winner's row.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from crawler.fingerprints import MIN_SHARED_MARKS, SAME_ARTICLE, containment, text_hash
from crawler.fingerprints import body_marks as fingerprint_marks
from crawler.items import ARTICLE_FIELDS, Article
from crawler.storage import articles, body_marks, counters, insert_marks, variants
from crawler.urls import url_preference

# The first key of the per-site advisory lock on PostgreSQL ("ncsi" in ASCII); the second
# is the site name's hash.
_SITE_LOCK = 0x6E637369
# Stored articles whose text is compared with a new body, among those sharing the most marks.
_CANDIDATES = 3
# A transaction that lost a race (unique URL or one-body-per-site) is run again: the
# second run finds the winner's row. Two losses in a row would need a third writer of the
# same body at the same moment.
_ATTEMPTS = 3


@dataclass(frozen=True)
class Stored:
    """What storing one article did."""

    # "new", "updated", "variant", "renamed" (the article moved to this, its own, URL) or
    # "refused"
    outcome: str
    # The row's URL: the article itself, or for a variant the article it belongs to.
    url: str
    duplicate_of: str | None = None
    reason: str = ""


def _clean(value: Any) -> Any:
    """Text the databases accept: no NUL bytes (PostgreSQL refuses them), no lone surrogates."""
    if isinstance(value, str):
        value = value.replace("\x00", "")
        return value.encode("utf-8", "replace").decode("utf-8")
    return value


def article_row(article: Article | dict[str, Any]) -> dict[str, Any]:
    """The table row of an article (``duplicate_of`` is storage's to decide, not the item's)."""
    data = article.to_dict() if isinstance(article, Article) else dict(article)
    row = {name: _clean(data.get(name)) for name in ARTICLE_FIELDS if name != "duplicate_of"}
    row["authors"] = json.dumps([_clean(a) for a in data.get("authors") or []], ensure_ascii=False)
    row["tags"] = json.dumps([_clean(t) for t in data.get("tags") or []], ensure_ascii=False)
    row["title"] = row["title"] or ""
    row["text"] = row["text"] or ""
    row["site"] = row["site"] or ""
    row["fetched_at"] = row["fetched_at"] or datetime.now(UTC).isoformat(timespec="seconds")
    row["text_hash"] = text_hash(row["text"])
    return row


def store_article(engine: Engine, article: Article | dict[str, Any]) -> Stored:
    """Store one article as a new row, an update, or a variant (see the module docstring)."""
    row = article_row(article)
    for attempt in range(_ATTEMPTS):
        try:
            with _site_transaction(engine, row["site"]) as connection:
                return _store(connection, row)
        except IntegrityError:
            if attempt == _ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


@contextmanager
def _site_transaction(engine: Engine, site: str) -> Iterator[Connection]:
    """A transaction in which no other writer stores an article of ``site``."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            # SQLite's one write lock, taken before the first read of the transaction
            connection.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield connection
                connection.exec_driver_sql("COMMIT")
            except BaseException:
                connection.exec_driver_sql("ROLLBACK")
                raise
            return
        with connection.begin():
            connection.execute(
                sa.select(sa.func.pg_advisory_xact_lock(_SITE_LOCK, sa.func.hashtext(site)))
            )
            yield connection


def _store(connection: Connection, row: dict[str, Any]) -> Stored:
    url, site, body = row["url"], row["site"], row["text_hash"]
    stored_site = connection.execute(
        sa.select(articles.c.site).where(articles.c.url == url)
    ).scalar()
    if stored_site is not None and stored_site != site:
        return Stored("refused", url, reason=f"{url} is stored for site {stored_site!r}")
    same_body = connection.execute(
        sa.select(articles.c.url).where(
            articles.c.site == site, articles.c.text_hash == body, articles.c.url != url
        )
    ).scalar() or _near_copy(connection, row, same_site=True)
    if same_body is not None:
        if stored_site is not None:
            # this URL's page now has the body of another article of the site
            _forget_article(connection, url)
        elif url_preference(url) < url_preference(same_body):
            _move_article(connection, same_body, row)
            return Stored("renamed", url, reason=f"was stored under {same_body}")
        _record_variant(connection, url, same_body, site, row["fetched_at"])
        return Stored("variant", same_body)
    connection.execute(sa.delete(variants).where(variants.c.url == url))
    earlier = connection.execute(
        sa.select(articles.c.url)
        .where(articles.c.text_hash == body, articles.c.site != site)
        .order_by(articles.c.first_stored_at, articles.c.url)
        .limit(1)
    ).scalar() or _near_copy(connection, row, same_site=False)
    if stored_site is None:
        connection.execute(
            sa.insert(articles).values(
                **row,
                first_stored_at=row["fetched_at"],
                duplicate_of=earlier,
                seq=_next_seq(connection),
            )
        )
        insert_marks(connection, url, site, row["text"])
        return Stored("new", url, duplicate_of=earlier)
    changed = {k: v for k, v in row.items() if k not in {"url", "site"}}
    connection.execute(
        sa.update(articles)
        .where(articles.c.url == url)
        .values(
            **changed,
            duplicate_of=earlier,
            updates=articles.c.updates + 1,
            seq=_next_seq(connection),
        )
    )
    connection.execute(sa.delete(body_marks).where(body_marks.c.article_url == url))
    insert_marks(connection, url, site, row["text"])
    return Stored("updated", url, duplicate_of=earlier)


def _next_seq(connection: Connection) -> int:
    """The next sequence number. The counter row stays locked until this transaction
    commits, so a later number is never committed before an earlier one."""
    return connection.execute(
        sa.update(counters)
        .where(counters.c.name == "articles")
        .values(value=counters.c.value + 1)
        .returning(counters.c.value)
    ).scalar_one()


def _near_copy(connection: Connection, row: dict[str, Any], *, same_site: bool) -> str | None:
    """A stored article (of this site, or of another) that ``row``'s body is the same
    article as by the near fingerprint: the one sharing the most marks, its text compared.
    Of another site, the earliest stored such article."""
    marks = fingerprint_marks(row["text"])
    if not marks:
        return None
    site_test = body_marks.c.site == row["site"] if same_site else body_marks.c.site != row["site"]
    shared = sa.func.count().label("shared")
    candidates = connection.execute(
        sa.select(body_marks.c.article_url, shared)
        .where(body_marks.c.mark.in_(marks), site_test, body_marks.c.article_url != row["url"])
        .group_by(body_marks.c.article_url)
        .having(shared >= MIN_SHARED_MARKS)
        .order_by(shared.desc(), body_marks.c.article_url)
        .limit(_CANDIDATES)
    ).all()
    found = []
    for candidate, _ in candidates:
        stored = connection.execute(
            sa.select(articles.c.text, articles.c.first_stored_at).where(
                articles.c.url == candidate
            )
        ).first()
        if stored is not None and containment(row["text"], stored.text) >= SAME_ARTICLE:
            found.append((stored.first_stored_at, candidate))
    return min(found)[1] if found else None


def _forget_article(connection: Connection, url: str) -> None:
    connection.execute(sa.delete(articles).where(articles.c.url == url))
    connection.execute(sa.delete(body_marks).where(body_marks.c.article_url == url))


def _move_article(connection: Connection, old: str, row: dict[str, Any]) -> None:
    """The article stored under ``old`` now lives under ``row``'s URL, with this fetch's
    fields; ``old`` and the article's other variants point at the new URL."""
    new = row["url"]
    connection.execute(sa.delete(variants).where(variants.c.url == new))
    changed = {k: v for k, v in row.items() if k != "site"}
    connection.execute(
        sa.update(articles)
        .where(articles.c.url == old)
        .values(**changed, updates=articles.c.updates + 1, seq=_next_seq(connection))
    )
    connection.execute(
        sa.update(variants).where(variants.c.article_url == old).values(article_url=new)
    )
    connection.execute(sa.delete(body_marks).where(body_marks.c.article_url == old))
    insert_marks(connection, new, row["site"], row["text"])
    connection.execute(
        sa.update(articles).where(articles.c.duplicate_of == old).values(duplicate_of=new)
    )
    _record_variant(connection, old, new, row["site"], row["fetched_at"])


def _record_variant(
    connection: Connection, url: str, article_url: str, site: str, seen_at: str
) -> None:
    updated = connection.execute(
        sa.update(variants)
        .where(variants.c.url == url)
        .values(article_url=article_url, site=site, last_seen=seen_at)
    ).rowcount
    if not updated:
        connection.execute(
            sa.insert(variants).values(
                url=url, article_url=article_url, site=site, first_seen=seen_at, last_seen=seen_at
            )
        )
