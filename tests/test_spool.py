"""The local spool: durable appends, replay that never loses a line, orphans adopted once."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from crawler.spool import Spool


def records(n, start=0):
    return [
        {"url": f"https://a.example/{i}", "text": f"body {i} é\x00"}
        for i in range(start, start + n)
    ]


def test_append_then_replay_stores_everything_and_removes_the_file(tmp_path):
    spool = Spool(tmp_path, "host-123-456")
    for record in records(3):
        spool.append(record)
    assert spool.pending() and len(spool) == 3
    stored = []
    replaying = spool.start_replay()
    assert spool.finish_replay(replaying, stored.append) == 3
    assert stored == records(3)
    assert not spool.pending() and not list(tmp_path.iterdir())


def test_a_failed_replay_keeps_the_file_and_later_appends_go_to_a_new_one(tmp_path):
    spool = Spool(tmp_path, "host-123-456")
    for record in records(2):
        spool.append(record)
    replaying = spool.start_replay()

    def fail(_record):
        raise RuntimeError("database away")

    with pytest.raises(RuntimeError):
        spool.finish_replay(replaying, fail)
    spool.append(records(1, start=2)[0])  # arrives while the set-aside file waits
    assert spool.pending()
    stored = []
    assert spool.finish_replay(spool.start_replay(), stored.append) == 2  # the set-aside file first
    assert spool.finish_replay(spool.start_replay(), stored.append) == 1
    assert [r["url"] for r in stored] == [r["url"] for r in records(3)]
    assert not spool.pending()


def test_a_truncated_last_line_is_skipped_not_fatal(tmp_path):
    spool = Spool(tmp_path, "host-123-456")
    spool.append(records(1)[0])
    with spool.path.open("a") as handle:
        handle.write('{"url": "https://a.example/cut-sh')  # a crash mid-write
    stored = []
    assert spool.finish_replay(spool.start_replay(), stored.append) == 1


def test_orphans_of_dead_workers_are_claimed_once_and_live_ones_left(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead_pid = int(dead.stdout)
    orphan = tmp_path / f"host-{dead_pid}-1.jsonl"
    orphan.write_text(json.dumps(records(1)[0]) + "\n")
    alive = tmp_path / f"host-{os.getppid()}-1.jsonl"
    alive.write_text(json.dumps(records(1)[0]) + "\n")
    first, second = Spool(tmp_path, "host-1-1"), Spool(tmp_path, "host-2-2")
    claimed = first.claim_orphans()
    assert len(claimed) == 1 and claimed[0].name.startswith(orphan.name)
    assert second.claim_orphans() == []
    assert alive.exists()
    assert first.adopt(claimed[0]) == 1 and first.pending() and not claimed[0].exists()


def test_files_a_dead_worker_left_mid_replay_or_mid_claim_are_claimed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead_pid = int(dead.stdout)
    replaying = tmp_path / f"host-{dead_pid}-1.jsonl.replaying"
    replaying.write_text(json.dumps(records(1)[0]) + "\n")
    half_claimed = tmp_path / f"host-{os.getpid() + 0}-9.jsonl.claimed-{dead_pid}"
    half_claimed.write_text(json.dumps(records(1, start=1)[0]) + "\n")
    spool = Spool(tmp_path, "host-1-1")
    claimed = spool.claim_orphans()
    assert len(claimed) == 2
    stored = []
    for path in claimed:
        Spool.replay_file(path, stored.append)
    assert sorted(r["url"] for r in stored) == sorted(r["url"] for r in records(2))
    assert list(tmp_path.iterdir()) == []
