"""Helpers for crawl tests: run ``newscrawl`` in real processes against the demo site.

Crawl tests start the demo news site on a loopback address of their own, run the real
command line (``python -m crawler.cli``) with real worker processes against the real Redis
(a unique key prefix per test) and a real database, then read back what was stored and
what the demo server saw.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from crawler import storage

REPO = Path(__file__).resolve().parent.parent


def newscrawl_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "crawler.cli", *args]


def crawl_env() -> dict[str, str]:
    """The environment of a crawl subprocess: the repository importable, no stray config."""
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    # Warnings are errors in the workers too: a crawl must not emit deprecation warnings.
    env["PYTHONWARNINGS"] = "error"
    return env


def run_newscrawl(*args: str, cwd: Path, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        newscrawl_argv(*args),
        cwd=cwd,
        env=crawl_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def common_args(redis_url: str, db_url: str, prefix: str, data_dir: Path) -> list[str]:
    return [
        "--redis", redis_url,
        "--db", db_url,
        "-s", f"NEWS_KEY_PREFIX={prefix}",
        "-s", f"NEWS_DATA_DIR={data_dir}",
    ]  # fmt: skip


def seed(targets: list[str], args: list[str], cwd: Path) -> None:
    """``newscrawl seed`` the targets with a worker's arguments (``seed`` takes no --db)."""
    if "--db" in args:
        i = args.index("--db")
        args = [*args[:i], *args[i + 2 :]]
    result = run_newscrawl("seed", *targets, *args, cwd=cwd)
    assert result.returncode == 0, result.stderr


def start_worker(*args: str, cwd: Path, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as handle:
        return subprocess.Popen(
            newscrawl_argv("worker", *args),
            cwd=cwd,
            env=crawl_env(),
            stdout=handle,
            stderr=subprocess.STDOUT,
        )


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout: float = 60) -> int:
    if process.poll() is None:
        process.send_signal(sig)
    return process.wait(timeout=timeout)


def stored(db_url: str) -> list[dict[str, Any]]:
    engine = storage.create_db_engine(db_url)
    try:
        return list(storage.iter_articles(engine))
    finally:
        engine.dispose()


def stored_row_count(db_url: str) -> int:
    import sqlalchemy as sa

    engine = storage.create_db_engine(db_url)
    try:
        with engine.connect() as connection:
            return connection.execute(
                sa.select(sa.func.count()).select_from(storage.articles)
            ).scalar()
    finally:
        engine.dispose()


def wait_for(predicate: Any, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


class PeakMemory:
    """The peak resident memory (VmHWM, in MiB) of a running process, sampled from /proc.

    VmHWM is the kernel's high-water mark, so a sample at any time holds every earlier peak;
    it is read every ``interval`` until the process exits (when /proc stops showing it).
    """

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        self.pid = pid
        self.interval = interval
        self.mib = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        path = Path(f"/proc/{self.pid}/status")
        while not self._stop.is_set():
            try:
                match = re.search(r"^VmHWM:\s+(\d+) kB", path.read_text(), re.MULTILINE)
            except OSError:
                return
            if match:
                self.mib = max(self.mib, int(match.group(1)) / 1024)
            self._stop.wait(self.interval)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def reactor_lag(log: str) -> float:
    """The worst reactor lag the workers of ``log`` reported when they closed (seconds)."""
    found = re.findall(r"Reactor lag: at most (\d+\.\d+) s", log)
    assert found, "no worker reported its reactor lag"
    return max(float(value) for value in found)


def stat(log: str, name: str) -> int | float | None:
    """A value of the stats a worker dumped when it closed (the last worker's, if several)."""
    found = re.findall(rf"'{re.escape(name)}': ([0-9.]+)", log)
    return (float(found[-1]) if "." in found[-1] else int(found[-1])) if found else None
