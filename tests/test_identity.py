"""The worker id: one per process, the same for every part of a worker."""

from __future__ import annotations

import os
import socket

from crawler.identity import worker_id


def test_the_worker_id_names_host_and_pid_and_is_stable():
    first = worker_id()
    assert first.startswith(f"{socket.gethostname()}-{os.getpid()}-")
    assert worker_id() == first


def test_a_forked_child_gets_its_own_id():
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.write(write, worker_id().encode())
        os._exit(0)
    os.waitpid(pid, 0)
    child = os.read(read, 200).decode()
    assert child != worker_id() and f"-{pid}-" in child
