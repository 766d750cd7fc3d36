"""The store pipeline under a database outage: real workers, real PostgreSQL behind a proxy."""

from __future__ import annotations

import time
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.crawltools import (
    common_args,
    seed,
    start_worker,
    stored,
    stored_row_count,
    wait_for,
)
from tests.demo_site.server import DemoSite
from tests.tcpproxy import TcpProxy

pytestmark = [pytest.mark.integration, pytest.mark.crawl]

OUTAGE_SECONDS = 30


def _rows_or_zero(url):
    try:
        return stored_row_count(url)
    except Exception:  # the workers have not created the table yet
        return 0


def _through(proxy, url):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{parts.username}@127.0.0.1:{proxy.port}"))


def test_database_outage_of_30_seconds_loses_nothing(redis_url, key_prefix, postgres_url, tmp_path):
    parts = urlsplit(postgres_url)
    with (
        DemoSite(host="127.0.0.11", port=0) as site,
        TcpProxy((parts.hostname, parts.port)) as proxy,
    ):
        db_url = _through(proxy, postgres_url)
        args = [
            *common_args(redis_url, db_url, key_prefix, tmp_path / "data"),
            "-s",
            "DOWNLOAD_DELAY=0.1",
        ]
        seed([site.base_url], args, tmp_path)
        drain = ["-s", "NEWS_EXIT_WHEN_DRAINED=true", "--allow-private"]
        workers = [
            start_worker(*args, *drain, cwd=tmp_path, log=tmp_path / f"w{i}.log") for i in range(2)
        ]
        assert wait_for(lambda: _rows_or_zero(postgres_url) >= 5, 90)
        proxy.cut()
        cut_at = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
        during = stored_row_count(postgres_url)  # read directly, not through the proxy
        assert all(worker.poll() is None for worker in workers), "a worker died during the outage"
        proxy.restore()
        for worker in workers:
            assert worker.wait(timeout=120) == 0
        assert time.monotonic() - cut_at >= OUTAGE_SECONDS
    expected = {a["url"] for a in site.manifest()["articles"]}
    urls = [row["url"] for row in stored(postgres_url)]
    assert sorted(urls) == sorted(expected)
    assert stored_row_count(postgres_url) == len(expected)
    assert during < len(expected), "the outage came too late to test anything"
    logs = "".join((tmp_path / f"w{i}.log").read_text() for i in range(2))
    assert "Traceback" not in logs
    assert "failed" in logs and "keeping articles in" in logs
    assert "Database is back" in logs and "spooled articles" in logs
    assert not list((tmp_path / "data" / "spool").glob("*.jsonl*")), "spool left behind"
