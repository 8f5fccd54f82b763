"""The served app and the system Chromium, for the real-browser tests.

Uses the system browser (/usr/bin/chromium, Debian package ``chromium``); never
``playwright install``.  Skipped when the browser is missing, except under CI
(``CI`` set), where ``.ci/run`` must have installed it.

The app is started as ``make run`` starts it: ``streamlit run app.py`` from the project
root, so the project's ``.streamlit/config.toml`` applies (no file watcher, no usage
statistics, viewer toolbar); only the address and port are given on the command line.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"


@dataclass(frozen=True)
class Served:
    """The app's URL and its server process."""

    url: str
    pid: int


@pytest.fixture(scope="module")
def chromium() -> str:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI must install the Debian 'chromium' package (.ci/run)")
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium); browser tests need it")
    return CHROMIUM


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(proc: subprocess.Popen, url: str, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.read() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"streamlit not healthy after {timeout:.0f} s:\n{log.read_text()}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """The app on a free loopback port, with an empty price cache (so: the snapshot)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "streamlit.log"
    env = {**os.environ, "ADVISOR_CACHE_DIR": str(tmp_path / "cache")}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
             "--server.port", str(port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        _wait_healthy(proc, url, log)
        yield Served(url=url, pid=proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
