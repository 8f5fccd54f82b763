"""End-to-end: the app in a real headless Debian Chromium, driven by Playwright.

Uses the system browser (/usr/bin/chromium, Debian package ``chromium``); never
``playwright install``.  Skipped when the browser is missing, except under CI
(``CI`` set), where ``.ci/run`` must have installed it.

One walk through the app as a user would take it: the Compare page (and another platform's tab
of details), an edit of the workload in the table editor (the totals change to the library's new numbers),
report downloads (CSV and its summary, Excel, PDF: real bytes, read back), a break-even analysis, and
the price page.  It writes the README screenshots ``docs/screenshots/compare.png``,
``analysis.png`` and ``prices.png``.
"""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from advisor.decision.tco import tco
from advisor.workload.scenario import Scenario
from presentation.labels import PLATFORM_LABELS
from presentation.money import format_money
from pricing.active import load_pricebook
from pricing.price_views import price_rows
from tests.browser.conftest import Served
from tests.browser.pages import (
    ARGS,
    app_page,
    cards,
    edit_cell,
    example,
    metric,
    open_page,
    screenshot,
    screenshot_dir,
    settled,
)

REGION = "us-east-1"  # the price page's default Region
START = "small-api.yaml"  # the example a new session opens (app_pages.session.DEFAULT_EXAMPLE)
SHOWCASE = "microservices.yaml"  # the example the screenshots show

pytestmark = pytest.mark.browser


def _download(page: Page, label: str, tmp_path: Path) -> bytes:
    """Click a report's download button and read the file.

    The buttons do not rerun the page (``on_click="ignore"``), so no click is lost to a rerun; the
    file is rendered on the click (a PDF or Excel takes seconds, longer under load), hence the
    wait, after the page has settled.
    """
    settled(page)
    with page.expect_download(timeout=120_000) as info:
        page.get_by_test_id("stDownloadButton").get_by_role("button", name=label, exact=True).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path.read_bytes()


def test_the_app_in_chromium(chromium: str, served: Served, tmp_path: Path) -> None:
    server = served.url
    shots = screenshot_dir(tmp_path)
    book = load_pricebook(tmp_path / "no-cache")
    grown = Scenario.model_validate({**example(START).model_dump(mode="json"),
                                     "services": [{"name": "api", "vcpu": 0.5, "memory_gib": 1, "replicas": 6}]})
    before, after = cards(example(START), book), cards(grown, book)
    cheapest_before, cheapest_after = next(iter(before)), next(iter(after))
    errors: list[str] = []

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            page = app_page(browser, errors, height=1500, accept_downloads=True)
            page.goto(server)

            # Compare: the example's totals, as the library computes them
            expect(page.get_by_role("heading", name="Compare: small-api")).to_be_visible()
            expect(metric(page, cheapest_before)).to_have_text(before[cheapest_before])
            settled(page)
            assert "?scenario=" in page.url

            # Workload: replicas 2 -> 6 in the services editor, apply, and the totals follow
            open_page(page, "Workload")
            services = page.get_by_test_id("stDataFrame").first
            edit_cell(page, services, column=3, value="6")  # name, vcpu, memory_gib, replicas
            page.get_by_role("button", name="Apply changes").click()
            expect(page.get_by_text("Changes applied")).to_be_visible()
            open_page(page, "Compare")
            for label, value in after.items():
                expect(metric(page, label)).to_have_text(value)
            assert after[cheapest_after] != before.get(cheapest_after)

            # Share: the link opens the same view in a new session
            open_page(page, "Import & export")
            link = page.get_by_test_id("stCode").first.inner_text().strip()
            assert link.startswith(f"{server}/?scenario=")
            other = browser.new_page(viewport={"width": 1400, "height": 1500})
            other.goto(link)
            expect(other.get_by_text("Opened the scenario from the link.")).to_be_visible()
            for label, value in after.items():
                expect(metric(other, label)).to_have_text(value)
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
            open_page(page, "Workload")
            page.get_by_test_id("stSelectbox").filter(has_text="Start from").click()
            page.get_by_role("option", name=SHOWCASE).click()
            page.get_by_role("button", name="Load", exact=True).click()
            expect(page.get_by_text(f"Loaded {SHOWCASE}.")).to_be_visible()
            showcase = cards(example(SHOWCASE), book)
            first = next(iter(showcase))
            clicked = time.monotonic()   # issue 15: the Compare page after an edit, reported (-s), not asserted
            open_page(page, "Compare")
            expect(page.get_by_role("heading", name="Compare: microservices-shop")).to_be_visible()
            expect(metric(page, first)).to_have_text(showcase[first])
            print(f"\nbrowser timing: Compare page of {SHOWCASE} after loading it, until its run is over: "
                  f"{time.monotonic() - clicked:.2f} s (issue 15 target: 1 s on this machine)")
            expect(page.get_by_text("confidence").first).to_be_visible()
            expect(page.get_by_text("% of 2,000 draws").first).to_be_visible()  # confidence from the ranges
            expect(page.locator(".js-plotly-plot")).to_have_count(2)  # the ranges and the breakdown
            settled(page)
            page.set_viewport_size({"width": 1400, "height": 2600})  # cards, recommendation and the charts
            screenshot(page, shots, "compare.png")
            page.set_viewport_size({"width": 1400, "height": 1500})
            # The details: only the open tab's tables are made; another tab reruns the page and shows its own
            second = tco(example(SHOWCASE), book).ranked()[1]
            engineer_time = page.get_by_test_id("stMarkdown").filter(has_text=re.compile(r"^Engineer time ·"))
            expect(engineer_time).to_have_count(1)
            page.get_by_role("tab", name=PLATFORM_LABELS[second.platform], exact=True).click()
            its_own = re.compile(rf"^Engineer time · .* = {re.escape(format_money(second.operations_monthly_usd))}$")
            expect(engineer_time.filter(has_text=its_own)).to_have_count(1)
            settled(page)
            expect(engineer_time).to_have_count(1)   # the first tab's tables are gone once the rerun is over

            open_page(page, "Analyse")
            points = page.get_by_label("points")
            points.fill("8")
            points.press("Tab")
            clicked = time.monotonic()
            page.get_by_role("button", name="Run break-even").click()
            expect(page.get_by_text("done in")).to_be_visible(timeout=180_000)
            print(f"browser timing: Analyse, an 8-point break-even of {SHOWCASE}: {time.monotonic() - clicked:.2f} s")
            settled(page)
            expect(page.locator(".js-plotly-plot")).to_have_count(1)
            screenshot(page, shots, "analysis.png")

            # Prices: the snapshot's rows, filtered
            open_page(page, "Prices")
            source = page.get_by_test_id("stMarkdown").filter(has_text="Active prices:")
            expect(source).to_contain_text("bundled snapshot")
            expect(metric(page, "Prices as of")).to_have_text(book.prices_as_of(REGION)[:10])
            rows = metric(page, "Prices shown")
            expect(rows).to_have_text(f"{len(price_rows(book, REGION)):,}")
            page.get_by_test_id("stSelectbox").filter(has_text="Service").click()
            page.get_by_role("option", name="fargate", exact=True).click()
            expect(rows).to_have_text(f"{len(price_rows(book, REGION, 'fargate')):,}")  # waits for the rerun
            settled(page)
            screenshot(page, shots, "prices.png")
        finally:
            browser.close()
    assert not errors, errors
    for name in ("compare.png", "analysis.png", "prices.png"):
        assert (shots / name).stat().st_size > 10_000
