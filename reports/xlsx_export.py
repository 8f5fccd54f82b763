"""Excel workbook for finance review: summary, workload, line items with live formulas and their values.

Sheets: Summary, Workload, Recommendation, TCO ranges and What decides it (with the TCO
analysis), Line items, Placement, Operational overhead, Assumptions, Prices used.  A reviewer
can follow every total: each line item's monthly cost is the formula ``=E2*F2`` (quantity ×
unit price), each platform's AWS total is ``=SUM`` over its line items, annual is ``×12``,
TCO is AWS + operations, and a converted
amount multiplies by the one exchange-rate cell.

Every formula is written with its computed value (XlsxWriter stores it as the cell's
cached result), so tools that read values without calculating (pandas, openpyxl with
``data_only=True``, file previews, mail viewers) see the totals, and a spreadsheet
program that recalculates gets the same numbers.  Header rows are frozen, numbers carry
number formats, text is neutralized against formula injection.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import quote_sheetname, xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from reports.model import ReportModel
from reports.safety import excel_text
from reports.tables import (
    Column,
    Table,
    assumptions_table,
    category_table,
    commitment_table,
    line_items_table,
    notes_table,
    overhead_table,
    placement_table,
    prices_table,
    provenance_table,
    recommendation_table,
    summary_table,
)
from reports.uncertainty import ranges_table, sensitivity_table, uncertainty_notes
from reports.workload import workload_tables

LINE_SHEET = "Line items"
OVERHEAD_SHEET = "Operational overhead"
WORKLOAD_SHEET = "Workload"

_FORMATS = {"usd": "#,##0.00", "usd_unit": "0.00########", "number": "#,##0.0000", "percent": "0.0%",
            "count": "0"}
#: Column width bounds in characters: wide enough for an SKU, narrow enough to stay on screen.
_MIN_WIDTH, _MAX_WIDTH = 8, 60


class _ExactWorksheet(Worksheet):
    """A worksheet that stores numbers in Python's shortest round-trip form.

    XlsxWriter writes numbers with 16 significant digits, which can change the last bit
    of a float; a value read back must be the estimate's own number, so the cell is
    written with ``repr`` (at most 17 digits, what Excel itself writes).
    """

    def _xml_number_element(self, number: float, attributes: Sequence[tuple[str, Any]] = ()) -> None:
        attr = "".join(f' {key}="{self._escape_attributes(value)}"' for key, value in attributes)
        self.fh.write(f"<c{attr}><v>{float(number)!r}</v></c>")


@dataclass(frozen=True, slots=True)
class Formula:
    """A formula this module wrote (cell references only, never user text) and its computed value."""

    text: str
    value: float


class _Book:
    """The workbook with its shared formats and each sheet's column widths."""

    def __init__(self, buffer: io.BytesIO, model: ReportModel) -> None:
        self.wb = Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                    "strings_to_numbers": False})
        self.model = model
        self.header = self.wb.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#305496",
                                          "text_wrap": True, "valign": "top"})
        self.title = self.wb.add_format({"bold": True, "font_size": 12})
        self._formats: dict[str, Format] = {}
        self._widths: dict[str, dict[int, int]] = {}

    def number_format(self, column: Column) -> Format | None:
        currency = self.model.currency
        if column.kind == "converted" and currency is not None:
            code = f'"{currency.prefix}"#,##{"0" if currency.decimals == 0 else "0.00"}'
        else:
            code = _FORMATS.get(column.kind, "")
        if not code:
            return None
        if code not in self._formats:
            self._formats[code] = self.wb.add_format({"num_format": code})
        return self._formats[code]

    def sheet(self, title: str, *, freeze: tuple[int, int] = (1, 0)) -> Worksheet:
        ws = self.wb.add_worksheet(title, worksheet_class=_ExactWorksheet)
        ws.freeze_panes(*freeze)
        self._widths[title] = {}
        return ws

    def _measure(self, ws: Worksheet, col: int, value: Any) -> None:
        text = "0" * 12 if isinstance(value, Formula) else (
            f"{value:,.2f}" if isinstance(value, float) else str(value))
        widths = self._widths[ws.get_name()]
        widths[col] = max(widths.get(col, 0), len(text) + 2)

    def write(self, ws: Worksheet, row: int, col: int, value: Any, fmt: Format | None = None) -> None:
        """One cell by its type: a formula with its value, a number, a boolean, or neutralized text."""
        if value is None or value == "":
            ws.write_blank(row, col, None, fmt)
            return
        self._measure(ws, col, value)
        if isinstance(value, Formula):
            ws.write_formula(row, col, value.text, fmt, value.value)
        elif isinstance(value, bool):
            ws.write_boolean(row, col, value, fmt)
        elif isinstance(value, int | float):
            ws.write_number(row, col, value, fmt)
        else:
            ws.write_string(row, col, excel_text(str(value)), fmt)

    def table(self, ws: Worksheet, table: Table, *, top: int = 0,
              values: Sequence[Sequence[Any]] | None = None) -> int:
        """Header and rows from row ``top`` (0-based); returns the first row after the table."""
        for col, column in enumerate(table.columns):
            self.write(ws, top, col, column.header, self.header)
        formats = [self.number_format(c) for c in table.columns]
        for r, row in enumerate(values if values is not None else table.rows, start=top + 1):
            for col, value in enumerate(row):
                self.write(ws, r, col, value, formats[col])
        return top + 1 + len(table.rows)

    def fit_columns(self) -> None:
        for ws in self.wb.worksheets():
            for col, width in self._widths[ws.get_name()].items():
                ws.set_column(col, col, min(max(width, _MIN_WIDTH), _MAX_WIDTH))


def _spans(platforms: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Platform -> (first, last) 1-based sheet row of its contiguous block (data starts on row 2)."""
    out: dict[str, tuple[int, int]] = {}
    for row, platform in enumerate(platforms, start=2):
        out[platform] = (out.get(platform, (row, row))[0], row)
    return out


def _letter(table: Table, key: str) -> str:
    return xl_col_to_name(table.column_index(key))


def _product_sheet(book: _Book, table: Table, factors: tuple[str, str], rate: tuple[str, float] | None,
                   *, freeze: tuple[int, int] = (1, 0)) -> None:
    """A table whose ``monthly_usd`` is the product of two of its columns, written as formulas with values."""
    ws = book.sheet(table.title, freeze=freeze)
    left, right = (table.column_index(k) for k in factors)
    at = table.column_index("monthly_usd")
    rows = []
    for r, row in enumerate(table.rows, start=2):
        cells = list(row)
        monthly = row[at]  # the model's quantity × unit price, the value the formula computes
        cells[at] = Formula(f"={xl_col_to_name(left)}{r}*{xl_col_to_name(right)}{r}", monthly)
        if rate is not None:
            cells[at + 1] = Formula(f"={xl_col_to_name(at)}{r}*{rate[0]}", monthly * rate[1])
        rows.append(cells)
    end = book.table(ws, table, values=rows)
    if table.rows:
        ws.autofilter(0, 0, end - 1, len(table.columns) - 1)
    elif book.model.analysis.note:
        book.write(ws, end + 1, 0, book.model.analysis.note)


def _sum(sheet: str, column: str, span: tuple[int, int] | None, values: Sequence[float]) -> Formula | float:
    """``=SUM(sheet!Cfirst:Clast)`` with its value (the rows' values added in sheet order)."""
    if span is None:
        return 0.0
    total = 0.0
    for value in values[span[0] - 2: span[1] - 1]:
        total += value
    return Formula(f"=SUM({quote_sheetname(sheet)}!{column}{span[0]}:{column}{span[1]})", total)


def _summary_rows(model: ReportModel, table: Table, rate: tuple[str, float] | None) -> list[list[Any]]:
    """Summary rows as formulas over the line-item and overhead sheets, each with its value."""
    lines, overhead = line_items_table(model), overhead_table(model)
    line_spans, ops_spans = _spans([r[0] for r in lines.rows]), _spans([r[0] for r in overhead.rows])
    line_monthly = [r.item.monthly_usd for r in model.line_items]
    ops_monthly = [r.monthly_usd for r in model.overhead]
    ops_hours = [r.hours_per_month for r in model.overhead]
    col = {c.key: xl_col_to_name(i) for i, c in enumerate(table.columns)}
    suffix = f"_{model.currency.code.lower()}" if model.currency else None
    rows = []
    for r, (row, s) in enumerate(zip(table.rows, model.summaries, strict=True), start=2):
        cells = dict(zip(col, row, strict=True))
        aws = cells["aws_monthly_usd"] = _sum(LINE_SHEET, _letter(lines, "monthly_usd"), line_spans.get(s.platform),
                                              line_monthly)
        aws_value = aws.value if isinstance(aws, Formula) else aws
        cells["aws_annual_usd"] = Formula(f"={col['aws_monthly_usd']}{r}*12", aws_value * 12)
        if model.has_tco:
            span = ops_spans.get(s.platform)
            cells["operations_hours_per_month"] = _sum(OVERHEAD_SHEET, _letter(overhead, "hours_per_month"), span,
                                                       ops_hours)
            ops = cells["operations_monthly_usd"] = _sum(OVERHEAD_SHEET, _letter(overhead, "monthly_usd"), span,
                                                         ops_monthly)
            tco = aws_value + (ops.value if isinstance(ops, Formula) else ops)
            cells["tco_monthly_usd"] = Formula(f"={col['aws_monthly_usd']}{r}+{col['operations_monthly_usd']}{r}", tco)
            cells["tco_annual_usd"] = Formula(f"={col['tco_monthly_usd']}{r}*12", tco * 12)
        for key in col:
            if suffix and rate and key.endswith(suffix):
                usd = cells[key.removesuffix(suffix) + "_usd"]
                usd_value = usd.value if isinstance(usd, Formula) else usd
                cells[key] = Formula(f"={col[key.removesuffix(suffix) + '_usd']}{r}*{rate[0]}", usd_value * rate[1])
        rows.append(list(cells.values()))
    return rows


def _summary_sheet(book: _Book) -> tuple[str, float] | None:
    """Summary table (formulas), the exchange rate, category subtotals, notes and provenance.

    Returns the absolute reference of the exchange-rate cell and the rate, which every
    converted amount in the workbook multiplies by (None without a display currency).
    """
    model = book.model
    ws = book.sheet("Summary")
    table = summary_table(model)
    row = 1 + len(table.rows) + 1
    rate = None
    if model.currency is not None:
        book.write(ws, row, 0, f"USD rate ({model.currency.code} per USD)", book.title)
        book.write(ws, row, 1, model.currency.usd_rate)
        rate = (f"Summary!$B${row + 1}", model.currency.usd_rate)
        row += 2
    book.table(ws, table, values=_summary_rows(model, table, rate))
    if model.analysis.range_basis and any(s.tco_range_monthly_usd for s in model.summaries):
        book.write(ws, row, 0, f"TCO low / high: {model.analysis.range_basis}.")
        row += 2
    row = book.table(ws, category_table(model), top=row) + 1
    notes = notes_table(model)
    if notes.rows:
        row = book.table(ws, notes, top=row) + 1
    book.table(ws, provenance_table(model), top=row)
    return rate


def _workload_sheet(book: _Book) -> None:
    """Every workload table, one under the other, each under its title."""
    ws = book.sheet(WORKLOAD_SHEET, freeze=(0, 0))
    row = 0
    for table in workload_tables(book.model.scenario):
        book.write(ws, row, 0, table.title, book.title)
        if table.rows:
            row = book.table(ws, table, top=row + 1) + 1
        else:
            book.write(ws, row + 1, 0, "(none)")
            row += 3


def _plain_sheet(book: _Book, table: Table, note: str = "") -> None:
    ws = book.sheet(table.title)
    end = book.table(ws, table)
    if note:
        book.write(ws, end + 1, 0, note)


def to_xlsx(model: ReportModel) -> bytes:
    """The workbook as .xlsx bytes."""
    out = io.BytesIO()
    book = _Book(out, model)
    rate = _summary_sheet(book)
    _workload_sheet(book)
    _plain_sheet(book, recommendation_table(model))
    if model.analysis.ranges or model.analysis.sensitivity_note:
        ranges_note, sensitivity_note = uncertainty_notes(model)
        _plain_sheet(book, ranges_table(model), ranges_note)
        _plain_sheet(book, sensitivity_table(model), sensitivity_note)
    _product_sheet(book, line_items_table(model), ("quantity", "usd_per_unit"), rate, freeze=(1, 4))
    _plain_sheet(book, placement_table(model))
    _plain_sheet(book, commitment_table(model))
    _product_sheet(book, overhead_table(model), ("hours_per_month", "usd_per_hour"), rate)
    _plain_sheet(book, assumptions_table(model))
    _plain_sheet(book, prices_table(model))
    book.fit_columns()
    book.wb.close()
    return out.getvalue()
