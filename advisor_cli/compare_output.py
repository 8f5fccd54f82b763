"""What ``advisor compare`` prints: the JSON document, the CSV rows and the table text of assessed scenarios.

Apart from :mod:`advisor_cli.compare_cmd` (the options and the run) so that building the
command line's parser does not import the decision model, the comparison views and plotly
with them: every other command starts without them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from advisor.decision.tco import Metric
from advisor.workload.operations_inputs import Activity
from advisor_cli.compare_ranges import (
    basis_line,
    ranges_lines,
    ranges_record,
    sensitivity_lines,
    sensitivity_record,
)
from presentation.comparison import cheapest_frame, comparison_frame, difference_sentences, input_differences
from presentation.money import format_signed_usd, format_usd
from presentation.text import printable_lines

if TYPE_CHECKING:
    from advisor.analysis.assessment import Assessment
    from advisor.decision.recommend import Recommendation
    from advisor.decision.tco import PlatformTco, TcoResult

CSV_COLUMNS = ("scenario", "platform", "rank", "metric", "aws_monthly_usd", "operations_hours_per_month",
               "operations_fixed_hours_per_month", "operations_per_node_hours_per_month", "nodes",
               "operations_monthly_usd", "operations_share_of_tco", "tco_monthly_usd", "tco_annual_usd",
               "p10_usd", "p50_usd", "p90_usd", "probability_cheapest", "fte_fraction", "complexity_score",
               "tco_monthly_usd_vs_first")
#: The table lists this many input differences per scenario; JSON lists all.
MAX_INPUT_DIFFERENCES_SHOWN = 12


# --- documents ------------------------------------------------------------------------

def _platform_record(p: PlatformTco, rank: int) -> dict[str, Any]:
    ops = p.operations
    return {
        "platform": p.platform.value, "rank": rank,
        "aws_monthly_usd": p.aws_monthly_usd, "aws_annual_usd": p.aws_annual_usd,
        "operations_hours_per_month": ops.monthly_hours, "operations_fixed_hours_per_month": ops.fixed_monthly_hours,
        "operations_per_node_hours_per_month": ops.per_node_monthly_hours, "nodes": ops.nodes,
        "operations_monthly_usd": p.operations_monthly_usd, "operations_annual_usd": p.operations_annual_usd,
        "operations_share_of_tco": p.operations_share, "usd_per_hour": ops.usd_per_hour,
        "fte_fraction": ops.fte_fraction, "tco_monthly_usd": p.tco_monthly_usd, "tco_annual_usd": p.tco_annual_usd,
        "operations_rows": [{
            "activity": r.activity.value, "frequency_per_year": r.frequency_per_year,
            "hours_per_occurrence": r.hours_per_occurrence, "extra_cluster_hours": r.extra_cluster_hours,
            "per_node_hours": r.per_node_hours, "engineers": r.engineers, "clusters": r.clusters, "nodes": r.nodes,
            "fixed_monthly_hours": r.fixed_monthly_hours, "per_node_monthly_hours": r.per_node_monthly_hours,
            "monthly_hours": r.monthly_hours, "usd_per_hour": r.usd_per_hour, "monthly_usd": r.monthly_usd,
            "tag": r.tag.value, "frequency_tag": r.frequency_tag.value, "hours_tag": r.hours_tag.value,
            "source": r.source, "ranges": r.ranges_text, "reason": r.reason, "formula": r.formula}
            for r in ops.rows],
        "complexity": {
            "score": p.complexity.total, "scaled_0_100": p.complexity.scaled_0_100,
            "components": [{"name": c.name, "value": c.value, "weight": c.weight, "points": c.points,
                            "items": list(c.items), "reason": c.reason} for c in p.complexity.components]},
    }


def _recommendation_record(rec: Recommendation) -> dict[str, Any]:
    return {
        "metric": rec.metric.value, "choice": rec.choice.value if rec.choice else None,
        "ranking": [p.platform.value for p in rec.ranking],
        "confidence": rec.confidence.value, "confidence_reason": rec.confidence_reason,
        "reasons": list(rec.reasons), "caveats": list(rec.caveats),
        "break_evens": [{"parameter": b.parameter, "unit": b.unit, "current": b.current, "value": b.value,
                         "direction": b.direction, "explanation": b.explanation} for b in rec.break_evens],
    }


def scenario_document(a: Assessment) -> dict[str, Any]:
    """One scenario's TCO, ranges, operations rows, complexity, extended-support trade, recommendation, ranking,
    what decides it and the optimal commitments."""
    from advisor.costs.commitment_plan import optimal_commitments
    from presentation.estimate_tables import commitment_record

    result = a.result
    ranks = {p.platform: i for i, p in enumerate(result.ranked(a.metric), start=1)}
    return {
        "scenario": result.scenario.name, "region": result.estimate.region,
        "prices_as_of": result.estimate.prices_as_of, "clusters": result.clusters,
        "metric": a.metric.value, "basis": basis_line(a),
        "operations": result.operations.model_dump(mode="json"),
        "platforms": [_platform_record(p, ranks[p.platform]) for p in result.ranked(a.metric)],
        "unavailable": [{"platform": u.platform.value, "reason": u.reason} for u in result.unavailable],
        "extended_support": [{
            "platform": t.platform.value, "clusters": t.clusters, "is_applied": t.is_applied,
            "surcharge_usd_per_cluster_hour": t.surcharge_usd_per_cluster_hour, "price_ref": t.price_ref,
            "publication_date": t.publication_date, "fee_usd_per_year": t.fee_usd_per_year,
            "upgrade_hours_per_year": t.upgrade_hours_per_year, "upgrade_usd_per_year": t.upgrade_usd_per_year,
            "net_usd_per_year": t.net_usd_per_year} for t in result.extended_support],
        "ranges": ranges_record(a),
        "recommendation": _recommendation_record(a.recommendation),
        "sensitivity": sensitivity_record(a),
        "optimal_commitments": [commitment_record(c) for c in optimal_commitments(result.estimate, result.prices)],
    }


def _platform_differences(first: Assessment, other: Assessment) -> list[dict[str, Any]]:
    base = {p.platform: p for p in first.result.platforms}
    metric = other.metric
    return [{"platform": p.platform.value, "monthly_usd": p.monthly_usd(metric),
             "monthly_usd_vs_first": p.monthly_usd(metric) - base[p.platform].monthly_usd(metric),
             "tco_monthly_usd": p.tco_monthly_usd,
             "tco_monthly_usd_vs_first": p.tco_monthly_usd - base[p.platform].tco_monthly_usd,
             "aws_monthly_usd_vs_first": p.aws_monthly_usd - base[p.platform].aws_monthly_usd,
             "operations_monthly_usd_vs_first": p.operations_monthly_usd - base[p.platform].operations_monthly_usd}
            for p in other.result.ranked(metric) if p.platform in base]


def _choice(rec: Recommendation) -> str | None:
    return rec.choice.value if rec.choice else None


def compare_document(assessments: list[Assessment], labels: list[str]) -> dict[str, Any]:
    """The JSON form of ``advisor compare``."""
    first = assessments[0]
    return {
        "scenarios": [scenario_document(a) for a in assessments],
        "differences": [{
            "scenario": label, "versus": labels[0], "choice": _choice(a.recommendation),
            "first_choice": _choice(first.recommendation),
            "inputs": input_differences(first.result.scenario, a.result.scenario),
            "platforms": _platform_differences(first, a)}
            for label, a in zip(labels[1:], assessments[1:], strict=True)],
    }


def csv_frame(assessments: list[Assessment], labels: list[str]) -> pd.DataFrame:
    """One row per scenario and platform, ranked; the ranges and the difference from the first scenario's TCO."""
    base = {p.platform: p.tco_monthly_usd for p in assessments[0].result.platforms}
    rows = []
    for index, (label, a) in enumerate(zip(labels, assessments, strict=True)):
        for rank, p in enumerate(a.result.ranked(a.metric), start=1):
            r = a.ranges.of(p.platform)
            rows.append({
                "scenario": label, "platform": p.platform.value, "rank": rank, "metric": a.metric.value,
                "aws_monthly_usd": p.aws_monthly_usd, "operations_hours_per_month": p.operations.monthly_hours,
                "operations_fixed_hours_per_month": p.operations.fixed_monthly_hours,
                "operations_per_node_hours_per_month": p.operations.per_node_monthly_hours,
                "nodes": p.operations.nodes, "operations_monthly_usd": p.operations_monthly_usd,
                "operations_share_of_tco": p.operations_share, "tco_monthly_usd": p.tco_monthly_usd,
                "tco_annual_usd": p.tco_annual_usd, "p10_usd": r.p10_usd if r else None,
                "p50_usd": r.p50_usd if r else None, "p90_usd": r.p90_usd if r else None,
                "probability_cheapest": r.probability_cheapest if r else None,
                "fte_fraction": p.operations.fte_fraction, "complexity_score": p.complexity.total,
                "tco_monthly_usd_vs_first": None if index == 0 or p.platform not in base
                else p.tco_monthly_usd - base[p.platform]})
    return pd.DataFrame(rows, columns=list(CSV_COLUMNS))


# --- text -------------------------------------------------------------------------------

def _tco_table(result: TcoResult, metric: Metric) -> list[str]:
    out = [f"  {'#':>2} {'platform':12} {'AWS bill/mo':>12} {'eng h/mo':>9} {'(fixed + nodes)':>16} "
           f"{'eng USD/mo':>11} {'eng share':>9} {'TCO USD/mo':>12} {'TCO USD/yr':>13} {'FTE':>5} {'complexity':>11}"]
    for rank, p in enumerate(result.ranked(metric), start=1):
        ops = p.operations
        split = f"({ops.fixed_monthly_hours:.1f} + {ops.per_node_monthly_hours:.1f})"
        out.append(f"  {rank:>2} {p.platform.value:12} {p.aws_monthly_usd:>12,.2f} {ops.monthly_hours:>9.1f} "
                   f"{split:>16} {p.operations_monthly_usd:>11,.2f} {p.operations_share:>9.0%} "
                   f"{p.tco_monthly_usd:>12,.2f} {p.tco_annual_usd:>13,.2f} {ops.fte_fraction:>5.2f} "
                   f"{p.complexity.total:>5g} ({p.complexity.scaled_0_100:.0f})")
    out += [f"     {u.platform.value:12} unavailable: {u.reason}" for u in result.unavailable]
    return out


def _recommendation_lines(rec: Recommendation) -> list[str]:
    if rec.choice is None:
        return ["Recommendation: none (no platform could run this workload)"]
    out = [f"Recommendation: {rec.choice.value} · confidence {rec.confidence.value}: {rec.confidence_reason}"]
    out += [f"  - {r}" for r in rec.reasons]
    if rec.break_evens:
        out.append("What would flip it:")
        out += [f"  - {b.explanation}" for b in rec.break_evens]
    out.append("Caveats:")
    out += [f"  - {c}" for c in rec.caveats]
    return out


def _activity_lines(result: TcoResult, metric: Metric) -> list[str]:
    ranked = result.ranked(metric)
    activities = [a for a in Activity if any(p.operations.row(a) for p in ranked)]
    out = ["Engineer time, hours a month by activity at the most likely values (tag, sources: [n] of "
           "shared/docs/overhead-model-sources.md, [An] of overhead-anchors-2026.md):",
           f"  {'activity':22}" + "".join(f"{p.platform.value:>13}" for p in ranked) + "  tag / sources"]
    for activity in activities:
        rows = [p.operations.row(activity) for p in ranked]
        cells = "".join(f"{r.monthly_hours:>13.2f}" if r else f"{'-':>13}" for r in rows)
        present = [r for r in rows if r]
        tags = "/".join(dict.fromkeys(r.tag.value for r in present))
        out.append(f"  {activity.value:22}{cells}  {tags} {present[0].source}")
    out.append(f"  {'total':22}" + "".join(f"{p.operations.monthly_hours:>13.2f}" for p in ranked))
    out.append(f"  {'of which per node':22}" + "".join(f"{p.operations.per_node_monthly_hours:>13.2f}"
                                                      for p in ranked))
    out.append(f"  {'nodes (average)':22}" + "".join(f"{p.operations.nodes:>13.2f}" for p in ranked))
    return out


def _lifecycle_lines(result: TcoResult) -> list[str]:
    if not result.extended_support:
        return []
    out = ["EKS version lifecycle, per year of deferral (fee paid vs upgrade work postponed, not removed):"]
    for t in result.extended_support:
        state = "applied" if t.is_applied else "not applied"
        out.append(f"  {t.platform.value:12} fee {t.fee_usd_per_year:>10,.2f} USD ({t.clusters} × 8,760 h × "
                   f"${t.surcharge_usd_per_cluster_hour:g}, {t.price_ref} @ {t.publication_date}) vs "
                   f"{t.upgrade_hours_per_year:.0f} h = {t.upgrade_usd_per_year:,.2f} USD of upgrades ({state})")
    return out


def _complexity_lines(result: TcoResult) -> list[str]:
    out = ["Complexity = Σ value × weight:"]
    for p in sorted(result.platforms, key=lambda p: p.complexity.total):
        parts = "; ".join(f"{c.name} {c.value:g}×{c.weight:g}" + (f" ({', '.join(c.items)})" if c.items else "")
                          for c in p.complexity.components if c.value)
        out.append(f"  {p.platform.value:12} {p.complexity.total:>3g}: {parts}")
    return out


def _commitment_lines(result: TcoResult) -> list[str]:
    from advisor.costs.commitment_plan import optimal_commitments

    plans = optimal_commitments(result.estimate, result.prices)
    if not plans:
        return []
    return ["Optimal commitment on steady usage (from the hourly profile of the placements; jobs stay On-Demand):",
            *(f"  {c.platform.value:12} {c.description}" for c in plans)]


def single_text(a: Assessment) -> str:
    """The table report of one scenario."""
    result = a.result
    ops = result.operations
    out = [f"Scenario {result.scenario.name} · {result.estimate.region} · prices as of {result.estimate.prices_as_of}",
           f"Operations: ${ops.engineer_rate_usd_per_hour:g}/h · team of {ops.team_size} · overhead "
           f"{ops.overhead_level.value} · {result.clusters} cluster(s) · EKS upgrades {ops.eks_upgrade_strategy.value}",
           basis_line(a), "", *_tco_table(result, a.metric), "", *ranges_lines(a), "",
           *_recommendation_lines(a.recommendation), "", *sensitivity_lines(a), "", *_activity_lines(result, a.metric)]
    for block in (_lifecycle_lines(result), _complexity_lines(result), _commitment_lines(result)):
        if block:
            out += ["", *block]
    return printable_lines(out) + "\n"


def side_by_side_text(assessments: list[Assessment], labels: list[str]) -> str:
    """Each scenario's compared amount per platform (TCO, or the AWS bill), with the difference from the first.

    The figures are the app's Workspace page's (:func:`presentation.comparison.comparison_frame`
    and :func:`~presentation.comparison.cheapest_frame` over the same cost ranges).
    """
    metric = assessments[0].metric
    results, ranges = [a.result for a in assessments], [a.ranges for a in assessments]
    frame = comparison_frame(results, labels, metric, ranges)
    platforms = list(dict.fromkeys(frame["platform"]))
    head = f"  {metric.value.upper() + ' USD/month':14}" + "".join(f"{label[:22]:>24}" for label in labels)
    out = [basis_line(assessments[0]), f"Side by side, differences against {labels[0]}:", "", head]
    for platform in platforms:
        cells = []
        for index, label in enumerate(labels):
            mine = frame[(frame["scenario"] == label) & (frame["platform"] == platform)]
            if mine.empty:
                cells.append(f"{'unavailable':>24}")
                continue
            cost, delta = mine.iloc[0]["monthly_usd"], mine.iloc[0]["vs_first_monthly_usd"]
            text = f"{cost:,.2f}" if index == 0 or pd.isna(delta) else (
                f"{cost:,.2f} ({format_signed_usd(delta, digits=0)})")
            cells.append(f"{text:>24}")
        out.append(f"  {platform:14}" + "".join(cells))
    out += ["", *_cheapest_lines(cheapest_frame(results, labels, metric, ranges)), ""]
    first = results[0]
    for label, a in zip(labels, assessments, strict=True):
        rec = a.recommendation
        choice = rec.choice.value if rec.choice else "none"
        out.append(f"{label}: {choice} (confidence {rec.confidence.value}: {rec.confidence_reason}); {rec.reasons[0]}")
        out += [f"  flip: {b.explanation}" for b in rec.break_evens]
        if a.sensitivity is not None and a.sensitivity.indices:
            top = a.sensitivity.indices[0]
            out.append(f"  decided most by: {top.label} (ST {top.total:.2f})")
        if a.result is not first:
            diffs = difference_sentences(first.scenario, a.result.scenario)
            out += [f"  input {d}" for d in diffs[:MAX_INPUT_DIFFERENCES_SHOWN]]
            if len(diffs) > MAX_INPUT_DIFFERENCES_SHOWN:
                out.append(f"  ... and {len(diffs) - MAX_INPUT_DIFFERENCES_SHOWN} more input differences "
                           "(--format json lists them all)")
    return printable_lines(out) + "\n"


def _cheapest_lines(cheapest: pd.DataFrame) -> list[str]:
    """Each scenario's cheapest platform, its monthly and annual cost, range, and difference from the first's."""
    out = ["Cheapest platform of each scenario (USD; P10–P90 and chance of being cheapest over the draws):"]
    for row in cheapest.itertuples(index=False):
        if pd.isna(row.monthly_usd):
            out.append(f"  {row.scenario}: {row.cheapest}")
            continue
        text = (f"  {row.scenario}: {row.cheapest}, {format_usd(row.monthly_usd)}/month "
                f"({format_usd(row.annual_usd)}/year)")
        if not pd.isna(row.p10_usd):
            text += (f", P10–P90 {format_usd(row.p10_usd, digits=0)}–{format_usd(row.p90_usd, digits=0)}, "
                     f"cheapest in {row.probability_cheapest_pct:.0f}% of draws")
        if not pd.isna(row.vs_first_monthly_usd):
            text += (f"; {format_signed_usd(row.vs_first_monthly_usd)}/month "
                     f"({format_signed_usd(row.vs_first_annual_usd)}/year) against the first")
        out.append(text)
    return out
