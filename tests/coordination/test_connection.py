"""The Redis client factory: masked URLs, one-line errors, and the PING probe."""

from __future__ import annotations

import time

import pytest

from crawler.coordination.connection import (
    RedisUnavailable,
    answers,
    connect,
    redis_client,
)


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
