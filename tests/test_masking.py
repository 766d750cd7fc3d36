"""Passwords out of every message: Redis and database URLs, masked by one function."""

from __future__ import annotations

import pytest

from crawler.masking import mask_url, mask_urls


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


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("postgresql://u:s3cret@h:5432/db", "postgresql://u:***@h:5432/db"),
        ("postgresql+psycopg://u:s3cret@h/db", "postgresql+psycopg://u:***@h/db"),
        ("postgresql://postgres@127.0.0.1:5432/test", "postgresql://postgres@127.0.0.1:5432/test"),
        ("sqlite:///data/articles.db", "sqlite:///data/articles.db"),
        ("postgresql://u:s3cret@h:notaport/db", "<unparseable URL>"),
    ],
)
def test_database_urls(url, masked):
    assert mask_url(url) == masked


def test_mask_urls_masks_every_url_a_message_quotes():
    message = (
        "unrecognized arguments: postgresql://u:s3cret@127.0.0.1:1/x "
        "'redis://:s3cret@h:6379/0' \"rediss://tok3n@h/0?password=s3cret\" https://news.example/"
    )
    masked = mask_urls(message)
    assert "s3cret" not in masked and "tok3n" not in masked
    assert "postgresql://u:***@127.0.0.1:1/x" in masked and "'redis://:***@h:6379/0'" in masked
    assert "https://news.example/" in masked
