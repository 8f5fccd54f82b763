"""End-to-end: the price page in a real headless Debian Chromium, driven by Playwright.

Uses the system browser (/usr/bin/chromium, Debian package ``chromium``); never
``playwright install``.  Skipped when the browser is missing, except under CI
(``CI`` set), where ``.ci/run`` must have installed it.  Writes the README screenshot
``docs/screenshots/prices.png``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect, sync_playwright

from advisor_cli.prices_view import price_rows
from pricing.active import load_pricebook

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOT = ROOT / "docs" / "screenshots" / "prices.png"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REGION = "us-east-1"  # the app's default Region

pytestmark = pytest.mark.browser


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
def server(tmp_path: Path) -> Iterator[str]:
    """The app on a free loopback port, with an empty price cache (so: the snapshot)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "streamlit.log"
    env = {**os.environ, "ADVISOR_CACHE_DIR": str(tmp_path / "cache")}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        _wait_healthy(proc, url, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


def _metric(page: Page, label: str) -> Locator:
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def test_price_page_in_chromium(chromium: str, server: str, tmp_path: Path) -> None:
    book = load_pricebook(tmp_path / "no-cache")
    all_rows = len(price_rows(book, REGION))
    fargate_rows = len(price_rows(book, REGION, "fargate"))
    assert all_rows != fargate_rows
    errors: list[str] = []

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1300})
            page.set_default_timeout(30_000)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(server)

            expect(page.get_by_role("heading", name="ECS vs EKS cost advisor")).to_be_visible()
            source = page.get_by_test_id("stMarkdown").filter(has_text="Active prices:")
            expect(source).to_contain_text("bundled snapshot")
            expect(_metric(page, "Prices as of")).to_have_text(book.prices_as_of(REGION)[:10])
            rows = _metric(page, "Prices shown")
            expect(rows).to_have_text(f"{all_rows:,}")

            page.get_by_test_id("stSelectbox").filter(has_text="Service").click()
            page.get_by_role("option", name="fargate", exact=True).click()
            expect(rows).to_have_text(f"{fargate_rows:,}")  # waits for the rerun
            expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
            expect(page.get_by_test_id("stException")).to_have_count(0)

            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.evaluate("document.activeElement && document.activeElement.blur()")
            page.evaluate("document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; })")
            page.screenshot(path=str(SCREENSHOT))
        finally:
            browser.close()
    assert not errors, errors
    assert SCREENSHOT.stat().st_size > 10_000
