"""Pure view models for the app: editable workload tables, result tables and figures.

The Streamlit pages only render what these functions return, so every number on the
screen can be reproduced in a notebook with ``import advisor`` and no Streamlit.
Nothing here reads files or widgets; amounts stay in full precision (formatting is
the last step, in :func:`format_money`).

- **Workload tables**: a scenario document <-> flat tables a spreadsheet-like editor can
  show (one row per service, job, environment, daemon, load balancer, operations
  override), and back.
- **Results**: per-platform TCO summary (AWS bill + operations), line items, operations
  rows, placements, complexity and the stacked cost-breakdown figure.
- **Analysis**: break-even curves, the sensitivity tornado, cost ranges and the
  projection, as figures and tables.
- **Money**: USD amounts, with the converted amount when a display currency is set.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, get_args

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from advisor.analysis.montecarlo import PERCENTILES, Distribution, Simulation, Triangular, Uniform
from advisor.analysis.parameters import InvalidAnalysis, Parameter
from advisor.analysis.projection import Projection
from advisor.analysis.sensitivity import Tornado
from advisor.analysis.sweep import SweepResult
from advisor.costs.estimate import ScenarioEstimate
from advisor.costs.line_items import Category
from advisor.decision.tco import TcoResult
from advisor.workload.operations_inputs import Activity
from advisor.workload.scenario import LoadBalancer, Platform, Service
from presentation.estimate_tables import line_items_frame, summary_frame

# --- workload tables -----------------------------------------------------------------

#: Editable sections: table name -> (document path, columns).  Flat sections map each
#: column to the key of the same name; ``services`` is special (see :func:`_service_row`).
SERVICE_COLUMNS: tuple[str, ...] = (
    "name", "vcpu", "memory_gib", "replicas", "min_replicas", "peak_hours_per_day", "peak_days_per_week",
    "architecture", "os", "ephemeral_storage_gib", "sidecars",
)
JOB_COLUMNS: tuple[str, ...] = (
    "name", "vcpu", "memory_gib", "runs_per_month", "duration_minutes", "parallelism", "architecture", "os",
)
ENVIRONMENT_COLUMNS: tuple[str, ...] = ("name", "scale", "shared_cluster")
DAEMON_COLUMNS: tuple[str, ...] = ("name", "vcpu", "memory_gib")
LOAD_BALANCER_COLUMNS: tuple[str, ...] = (
    "type", "count", "new_connections_per_second", "active_connections_per_minute", "processed_gb_per_month",
    "requests_per_second", "rules",
)
OVERRIDE_COLUMNS: tuple[str, ...] = (
    "activity", "platform", "frequency_per_year", "hours_per_occurrence", "extra_cluster_hours",
)
TABLE_SECTIONS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "services": ("services", SERVICE_COLUMNS),
    "jobs": ("jobs", JOB_COLUMNS),
    "environments": ("environments", ENVIRONMENT_COLUMNS),
    "daemons": ("daemons", DAEMON_COLUMNS),
    "load_balancers": ("traffic.load_balancers", LOAD_BALANCER_COLUMNS),
    "overrides": ("operations.overrides", OVERRIDE_COLUMNS),
}
#: The allowed values of the choice columns, read from the model so they never drift.
CHOICES: Mapping[str, tuple[str, ...]] = {
    "architecture": get_args(Service.model_fields["architecture"].annotation),
    "os": get_args(Service.model_fields["os"].annotation),
    "type": get_args(LoadBalancer.model_fields["type"].annotation),
    "activity": tuple(a.value for a in Activity),
    "platform": tuple(p.value for p in Platform),
}
_INTEGER_COLUMNS = frozenset({"replicas", "min_replicas", "parallelism", "count", "rules"})
_TEXT_COLUMNS = frozenset({"name", "architecture", "os", "type", "sidecars", "activity", "platform"})
_BOOL_COLUMNS = frozenset({"shared_cluster"})
_LOCATION_INDEX = re.compile(r"\[(\d+)\]")


def _section(doc: Mapping[str, Any], path: str) -> list[Mapping[str, Any]]:
    """The items at a dotted path (``traffic.load_balancers``); [] when absent."""
    head, _, rest = path.partition(".")
    value = doc.get(head)
    if rest:
        return _section(value or {}, rest)
    return list(value or ())


def _with_section(doc: Mapping[str, Any], path: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """A copy of ``doc`` with the items at a dotted path replaced (parents copied, not shared)."""
    head, _, rest = path.partition(".")
    return {**doc, head: _with_section(doc.get(head) or {}, rest, items) if rest else items}


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Column dtypes the editor needs even for an empty table (numbers stay numbers)."""
    types = {c: ("Int64" if c in _INTEGER_COLUMNS else "object" if c in _TEXT_COLUMNS
                 else "boolean" if c in _BOOL_COLUMNS else "float64") for c in frame.columns}
    return frame.astype(types)


def _sidecar_summary(sidecars: Sequence[Mapping[str, Any]]) -> str:
    return ", ".join(f"{s['name']} ({s['vcpu']:g} vCPU, {s['memory_gib']:g} GiB)" for s in sidecars)


def _service_row(service: Mapping[str, Any]) -> dict[str, Any]:
    """A service as one row; ``min_replicas`` is blank for a fixed count (min == max).

    Tolerates a partial service (a rejected draft may lack fields): blanks stay blank.
    """
    replicas = service.get("replicas") or {}
    schedule = replicas.get("schedule") or {}
    peak, low = replicas.get("max"), replicas.get("min")
    return {
        "name": service.get("name"), "vcpu": service.get("vcpu"), "memory_gib": service.get("memory_gib"),
        "replicas": peak, "min_replicas": None if low == peak else low,
        "peak_hours_per_day": schedule.get("hours_per_day"), "peak_days_per_week": schedule.get("days_per_week"),
        "architecture": service.get("architecture"), "os": service.get("os"),
        "ephemeral_storage_gib": service.get("ephemeral_storage_gib"),
        "sidecars": _sidecar_summary(service.get("sidecars") or ()),
    }


def editor_tables(doc: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """The editable tables of a scenario document (``scenario.model_dump(mode="json")``).

    Returns
    -------
    dict of str to DataFrame
        One table per key of :data:`TABLE_SECTIONS`, with the columns listed there.
    """
    tables = {}
    for table, (path, columns) in TABLE_SECTIONS.items():
        items = _section(doc, path)
        rows = [_service_row(i) for i in items] if table == "services" else [
            {c: i.get(c) for c in columns} for i in items]
        tables[table] = _typed(pd.DataFrame(rows, columns=list(columns)))
    return tables


def _cell(value: Any) -> Any:
    """A table cell as a plain Python value; None for a blank cell (NaN, NA, '')."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars: pydantic and JSON want Python numbers
        value = value.item()
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _present(pairs: Mapping[str, Any]) -> dict[str, Any]:
    """Keys with a value: a blank cell is left out, so the model's default (or its
    'field required' error) applies instead of a NaN."""
    return {k: v for k, v in pairs.items() if v is not None}


def _service_item(row: Mapping[str, Any], sidecars_by_name: Mapping[str, Any]) -> dict[str, Any]:
    peak = row["replicas"]
    replicas = None if peak is None else _present({
        "min": peak if row["min_replicas"] is None else row["min_replicas"], "max": peak,
        "schedule": _present({"hours_per_day": row["peak_hours_per_day"],
                              "days_per_week": row["peak_days_per_week"]}),
    })
    return _present({
        "name": row["name"], "vcpu": row["vcpu"], "memory_gib": row["memory_gib"], "replicas": replicas,
        "architecture": row["architecture"], "os": row["os"], "ephemeral_storage_gib": row["ephemeral_storage_gib"],
        "sidecars": sidecars_by_name.get(row["name"]),
    })


def _rows(frame: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, Any]]:
    """Non-blank rows as plain records (the editor's extra empty rows are dropped)."""
    records = [{c: _cell(r.get(c)) for c in columns} for r in frame.to_dict("records")]
    return [r for r in records if any(v is not None for v in r.values())]


def apply_editor_tables(doc: Mapping[str, Any], tables: Mapping[str, pd.DataFrame]) -> dict[str, Any]:
    """A new scenario document: ``doc`` with the sections of ``tables`` replaced.

    Not validated here: pass the result to :func:`advisor.workload.spec_io.parse_scenario`, whose
    errors name the section and row (``services[2].vcpu``, see :func:`locate_problem`).
    Sidecars are not editable in a table and follow their service's name.

    Parameters
    ----------
    doc : mapping
        The scenario document the tables were made from.
    tables : mapping of str to DataFrame
        Edited tables, keyed as :func:`editor_tables` returns them; absent keys keep
        their section.
    """
    out = dict(doc)
    sidecars = {s.get("name"): s.get("sidecars") or [] for s in doc.get("services") or ()}
    for table, frame in tables.items():
        path, columns = TABLE_SECTIONS[table]
        rows = _rows(frame, [c for c in columns if c != "sidecars"])
        items = [_service_item(r, sidecars) for r in rows] if table == "services" else [_present(r) for r in rows]
        out = _with_section(out, path, items)
    return out


def locate_problem(problem: str, doc: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """The section a validation problem belongs to, and the problem with rows numbered from 1.

    ``"services[2].vcpu: Input should be greater than 0 (got -1.0)"`` becomes
    ``("services", "services row 3 (api), vcpu: Input should ...")`` so the app can show
    it under the services table in words a user can act on.

    Parameters
    ----------
    problem : str
        One of :attr:`advisor.workload.spec_io.ScenarioError.problems` (``location: message``).
    doc : mapping, optional
        The document that was validated; when given, a row's name is added.

    Returns
    -------
    tuple of str
        The table or top-level field (``services``, ``load_balancers``, ``overrides``,
        ``purchase``...; ``""`` for problems of the whole document) and the reworded problem.
    """
    where, sep, what = problem.partition(": ")
    if not sep:
        return "", problem
    section = where.split(".")[0].split("[")[0]
    nested = next((t for t, (path, _) in TABLE_SECTIONS.items() if "." in path and where.startswith(path)), None)
    section = nested or section
    match = _LOCATION_INDEX.search(where)
    readable = _LOCATION_INDEX.sub(lambda m: f" row {int(m[1]) + 1}", where, count=1).replace(".", ", ")
    if match and doc is not None:
        items = _section(doc, TABLE_SECTIONS.get(section, (section, ()))[0])
        index = int(match[1])
        name = items[index].get("name") if index < len(items) and isinstance(items[index], Mapping) else None
        if name:
            readable = readable.replace(f" row {index + 1}", f" row {index + 1} ({name})", 1)
    return (section if section != "(document)" else ""), f"{readable}: {what}"


# --- results -------------------------------------------------------------------------

#: How each platform is named on screen.
PLATFORM_LABELS: Mapping[Platform, str] = {
    Platform.ECS_EC2: "ECS on EC2",
    Platform.ECS_FARGATE: "ECS on Fargate",
    Platform.EKS_EC2: "EKS on EC2",
    Platform.EKS_FARGATE: "EKS on Fargate",
    Platform.EKS_AUTO: "EKS Auto Mode",
}
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
    "tco_monthly_usd", "tco_annual_usd", "vs_cheapest_usd", "vs_cheapest_pct", "complexity",
)


def _label(platform: Platform | str) -> str:
    return PLATFORM_LABELS[Platform(platform)]


def platform_summary(result: TcoResult) -> pd.DataFrame:
    """One row per priced platform, lowest TCO first, with the gap to the first.

    Returns
    -------
    DataFrame
        :data:`SUMMARY_COLUMNS`: monthly AWS bill, operations cost [USD] and hours, FTE
        share, monthly and annual TCO, ``vs_cheapest_usd`` (monthly TCO above the first,
        >= 0), ``vs_cheapest_pct`` (percent of the first's TCO) and the complexity score.
    """
    ranked = result.ranked()
    if not ranked:
        return pd.DataFrame(columns=list(SUMMARY_COLUMNS))
    first = ranked[0].tco_monthly_usd
    rows = [{"platform": p.platform.value, "label": _label(p.platform), "aws_monthly_usd": p.aws_monthly_usd,
             "operations_monthly_usd": p.operations_monthly_usd,
             "operations_hours_per_month": p.operations.monthly_hours, "fte": p.operations.fte_fraction,
             "tco_monthly_usd": p.tco_monthly_usd, "tco_annual_usd": p.tco_annual_usd,
             "vs_cheapest_usd": p.tco_monthly_usd - first,
             "vs_cheapest_pct": 100.0 * (p.tco_monthly_usd - first) / first if first > 0 else 0.0,
             "complexity": p.complexity.total} for p in ranked]
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def category_breakdown(result: ScenarioEstimate) -> pd.DataFrame:
    """Monthly AWS USD per platform (rows, cheapest first) and category (columns, stacking order)."""
    frame = summary_frame(result)
    columns = [c.value for c in CATEGORY_ORDER if f"{c.value}_usd" in frame.columns]
    table = frame.set_index("platform")[[f"{c}_usd" for c in columns]] if columns else frame
    return table.set_axis(columns, axis="columns")


def cost_breakdown_figure(result: TcoResult) -> go.Figure:
    """Stacked bars: each platform's AWS bill by category plus operations, lowest TCO first.

    The bar's height is the monthly TCO (labelled on top); the operations segment is
    hatched, because it is engineer time, not an AWS charge.
    """
    order = [p.platform.value for p in result.ranked()]
    table = category_breakdown(result.estimate).reindex(order)
    labels = [_label(p) for p in order]
    figure = go.Figure([go.Bar(name=category, x=labels, y=table[category].tolist(),
                               hovertemplate=f"%{{x}}<br>{category}: $%{{y:,.2f}}/month<extra></extra>")
                        for category in table.columns])
    operations = [result.by_platform(Platform(p)).operations_monthly_usd for p in order]
    figure.add_trace(go.Bar(name=OPERATIONS_SEGMENT, x=labels, y=operations, marker_pattern_shape="/",
                            marker_color="#9e9e9e",
                            hovertemplate=f"%{{x}}<br>{OPERATIONS_SEGMENT}: $%{{y:,.2f}}/month<extra></extra>"))
    totals = [result.by_platform(Platform(p)).tco_monthly_usd for p in order]
    figure.add_trace(go.Scatter(x=labels, y=totals, mode="text", text=[f"${t:,.0f}" for t in totals],
                                textposition="top center", showlegend=False, hoverinfo="skip"))
    figure.update_layout(barmode="stack", title="Monthly cost: AWS bill by category + operations (TCO)",
                         yaxis_title="USD per month", legend_title="", margin={"t": 60, "b": 40}, height=440)
    return figure


def line_items_view(result: ScenarioEstimate, platform: Platform) -> pd.DataFrame:
    """One platform's line items in reading order (what, how much, why, from which price)."""
    frame = line_items_frame(result)
    return frame[frame["platform"] == platform.value][list(LINE_ITEM_VIEW_COLUMNS)].reset_index(drop=True)


def operations_view(result: TcoResult, platform: Platform) -> pd.DataFrame:
    """One platform's operations rows: engineer-hours a month per activity, with formula, tag and reason."""
    rows = [{"activity": r.activity.value, "frequency_per_year": r.frequency_per_year,
             "hours_per_occurrence": r.hours_per_occurrence, "extra_cluster_hours": r.extra_cluster_hours,
             "monthly_hours": r.monthly_hours, "monthly_usd": r.monthly_usd, "tag": r.tag.value,
             "formula": r.formula, "source": r.source, "reason": r.reason}
            for r in result.by_platform(platform).operations.rows]
    return pd.DataFrame(rows, columns=["activity", "frequency_per_year", "hours_per_occurrence", "extra_cluster_hours",
                                       "monthly_hours", "monthly_usd", "tag", "formula", "source", "reason"])


def complexity_view(result: TcoResult) -> pd.DataFrame:
    """Complexity per platform: each component's points (count × weight) and the total, lowest first."""
    rows = [{"platform": _label(p.platform), "score": p.complexity.total,
             **{c.name: c.points for c in p.complexity.components}}
            for p in sorted(result.platforms, key=lambda p: p.complexity.total)]
    return pd.DataFrame(rows)


def complexity_items_view(result: TcoResult) -> pd.DataFrame:
    """What each complexity component counts, per platform (so a reader can dispute an item)."""
    rows = [{"platform": _label(p.platform), "component": c.name, "count": c.value, "weight": c.weight,
             "points": c.points, "items": ", ".join(c.items), "reason": c.reason}
            for p in result.platforms for c in p.complexity.components]
    return pd.DataFrame(rows)


def extended_support_view(result: TcoResult) -> pd.DataFrame:
    """EKS version lifecycle per EKS platform: a year of extended-support fees against the upgrade work deferred."""
    rows = [{"platform": _label(t.platform), "clusters": t.clusters, "fee_usd_per_year": t.fee_usd_per_year,
             "upgrade_hours_per_year": t.upgrade_hours_per_year, "upgrade_usd_per_year": t.upgrade_usd_per_year,
             "net_usd_per_year": t.net_usd_per_year, "is_applied": t.is_applied, "price_ref": t.price_ref,
             "publication_date": t.publication_date} for t in result.extended_support]
    return pd.DataFrame(rows)


def placements_view(result: ScenarioEstimate) -> pd.DataFrame:
    """Nodes chosen per EC2-backed platform, environment and phase, with utilization and idle cost."""
    rows = [{"platform": _label(e.platform), "environment": p.environment, "phase": p.phase,
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


# --- analysis ------------------------------------------------------------------------

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


def distributions_from_table(frame: pd.DataFrame) -> tuple[tuple[str, Distribution], ...]:
    """The Monte Carlo inputs of an edited table: one (parameter, distribution) per non-blank row.

    ``uniform`` uses low and high; ``triangular`` low, mode and high.

    Raises
    ------
    InvalidAnalysis
        Naming the row, the parameter and what is wrong (a missing bound, low >= high,
        a parameter given twice, an unknown distribution).
    """
    out: dict[str, Distribution] = {}
    for index, row in enumerate(_rows(frame, DISTRIBUTION_COLUMNS), start=1):
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
    if not out:
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
                                   marker_size=5, hovertemplate=f"{_label(p)}<br>%{{x:g}}: $%{{y:,.2f}}<extra></extra>")
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
    figure = go.Figure([go.Scatter(x=months, y=list(values), mode="lines", name=_label(p),
                                   hovertemplate=f"{_label(p)}<br>month %{{x}}: $%{{y:,.0f}} so far<extra></extra>")
                        for p, values in projection.cumulative_usd.items()])
    growth = f"{100 * projection.growth_per_month:+g}% replicas a month"
    figure.update_layout(title=f"Cumulative cost over {projection.months} months ({growth})", xaxis_title="month",
                         yaxis_title="USD, cumulative", height=440, margin={"t": 60, "b": 40})
    return figure


def commitments_view(projection: Projection) -> pd.DataFrame:
    """Every platform × purchase option over the horizon: total, saving against On-Demand, payback month."""
    rows = [{"platform": _label(c.platform), "option": c.option.value, "term_months": c.term_months,
             "total_usd": c.cumulative_usd[-1], "saving_usd": c.saving_usd, "payback_month": c.payback_month}
            for c in projection.commitments]
    frame = pd.DataFrame(rows, columns=["platform", "option", "term_months", "total_usd", "saving_usd",
                                        "payback_month"])
    return frame.astype({"payback_month": "Int64"}).sort_values(["platform", "total_usd"], kind="stable",
                                                                 ignore_index=True)


# --- money ---------------------------------------------------------------------------


class DisplayCurrency(Protocol):
    """A display currency at a user-set rate (``reports.currency.Currency`` is one)."""

    code: str

    def convert(self, usd: float) -> float: ...

    def format(self, amount: float) -> str: ...


def format_usd(usd: float, *, digits: int = 2) -> str:
    """``$1,234.56`` (``-$5.00`` for a negative amount)."""
    return f"-${-usd:,.{digits}f}" if usd < 0 else f"${usd:,.{digits}f}"


def format_converted(usd: float, currency: DisplayCurrency) -> str:
    """``usd`` in ``currency``, as the currency formats it (``€1,135.80``, ``₩1,701,234``)."""
    amount = currency.convert(usd)
    return f"-{currency.format(-amount)}" if amount < 0 else currency.format(amount)


def format_money(usd: float, currency: DisplayCurrency | None = None, *, digits: int = 2) -> str:
    """``$1,234.56``, followed by the converted amount when a currency is set (``$1,234.56 · €1,135.80``)."""
    text = format_usd(usd, digits=digits)
    return text if currency is None else f"{text} · {format_converted(usd, currency)}"


def with_converted(frame: pd.DataFrame, columns: Sequence[str], currency: DisplayCurrency | None) -> pd.DataFrame:
    """``frame`` plus, after each ``*_usd`` column, the same amounts in ``currency`` (``*_eur``)."""
    if currency is None:
        return frame
    out = frame.copy()
    for column in columns:
        position = out.columns.get_loc(column) + 1
        out.insert(position, column.removesuffix("_usd") + f"_{currency.code.lower()}",
                   [currency.convert(float(v)) for v in out[column]])
    return out
