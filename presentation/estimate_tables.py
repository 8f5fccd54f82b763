"""Pure presentation of estimates: documents, tidy tables and the golden-file text.

The same functions feed the command line, the app and the golden tests, so every view
shows the same numbers.  Amounts keep full precision; only :func:`to_text` rounds.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from advisor.costs.commitment_plan import CommitmentPlan
from advisor.costs.estimate import ScenarioEstimate
from advisor.costs.line_items import Estimate, LineItem
from presentation.text import printable_lines

LINE_ITEM_COLUMNS: tuple[str, ...] = (
    "platform", "environment", "category", "name", "quantity", "unit", "usd_per_unit", "monthly_usd",
    "price_key", "price_ref", "publication_date", "formula", "is_assumption",
)


def line_item_record(platform: str, line: LineItem) -> dict[str, Any]:
    """One line item as a flat record (the CSV row and the JSON object)."""
    return {"platform": platform, "environment": line.environment, "category": line.category.value,
            "name": line.name, "quantity": line.quantity, "unit": line.unit, "usd_per_unit": line.usd_per_unit,
            "monthly_usd": line.monthly_usd, "price_key": line.price_key, "price_ref": line.price_ref,
            "publication_date": line.publication_date, "formula": line.formula, "is_assumption": line.is_assumption}


def line_items_frame(result: ScenarioEstimate) -> pd.DataFrame:
    """Every platform's line items, one row each."""
    rows = [line_item_record(e.platform.value, li) for e in result.estimates for li in e.line_items]
    return pd.DataFrame(rows, columns=list(LINE_ITEM_COLUMNS))


def summary_frame(result: ScenarioEstimate) -> pd.DataFrame:
    """Monthly and annual totals per platform, cheapest first, with category subtotals."""
    rows = []
    for est in result.estimates:
        row: dict[str, Any] = {"platform": est.platform.value, "monthly_usd": est.monthly_usd,
                               "annual_usd": est.annual_usd}
        for line in est.line_items:
            key = f"{line.category.value}_usd"
            row[key] = row.get(key, 0.0) + line.monthly_usd
        rows.append(row)
    frame = pd.DataFrame(rows).fillna(0.0)
    return frame.sort_values("monthly_usd", kind="stable").reset_index(drop=True) if rows else frame


def commitment_record(plan: CommitmentPlan) -> dict[str, Any]:
    """The optimal commitment of one platform as a flat record (JSON, reports)."""
    return {"platform": plan.platform.value, "option": plan.option.value, "usd_per_hour": plan.usd_per_hour,
            "instances": dict(plan.instances), "utilization": plan.utilization,
            "on_demand_monthly_usd": plan.on_demand_monthly_usd, "monthly_usd": plan.monthly_usd,
            "saving_monthly_usd": plan.saving_monthly_usd, "break_even_utilization": plan.break_even_utilization,
            "description": plan.description}


def _estimate_document(est: Estimate, plan: CommitmentPlan | None) -> dict[str, Any]:
    return {
        "platform": est.platform.value,
        "monthly_usd": est.monthly_usd,
        "annual_usd": est.annual_usd,
        "line_items": [line_item_record(est.platform.value, li) for li in est.line_items],
        "warnings": list(est.warnings),
        "assumptions": list(est.assumptions),
        "placements": [{"environment": p.environment, "phase": p.phase, "hours": p.hours,
                        "nodes": dict(p.node_counts), "utilization_vcpu": p.utilization_vcpu,
                        "utilization_memory": p.utilization_memory, "usd_per_hour": p.usd_per_hour,
                        "lower_bound_usd_per_hour": p.lower_bound_usd_per_hour, "optimal": p.exact,
                        "idle_usd_per_month": p.idle_usd_per_month} for p in est.placements],
        "optimal_commitment": None if plan is None else commitment_record(plan),
    }


def estimate_document(result: ScenarioEstimate, commitments: tuple[CommitmentPlan, ...] = ()) -> dict[str, Any]:
    """The JSON form of ``advisor estimate`` (with each platform's optimal commitment when given)."""
    plans = {c.platform: c for c in commitments}
    return {
        "scenario": result.scenario.name,
        "region": result.region,
        "prices_as_of": result.prices_as_of,
        "platforms": [_estimate_document(e, plans.get(e.platform)) for e in result.estimates],
        "unavailable": [{"platform": u.platform.value, "reason": u.reason} for u in result.unavailable],
    }


def to_text(result: ScenarioEstimate, commitments: tuple[CommitmentPlan, ...] = ()) -> str:
    """Deterministic text report: totals, then each platform's line items (golden files).

    ``commitments`` (:func:`advisor.costs.commitment_plan.optimal_commitments`) adds each
    platform's cost-minimizing commitment under its placements.
    """
    plans = {c.platform: c for c in commitments}
    out = [f"Scenario {result.scenario.name} · {result.region} · prices as of {result.prices_as_of}", ""]
    for row in summary_frame(result).itertuples(index=False):
        out.append(f"  {row.platform:12} {row.monthly_usd:>12,.2f} USD/month {row.annual_usd:>14,.2f} USD/year")
    for u in result.unavailable:
        out.append(f"  {u.platform.value:12} unavailable: {u.reason}")
    for est in result.estimates:
        out += ["", f"== {est.platform.value}: {est.monthly_usd:,.2f} USD/month"]
        for li in est.line_items:
            out.append(f"  [{li.environment}] {li.name}: {li.quantity:,.4f} {li.unit} × ${li.usd_per_unit:.10g} = "
                       f"{li.monthly_usd:,.2f} ({li.price_ref} @ {li.publication_date or 'n/a'})")
        for p in est.placements:
            where = f"  placement [{p.environment} {p.phase}, {p.hours:g} h]: "
            if not p.node_counts:
                out.append(f"{where}no nodes; optimal (nothing to place)")
                continue
            nodes = ", ".join(f"{n}× {t}" for t, n in p.node_counts)
            out.append(f"{where}{nodes}; cpu {p.utilization_vcpu:.0%} mem {p.utilization_memory:.0%}; "
                       + ("optimal (solved exactly)" if p.exact
                          else f"{p.usd_per_hour / p.lower_bound_usd_per_hour:.3f}× lower bound"))
        if est.platform in plans:
            out.append(f"  optimal commitment: {plans[est.platform].description}")
        out += [f"  warning: {w}" for w in est.warnings]
    return printable_lines(out) + "\n"
