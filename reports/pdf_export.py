"""PDF: summary, recommendation, static charts, the tables, price dates and assumptions.

Set in the bundled DejaVu Sans (``reports/fonts``), embedded as a subset, so €, ₩, →
and × print whatever fonts the reader's machine has.  Text is drawn as plain text
(no markup, no links), so a hostile service name is printed, never acted on.  Charts
come from :mod:`reports.static_charts`; when they fall back or are omitted, the PDF
says so under the charts heading.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from reports.charts import chart_specs
from reports.model import ReportModel
from reports.pdf_table import PdfGrid
from reports.static_charts import StaticCharts, render_static
from reports.tables import (
    Table,
    assumptions_table,
    category_table,
    format_value,
    line_items_table,
    notes_table,
    overhead_table,
    placement_table,
    prices_table,
    provenance_table,
    recommendation_table,
    summary_table,
)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "DejaVuSans"
_NUMERIC = {"usd", "usd_unit", "number", "percent", "count", "converted"}
#: Relative widths of the line-item columns in the PDF (the widest text gets the most room).
_LINE_WIDTHS = {"environment": 1.5, "category": 1.4, "name": 4.0, "quantity": 1.3, "unit": 1.3,
                "usd_per_unit": 1.2, "monthly_usd": 1.2, "price_ref": 2.4, "publication_date": 1.4, "formula": 4.3}
_CONVERTED_WIDTH = 1.4


class _ReportPdf(FPDF):
    """A4 landscape with the report title and page numbers in the footer."""

    def __init__(self, title: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.report_title = title
        self.add_font(FONT_FAMILY, "", FONT_DIR / "DejaVuSans.ttf")
        self.add_font(FONT_FAMILY, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
        self.set_auto_page_break(auto=True, margin=14)
        self.set_title(title)
        self.set_creator("ecs-eks-advisor")

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FONT_FAMILY, size=7)
        self.cell(0, 5, f"{self.report_title} · page {self.page_no()}/{{nb}}", align="C")

    def heading(self, text: str) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(3)
        self.set_font(FONT_FAMILY, "B", 11)
        self.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT_FAMILY, size=7)

    def paragraph(self, text: str, size: float = 8) -> None:
        self.set_font(FONT_FAMILY, size=size)
        self.multi_cell(0, 4, text, new_x="LMARGIN", new_y="NEXT")


def _table(pdf: _ReportPdf, table: Table, model: ReportModel, *, columns: tuple[str, ...] | None = None,
           widths: dict[str, float] | None = None, size: float = 7) -> None:
    """Draw ``table`` (optionally a subset of its columns) with relative column ``widths`` (default 1 each)."""
    if not table.rows:
        pdf.paragraph("(none)")
        return
    picked = [(i, c) for i, c in enumerate(table.columns) if columns is None or c.key in columns]
    relative = [(widths or {}).get(c.key, 1.0) for _, c in picked]
    grid = PdfGrid(pdf, [pdf.epw * w / sum(relative) for w in relative], [c.kind in _NUMERIC for _, c in picked],
                   font_family=FONT_FAMILY, size_pt=size, header=[c.header for _, c in picked])
    grid.draw([[format_value(row[i], c.kind, model) for i, c in picked] for row in table.rows])
    pdf.ln(2)


def _line_widths(model: ReportModel) -> dict[str, float]:
    """The printed line-item columns and their widths: the audit trail, plus the converted amount."""
    converted = {c.key: _CONVERTED_WIDTH for c in line_items_table(model).columns if c.kind == "converted"}
    return {**_LINE_WIDTHS, **converted}


def _charts(pdf: _ReportPdf, charts: StaticCharts) -> None:
    if not charts.images and not charts.note:
        return
    pdf.heading("Charts")
    if charts.note:
        pdf.paragraph(charts.note)
    width = (pdf.epw - 5) / 2
    for i, image in enumerate(charts.images):
        if i % 2 == 0 and pdf.get_y() + width * 0.5 > pdf.h - 20:
            pdf.add_page()
        y = pdf.get_y()
        pdf.image(image, x=pdf.l_margin + (i % 2) * (width + 5), y=y, w=width)
        if i % 2 == 1 or i == len(charts.images) - 1:
            pdf.set_y(y + width * 0.48 + 3)


def to_pdf(model: ReportModel, *, chromium: Path | None = None, charts: StaticCharts | None = None) -> bytes:
    """The report as PDF bytes.

    Parameters
    ----------
    model : ReportModel
        What to print.
    chromium : Path, optional
        System Chromium for plotly's image export; None draws the charts with matplotlib.
    charts : StaticCharts, optional
        Already rendered charts (tests and callers that render once for several PDFs).
    """
    charts = charts or render_static(chart_specs(model), chromium)
    pdf = _ReportPdf(model.title)
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, "B", 15)
    pdf.multi_cell(0, 8, model.title, new_x="LMARGIN", new_y="NEXT")
    prov = model.provenance
    pdf.paragraph(f"Region {prov.region} · prices as of {prov.prices_as_of} · source: {prov.origin} "
                  f"(version {prov.version}) · generated {model.generated_at or 'not recorded'}")
    if model.currency is not None:
        pdf.paragraph(f"Amounts in USD, with {model.currency.code} at {model.currency.rate_text} (user-set rate).")
    pdf.heading("Summary")
    _table(pdf, summary_table(model), model, widths={"rank": 0.4}, size=8)
    if model.analysis.note:
        pdf.paragraph(model.analysis.note)
    pdf.heading("Recommendation")
    _table(pdf, recommendation_table(model), model, widths={"part": 1.0, "text": 8.0}, size=8)
    _charts(pdf, charts)
    pdf.heading("Monthly AWS cost by category")
    _table(pdf, category_table(model), model)
    notes = notes_table(model)
    if notes.rows:
        pdf.heading(notes.title)
        _table(pdf, notes, model, widths={"platform": 1.0, "kind": 1.0, "text": 8.0})
    for summary in model.summaries:
        pdf.heading(f"Line items: {summary.platform} ({format_value(summary.aws_monthly_usd, 'usd', model)} per month)")
        widths = _line_widths(model)
        _table(pdf, line_items_table(model, summary.platform), model, columns=tuple(widths), widths=widths, size=6)
    for table, widths in ((placement_table(model), {"nodes": 2.0}),
                          (overhead_table(model), {"basis": 3.0, "source": 5.0}),
                          (assumptions_table(model), {"item": 2.5, "value": 3.0, "source": 4.0}),
                          (prices_table(model), {"description": 3.0, "price_ref": 2.0}),
                          (provenance_table(model), {"value": 5.0})):
        pdf.heading(table.title)
        _table(pdf, table, model, widths=widths, size=6.5)
    return bytes(pdf.output())
