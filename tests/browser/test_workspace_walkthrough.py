"""End-to-end: a workspace of scenarios in a real headless Chromium.

Two scenarios are built (the example a session opens, edited, and the microservices example
added from the Workspace page); the second is duplicated and its copy moved to 3-year
Savings Plans.  Each applied edit changes the totals beside the editor to the library's
numbers; the Workspace page compares the three (TCO with its P10–P90 ranges, then the AWS
bills alone through the sidebar's switch), and the share link, opened in a new session,
brings back the same workspace on the same basis.  Writes the README's ``workspace.png`` (the
comparison) and ``editor.png`` (the editor with its live totals) under ``make screenshots``.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect, sync_playwright

from advisor.decision.tco import Metric, tco
from advisor.decision.uncertainty import tco_ranges
from advisor.workload.scenario import PurchaseOption, Scenario
from presentation.comparison import cheapest_frame, delta_sentence
from presentation.labels import PLATFORM_LABELS
from presentation.money import format_usd
from pricing.active import load_pricebook
from tests.browser.conftest import Served
from tests.browser.pages import (
    ARGS,
    app_page,
    edit_cell,
    example,
    metric,
    open_page,
    screenshot,
    screenshot_dir,
    settled,
)

pytestmark = pytest.mark.browser

SHOP = "microservices-shop"
COPY = "shop on 3-yr Savings Plans"


def _live(scenario: Scenario, book) -> dict[str, str]:
    """The totals beside the editor, as the library computes them (TCO, cheapest first)."""
    return {PLATFORM_LABELS[p.platform]: format_usd(p.tco_monthly_usd) for p in tco(scenario, book).ranked()}


def _expect_live(page: Page, expected: dict[str, str]) -> None:
    for label, value in expected.items():
        expect(metric(page, label)).to_have_text(value)


#: True once every metric named in ``expected`` shows its value (checked on every animation frame).
_SHOWS_ALL = """expected => expected.every(([label, value]) =>
    Array.from(document.querySelectorAll('[data-testid="stMetric"]')).some(m =>
        m.querySelector('[data-testid="stMetricLabel"]')?.innerText.includes(label) &&
        m.querySelector('[data-testid="stMetricValue"]')?.innerText.trim() === value))"""


def _apply(page: Page, expected: dict[str, str]) -> float:
    """Click "Apply changes"; the seconds until the totals beside the editor all read ``expected``.

    Reported by the test (issue 15's target is about 1 s on this machine), never asserted: time
    under load is noise.
    """
    started = time.monotonic()
    page.get_by_role("button", name="Apply changes").click()
    page.wait_for_function(_SHOWS_ALL, arg=list(expected.items()), polling="raf", timeout=120_000)
    elapsed = time.monotonic() - started
    expect(page.get_by_text("Changes applied")).to_be_visible()
    _expect_live(page, expected)
    return elapsed


def _select(page: Page, label: str, option: str) -> None:
    page.get_by_test_id("stSelectbox").filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    settled(page)


def _click(page: Page, button: Locator, done: Locator, attempts: int = 3) -> None:
    """Click ``button`` until ``done`` shows: a click while a rerun replaces the widgets can be lost."""
    for attempt in range(attempts):
        settled(page)
        page.wait_for_timeout(1_000)
        expect(button).to_have_count(1)  # a rerun briefly shows the old widgets beside the new
        button.click()
        try:
            expect(done).to_be_visible(timeout=30_000)
            return
        except AssertionError:
            if attempt == attempts - 1:
                raise


def test_a_workspace_in_chromium(chromium: str, served: Served, tmp_path: Path) -> None:
    book = load_pricebook(tmp_path / "no-cache")
    shots = screenshot_dir(tmp_path)
    start = example("small-api.yaml")
    grown = Scenario.model_validate({**start.model_dump(mode="json"),
                                     "services": [{"name": "api", "vcpu": 0.5, "memory_gib": 1, "replicas": 6}]})
    shop = example("microservices.yaml")
    committed = shop.model_copy(update={"name": COPY, "purchase": shop.purchase.model_copy(
        update={"option": PurchaseOption.SAVINGS_PLAN_3YR})})
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            page = app_page(browser, errors, height=1300, expect_ms=120_000)
            page.goto(served.url)
            expect(page.get_by_role("heading", name="Compare: small-api")).to_be_visible()
            settled(page)

            # Scenario 1: the example, edited; its totals change beside the editor
            open_page(page, "Workload")
            _expect_live(page, _live(start, book))
            edit_cell(page, page.get_by_test_id("stDataFrame").first, column=3, value="6")
            timings = [_apply(page, _live(grown, book))]

            # Scenario 2: the microservices example, added from the Workspace page, then duplicated
            open_page(page, "Workspace")
            _select(page, "Add a scenario from", "microservices.yaml")
            _click(page, page.get_by_role("button", name="Add", exact=True),
                   page.get_by_text("Added microservices.yaml"))
            settled(page)
            name = page.get_by_label("Name of the copy")
            name.fill(COPY)
            name.press("Enter")
            settled(page)
            _click(page, page.get_by_role("button", name=f"Duplicate {SHOP}"), page.get_by_text(f"Duplicated {SHOP}"))
            settled(page)

            # The copy on 3-year Savings Plans: the totals beside the editor follow
            open_page(page, "Workload")
            expect(page.get_by_role("heading", name=f"Workload: {COPY}")).to_be_visible()
            _expect_live(page, _live(shop, book))
            page.get_by_role("tab", name="Purchase & EC2").click()
            _select(page, "Purchase option", "savings-plan-3yr")
            timings.append(_apply(page, _live(committed, book)))
            print(f"live totals beside the editor: {', '.join(f'{t:.2f} s' for t in timings)} after Apply")
            settled(page)
            page.get_by_role("tab", name="Services").click()
            screenshot(page, shots, "editor.png")

            # The comparison, against the shop as it is
            open_page(page, "Workspace")
            expect(page.get_by_role("heading", name="Workspace: 3 scenarios")).to_be_visible()
            _select(page, "Against", SHOP)
            results = [tco(shop, book), tco(grown, book), tco(committed, book)]
            labels = [SHOP, "small-api", COPY]
            cheapest = cheapest_frame(results, labels, Metric.TCO, [tco_ranges(r) for r in results])
            saving = delta_sentence(COPY, SHOP, cheapest["vs_first_monthly_usd"].iloc[2])
            expect(page.get_by_text(saving)).to_be_visible()
            expect(page.get_by_text("purchase option: on-demand → savings-plan-3yr")).to_be_visible()
            expect(page.get_by_text("over 2,000 draws of the operations activity ranges")).to_be_visible()
            expect(page.locator(".js-plotly-plot")).to_have_count(2)
            expect(page.locator(".js-plotly-plot .gtitle").first).to_contain_text("whiskers P10–P90")
            settled(page)
            page.set_viewport_size({"width": 1400, "height": 2000})
            screenshot(page, shots, "workspace.png")
            page.set_viewport_size({"width": 1400, "height": 1300})

            # The sidebar's basis switch: the same comparison on the AWS bills alone, kept in the URL
            page.get_by_test_id("stSidebar").get_by_text("AWS bill only").click()
            settled(page)
            bills = cheapest_frame(results, labels, Metric.AWS)
            bill_saving = delta_sentence(COPY, SHOP, bills["vs_first_monthly_usd"].iloc[2])
            expect(page.get_by_text(bill_saving)).to_be_visible()
            expect(page.get_by_text("Compared on the AWS bill alone")).to_be_visible()
            expect(page).to_have_url(re.compile(r"[?&]basis=bill"))

            # The share link, in a new session: the same workspace
            open_page(page, "Import & export")
            link = page.get_by_test_id("stCode").first.inner_text().strip()
            assert "basis=bill" in link, link
            other = browser.new_page(viewport={"width": 1400, "height": 1300})
            other.goto(link)
            expect(other.get_by_text("Opened the workspace from the link: 3 scenarios.")).to_be_visible()
            expect(other.get_by_role("heading", name=f"Compare: {COPY}")).to_be_visible()
            settled(other)
            bill_only = other.get_by_test_id("stSidebar").get_by_role("radio", name="AWS bill only")
            expect(bill_only).to_be_checked()  # from the link, and still after a page switch (below)
            open_page(other, "Workspace")
            expect(bill_only).to_be_checked()
            _select(other, "Against", SHOP)
            expect(other.get_by_text(bill_saving)).to_be_visible()
            other.close()
        finally:
            browser.close()
    assert not errors, errors
    for name in ("editor.png", "workspace.png"):
        assert (shots / name).stat().st_size > 10_000
