"""Excel read back with openpyxl and pandas: sheets, live formulas that reproduce the estimate, their
stored values, the workload sheet, formats, inert text."""

import io
import re

import pandas as pd
import pytest
from openpyxl import load_workbook

from presentation.csv_text import FORMULA_TRIGGERS
from reports.xlsx_export import to_xlsx

from .conftest import HOSTILE_NAMES

SHEETS = ["Summary", "Workload", "Recommendation", "Line items", "Placement", "Optimal commitment",
          "Operational overhead", "Assumptions", "Prices used"]
#: Every formula the exporter writes: cell references, sheet names, SUM, * and +; never text from the scenario.
FORMULA = re.compile(r"=(SUM\('Line items'!G\d+:G\d+\)|SUM\('Operational overhead'![CE]\d+:[CE]\d+\)|"
                     r"[A-Z]+\d+[*+](?:[A-Z]+\d+|12|Summary!\$B\$\d+))")


def _evaluate(wb, sheet: str, ref: str) -> float:
    """A tiny evaluator for exactly the formula shapes above (no spreadsheet program needed)."""
    value = wb[sheet][ref].value
    if not (isinstance(value, str) and value.startswith("=")):
        return value
    body = value[1:]
    if m := re.fullmatch(r"SUM\('([^']+)'!([A-Z]+)(\d+):[A-Z]+(\d+)\)", body):
        other, col, first, last = m.group(1), m.group(2), int(m.group(3)), int(m.group(4))
        return sum(_evaluate(wb, other, f"{col}{r}") for r in range(first, last + 1))
    left, op, right = re.fullmatch(r"([A-Z]+\d+)([*+])(.+)", body).groups()
    if right.startswith("Summary!"):
        right_value = _evaluate(wb, "Summary", right.split("!")[1].replace("$", ""))
    else:
        right_value = float(right) if right.isdigit() else _evaluate(wb, sheet, right)
    left_value = _evaluate(wb, sheet, left)
    return left_value * right_value if op == "*" else left_value + right_value


@pytest.fixture(scope="module")
def eur_book(eur_model):
    return load_workbook(io.BytesIO(to_xlsx(eur_model)))


def test_sheets_frozen_headers_and_widths(eur_book):
    assert eur_book.sheetnames == SHEETS
    for ws in eur_book:
        if ws.title != "Workload":  # several tables, one under the other
            assert ws.freeze_panes in {"A2", "E2"}, ws.title
        assert ws.column_dimensions["A"].width >= 8, ws.title
    assert [c.value for c in eur_book["Line items"][1]][:8] == [
        "Platform", "Environment", "Category", "Line item", "Quantity", "Unit price (USD)", "Monthly (USD)",
        "Monthly (EUR)"]


def test_line_items_are_quantity_times_unit_price_formulas(eur_book, small_result):
    ws = eur_book["Line items"]
    items = [li for e in small_result.estimates for li in e.line_items]
    assert ws.max_row == len(items) + 1
    for row, li in enumerate(items, start=2):
        assert ws[f"E{row}"].value == li.quantity and ws[f"F{row}"].value == li.usd_per_unit
        assert ws[f"G{row}"].value == f"=E{row}*F{row}"
        assert _evaluate(eur_book, "Line items", f"G{row}") == li.monthly_usd
        assert _evaluate(eur_book, "Line items", f"H{row}") == pytest.approx(li.monthly_usd * 0.92, rel=1e-12)
        assert ws[f"G{row}"].number_format == "#,##0.00" and ws[f"H{row}"].number_format == '"€"#,##0.00'


def test_summary_totals_are_sums_that_equal_the_estimate(eur_book, eur_model, small_result):
    ws = eur_book["Summary"]
    header = [c.value for c in ws[1]]
    assert header[:5] == ["Rank", "Platform", "AWS monthly (USD)", "AWS annual (USD)", "AWS monthly (EUR)"]
    totals = {e.platform.value: e.monthly_usd for e in small_result.estimates}
    for row in range(2, 2 + len(totals)):
        platform = ws[f"B{row}"].value
        assert ws[f"C{row}"].value.startswith("=SUM('Line items'!G")
        assert _evaluate(eur_book, "Summary", f"C{row}") == pytest.approx(totals[platform], rel=1e-12)
        assert _evaluate(eur_book, "Summary", f"D{row}") == pytest.approx(12 * totals[platform], rel=1e-12)
        assert _evaluate(eur_book, "Summary", f"E{row}") == pytest.approx(0.92 * totals[platform], rel=1e-12)
    assert [ws[f"B{r}"].value for r in range(2, 2 + len(totals))] == [s.platform for s in eur_model.summaries]


def test_every_formula_is_one_the_exporter_wrote(eur_book):
    formulas = [c.value for ws in eur_book for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and c.value.startswith("=")]
    assert formulas and all(FORMULA.fullmatch(f) for f in formulas)


def test_sources_and_dates_are_there(eur_book, small_result):
    prices = eur_book["Prices used"]
    header = [c.value for c in prices[1]]
    skus = {r[header.index("SKU")] for r in prices.iter_rows(min_row=2, values_only=True)}
    dates = {r[header.index("Published")] for r in prices.iter_rows(min_row=2, values_only=True)}
    used = {li.price_ref.split(";")[0] for e in small_result.estimates for li in e.line_items}
    assert {s for s in skus if s} <= used and len([s for s in skus if s]) >= 5
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dates if d)
    assumptions = list(eur_book["Assumptions"].iter_rows(min_row=2, values_only=True))
    assert any(r[0] == "price gap" and r[3] for r in assumptions)
    assert all(r[3] for r in assumptions)  # every assumption names a source


def test_hostile_text_is_neutralized_and_stays_text(hostile_model):
    wb = load_workbook(io.BytesIO(to_xlsx(hostile_model)))
    texts = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    for cell in texts:
        assert cell.data_type == "s" or FORMULA.fullmatch(cell.value), (cell.coordinate, cell.value)
    plain = [c.value for c in texts if c.data_type == "s"]
    assert not [v for v in plain if v.startswith(FORMULA_TRIGGERS)]
    assert "'" + HOSTILE_NAMES[2] in plain and "'" + HOSTILE_NAMES[0] in plain
    assert all(c.data_type == "n" for c in wb["Line items"]["E"][1:])


@pytest.fixture(scope="module")
def tco_xlsx(tco_model):
    return to_xlsx(tco_model)


def test_every_formula_has_its_value_stored(tco_xlsx, tco_model):
    """Readers that do not calculate (openpyxl data_only, pandas, previews) see every total."""
    values = load_workbook(io.BytesIO(tco_xlsx), data_only=True)
    formulas = load_workbook(io.BytesIO(tco_xlsx))
    for ws in formulas:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    stored = values[ws.title][cell.coordinate].value
                    assert isinstance(stored, float | int), (ws.title, cell.coordinate, cell.value, stored)
                    assert stored == pytest.approx(_evaluate(formulas, ws.title, cell.coordinate), rel=1e-12)
    summary = values["Summary"]
    header = [c.value for c in summary[1]]
    for r, s in enumerate(tco_model.summaries, start=2):
        row = {h: summary.cell(row=r, column=i + 1).value for i, h in enumerate(header)}
        assert row["Platform"] == s.platform
        assert row["AWS monthly (USD)"] == s.aws_monthly_usd
        assert row["Operations monthly (USD)"] == pytest.approx(s.operations_monthly_usd, rel=1e-12)
        assert row["TCO monthly (USD)"] == pytest.approx(s.tco_monthly_usd, rel=1e-12)
        assert row["TCO annual (USD)"] == pytest.approx(s.tco_annual_usd, rel=1e-12)
        low, high = s.tco_range_monthly_usd
        assert row["TCO low (USD / month)"] == low <= s.tco_monthly_usd <= high == row["TCO high (USD / month)"]


def test_pandas_reads_every_total(tco_xlsx, tco_model):
    frame = pd.read_excel(io.BytesIO(tco_xlsx), sheet_name="Summary", nrows=len(tco_model.summaries))
    assert list(frame["Platform"]) == [s.platform for s in tco_model.summaries]
    for column, attr in (("AWS monthly (USD)", "aws_monthly_usd"), ("AWS annual (USD)", "aws_annual_usd"),
                         ("Operations monthly (USD)", "operations_monthly_usd"),
                         ("TCO monthly (USD)", "tco_monthly_usd"), ("TCO annual (USD)", "tco_annual_usd")):
        assert frame[column].notna().all(), column
        assert list(frame[column]) == pytest.approx([getattr(s, attr) for s in tco_model.summaries], rel=1e-12)
    lines = pd.read_excel(io.BytesIO(tco_xlsx), sheet_name="Line items")
    assert lines["Monthly (USD)"].notna().all()
    for s in tco_model.summaries:
        assert lines.loc[lines["Platform"] == s.platform, "Monthly (USD)"].sum() == pytest.approx(s.aws_monthly_usd)


def test_the_workload_sheet_says_what_was_priced(tco_xlsx, tco_model):
    ws = load_workbook(io.BytesIO(tco_xlsx))["Workload"]
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    scenario = tco_model.scenario
    for title in ("Services", "Jobs", "Environments", "Traffic", "Purchase options", "Operations settings",
                  "Assumption overrides"):
        assert title in cells, title
    for service in scenario.services:
        assert service.name in cells and service.vcpu in cells
    assert "3–8, peak 10 h × 5 d a week" in cells  # web: min 3, max 8 on business hours
    assert "nightly-etl" in cells and "fluent-bit" in cells and "staging" in cells
