"""The executive summary: the decision, the totals as bill and TCO with their range, what would change it.

The PDF opens with it and the HTML page starts with it; every sentence is built from the
report model (nothing is recomputed), so it says exactly what the detailed tables say.
"""

from __future__ import annotations

from dataclasses import dataclass

from presentation.labels import platform_label
from presentation.money import format_usd
from reports.model import ReportModel
from reports.tables import Table, summary_table


@dataclass(frozen=True, slots=True, kw_only=True)
class ExecutiveSummary:
    """What a reader needs on the first page, as sentences and one table."""

    decision: str
    reasons: tuple[str, ...]
    confidence: str
    totals: Table
    range_basis: str
    what_would_change_it: tuple[str, ...]
    workload: str
    prices: str
    notes: tuple[str, ...]


def _label(platform: str) -> str:
    """``ECS on EC2 (ecs-ec2)``: the reader's name and the id the tables use."""
    try:
        return f"{platform_label(platform)} ({platform})"
    except (KeyError, ValueError):
        return platform


def _decision(model: ReportModel) -> str:
    rec = model.recommendation
    if rec is not None and rec.best:
        return f"Recommended: {_label(rec.best)}, the lowest total cost of ownership (AWS bill + operations)."
    if not model.summaries:
        return "No platform could run this workload: see the notes."
    first = model.summaries[0]
    if model.has_tco and first.tco_monthly_usd is not None:
        return f"Lowest TCO: {_label(first.platform)} at {format_usd(first.tco_monthly_usd)} a month."
    return f"Lowest AWS bill: {_label(first.platform)} at {format_usd(first.aws_monthly_usd)} a month."


def _workload(model: ReportModel) -> str:
    s = model.scenario
    environments = ", ".join(e.name if e.scale == 1 else f"{e.name} (× {e.scale:g})" for e in s.environments)
    peak = sum(sv.replicas.max for sv in s.services)
    return (f"{len(s.services)} services ({peak} replicas at peak), {len(s.jobs)} jobs, {len(s.daemons)} per-node "
            f"agents; environments {environments}; region {s.region}; purchase {s.purchase.option.value}, "
            f"Spot share {s.purchase.spot_share:g}.")


def _prices(model: ReportModel) -> str:
    prov = model.provenance
    dates = sorted(d for _, d in prov.offers if d)
    span = f"; offers published {dates[0][:10]} to {dates[-1][:10]}" if dates else ""
    return f"Prices as of {prov.prices_as_of} from the {prov.origin} (version {prov.version}){span}."


def executive_summary(model: ReportModel) -> ExecutiveSummary:
    """The first page of the report, from the model alone."""
    rec = model.recommendation
    changes = tuple(rec.break_evens) if rec else ()
    notes = [model.analysis.note] if model.analysis.note else []
    notes += [f"{_label(p)} is not priced: {reason}" for p, reason in model.unavailable]
    return ExecutiveSummary(
        decision=_decision(model), reasons=tuple(rec.reasons[:1]) if rec else (),
        confidence=rec.confidence if rec else "", totals=summary_table(model),
        range_basis=model.analysis.range_basis if any(s.tco_range_monthly_usd for s in model.summaries) else "",
        what_would_change_it=changes, workload=_workload(model), prices=_prices(model), notes=tuple(notes))
