"""The embedded Redis: started on a unix socket under the data folder, reused, stopped."""

from __future__ import annotations

import shutil
import time

import pytest

from crawler.coordination.connection import answers, connect
from crawler.coordination.embedded import EmbeddedRedis, _socket_path, redis_server_binary

pytestmark = pytest.mark.skipif(redis_server_binary() is None, reason="no redis-server binary")


@pytest.fixture
def embedded(tmp_path):
    server = EmbeddedRedis(tmp_path)
    yield server
    server.stop()


@pytest.mark.timeout(60)
def test_start_write_persist_reuse_and_stop(tmp_path, embedded):
    url = embedded.start()
    assert url == f"unix://{tmp_path.resolve()}/redis/redis.sock?db=0"
    assert embedded.process is not None and embedded.process.poll() is None
    assert answers(url)

    client = connect(url)
    try:
        client.set("newscrawl-test", "persisted")
        # appendfsync everysec: the AOF appears within about a second of the write
        deadline = time.monotonic() + 10
        aof = []
        while time.monotonic() < deadline:
            aof = [p for p in (tmp_path / "redis").rglob("*.aof*") if p.stat().st_size > 0]
            if any(b"newscrawl-test" in p.read_bytes() for p in aof):
                break
            time.sleep(0.1)
        assert any(b"newscrawl-test" in p.read_bytes() for p in aof), aof
    finally:
        client.close()

    second = EmbeddedRedis(tmp_path)
    assert second.start() == url
    assert second.process is None  # reused, not started (and so never stopped by it)
    second.stop()
    assert answers(url)

    process = embedded.process
    embedded.stop()
    assert embedded.process is None
    assert process.poll() is not None
    assert not answers(url)
    embedded.stop()  # a second stop is harmless


@pytest.mark.timeout(60)
def test_restart_resumes_from_the_append_only_file(tmp_path):
    first = EmbeddedRedis(tmp_path)
    client = connect(first.start())
    client.set("survives", "yes")
    client.close()
    first.stop()

    again = EmbeddedRedis(tmp_path)
    try:
        client = connect(again.start())
        assert client.get("survives") == "yes"
        client.close()
    finally:
        again.stop()


def test_socket_path_of_a_deep_folder_stays_short(tmp_path):
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    path = _socket_path(deep)
    try:
        assert len(str(path)) <= 107
        assert path.name == "redis.sock"
        assert _socket_path(tmp_path) == tmp_path.resolve() / "redis" / "redis.sock"
    finally:
        if not path.parent.is_relative_to(tmp_path):
            shutil.rmtree(path.parent, ignore_errors=True)


def test_socket_path_of_a_deep_folder_is_stable(tmp_path):
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    first, second = _socket_path(deep), _socket_path(deep)
    for path in {first.parent, second.parent}:
        if not path.is_relative_to(tmp_path):
            shutil.rmtree(path, ignore_errors=True)
    assert first == second
