"""PDF: an executive summary, the workload that was priced, then the details as appendices.

Page 1 (and 2 when needed) is the executive summary: the decision, the totals as AWS
bill and TCO with their range, what would change the decision, the prices' date, and
the two charts.  Then the workload (every service, job, agent, environment and setting)
and the report's provenance, then the appendices: the recommendation in full, cost by
category, line items per platform, placements, operations, assumptions, prices used.

Set in the bundled DejaVu Sans (``reports/fonts``), with a Noto Sans CJK face for
Korean, Japanese and Chinese names (:mod:`reports.pdf_fonts`), embedded as subsets, so
€, ₩, → and 서비스 print whatever fonts the reader's machine has.  Text is drawn as plain
text (no markup, no links), so a hostile service name is printed, never acted on.
Amounts are rounded for reading (cents; unit prices to four significant digits); the
CSV, JSON and Excel files keep every digit.
"""

from __future__ import annotations

from fpdf import FPDF

from reports.charts import chart_specs
from reports.model import ReportModel
from reports.pdf_fonts import CJK_FAMILY, FONT_FAMILY, FONT_FILES, FontPlan, dejavu_codepoints, plan_fonts
from reports.pdf_table import PdfGrid
from reports.static_charts import StaticCharts, render_static
from reports.summary import executive_summary
from reports.tables import (
    Table,
    assumptions_table,
    category_table,
    commitment_table,
    format_value,
    line_items_table,
    notes_table,
    overhead_table,
    placement_table,
    prices_table,
    provenance_table,
    recommendation_table,
)
from reports.uncertainty import ranges_table, sensitivity_table, uncertainty_notes
from reports.workload import workload_tables

_NUMERIC = {"usd", "usd_unit", "number", "percent", "count", "converted"}
#: Relative widths of the line-item columns in the PDF (the widest text gets the most room).
_LINE_WIDTHS = {"environment": 1.5, "category": 1.4, "name": 4.0, "quantity": 1.3, "unit": 1.3,
                "usd_per_unit": 1.2, "monthly_usd": 1.2, "price_ref": 2.4, "publication_date": 1.4, "formula": 4.3}
_CONVERTED_WIDTH = 1.4
#: The executive summary's totals: what a reader compares first.
_SUMMARY_COLUMNS = ("rank", "platform", "aws_monthly_usd", "aws_annual_usd", "operations_monthly_usd",
                    "tco_monthly_usd", "tco_low_monthly_usd", "tco_high_monthly_usd", "tco_annual_usd",
                    "operations_share")


def report_texts(model: ReportModel) -> tuple[str, ...]:
    """The user's text a report prints (names, description, currency symbol): what decides its fonts."""
    symbol = model.currency.symbol if model.currency else ""
    return (model.scenario.model_dump_json(), symbol)


class _ReportPdf(FPDF):
    """A4 landscape with the report title and page numbers in the footer."""

    def __init__(self, title: str, plan: FontPlan) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.plan = plan
        self.report_title = plan.printable(title)
        for style, path in FONT_FILES.items():
            self.add_font(FONT_FAMILY, style, path)
        if plan.fallback is not None:
            self.add_font(CJK_FAMILY, "", plan.fallback.path, collection_font_number=plan.fallback.face)
            self.set_fallback_fonts([CJK_FAMILY], exact_match=False)
        self.set_auto_page_break(auto=True, margin=14)
        self.set_title(self.report_title)
        self.set_creator("ecs-eks-advisor")

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FONT_FAMILY, size=7)
        self.cell(0, 5, f"{self.report_title} · page {self.page_no()}/{{nb}}", align="C")

    def heading(self, text: str, size: float = 11) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(3)
        self.set_font(FONT_FAMILY, "B", size)
        self.multi_cell(0, 6, self.plan.printable(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font(FONT_FAMILY, size=7)

    def paragraph(self, text: str, size: float = 8, style: str = "") -> None:
        self.set_font(FONT_FAMILY, style, size=size)
        self.multi_cell(0, size * 0.5, self.plan.printable(text), new_x="LMARGIN", new_y="NEXT")

    def bullets(self, texts: tuple[str, ...], size: float = 8) -> None:
        for text in texts:
            self.paragraph(f"• {text}", size=size)


def _table(pdf: _ReportPdf, table: Table, model: ReportModel, *, columns: tuple[str, ...] | None = None,
           widths: dict[str, float] | None = None, size: float = 7) -> None:
    """Draw ``table`` (optionally a subset of its columns) with relative column ``widths`` (default 1 each)."""
    if not table.rows:
        pdf.paragraph("(none)")
        return
    picked = [(i, c) for i, c in enumerate(table.columns) if columns is None or c.key in columns]
    relative = [(widths or {}).get(c.key, 1.0) for _, c in picked]
    fallback = (CJK_FAMILY, dejavu_codepoints()) if pdf.plan.fallback is not None else None
    grid = PdfGrid(pdf, [pdf.epw * w / sum(relative) for w in relative], [c.kind in _NUMERIC for _, c in picked],
                   font_family=FONT_FAMILY, size_pt=size, header=[c.header for _, c in picked], fallback=fallback)
    printable = pdf.plan.printable
    grid.draw([[printable(format_value(row[i], c.kind, model)) for i, c in picked] for row in table.rows])
    pdf.ln(2)


def _line_widths(model: ReportModel) -> dict[str, float]:
    """The printed line-item columns and their widths: the audit trail, plus the converted amount."""
    converted = {c.key: _CONVERTED_WIDTH for c in line_items_table(model).columns if c.kind == "converted"}
    return {**_LINE_WIDTHS, **converted}


def _charts(pdf: _ReportPdf, charts: StaticCharts) -> None:
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


def _executive_summary(pdf: _ReportPdf, model: ReportModel, charts: StaticCharts) -> None:
    summary = executive_summary(model)
    pdf.heading("Executive summary", size=13)
    pdf.paragraph(summary.decision, size=11, style="B")
    if model.analysis.basis:
        pdf.paragraph(model.analysis.basis, size=8)
    for reason in summary.reasons:
        pdf.paragraph(reason, size=9)
    if summary.confidence:
        pdf.paragraph(f"Confidence: {summary.confidence}", size=9)
    pdf.ln(2)
    widths = {"rank": 0.4, "platform": 1.2}
    _table(pdf, summary.totals, model, columns=_SUMMARY_COLUMNS + tuple(
        c.key for c in summary.totals.columns if c.kind == "converted"), widths=widths, size=8)
    if summary.range_basis:
        pdf.paragraph(f"TCO low / high: {summary.range_basis}.", size=7)
    if summary.what_would_change_it:
        pdf.heading("What would change it", size=10)
        pdf.bullets(summary.what_would_change_it)
    pdf.ln(1)
    pdf.paragraph(f"Workload: {summary.workload}")
    pdf.paragraph(summary.prices)
    for note in summary.notes:
        pdf.paragraph(note)
    pdf.ln(2)
    _charts(pdf, charts)


def _workload(pdf: _ReportPdf, model: ReportModel) -> None:
    pdf.add_page()
    pdf.heading("Workload: what was priced", size=13)
    _table(pdf, provenance_table(model), model, widths={"field": 1.0, "value": 5.0}, size=7)
    for table in workload_tables(model.scenario):
        pdf.heading(table.title, size=9)
        _table(pdf, table, model, size=6.5, widths={"replicas": 2.2, "sidecars": 1.6})


def _uncertainty(pdf: _ReportPdf, model: ReportModel) -> None:
    """The TCO ranges and what decides the recommendation (with the recommendation's appendix)."""
    if not model.analysis.ranges and not model.analysis.sensitivity_note:
        return
    ranges_note, sensitivity_note = uncertainty_notes(model)
    pdf.heading(ranges_table(model).title, size=10)
    if ranges_note:
        pdf.paragraph(ranges_note)
    _table(pdf, ranges_table(model), model, size=8)
    pdf.heading(sensitivity_table(model).title, size=10)
    if sensitivity_note:
        pdf.paragraph(sensitivity_note)
    if model.analysis.sensitivity:
        _table(pdf, sensitivity_table(model), model, widths={"label": 4.0, "input": 3.0}, size=7)


def _appendices(pdf: _ReportPdf, model: ReportModel) -> None:
    pdf.add_page()
    pdf.heading("Appendix A. The recommendation in full", size=12)
    _table(pdf, recommendation_table(model), model, widths={"part": 1.0, "text": 8.0}, size=8)
    _uncertainty(pdf, model)
    pdf.heading("Appendix B. Monthly AWS cost by category")
    _table(pdf, category_table(model), model)
    notes = notes_table(model)
    if notes.rows:
        pdf.heading(notes.title)
        _table(pdf, notes, model, widths={"platform": 1.0, "kind": 1.0, "text": 8.0})
    widths = _line_widths(model)
    for summary in model.summaries:
        pdf.heading(f"Appendix C. Line items: {summary.platform} "
                    f"({format_value(summary.aws_monthly_usd, 'usd', model)} per month)")
        _table(pdf, line_items_table(model, summary.platform), model, columns=tuple(widths), widths=widths, size=6)
    for letter, (table, table_widths) in zip("DEFGH", (
            (placement_table(model), {"nodes": 2.0}), (commitment_table(model), {"what": 3.0}),
            (overhead_table(model), {"basis": 3.0, "source": 5.0}),
            (assumptions_table(model), {"item": 2.5, "value": 3.0, "source": 4.0}),
            (prices_table(model), {"description": 3.0, "price_ref": 2.0})), strict=True):
        pdf.heading(f"Appendix {letter}. {table.title}")
        _table(pdf, table, model, widths=table_widths, size=6.5)


def to_pdf(model: ReportModel, *, charts: StaticCharts | None = None, plan: FontPlan | None = None) -> bytes:
    """The report as PDF bytes.

    Parameters
    ----------
    model : ReportModel
        What to print.
    charts : StaticCharts, optional
        Already rendered charts (callers that render once for several PDFs); default:
        drawn here, once.
    plan : FontPlan, optional
        The fonts the report's text needs (:func:`reports.pdf_fonts.plan_fonts`); default
        worked out from the scenario's text.
    """
    plan = plan or plan_fonts(report_texts(model))
    charts = charts or render_static(chart_specs(model), plan)
    pdf = _ReportPdf(model.title, plan)
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, "B", 15)
    pdf.multi_cell(0, 8, pdf.report_title, new_x="LMARGIN", new_y="NEXT")
    prov = model.provenance
    pdf.paragraph(f"Region {prov.region} · prices as of {prov.prices_as_of} · source: {prov.origin} "
                  f"(version {prov.version}) · generated {model.generated_at or 'not recorded'}")
    if prov.stale_notice:
        pdf.paragraph(f"Note: {prov.stale_notice}")
    if model.currency is not None:
        pdf.paragraph(f"Amounts in USD, with {model.currency.code} at {model.currency.rate_text} (user-set rate).")
    if plan.note:
        pdf.paragraph(plan.note, style="B")
    _executive_summary(pdf, model, charts)
    _workload(pdf, model)
    _appendices(pdf, model)
    return bytes(pdf.output())
