"""Page: what the recommendation hangs on: break-even curves, sensitivity, cost ranges, what decides it, projection.

Each analysis prices many variants of the current scenario (tens of seconds on a large
workload), so each runs on request from its own form, with its progress shown, and is
cached by scenario, prices and inputs.  Session state keeps each analysis's last inputs
(with the scenario they ran on), so its result is shown again, from the cache, when
the user comes back, and is not recomputed unasked after the scenario changes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from advisor.analysis.evaluator import Metric
from advisor.analysis.global_sensitivity import DEFAULT_BASE_SAMPLES
from advisor.analysis.parameters import REPLICAS_SCALE, ParameterSpace
from advisor.analysis.projection import MAX_MONTHS
from advisor.analysis.sensitivity import DEFAULT_RELATIVE_CHANGE
from advisor.errors import AdvisorError
from advisor.workload.operations_inputs import ENGINEER_RATE_RANGE_USD_PER_HOUR
from advisor.workload.scenario import Scenario
from advisor.workload.spec_io import ScenarioError
from app_pages import cached, notices, session
from app_pages.basis import selected_metric
from app_pages.shown import shown
from app_pages.tables import show_table
from presentation.analysis_views import (
    DISTRIBUTION_COLUMNS,
    DISTRIBUTIONS,
    breakeven_figure,
    commitments_view,
    cost_range_figure,
    cost_range_view,
    crossings_view,
    default_sweep_range,
    distributions_from_table,
    projection_figure,
    tornado_figure,
    tornado_view,
)
from presentation.uncertainty_views import sobol_figure, sobol_view
from pricing.pricebook import PriceBook

_METRICS = {Metric.TCO: "TCO (AWS bill + engineer time)", Metric.AWS: "AWS bill only",
            Metric.OPERATIONS: "engineer time only"}
#: Saltelli base samples offered: each is N × (inputs + 2) model runs (milliseconds each on the
#: operations model; an estimate per distinct draw of an input that changes the bill).
_BASE_SAMPLES = (64, 128, 256, 512, 1024, 2048)
#: Base samples when the table's inputs are drawn too (each distinct draw is an estimate).
_INPUT_BASE_SAMPLES = 32
#: The Monte Carlo table a session starts with: replicas ±, and the engineer rate over its
#: plausible range (advisor.workload.operations_inputs, sources doc section 1.6).
_DEFAULT_DISTRIBUTIONS = pd.DataFrame(
    [{"parameter": REPLICAS_SCALE, "distribution": "triangular", "low": 0.8, "mode": 1.0, "high": 1.5},
     {"parameter": "operations.engineer_rate_usd_per_hour", "distribution": "uniform",
      "low": ENGINEER_RATE_RANGE_USD_PER_HOUR[0], "mode": None, "high": ENGINEER_RATE_RANGE_USD_PER_HOUR[1]}],
    columns=list(DISTRIBUTION_COLUMNS)).astype({"mode": "float64"})
_ERRORS = (AdvisorError, ScenarioError)


def _remembered(kind: str, scenario_json: str, inputs: dict[str, Any] | None) -> dict[str, Any] | None:
    """Store the inputs of a run just asked for, or return the last ones if they ran on this scenario."""
    key = f"analysis_{kind}"
    if inputs is not None:
        st.session_state[key] = {"scenario": scenario_json, "inputs": inputs}
        return inputs
    last = st.session_state.get(key)
    if last is None:
        return None
    if last["scenario"] != scenario_json:
        st.info("The scenario changed since this analysis ran: run it again to see it for the current scenario.")
        return None
    return last["inputs"]


def _run(label: str, compute: Callable[[], Any], is_new: bool) -> Any:
    """The analysis result, with progress shown when it was just asked for; None after an error (shown)."""
    try:
        if not is_new:
            return compute()
        with st.status(label, expanded=False) as status:
            started = time.perf_counter()
            result = compute()
            status.update(label=f"{label.removesuffix('…')}: done in {time.perf_counter() - started:.1f} s",
                          state="complete")
        return result
    except _ERRORS as exc:
        st.error(f"The analysis could not run: {shown(exc)}")
        return None


def _breakeven(scenario: Scenario, book: PriceBook, metric: str, key: str) -> None:
    space = ParameterSpace(scenario)
    names = [p.name for p in space.parameters if not p.is_item_field] + [
        p.name for p in space.parameters if p.is_item_field]
    parameter = st.selectbox("Input to sweep", names, key="sweep_parameter",
                             help="replicas_scale multiplies every service's replicas; hours_per_day sets the peak "
                                  "hours of every autoscaled service")
    start, stop = default_sweep_range(space.parameter(parameter))
    with st.form("breakeven_form"):
        middle, right, points_col = st.columns(3)
        start = middle.number_input("from", value=float(start), format="%g", key=f"sweep_from_{parameter}")
        stop = right.number_input("to", value=float(stop), format="%g", key=f"sweep_to_{parameter}")
        points = points_col.number_input("points", 2, 60, 12, key="sweep_points")
        asked = st.form_submit_button("Run break-even", key="run_breakeven")
    inputs = _remembered("breakeven", key, {"parameter": parameter, "start": start, "stop": stop,
                                             "points": int(points)} if asked else None)
    if inputs is None:
        return
    result = _run(f"Pricing {inputs['points']} values of {inputs['parameter']} on every platform…",
                  lambda: cached.breakeven(scenario, book, metric, **inputs), asked)
    if result is None:
        return
    st.plotly_chart(breakeven_figure(result, space.parameter(inputs["parameter"]).value), key="breakeven_chart")
    crossings = crossings_view(result)
    if crossings.empty:
        st.info(f"No two platforms cross between {inputs['start']:g} and {inputs['stop']:g}: the order holds "
                "over the whole range.")
    else:
        show_table(crossings, "crossings")


def _sensitivity(scenario: Scenario, book: PriceBook, metric: str, key: str) -> None:
    with st.form("sensitivity_form"):
        change = st.slider("Change each input by ±", 0.05, 0.5, DEFAULT_RELATIVE_CHANGE, 0.05, format="%.2f",
                           key="sensitivity_change", help="a share of its value; 0.2 is ±20 %")
        asked = st.form_submit_button("Run sensitivity", key="run_sensitivity")
    inputs = _remembered("sensitivity", key, {"relative_change": change} if asked else None)
    if inputs is None:
        return
    result = _run("Pricing every scenario-wide input at its low and high value…",
                  lambda: cached.tornado(scenario, book, metric, inputs["relative_change"]), asked)
    if result is None:
        return
    st.plotly_chart(tornado_figure(result), key="tornado_chart")
    show_table(tornado_view(result), "tornado")


def _cost_ranges(scenario: Scenario, book: PriceBook, metric: str, key: str) -> pd.DataFrame:
    """The Monte Carlo section; returns the table of input ranges (the sensitivity tab can draw them too)."""
    names = [p.name for p in ParameterSpace(scenario).parameters]
    with st.form("ranges_form"):
        table = st.data_editor(_DEFAULT_DISTRIBUTIONS, key="ranges_inputs", num_rows="dynamic", hide_index=True,
                               column_config={
                                   "parameter": st.column_config.SelectboxColumn("parameter", options=names),
                                   "distribution": st.column_config.SelectboxColumn("distribution",
                                                                                    options=DISTRIBUTIONS),
                                   "mode": st.column_config.NumberColumn("mode", help="triangular only")})
        operations = st.checkbox("Draw the operations ranges too", value=True, key="ranges_operations",
                                 help="every activity's hours and frequency between its low and high end; the "
                                      "table's inputs are drawn on top of them")
        left, right = st.columns(2)
        samples = left.number_input("draws", 10, 5000, 200, step=50, key="ranges_samples")
        seed = right.number_input("seed", 0, 2**31 - 1, 1, key="ranges_seed", help="same seed, same result")
        asked = st.form_submit_button("Run cost ranges", key="run_ranges")
    try:
        distributions = distributions_from_table(table, required=not operations) if asked else None
    except AdvisorError as exc:
        st.error(shown(exc))
        return table
    inputs = _remembered("ranges", key, {"inputs": distributions, "samples": int(samples), "seed": int(seed),
                                         "operations": operations} if asked else None)
    if inputs is None:
        return table
    result = _run(f"Pricing {inputs['samples']} draws of the uncertain inputs…",
                  lambda: cached.cost_ranges(scenario, book, metric, **inputs), asked)
    if result is None:
        return table
    st.caption(f"Over {result.cost_ranges().description}.")
    st.plotly_chart(cost_range_figure(result), key="ranges_chart")
    show_table(cost_range_view(result), "ranges")
    return table


def _what_decides(scenario: Scenario, book: PriceBook, metric: str, key: str, table: pd.DataFrame) -> None:
    st.caption("Sobol indices (SALib): the share of the variance of the gap between the two cheapest platforms "
               "that each uncertain input explains alone (S1) and with its interactions (total, ST). An input "
               "with a small total index can sit anywhere in its range without changing the answer; the top ones "
               "are worth pinning down before deciding.")
    with st.form("sobol_form"):
        left, right = st.columns(2)
        base = left.selectbox("base samples N", _BASE_SAMPLES, index=_BASE_SAMPLES.index(DEFAULT_BASE_SAMPLES),
                              key="sobol_samples", help="N × (inputs + 2) model runs")
        with_table = right.checkbox("Draw the Cost ranges table's inputs too", value=False, key="sobol_inputs",
                                    help=f"each distinct draw of an input that changes the bill is an estimate: "
                                         f"N is then {_INPUT_BASE_SAMPLES}")
        asked = st.form_submit_button("Rank what decides it", key="run_sobol")
    try:
        drawn = distributions_from_table(table, required=False) if asked and with_table else ()
    except AdvisorError as exc:
        st.error(str(exc))
        return
    inputs = _remembered("sobol", key, {"inputs": drawn, "base_samples": _INPUT_BASE_SAMPLES if drawn else int(base),
                                        "seed": 0} if asked else None)
    if inputs is None:
        return
    result = _run("Drawing every uncertain input together…", lambda: cached.sobol(scenario, book, metric, **inputs),
                  asked)
    if result is None:
        return
    st.caption(f"{result.description}; the gap is now ${result.base_gap_usd:,.0f}/month "
               f"(standard deviation ${result.gap_sd_usd:,.0f} over the runs).")
    st.plotly_chart(sobol_figure(result), key="sobol_chart")
    show_table(sobol_view(result), "sobol")


def _projection(scenario: Scenario, book: PriceBook, metric: str, key: str) -> None:
    with st.form("projection_form"):
        left, right = st.columns(2)
        months = left.radio("Horizon [months]", (12, 36), horizontal=True, key="projection_months",
                            help=f"12 and 36 match the commitment terms; at most {MAX_MONTHS}")
        growth = right.number_input("Replica growth per month [%]", value=0.0, step=0.5, format="%g",
                                    key="projection_growth")
        asked = st.form_submit_button("Run projection", key="run_projection")
    inputs = _remembered("projection", key, {"months": int(months), "growth_per_month": growth / 100.0}
                         if asked else None)
    if inputs is None:
        return
    result = _run(f"Pricing {inputs['months']} months under each purchase option…",
                  lambda: cached.projection(scenario, book, metric, **inputs), asked)
    if result is None:
        return
    st.plotly_chart(projection_figure(result), key="projection_chart")
    show_table(commitments_view(result), "commitments")
    for note in result.skipped:
        st.caption(f"Not compared: {shown(note)}.")


def main() -> None:
    st.header("Analyse")
    notices.show_notice()
    scenario = session.current_scenario()
    book = cached.active_pricebook()
    key = cached.scenario_key(scenario)
    metric = st.radio("Compare", list(_METRICS), format_func=_METRICS.__getitem__, horizontal=True,
                      index=list(_METRICS).index(selected_metric()), key="analysis_metric",
                      help="starts from the sidebar's switch")
    st.caption(f"Scenario **{shown(scenario.name)}**: every analysis prices variants of it on each of its platforms. "
               "A large workload takes tens of seconds per analysis; results are kept for the session.")
    tabs = st.tabs(["Break-even", "Sensitivity", "Cost ranges", "What decides it", "Projection"])
    metric_key = f"{key}|{metric.value}"
    with tabs[0]:
        _breakeven(scenario, book, metric.value, metric_key)
    with tabs[1]:
        _sensitivity(scenario, book, metric.value, metric_key)
    with tabs[2]:
        table = _cost_ranges(scenario, book, metric.value, metric_key)
    with tabs[3]:
        _what_decides(scenario, book, metric.value, metric_key, table)
    with tabs[4]:
        _projection(scenario, book, metric.value, metric_key)


main()
