"""The embedded Redis: started on a unix socket under the data folder, reused, stopped."""

from __future__ import annotations

import shutil
import time
from typing import ClassVar

import pytest

from crawler.coordination import embedded as embedded_module
from crawler.coordination.connection import answers, connect
from crawler.coordination.embedded import (
    EmbeddedRedis,
    _socket_path,
    redis_server_binary,
    redis_session,
)

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


# --- which Redis a command uses ---------------------------------------------------------------


class _NoEmbedded:
    def __init__(self, *args, **kwargs):
        raise AssertionError("an embedded Redis must not be started")


def test_session_with_an_explicit_url_starts_nothing(monkeypatch, tmp_path):
    monkeypatch.setattr(embedded_module, "EmbeddedRedis", _NoEmbedded)
    monkeypatch.setattr(embedded_module, "answers", lambda url: pytest.fail("must not probe"))
    url = "redis://user:pw@127.0.0.1:1/0"  # not even reachable: still used as given
    with redis_session(url, default_url="redis://127.0.0.1:6379/0", data_dir=tmp_path) as choice:
        assert choice.url == url
        assert choice.line == "Using Redis at redis://user:***@127.0.0.1:1/0"


def test_session_uses_the_default_when_it_answers(monkeypatch, tmp_path):
    monkeypatch.setattr(embedded_module, "EmbeddedRedis", _NoEmbedded)
    probed = []
    monkeypatch.setattr(embedded_module, "answers", lambda url: probed.append(url) or True)
    with redis_session(None, default_url="redis://127.0.0.1:6379/0", data_dir=tmp_path) as choice:
        assert choice.url == "redis://127.0.0.1:6379/0"
        assert "127.0.0.1:6379" in choice.line and "REDIS_URL" in choice.line
    assert probed == ["redis://127.0.0.1:6379/0"]


class _FakeEmbedded:
    started: ClassVar[list] = []
    stopped: ClassVar[list] = []

    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.process = object()

    def start(self):
        self.started.append(self.data_dir)
        return "unix:///fake/redis.sock?db=0"

    def stop(self):
        self.stopped.append(self.data_dir)


def test_session_starts_an_embedded_server_as_the_last_resort_and_stops_it(monkeypatch, tmp_path):
    _FakeEmbedded.started, _FakeEmbedded.stopped = [], []
    monkeypatch.setattr(embedded_module, "EmbeddedRedis", _FakeEmbedded)
    monkeypatch.setattr(embedded_module, "answers", lambda url: False)
    with redis_session(None, default_url="redis://127.0.0.1:6379/0", data_dir=tmp_path) as choice:
        assert choice.url == "unix:///fake/redis.sock?db=0"
        assert choice.line.startswith("Started an embedded Redis")
        assert _FakeEmbedded.stopped == []
    assert _FakeEmbedded.started == [tmp_path] and _FakeEmbedded.stopped == [tmp_path]


def test_own_session_never_uses_a_redis_it_finds(monkeypatch, tmp_path):
    _FakeEmbedded.started, _FakeEmbedded.stopped = [], []
    monkeypatch.setattr(embedded_module, "EmbeddedRedis", _FakeEmbedded)
    monkeypatch.setattr(embedded_module, "answers", lambda url: pytest.fail("must not probe"))
    with redis_session(
        None, default_url="redis://127.0.0.1:6379/0", data_dir=tmp_path, own=True
    ) as choice:
        assert choice.url.startswith("unix://")
    assert _FakeEmbedded.stopped == [tmp_path]
