"""Fixtures shared by the frontier tests: a Frontier on the real Redis under the test's own
key prefix, and a small Bloom seen-filter for building queue entries."""

from __future__ import annotations

import pytest

from crawler.coordination.connection import connect
from crawler.coordination.frontier import Frontier
from crawler.coordination.keys import Keys
from crawler.coordination.seen import SeenFilter


@pytest.fixture
def frontier(redis_url, key_prefix):
    client = connect(redis_url)
    yield Frontier(client, Keys(key_prefix))
    client.close()


@pytest.fixture
def seen(key_prefix):
    return SeenFilter(Keys(key_prefix), mode="bloom", capacity=10_000, error_rate=0.001,
                      recrawl_days=0)  # fmt: skip
