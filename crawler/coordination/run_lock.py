"""One ``newscrawl crawl`` at a time per frontier: the run lock in Redis.

Two crawls on one frontier (the same Redis and key prefix) would each count the other's
pages as their own, and both seed the same sites. The job takes this lock before it seeds
and keeps it while it runs (redis-py's ``Lock``: a token, a time to live, renewed as the
job reports progress, so a job killed outright frees it within ``RUN_LOCK_SECONDS``); a
second job finds it taken and is refused, told which one holds it.
"""

from __future__ import annotations

import json
import os
import socket
import time
from typing import Any

import redis
from redis.lock import Lock

from crawler.coordination.frontier import Frontier

# A job renews the lock at least every PROGRESS interval (30 s at the most); a minute
# leaves room for one late renewal, and frees the lock of a job killed outright soon.
RUN_LOCK_SECONDS = 60


class RunLock:
    """The frontier's run lock, held by one crawl job."""

    def __init__(self, frontier: Frontier) -> None:
        self.frontier = frontier
        self._lock = Lock(
            frontier.client, frontier.keys.run_lock, timeout=RUN_LOCK_SECONDS, blocking=False
        )

    def acquire(self) -> dict[str, Any] | None:
        """Take the lock: None when taken, else what the holder said about itself."""
        if self._lock.acquire(blocking=False):
            info = {"host": socket.gethostname(), "pid": os.getpid(), "started": time.time()}
            self.frontier.client.set(
                self.frontier.keys.run_info, json.dumps(info), ex=RUN_LOCK_SECONDS * 10
            )
            return None
        raw = self.frontier.client.get(self.frontier.keys.run_info)
        try:
            holder = json.loads(raw) if raw else {}
        except ValueError:
            holder = {}
        return holder if isinstance(holder, dict) else {}

    def renew(self) -> None:
        """Keep the lock (logged by the caller if Redis is away for a moment)."""
        self._lock.extend(RUN_LOCK_SECONDS, replace_ttl=True)

    def release(self) -> None:
        try:
            self._lock.release()
            self.frontier.client.delete(self.frontier.keys.run_info)
        except redis.RedisError:
            pass  # expired meanwhile, or Redis away: the lock frees itself
