"""Re-crawls fetch only what changed: conditional feeds and sitemaps, moved articles again.

Two ``newscrawl crawl`` runs of the demo site on one frontier, with real workers and Redis,
as two ticks of ``schedule`` would seed it: the second run sends the validators the first
one kept, the demo site answers 304 for what did not change, and an article whose sitemap
``<lastmod>`` moved forward is fetched again and its stored row updated (the sitemap that
lists it read again because its own ``<lastmod>`` in the sitemap index moved).
"""

from __future__ import annotations

import datetime as dt

import pytest
import redis

from crawler.coordination.keys import Keys
from tests.crawltools import common_args, run_newscrawl, stored
from tests.demo_site.server import DemoSite

pytestmark = [pytest.mark.integration, pytest.mark.crawl]

# Entry points of the demo site fetched conditionally (kinds feed and sitemap).
CONDITIONAL_PATHS = {"/sitemap.xml", "/news-sitemap.xml", "/feeds/all.xml"}


@pytest.fixture
def demo_site():
    with DemoSite(host="127.0.0.41", port=0) as site:
        yield site


def _crawl(site, redis_url, db_url, prefix, tmp_path):
    args = common_args(redis_url, db_url, prefix, tmp_path / "data")
    result = run_newscrawl(
        "crawl", site.base_url, "--workers", "1", "--allow-private",
        *args, "-s", "DOWNLOAD_DELAY=0", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _article_paths(site):
    return {a.path for a in site.site.articles}


def test_unchanged_feeds_and_sitemaps_answer_304_and_nothing_is_refetched(
    demo_site, redis_url, key_prefix, tmp_path
):
    db_url = f"sqlite:///{tmp_path / 'articles.db'}"
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    keys = Keys(key_prefix)
    _crawl(demo_site, redis_url, db_url, key_prefix, tmp_path)
    # the feeds' and sitemaps' dates (publication and change) queue no article twice
    fetched = [r["path"] for r in demo_site.requests() if r["path"] in _article_paths(demo_site)]
    flaky = set(demo_site.site.flaky_paths)  # a 500, then a retry
    assert sorted(p for p in fetched if p not in flaky) == sorted(_article_paths(demo_site) - flaky)
    first = len(demo_site.requests())
    rows = len(stored(db_url))
    dead = client.llen(keys.dead_letters)  # the demo's page that always fails with a 500
    _crawl(demo_site, redis_url, db_url, key_prefix, tmp_path)
    second = demo_site.requests()[first:]
    answered = {r["path"]: r["status"] for r in second if r["path"] in CONDITIONAL_PATHS}
    assert answered == dict.fromkeys(CONDITIONAL_PATHS, 304), answered
    assert not [r["path"] for r in second if r["path"] in _article_paths(demo_site)]
    assert len(stored(db_url)) == rows
    assert client.llen(keys.dead_letters) == dead  # a 304 is no failure
    assert set(client.hkeys(keys.validators)) >= {demo_site.site.url(p) for p in CONDITIONAL_PATHS}
    client.close()


def test_an_article_whose_lastmod_moved_is_fetched_again_and_its_row_updated(
    demo_site, redis_url, key_prefix, tmp_path
):
    db_url = f"sqlite:///{tmp_path / 'articles.db'}"
    _crawl(demo_site, redis_url, db_url, key_prefix, tmp_path)
    before = {row["url"]: row for row in stored(db_url)}
    article = demo_site.site.latest()[3]
    corrected = dt.datetime.now(dt.UTC).replace(microsecond=0)
    demo_site.site.revise(article.path, corrected)
    first = len(demo_site.requests())
    _crawl(demo_site, redis_url, db_url, key_prefix, tmp_path)
    second = demo_site.requests()[first:]
    # the index's <lastmod> of the article sitemap moved: it is read again (within
    # NEWS_LISTING_REFRESH_MINUTES of its last reading), and its <lastmod> of the article
    fetched = [(r["path"], r["status"]) for r in second]
    assert ("/sitemap-articles.xml", 200) in fetched
    refetched = [r["path"] for r in second if r["path"] in _article_paths(demo_site)]
    assert refetched == [article.path]
    after = {row["url"]: row for row in stored(db_url)}
    assert set(after) == set(before)  # updated in place, not a new row
    url = demo_site.site.url(article.path)
    assert after[url]["modified"] != before[url]["modified"]
    assert dt.datetime.fromisoformat(after[url]["modified"]) == corrected
    unchanged = [u for u in after if u != url and after[u]["fetched_at"] != before[u]["fetched_at"]]
    assert not unchanged
