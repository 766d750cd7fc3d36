"""A page whose processing raises becomes a dead letter (a real worker, a site that trips it)."""

from __future__ import annotations

import pytest
import redis

from crawler.coordination.frontier import Frontier
from crawler.coordination.keys import Keys
from tests.crawltools import common_args, seed, start_worker
from tests.demo_site.server import DemoSite

pytestmark = [pytest.mark.integration, pytest.mark.crawl]


def test_a_failing_store_dead_letters_the_page_instead_of_acknowledging_it(
    redis_url, key_prefix, tmp_path
):
    # A pipeline that fails as a full disk would, before the real ones run.
    db_url = f"sqlite:///{tmp_path / 'a.db'}"
    args = [*common_args(redis_url, db_url, key_prefix, tmp_path / "data"), "-s", "DOWNLOAD_DELAY=0",
            "-s", "ITEM_PIPELINES={\"tests.extensions.failing_pipeline.FailingPipeline\": 50}"]  # fmt: skip
    with DemoSite(host="127.0.0.14", port=0) as site:
        seed([site.base_url], args, tmp_path)
        log = tmp_path / "w.log"
        worker = start_worker(*args, "-s", "NEWS_EXIT_WHEN_DRAINED=true", "--allow-private",
                              cwd=tmp_path, log=log)  # fmt: skip
        assert worker.wait(timeout=180) == 0
    letters = Frontier(
        redis.Redis.from_url(redis_url, decode_responses=True), Keys(key_prefix)
    ).dead_letters(1000)
    failed = [
        letter for letter in letters if letter["reason"].startswith("storing an article failed")
    ]
    assert len(failed) == 30, [letter["reason"] for letter in letters]
    assert all(letter.get("payload") for letter in failed)
