"""Shared fixtures: the real Redis and PostgreSQL of the machine, isolated per test.

Integration tests use the Redis on 127.0.0.1:6379 (a unique key prefix per test, deleted
afterwards) and the PostgreSQL on 127.0.0.1:5432 (database ``test``, a unique schema per
test, dropped afterwards). Where a service is missing they skip with the reason, except
with ``CI=true``, where a missing service fails the test: CI must run them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
import redis

REDIS_URL = os.environ.get("NEWSCRAWL_TEST_REDIS", "redis://127.0.0.1:6379/0")
POSTGRES_URL = os.environ.get(
    "NEWSCRAWL_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test"
)


def _missing(service: str, reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{service} is required when CI=true: {reason}")
    pytest.skip(f"{service} not available: {reason}")


@pytest.fixture
def redis_url() -> str:
    """The test Redis URL (skips, or fails under CI, when Redis does not answer)."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        _missing("Redis", str(exc))
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture
def key_prefix(redis_url: str) -> Iterator[str]:
    """A key prefix of this test's own; every key under it is deleted afterwards."""
    prefix = f"nctest-{uuid.uuid4().hex[:12]}"
    yield prefix
    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema of this test's own."""
    import sqlalchemy as sa

    schema = f"nctest_{uuid.uuid4().hex[:12]}"
    admin_url = POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        engine = sa.create_engine(admin_url, connect_args={"connect_timeout": 3})
        with engine.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:
        _missing("PostgreSQL", str(exc.orig).splitlines()[0])
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options=-csearch_path%3D{schema}"
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()
