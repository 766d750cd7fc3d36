"""Operator actions on dead letters: requests that failed for good, kept for a person to see.

``requeue_dead_letters`` puts the requests of the oldest dead letters back into the frontier
(bypassing the seen-filter, since their URLs are marked seen), and keeps entries it cannot
read at the end of the list. Requeue is at-least-once: if it is interrupted after pushing
and before trimming, a request may be queued twice, never lost.
"""

from __future__ import annotations

import json

from crawler.coordination import codec
from crawler.coordination.frontier import Frontier

# Requeued requests go behind fresh discoveries: they failed before.
_REQUEUE_SCORE = 0


def requeue_dead_letters(frontier: Frontier, limit: int) -> tuple[int, int]:
    """Requeue up to ``limit`` dead letters; returns (requeued, kept as unreadable)."""
    raw_entries = frontier.client.lrange(frontier.keys.dead_letters, 0, max(0, limit - 1))
    pushes, unreadable = [], []
    for raw in raw_entries:
        try:
            entry = json.loads(raw)
            payload = entry["payload"]
            codec.decode_request(payload)
            host = codec.entry_host(payload)
        except (ValueError, KeyError, TypeError, codec.RequestDecodeError):
            unreadable.append(raw)
            continue
        pushes.append({"host": host, "score": _REQUEUE_SCORE, "payload": payload})
    if pushes:
        frontier.sync({"push": pushes})
    pipe = frontier.client.pipeline(transaction=True)
    pipe.ltrim(frontier.keys.dead_letters, len(raw_entries), -1)
    if unreadable:
        pipe.rpush(frontier.keys.dead_letters, *unreadable)
    pipe.execute()
    return len(pushes), len(unreadable)
