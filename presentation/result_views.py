"""Result views: per-platform TCO summary (AWS bill + operations), line items, operations
rows, placements, complexity and the stacked cost-breakdown figure.

Amounts stay in full precision; formatting is the last step (:mod:`presentation.money`).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from advisor.costs.estimate import ScenarioEstimate
from advisor.costs.line_items import Category
from advisor.decision.tco import DEFAULT_METRIC, Metric, TcoResult
from advisor.workload.scenario import Platform
from presentation.estimate_tables import line_items_frame, summary_frame
from presentation.labels import platform_label, series_color
from presentation.money import format_usd

#: Stacking order of the breakdown chart: compute at the bottom, waste right above it.
CATEGORY_ORDER: tuple[Category, ...] = tuple(Category)
#: The breakdown's segment for engineer time (not an AWS category).
OPERATIONS_SEGMENT = "operations (engineer time)"
LINE_ITEM_VIEW_COLUMNS: tuple[str, ...] = (
    "environment", "category", "name", "quantity", "unit", "usd_per_unit", "monthly_usd", "formula",
    "price_ref", "publication_date", "is_assumption",
)
SUMMARY_COLUMNS: tuple[str, ...] = (
    "platform", "label", "aws_monthly_usd", "operations_monthly_usd", "operations_hours_per_month", "fte",
    "operations_share_pct", "tco_monthly_usd", "tco_annual_usd", "vs_cheapest_usd", "vs_cheapest_pct", "complexity",
)


def platform_summary(result: TcoResult, metric: Metric = DEFAULT_METRIC) -> pd.DataFrame:
    """One row per priced platform, cheapest under ``metric`` (TCO by default) first, with the gap to the first.

    Returns
    -------
    DataFrame
        :data:`SUMMARY_COLUMNS`: monthly AWS bill, operations cost [USD] and hours, FTE
        share, monthly and annual TCO, ``vs_cheapest_usd`` (monthly ``metric`` above the
        first, >= 0), ``vs_cheapest_pct`` (percent of the first's) and the complexity score.
    """
    ranked = result.ranked(metric)
    if not ranked:
        return pd.DataFrame(columns=list(SUMMARY_COLUMNS))
    first = ranked[0].monthly_usd(metric)
    rows = [{"platform": p.platform.value, "label": platform_label(p.platform), "aws_monthly_usd": p.aws_monthly_usd,
             "operations_monthly_usd": p.operations_monthly_usd,
             "operations_hours_per_month": p.operations.monthly_hours, "fte": p.operations.fte_fraction,
             "operations_share_pct": 100.0 * p.operations_share,
             "tco_monthly_usd": p.tco_monthly_usd, "tco_annual_usd": p.tco_annual_usd,
             "vs_cheapest_usd": p.monthly_usd(metric) - first,
             "vs_cheapest_pct": 100.0 * (p.monthly_usd(metric) - first) / first if first > 0 else 0.0,
             "complexity": p.complexity.total} for p in ranked]
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def category_breakdown(result: ScenarioEstimate) -> pd.DataFrame:
    """Monthly AWS USD per platform (rows, cheapest first) and category (columns, stacking order)."""
    frame = summary_frame(result)
    columns = [c.value for c in CATEGORY_ORDER if f"{c.value}_usd" in frame.columns]
    table = frame.set_index("platform")[[f"{c}_usd" for c in columns]] if columns else frame
    return table.set_axis(columns, axis="columns")


def cost_breakdown_figure(result: TcoResult, metric: Metric = DEFAULT_METRIC) -> go.Figure:
    """Stacked bars: each platform's AWS bill by category plus operations, cheapest under ``metric`` first.

    The bar's height is the monthly TCO (labelled on top); the operations segment is
    hatched, because it is engineer time, not an AWS charge.  Comparing the AWS bill alone
    leaves the operations segment out.
    """
    order = [p.platform.value for p in result.ranked(metric)]
    table = category_breakdown(result.estimate).reindex(order)
    labels = [platform_label(p) for p in order]
    figure = go.Figure([go.Bar(name=category, x=labels, y=table[category].tolist(), marker_color=series_color(category),
                               hovertemplate=f"%{{x}}<br>{category}: $%{{y:,.2f}}/month<extra></extra>")
                        for category in table.columns])
    with_operations = metric is not Metric.AWS
    if with_operations:
        operations = [result.by_platform(Platform(p)).operations_monthly_usd for p in order]
        figure.add_trace(go.Bar(name=OPERATIONS_SEGMENT, x=labels, y=operations, marker_pattern_shape="/",
                                marker_color=series_color(OPERATIONS_SEGMENT),
                                hovertemplate=f"%{{x}}<br>{OPERATIONS_SEGMENT}: $%{{y:,.2f}}/month<extra></extra>"))
    totals = [result.by_platform(Platform(p)).monthly_usd(Metric.TCO if with_operations else Metric.AWS)
              for p in order]
    figure.add_trace(go.Scatter(x=labels, y=totals, mode="text", text=[format_usd(t, digits=0) for t in totals],
                                textposition="top center", showlegend=False, hoverinfo="skip"))
    title = ("Monthly cost: AWS bill by category + operations (TCO)" if with_operations
             else "Monthly AWS bill by category (engineer time not counted)")
    figure.update_layout(barmode="stack", title=title, yaxis_title="USD per month", legend_title="",
                         margin={"t": 60, "b": 40}, height=440)
    return figure


def line_items_view(result: ScenarioEstimate, platform: Platform) -> pd.DataFrame:
    """One platform's line items in reading order (what, how much, why, from which price)."""
    frame = line_items_frame(result)
    return frame[frame["platform"] == platform.value][list(LINE_ITEM_VIEW_COLUMNS)].reset_index(drop=True)


OPERATIONS_COLUMNS: tuple[str, ...] = (
    "activity", "frequency_per_year", "hours_per_occurrence", "extra_cluster_hours", "per_node_hours",
    "fixed_monthly_hours", "per_node_monthly_hours", "monthly_hours", "monthly_usd", "tag", "formula", "ranges",
    "source", "reason",
)


def operations_view(result: TcoResult, platform: Platform) -> pd.DataFrame:
    """One platform's operations rows: engineer-hours a month per activity (fixed and per-node parts), with
    formula, ranges (low / most likely / high), tag and reason."""
    rows = [{"activity": r.activity.value, "frequency_per_year": r.frequency_per_year,
             "hours_per_occurrence": r.hours_per_occurrence, "extra_cluster_hours": r.extra_cluster_hours,
             "per_node_hours": r.per_node_hours, "fixed_monthly_hours": r.fixed_monthly_hours,
             "per_node_monthly_hours": r.per_node_monthly_hours, "monthly_hours": r.monthly_hours,
             "monthly_usd": r.monthly_usd, "tag": r.tag.value, "formula": r.formula, "ranges": r.ranges_text,
             "source": r.source, "reason": r.reason}
            for r in result.by_platform(platform).operations.rows]
    return pd.DataFrame(rows, columns=list(OPERATIONS_COLUMNS))


def complexity_view(result: TcoResult) -> pd.DataFrame:
    """Complexity per platform: each component's points (count × weight) and the total, lowest first."""
    rows = [{"platform": platform_label(p.platform), "score": p.complexity.total,
             **{c.name: c.points for c in p.complexity.components}}
            for p in sorted(result.platforms, key=lambda p: p.complexity.total)]
    return pd.DataFrame(rows)


def complexity_items_view(result: TcoResult) -> pd.DataFrame:
    """What each complexity component counts, per platform (so a reader can dispute an item)."""
    rows = [{"platform": platform_label(p.platform), "component": c.name, "count": c.value, "weight": c.weight,
             "points": c.points, "items": ", ".join(c.items), "reason": c.reason}
            for p in result.platforms for c in p.complexity.components]
    return pd.DataFrame(rows)


def extended_support_view(result: TcoResult) -> pd.DataFrame:
    """EKS version lifecycle per EKS platform: a year of extended-support fees against the upgrade work deferred."""
    rows = [{"platform": platform_label(t.platform), "clusters": t.clusters, "fee_usd_per_year": t.fee_usd_per_year,
             "upgrade_hours_per_year": t.upgrade_hours_per_year, "upgrade_usd_per_year": t.upgrade_usd_per_year,
             "net_usd_per_year": t.net_usd_per_year, "is_applied": t.is_applied, "price_ref": t.price_ref,
             "publication_date": t.publication_date} for t in result.extended_support]
    return pd.DataFrame(rows)


def placements_view(result: ScenarioEstimate) -> pd.DataFrame:
    """Nodes chosen per EC2-backed platform, environment and phase, with utilization and idle cost."""
    rows = [{"platform": platform_label(e.platform), "environment": p.environment, "phase": p.phase,
             "hours_per_month": p.hours, "nodes": ", ".join(f"{n}× {t}" for t, n in p.node_counts),
             "node_count": sum(n for _, n in p.node_counts), "utilization_vcpu_pct": 100.0 * p.utilization_vcpu,
             "utilization_memory_pct": 100.0 * p.utilization_memory, "usd_per_hour": p.usd_per_hour,
             "idle_usd_per_month": p.idle_usd_per_month,
             "vs_lower_bound": p.usd_per_hour / p.lower_bound_usd_per_hour if p.lower_bound_usd_per_hour else None,
             "optimal": p.exact}
            for e in result.estimates for p in e.placements]
    return pd.DataFrame(rows, columns=["platform", "environment", "phase", "hours_per_month", "nodes", "node_count",
                                       "utilization_vcpu_pct", "utilization_memory_pct", "usd_per_hour",
                                       "idle_usd_per_month", "vs_lower_bound", "optimal"])


