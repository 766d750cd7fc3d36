"""A local, durable holding file for articles the database could not take yet.

When the database is away, the store pipeline appends each article to a JSON Lines spool
file of its worker (``<data>/spool/<worker>.jsonl``), synced to disk before the page is
acknowledged, and replays the file once the database answers again. A worker that stops
while the database is still away leaves its file; the next worker started on the machine
claims such files (an atomic rename, so two workers never replay the same one) and
replays them. Replaying is an upsert by canonical URL, so replaying twice stores once.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

SUFFIX = ".jsonl"
_REPLAYING = ".replaying"
_CLAIMED = ".claimed-"


class Spool:
    """One worker's spool file, and the replay of any left behind."""

    def __init__(self, folder: Path, worker: str) -> None:
        self.folder = Path(folder)
        self.path = self.folder / f"{worker}{SUFFIX}"
        self.count = 0

    def append(self, record: dict[str, Any]) -> None:
        """Add one article; it is on disk (fsync) when this returns."""
        self.folder.mkdir(parents=True, exist_ok=True)
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with self.path.open("a", encoding="utf-8", errors="surrogatepass") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())
        self.count += 1

    def __len__(self) -> int:
        return self.count

    def start_replay(self) -> Path | None:
        """Set the current file aside for replay; later articles go to a fresh file.

        Call it from the thread that appends (the reactor), then ``replay`` the returned
        file in any thread: no append can land in a file being replayed.
        """
        replaying = self.path.with_name(self.path.name + _REPLAYING)
        if not replaying.exists():
            if not self.path.exists():
                return None
            self.path.rename(replaying)
            self.count = 0
        return replaying

    def finish_replay(self, replaying: Path, store: Callable[[dict[str, Any]], None]) -> int:
        """Store every article of a file set aside; the file goes once all are stored.

        ``store`` raising leaves the file for the next attempt (with the articles already
        stored in it stored again then: harmless upserts).
        """
        return self.replay_file(replaying, store)

    def pending(self) -> bool:
        """Whether any article waits: in the current file or in one set aside."""
        return self.count > 0 or self.path.with_name(self.path.name + _REPLAYING).exists()

    def claim_orphans(self) -> list[Path]:
        """Spool files of workers no longer running, renamed to be this worker's to replay.

        Besides plain spool files this takes files a stopped worker had set aside for a
        replay (``.replaying``) or claimed from another (``.claimed-<pid>``) and not
        finished: whoever renamed a file last owns it, and a dead owner's file is fair game.
        """
        if not self.folder.is_dir():
            return []
        mine = {self.path.name, self.path.name + _REPLAYING}
        claimed = []
        for path in sorted(self.folder.glob(f"*{SUFFIX}*")):
            if path.name in mine or _owner_alive(path):
                continue
            target = path.with_name(f"{path.name.split(SUFFIX)[0]}{SUFFIX}.claimed-{os.getpid()}")
            try:
                path.rename(target)  # atomic: one claimant wins
            except OSError:
                continue
            claimed.append(target)
        return claimed

    def adopt(self, path: Path) -> int:
        """Move the articles of another spool file into this one."""
        adopted = 0
        for record in _records(path):
            self.append(record)
            adopted += 1
        path.unlink()
        return adopted

    @staticmethod
    def replay_file(path: Path, store: Callable[[dict[str, Any]], None]) -> int:
        stored = 0
        for record in _records(path):
            store(record)
            stored += 1
        path.unlink()
        return stored


def _records(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8", errors="surrogatepass") as handle:
        for number, line in enumerate(handle, 1):
            line = line.strip()
            if not line:
                continue
            try:
                record = json.loads(line)
            except ValueError:
                # A line cut short by a crash mid-write: the rest of the file is good.
                logger.warning("Skipping a truncated line %d of %s", number, path)
                continue
            if isinstance(record, dict):
                yield record


def _owner_alive(path: Path) -> bool:
    """Whether the worker owning a spool file is still running on this machine.

    ``<host>-<pid>-<n>.jsonl`` and its ``.replaying`` belong to that pid; a
    ``.claimed-<pid>`` file belongs to the worker that claimed it.
    """
    if _CLAIMED in path.name:
        owner = path.name.rsplit(_CLAIMED, 1)[1]
    else:
        parts = path.name.split(SUFFIX)[0].split("-")
        owner = parts[-2] if len(parts) >= 3 else ""
    if not owner.isdigit():
        return False
    pid = int(owner)
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
