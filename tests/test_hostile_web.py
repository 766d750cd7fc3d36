"""Hostile web: real workers crawl a site built of pathologies, keep running, lose nothing.

`tests.hostile_site.HostileSite` is served on 127.0.0.6, with a `RefusedListener` on
127.0.0.9, 127.0.0.1 and ::1 (one port) standing for every address a crawl must not reach.
The main crawl runs once for this module: ``newscrawl seed`` of the site and of a redirect
loop, then two ``newscrawl worker`` processes in drain mode against the real Redis, with
small limits (``DOWNLOAD_MAXSIZE`` 1 MiB, ``DOWNLOAD_WARNSIZE`` 512 KiB,
``DOWNLOAD_TIMEOUT`` 3 s) and only the site's own address allowed (``NEWS_ALLOW_NETWORKS``),
so that every other loopback address is refused as on a real deployment. Each test then
checks one case against what the workers logged and stored, what the site served and the
listener saw, and what the frontier kept. Unreachable hosts and the per-host page cap have
crawls of their own, and so do the cases of bounded work per response (a gzip bomb in a
sitemap, a flood of response headers, a page of 100,000 links, a 10 MB article), which run
with the project's own size limits and one worker whose peak memory and reactor lag are
measured. docs/robustness.md lists every case with its test.
"""

from __future__ import annotations

import json
import os
import re
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis

from crawler import settings as project_settings
from crawler.coordination.frontier import Frontier
from crawler.coordination.keys import Keys
from crawler.sites import Site
from crawler.urls import TRAP_QUERY_PARAMETERS, TRAP_REPEATED_SEGMENT
from tests.conftest import REDIS_URL
from tests.crawltools import (
    PeakMemory,
    common_args,
    reactor_lag,
    run_newscrawl,
    seed,
    start_worker,
    stat,
    stored,
    stored_row_count,
    wait_for,
)
from tests.hostile_site import (
    BIG_ARTICLE,
    BIG_ARTICLE_SIZE,
    BOMBS,
    CHARSET_ARTICLES,
    GOOD_ARTICLES,
    GROW_START,
    HEADER_FLOOD_BYTES,
    HUGE_BODY,
    LINK_FLOOD_LINKS,
    LONG_READ_PATH,
    LONG_URL_CHARS,
    MALFORMED_ARTICLE,
    MANY_HEADER_LINES,
    MAX_SIZE,
    NON_HTML,
    PDF_BY_EXTENSION,
    TRICKLE_LENGTH,
    WARN_SIZE,
    WARN_SIZE_ARTICLE,
    ArticleCase,
    HostileSite,
    RefusedListener,
    bomb,
    closed_port,
    link_flood_page,
    link_flood_target,
    long_read_page,
    sitemap_bomb,
)

pytestmark = [pytest.mark.integration, pytest.mark.crawl]

SITE_HOST = "127.0.0.6"
UNRESOLVABLE = "http://does-not-exist.invalid/"
# The limits of the crawl. DOWNLOAD_TIMEOUT 3 s keeps the silent and trickling responses
# (3 attempts each) under 10 s; 8 requests in flight on the site's host let them run
# beside everything else.
TIMEOUT = 3
# The project's own limits, which the crawl keeps.
REDIRECT_MAX_TIMES = project_settings.REDIRECT_MAX_TIMES
DEPTH_LIMIT = project_settings.DEPTH_LIMIT
RETRY_TIMES = project_settings.RETRY_TIMES
URLLENGTH_LIMIT = project_settings.URLLENGTH_LIMIT
LIMITS = [
    "-s", f"DOWNLOAD_MAXSIZE={MAX_SIZE}",
    "-s", f"DOWNLOAD_WARNSIZE={WARN_SIZE}",
    "-s", f"DOWNLOAD_TIMEOUT={TIMEOUT}",
    "-s", "DOWNLOAD_DELAY=0",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    # only the site itself: 127.0.0.9, localhost, ::1 ... stay refused
    "-s", f"NEWS_ALLOW_NETWORKS={SITE_HOST}/32",
    # Every route is a case to meet: most share one URL template and store no article, so
    # the trap budget would rightly cut some before they are fetched. It is tested on its
    # own (tests/coordination/test_trap_budget.py, tests/test_crawl_unseen.py).
    "-s", "NEWS_TEMPLATE_BUDGET=0",
]  # fmt: skip
DRAIN = ["-s", "NEWS_EXIT_WHEN_DRAINED=true"]
WORKERS = 2


# --- the crawl --------------------------------------------------------------------------------
@dataclass
class Crawl:
    """What one crawl left behind, for the tests to look at."""

    site: HostileSite
    listener: RefusedListener
    db_url: str
    frontier: Frontier
    exit_codes: list[int]
    log: str
    rows: dict[str, dict[str, Any]]
    row_count: int
    dead: list[dict[str, Any]]
    elapsed: float

    def served(self, path: str) -> list[dict]:
        """Requests the site served for exactly ``path``."""
        return [r for r in self.site.requests() if r["path"] == path]

    def served_under(self, prefix: str) -> list[dict]:
        return self.site.requests(prefix)

    def dead_for(self, url_prefix: str) -> list[dict[str, Any]]:
        return [d for d in self.dead if d.get("url", "").startswith(url_prefix)]


def _redis_or_skip() -> str:
    # As tests/conftest.py's redis_url, for a fixture that lives as long as the module.
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis is required when CI=true: {exc}")
        pytest.skip(f"Redis not available: {exc}")
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture(scope="module")
def new_prefix() -> Iterator[Callable[[], str]]:
    """Makes key prefixes for the module's crawls; every key under them is deleted afterwards."""
    url = _redis_or_skip()
    made: list[str] = []

    def make() -> str:
        made.append(f"nctest-{uuid.uuid4().hex[:12]}")
        return made[-1]

    yield make
    client = redis.Redis.from_url(url)
    for prefix in made:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    client.close()


def _run_workers(args: list[str], cwd: Path, count: int, timeout: float) -> tuple[list[int], str]:
    logs = [cwd / f"worker-{i}.log" for i in range(count)]
    workers = [start_worker(*args, *DRAIN, cwd=cwd, log=log) for log in logs]
    try:
        codes = [worker.wait(timeout=timeout) for worker in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=10)
    return codes, "\n".join(log.read_text(errors="replace") for log in logs)


def _crawl(
    targets: Callable[[HostileSite], list[str]], prefix: str, tmp: Path, workers: int
) -> Iterator[Crawl]:
    db_url = f"sqlite:///{tmp / 'articles.db'}"
    args = [*common_args(REDIS_URL, db_url, prefix, tmp / "data"), *LIMITS]
    with RefusedListener() as listener, HostileSite(SITE_HOST, refused_port=listener.port) as site:
        started = time.monotonic()
        seed(targets(site), args, tmp)
        codes, log = _run_workers(args, tmp, workers, timeout=150)
        elapsed = time.monotonic() - started
        frontier = Frontier(redis.Redis.from_url(REDIS_URL, decode_responses=True), Keys(prefix))
        rows = {row["url"]: row for row in stored(db_url)}
        yield Crawl(
            site=site,
            listener=listener,
            db_url=db_url,
            frontier=frontier,
            exit_codes=codes,
            log=log,
            rows=rows,
            row_count=stored_row_count(db_url),
            dead=frontier.dead_letters(1000),
            elapsed=elapsed,
        )
        frontier.client.close()


@pytest.fixture(scope="module")
def crawl(new_prefix, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """The hostile site and a seeded redirect loop, two workers."""
    yield from _crawl(
        lambda site: [site.base_url, site.url("/redirect/seed-loop-a")],
        new_prefix(),
        tmp_path_factory.mktemp("hostile"),
        WORKERS,
    )


# Seeded directly: a host name that does not resolve, and a port where nothing listens.
# A crawl of their own, because this machine's resolver sometimes takes 5 s to say "no such
# name" to concurrent lookups, which would hold up the threads the main crawl resolves with.
CLOSED_PORT_URL = f"http://{SITE_HOST}:{closed_port(SITE_HOST)}/"


@pytest.fixture(scope="module")
def unreachable(new_prefix, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    """The unresolvable host and the closed port, one worker."""
    yield from _crawl(
        lambda site: [UNRESOLVABLE, CLOSED_PORT_URL],
        new_prefix(),
        tmp_path_factory.mktemp("unreachable"),
        1,
    )


def _url(crawl: Crawl, path: str) -> str:
    return crawl.site.url(path)


# --- the workers ---------------------------------------------------------------------------
def test_workers_survive_the_hostile_site(crawl):
    assert crawl.exit_codes == [0] * WORKERS, crawl.log[-3000:]
    # PYTHONWARNINGS=error in the workers: a warning would have been a crash, and shows here
    assert "Traceback" not in crawl.log
    assert "Warning" not in crawl.log
    assert crawl.log.count("Spider opened") == WORKERS
    assert crawl.log.count("Spider closed (finished)") == WORKERS
    # nothing lost: every request was answered, refused, or kept as a dead letter
    counts = crawl.frontier.counts()
    assert counts["queued"] == 0 and counts["leased"] == 0
    # the whole crawl, timeouts included, stays short
    assert crawl.elapsed < 90


def test_nothing_but_real_articles_is_stored(crawl):
    expected = {
        _url(crawl, a.path)
        for a in (*GOOD_ARTICLES, *CHARSET_ARTICLES, MALFORMED_ARTICLE, WARN_SIZE_ARTICLE)
    }
    assert set(crawl.rows) == expected
    assert crawl.row_count == len(expected)


# --- articles that must be stored ---------------------------------------------------------
def _assert_stored(crawl: Crawl, case: ArticleCase) -> dict[str, Any]:
    row = crawl.rows.get(_url(crawl, case.path))
    assert row is not None, f"{case.path} not stored"
    assert case.phrase in row["text"]
    assert "\ufffd" not in row["text"] and "\ufffd" not in row["title"]
    assert row["text"] == case.text
    assert row["title"] == case.title
    return row


@pytest.mark.parametrize("case", GOOD_ARTICLES, ids=lambda c: c.path.rsplit("/", 1)[1])
def test_good_articles_are_stored(crawl, case):
    row = _assert_stored(crawl, case)
    assert row["authors"] == [case.author]
    assert row["published"].startswith(case.published[:10])


@pytest.mark.parametrize("case", CHARSET_ARTICLES, ids=lambda c: c.path.rsplit("/", 1)[1])
def test_wrong_or_missing_charset_is_decoded_right(crawl, case):
    """Declared UTF-8 but windows-1252, declared windows-1251 but UTF-8, header only, none."""
    _assert_stored(crawl, case)


def test_malformed_html_with_garbage_bytes_is_stored(crawl):
    _assert_stored(crawl, MALFORMED_ARTICLE)


def test_body_between_warn_and_max_size_is_stored_with_a_warning(crawl):
    _assert_stored(crawl, WARN_SIZE_ARTICLE)
    url = _url(crawl, WARN_SIZE_ARTICLE.path)
    assert re.search(rf"larger than download warn size .*{re.escape(url)}", crawl.log), crawl.log[
        -2000:
    ]
    [served] = crawl.served(WARN_SIZE_ARTICLE.path)
    assert WARN_SIZE < served["sent"] == served["length"] < MAX_SIZE


# --- bodies that must not be read or stored -------------------------------------------------
@pytest.mark.parametrize("path", ["/huge/declared", "/huge/streamed"])
def test_oversize_body_is_cut_off(crawl, path):
    """3 MB over a 1 MiB DOWNLOAD_MAXSIZE: with Content-Length refused at the headers,
    without it cut off after 1 MiB; never stored, never retried, kept as a dead letter."""
    url = _url(crawl, path)
    [served] = crawl.served(path)  # a size refusal is not retried
    assert served["hung_up"], served
    if path == "/huge/declared":
        assert served["sent"] < HUGE_BODY / 2, served
        said = f"Expected to receive {HUGE_BODY} bytes which is larger than download max size"
    else:
        assert MAX_SIZE < served["sent"] < HUGE_BODY, served
        said = "bytes which is larger than download max size"
    assert re.search(rf"{said} \({MAX_SIZE}\) in request <GET {re.escape(url)}>", crawl.log)
    assert url not in crawl.rows
    [dead] = crawl.dead_for(url)
    assert dead["reason"].startswith("DownloadCancelledError"), dead
    assert f"Giving up on {url}: DownloadCancelledError" in crawl.log


@pytest.mark.parametrize("name", list(BOMBS))
def test_decompression_bomb_is_refused(crawl, name):
    """A few KB on the wire, 40 MB decompressed: decompression stops at DOWNLOAD_MAXSIZE."""
    path = f"/bomb/{name}"
    [served] = crawl.served(path)
    assert served["sent"] == len(bomb(BOMBS[name])) < 64 * 1024
    assert _url(crawl, path) not in crawl.rows
    # refused (IgnoreRequest), not failed: logged, not a dead letter
    assert re.search(
        rf"Not fetched {re.escape(_url(crawl, path))}: Ignored response <200 "
        rf"{re.escape(_url(crawl, path))}> because its body .* exceeded DOWNLOAD_MAXSIZE",
        crawl.log,
    )
    assert not crawl.dead_for(_url(crawl, path))


@pytest.mark.parametrize("path", list(NON_HTML))
def test_non_html_download_stops_at_the_headers(crawl, path):
    [served] = crawl.served(path)
    # the client hung up after the headers: a fraction of the body went out at most
    assert served["hung_up"], served
    assert served["sent"] < served["length"] / 4, served
    content_type = NON_HTML[path][0]
    assert f"Skipping {_url(crawl, path)}: {content_type} is not a page" in crawl.log
    assert not crawl.dead_for(_url(crawl, path))


def test_pdf_linked_by_its_extension_is_never_requested(crawl):
    assert crawl.served(PDF_BY_EXTENSION) == []


# --- redirects ---------------------------------------------------------------------------------
def test_redirect_loop_ends_at_the_seen_filter(crawl):
    """Reached by a link: a -> b -> a, and a was already seen."""
    paths = [r["path"] for r in crawl.served_under("/redirect/loop-")]
    assert paths == ["/redirect/loop-a", "/redirect/loop-b"]


def test_seeded_redirect_loop_ends_at_redirect_max_times(crawl):
    """A seed bypasses the seen-filter, and so do its redirects: REDIRECT_MAX_TIMES ends it."""
    served = crawl.served_under("/redirect/seed-loop-")
    assert len(served) == 1 + REDIRECT_MAX_TIMES
    assert re.search(
        rf"Not fetched {re.escape(_url(crawl, '/redirect/seed-loop-'))}[ab]: max redirections",
        crawl.log,
    )


def test_redirect_chain_stops_at_redirect_max_times(crawl):
    served = crawl.served_under("/redirect/chain/")
    assert [r["path"] for r in served] == [
        f"/redirect/chain/{n}" for n in range(1, REDIRECT_MAX_TIMES + 2)
    ]
    last = _url(crawl, f"/redirect/chain/{REDIRECT_MAX_TIMES + 1}")
    assert f"Not fetched {last}: max redirections reached" in crawl.log
    assert not crawl.dead_for(_url(crawl, "/redirect/chain/"))


REFUSED = ["plain", "decimal", "hex", "mapped", "ipv6-loopback", "localhost", "metadata"]


@pytest.mark.parametrize("name", REFUSED)
def test_redirect_to_a_refused_address_never_connects(crawl, name):
    target = crawl.site.refused_targets()[name]
    [served] = crawl.served(f"/redirect/refused/{name}")
    assert served["status"] == 302
    # the listener on 127.0.0.9, 127.0.0.1 and ::1 (same port) saw nobody, ever
    assert crawl.listener.connections() == []
    # a warning once per host, and a line for every request refused
    assert f"Refused {target}: " in crawl.log
    assert f"Not fetched {target}: " in crawl.log
    assert not crawl.dead_for(target)


def test_refused_listener_listens_everywhere_it_should(crawl):
    # otherwise "0 connections" above would prove less than it says
    assert crawl.listener.missing == []


def test_refused_listener_would_see_every_spelling_of_its_address():
    """The instrument works: each refused target, connected to directly, reaches it."""
    with RefusedListener() as listener:
        targets = HostileSite(refused_port=listener.port).refused_targets()
        for name, url in targets.items():
            if name == "metadata":
                continue  # nothing can listen on 169.254.169.254 in a test
            parts = urlsplit(url)
            with socket.create_connection((parts.hostname, parts.port), timeout=2):
                pass
        assert wait_for(lambda: len(listener.connections()) == len(targets) - 1, 5)


@pytest.mark.parametrize("name", ["file", "ftp", "data"])
def test_redirect_to_another_scheme_is_not_followed(crawl, name):
    url = _url(crawl, f"/redirect/scheme/{name}")
    [served] = crawl.served(f"/redirect/scheme/{name}")
    assert served["status"] == 302
    # the 302 itself is the answer: an HTTP error, logged and kept for the operator
    assert f"Giving up on {url}: HTTP 302" in crawl.log
    [dead] = crawl.dead_for(url)
    assert dead["reason"].startswith("HTTP 302")
    assert crawl.listener.connections() == []


# --- servers that never finish -------------------------------------------------------------
@pytest.mark.parametrize("path", ["/slow/silent", "/slow/trickle"])
def test_slow_response_times_out_into_a_dead_letter(crawl, path):
    served = crawl.served(path)
    assert len(served) == 1 + RETRY_TIMES
    for one in served:
        if path == "/slow/trickle":
            # a byte a second for DOWNLOAD_TIMEOUT seconds, give or take one
            assert one["sent"] <= TIMEOUT + 2 < TRICKLE_LENGTH, one
        assert one["hung_up"], one
        assert one["t_end"] - one["t"] < TIMEOUT + 3, one
    [dead] = crawl.dead_for(_url(crawl, path))
    assert dead["reason"].startswith("DownloadTimeoutError"), dead
    assert f"Giving up on {_url(crawl, path)}: DownloadTimeoutError" in crawl.log


# --- traps ---------------------------------------------------------------------------------------
def test_overlong_url_is_never_requested(crawl):
    assert crawl.served_under("/long/") == []
    assert not [r for r in crawl.site.requests() if len(r["path"]) > URLLENGTH_LIMIT]
    assert re.search(
        rf"Ignoring link \(url length > {URLLENGTH_LIMIT}\): " + re.escape(_url(crawl, "/long/")),
        crawl.log,
    )
    assert LONG_URL_CHARS > URLLENGTH_LIMIT


def test_calendar_trap_is_bounded_by_depth(crawl):
    """Each day links yesterday and tomorrow. Bound: the first day is at depth 1, and
    DEPTH_LIMIT 6 lets the crawl walk 5 days each way: at most 11 distinct days."""
    paths = [r["path"] for r in crawl.served_under("/trap/calendar/")]
    assert len(paths) == len(set(paths)) <= 2 * (DEPTH_LIMIT - 1) + 1
    assert len(paths) >= DEPTH_LIMIT  # it was followed, not skipped


def test_growing_query_trap_stops_at_the_parameter_limit(crawl):
    """Each page links itself with one more parameter. Bound: pages with GROW_START (4) to
    TRAP_QUERY_PARAMETERS (8) parameters, the 9-parameter link is not followed: 5 pages
    (depth alone would have allowed 6)."""
    served = crawl.served_under("/trap/grow")
    counts = sorted(len(urlsplit(r["path"]).query.split("&")) for r in served)
    assert counts == list(range(GROW_START, TRAP_QUERY_PARAMETERS + 1))


def test_session_id_in_path_trap_is_bounded_by_depth(crawl):
    """A new random session id in the path on every page: no URL rule can see it, so
    DEPTH_LIMIT ends it. Bound: depths 1 to 6, one page each: 6 pages."""
    served = crawl.served_under("/trap/s/")
    assert 1 < len(served) <= DEPTH_LIMIT
    assert len({r["path"] for r in served}) == len(served)


def test_repeated_path_segment_trap_stops(crawl):
    """A relative link grows /a/b/ into /a/b/a/b/... Bound: the link whose segments repeat
    TRAP_REPEATED_SEGMENT (3) times is not followed: 2 pages."""
    paths = [r["path"] for r in crawl.served_under("/trap/loop/")]
    assert paths == ["/trap/loop/a/b/", "/trap/loop/a/b/a/b/"]
    assert TRAP_REPEATED_SEGMENT == 3


# --- odd pages -------------------------------------------------------------------------------------
def test_deeply_nested_html_is_survived(crawl):
    [served] = crawl.served("/odd/nested")
    assert served["status"] == 200 and not served["hung_up"]
    assert _url(crawl, "/odd/nested") not in crawl.rows
    assert not crawl.dead_for(_url(crawl, "/odd/nested"))


@pytest.mark.parametrize("path", ["/odd/empty", "/odd/scripts-only"])
def test_pages_without_text_store_nothing(crawl, path):
    [served] = crawl.served(path)
    assert served["status"] == 200
    assert _url(crawl, path) not in crawl.rows
    assert not crawl.dead_for(_url(crawl, path))


def test_not_found_is_gone_without_a_dead_letter(crawl):
    assert len(crawl.served("/odd/missing")) == 1
    assert f"Gone (404): {_url(crawl, '/odd/missing')}" in crawl.log
    assert not crawl.dead_for(_url(crawl, "/odd/missing"))


def test_server_error_exhausts_retries_into_a_dead_letter(crawl):
    url = _url(crawl, "/odd/broken")
    assert len(crawl.served("/odd/broken")) == 1 + RETRY_TIMES
    [dead] = crawl.dead_for(url)
    assert dead["reason"] == f"HTTP 500 after {RETRY_TIMES} retries"
    assert f"Giving up on {url}: HTTP 500 after {RETRY_TIMES} retries" in crawl.log


# --- hosts that cannot be reached ----------------------------------------------------------------
def _entry_point_paths(base_url: str) -> set[str]:
    return {urlsplit(point.url).path for point in Site.adhoc(base_url).entry_points()}


def test_unreachable_hosts_do_not_hurt_the_worker(unreachable):
    assert unreachable.exit_codes == [0], unreachable.log[-3000:]
    assert "Traceback" not in unreachable.log and "Warning" not in unreachable.log
    counts = unreachable.frontier.counts()
    assert counts["queued"] == 0 and counts["leased"] == 0
    # robots.txt of each: fetched once, one line, no traceback
    for url in (UNRESOLVABLE, CLOSED_PORT_URL):
        netloc = urlsplit(url).netloc
        assert unreachable.log.count(f"robots.txt of {netloc} could not be fetched") == 1


def test_unresolvable_host_ends_in_dead_letters(unreachable):
    """Every entry point of a host that does not resolve is kept as a dead letter."""
    dead = unreachable.dead_for(UNRESOLVABLE)
    assert {urlsplit(d["url"]).path for d in dead} == _entry_point_paths(UNRESOLVABLE)
    # "no such name", or this machine's resolver timing out (5 s) past DOWNLOAD_TIMEOUT
    reasons = {d["reason"].split(":")[0] for d in dead}
    assert reasons <= {"CannotResolveHostError", "DownloadTimeoutError"}, dead
    assert "CannotResolveHostError" in reasons
    assert f"Giving up on {UNRESOLVABLE}: " in unreachable.log


def test_connection_refused_ends_in_dead_letters(unreachable):
    dead = unreachable.dead_for(CLOSED_PORT_URL)
    assert {urlsplit(d["url"]).path for d in dead} == _entry_point_paths(CLOSED_PORT_URL)
    assert all(d["reason"].startswith("DownloadConnectionRefusedError") for d in dead), dead
    assert f"Giving up on {CLOSED_PORT_URL}: DownloadConnectionRefusedError" in unreachable.log


# --- the per-host page cap ----------------------------------------------------------------------
PAGE_CAP = 25


def test_page_cap_per_host_stops_discovery_and_shows_in_status(redis_url, key_prefix, tmp_path):
    """/many/ links 200 distinct pages; NEWS_MAX_PAGES_PER_HOST=25 lets at most 25 of them
    be queued (entry points are exempt), and `status --json` names the host."""
    db_url = f"sqlite:///{tmp_path / 'articles.db'}"
    args = [
        *common_args(redis_url, db_url, key_prefix, tmp_path / "data"),
        *LIMITS,
        "-s", f"NEWS_MAX_PAGES_PER_HOST={PAGE_CAP}",
    ]  # fmt: skip
    with HostileSite(SITE_HOST) as site:
        seed([site.url("/many/")], args, tmp_path)
        codes, log = _run_workers(args, tmp_path, 1, timeout=90)
        items = site.requests("/many/item-")
    assert codes == [0], log[-3000:]
    assert "Traceback" not in log and "Warning" not in log
    # /many/ links only its items: exactly the cap is fetched (requests sent back to wait
    # for robots.txt, retries and seeds do not count)
    assert len(items) == PAGE_CAP
    status = run_newscrawl(
        "status",
        "--json",
        "--redis",
        redis_url,
        "-s",
        f"NEWS_KEY_PREFIX={key_prefix}",
        cwd=tmp_path,
    )
    assert status.returncode == 0, status.stderr
    report = json.loads(status.stdout)
    host = urlsplit(site.base_url).netloc
    assert report["capped_hosts"] == [host]


def test_requests_waiting_for_robots_are_not_lost_to_the_page_cap(redis_url, key_prefix, tmp_path):
    """robots.txt takes 1.5 s; the entry points leased meanwhile go back to wait for it.
    With a cap of 3 pages they must still all be fetched: they are the same requests, not
    new pages."""
    db_url = f"sqlite:///{tmp_path / 'articles.db'}"
    args = [
        *common_args(redis_url, db_url, key_prefix, tmp_path / "data"),
        *LIMITS,
        "-s", "NEWS_MAX_PAGES_PER_HOST=3",
    ]  # fmt: skip
    with HostileSite(SITE_HOST, robots_delay=1.5) as site:
        seed([site.base_url], args, tmp_path)
        entry_points = _entry_point_paths(site.base_url)
        codes, log = _run_workers(args, tmp_path, 1, timeout=90)
        fetched = {r["path"] for r in site.requests()}
    assert codes == [0], log[-3000:]
    assert fetched >= entry_points


# --- bounded work per response -------------------------------------------------------------------
# The figures issue 9 sets for a worker meeting one of these cases: 300 MB, 2 s, 90 s. This
# crawl meets them all at once, several large bodies in memory together, so its memory is
# held to 300 MiB (each case alone, benchmarks/hostile_limits.py: at most 202 MiB).
MAX_PEAK_MIB = 300
MAX_REACTOR_LAG = 2.0
MAX_CRAWL_SECONDS = 90
SITEMAP_CAP = project_settings.NEWS_SITEMAP_MAXSIZE
HEADER_CAP = project_settings.NEWS_MAX_HEADER_BYTES
LINK_CAP = project_settings.NEWS_MAX_LINKS_PER_PAGE


def test_sitemap_gzip_bomb_is_not_unpacked_past_the_download_limit(crawl):
    """/sitemap.xml, fetched for every site crawled by its URL, is 49 KB of gzip that
    unpacks to 50 MB. With DOWNLOAD_MAXSIZE (1 MiB here) below NEWS_SITEMAP_MAXSIZE, the
    download limit bounds the crawler's own unpacking."""
    url = _url(crawl, "/sitemap.xml")
    assert crawl.served("/sitemap.xml")
    assert (
        f"Not reading {url}: over the cap of {MAX_SIZE} bytes once decompressed "
        "(DOWNLOAD_MAXSIZE)" in crawl.log
    )
    assert not crawl.dead_for(url)


@dataclass
class BoundedCrawl:
    """One worker's crawl of the bounded-work cases, with what it cost."""

    site: HostileSite
    exit_code: int
    log: str
    rows: dict[str, dict[str, Any]]
    dead: list[dict[str, Any]]
    frontier_counts: dict[str, int]
    peak_mib: float
    elapsed: float

    def served(self, path: str) -> list[dict]:
        return [r for r in self.site.requests() if r["path"] == path]


@pytest.fixture(scope="module")
def bounded(new_prefix, tmp_path_factory: pytest.TempPathFactory) -> Iterator[BoundedCrawl]:
    """The four cases seeded at once, the project's own size limits, one worker."""
    tmp = tmp_path_factory.mktemp("bounded")
    db_url = f"sqlite:///{tmp / 'articles.db'}"
    prefix = new_prefix()
    args = [
        *common_args(REDIS_URL, db_url, prefix, tmp / "data"),
        "-s", "DOWNLOAD_DELAY=0",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
        "-s", f"NEWS_ALLOW_NETWORKS={SITE_HOST}/32",
        # The link flood's pages share one URL template and hold no article: the trap budget
        # would cut them after ten. Off here, so that the link cap alone decides what is
        # fetched (the benchmark keeps it on).
        "-s", "NEWS_TEMPLATE_BUDGET=0",
    ]  # fmt: skip
    paths = ["/bounded/links", BIG_ARTICLE.path, LONG_READ_PATH, "/headers/flood", "/headers/many"]
    with HostileSite(SITE_HOST) as site:
        started = time.monotonic()
        seed([site.url(path) for path in paths], args, tmp)
        log_path = tmp / "worker.log"
        worker = start_worker(*args, *DRAIN, cwd=tmp, log=log_path)
        try:
            with PeakMemory(worker.pid) as memory:
                code = worker.wait(timeout=180)
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=10)
        elapsed = time.monotonic() - started
        frontier = Frontier(redis.Redis.from_url(REDIS_URL, decode_responses=True), Keys(prefix))
        yield BoundedCrawl(
            site=site,
            exit_code=code,
            log=log_path.read_text(errors="replace"),
            rows={row["url"]: row for row in stored(db_url)},
            dead=frontier.dead_letters(1000),
            frontier_counts=frontier.counts(),
            peak_mib=memory.mib,
            elapsed=elapsed,
        )
        frontier.client.close()


def test_a_worker_meeting_every_bounded_case_stays_within_the_figures(bounded):
    """Peak memory at most 300 MiB, reactor lag at most 2 s, the crawl over within 90 s
    (docs/robustness.md gives each case's own figures, from benchmarks/hostile_limits.py)."""
    assert bounded.exit_code == 0, bounded.log[-3000:]
    assert "Traceback" not in bounded.log and "Warning" not in bounded.log
    assert bounded.frontier_counts["queued"] == 0 and bounded.frontier_counts["leased"] == 0
    figures = (
        f"{bounded.peak_mib:.0f} MiB, {reactor_lag(bounded.log)} s lag, {bounded.elapsed:.1f} s"
    )
    assert 0 < bounded.peak_mib <= MAX_PEAK_MIB, figures
    assert reactor_lag(bounded.log) <= MAX_REACTOR_LAG, figures
    assert bounded.elapsed < MAX_CRAWL_SECONDS, figures


def test_sitemap_gzip_bomb_stops_at_the_sitemap_cap(bounded):
    """With the project's limits NEWS_SITEMAP_MAXSIZE (8 MiB) is the smaller cap: the bomb
    is unpacked that far, not to its 50 MB, and not read; a refusal, not a dead letter."""
    assert len(sitemap_bomb()) < 52 * 1024
    url = bounded.site.url("/sitemap.xml")
    assert bounded.served("/sitemap.xml")
    assert (
        f"Not reading {url}: over the cap of {SITEMAP_CAP} bytes once decompressed "
        "(NEWS_SITEMAP_MAXSIZE)" in bounded.log
    )
    assert stat(bounded.log, "newscrawl/xml_not_read") == len(bounded.served("/sitemap.xml"))
    assert not [d for d in bounded.dead if d["url"] == url]


def test_header_flood_is_refused_at_64_kib(bounded):
    """315 MB of response headers: the worker hangs up once 64 KiB have come in; one line,
    one dead letter, no retry."""
    url = bounded.site.url("/headers/flood")
    [served] = bounded.served("/headers/flood")  # not retried
    assert served["hung_up"], served
    # what the server got out before it saw the hang-up: socket buffers, not the flood
    assert served["sent"] < HEADER_FLOOD_BYTES / 30, served
    reason = f"ResponseHeadersTooLarge: response header block over {HEADER_CAP} bytes"
    assert bounded.log.count(f"Giving up on {url}: {reason}") == 1
    [dead] = [d for d in bounded.dead if d["url"] == url]
    assert dead["reason"].startswith(reason), dead


def test_too_many_header_lines_are_refused(bounded):
    url = bounded.site.url("/headers/many")
    assert len(bounded.served("/headers/many")) == 1
    limit = project_settings.NEWS_MAX_HEADER_LINES
    assert limit < MANY_HEADER_LINES
    reason = f"ResponseHeadersTooLarge: more than {limit} response header lines"
    assert f"Giving up on {url}: {reason}" in bounded.log
    [dead] = [d for d in bounded.dead if d["url"] == url]
    assert dead["reason"].startswith(reason), dead


def test_link_flood_takes_the_first_links_only(bounded):
    """A 4.4 MB page of 100,000 links: exactly its first NEWS_MAX_LINKS_PER_PAGE links are
    followed, it is read in a thread, and it is not read as an article."""
    assert len(link_flood_page()) > 4_000_000
    url = bounded.site.url("/bounded/links")
    assert (
        f"Not read as an article: {url}: took the first {LINK_CAP} of {LINK_FLOOD_LINKS} "
        "links (NEWS_MAX_LINKS_PER_PAGE)" in bounded.log
    )
    fetched = {r["path"] for r in bounded.site.requests("/bounded/item-")}
    assert fetched == {link_flood_target(n) for n in range(LINK_CAP)}
    assert url not in bounded.rows


def test_ten_megabyte_article_is_read_off_the_reactor_and_stored(bounded):
    """A real article in a 10 MB page (inline data): read in a thread, stored exactly."""
    [served] = bounded.served(BIG_ARTICLE.path)
    assert served["sent"] == BIG_ARTICLE_SIZE
    row = bounded.rows.get(bounded.site.url(BIG_ARTICLE.path))
    assert row is not None, bounded.log[-3000:]
    assert row["text"] == BIG_ARTICLE.text and row["title"] == BIG_ARTICLE.title
    # the link page, the article and the long read: each at least NEWS_THREAD_READ_BYTES
    assert stat(bounded.log, "newscrawl/read_in_thread") == 3


def test_ten_megabytes_of_text_are_not_read_as_an_article(bounded):
    """A 10 MB page of paragraphs: more text than any article, so not extracted (which
    would have cost the worker 600 MiB); its links are still followed."""
    url = bounded.site.url(LONG_READ_PATH)
    [served] = bounded.served(LONG_READ_PATH)
    assert served["sent"] == len(long_read_page()) > 9_900_000
    assert re.search(
        rf"Not read as an article: {re.escape(url)}: \d+ bytes of text, over "
        rf"NEWS_MAX_TEXT_BYTES \({project_settings.NEWS_MAX_TEXT_BYTES}\)",
        bounded.log,
    )
    assert url not in bounded.rows
    assert bounded.served("/bounded/")  # its one link, to the page it calls home
