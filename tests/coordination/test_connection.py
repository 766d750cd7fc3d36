"""The Redis client factory: masked URLs, one-line errors, and the PING probe."""

from __future__ import annotations

import time

import pytest

from crawler.coordination.connection import (
    RedisUnavailable,
    answers,
    connect,
    mask_url,
    redis_client,
)


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("redis://user:s3cret@host:6379/0", "redis://user:***@host:6379/0"),
        ("redis://:s3cret@host/0", "redis://:***@host/0"),
        ("redis://s3cret@host:6380/1", "redis://***@host:6380/1"),  # bare token = password
        ("rediss://user:s3cret@host:6380/0?ssl_cert_reqs=none",
         "rediss://user:***@host:6380/0?ssl_cert_reqs=none"),
        ("unix://:s3cret@/run/redis.sock?db=2", "unix://:***@/run/redis.sock?db=2"),
        ("redis://user:p%40ss%3Aw0rd@host/0", "redis://user:***@host/0"),
        ("redis://user:s3cret@host/0#fragment", "redis://user:***@host/0"),
        ("redis://user:s3cret@[::1]:6379/0", "redis://user:***@[::1]:6379/0"),
        ("redis://user:s3c@ret@host/0", "redis://user:***@host/0"),
        # nothing to hide: unchanged
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/0"),
        ("unix:///run/redis.sock?db=0", "unix:///run/redis.sock?db=0"),
        ("http://user@host/", "http://user@host/"),
        ("not a url", "not a url"),
        ("", ""),
        # garbage that cannot even be split
        ("redis://user:s3cret@[::1/0", "<unparseable URL>"),
        ("redis://user:s3cret@host:notaport/0", "<unparseable URL>"),
    ],
)  # fmt: skip
def test_mask_url(url, masked):
    assert mask_url(url) == masked
    assert "s3cret" not in mask_url(url)


def test_mask_url_hides_a_password_in_the_query():
    assert "s3cret" not in mask_url("redis://127.0.0.1:6379/0?password=s3cret")


def test_connect_to_a_closed_port_raises_one_masked_line():
    started = time.monotonic()
    with pytest.raises(RedisUnavailable) as info:
        connect("redis://user:s3cret@127.0.0.1:1/0")
    message = str(info.value)
    assert "s3cret" not in message
    assert "\n" not in message
    assert message.startswith("cannot reach Redis at redis://user:***@127.0.0.1:1/0 (")
    assert info.value.__cause__ is None and info.value.__suppress_context__
    assert time.monotonic() - started < 15  # a few quick retries, not a hang


@pytest.mark.parametrize("url", ["http://127.0.0.1:6379/0", "redis://u:s3cret@host:notaport/0"])
def test_invalid_urls_raise_redis_unavailable(url):
    with pytest.raises(RedisUnavailable) as info:
        connect(url)
    assert "s3cret" not in str(info.value)
    assert str(info.value).startswith("invalid Redis URL")


def test_client_decodes_responses():
    client = redis_client("redis://127.0.0.1:6379/3")
    kwargs = client.connection_pool.connection_kwargs
    assert kwargs["db"] == 3
    assert client.get_encoder().decode_responses is True
    client.close()


@pytest.mark.integration
def test_connect_and_answers_with_the_real_redis(redis_url, key_prefix):
    client = connect(redis_url)
    try:
        client.set(f"{key_prefix}:probe", "é")
        assert client.get(f"{key_prefix}:probe") == "é"  # text, not bytes
    finally:
        client.close()
    assert answers(redis_url) is True


@pytest.mark.parametrize(
    "url", ["redis://127.0.0.1:1/0", "unix:///nonexistent/redis.sock", "garbage", ""]
)
def test_answers_is_false_without_raising(url):
    started = time.monotonic()
    assert answers(url, timeout=0.3) is False
    assert time.monotonic() - started < 5
