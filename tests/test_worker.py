"""``run_worker``: a worker process ends with an exit code that says how it ended."""

from __future__ import annotations

import pytest

from crawler.coordination.scheduler import FrontierScheduler
from tests.crawltools import run_newscrawl


class BrokenScheduler(FrontierScheduler):
    """A scheduler that fails when the crawl opens (the spider is open by then)."""

    def open(self, spider):
        raise RuntimeError("broken at open")


@pytest.mark.integration
def test_a_worker_that_fails_to_start_exits_non_zero(tmp_path, redis_url, key_prefix):
    result = run_newscrawl(
        "worker", "--redis", redis_url, "--db", f"sqlite:///{tmp_path / 'a.db'}",
        "-s", f"NEWS_KEY_PREFIX={key_prefix}", "-s", f"NEWS_DATA_DIR={tmp_path / 'data'}",
        "-s", "NEWS_EXIT_WHEN_DRAINED=true", "-s", "SCHEDULER=tests.test_worker.BrokenScheduler",
        cwd=tmp_path, timeout=120,
    )  # fmt: skip
    # Before: the crawl was closed with "shutdown", taken for a clean end, exit 0.
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Worker failed to start: RuntimeError: broken at open" in result.stderr
