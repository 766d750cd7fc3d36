"""Article storage on SQLite and on the real PostgreSQL, through the one code path."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
import traceback

import pytest
import sqlalchemy as sa

from crawler import storage
from crawler.fingerprints import text_hash
from crawler.items import ARTICLE_FIELDS, Article
from crawler.storing import store_article

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)]


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'articles.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def engine(db_url):
    engine = storage.create_db_engine(db_url)
    storage.init_schema(engine)
    yield engine
    engine.dispose()


def article(url="https://news.example/a/1", **fields):
    data = {
        "url": url,
        "site": "news",
        "title": "Title",
        "authors": ["Ann Author"],
        "published": "2024-05-01T10:00:00+02:00",
        "modified": None,
        "language": "en",
        "description": "Standfirst",
        "image": "https://news.example/i.jpg",
        "tags": ["politics"],
        # one body per URL: within a site an identical body is a variant, not a new row
        "text": f"First paragraph of {url}.\n\nSecond paragraph.",
        "duplicate_of": None,
        "fetched_at": "2024-05-01T09:00:00+00:00",
    }
    data.update(fields)
    return data


def stored_rows(engine):
    with engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(sa.select(storage.articles))]


def test_init_schema_is_idempotent(engine):
    storage.init_schema(engine)
    storage.init_schema(engine)
    store_article(engine, article())
    storage.init_schema(engine)  # must not drop or recreate anything
    assert len(stored_rows(engine)) == 1
    assert sa.inspect(engine).has_table("articles")


def test_round_trip_in_contract_order(engine):
    store_article(engine, article())
    (exported,) = storage.iter_articles(engine)
    assert list(exported) == list(ARTICLE_FIELDS)
    assert exported == article()


def test_article_dataclass_is_accepted(engine):
    store_article(engine, Article(url="https://news.example/dc", site="s", title="T", text="body",
                                   fetched_at="2024-01-01T00:00:00+00:00"))  # fmt: skip
    (exported,) = storage.iter_articles(engine)
    assert exported["url"] == "https://news.example/dc"
    assert exported["authors"] == [] and exported["tags"] == []
    assert exported["published"] is None


def test_the_same_url_keeps_one_row_with_the_second_version(engine):
    store_article(engine, article(title="First", fetched_at="2024-05-01T09:00:00+00:00"))
    store_article(engine, article(title="Second", text="New body.", authors=["B"],
                                   fetched_at="2024-05-02T09:00:00+00:00"))  # fmt: skip
    (row,) = stored_rows(engine)
    assert row["title"] == "Second"
    assert row["text"] == "New body."
    assert row["authors"] == '["B"]'
    assert row["updates"] == 1
    assert row["fetched_at"] == "2024-05-02T09:00:00+00:00"
    assert row["first_stored_at"] == "2024-05-01T09:00:00+00:00"
    assert row["text_hash"] == text_hash("New body.")
    store_article(engine, article(title="Third"))
    assert stored_rows(engine)[0]["updates"] == 2


def test_missing_fetched_at_is_filled_in(engine):
    store_article(engine, article(fetched_at=None))
    (row,) = stored_rows(engine)
    assert row["fetched_at"].endswith("+00:00") and row["fetched_at"][:2] == "20"


HOSTILE = "it's a \"quote\" '); DROP TABLE articles; -- \\ % _ ; \u00fc\u6f22\U0001f600"


def test_hostile_values_are_stored_and_read_back_safely(engine):
    store_article(
        engine,
        article(
            url="https://news.example/x?q='); DROP TABLE articles; --",
            site=HOSTILE,
            title=HOSTILE + "\x00nul",
            authors=[HOSTILE, "lone \ud800 surrogate", "nul\x00byte"],
            tags=["\udfff", "ok"],
            description="a\x00b\x00c",
            text="body " + HOSTILE,
        ),
    )
    (exported,) = storage.iter_articles(engine)
    assert exported["url"] == "https://news.example/x?q='); DROP TABLE articles; --"
    assert exported["site"] == HOSTILE
    assert exported["title"] == HOSTILE + "nul"
    assert exported["authors"] == [HOSTILE, "lone ? surrogate", "nulbyte"]
    assert exported["tags"] == ["?", "ok"]
    assert exported["description"] == "abc"
    assert exported["text"] == "body " + HOSTILE
    assert sa.inspect(engine).has_table("articles")
    assert storage.count_by_site(engine) == {HOSTILE: 1}


def test_ten_megabytes_of_text(engine):
    text = ("A long paragraph of text. " * 40 + "\n\n") * 9_700
    assert len(text) > 10_000_000
    store_article(engine, article(text=text + "\x00"))
    (exported,) = storage.iter_articles(engine)
    assert len(exported["text"]) == len(text)
    assert exported["text"] == text


def test_iter_articles_filters_and_order(engine):
    store_article(
        engine, article("https://a.example/3", site="a", fetched_at="2024-05-03T00:00:00+00:00")
    )
    store_article(
        engine, article("https://a.example/1", site="a", fetched_at="2024-05-01T00:00:00+00:00")
    )
    store_article(
        engine, article("https://b.example/2", site="b", fetched_at="2024-05-02T00:00:00+00:00")
    )
    store_article(
        engine, article("https://a.example/0", site="a", fetched_at="2024-05-02T00:00:00+00:00")
    )
    urls = [a["url"] for a in storage.iter_articles(engine)]
    assert urls == ["https://a.example/1", "https://a.example/0", "https://b.example/2",
                    "https://a.example/3"]  # fmt: skip
    only_a = [a["url"] for a in storage.iter_articles(engine, site="a")]
    assert only_a == ["https://a.example/1", "https://a.example/0", "https://a.example/3"]
    since = [a["url"] for a in storage.iter_articles(engine, since="2024-05-02T00:00:00+00:00")]
    assert since == ["https://a.example/0", "https://b.example/2", "https://a.example/3"]
    both = [
        a["url"] for a in storage.iter_articles(engine, site="b", since="2024-05-02T00:00:01+00:00")
    ]
    assert both == []
    assert list(storage.iter_articles(engine, site="nope")) == []


def test_count_by_site(engine):
    assert storage.count_by_site(engine) == {}
    for i in range(3):
        store_article(engine, article(f"https://a.example/{i}", site="a"))
    store_article(engine, article("https://b.example/1", site="b"))
    store_article(engine, article("https://a.example/0", site="a"))  # an update, not a new row
    assert storage.count_by_site(engine) == {"a": 3, "b": 1}
    later = article("https://c.example/1", site="c")
    later["fetched_at"] = "2099-01-01T00:00:00+00:00"
    store_article(engine, later)
    assert storage.count_by_site(engine, since="2098-01-01T00:00:00+00:00") == {"c": 1}


# --- errors ---------------------------------------------------------------------------------


def test_check_connection_masks_the_password():
    engine = storage.create_db_engine("postgresql://u:s3cret@127.0.0.1:1/x")
    try:
        with pytest.raises(storage.StorageError) as info:
            storage.check_connection(engine)
    finally:
        engine.dispose()
    message = str(info.value)
    assert "s3cret" not in message
    assert "u:***@127.0.0.1:1" in message
    assert "\n" not in message
    assert message.startswith("cannot reach the database at ")


def test_check_connection_succeeds_on_sqlite(tmp_path):
    engine = storage.create_db_engine(f"sqlite:///{tmp_path / 'sub' / 'dir' / 'a.db'}")
    storage.check_connection(engine)  # the folder is created
    engine.dispose()
    assert (tmp_path / "sub" / "dir" / "a.db").exists()


@pytest.mark.parametrize(
    "url", ["mysql://u:s3cret@host/db", "not a url at all", "redis://:s3cret@h/0"]
)
def test_unsupported_or_invalid_urls_raise_storage_error(url):
    with pytest.raises(storage.StorageError) as info:
        storage.create_db_engine(url)
    assert "s3cret" not in str(info.value)


def test_sqlite_switch_to_wal_waits_for_a_concurrent_lock(tmp_path):
    """A new file still in rollback mode, locked by another process for a moment (as when
    workers start together): connecting waits instead of failing with "database is locked",
    which SQLite reports at once for the switch to WAL, ignoring the busy timeout."""
    path = tmp_path / "fresh.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.5, holder.execute, args=("COMMIT",))
    release.start()
    engine = storage.create_db_engine(f"sqlite:///{path}")
    try:
        started = time.monotonic()
        storage.init_schema(engine)
        assert time.monotonic() - started >= 0.4
        with engine.connect() as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
        assert mode == "wal"
    finally:
        release.join()
        holder.close()
        engine.dispose()


# --- concurrent schema creation -------------------------------------------------------------

_RACERS = 6


def _race_init_schema(url, barrier, results):
    try:
        engine = storage.create_db_engine(url)
        barrier.wait(timeout=60)
        storage.init_schema(engine)
        store_article(
            engine, article(f"https://race.example/{multiprocessing.current_process().name}")
        )
        engine.dispose()
        results.put("ok")
    except BaseException:
        results.put(traceback.format_exc())


@pytest.mark.timeout(180)
def test_concurrent_init_schema_on_a_fresh_database(db_url):
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(_RACERS)
    results = context.Queue()
    processes = [
        context.Process(target=_race_init_schema, args=(db_url, barrier, results), name=f"p{i}")
        for i in range(_RACERS)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    assert outcomes == ["ok"] * _RACERS, "\n".join(o for o in outcomes if o != "ok")
    assert [p.exitcode for p in processes] == [0] * _RACERS
    engine = storage.create_db_engine(db_url)
    try:
        assert sum(storage.count_by_site(engine).values()) == _RACERS
    finally:
        engine.dispose()
