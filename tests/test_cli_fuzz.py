"""Fuzzing the command line: whatever the arguments, ``newscrawl`` keeps its contract.

Hypothesis builds argv for every command from its grammar, valid and invalid alike:
options of the command and of others, missing and repeated values, ``-s NAME=VALUE`` with
known and unknown names and values that are NaN, infinite, huge, negative, empty, JSON of
the wrong shape, odd Unicode, control characters or bytes that are not UTF-8; Redis and
database URLs with passwords, bad schemes, ports and options; paths that are missing,
too long, folders, devices. The contract (../shared/DESIGN.md, "Command line"): the exit
code is 0, 1 (extract: a page could not be read) or 2 (bad input); never a traceback or
an internal error; on exit 2 exactly one line on stderr; no password anywhere; nothing
on stderr and no JSON line on stdout carries a control character.

Most runs call ``crawler.cli.main`` in-process (fast); a few run the real entry point in
a subprocess. Nothing can crawl: every command that talks to Redis gets an unreachable or
invalid ``--redis`` (a Redis that answers fails the test before any command touches it),
and starting a crawl job or a worker fails the test too. ``make test`` runs a derandomized
pass; a long, random one runs with ``NEWSCRAWL_FUZZ_EXAMPLES=5000``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from crawler import cli, storage
from crawler.outcomes import OUTCOMES
from crawler.sanitize import FORMULA_PREFIXES, PrintableFormatter
from crawler.storing import store_article

EXAMPLES = int(os.environ.get("NEWSCRAWL_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # CI reruns the same examples; a long run (the variable set) explores.
    derandomize="NEWSCRAWL_FUZZ_EXAMPLES" not in os.environ,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SECRET = "s3cret"
# Replaced by the fuzz's own folder in every argument.
TMP = "{tmp}"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# --- argument values -------------------------------------------------------------------------

# Mostly printable text (so that runs get past the argument check), then every character
# there is (controls, lone surrogates: bytes that are not UTF-8), then chosen oddities.
_PRINTABLE = st.text(alphabet=st.characters(exclude_categories=("Cc", "Cs")), max_size=40)
ODD_TEXT = st.one_of(
    _PRINTABLE,
    _PRINTABLE,
    st.text(alphabet=st.characters(codec=None, exclude_characters="\x00"), max_size=40),
    st.sampled_from(
        ["", " ", "\t", "ü", "日本語", "\u202eevil", "\x1b[31mred", "a\nb", "\udcff", "\ufffd",
         "-", "--", "=", "%(worker)s", "'; DROP TABLE articles; --", "a" * 300]
    ),
)  # fmt: skip
NUMBERS = st.sampled_from(
    ["0", "1", "2", "-1", "-0", "1.5", "2.0", "1e3", "NaN", "nan", "Infinity", "-Infinity",
     "1e400", "-1e400", "1e308", "9007199254740993", "99999999999999999999999999", "9" * 5000,
     "0x10", "1_000", " 7 ", "٣", "true", "null", "[]", "{}", "\"5\""]
)  # fmt: skip
REDIS_URLS = st.sampled_from(
    ["redis://127.0.0.1:1/0", f"redis://:{SECRET}@127.0.0.1:1/0",
     f"rediss://user:{SECRET}@127.0.0.1:1/0", f"redis://{SECRET}@127.0.0.1:1/0",
     f"redis://127.0.0.1:1/0?password={SECRET}", "redis://[::1]:1/0",
     "unix:///nonexistent/newscrawl.sock", f"unix://:{SECRET}@/nonexistent/s.sock?db=0",
     "redis://127.0.0.1:99999/0", f"redis://u:{SECRET}@127.0.0.1:notaport/0", "redis://[::1",
     f"http://u:{SECRET}@127.0.0.1:1/0", "redis://127.0.0.1:1/0?ssl_cert_reqs=bogus",
     "rediss://127.0.0.1:1/0?ssl_cert_reqs=bogus", "redis://127.0.0.1:1/0?socket_timeout=soon",
     "redis://127.0.0.1:1/notadb", "redis://127.0.0.1:0/0", "redis://127.0.0.1:00/0", "", " "]
)  # fmt: skip
DB_URLS = st.sampled_from(
    [f"sqlite:///{TMP}/articles.db", f"sqlite:///{TMP}/fresh.db", f"sqlite:///{TMP}/empty",
     f"postgresql://u:{SECRET}@127.0.0.1:1/x", f"postgresql+asyncpg://u:{SECRET}@127.0.0.1:1/x",
     f"postgresql+psycopg2://u:{SECRET}@127.0.0.1:1/x", f"mysql://u:{SECRET}@127.0.0.1:1/x",
     f"postgresql://u:{SECRET}@127.0.0.1:0/x",
     f"sqlite+pysqlcipher:///{TMP}/c.db", f"postgresql://u:{SECRET}@h:notaport/db",
     f"sqlite:///{TMP}/a.db?timeout=soon", f"sqlite:///{TMP}/a.db?check_same_thread=maybe",
     "sqlite:////proc/newscrawl/a.db", f"sqlite:///{TMP}/{'a' * 300}.db", "://", "", " "]
)  # fmt: skip
URLS = st.sampled_from(
    ["https://news.example/", "http://news.example:8080/a/b?utm_source=x", "http://",
     "ftp://news.example/", "http://news.example:99999/", "https://[::1/", "http://[::1]/",
     "https://bücher.example/", "http://exa\\mple.com/", "https://x.example/\u202e", "//x",
     "http://127.0.0.1:1/", "https://news.example/" + "a" * 3000]
) | ODD_TEXT  # fmt: skip
TARGETS = st.sampled_from(["demo", "demo", "nosuchsite", "DEMO"]) | URLS
PATHS = st.sampled_from(
    [f"{TMP}/pages", f"{TMP}/pages/story.html", f"{TMP}/pages/broken.html.gz",
     f"{TMP}/missing.html", f"{TMP}/empty", "/dev/null", "a" * 5000, f"{TMP}/articles.db"]
) | ODD_TEXT.map(lambda text: f"{TMP}/random/{text}")  # fmt: skip
DATES = st.sampled_from(
    ["2024-05-02", "2024-05-02T12:00:00+01:00", "0001-01-01T00:00:00+01:00",
     "9999-12-31T23:59:59-01:00", "yesterday", "2024-13-45", "2024-05-02T25:00"]
) | ODD_TEXT  # fmt: skip

# --- -s NAME=VALUE -----------------------------------------------------------------------------

NUMBER_SETTINGS = ["DOWNLOAD_DELAY", "DOWNLOAD_TIMEOUT", "DOWNLOAD_MAXSIZE", "CONCURRENT_REQUESTS",
                   "CONCURRENT_REQUESTS_PER_DOMAIN", "DEPTH_LIMIT", "DEPTH_PRIORITY",
                   "RETRY_PRIORITY_ADJUST", "NEWS_LEASE_SECONDS", "NEWS_HEARTBEAT_SECONDS",
                   "NEWS_SYNC_INTERVAL", "NEWS_MAX_ATTEMPTS", "NEWS_MAX_PAGES_PER_HOST",
                   "NEWS_SEEN_CAPACITY", "NEWS_SEEN_ERROR_RATE", "NEWS_RECRAWL_DAYS",
                   "NEWS_LISTING_REFRESH_MINUTES", "NEWS_WORKER_DEAD_SECONDS",
                   "NEWS_MIN_BODY_CHARS", "URLLENGTH_LIMIT"]  # fmt: skip
TEXT_SETTINGS = ["USER_AGENT", "NEWS_KEY_PREFIX", "NEWS_SEEN_MODE", "LOG_LEVEL"]
BOOL_SETTINGS = ["NEWS_EXIT_WHEN_DRAINED", "ROBOTSTXT_OBEY", "NEWS_ALLOW_PRIVATE"]
# Settings whose values name Python modules to import: only these values, never random text.
IMPORTING = {
    "ITEM_PIPELINES": ['{"pipelines.store.StorePipeline": 300}', '{"nosuch.Pipeline": 1}',
                       '{"pipelines.store.Nope": 1}', '{"pipelines.store.StorePipeline": "x"}',
                       '{"": 1}', "[]", "nope", "null"],
    "EXTENSIONS": ['{"crawler.extensions.failures.FailureDeadLetters": null}',
                   '{"not a path": 1}'],
    "DOWNLOAD_HANDLERS": ['{"file": "nosuch.Handler"}', '{"http": null}', "{}"],
    "FEEDS": ['{"out/a-%(worker)s.jsonl": {"format": "jsonlines"}}',
              '{"out.x": {"format": "nosuchformat"}}', '{"gopher://h/x": {"format": "csv"}}',
              '{"out.x": {"format": "csv", "encoding": "klingon"}}', '{"out.x": 3}', "[1]"],
    "SCHEDULER": ["nosuch.Scheduler", "crawler.coordination.scheduler.FrontierScheduler", ""],
    "SPIDER_MODULES": ["spiders", "nosuch_spiders", "", "[1]"],
    "REFERRER_POLICY": ["no-referrer", "bogus"],
}  # fmt: skip
STRUCTURED = {
    "NEWS_ALLOW_NETWORKS": ["10.0.0.0/8", "10.0.0.0/33", "10.0.0.0/8,fd00::/8", "[10]",
                            "not-a-network", "", '["127.0.0.0/8"]', "1.2.3.4/-1"],
    "NEWS_ALLOW_HOSTS": ["intranet.example", "http://intranet.example/", "a b", "5",
                         "bücher.example,10.1.2.3", "*.example"],
    "NEWS_DATA_DIR": [f"{TMP}/data", "/proc/newscrawl", "", f"{TMP}/articles.db"],
    "RETRY_HTTP_CODES": ["500,503", "500,abc", "[500, null]"],
    "NEWS_DATABASE_URL": [f"postgresql://u:{SECRET}@127.0.0.1:1/x", ""],
    "NEWS_REDIS_URL": [f"redis://:{SECRET}@127.0.0.1:1/0", ""],
}  # fmt: skip
SETTING_VALUES = (
    NUMBERS
    | ODD_TEXT
    | st.sampled_from(
        ['{"a": NaN}', "[1, Infinity]", "[" * 2000, '{"a": [1, {"b": -Infinity}]}', "true", "maybe"]
    )
)


@st.composite
def overrides(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["number", "text", "bool", "importing", "structured", "other"]))
    if kind == "importing":
        name = draw(st.sampled_from(sorted(IMPORTING)))
        return f"{name}={draw(st.sampled_from(IMPORTING[name]))}"
    if kind == "structured":
        name = draw(st.sampled_from(sorted(STRUCTURED)))
        return f"{name}={draw(st.sampled_from(STRUCTURED[name]))}"
    names = {"number": NUMBER_SETTINGS, "text": TEXT_SETTINGS, "bool": BOOL_SETTINGS}.get(kind)
    if names:
        name = draw(st.sampled_from(names))
    else:  # unknown names, typos, lower case, no name at all; never a real Scrapy setting
        name = draw(
            st.sampled_from(["NEWS_TYPO", "FUZZ_SETTING", "download_delay", "", "A-B", " X"])
            | st.from_regex(r"FUZZ_[A-Z0-9_]{0,12}", fullmatch=True)
        )
    if draw(st.booleans()) and kind == "other":
        return name  # no '=' at all
    return f"{name}={draw(SETTING_VALUES)}"


# --- argv of each command ------------------------------------------------------------------------


def _options(draw: st.DrawFn, choices: dict[str, st.SearchStrategy[str] | None]) -> list[str]:
    """Some of the command's options (flags take None), and now and then a stray one."""
    argv: list[str] = []
    picked = draw(st.lists(st.sampled_from(sorted(choices)), max_size=4)) if choices else []
    for option in picked:
        argv.append(option)
        values = choices[option]
        if values is not None and draw(st.integers(0, 9)):  # sometimes the value is missing
            argv.append(draw(values))
    if not draw(st.integers(0, 9)):
        argv.insert(
            draw(st.integers(0, len(argv))),
            draw(st.sampled_from(["--nope", "--json", "--db", "-s", "--workers", "-h", "x"])),
        )
    return argv


SETTINGS_OPTION = st.builds(lambda o: ["-s", o], overrides())


@st.composite
def command_argv(draw: st.DrawFn, command: str) -> list[str]:
    settings_args = [a for pair in draw(st.lists(SETTINGS_OPTION, max_size=3)) for a in pair]
    redis = ["--redis", draw(REDIS_URLS)]  # always: never the machine's Redis
    if command in ("crawl", "seed", "schedule"):
        targets = draw(st.lists(TARGETS, min_size=1, max_size=3))
        if not draw(st.integers(0, 9)):
            targets = []  # "required: TARGET", now and then
        extra = {"--allow-private": None, "--db": DB_URLS, "--workers": NUMBERS}
        if command in ("seed", "schedule"):
            extra = {}
        return [command, *targets, *_options(draw, extra), *settings_args, *redis]
    if command == "worker":
        extra = {"--allow-private": None, "--db": DB_URLS}
        return [command, *_options(draw, extra), *settings_args, *redis]
    if command == "status":
        return [command, *_options(draw, {"--json": None}), *settings_args, *redis]
    if command == "dead":
        action = draw(st.sampled_from(["list", "list", "requeue", "purge", ""]))
        return [command, action, *_options(draw, {"--limit": NUMBERS}), *settings_args, *redis]
    if command == "export":
        extra = {"--db": DB_URLS, "--site": TARGETS, "--since": DATES,
                 "--format": st.sampled_from(["jsonl", "csv", "xml", ""]) | ODD_TEXT}  # fmt: skip
        argv = [command, *_options(draw, extra)]
        if "--db" not in argv:
            argv += ["--db", f"sqlite:///{TMP}/articles.db"]  # never the default database
        return argv
    if command == "extract":
        paths = draw(st.lists(PATHS, min_size=1, max_size=3))
        extra = {"--url": URLS, "--site": TARGETS}
        return [command, *paths, *_options(draw, extra), *settings_args]
    if command == "eval":
        folder = draw(
            st.sampled_from([f"{TMP}/empty", f"{TMP}/missing", f"{TMP}/pages/story.html", ""])
        )
        extra = {"--json": None, "--baseline": st.sampled_from(["trafilatura", "none", "x"])}
        return [command, folder, *_options(draw, extra)]
    assert command == "sites"
    action = draw(st.sampled_from(["list", "list", "check", "add", "snapshot", "purge", ""]))
    targets = draw(st.lists(TARGETS, max_size=1 if action == "list" else 2))
    extra = {"--json": None, "--limit": NUMBERS, "--name": ODD_TEXT, "--dir": PATHS,
             "--allow-private": None}  # fmt: skip
    return [command, action, *targets, *_options(draw, extra), *settings_args]


COMMANDS = ["crawl", "worker", "seed", "schedule", "status", "dead", "export", "extract", "eval",
            "sites"]  # fmt: skip

# --- running it ----------------------------------------------------------------------------------

HOSTILE_ARTICLE = {
    "url": "https://evil.example/a", "site": "evil.example",
    "title": "=HYPERLINK(\"https://evil.example\")\x1b[2J", "authors": ["@SUM(1)", "\u202eAnn"],
    "published": None, "modified": None, "language": "en", "description": "+\x9b31m",
    "image": None, "tags": ["-x"], "text": "Body\x1b]0;owned\x07 text.\r\n\nMore.",
    "fetched_at": "2024-05-03T11:00:00+00:00",
}  # fmt: skip
STORY = (
    b"<html><head><title>Story</title></head><body><article><h1>Story</h1>"
    + b"<p>Paragraph with enough words to be a body of an article here.</p>" * 8
    + b"</article></body></html>"
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """The fuzz's folder: a database of hostile articles, saved pages, an empty folder."""
    root = tmp_path_factory.mktemp("cli-fuzz")
    engine = storage.create_db_engine(f"sqlite:///{root / 'articles.db'}")
    storage.init_schema(engine)
    store_article(engine, HOSTILE_ARTICLE)
    engine.dispose()
    pages = root / "pages"
    pages.mkdir()
    (pages / "story.html").write_bytes(STORY)
    (pages / "broken.html.gz").write_bytes(b"not gzip at all")
    (pages / "evil\x1b]0;x\x07name.html").write_bytes(STORY)
    (root / "empty").mkdir()
    (root / "cwd").mkdir()
    return root


class NeverCrawl(AssertionError):
    pass


@pytest.fixture(scope="module")
def guarded():
    """No crawl job, no worker, no Redis that answers; and no retry backoff on refusal."""
    import crawler.commands.common as common
    import crawler.coordination.connection as connection
    import crawler.jobs as jobs
    import crawler.worker as worker
    from crawler.commands import site_tools
    from crawler.sampling import Sample

    real_connect = common.connect

    def connect(url):
        real_connect(url)  # raises for every URL the fuzz makes
        raise NeverCrawl(f"a Redis answered at {url}: the fuzz must never reach one")

    def never(*_args, **_kwargs):
        raise NeverCrawl("the fuzz must never start a crawl or a worker")

    def nothing_fetched(target, **_kwargs):
        return Sample(site=target, pages=[], discovered={}, feeds=[], sitemaps=[])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(common, "connect", connect)
        patch.setattr(jobs, "run_crawl_job", never)
        patch.setattr(worker, "run_worker", never)
        # sites check / add / snapshot: a sample that fetched nothing (none is fetched)
        patch.setattr(site_tools, "sample_site", nothing_fetched)
        patch.setattr(connection, "_RETRIES", 0)  # a refused connection fails at once
        yield


def run_in_process(argv: list[str], root: Path) -> tuple[int, str, str]:
    """``main(argv)`` with stdout, stderr and the commands' log lines captured."""
    argv = [arg.replace(TMP, str(root)) for arg in argv]
    out, err = io.StringIO(), io.StringIO()
    handler = logging.StreamHandler(err)
    handler.setFormatter(PrintableFormatter("%(message)s"))  # as main() sets it up
    logger = logging.getLogger()
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        with (
            contextlib.chdir(root / "cwd"),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            try:
                code = cli.main(argv, out=out)
            except SystemExit as exc:  # argparse: --help (0) and usage errors (2)
                code = exc.code if isinstance(exc.code, int) else 2
            except NeverCrawl:
                raise
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return code, out.getvalue(), err.getvalue()


def assert_contract(argv: list[str], code: int, stdout: str, stderr: str) -> None:
    shown = f"argv={argv!r}\ncode={code}\nstderr={stderr[-2000:]!r}\nstdout={stdout[-500:]!r}"
    # sites check / add / snapshot end with a run outcome (crawler/outcomes.py)
    sampling = argv[:1] == ["sites"] and argv[1:2] in (["check"], ["add"], ["snapshot"])
    assert code in (0, 1, 2) or (sampling and code in {o.code for o in OUTCOMES}), shown
    assert "Traceback" not in stderr and "Traceback" not in stdout, shown
    assert "internal error" not in stderr, shown
    assert SECRET not in stderr and SECRET not in stdout, shown
    if code == 2:
        assert len(stderr.splitlines()) == 1, shown
        assert stderr.startswith("newscrawl"), shown
    if code == 1:  # a saved page that cannot be read is extract's only failure
        assert argv[0] == "extract" and "newscrawl: " in stderr, shown
    assert not _CONTROL.search(stderr.replace("\n", "")), shown
    if code != 0 or not stdout:
        return
    if stdout.startswith("url,site,"):  # export --format csv: cells are data, but no formula
        for row in list(csv.reader(io.StringIO(stdout)))[1:]:
            assert not any(cell.startswith(FORMULA_PREFIXES) for cell in row), shown
        return
    assert not _CONTROL.search(stdout.replace("\n", "")), shown
    if argv[0] in ("export", "extract") and stdout.startswith("{"):
        for line in stdout.splitlines():
            json.loads(line)


@pytest.mark.parametrize("command", COMMANDS)
@FUZZ
@given(data=st.data())
def test_every_command_keeps_the_contract_on_any_argv(workdir, guarded, command, data):
    argv = data.draw(command_argv(command), label="argv")
    code, stdout, stderr = run_in_process(argv, workdir)
    assert_contract([a.replace(TMP, str(workdir)) for a in argv], code, stdout, stderr)


@FUZZ
@given(argv=st.lists(ODD_TEXT | st.sampled_from([*COMMANDS, "-s", "--redis", "-h"]), max_size=5))
def test_any_words_at_all_keep_the_contract(workdir, guarded, argv):
    # Right after the command: a later --redis among the words wins, a "--" keeps this one.
    if argv and argv[0] in ("crawl", "worker", "seed", "schedule", "status", "dead"):
        argv[1:1] = ["--redis", "redis://127.0.0.1:1/0"]
    if argv and argv[0] == "export":
        argv[1:1] = ["--db", f"sqlite:///{TMP}/articles.db"]
    code, stdout, stderr = run_in_process(argv, workdir)
    assert_contract(argv or ["(none)"], code, stdout, stderr)


# --- the real entry point -------------------------------------------------------------------------

ENTRY_POINT = Path(sys.executable).with_name("newscrawl")


@settings(
    max_examples=int(os.environ.get("NEWSCRAWL_FUZZ_SUBPROCESSES", "8")),
    deadline=None,
    derandomize="NEWSCRAWL_FUZZ_EXAMPLES" not in os.environ,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    argv=st.sampled_from(COMMANDS).flatmap(command_argv),
    # 0xff is never UTF-8: the shell hands such bytes over as they are
    raw=st.none() | st.binary(max_size=5).map(lambda b: b + b"\xff"),
)
def test_the_installed_command_keeps_the_contract(workdir, argv, raw):
    """The console script itself, sometimes with an argument of bytes that are not UTF-8."""
    assert ENTRY_POINT.exists(), "make test installs the newscrawl console script"
    # A sample would go to the network from this process: sampling is fuzzed in-process.
    assume(not (argv[:1] == ["sites"] and argv[1:2] in (["check"], ["add"], ["snapshot"])))
    args = [os.fsencode(a.replace(TMP, str(workdir))) for a in argv]
    if raw is not None:
        args.insert(1 + len(args) // 2, raw)
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    result = subprocess.run(
        [ENTRY_POINT, *args], cwd=workdir / "cwd", env=env, capture_output=True, timeout=120
    )
    stdout = result.stdout.decode("utf-8", "replace")
    stderr = result.stderr.decode("utf-8", "replace")
    assert_contract([a.replace(TMP, str(workdir)) for a in argv], result.returncode, stdout, stderr)
    if raw is not None:  # refused before parsing (or an earlier argument was)
        assert result.returncode == 2 and re.search(r": argument \d+ \(", stderr), stderr
