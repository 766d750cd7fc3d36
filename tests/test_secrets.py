"""Secrets: a crawl through TLS + AUTH Redis and a password-bearing database URL leaks neither.

A redis-server of the test's own listens with TLS only and requires a password; the crawl
command gets both passwords in its URLs. Nothing the operator or another local user can
see may contain them: the command's output, worker logs, ``status``, ``dead list``, the
process list while the crawl runs, and the errors of a wrong password.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
import redis

from tests.crawltools import run_newscrawl, stored
from tests.demo_site.server import DemoSite

pytestmark = [pytest.mark.integration, pytest.mark.crawl]

REDIS_PASSWORD = "r3dis-s3cret"
DB_PASSWORD = "db-s3cret"


def _free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def tls_redis(tmp_path):
    if shutil.which("redis-server") is None or shutil.which("openssl") is None:
        pytest.skip("needs redis-server and openssl")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    port = _free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", "0", "--tls-port", str(port), "--bind", "127.0.0.1",
         "--tls-cert-file", str(cert), "--tls-key-file", str(key), "--tls-ca-cert-file", str(cert),
         "--tls-auth-clients", "no", "--requirepass", REDIS_PASSWORD, "--save", "",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"rediss://:{REDIS_PASSWORD}@127.0.0.1:{port}/0?ssl_ca_certs={cert}"
    deadline = time.monotonic() + 10
    while True:
        try:
            redis.Redis.from_url(url).ping()
            break
        except redis.RedisError:
            if time.monotonic() > deadline:
                server.kill()
                pytest.fail("TLS redis-server did not start")
            time.sleep(0.1)
    yield url, cert, port
    server.terminate()
    server.wait(timeout=10)


def _watch_process_list(found: list[str], stop: threading.Event) -> None:
    while not stop.is_set():
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if REDIS_PASSWORD in text or DB_PASSWORD in text:
                found.append(text)
        time.sleep(0.2)


def test_no_password_reaches_output_logs_status_or_process_list(tls_redis, postgres_url, tmp_path):
    url, _cert, _port = tls_redis
    # trust authentication accepts any password, so the URL can carry one
    db_url = postgres_url.replace("postgres@", f"postgres:{DB_PASSWORD}@", 1)
    leaks: list[str] = []
    stop = threading.Event()
    watcher = threading.Thread(target=_watch_process_list, args=(leaks, stop), daemon=True)
    with DemoSite(host="127.0.0.13", port=0) as site:
        watcher.start()
        try:
            crawl = run_newscrawl(
                "crawl", site.base_url, "--workers", "2", "--allow-private", "--redis", url,
                "--db", db_url, "-s", f"NEWS_DATA_DIR={tmp_path / 'data'}", "-s", "DOWNLOAD_DELAY=0",
                cwd=tmp_path,
            )  # fmt: skip
        finally:
            stop.set()
            watcher.join()
    assert crawl.returncode == 0, crawl.stderr
    assert len(stored(db_url)) == 30
    # the crawl command itself carries the password in its argv (the operator typed it);
    # what it starts must not
    worker_leaks = [line for line in leaks if " worker" in line]
    assert worker_leaks == []
    outputs = [crawl.stdout, crawl.stderr]
    outputs += [p.read_text() for p in (tmp_path / "data" / "logs").glob("*.log")]
    for command in (["status"], ["status", "--json"], ["dead", "list"]):
        result = run_newscrawl(*command, "--redis", url, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        outputs += [result.stdout, result.stderr]
    wrong_redis = url.replace(REDIS_PASSWORD, "wr0ng-pass")
    refused = run_newscrawl("status", "--redis", wrong_redis, cwd=tmp_path)
    assert refused.returncode == 2 and "wr0ng-pass" not in refused.stderr
    assert "***" in refused.stderr
    outputs += [refused.stdout, refused.stderr]
    everything = "\n".join(outputs)
    assert "rediss://" in everything  # the URL is shown, masked
    assert REDIS_PASSWORD not in everything
    assert DB_PASSWORD not in everything
