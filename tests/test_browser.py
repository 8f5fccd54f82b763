"""End-to-end: the app in a real headless Debian Chromium, driven by Playwright.

Uses the system browser (/usr/bin/chromium, Debian package ``chromium``); never
``playwright install``.  Skipped when the browser is missing, except under CI
(``CI`` set), where ``.ci/run`` must have installed it.

One walk through the app as a user would take it: the Compare page, an edit of the
workload in the table editor (the totals change to the library's new numbers),
report downloads (CSV and its summary, Excel, PDF: real bytes, read back), a break-even analysis, and
the price page.  It writes the README screenshots ``docs/screenshots/compare.png``,
``analysis.png`` and ``prices.png``.
"""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect, sync_playwright

from advisor.decision.tco import tco
from advisor.workload.scenario import Scenario
from advisor.workload.spec_io import parse_scenario
from presentation.labels import PLATFORM_LABELS
from presentation.money import format_money
from pricing.active import load_pricebook
from pricing.price_views import price_rows

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REGION = "us-east-1"  # the price page's default Region
START = "small-api.yaml"  # the example a new session opens (app_pages.session.DEFAULT_EXAMPLE)
SHOWCASE = "microservices.yaml"  # the example the screenshots show

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
    """The app on a free loopback port, with an empty price cache (so: the snapshot).

    No file watcher: the app must not reload while other files in the tree change.
    """
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "streamlit.log"
    env = {**os.environ, "ADVISOR_CACHE_DIR": str(tmp_path / "cache")}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
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


def _example(name: str) -> Scenario:
    return parse_scenario((ROOT / "examples" / name).read_text(), name)


def _cards(scenario: Scenario, book) -> dict[str, str]:
    """Monthly TCO per platform as the Compare page should show it (library numbers)."""
    return {PLATFORM_LABELS[p.platform]: format_money(p.tco_monthly_usd) for p in tco(scenario, book).ranked()}


def _metric(page: Page, label: str) -> Locator:
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def _settled(page: Page) -> None:
    """Wait until the script run is over (the "Running..." widget is gone) and nothing failed."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=120_000)
    expect(page.get_by_test_id("stException")).to_have_count(0)


def _open(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    _settled(page)


def _screenshot(page: Page, name: str) -> Path:
    path = SCREENSHOTS / name
    path.parent.mkdir(parents=True, exist_ok=True)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.evaluate("document.querySelectorAll('*').forEach(e => { if (e.scrollTop) e.scrollTop = 0; })")
    page.mouse.move(0, 0)
    page.screenshot(path=str(path))
    return path


def _edit_cell(page: Page, grid: Locator, column: int, value: str) -> None:
    """Type ``value`` into the first data row's ``column`` (0-based, after the row marker) of a data editor.

    The grid is drawn on a canvas: select the first cell by clicking it, move with the
    arrow keys, open the cell editor with Enter and fill its input.
    """
    box = grid.bounding_box()
    assert box is not None
    header_px, row_px, first_column_px = 35, 35, 80
    page.mouse.click(box["x"] + first_column_px, box["y"] + header_px + row_px / 2)
    for _ in range(column):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    editor = page.locator("#portal input, #portal textarea").first
    editor.fill(value)
    editor.press("Enter")
    expect(grid.locator(f"#glide-cell-{column + 1}-0")).to_have_text(value)


def _download(page: Page, label: str, tmp_path: Path) -> bytes:
    _settled(page)  # a download click reruns the page: the next button exists only once that run is over
    with page.expect_download(timeout=120_000) as info:
        page.get_by_test_id("stDownloadButton").get_by_role("button", name=label, exact=True).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path.read_bytes()


def test_the_app_in_chromium(chromium: str, server: str, tmp_path: Path) -> None:
    book = load_pricebook(tmp_path / "no-cache")
    grown = Scenario.model_validate({**_example(START).model_dump(mode="json"),
                                     "services": [{"name": "api", "vcpu": 0.5, "memory_gib": 1, "replicas": 6}]})
    before, after = _cards(_example(START), book), _cards(grown, book)
    cheapest_before, cheapest_after = next(iter(before)), next(iter(after))
    errors: list[str] = []

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1500}, accept_downloads=True)
            page.set_default_timeout(60_000)
            expect.set_options(timeout=60_000)  # first render prices the example and ranks it: seconds
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(server)

            # Compare: the example's totals, as the library computes them
            expect(page.get_by_role("heading", name="Compare: small-api")).to_be_visible()
            expect(_metric(page, cheapest_before)).to_have_text(before[cheapest_before])
            _settled(page)
            assert "?scenario=" in page.url

            # Workload: replicas 2 -> 6 in the services editor, apply, and the totals follow
            _open(page, "Workload")
            services = page.get_by_test_id("stDataFrame").first
            _edit_cell(page, services, column=3, value="6")  # name, vcpu, memory_gib, replicas
            page.get_by_role("button", name="Apply changes").click()
            expect(page.get_by_text("Changes applied")).to_be_visible()
            _open(page, "Compare")
            for label, value in after.items():
                expect(_metric(page, label)).to_have_text(value)
            assert after[cheapest_after] != before.get(cheapest_after)

            # Share: the link opens the same view in a new session
            _open(page, "Import & export")
            link = page.get_by_test_id("stCode").first.inner_text().strip()
            assert link.startswith(f"{server}/?scenario=")
            other = browser.new_page(viewport={"width": 1400, "height": 1500})
            other.goto(link)
            expect(other.get_by_text("Opened the scenario from the link.")).to_be_visible()
            for label, value in after.items():
                expect(_metric(other, label)).to_have_text(value)
            other.close()

            # Reports: real files, read back
            lines = list(csv.DictReader(io.StringIO(_download(page, "CSV", tmp_path).decode("utf-8-sig"))))
            result = tco(grown, book)
            for row in result.platforms:
                total = sum(float(r["monthly_usd"]) for r in lines if r["platform"] == row.platform.value)
                assert total == pytest.approx(row.aws_monthly_usd)
            summary = list(csv.DictReader(io.StringIO(_download(page, "Summary CSV", tmp_path).decode("utf-8-sig"))))
            assert {r["platform"]: float(r["tco_monthly_usd"]) for r in summary} == pytest.approx(
                {row.platform.value: row.tco_monthly_usd for row in result.platforms})
            with zipfile.ZipFile(io.BytesIO(_download(page, "Excel", tmp_path))) as xlsx:
                assert any(name.startswith("xl/worksheets/") for name in xlsx.namelist())
            assert _download(page, "PDF", tmp_path).startswith(b"%PDF")

            # The showcase example for the screenshots: Compare, then a break-even analysis
            _open(page, "Workload")
            page.get_by_test_id("stSelectbox").filter(has_text="Start from").click()
            page.get_by_role("option", name=SHOWCASE).click()
            page.get_by_role("button", name="Load", exact=True).click()
            expect(page.get_by_text(f"Loaded {SHOWCASE}.")).to_be_visible()
            showcase = _cards(_example(SHOWCASE), book)
            first = next(iter(showcase))
            clicked = time.monotonic()   # issue 15: the Compare page after an edit, reported (-s), not asserted
            _open(page, "Compare")
            expect(page.get_by_role("heading", name="Compare: microservices-shop")).to_be_visible()
            expect(_metric(page, first)).to_have_text(showcase[first])
            print(f"\nbrowser timing: Compare page of {SHOWCASE} after loading it, until its run is over: "
                  f"{time.monotonic() - clicked:.2f} s (issue 15 target: 1 s on this machine)")
            expect(page.get_by_text("confidence").first).to_be_visible()
            expect(page.get_by_text("% of 2,000 draws").first).to_be_visible()  # confidence from the ranges
            expect(page.locator(".js-plotly-plot")).to_have_count(2)  # the ranges and the breakdown
            _settled(page)
            page.set_viewport_size({"width": 1400, "height": 2600})  # cards, recommendation and the charts
            _screenshot(page, "compare.png")
            page.set_viewport_size({"width": 1400, "height": 1500})

            _open(page, "Analyse")
            points = page.get_by_label("points")
            points.fill("8")
            points.press("Tab")
            clicked = time.monotonic()
            page.get_by_role("button", name="Run break-even").click()
            expect(page.get_by_text("done in")).to_be_visible(timeout=180_000)
            print(f"browser timing: Analyse, an 8-point break-even of {SHOWCASE}: {time.monotonic() - clicked:.2f} s")
            _settled(page)
            expect(page.locator(".js-plotly-plot")).to_have_count(1)
            _screenshot(page, "analysis.png")

            # Prices: the snapshot's rows, filtered
            _open(page, "Prices")
            source = page.get_by_test_id("stMarkdown").filter(has_text="Active prices:")
            expect(source).to_contain_text("bundled snapshot")
            expect(_metric(page, "Prices as of")).to_have_text(book.prices_as_of(REGION)[:10])
            rows = _metric(page, "Prices shown")
            expect(rows).to_have_text(f"{len(price_rows(book, REGION)):,}")
            page.get_by_test_id("stSelectbox").filter(has_text="Service").click()
            page.get_by_role("option", name="fargate", exact=True).click()
            expect(rows).to_have_text(f"{len(price_rows(book, REGION, 'fargate')):,}")  # waits for the rerun
            _settled(page)
            _screenshot(page, "prices.png")
        finally:
            browser.close()
    assert not errors, errors
    for name in ("compare.png", "analysis.png", "prices.png"):
        assert (SCREENSHOTS / name).stat().st_size > 10_000
