"""The report's uncertainty sections: TCO ranges with the chance of being cheapest, and what decides it.

The rows (:class:`reports.model.RangeRow`, :class:`reports.model.SensitivityRow`) are plain
values mapped from :class:`advisor.analysis.assessment.Assessment` by :mod:`reports.analysis`;
the two tables are defined once here for every export, like :mod:`reports.tables`.
"""

from __future__ import annotations

from reports.model import ReportModel
from reports.tables import Column, Table

#: Short titles (they name Excel sheets too: at most 31 characters, no colon).
RANGES_TITLE = "TCO ranges"
SENSITIVITY_TITLE = "What decides it"


def ranges_table(model: ReportModel) -> Table:
    """Per platform: the point estimate, P10 / P50 / P90 and the share of draws in which it is cheapest."""
    analysis = model.analysis
    cols = (Column("platform", "Platform"), Column("point_usd", "Most likely (USD / month)", "usd"),
            Column("p10_usd", "P10 (USD / month)", "usd"), Column("p50_usd", "P50 (USD / month)", "usd"),
            Column("p90_usd", "P90 (USD / month)", "usd"),
            Column("probability_cheapest", "Cheapest in (share of draws)", "percent"))
    rows = tuple((r.platform, r.point_usd, r.p10_usd, r.p50_usd, r.p90_usd, r.probability_cheapest)
                 for r in analysis.ranges)
    return Table(title=RANGES_TITLE, columns=cols, rows=rows)


def sensitivity_table(model: ReportModel) -> Table:
    """Every uncertain input ranked by its total Sobol index: what decides the recommendation."""
    analysis = model.analysis
    cols = (Column("label", "Uncertain input"), Column("total", "Total index ST", "number"),
            Column("total_conf", "ST ± (95%)", "number"), Column("first_order", "Alone S1", "number"),
            Column("first_order_conf", "S1 ± (95%)", "number"), Column("input", "Name"))
    rows = tuple((s.label, s.total, s.total_conf, s.first_order, s.first_order_conf, s.input)
                 for s in analysis.sensitivity)
    return Table(title=SENSITIVITY_TITLE, columns=cols, rows=rows)


def uncertainty_notes(model: ReportModel) -> tuple[str, str]:
    """What the ranges drew and how the ranking was computed (or why there is none), in words."""
    analysis = model.analysis
    ranges = f"{analysis.range_basis}; the most likely column is the sum of the line items and activity rows." \
        if analysis.range_basis else ""
    return ranges, analysis.sensitivity_note
