"""Command-line configuration: -s overrides, their types, and which Redis a command uses."""

from __future__ import annotations

import re

import pytest

from crawler.config import ConfigError, build_settings, parse_override


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("DOWNLOAD_DELAY=0.5", ("DOWNLOAD_DELAY", 0.5)),
        ("CONCURRENT_REQUESTS=4", ("CONCURRENT_REQUESTS", 4)),
        ("X=-3", ("X", -3)),
        ("X=true", ("X", True)),
        ("X=false", ("X", False)),
        ("X=null", ("X", None)),
        ('X=["a", 1]', ("X", ["a", 1])),
        ('X={"k": 1}', ("X", {"k": 1})),
        ('X="quoted"', ("X", "quoted")),
        ("USER_AGENT=my bot (+https://me.example)", ("USER_AGENT", "my bot (+https://me.example)")),
        ("X=", ("X", "")),
        ("X==y", ("X", "=y")),
        ("X=a=b", ("X", "a=b")),
        (" NEWS_KEY_PREFIX =crawl1", ("NEWS_KEY_PREFIX", "crawl1")),
        ("X2_Y=1", ("X2_Y", 1)),
    ],
)
def test_parse_override(text, expected):
    assert parse_override(text) == expected


@pytest.mark.parametrize(
    "text", ["DOWNLOAD_DELAY", "", "=1", "download_delay=1", "Download_Delay=1", "A-B=1", "A B=1",
             "_=1"],
)  # fmt: skip
def test_parse_override_errors(text):
    with pytest.raises(ConfigError) as info:
        parse_override(text)
    assert "NAME=VALUE" in str(info.value)
    assert "\n" not in str(info.value)


def test_build_settings_defaults():
    settings = build_settings()
    assert settings.getfloat("DOWNLOAD_DELAY") == 1.0
    assert settings.get("NEWS_KEY_PREFIX") == "newscrawl"
    assert settings.get("DUPEFILTER_CLASS") == "crawler.coordination.seen.RecentLinksFilter"
    assert settings.getpriority("DOWNLOAD_DELAY") == 20  # "project"


@pytest.mark.parametrize(
    ("override", "name", "value"),
    [
        ("DOWNLOAD_DELAY=0.25", "DOWNLOAD_DELAY", 0.25),
        ("DOWNLOAD_DELAY=0", "DOWNLOAD_DELAY", 0),
        ("NEWS_SEEN_CAPACITY=5000", "NEWS_SEEN_CAPACITY", 5000),
        ("NEWS_EXIT_WHEN_DRAINED=true", "NEWS_EXIT_WHEN_DRAINED", True),
        ("NEWS_EXIT_WHEN_DRAINED=1", "NEWS_EXIT_WHEN_DRAINED", True),
        ("NEWS_EXIT_WHEN_DRAINED=yes", "NEWS_EXIT_WHEN_DRAINED", True),
        ("NEWS_EXIT_WHEN_DRAINED=NO", "NEWS_EXIT_WHEN_DRAINED", False),
        ("NEWS_EXIT_WHEN_DRAINED=0", "NEWS_EXIT_WHEN_DRAINED", False),
        ("NEWS_KEY_PREFIX=crawl-7", "NEWS_KEY_PREFIX", "crawl-7"),
        ("NEWS_KEY_PREFIX=123", "NEWS_KEY_PREFIX", "123"),  # a string setting stays a string
        ("NEWS_ALLOW_NETWORKS=10.0.0.0/8,192.168.0.0/16,", "NEWS_ALLOW_NETWORKS",
         ["10.0.0.0/8", "192.168.0.0/16"]),
        ('NEWS_ALLOW_HOSTS=["intranet.example"]', "NEWS_ALLOW_HOSTS", ["intranet.example"]),
        ("NEWS_ALLOW_HOSTS=", "NEWS_ALLOW_HOSTS", []),
        ("SOME_OTHER_SCRAPY_SETTING=7", "SOME_OTHER_SCRAPY_SETTING", 7),  # no default: as given
    ],
)  # fmt: skip
def test_build_settings_typed_overrides(override, name, value):
    settings = build_settings([override])
    assert settings.get(name) == value
    assert type(settings.get(name)) is type(value)
    assert settings.getpriority(name) == 40  # "cmdline"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("DOWNLOAD_DELAY=abc", "expected a number"),
        ("DOWNLOAD_DELAY=true", "expected a number"),
        ("DOWNLOAD_DELAY=[1]", "expected a number"),
        ("DOWNLOAD_DELAY=-1", "must not be negative"),
        ("NEWS_SEEN_CAPACITY=-5", "must not be negative"),
        ("NEWS_EXIT_WHEN_DRAINED=maybe", "expected true or false"),
        ("NEWS_EXIT_WHEN_DRAINED=2", "expected true or false"),
        ("NEWS_TYPO=1", "unknown setting NEWS_TYPO"),
        ("NEWS_redis_url=x", "NAME=VALUE"),
        ("DOWNLOAD_HANDLERS=[]", "expected a JSON object"),
        ("ITEM_PIPELINES=nope", "expected a JSON object"),
        ("nope", "NAME=VALUE"),
    ],
)
def test_build_settings_rejects(override, message):
    with pytest.raises(ConfigError, match=message) as info:
        build_settings([override])
    assert "\n" not in str(info.value)


def test_dict_settings_take_a_json_object():
    settings = build_settings(['ITEM_PIPELINES={"pipelines.store.StorePipeline": 300}'])
    assert settings.getdict("ITEM_PIPELINES") == {"pipelines.store.StorePipeline": 300}


def test_a_bad_override_among_good_ones_is_still_rejected():
    with pytest.raises(ConfigError, match="NEWS_TYPO"):
        build_settings(["DOWNLOAD_DELAY=0.5", "NEWS_TYPO=1"])


def test_redis_db_and_allow_private_placement():
    settings = build_settings(
        ["DOWNLOAD_DELAY=2"],
        redis_url="redis://h:6380/2",
        database_url="postgresql://u@h/db",
        allow_private=True,
    )
    assert settings.get("NEWS_REDIS_URL") == "redis://h:6380/2"
    assert settings.get("NEWS_DATABASE_URL") == "postgresql://u@h/db"
    assert settings.getbool("NEWS_ALLOW_PRIVATE") is True
    for name in ("NEWS_REDIS_URL", "NEWS_DATABASE_URL", "NEWS_ALLOW_PRIVATE"):
        assert settings.getpriority(name) == 40


def test_flags_win_over_the_same_setting_given_with_s():
    settings = build_settings(["NEWS_REDIS_URL=redis://from-s/0"], redis_url="redis://flag/0")
    assert settings.get("NEWS_REDIS_URL") == "redis://flag/0"


def test_allow_private_false_leaves_the_default():
    settings = build_settings(allow_private=False)
    assert settings.getpriority("NEWS_ALLOW_PRIVATE") == 20


def test_whole_number_settings_refuse_fractions():
    with pytest.raises(ConfigError, match="whole number"):
        build_settings(["NEWS_SEEN_CAPACITY=2.5"])
    assert build_settings(["NEWS_SEEN_CAPACITY=2.0"]).getint("NEWS_SEEN_CAPACITY") == 2


@pytest.mark.parametrize(
    "override",
    ["DOWNLOAD_DELAY=NaN", "DOWNLOAD_DELAY=Infinity", "DOWNLOAD_DELAY=-Infinity",
     "DOWNLOAD_DELAY=1e400", "NEWS_SEEN_CAPACITY=NaN", "NEWS_LEASE_SECONDS=Infinity",
     "SOME_OTHER_SCRAPY_SETTING=NaN", "SOME_OTHER_SCRAPY_SETTING=[1, Infinity]",
     'SOME_OTHER_SCRAPY_SETTING={"a": {"b": -Infinity}}'],
)  # fmt: skip
def test_non_finite_numbers_are_refused_wherever_they_appear(override):
    with pytest.raises(ConfigError, match="finite number") as info:
        build_settings([override])
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("DOWNLOAD_TIMEOUT=1e308", "at most 315360000 (ten years)"),
        ("NEWS_LEASE_SECONDS=315360001", "ten years"),
        ("NEWS_RECRAWL_DAYS=3651", "at most 3650"),
        ("NEWS_LISTING_REFRESH_MINUTES=1e9", "at most 5256000"),
        ("NEWS_SEEN_CAPACITY=1e20", "at most 9007199254740992"),
        ("DOWNLOAD_MAXSIZE=99999999999999999999999999", "2**53"),
        ("DOWNLOAD_TIMEOUT=0", "must be above 0"),
        ("NEWS_SYNC_INTERVAL=0", "must be above 0"),
        ("NEWS_SEEN_ERROR_RATE=0", "must be above 0"),
        ("NEWS_SEEN_ERROR_RATE=1", "must be below 1"),
        ("NEWS_MAX_ATTEMPTS=0", "must be at least 1"),
        ("DEPTH_LIMIT=-1", "must not be negative"),
    ],
)
def test_numbers_stay_within_what_the_crawler_can_compute_with(override, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        build_settings([override])


@pytest.mark.parametrize(
    ("override", "value"),
    [("NEWS_RECRAWL_DAYS=3650", 3650), ("RETRY_PRIORITY_ADJUST=-5", -5),
     ("DEPTH_PRIORITY=-1", -1), ("DOWNLOAD_DELAY=0", 0), ("NEWS_SEEN_ERROR_RATE=0.5", 0.5)],
)  # fmt: skip
def test_numbers_within_bounds_and_negative_priorities_pass(override, value):
    name = override.partition("=")[0]
    assert build_settings([override]).get(name) == value


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("USER_AGENT=", "must not be empty"),
        ("USER_AGENT=   ", "must not be empty"),
        ("NEWS_DATA_DIR=", "must not be empty"),
        ("USER_AGENT=bot\r\nX-Injected: 1", "control characters"),
        ("NEWS_KEY_PREFIX=crawl\x1b[31m", "control characters"),
        ('SOME_OTHER_SCRAPY_SETTING=["a\\u0000b"]', "control characters"),
        ("NEWS_KEY_PREFIX=*", "letters, digits"),
        ("NEWS_KEY_PREFIX=a:b", "letters, digits"),
        ("NEWS_SEEN_MODE=exact", "expected one of bloom, set"),
        ("LOG_LEVEL=verbose", "expected one of CRITICAL"),
    ],
)
def test_text_settings_refuse_empty_control_characters_and_unknown_words(override, message):
    with pytest.raises(ConfigError, match=re.escape(message)) as info:
        build_settings([override])
    assert "\n" not in str(info.value) and "\r" not in str(info.value)


def test_text_settings_keep_the_text_as_typed():
    assert build_settings(["USER_AGENT=1.50"]).get("USER_AGENT") == "1.50"
    assert build_settings(["USER_AGENT=NaN"]).get("USER_AGENT") == "NaN"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ('ITEM_PIPELINES={"nosuch.Pipeline": 300}', "cannot import nosuch.Pipeline"),
        ('ITEM_PIPELINES={"pipelines.store.Nope": 300}', "doesn't define any object named"),
        ('ITEM_PIPELINES={"pipelines.store.StorePipeline": "last"}', "whole number or null"),
        ('ITEM_PIPELINES={"pipelines.store.StorePipeline": 1.5}', "whole number or null"),
        ('DOWNLOADER_MIDDLEWARES={"": 1}', "is not a Python path"),
        ('EXTENSIONS={"not a path": 1}', "cannot import"),
        ('DOWNLOAD_HANDLERS={"http": "nosuch.Handler"}', "http: cannot import"),
        ('DEFAULT_REQUEST_HEADERS={"Accept": 1}', "header values must be text"),
        ("SCHEDULER=nosuch.Scheduler", "cannot import nosuch.Scheduler"),
        ("DUPEFILTER_CLASS=crawler.coordination.seen.Nope", "cannot import"),
        ("SPIDER_MODULES=nosuch_spiders", "cannot import nosuch_spiders"),
        ("REFERRER_POLICY=whatever", "cannot import"),
        ('FEEDS={"out.jsonl": {"format": "nosuchformat"}}', "format must be one of"),
        ('FEEDS={"out.jsonl": {}}', "format must be one of"),
        ('FEEDS={"gopher://h/out.jsonl": {"format": "jsonl"}}', "no feed storage"),
        ('FEEDS={"out.jsonl": {"format": "jsonl", "encoding": "klingon"}}', "unknown encoding"),
        ('FEEDS={"out.jsonl": {"format": "jsonl", "overwrite": "yes"}}', "overwrite"),
        ('FEEDS={"out.jsonl": {"format": "jsonl", "item_filter": "nosuch.F"}}', "cannot import"),
        ('FEEDS={"out.jsonl": "jsonl"}', "must be a JSON object"),
        ("NEWS_ALLOW_NETWORKS=10.0.0.0/33", "does not appear to be an IPv4 or IPv6 network"),
        ("NEWS_ALLOW_NETWORKS=10.0.0.0/8,not-a-network", "not-a-network"),
        ("NEWS_ALLOW_NETWORKS=[10]", "expected a list of text values"),
        ("NEWS_ALLOW_HOSTS=http://intranet.example/", "is not a host name"),
        ("NEWS_ALLOW_HOSTS=5", "expected a JSON list"),
        ("RETRY_HTTP_CODES=500,server-error", "expected whole numbers"),
        ('HTTPERROR_ALLOWED_CODES=[404, null]', "text values or whole numbers"),
    ],
)  # fmt: skip
def test_structured_settings_are_parsed_as_their_components_will(override, message):
    with pytest.raises(ConfigError, match=re.escape(message)) as info:
        build_settings([override])
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "override",
    ['ITEM_PIPELINES={"pipelines.store.StorePipeline": 300, "pipelines.validate.ValidatePipeline": null}',
     'FEEDS={"out/articles-%(worker)s.jsonl": {"format": "jsonlines", "encoding": "utf8"}}',
     'FEEDS={"s3://bucket/a.csv": {"format": "csv", "fields": ["url", "title"]}}',
     "SCHEDULER_SERIALIZER=crawler.coordination.codec", "REFERRER_POLICY=no-referrer",
     "SPIDER_MODULES=spiders,tests.declared", "NEWS_ALLOW_NETWORKS=10.0.0.0/8, fd00::/8",
     "NEWS_ALLOW_HOSTS=intranet.example,bücher.example,10.1.2.3", "RETRY_HTTP_CODES=500,503"],
)  # fmt: skip
def test_well_formed_structured_settings_pass(override):
    build_settings([override])


def test_deep_json_is_text_not_a_crash():
    assert (
        build_settings(["SOME_OTHER_SCRAPY_SETTING=" + "[" * 100_000])
        .get("SOME_OTHER_SCRAPY_SETTING")
        .startswith("[[[")
    )
