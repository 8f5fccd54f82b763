"""Uncertainty views: cost ranges with the chance of being cheapest, the Sobol ranking, and the basis statement.

Shared by the app's Compare and Analyse pages and the reports, so every output says the
same thing in the same words: which number is the AWS bill, which is the TCO, what share of
the TCO is engineer time at what rate, and how sure the ranking is.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from advisor.analysis.global_sensitivity import SobolRanking
from advisor.decision.tco import METRIC_WORDS, Metric, TcoResult
from advisor.decision.uncertainty import CostRanges
from presentation.labels import platform_color, platform_label

RANGE_COLUMNS: tuple[str, ...] = ("platform", "label", "point_usd", "p10_usd", "p50_usd", "p90_usd",
                                  "probability_cheapest_pct")
SOBOL_COLUMNS: tuple[str, ...] = ("input", "label", "total", "total_conf", "first_order", "first_order_conf")
#: Inputs shown in the Sobol chart (the table lists all).
MAX_SOBOL_BARS = 12


def basis_statement(result: TcoResult, metric: Metric) -> str:
    """What is compared, in words: the AWS bill alone, or TCO = bill + engineer time at the rate."""
    rate = result.operations.engineer_rate_usd_per_hour
    if metric is Metric.AWS:
        return ("Comparing the **AWS bill alone**: engineer time is shown but not counted. Switch to TCO to "
                "add the engineer time each platform needs.")
    return (f"Comparing **TCO = AWS bill + engineer time** at ${rate:g}/h (team of {result.operations.team_size}). "
            "Each card shows both halves and the engineer share; switch to the AWS bill to compare bills alone.")


def ranges_view(ranges: CostRanges, result: TcoResult) -> pd.DataFrame:
    """Each platform's point estimate, P10 / P50 / P90 and chance of being cheapest, in ranking order."""
    rows = []
    for p in result.ranked(ranges.metric):
        r = ranges.of(p.platform)
        if r is not None:
            rows.append({"platform": p.platform.value, "label": platform_label(p.platform),
                         "point_usd": p.monthly_usd(ranges.metric), "p10_usd": r.p10_usd, "p50_usd": r.p50_usd,
                         "p90_usd": r.p90_usd, "probability_cheapest_pct": 100.0 * r.probability_cheapest})
    return pd.DataFrame(rows, columns=list(RANGE_COLUMNS))


def ranges_figure(ranges: CostRanges, result: TcoResult) -> go.Figure:
    """P10–P90 bars (each platform in its colour) with the P50 and the point estimate marked, cheapest at the top."""
    view = ranges_view(ranges, result).iloc[::-1]
    text = [f"cheapest in {p:.0f}% of draws" for p in view["probability_cheapest_pct"]]
    figure = go.Figure([
        go.Bar(name="P10–P90", y=view["label"], x=view["p90_usd"] - view["p10_usd"], base=view["p10_usd"],
               orientation="h", marker_color=[platform_color(p) for p in view["platform"]], marker_opacity=0.55,
               text=text, textposition="outside",
               hovertemplate="%{y}: $%{base:,.0f} – $%{x:,.0f} wide<extra>P10–P90</extra>"),
        go.Scatter(name="P50", y=view["label"], x=view["p50_usd"], mode="markers",
                   marker={"symbol": "line-ns-open", "size": 18, "color": "black"},
                   hovertemplate="%{y}: P50 $%{x:,.0f}<extra></extra>"),
        go.Scatter(name="most likely values", y=view["label"], x=view["point_usd"], mode="markers",
                   marker={"symbol": "diamond", "size": 9, "color": "firebrick"},
                   hovertemplate="%{y}: $%{x:,.0f} at the most likely values<extra></extra>"),
    ])
    low, high = float(view["p10_usd"].min()), float(view["p90_usd"].max())
    figure.update_layout(title=f"{METRIC_WORDS[ranges.metric]} per month over {ranges.description}",
                         xaxis_title="USD per month", height=max(260, 70 + 48 * len(view)),
                         xaxis_range=[low - 0.05 * (high - low), high + 0.3 * (high - low)],  # room for the labels
                         margin={"t": 60, "b": 40}, legend_title="")
    return figure


def sobol_view(ranking: SobolRanking) -> pd.DataFrame:
    """Every input's total and first-order index with 95% intervals, most decisive first."""
    rows = [{"input": i.name, "label": i.label, "total": i.total, "total_conf": i.total_conf,
             "first_order": i.first_order, "first_order_conf": i.first_order_conf} for i in ranking.indices]
    return pd.DataFrame(rows, columns=list(SOBOL_COLUMNS))


def sobol_figure(ranking: SobolRanking) -> go.Figure:
    """Horizontal bars of the total index (with its interval) and the first-order index, most decisive on top."""
    shown = list(ranking.indices[:MAX_SOBOL_BARS])[::-1]
    labels = [i.label for i in shown]
    figure = go.Figure([
        go.Bar(name="total (ST)", y=labels, x=[i.total for i in shown], orientation="h",
               error_x={"type": "data", "array": [i.total_conf for i in shown]},
               hovertemplate="%{y}: ST %{x:.2f}<extra></extra>"),
        go.Bar(name="alone (S1)", y=labels, x=[i.first_order for i in shown], orientation="h",
               hovertemplate="%{y}: S1 %{x:.2f}<extra></extra>"),
    ])
    figure.update_layout(barmode="group", height=max(300, 80 + 40 * len(shown)), margin={"t": 60, "b": 40},
                         title=f"What decides {platform_label(ranking.best)} vs {platform_label(ranking.runner_up)}",
                         xaxis_title="share of the gap's variance", legend_title="")
    return figure
