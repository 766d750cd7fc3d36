"""The quick start on a machine where no Redis answers: ``make demo`` and a command, run in a
network namespace of their own (``unshare -n``), where nothing listens on 127.0.0.1:6379.

Both must start the embedded Redis, do their job and stop it. Creating a namespace needs
root (CI runs as root); elsewhere the tests skip, except under CI=true, where they must run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.crawltools import crawl_env

pytestmark = [pytest.mark.crawl]


def _isolated(command: str, cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in a new network namespace with only its loopback up."""
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("ip"):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true: these tests need root, unshare and ip")
        pytest.skip("needs root, unshare and ip to make a network namespace")
    env = crawl_env()
    env.pop("PYTHONWARNINGS")  # the demo's output is what is checked; warnings are logged
    return subprocess.run(
        ["unshare", "-n", "--", "sh", "-c", f"ip link set lo up && exec {command}"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.mark.timeout(300)
def test_make_demo_needs_no_redis(tmp_path):
    result = _isolated(f"{sys.executable} -m tests.demo_site.run_demo", tmp_path, 280)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Traceback" not in output
    assert "Started an embedded Redis" in result.stderr
    assert "articles stored   30" in result.stdout
    assert "Crawl finished" in result.stdout
    assert (tmp_path / "data" / "articles.db").exists()


@pytest.mark.timeout(120)
def test_a_command_falls_back_to_an_embedded_redis(tmp_path):
    result = _isolated(f"{sys.executable} -m crawler.cli status", tmp_path, 100)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert any(line.startswith("Started an embedded Redis at unix://") for line in lines)
    assert "queued 0" in result.stdout
