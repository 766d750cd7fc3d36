"""End-to-end crawls of the demo news site: real worker processes, real Redis, real databases.

``newscrawl crawl`` runs as the operator would run it, with two worker processes, against
the demo site served on a loopback address of the test's own; the stored articles and the
demo server's request log are then checked against the site's ground truth.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest

from tests.crawltools import common_args, run_newscrawl, stored, stored_row_count
from tests.demo_site.server import DemoSite

pytestmark = [pytest.mark.integration, pytest.mark.crawl]


@pytest.fixture
def demo_site():
    with DemoSite(host="127.0.0.3", port=0) as site:
        yield site


def _crawl(site, redis_url, db_url, prefix, tmp_path, *extra):
    args = common_args(redis_url, db_url, prefix, tmp_path / "data")
    return run_newscrawl(
        "crawl", site.base_url, "--workers", "2", "--allow-private",
        *args, "-s", "DOWNLOAD_DELAY=0", *extra, cwd=tmp_path,
    )  # fmt: skip


def _worker_logs(data_dir):
    return "\n".join(p.read_text(errors="replace") for p in sorted(data_dir.glob("logs/*.log")))


def _check_crawl(site, db_url, result, data_dir=None):
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    if data_dir is not None:
        logs = _worker_logs(data_dir)
        # workers run with PYTHONWARNINGS=error: any warning (deprecations included) or
        # crash would show here
        assert "Traceback" not in logs
        assert "Warning" not in logs
    manifest = site.manifest()
    expected = {a["url"]: a for a in manifest["articles"]}
    rows = stored(db_url)
    urls = [row["url"] for row in rows]

    # every article stored exactly once, and nothing but articles
    assert stored_row_count(db_url) == len(urls) == len(set(urls))
    assert set(urls) == set(expected)

    # tracking, print and AMP variants collapsed into canonical URLs
    for url in urls:
        parts = urlsplit(url)
        assert not parts.query and not parts.fragment, url
        assert not parts.path.startswith("/amp/"), url

    # no robots-disallowed URL fetched
    disallowed = tuple(manifest["robots_disallowed_prefixes"])
    fetched = [r["path"] for r in site.requests()]
    assert not [p for p in fetched if p.startswith(disallowed)]

    for row in rows:
        truth = expected[row["url"]]
        # no teaser headline of another story in any stored body
        leaked = [h for h in truth["teaser_headlines"] if h in row["text"]]
        assert not leaked, (row["url"], leaked)
        assert row["text"] == truth["text"], row["url"]
        assert row["title"] == truth["title"]
        assert row["published"][:10] == truth["published"][:10] or _same_instant_day(
            row["published"], truth["published"]
        ), (row["url"], row["published"], truth["published"])
        assert row["site"]
        assert dt.datetime.fromisoformat(row["fetched_at"]).tzinfo is not None
    return rows


def _same_instant_day(got, want):
    a, b = dt.datetime.fromisoformat(got), dt.datetime.fromisoformat(want)
    return a.astimezone(dt.UTC).date() == b.astimezone(dt.UTC).date()


def test_crawl_demo_site_by_url_into_sqlite(demo_site, redis_url, key_prefix, tmp_path):
    db_url = f"sqlite:///{tmp_path / 'articles.db'}"
    result = _crawl(demo_site, redis_url, db_url, key_prefix, tmp_path)
    _check_crawl(demo_site, db_url, result, tmp_path / "data")
    assert "articles stored   30" in result.stdout
    assert "Sample article:" in result.stdout


def test_crawl_into_postgresql_and_recrawl_updates(
    demo_site, redis_url, key_prefix, postgres_url, tmp_path
):
    first = _crawl(demo_site, redis_url, postgres_url, key_prefix, tmp_path)
    _check_crawl(demo_site, postgres_url, first)
    # A second crawl with a fresh frontier fetches every article again: rows are updated,
    # never duplicated (upsert keyed by canonical URL).
    again = _crawl(demo_site, redis_url, postgres_url, key_prefix + "-again", tmp_path)
    rows = _check_crawl(demo_site, postgres_url, again)
    assert len(rows) == 30


def test_second_crawl_on_same_frontier_skips_seen_articles(
    demo_site, redis_url, key_prefix, tmp_path
):
    db_url = f"sqlite:///{tmp_path / 'articles.db'}"
    _check_crawl(demo_site, db_url, _crawl(demo_site, redis_url, db_url, key_prefix, tmp_path))
    fetched_before = len(demo_site.requests())
    second = _crawl(demo_site, redis_url, db_url, key_prefix, tmp_path)
    assert second.returncode == 0, second.stderr
    article_paths = {urlsplit(a["url"]).path for a in demo_site.manifest()["articles"]}
    refetched = [
        r["path"] for r in demo_site.requests()[fetched_before:] if r["path"] in article_paths
    ]
    # entry points are fetched again, articles already seen are not
    assert refetched == []
    again = {r["path"] for r in demo_site.requests()[fetched_before:]}
    assert {"/", "/robots.txt"} <= again
    assert "articles stored   0" in second.stdout
