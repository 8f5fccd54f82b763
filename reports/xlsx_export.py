"""Excel workbook for finance review: summary, recommendation, line items with live formulas, and sources.

Sheets: Summary, Recommendation, Line items, Placement, Operational overhead,
Assumptions, Prices used.  A reviewer can follow every total: each line item's
monthly cost is the formula ``=E2*F2`` (quantity × unit price), each platform's AWS
total is ``=SUM`` over its line items, annual is ``×12``, TCO is AWS + operations, and
a converted amount multiplies by the one exchange-rate cell.  Header rows are frozen,
numbers carry number formats, text is neutralized against formula injection.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.worksheet import Worksheet

from reports.model import ReportModel
from reports.safety import excel_text
from reports.tables import (
    Column,
    Table,
    assumptions_table,
    category_table,
    line_items_table,
    notes_table,
    overhead_table,
    placement_table,
    prices_table,
    provenance_table,
    recommendation_table,
    summary_table,
)

LINE_SHEET = "Line items"
OVERHEAD_SHEET = "Operational overhead"

_FORMATS = {"usd": "#,##0.00", "usd_unit": "0.00########", "number": "#,##0.0000", "percent": "0.0%",
            "count": "0"}
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="305496")
_TITLE_FONT = Font(bold=True, size=12)
#: Column width bounds in characters: wide enough for an SKU, narrow enough to stay on screen.
_MIN_WIDTH, _MAX_WIDTH = 8, 60


class Formula(str):
    """A formula this module wrote (cell references only): never neutralized, unlike text."""

    __slots__ = ()


def _number_format(column: Column, model: ReportModel) -> str | None:
    if column.kind == "converted" and model.currency is not None:
        decimals = "0" if model.currency.decimals == 0 else "0.00"
        return f'"{model.currency.prefix}"#,##{decimals}'
    return _FORMATS.get(column.kind)


def _cell_value(value: Any) -> Any:
    if isinstance(value, Formula):
        return str(value)
    if isinstance(value, str):
        return excel_text(value)
    return value


def _write_table(ws: Worksheet, table: Table, model: ReportModel, *, top: int = 1,
                 values: Sequence[Sequence[Any]] | None = None) -> int:
    """Write header and rows starting at row ``top``; returns the first row after the table."""
    for col, column in enumerate(table.columns, start=1):
        cell = ws.cell(row=top, column=col, value=column.header)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(values if values is not None else table.rows, start=top + 1):
        for col, (column, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            cell = ws.cell(row=r, column=col, value=_cell_value(value))
            fmt = _number_format(column, model)
            if fmt:
                cell.number_format = fmt
    return top + 1 + len(table.rows)


def _fit_columns(ws: Worksheet) -> None:
    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            text = f"{cell.value:,.2f}" if isinstance(cell.value, float) else str(cell.value)
            if text.startswith("="):
                text = "0" * 12
            widths[cell.column] = max(widths.get(cell.column, 0), len(text) + 2)
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = min(max(width, _MIN_WIDTH), _MAX_WIDTH)


def _sheet(wb: Workbook, title: str, *, freeze: str = "A2") -> Worksheet:
    ws = wb.create_sheet(title)
    ws.freeze_panes = freeze
    return ws


def _ranges(platforms: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Platform -> (first, last) sheet row of its contiguous block (data starts on row 2)."""
    out: dict[str, tuple[int, int]] = {}
    for row, platform in enumerate(platforms, start=2):
        out[platform] = (out.get(platform, (row, row))[0], row)
    return out


def _product_sheet(wb: Workbook, table: Table, model: ReportModel, factors: tuple[str, str], rate_cell: str | None,
                   *, freeze: str = "A2") -> None:
    """A table whose ``monthly_usd`` is the product of two of its columns, written as formulas."""
    ws = _sheet(wb, table.title, freeze=freeze)
    left, right = (get_column_letter(table.column_index(k) + 1) for k in factors)
    at = table.column_index("monthly_usd")
    monthly = get_column_letter(at + 1)
    rows = []
    for r, row in enumerate(table.rows, start=2):
        cells = list(row)
        cells[at] = Formula(f"={left}{r}*{right}{r}")
        if rate_cell:
            cells[at + 1] = Formula(f"={monthly}{r}*{rate_cell}")
        rows.append(cells)
    end = _write_table(ws, table, model, values=rows)
    if table.rows:
        ws.auto_filter.ref = ws.dimensions
    elif model.analysis.note:
        ws.cell(row=end + 1, column=1, value=excel_text(model.analysis.note))
    _fit_columns(ws)


def _sum_formula(sheet: str, column: str, span: tuple[int, int] | None) -> Formula | int:
    if span is None:
        return 0
    return Formula(f"=SUM({quote_sheetname(sheet)}!{column}{span[0]}:{column}{span[1]})")


def _summary_rows(model: ReportModel, table: Table, rate_cell: str | None) -> list[list[Any]]:
    """Summary rows as formulas over the line-item and overhead sheets."""
    lines, overhead = line_items_table(model), overhead_table(model)
    line_spans, ops_spans = _ranges([r[0] for r in lines.rows]), _ranges([r[0] for r in overhead.rows])
    line_monthly = get_column_letter(lines.column_index("monthly_usd") + 1)
    ops_monthly = get_column_letter(overhead.column_index("monthly_usd") + 1)
    col = {c.key: get_column_letter(i + 1) for i, c in enumerate(table.columns)}
    suffix = f"_{model.currency.code.lower()}" if model.currency else None
    rows = []
    for r, (row, s) in enumerate(zip(table.rows, model.summaries, strict=True), start=2):
        cells = dict(zip(col, row, strict=True))
        cells["aws_monthly_usd"] = _sum_formula(LINE_SHEET, line_monthly, line_spans.get(s.platform))
        cells["aws_annual_usd"] = Formula(f"={col['aws_monthly_usd']}{r}*12")
        if model.has_tco:
            cells["operations_monthly_usd"] = _sum_formula(OVERHEAD_SHEET, ops_monthly, ops_spans.get(s.platform))
            cells["tco_monthly_usd"] = Formula(f"={col['aws_monthly_usd']}{r}+{col['operations_monthly_usd']}{r}")
            cells["tco_annual_usd"] = Formula(f"={col['tco_monthly_usd']}{r}*12")
        for key in col:
            if suffix and rate_cell and key.endswith(suffix):
                cells[key] = Formula(f"={col[key.removesuffix(suffix) + '_usd']}{r}*{rate_cell}")
        rows.append(list(cells.values()))
    return rows


def _summary_sheet(wb: Workbook, model: ReportModel) -> str | None:
    """Summary table (formulas), the exchange rate, category subtotals, notes and provenance.

    Returns the absolute reference of the exchange-rate cell, which every converted
    amount in the workbook multiplies by (None without a display currency).
    """
    ws = wb.active
    ws.title = "Summary"
    ws.freeze_panes = "A2"
    table = summary_table(model)
    row = 2 + len(table.rows) + 1
    rate_cell = None
    if model.currency is not None:
        ws.cell(row=row, column=1, value=f"USD rate ({model.currency.code} per USD)").font = _TITLE_FONT
        ws.cell(row=row, column=2, value=model.currency.usd_rate)
        rate_cell = f"Summary!$B${row}"
        row += 2
    _write_table(ws, table, model, values=_summary_rows(model, table, rate_cell))
    row = _write_table(ws, category_table(model), model, top=row) + 1
    notes = notes_table(model)
    if notes.rows:
        row = _write_table(ws, notes, model, top=row) + 1
    _write_table(ws, provenance_table(model), model, top=row)
    _fit_columns(ws)
    return rate_cell


def _plain_sheet(wb: Workbook, table: Table, model: ReportModel) -> None:
    ws = _sheet(wb, table.title)
    _write_table(ws, table, model)
    _fit_columns(ws)


def to_xlsx(model: ReportModel) -> bytes:
    """The workbook as .xlsx bytes."""
    wb = Workbook()
    rate_cell = _summary_sheet(wb, model)
    _plain_sheet(wb, recommendation_table(model), model)
    _product_sheet(wb, line_items_table(model), model, ("quantity", "usd_per_unit"), rate_cell, freeze="E2")
    _plain_sheet(wb, placement_table(model), model)
    _product_sheet(wb, overhead_table(model), model, ("hours_per_month", "usd_per_hour"), rate_cell)
    _plain_sheet(wb, assumptions_table(model), model)
    _plain_sheet(wb, prices_table(model), model)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
