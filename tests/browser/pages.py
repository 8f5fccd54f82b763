"""Playwright helpers for driving the app: wait for a run to end, switch pages, take screenshots.

Screenshots go to a temporary directory during ``make test``, so the suite leaves the
work tree clean; ``make screenshots`` (``ADVISOR_REFRESH_SCREENSHOTS=1``) writes the
README's copies in ``docs/screenshots/`` instead.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

ROOT = Path(__file__).resolve().parents[2]
README_SCREENSHOTS = ROOT / "docs" / "screenshots"
#: Set to 1 to rewrite the README's screenshots (``make screenshots``).
REFRESH_ENV = "ADVISOR_REFRESH_SCREENSHOTS"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def screenshot_dir(tmp_path: Path) -> Path:
    """Where this run writes its screenshots: the README's folder only when asked to refresh it."""
    return README_SCREENSHOTS if os.environ.get(REFRESH_ENV) == "1" else tmp_path / "screenshots"


def settled(page: Page) -> None:
    """Wait until the script run is over (the "Running..." widget is gone) and nothing failed."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=120_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def open_page(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    settled(page)


def metric(page: Page, label: str) -> Locator:
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def screenshot(page: Page, folder: Path, name: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.evaluate("document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; })")
    page.mouse.move(0, 0)
    page.screenshot(path=str(path))
    return path
