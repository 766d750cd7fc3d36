"""Who this process is: the one worker id every part of a worker reports under.

A worker is one process; its id says where it runs (host name and pid) and when it
started, so that a restarted worker with a reused pid is a new id. Leases, heartbeats,
dead letters, the spool file and feed-export file names all use this id.
"""

from __future__ import annotations

import os
import socket
import time
from functools import cache


@cache
def _worker_id(pid: int) -> str:
    return f"{socket.gethostname()}-{pid}-{int(time.time()) % 100000}"


def worker_id() -> str:
    """This process's worker id, the same on every call (a forked child gets its own)."""
    return _worker_id(os.getpid())
