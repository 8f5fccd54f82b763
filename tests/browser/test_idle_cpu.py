"""The served app sits idle at (nearly) no CPU once its first page is shown.

Before the project configured Streamlit (``.streamlit/config.toml``), ``make run``
watched the whole working tree, ``.venv`` included, and kept 80-90% of a core busy
while nobody touched the app.  This is a bounded measurement: the server process's
CPU time over :data:`IDLE_SECONDS` with the first page open in Chromium.
"""

from __future__ import annotations

import time

import psutil
import pytest
from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import Served
from tests.browser.pages import ARGS, settled

pytestmark = pytest.mark.browser

#: How long the idle server is watched [s].
IDLE_SECONDS = 10.0
#: The most CPU the idle server may use: a share of one core.
MAX_IDLE_CORE_SHARE = 0.10


def _cpu_seconds(process: psutil.Process) -> float:
    """User + system CPU time of the server and any child it started [s]."""
    total = 0.0
    for proc in (process, *process.children(recursive=True)):
        try:
            times = proc.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def test_idle_cpu_after_the_first_page(chromium: str, served: Served) -> None:
    server = psutil.Process(served.pid)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1200})
            page.goto(served.url)
            expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=120_000)
            settled(page)
            time.sleep(2.0)  # let the last messages of the first run go out
            before, started = _cpu_seconds(server), time.monotonic()
            time.sleep(IDLE_SECONDS)
            used, elapsed = _cpu_seconds(server) - before, time.monotonic() - started
        finally:
            browser.close()
    share = used / elapsed
    print(f"idle app: {share:.1%} of a core over {elapsed:.1f} s")  # reported (pytest -s), bounded below
    assert share < MAX_IDLE_CORE_SHARE, (
        f"the idle app used {share:.0%} of a core over {elapsed:.1f} s (at most {MAX_IDLE_CORE_SHARE:.0%})")
