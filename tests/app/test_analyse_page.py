"""AppTest tests of the Analyse page: break-even, sensitivity, cost ranges, what decides it and projection."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from advisor.analysis.evaluator import CostEvaluator
from advisor.analysis.global_sensitivity import sobol_ranking
from advisor.analysis.parameters import ParameterSpace
from advisor.analysis.sensitivity import sensitivity
from advisor.analysis.sweep import sweep, sweep_values
from advisor.decision.tco import tco
from presentation.analysis_views import crossings_view, tornado_view
from presentation.uncertainty_views import sobol_view
from tests.app.helpers import DEFAULT_EXAMPLE, cards, example, goto, link, rendered, run_app, submit_edit


def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_breakeven_runs_on_request_and_shows_the_library_crossings(cache_dir: Path, book) -> None:
    at = goto(run_app(), "analyse")
    assert not at.get("plotly_chart")  # nothing runs unasked
    assert at.selectbox(key="sweep_parameter").value == "replicas_scale"
    at.number_input(key="sweep_points").set_value(5)
    at.button(key="run_breakeven").click().run()
    assert not at.exception and not at.error
    assert at.status[0].label.startswith("Pricing 5 values of replicas_scale on every platform: done in ")
    assert len(at.get("plotly_chart")) == 1
    scenario = example(DEFAULT_EXAMPLE)
    values = sweep_values(ParameterSpace(scenario).parameter("replicas_scale"), 0.25, 4.0, 5)
    expected = crossings_view(sweep(scenario, CostEvaluator(book), "replicas_scale", values, refine=True))
    shown = frame_with(at, "cheaper_below") if not expected.empty else pd.DataFrame(columns=expected.columns)
    pd.testing.assert_frame_equal(shown.reset_index(drop=True), expected, check_dtype=False)

    goto(at, "prices")
    goto(at, "analyse")  # the result comes back from the cache, without a new run
    assert len(at.get("plotly_chart")) == 1 and not at.status


def test_sensitivity_and_a_changed_scenario(cache_dir: Path, book) -> None:
    at = goto(run_app(), "analyse")
    at.button(key="run_sensitivity").click().run()
    assert not at.error
    expected = tornado_view(sensitivity(example(DEFAULT_EXAMPLE), CostEvaluator(book)))
    pd.testing.assert_frame_equal(frame_with(at, "swing_usd"), expected, check_dtype=False)

    goto(at, "workload")
    submit_edit(at, "services", {0: {"replicas": 3}})
    goto(at, "analyse")
    assert "The scenario changed since this analysis ran" in at.info[0].value
    assert not any(d.value.columns.isin(["swing_usd"]).any() for d in at.dataframe)


def test_cost_ranges_and_projection(cache_dir: Path) -> None:
    at = goto(run_app(), "analyse")
    at.number_input(key="ranges_samples").set_value(20)
    at.button(key="run_ranges").click().run()
    assert not at.error
    ranges = frame_with(at, "probability_cheapest_pct")
    assert ranges["probability_cheapest_pct"].sum() == pytest.approx(100.0)
    assert (ranges["p10_usd"] <= ranges["p50_usd"]).all() and (ranges["p50_usd"] <= ranges["p90_usd"]).all()

    at.button(key="run_projection").click().run()
    assert not at.error
    commitments = frame_with(at, "payback_month")
    assert set(commitments["option"]) >= {"on-demand", "reserved-1yr", "savings-plan-1yr"}
    assert len(at.get("plotly_chart")) == 2


def test_an_empty_sweep_range_is_an_error_in_words(cache_dir: Path) -> None:
    at = goto(run_app(), "analyse")
    at.number_input(key="sweep_from_replicas_scale").set_value(5.0)
    at.number_input(key="sweep_to_replicas_scale").set_value(1.0)
    at.button(key="run_breakeven").click().run()
    assert rendered(at.error[0].value) == ("The analysis could not run: from: 5.0 is not allowed; allowed: a value "
                                           "below 'to' (1): the range is empty")
    assert not at.get("plotly_chart")


def test_a_bad_range_is_an_error_in_words(cache_dir: Path) -> None:
    at = goto(run_app(), "analyse")
    at.session_state["ranges_inputs"] = {"edited_rows": {0: {"low": 2.0}}, "added_rows": [], "deleted_rows": []}
    at.button(key="run_ranges").click().run()
    assert rendered(at.error[0].value).startswith("row 1 (replicas_scale) triangular: (2.0, 1.0, 1.5) is not allowed")


def test_a_region_without_prices_is_an_error_in_words(cache_dir: Path) -> None:
    elsewhere = example(DEFAULT_EXAMPLE).model_copy(update={"region": "mars-east-1"})
    at = run_app(link(elsewhere))
    assert rendered(at.error[0].value).startswith("This scenario cannot be priced: region: 'mars-east-1' is not "
                                                  "allowed; allowed: a region of the active price data; nearest: ")
    assert not cards(at)
    goto(at, "workload")  # the region is shown as it is, for the user to change
    assert at.selectbox(key=f"region_{at.session_state['scenario_revision']}").value == "mars-east-1"


def test_what_decides_it_ranks_the_library_sobol_indices(cache_dir: Path, book) -> None:
    at = goto(run_app(), "analyse")
    at.selectbox(key="sobol_samples").set_value(256)
    at.button(key="run_sobol").click().run()
    assert not at.error
    expected = sobol_view(sobol_ranking(tco(example(DEFAULT_EXAMPLE), book), base_samples=256, seed=0))
    pd.testing.assert_frame_equal(frame_with(at, "first_order_conf"), expected, check_dtype=False)
    shown = frame_with(at, "first_order_conf")
    assert shown["total"].tolist() == sorted(shown["total"], reverse=True)  # most decisive first

    at.checkbox(key="sobol_inputs").check()  # the cost-ranges table's replicas and engineer rate too
    at.button(key="run_sobol").click().run()
    assert not at.error
    drawn = frame_with(at, "first_order_conf")
    assert {"replicas_scale", "operations.engineer_rate_usd_per_hour"} <= set(drawn["input"])
