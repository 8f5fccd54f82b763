"""Analysis views: break-even curves, the sensitivity tornado, cost ranges and the projection,
as figures and tables, plus the default ranges the app offers for them.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from advisor.analysis.montecarlo import Distribution, Simulation, Triangular, Uniform
from advisor.analysis.parameters import InvalidAnalysis, Parameter
from advisor.analysis.projection import Projection
from advisor.analysis.sensitivity import Tornado
from advisor.analysis.sweep import SweepResult
from advisor.decision.uncertainty import PERCENTILES
from presentation.labels import platform_color
from presentation.labels import platform_label as _label
from presentation.workload_tables import frame_rows

#: Default sweep of a parameter without bounds: from a quarter to four times its value,
#: wide enough to find the break-even values a recommendation usually hangs on.
SWEEP_DEFAULT_FACTORS = (0.25, 4.0)
#: Sweep of a parameter whose value is 0 or unset and that has no upper bound.
SWEEP_FROM_ZERO = (0.0, 10.0)
DISTRIBUTION_COLUMNS: tuple[str, ...] = ("parameter", "distribution", "low", "mode", "high")
DISTRIBUTIONS: tuple[str, ...] = ("uniform", "triangular")


def default_sweep_range(parameter: Parameter) -> tuple[float, float]:
    """A sensible (from, to) for sweeping ``parameter``: its whole range when bounded on both
    sides (a share, a utilization), else ×0.25 to ×4 of its value, within its bounds."""
    low, high = parameter.minimum, parameter.maximum
    if low is not None and high is not None and high - low <= 1:
        return low, high
    if not parameter.value:
        start, stop = SWEEP_FROM_ZERO
    else:
        start, stop = (parameter.value * f for f in SWEEP_DEFAULT_FACTORS)
    start, stop = parameter.clamp(start), parameter.clamp(stop)
    return (start, stop) if start < stop else SWEEP_FROM_ZERO


def distributions_from_table(frame: pd.DataFrame, *, required: bool = True) -> tuple[tuple[str, Distribution], ...]:
    """The Monte Carlo inputs of an edited table: one (parameter, distribution) per non-blank row.

    ``required=False`` accepts a table without rows (the operations ranges alone are drawn).

    ``uniform`` uses low and high; ``triangular`` low, mode and high.

    Raises
    ------
    InvalidAnalysis
        Naming the row, the parameter and what is wrong (a missing bound, low >= high,
        a parameter given twice, an unknown distribution).
    """
    out: dict[str, Distribution] = {}
    for index, row in enumerate(frame_rows(frame, DISTRIBUTION_COLUMNS), start=1):
        name, kind = row["parameter"], row["distribution"] or "uniform"
        where = f"row {index} ({name or 'no parameter'})"
        needed = ("low", "mode", "high") if kind == "triangular" else ("low", "high")
        missing = [c for c in ("parameter", *needed) if row[c] is None]
        if missing:
            raise InvalidAnalysis(where, ", ".join(missing), "a value in every one of: parameter, " + ", ".join(needed))
        if kind not in DISTRIBUTIONS:
            raise InvalidAnalysis(f"{where} distribution", kind, ", ".join(DISTRIBUTIONS))
        if name in out:
            raise InvalidAnalysis(where, name, "each parameter once")
        try:
            out[name] = (Triangular(row["low"], row["mode"], row["high"]) if kind == "triangular"
                         else Uniform(row["low"], row["high"]))
        except InvalidAnalysis as exc:
            raise InvalidAnalysis(f"{where} {exc.field}", exc.value, exc.allowed) from None
    if not out and required:
        raise InvalidAnalysis("inputs", "no rows", "at least one row: a parameter and its range")
    return tuple(out.items())


_CROSSING_COLUMNS = ["cheaper_below", "cheaper_above", "value", "monthly_usd", "changes_cheapest", "is_refined"]


def breakeven_figure(result: SweepResult, current: float | None = None) -> go.Figure:
    """Each platform's monthly cost along the swept parameter, crossings marked.

    Crossings where the cheapest platform changes (the break-even values) are large
    diamonds with a label; other crossings are small grey crosses; the scenario's own
    value is a dotted vertical line.
    """
    figure = go.Figure([go.Scatter(x=list(result.values), y=list(costs), mode="lines+markers", name=_label(p),
                                   marker_size=5, line_color=platform_color(p),
                                   hovertemplate=f"{_label(p)}<br>%{{x:g}}: $%{{y:,.2f}}<extra></extra>")
                        for p, costs in result.monthly_usd.items()])
    changes = result.winner_changes()
    others = [c for c in result.crossings if c not in changes]
    if others:
        figure.add_trace(go.Scatter(x=[c.value for c in others], y=[c.monthly_usd for c in others], mode="markers",
                                    name="other crossings", marker={"symbol": "x", "size": 8, "color": "#777"},
                                    hovertemplate="%{x:g}: $%{y:,.2f}<extra>crossing</extra>"))
    if changes:
        text = [f"{_label(c.below)} → {_label(c.above)} at {c.value:.3g}" for c in changes]
        figure.add_trace(go.Scatter(
            x=[c.value for c in changes], y=[c.monthly_usd for c in changes], mode="markers", name="break-even",
            marker={"symbol": "diamond", "size": 14, "color": "black"}, text=text,
            hovertemplate="%{text}: $%{y:,.2f}<extra></extra>"))
        for crossing, label in zip(changes, text, strict=True):
            figure.add_annotation(x=crossing.value, y=crossing.monthly_usd, text=label, ax=40, ay=-50,
                                  bgcolor="rgba(255,255,255,0.9)", bordercolor="black", showarrow=True)
    if current is not None:
        figure.add_vline(x=current, line_dash="dot", annotation_text="this scenario", annotation_position="top left")
    figure.update_layout(title=f"Monthly cost as {result.parameter} changes", xaxis_title=result.parameter,
                         yaxis_title="USD per month", height=460, margin={"t": 60, "b": 40})
    return figure


def crossings_view(result: SweepResult) -> pd.DataFrame:
    """Every crossing of two platforms' curves; ``changes_cheapest`` marks the break-even values."""
    changes = result.winner_changes()
    rows = [{"cheaper_below": _label(c.below), "cheaper_above": _label(c.above), "value": c.value,
             "monthly_usd": c.monthly_usd, "changes_cheapest": c in changes, "is_refined": c.is_refined}
            for c in result.crossings]
    return pd.DataFrame(rows, columns=_CROSSING_COLUMNS)


def tornado_figure(tornado: Tornado, *, max_bars: int = 12) -> go.Figure:
    """Horizontal bars: the gap (runner-up − best) at each input's low and high value, largest swing on top.

    Bars start at the base gap; a bar reaching past zero means that input alone flips the choice.
    """
    bars = [b for b in tornado.bars if not math.isnan(b.swing_usd)][:max_bars][::-1]
    names = [f"{b.parameter} ({b.low_value:g} → {b.high_value:g})" for b in bars]
    base = tornado.base_gap_usd
    figure = go.Figure([
        go.Bar(name="at low value", y=names, x=[b.low_gap_usd - base for b in bars], base=base, orientation="h",
               customdata=[b.low_gap_usd for b in bars], hovertemplate="gap $%{customdata:,.2f}<extra>low</extra>"),
        go.Bar(name="at high value", y=names, x=[b.high_gap_usd - base for b in bars], base=base, orientation="h",
               customdata=[b.high_gap_usd for b in bars], hovertemplate="gap $%{customdata:,.2f}<extra>high</extra>"),
    ])
    figure.add_vline(x=base, line_dash="dot", annotation_text=f"now: ${base:,.0f}")
    figure.add_vline(x=0, line_color="firebrick", annotation_text="flips", annotation_position="bottom right")
    figure.update_layout(barmode="overlay", height=max(300, 60 + 34 * len(bars)), margin={"t": 60, "b": 40},
                         title=f"What moves the gap: {_label(tornado.runner_up)} − {_label(tornado.best)}",
                         xaxis_title="USD per month (below 0: the runner-up is cheaper)")
    return figure


def tornado_view(tornado: Tornado) -> pd.DataFrame:
    """The tornado's bars as a table, largest swing first."""
    rows = [{"parameter": b.parameter, "base_value": b.base_value, "low_value": b.low_value,
             "high_value": b.high_value, "low_gap_usd": b.low_gap_usd, "high_gap_usd": b.high_gap_usd,
             "swing_usd": b.swing_usd, "flips": b.flips} for b in tornado.bars]
    return pd.DataFrame(rows, columns=["parameter", "base_value", "low_value", "high_value", "low_gap_usd",
                                       "high_gap_usd", "swing_usd", "flips"])


def cost_range_figure(simulation: Simulation) -> go.Figure:
    """Each platform's distribution of monthly cost over the draws, with P10 / P50 / P90 marked."""
    figure = go.Figure()
    for r in simulation.ranges:
        values = simulation.monthly_usd[r.platform]
        figure.add_trace(go.Violin(y=values[~np.isnan(values)], name=_label(r.platform), box_visible=True,
                                   line_color=platform_color(r.platform),
                                   meanline_visible=False, points=False, hoverinfo="skip"))
        figure.add_trace(go.Scatter(
            x=[_label(r.platform)] * 3, y=[r.p10_usd, r.p50_usd, r.p90_usd], mode="markers+text", showlegend=False,
            text=[f"P{p:g}" for p in PERCENTILES], textposition="middle right",
            marker={"symbol": "line-ew-open", "size": 22, "color": "black"},
            hovertemplate="%{text}: $%{y:,.2f}<extra></extra>"))
    figure.update_layout(title=f"Cost ranges over {simulation.samples:,} draws (seed {simulation.seed})",
                         yaxis_title="USD per month", showlegend=False, height=460, margin={"t": 60, "b": 40})
    return figure


def cost_range_view(simulation: Simulation) -> pd.DataFrame:
    """P10 / P50 / P90, mean and the probability of being cheapest per platform, most likely cheapest first."""
    rows = [{"platform": _label(r.platform), "p10_usd": r.p10_usd, "p50_usd": r.p50_usd, "p90_usd": r.p90_usd,
             "mean_usd": r.mean_usd, "probability_cheapest_pct": 100.0 * r.probability_cheapest,
             "runs_in_pct_of_draws": 100.0 * r.available_share}
            for r in sorted(simulation.ranges, key=lambda r: -r.probability_cheapest)]
    return pd.DataFrame(rows)


def projection_figure(projection: Projection) -> go.Figure:
    """Cumulative cost per platform month by month, under the scenario's own purchase option."""
    months = list(range(1, projection.months + 1))
    figure = go.Figure([go.Scatter(x=months, y=list(values), mode="lines", name=_label(p), line_color=platform_color(p),
                                   hovertemplate=f"{_label(p)}<br>month %{{x}}: $%{{y:,.0f}} so far<extra></extra>")
                        for p, values in projection.cumulative_usd.items()])
    growth = f"{100 * projection.growth_per_month:+g}% replicas a month"
    figure.update_layout(title=f"Cumulative cost over {projection.months} months ({growth})", xaxis_title="month",
                         yaxis_title="USD, cumulative", height=440, margin={"t": 60, "b": 40})
    return figure


def commitments_view(projection: Projection) -> pd.DataFrame:
    """Every platform × purchase option over the horizon: total, saving against On-Demand, and when it pays.

    The model prices No Upfront commitments, so their payback month is empty and the break-even
    utilization (the share of committed hours that must be used) says when they pay.
    """
    rows = [{"platform": _label(c.platform), "option": c.option.value, "term_months": c.term_months,
             "total_usd": c.cumulative_usd[-1], "saving_usd": c.saving_usd, "payback_month": c.payback_month,
             "break_even_utilization": c.break_even_utilization}
            for c in projection.commitments]
    frame = pd.DataFrame(rows, columns=["platform", "option", "term_months", "total_usd", "saving_usd",
                                        "payback_month", "break_even_utilization"])
    return frame.astype({"payback_month": "Int64"}).sort_values(["platform", "total_usd"], kind="stable",
                                                                 ignore_index=True)


