"""End-to-end crawl of a site nobody tuned for: the four publishers of tests/unseen_site.

``newscrawl crawl`` with two workers (the project's defaults but for the delay) must end by
itself and store every article once, under its own URL, and nothing else: no print copy,
AMP page, short link or later part as a second row, no listing page; with the trap budget
holding each trap (calendar, facets, search, pagination past the end, session ids) to at
most 30 fetches per host.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.crawltools import common_args, run_newscrawl, stored
from tests.unseen_site.server import UnseenSite

pytestmark = [pytest.mark.integration, pytest.mark.crawl]


@pytest.mark.timeout(600)
def test_crawl_of_the_unseen_site(redis_url, key_prefix, tmp_path):
    db_url = f"sqlite:///{tmp_path / 'a.db'}"
    args = common_args(redis_url, db_url, key_prefix, tmp_path / "data")
    with UnseenSite() as site:
        result = run_newscrawl(
            "crawl", *site.base_urls.values(), "--workers", "2", "--allow-private", *args,
            "-s", "DOWNLOAD_DELAY=0", cwd=tmp_path, timeout=540,
        )  # fmt: skip
        manifest = site.manifest()
        traps = site.trap_counts()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    truth = [(urlsplit(a["url"]).netloc, re.compile(a["pattern"]), a) for a in manifest["articles"]]
    found: dict[str, list[str]] = {}
    non_articles = []
    for row in stored(db_url):
        parts = urlsplit(row["url"])
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        match = next((a for netloc, pattern, a in truth
                      if netloc == parts.netloc and pattern.search(target)), None)  # fmt: skip
        if match is None:
            non_articles.append(row["url"])
        else:
            found.setdefault(match["url"], []).append(row["url"])
    assert non_articles == []
    duplicates = {url: rows for url, rows in found.items() if len(rows) > 1}
    assert duplicates == {}
    # stored under the article's own URL, whichever copy came first
    assert [rows[0] for url, rows in found.items() if rows[0] != url] == []
    assert len(found) / len(manifest["articles"]) >= 0.98, sorted(
        a["url"] for a in manifest["articles"] if a["url"] not in found
    )
    assert max(n for per in traps.values() for n in per.values()) <= 30, traps
