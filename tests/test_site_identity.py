"""No site can overwrite or hide another site's articles: real crawls of an original news
site and of a copycat that republishes its pages declaring the original's URLs as canonical.
"""

from __future__ import annotations

import pytest

from tests.copycat_site import CopycatSite
from tests.crawltools import common_args, run_newscrawl, stored
from tests.demo_site.server import DemoSite

pytestmark = [pytest.mark.integration, pytest.mark.crawl]


def _crawl(url, redis_url, db_url, prefix, tmp_path):
    args = common_args(redis_url, db_url, prefix, tmp_path / "data")
    result = run_newscrawl("crawl", url, "--workers", "2", "--allow-private", *args,
                           "-s", "DOWNLOAD_DELAY=0", cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.timeout(300)
def test_a_copycat_crawled_later_changes_no_row_of_the_original(redis_url, key_prefix, tmp_path):
    db_url = f"sqlite:///{tmp_path / 'a.db'}"
    with DemoSite(host="127.0.0.35", port=0) as original:
        _crawl(original.base_url, redis_url, db_url, key_prefix + "-a", tmp_path)
        before = {row["url"]: row for row in stored(db_url)}
        assert len(before) == 30
        with CopycatSite(original.base_url, host="127.0.0.36") as copycat:
            _crawl(copycat.base_url, redis_url, db_url, key_prefix + "-b", tmp_path)
            copy_base = copycat.base_url
    after = {row["url"]: row for row in stored(db_url)}
    # 0 rows of the original site changed, none added under its address
    assert {u: r for u, r in after.items() if u.startswith(original.base_url)} == before
    copies = {u: r for u, r in after.items() if u.startswith(copy_base)}
    assert len(copies) == 30
    for url, row in copies.items():
        assert row["site"] == "127.0.0.36:" + copy_base.rsplit(":", 1)[1].strip("/")
        assert row["duplicate_of"] == original.base_url + url[len(copy_base) :]


@pytest.mark.timeout(300)
def test_a_copycat_crawled_first_cannot_keep_the_original_out(redis_url, key_prefix, tmp_path):
    db_url = f"sqlite:///{tmp_path / 'a.db'}"
    with DemoSite(host="127.0.0.35", port=0) as original:
        with CopycatSite(original.base_url, host="127.0.0.36") as copycat:
            _crawl(copycat.base_url, redis_url, db_url, key_prefix + "-b", tmp_path)
            copy_base = copycat.base_url
        _crawl(original.base_url, redis_url, db_url, key_prefix + "-a", tmp_path)
        truth = {a["url"]: a for a in original.manifest()["articles"]}
    rows = {row["url"]: row for row in stored(db_url)}
    originals = {u: r for u, r in rows.items() if u in truth}
    assert set(originals) == set(truth)  # every original article stored
    for url, row in originals.items():
        assert row["text"] == truth[url]["text"]
        assert row["duplicate_of"] == copy_base + url[len(original.base_url) :]
    exported_unique = run_newscrawl("export", "--db", db_url, "--unique", cwd=tmp_path)
    assert exported_unique.returncode == 0
    assert len(exported_unique.stdout.splitlines()) == 30  # one row per story
