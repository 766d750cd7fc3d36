"""Command-line configuration: -s overrides, their types, and which Redis a command uses."""

from __future__ import annotations

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
