"""Scenarios side by side: cost per scenario and platform, its range, the cheapest of each, deltas, input differences.

The same functions feed ``advisor compare A.yaml B.yaml ...`` and the app's Workspace page,
so both show the same figures.  The first scenario is the baseline every other one is
compared with; ``metric`` chooses the TCO (the AWS bill plus the engineer time to run it)
or the AWS bill alone, as everywhere else (:class:`advisor.decision.tco.Metric`).  Given
each scenario's cost ranges (:func:`advisor.decision.uncertainty.tco_ranges`, the draws of
the operations ranges the Compare page and the recommendation use), every cell carries its
P10 / P50 / P90 and the chance that the platform is the scenario's cheapest; the AWS bill
alone has no range (nothing uncertain moves it), so those cells are blank.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from advisor.decision.tco import DEFAULT_METRIC, METRIC_WORDS, Metric, TcoResult
from advisor.decision.uncertainty import CostRanges, PlatformRange
from advisor.workload.scenario import Platform, Scenario
from advisor.workload.units import MONTHS_PER_YEAR
from presentation.display import column_header
from presentation.labels import platform_color, platform_label
from presentation.money import format_usd

#: Top-level scenario fields whose differences say nothing about the result.
LABEL_FIELDS = ("name", "description")
#: A platform's range in a row: blank when nothing was drawn (the AWS bill alone).
RANGE_COLUMNS: tuple[str, ...] = ("p10_usd", "p50_usd", "p90_usd", "probability_cheapest_pct")
COMPARISON_COLUMNS: tuple[str, ...] = (
    "scenario", "platform", "label", "rank", "monthly_usd", "annual_usd", *RANGE_COLUMNS, "vs_first_monthly_usd",
    "vs_first_annual_usd", "is_cheapest",
)
CHEAPEST_COLUMNS: tuple[str, ...] = (
    "scenario", "cheapest", "monthly_usd", "annual_usd", *RANGE_COLUMNS, "vs_first_monthly_usd",
    "vs_first_annual_usd",
)


def _range_cells(ranges: CostRanges | None, platform: Platform) -> dict[str, float | None]:
    """P10 / P50 / P90 and the chance of being cheapest [%] of ``platform``; blank when nothing was drawn."""
    drawn: PlatformRange | None = ranges.of(platform) if ranges is not None and ranges.drawn else None
    if drawn is None:
        return dict.fromkeys(RANGE_COLUMNS)
    return {"p10_usd": drawn.p10_usd, "p50_usd": drawn.p50_usd, "p90_usd": drawn.p90_usd,
            "probability_cheapest_pct": 100.0 * drawn.probability_cheapest}


def _ranges_of(results: Sequence[TcoResult], ranges: Sequence[CostRanges | None] | None) -> list[CostRanges | None]:
    if ranges is None:
        return [None] * len(results)
    if len(ranges) != len(results):
        raise ValueError(f"{len(ranges)} cost ranges for {len(results)} scenarios")
    return list(ranges)


def comparison_frame(results: Sequence[TcoResult], labels: Sequence[str], metric: Metric = DEFAULT_METRIC,
                     ranges: Sequence[CostRanges | None] | None = None) -> pd.DataFrame:
    """One row per scenario and platform: its monthly and annual cost, range, rank, and delta from the first scenario.

    ``vs_first_*`` is this platform's cost minus the same platform's in the first scenario
    (missing when the first scenario cannot run it, and for the first scenario itself).
    ``ranges`` holds each scenario's cost ranges under ``metric`` (or None: no range columns).
    """
    metric = Metric(metric)
    base = {p.platform: p.monthly_usd(metric) for p in results[0].platforms}
    rows = []
    for index, (label, result, drawn) in enumerate(zip(labels, results, _ranges_of(results, ranges), strict=True)):
        for rank, p in enumerate(result.ranked(metric), start=1):
            cost = p.monthly_usd(metric)
            delta = None if index == 0 or p.platform not in base else cost - base[p.platform]
            rows.append({"scenario": label, "platform": p.platform.value, "label": platform_label(p.platform),
                         "rank": rank, "monthly_usd": cost, "annual_usd": cost * MONTHS_PER_YEAR,
                         **_range_cells(drawn, p.platform), "vs_first_monthly_usd": delta,
                         "vs_first_annual_usd": None if delta is None else delta * MONTHS_PER_YEAR,
                         "is_cheapest": rank == 1})
    return pd.DataFrame(rows, columns=list(COMPARISON_COLUMNS))


def cheapest_frame(results: Sequence[TcoResult], labels: Sequence[str], metric: Metric = DEFAULT_METRIC,
                   ranges: Sequence[CostRanges | None] | None = None) -> pd.DataFrame:
    """Per scenario, its cheapest platform, cost and range, and the difference from the first scenario's cheapest."""
    metric = Metric(metric)
    firsts = [r.ranked(metric)[0] if r.platforms else None for r in results]
    base = firsts[0].monthly_usd(metric) if firsts[0] else None
    rows = []
    for index, (label, first, drawn) in enumerate(zip(labels, firsts, _ranges_of(results, ranges), strict=True)):
        cost = first.monthly_usd(metric) if first else None
        delta = None if index == 0 or cost is None or base is None else cost - base
        rows.append({"scenario": label, "cheapest": platform_label(first.platform) if first else "none can run it",
                     "monthly_usd": cost, "annual_usd": None if cost is None else cost * MONTHS_PER_YEAR,
                     **(_range_cells(drawn, first.platform) if first else dict.fromkeys(RANGE_COLUMNS)),
                     "vs_first_monthly_usd": delta,
                     "vs_first_annual_usd": None if delta is None else delta * MONTHS_PER_YEAR})
    return pd.DataFrame(rows, columns=list(CHEAPEST_COLUMNS))


def cost_matrix(frame: pd.DataFrame) -> pd.DataFrame:
    """Scenarios (rows, in order) × platforms (columns ``<platform id>_usd``, in the platforms' order):
    monthly cost; blank where a scenario cannot run on a platform."""
    order = list(dict.fromkeys(frame["scenario"]))
    platforms = [p.value for p in Platform if p.value in set(frame["platform"])]
    table = frame.pivot(index="scenario", columns="platform", values="monthly_usd").reindex(order)[platforms]
    return table.rename(columns=lambda p: f"{p}_usd").reset_index().rename_axis(columns=None)


def _by_platform(frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The frame's rows per platform, in the platforms' order (so every chart's legend reads the same)."""
    return [(p.value, frame[frame["platform"] == p.value]) for p in Platform if (frame["platform"] == p.value).any()]


def _whiskers(rows: pd.DataFrame) -> dict[str, Any] | None:
    """Error bars from P10 to P90 around each bar (None when the rows carry no range)."""
    if rows["p10_usd"].isna().all():
        return None
    cost, low, high = (rows[c].astype(float) for c in ("monthly_usd", "p10_usd", "p90_usd"))
    return {"type": "data", "symmetric": False, "array": (high - cost).clip(lower=0).fillna(0).tolist(),
            "arrayminus": (cost - low).clip(lower=0).fillna(0).tolist(), "color": "#444", "thickness": 1.2}


def _hover(platform: str, rows: pd.DataFrame) -> list[str]:
    """Each bar's hover text: its cost, and its range and chance of being cheapest when drawn."""
    out = []
    for row in rows.itertuples(index=False):
        text = f"{row.scenario}<br>{platform_label(platform)}: {format_usd(row.monthly_usd)}/month"
        if not pd.isna(row.p10_usd):
            text += (f"<br>P10–P90 {format_usd(row.p10_usd, digits=0)}–{format_usd(row.p90_usd, digits=0)}"
                     f"<br>cheapest in {row.probability_cheapest_pct:.0f}% of draws")
        out.append(text)
    return out


def comparison_figure(frame: pd.DataFrame, metric: Metric = DEFAULT_METRIC) -> go.Figure:
    """Grouped bars: each scenario's monthly cost per platform, each platform in its colour; cheapest starred.

    With ranges, each bar carries a whisker from its P10 to its P90.
    """
    figure = go.Figure()
    ranged = False
    for platform, rows in _by_platform(frame):
        whiskers = _whiskers(rows)
        ranged = ranged or whiskers is not None
        figure.add_trace(go.Bar(
            name=platform_label(platform), x=rows["scenario"].tolist(), y=rows["monthly_usd"].tolist(),
            marker_color=platform_color(platform), error_y=whiskers,
            text=["★" if c else "" for c in rows["is_cheapest"]], textposition="outside",
            hovertext=_hover(platform, rows), hoverinfo="text"))
    title = f"Monthly {METRIC_WORDS[Metric(metric)]} per scenario (★ cheapest"
    title += "; whiskers P10–P90)" if ranged else ")"
    figure.update_layout(barmode="group", title=title, yaxis_title="USD per month", legend_title="", height=440,
                         margin={"t": 60, "b": 40})
    return figure


def delta_figure(frame: pd.DataFrame, first: str) -> go.Figure:
    """Bars of each later scenario's monthly difference from ``first``, per platform (below 0: cheaper)."""
    later = frame[frame["scenario"] != first].dropna(subset=["vs_first_monthly_usd"])
    figure = go.Figure()
    for platform, rows in _by_platform(later):
        figure.add_trace(go.Bar(
            name=platform_label(platform), x=rows["scenario"].tolist(), y=rows["vs_first_monthly_usd"].tolist(),
            marker_color=platform_color(platform),
            hovertemplate="%{x}<br>" + platform_label(platform) + ": %{y:+$,.2f}/month<extra></extra>"))
    figure.add_hline(y=0, line_color="#444")
    figure.update_layout(barmode="group", title=f"Monthly difference from {first} (below 0: cheaper)",
                         yaxis_title="USD per month", legend_title="", height=400, margin={"t": 60, "b": 40})
    return figure


# --- input differences ------------------------------------------------------------------

def _diff(a: Any, b: Any, path: str) -> list[dict[str, Any]]:
    """Differing leaves; a list element or key present on one side only is one difference."""
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for key in dict.fromkeys([*a, *b]) if key not in LABEL_FIELDS or path
                for d in _diff(a.get(key), b.get(key), f"{path}.{key}" if path else key)]
    if isinstance(a, list) and isinstance(b, list):
        return [d for i in range(max(len(a), len(b)))
                for d in _diff(a[i] if i < len(a) else None, b[i] if i < len(b) else None, f"{path}[{i}]")]
    return [] if a == b else [{"field": path, "first": a, "value": b}]


def input_differences(first: Scenario, other: Scenario) -> list[dict[str, Any]]:
    """Scenario fields (dotted paths) whose values differ from the first scenario's (names left out)."""
    return _diff(first.model_dump(mode="json"), other.model_dump(mode="json"), "")


_SINGULAR = {"services": "service", "jobs": "job", "daemons": "daemon", "environments": "environment",
             "load_balancers": "load balancer", "sidecars": "sidecar", "overrides": "override",
             "instance_families": "instance family", "platforms": "platform"}
_FIELD_WORDS = {"max": "peak", "min": "minimum", "option": "option"}


def _word(key: str) -> str:
    """A field name in running text: ``engineer_rate_usd_per_hour`` -> ``engineer rate (USD per hour)``."""
    header = column_header(key)
    return header if header[:2].isupper() else header[:1].lower() + header[1:]


def _value_text(value: Any) -> str:
    if value is None:
        return "none (default)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float | int):
        return f"{value:,g}"
    if isinstance(value, list):
        return ", ".join(_value_text(v) for v in value) if value else "none"
    if isinstance(value, dict):
        return ", ".join(f"{_word(k)} {_value_text(v)}" for k, v in value.items()
                         if not isinstance(v, dict | list))
    return str(value)


def _where(path: str, docs: tuple[dict[str, Any], dict[str, Any]]) -> str:
    """``services[0].replicas.max`` -> ``service api, replicas peak`` (items named by their name)."""
    text, nodes, after_item = "", list(docs), False
    for part in path.split("."):
        key, _, rest = part.partition("[")
        nodes = [n.get(key) if isinstance(n, dict) else None for n in nodes]
        if rest:
            index = int(rest.rstrip("]"))
            nodes = [n[index] if isinstance(n, list) and index < len(n) else None for n in nodes]
            named = next((n["name"] for n in nodes if isinstance(n, dict) and n.get("name")), None)
            word = f"{_SINGULAR.get(key, key)} {named if named else index + 1}"
        else:
            word = _FIELD_WORDS.get(key, _word(key))
        text = word if not text else f"{text}{', ' if after_item or rest else ' '}{word}"
        after_item = bool(rest)
    return text


def difference_sentences(first: Scenario, other: Scenario) -> list[str]:
    """What differs from the first scenario, in words: ``service api, replicas peak: 3 → 6``."""
    docs = (first.model_dump(mode="json"), other.model_dump(mode="json"))
    out = []
    for diff in input_differences(first, other):
        where = _where(diff["field"], docs)
        if diff["first"] is None and isinstance(diff["value"], dict):
            out.append(f"{where} added ({_value_text(diff['value'])})")
        elif diff["value"] is None and isinstance(diff["first"], dict):
            out.append(f"{where} removed")
        else:
            out.append(f"{where}: {_value_text(diff['first'])} → {_value_text(diff['value'])}")
    return out


def delta_sentence(label: str, first_label: str, delta_monthly_usd: float) -> str:
    """``shop-graviton costs $120.00/month ($1,440.00/year) less than shop``."""
    if round(delta_monthly_usd, 2) == 0:
        return f"{label} costs the same as {first_label}"
    word = "more" if delta_monthly_usd > 0 else "less"
    amount = abs(delta_monthly_usd)
    return (f"{label} costs {format_usd(amount)}/month ({format_usd(amount * MONTHS_PER_YEAR)}/year) {word} "
            f"than {first_label}")
