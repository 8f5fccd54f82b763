"""Playwright helpers for driving the app: wait for a run to end, switch pages, take screenshots.

Screenshots go to a temporary directory during ``make test``, so the suite leaves the
work tree clean; ``make screenshots`` (``ADVISOR_REFRESH_SCREENSHOTS=1``) writes the
README's copies in ``docs/screenshots/`` instead.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, expect

from advisor.decision.tco import tco
from advisor.workload.scenario import Scenario
from advisor.workload.spec_io import parse_scenario
from presentation.labels import PLATFORM_LABELS
from presentation.money import format_money
from tests.browser import REFRESH_ENV

ROOT = Path(__file__).resolve().parents[2]
README_SCREENSHOTS = ROOT / "docs" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def app_page(browser: Browser, errors: list[str], *, height: int, expect_ms: int = 60_000, **options: object) -> Page:
    """A page of ``height`` px that records script errors in ``errors``; actions wait 60 s, expectations ``expect_ms``
    (the first render prices and ranks a scenario: seconds, longer under load)."""
    page = browser.new_page(viewport={"width": 1400, "height": height}, **options)
    page.set_default_timeout(60_000)
    expect.set_options(timeout=expect_ms)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return page


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


def example(name: str) -> Scenario:
    return parse_scenario((ROOT / "examples" / name).read_text(), name)


def cards(scenario: Scenario, book) -> dict[str, str]:
    """Monthly TCO per platform as the Compare page should show it (library numbers)."""
    return {PLATFORM_LABELS[p.platform]: format_money(p.tco_monthly_usd) for p in tco(scenario, book).ranked()}


#: Wait after a cell edit before anything submits the form (see :func:`edit_cell`): the editor's debounce, doubled.
EDIT_SYNC_MS = 300


def edit_cell(page: Page, grid: Locator, column: int, value: str) -> None:
    """Type ``value`` into the first data row's ``column`` (0-based, after the row marker) of a data editor.

    The grid is drawn on a canvas: click its first cell (once the page stands still; the grid's
    accessible table marks the selected cell), move with the arrow keys, open the cell editor
    with Enter and fill its input.  The row's other cells must be as they were: an edit that
    landed in the wrong column fails here rather than changing the scenario unseen.
    """
    first = grid.locator("#glide-cell-1-0")
    cell = grid.locator(f"#glide-cell-{column + 1}-0")
    row = [grid.locator(f"#glide-cell-{i}-0") for i in range(1, column + 3)]
    expect(cell).to_be_attached()
    settled(page)
    page.wait_for_timeout(1_000)
    before = [c.inner_text() for c in row]
    box = grid.bounding_box()
    assert box is not None
    header_px, row_px, first_column_px = 35, 35, 80
    page.mouse.click(box["x"] + first_column_px, box["y"] + header_px + row_px / 2)
    expect(first).to_have_attribute("aria-selected", "true")
    for _ in range(column):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    editor = page.locator("#portal input, #portal textarea").first
    editor.fill(value)
    editor.press("Enter")
    expect(cell).to_have_text(value)
    after = [c.inner_text() for c in row]
    assert [b for i, b in enumerate(before) if i != column] == [a for i, a in enumerate(after) if i != column], (
        f"the edit changed another cell of the row: {before} -> {after}")
    # Streamlit's data editor hands its edits to the enclosing form 150 ms after the last one
    # (a debounce in its DataFrame frontend, read in streamlit 1.67): a submit clicked sooner sends the
    # form without them. A person takes longer than that to reach the button; the test waits too.
    page.wait_for_timeout(EDIT_SYNC_MS)
