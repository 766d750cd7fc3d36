"""A declared site's hooks and politeness apply in every worker, whichever command seeded it.

The site in tests/declared/hooked.py is the demo site with two hooks. It is seeded by URL
from a command that does not know the declaration (so the frontier only knows an ad-hoc
site), then crawled by a ``newscrawl worker`` process that does: the worker reads every
page by the declared site's rules, runs its hooks, and writes its own delay and
concurrency into the frontier.
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from crawler.coordination.connection import connect
from crawler.coordination.frontier import Frontier
from crawler.coordination.keys import Keys
from tests.crawltools import common_args, run_newscrawl, seed, start_worker, stored
from tests.declared.hooked import HOOKED_HOME, TITLE_MARK, UNLINKED_PATH
from tests.demo_site.server import DemoSite

pytestmark = [pytest.mark.integration, pytest.mark.crawl]

WITH_HOOKED = ["-s", 'SPIDER_MODULES=["spiders", "tests.declared.hooked"]']


@pytest.mark.timeout(300)
def test_a_worker_applies_the_hooks_of_a_site_it_declares(redis_url, key_prefix, tmp_path):
    db_url = f"sqlite:///{tmp_path / 'a.db'}"
    args = [
        *common_args(redis_url, db_url, key_prefix, tmp_path / "data"),
        "-s",
        "DOWNLOAD_DELAY=0",
    ]
    with DemoSite(host="127.0.0.31", port=8471) as site:
        seed([HOOKED_HOME], args, tmp_path)  # by URL, without the declaration
        frontier = Frontier(connect(redis_url), Keys(key_prefix))
        assert frontier.host_politeness("127.0.0.31:8471") == {"delay_ms": 0, "concurrency": 2}
        log = tmp_path / "worker.log"
        worker = start_worker(*args, *WITH_HOOKED, "-s", "NEWS_EXIT_WHEN_DRAINED=true",
                              "--allow-private", cwd=tmp_path, log=log)  # fmt: skip
        assert worker.wait(timeout=240) == 0, log.read_text()
        paths = [r["path"] for r in site.requests()]
        manifest = site.manifest()
    # the declaration's concurrency replaced the seeding command's default
    assert frontier.host_politeness("127.0.0.31:8471")["concurrency"] == 3
    rows = stored(db_url)
    assert {row["url"] for row in rows} == {a["url"] for a in manifest["articles"]}
    titles = {a["url"]: a["title"] for a in manifest["articles"]}
    for row in rows:
        assert row["site"] == "hooked"
        assert row["title"] == titles[row["url"]] + TITLE_MARK  # fix_article ran
    assert UNLINKED_PATH in paths  # extra_links was followed
    text = log.read_text()
    assert "Traceback" not in text
    assert "Pages seeded as '127.0.0.31:8471' are read as 'hooked'" in text


def test_extract_applies_the_sites_hooks(tmp_path):
    page = tmp_path / "page.html"
    with DemoSite(host="127.0.0.31", port=0) as site:
        article = site.manifest()["articles"][0]
        with urllib.request.urlopen(article["url"], timeout=10) as response:
            page.write_bytes(response.read())
    url = HOOKED_HOME.rstrip("/") + article["path"]
    result = run_newscrawl("extract", str(page), "--url", url, "--site", "hooked", *WITH_HOOKED,
                           cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["site"] == "hooked" and record["title"] == article["title"] + TITLE_MARK
    plain = run_newscrawl("extract", str(page), "--url", url, cwd=tmp_path)
    assert json.loads(plain.stdout)["title"] == article["title"]
