"""Storing one article: updates, variants within a site, duplicates across sites, refusals.

Against SQLite and the real PostgreSQL: no site can overwrite or hide another site's
article, a body stored twice within a site is one row plus a variant, and racing workers
still end with one row per body and site. Also the upgrade of a database written before
variants existed.
"""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from crawler import storage
from crawler.fingerprints import text_hash
from crawler.storing import store_article
from tests.test_storage import article, stored_rows

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)]
BODY = "The harbour works begin on Monday.\n\nResidents were told in a letter."


@pytest.fixture(params=BACKENDS)
def engine(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'articles.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = storage.create_db_engine(url)
    storage.init_schema(engine)
    yield engine
    engine.dispose()


def variant_rows(engine):
    with engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(sa.select(storage.variants))]


def test_a_new_url_is_a_new_row(engine):
    stored = store_article(engine, article("https://a.example/1", site="a", text=BODY))
    assert (stored.outcome, stored.url, stored.duplicate_of) == ("new", "https://a.example/1", None)
    assert len(stored_rows(engine)) == 1


def test_the_same_body_under_another_url_of_the_site_is_a_variant(engine):
    store_article(engine, article("https://a.example/story", site="a", text=BODY))
    stored = store_article(
        engine, article("https://a.example/story?print=1", site="a", text=BODY.upper() + "  ")
    )
    assert stored.outcome == "variant" and stored.url == "https://a.example/story"
    assert [r["url"] for r in stored_rows(engine)] == ["https://a.example/story"]
    (variant,) = variant_rows(engine)
    assert variant["url"] == "https://a.example/story?print=1"
    assert variant["article_url"] == "https://a.example/story" and variant["site"] == "a"
    assert storage.variants_of(engine, "https://a.example/story") == [variant["url"]]
    again = store_article(engine, article("https://a.example/story?print=1", site="a", text=BODY))
    assert again.outcome == "variant" and len(variant_rows(engine)) == 1


def test_another_site_cannot_overwrite_a_row(engine):
    store_article(engine, article("https://a.example/story", site="a", title="A's", text=BODY))
    stored = store_article(
        engine, article("https://a.example/story", site="b", title="B's", text="B's own text.")
    )
    assert stored.outcome == "refused" and "'a'" in stored.reason
    (row,) = stored_rows(engine)
    assert (row["site"], row["title"], row["text"]) == ("a", "A's", BODY)


def test_a_copy_on_another_site_cannot_hide_the_original(engine):
    """Site B stores a copy first; site A's original is still stored, linked to B's."""
    first = store_article(engine, article("https://b.example/copy", site="b", text=BODY))
    second = store_article(engine, article("https://a.example/original", site="a", text=BODY))
    assert first.outcome == "new" and first.duplicate_of is None
    assert second.outcome == "new" and second.duplicate_of == "https://b.example/copy"
    rows = {r["url"]: r for r in stored_rows(engine)}
    assert set(rows) == {"https://b.example/copy", "https://a.example/original"}
    assert rows["https://a.example/original"]["duplicate_of"] == "https://b.example/copy"
    unique = [a["url"] for a in storage.iter_articles(engine, unique=True)]
    assert unique == ["https://b.example/copy"]
    exported = {a["url"]: a for a in storage.iter_articles(engine)}
    assert exported["https://a.example/original"]["duplicate_of"] == "https://b.example/copy"


def test_an_update_that_takes_another_articles_body_becomes_its_variant(engine):
    store_article(engine, article("https://a.example/1", site="a", text=BODY))
    store_article(engine, article("https://a.example/2", site="a", text="Another story."))
    stored = store_article(engine, article("https://a.example/2", site="a", text=BODY))
    assert stored.outcome == "variant" and stored.url == "https://a.example/1"
    assert [r["url"] for r in stored_rows(engine)] == ["https://a.example/1"]


def test_a_variant_whose_page_became_its_own_article_is_stored(engine):
    store_article(engine, article("https://a.example/1", site="a", text=BODY))
    store_article(engine, article("https://a.example/1?print=1", site="a", text=BODY))
    stored = store_article(engine, article("https://a.example/1?print=1", site="a", text="New."))
    assert stored.outcome == "new"
    assert variant_rows(engine) == []
    assert len(stored_rows(engine)) == 2


def test_racing_workers_store_one_row_per_body_and_site(engine):
    urls = [f"https://a.example/story?v={i}" for i in range(8)]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(urls))

    def store(url):
        barrier.wait(timeout=30)
        outcomes.append(store_article(engine, article(url, site="a", text=BODY)).outcome)

    threads = [threading.Thread(target=store, args=(url,)) for url in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["new"] + ["variant"] * 7
    assert len(stored_rows(engine)) == 1 and len(variant_rows(engine)) == 7


def test_upgrade_of_a_database_written_before_variants(tmp_path):
    """An earlier schema (no duplicate_of, no variants, same-site copies as rows) upgrades."""
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = storage.create_db_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE articles (url TEXT PRIMARY KEY, site TEXT NOT NULL, title TEXT NOT NULL,"
            " authors TEXT NOT NULL, published TEXT, modified TEXT, language TEXT, description"
            " TEXT, image TEXT, tags TEXT NOT NULL, text TEXT NOT NULL, fetched_at TEXT NOT NULL,"
            " text_hash TEXT NOT NULL, first_stored_at TEXT NOT NULL, updates INTEGER NOT NULL"
            " DEFAULT 0)"
        )
        for name, first in (("story", "2024-01-01"), ("story?print=1", "2024-01-02")):
            connection.exec_driver_sql(
                "INSERT INTO articles VALUES (?, 'a', 'T', '[]', NULL, NULL, NULL, NULL, NULL,"
                " '[]', ?, ?, ?, ?, 0)",
                (f"https://a.example/{name}", BODY, first, text_hash(BODY), first),
            )
    storage.init_schema(engine)
    storage.init_schema(engine)  # a second run changes nothing
    assert [r["url"] for r in stored_rows(engine)] == ["https://a.example/story"]
    assert [v["url"] for v in variant_rows(engine)] == ["https://a.example/story?print=1"]
    assert store_article(engine, article("https://b.example/x", site="b", text=BODY)).duplicate_of
    engine.dispose()


def test_the_articles_own_url_wins_whichever_copy_came_first(engine):
    store_article(engine, article("https://a.example/story?print=1", site="a", title="Print",
                                  text=BODY))  # fmt: skip
    store_article(engine, article("https://a.example/amp/story", site="a", text=BODY))
    store_article(engine, article("https://b.example/copy", site="b", text=BODY))
    stored = store_article(engine, article("https://a.example/story", site="a", title="Own",
                                           text=BODY))  # fmt: skip
    assert stored.outcome == "renamed" and stored.url == "https://a.example/story"
    rows = {r["url"]: r for r in stored_rows(engine)}
    assert set(rows) == {"https://a.example/story", "https://b.example/copy"}
    assert rows["https://a.example/story"]["title"] == "Own"
    assert rows["https://b.example/copy"]["duplicate_of"] == "https://a.example/story"
    assert sorted(v["url"] for v in variant_rows(engine)) == [
        "https://a.example/amp/story", "https://a.example/story?print=1"
    ]  # fmt: skip
    assert {v["article_url"] for v in variant_rows(engine)} == {"https://a.example/story"}
    # and a later copy stays a variant
    later = store_article(engine, article("https://a.example/story?print=2", site="a", text=BODY))
    assert later.outcome == "variant" and later.url == "https://a.example/story"
