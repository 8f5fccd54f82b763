"""Monte Carlo: percentiles and win probabilities on distributions with analytic answers, seeds, bad input."""

import math

import numpy as np
import pytest

from advisor.analysis.montecarlo import LogNormal, Triangular, TruncatedNormal, Uniform, simulate
from advisor.analysis.parameters import InvalidAnalysis
from advisor.decision.uncertainty import summarize
from advisor.workload.scenario import Platform, Replicas, Scenario, Service
from advisor.workload.spec_io import ScenarioError

A, B = Platform.ECS_EC2, Platform.ECS_FARGATE
NAT = "traffic.nat_processed_gb_per_month"
BASE = Scenario(name="t", services=(Service(name="api", vcpu=1, memory_gib=2, replicas=Replicas(min=1, max=1)),))
N = 20_000
Z90 = 1.2815515655446004   # standard normal 90th percentile


def linear(scenario: Scenario) -> dict[Platform, float]:
    """A = 100 + 10·x (x = NAT GB); B = 130 flat: A is cheapest exactly when x < 3."""
    return {A: 100 + 10 * scenario.traffic.nat_processed_gb_per_month, B: 130.0}


def ranges(result):
    return {r.platform: r for r in result.ranges}


def test_uniform_input_gives_the_analytic_percentiles_and_win_probability():
    """x ~ U(0, 10): A ~ U(100, 200), so P10/P50/P90 = 110/150/190; P(A cheapest) = P(x < 3) = 0.3."""
    a = ranges(simulate(BASE, linear, {NAT: Uniform(0, 10)}, samples=N, seed=7))[A]
    assert (a.p10_usd, a.p50_usd, a.p90_usd) == pytest.approx((110, 150, 190), abs=1.5)
    assert a.mean_usd == pytest.approx(150, abs=1)
    assert a.probability_cheapest == pytest.approx(0.3, abs=0.01) and a.available_share == 1


def test_triangular_median_and_mass_below_the_mode():
    """Symmetric triangular(0, 5, 10): median 5; P(x < 3) = 3² / (10 · 5) = 0.18."""
    a = ranges(simulate(BASE, linear, {NAT: Triangular(0, 5, 10)}, samples=N, seed=7))[A]
    assert a.p50_usd == pytest.approx(150, abs=1)
    assert a.probability_cheapest == pytest.approx(0.18, abs=0.01)


def test_truncated_normal_stays_in_its_window_with_its_quantiles():
    result = simulate(BASE, linear, {NAT: TruncatedNormal(5, 1, 0, 10)}, samples=N, seed=7)
    draws = result.inputs[NAT]
    assert draws.min() >= 0 and draws.max() <= 10
    a = ranges(result)[A]
    assert a.p50_usd == pytest.approx(150, abs=0.5)
    assert a.p90_usd == pytest.approx(100 + 10 * (5 + Z90), abs=0.5)   # truncation at ±5 sd changes nothing visible


def test_lognormal_median_and_p90():
    result = simulate(BASE, linear, {NAT: LogNormal(median=4, sigma=0.5)}, samples=N, seed=7)
    a = ranges(result)[A]
    assert a.p50_usd == pytest.approx(140, abs=0.6)
    assert a.p90_usd == pytest.approx(100 + 10 * 4 * math.exp(Z90 * 0.5), abs=1.5)


def test_a_seed_reproduces_the_run_whatever_the_input_order():
    inputs = {NAT: Uniform(0, 10), "traffic.logs_ingested_gb_per_month": Uniform(0, 5)}
    first = simulate(BASE, linear, inputs, samples=200, seed=3)
    again = simulate(BASE, linear, dict(reversed(list(inputs.items()))), samples=200, seed=3)
    other = simulate(BASE, linear, inputs, samples=200, seed=4)
    assert np.array_equal(first.monthly_usd[A], again.monthly_usd[A]) and first.ranges == again.ranges
    assert not np.array_equal(first.monthly_usd[A], other.monthly_usd[A])


def test_integer_inputs_are_rounded():
    result = simulate(BASE, linear, {"traffic.service_discovery_instances": Uniform(0, 9)}, samples=100, seed=1)
    draws = result.inputs["traffic.service_discovery_instances"]
    assert np.array_equal(draws, np.round(draws)) and len(set(draws)) > 3


def test_ties_share_the_win_and_missing_platforms_count_as_unavailable():
    ranges_ = {r.platform: r for r in summarize({A: np.array([1.0, 2.0, np.nan]), B: np.array([1.0, 1.0, 5.0])})}
    assert ranges_[A].probability_cheapest == pytest.approx(0.5 / 3)
    assert ranges_[B].probability_cheapest == pytest.approx(2.5 / 3)
    assert ranges_[A].available_share == pytest.approx(2 / 3) and ranges_[A].p50_usd == 1.5


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"samples": 0}, "samples: 0 is not allowed; allowed: an integer from 1"),
    ({"samples": -5}, "samples: -5"),
    ({"samples": True}, "samples: True"),
    ({"seed": -1}, "seed: -1"),
    ({"inputs": {}}, "inputs: {} is not allowed; allowed: at least one parameter"),
    ({"inputs": {"nat": Uniform(0, 1)}}, "parameter: 'nat'"),
])
def test_bad_runs_are_clear_errors(kwargs, match):
    args = {"inputs": {NAT: Uniform(0, 1)}, "samples": 10, "seed": 0, **kwargs}
    with pytest.raises(InvalidAnalysis, match=match):
        simulate(BASE, linear, args.pop("inputs"), **args)


@pytest.mark.parametrize(("build", "match"), [
    (lambda: Uniform(2, 2), "uniform: \\(2, 2\\) .* \\(the range is empty otherwise\\)"),
    (lambda: Uniform(3, 1), "uniform"),
    (lambda: Triangular(0, 5, 4), "triangular"),
    (lambda: TruncatedNormal(0, 0), "normal: \\(0, 0\\)"),
    (lambda: TruncatedNormal(0, 1, 10, 11), "use a uniform range"),
    (lambda: LogNormal(-1, 1), "lognormal"),
])
def test_bad_distributions_are_clear_errors(build, match):
    with pytest.raises(InvalidAnalysis, match=match):
        build()


def test_out_of_bounds_draws_fail_before_any_pricing():
    calls = []
    with pytest.raises(ScenarioError, match=f"{NAT}: Input should be greater than or equal to 0"):
        simulate(BASE, lambda s: calls.append(s) or linear(s), {NAT: TruncatedNormal(0, 5)}, samples=100, seed=1)
    assert calls == []
