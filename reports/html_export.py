"""HTML: one self-contained file with the interactive plotly charts and every table.

plotly.js is inlined once (no network needed to open the file, or allowed: the page's
Content-Security-Policy blocks every fetch).  Every piece of text from the scenario
or the price data goes through :func:`html.escape`, so a service named
``<script>...`` is shown, never run.
"""

from __future__ import annotations

import html

import plotly.io as pio

from presentation.text import printable
from reports.charts import chart_specs, plotly_figure
from reports.model import ReportModel
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

#: Inline scripts and styles only (plotly.js is inlined; bar charts need no ``eval``);
#: no fetch, image, font or frame from anywhere.
CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'unsafe-inline'; "
                           "style-src 'unsafe-inline'; img-src data: blob:; font-src data:")

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;color:#1f2937}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #d1d5db}h3{font-size:1rem}
.decision{font-size:1.1rem;font-weight:600}
table{border-collapse:collapse;margin:.5rem 0;font-size:.85rem}
th,td{border:1px solid #d1d5db;padding:.25rem .5rem;vertical-align:top;text-align:left}
th{background:#305496;color:#fff;position:sticky;top:0}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.meta{color:#4b5563}.note{background:#fef3c7;padding:.5rem}
details{margin:.5rem 0}summary{cursor:pointer;font-weight:600}
"""
_NUMERIC = {"usd", "usd_unit", "number", "percent", "count", "converted"}


def _e(text: object) -> str:
    return html.escape(printable(text), quote=True)


def _table(table: Table, model: ReportModel, *, heading: bool = True, level: int = 2) -> str:
    head = "".join(f"<th>{_e(c.header)}</th>" for c in table.columns)
    body = "".join(
        "<tr>" + "".join(
            f'<td class="num">{_e(format_value(v, c.kind, model))}</td>' if c.kind in _NUMERIC
            else f"<td>{_e(format_value(v, c.kind, model))}</td>" for c, v in zip(table.columns, row, strict=True))
        + "</tr>" for row in table.rows)
    title = f"<h{level}>{_e(table.title)}</h{level}>" if heading else ""
    if not table.rows:
        return f"{title}<p>(none)</p>"
    return f"{title}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _items(texts: tuple[str, ...]) -> str:
    return "<ul>" + "".join(f"<li>{_e(t)}</li>" for t in texts) + "</ul>" if texts else ""


def _executive_summary(model: ReportModel) -> str:
    """The decision, the totals (bill, operations, TCO and range), what would change it, the price date."""
    summary = executive_summary(model)
    parts = ['<section id="executive-summary"><h2>Executive summary</h2>',
             f'<p class="decision">{_e(summary.decision)}</p>', _items(summary.reasons)]
    if model.analysis.basis:
        parts.append(f'<p class="meta">{_e(model.analysis.basis)}</p>')
    if summary.confidence:
        parts.append(f"<p>Confidence: {_e(summary.confidence)}</p>")
    parts.append(_table(summary.totals, model, heading=False))
    if summary.range_basis:
        parts.append(f'<p class="meta">TCO low / high: {_e(summary.range_basis)}.</p>')
    if summary.what_would_change_it:
        parts.append("<h3>What would change it</h3>" + _items(summary.what_would_change_it))
    parts += [f"<p>Workload: {_e(summary.workload)}</p>", f"<p>{_e(summary.prices)}</p>"]
    parts += [f'<p class="note">{_e(n)}</p>' for n in summary.notes]
    return "".join(parts) + "</section>"


def _workload(model: ReportModel) -> str:
    tables = "".join(_table(t, model, level=3) for t in workload_tables(model.scenario))
    return f'<section id="workload"><h2>Workload: what was priced</h2>{tables}</section>'



def _uncertainty(model: ReportModel) -> str:
    """The TCO ranges and what decides the recommendation, each with what was drawn."""
    if not model.analysis.ranges and not model.analysis.sensitivity_note:
        return ""
    ranges_note, sensitivity_note = uncertainty_notes(model)
    parts = [_table(ranges_table(model), model), f'<p class="meta">{_e(ranges_note)}</p>' if ranges_note else ""]
    parts += [f"<h2>{_e(sensitivity_table(model).title)}</h2>",
              f'<p class="meta">{_e(sensitivity_note)}</p>' if sensitivity_note else ""]
    if model.analysis.sensitivity:
        parts.append(_table(sensitivity_table(model), model, heading=False))
    return "".join(parts)


def _charts(model: ReportModel) -> str:
    parts = [pio.to_html(plotly_figure(spec), full_html=False, include_plotlyjs=(i == 0), div_id=f"chart-{i}",
                         config={"displaylogo": False}, default_height="420px")
             for i, spec in enumerate(chart_specs(model))]
    return "<h2>Charts</h2>" + "".join(parts) if parts else ""


def _line_items(model: ReportModel) -> str:
    parts = ["<h2>Line items</h2>"]
    for s in model.summaries:
        table = line_items_table(model, s.platform)
        parts.append(f"<details><summary>{_e(s.platform)}: {_e(format_value(s.aws_monthly_usd, 'usd', model))} "
                     f"per month, {len(table.rows)} line items</summary>{_table(table, model, heading=False)}"
                     "</details>")
    return "".join(parts)


def to_html(model: ReportModel) -> bytes:
    """The report as one UTF-8 HTML document."""
    prov = model.provenance
    meta = (f"{_e(model.scenario.name)} · {_e(prov.region)} · prices as of {_e(prov.prices_as_of)} "
            f"({_e(prov.origin)}, version {_e(prov.version)})")
    stale = f'<p class="note">Note: {_e(prov.stale_notice)}</p>' if prov.stale_notice else ""
    notes = notes_table(model)
    sections = [
        _executive_summary(model), _workload(model), _table(recommendation_table(model), model),
        _uncertainty(model), _charts(model),
        _table(category_table(model), model), _table(notes, model) if notes.rows else "", _line_items(model),
        _table(placement_table(model), model), _table(commitment_table(model), model),
        _table(overhead_table(model), model),
        _table(assumptions_table(model), model), _table(prices_table(model), model),
        _table(provenance_table(model), model),
    ]
    page = (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{_e(CONTENT_SECURITY_POLICY)}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{_e(model.title)}</title><style>{_STYLE}</style></head><body>"
            f'<h1>{_e(model.title)}</h1><p class="meta">{meta}</p>{stale}{"".join(sections)}</body></html>\n')
    return page.encode("utf-8")
