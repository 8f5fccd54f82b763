"""TCO ranges from the operations ranges: percentiles, chance of being cheapest, seeds, and Monte Carlo on top."""


import numpy as np
import pytest

from advisor.analysis.evaluator import CostEvaluator
from advisor.analysis.montecarlo import Uniform, simulate
from advisor.decision.tco import Metric, tco
from advisor.decision.uncertainty import (
    OPERATIONS_RANGES,
    drawn_costs,
    operations_quantiles,
    tco_ranges,
)
from advisor.operations.factors import OPERATIONS_FACTORS
from advisor.workload.operations_inputs import Operations, OverheadLevel
from advisor.workload.scenario import Platform


def test_ranges_bracket_the_median_and_the_chances_add_up(small_api_tco):
    ranges = tco_ranges(small_api_tco)
    assert ranges.drawn == (OPERATIONS_RANGES,) and ranges.draws == 2000
    assert sum(r.probability_cheapest for r in ranges.ranges) == pytest.approx(1.0)
    for r in ranges.ranges:
        point = small_api_tco.by_platform(r.platform).tco_monthly_usd
        assert r.p10_usd < r.p50_usd < r.p90_usd
        assert r.p10_usd < point < r.p90_usd  # the most likely values sit inside the band
        assert r.p10_usd > small_api_tco.by_platform(r.platform).aws_monthly_usd  # the bill is never drawn below itself


def test_a_seed_repeats_a_run_and_another_seed_differs(small_api_tco):
    one, again, other = (tco_ranges(small_api_tco, seed=seed) for seed in (3, 3, 4))
    assert one == again and one != other


def test_the_bill_alone_is_not_drawn(small_api_tco):
    ranges = tco_ranges(small_api_tco, Metric.AWS)
    assert ranges.drawn == () and ranges.description == "no uncertain input drawn"
    for r in ranges.ranges:
        assert r.p10_usd == r.p90_usd == small_api_tco.by_platform(r.platform).aws_monthly_usd


def test_drawn_costs_at_the_extremes_are_the_low_and_high_levels(small_api_tco, bundled_book):
    quantiles = {f.name: np.array([0.0, 1.0]) for f in OPERATIONS_FACTORS}
    drawn = drawn_costs(small_api_tco, quantiles, 2)
    def at(level):
        operations = Operations(overhead_level=level)
        return tco(small_api_tco.scenario.model_copy(update={"operations": operations}), bundled_book)

    low, high = at(OverheadLevel.LOW), at(OverheadLevel.HIGH)
    for platform, values in drawn.items():
        assert values == pytest.approx([low.by_platform(platform).tco_monthly_usd,
                                        high.by_platform(platform).tco_monthly_usd])


def test_operations_quantiles_never_repeat_the_inputs_stream():
    quantiles = operations_quantiles(5, 1)
    inputs = np.random.default_rng(1).uniform(0, 1, 5)
    assert all(not np.allclose(q, inputs) for q in quantiles.values())


def test_monte_carlo_draws_inputs_and_operations_together(small_api_tco, bundled_book):
    scenario = small_api_tco.scenario
    evaluator = CostEvaluator(bundled_book)
    rate = {"operations.engineer_rate_usd_per_hour": Uniform(65, 150)}
    both = simulate(scenario, evaluator, rate, samples=60, seed=2, operations=True)
    rate_only = simulate(scenario, evaluator, rate, samples=60, seed=2)
    assert both.inputs["operations.engineer_rate_usd_per_hour"] == pytest.approx(
        rate_only.inputs["operations.engineer_rate_usd_per_hour"])  # the same input draws either way
    fargate = Platform.ECS_FARGATE
    assert not np.allclose(both.monthly_usd[fargate], rate_only.monthly_usd[fargate])
    assert both.cost_ranges().drawn == ("operations.engineer_rate_usd_per_hour", OPERATIONS_RANGES)
    alone = simulate(scenario, evaluator, {}, samples=2000, seed=0, operations=True)
    assert alone.ranges == tco_ranges(small_api_tco).ranges  # no input: the vectorized draws on the priced bill


def test_evaluator_reuses_the_bill_when_only_the_operations_change(small_api_tco, bundled_book):
    evaluator = CostEvaluator(bundled_book)
    first = evaluator.result(small_api_tco.scenario)
    dearer = small_api_tco.scenario.model_copy(update={"operations": Operations(engineer_rate_usd_per_hour=150)})
    again = evaluator.result(dearer)
    assert again.estimate is first.estimate  # not priced again
    plain = tco(dearer, bundled_book)
    for p in plain.platforms:
        assert again.by_platform(p.platform).tco_monthly_usd == pytest.approx(p.tco_monthly_usd, rel=1e-12)


def test_an_assessment_reuses_the_recommendation_it_is_given(small_api_tco, bundled_book):
    """The app's report downloads reuse the Compare page's recommendation (ranges and replica search included)."""
    from advisor.analysis.assessment import assess
    from advisor.decision.recommend import recommend

    rec = recommend(small_api_tco, solve_replicas=False)
    given = assess(small_api_tco.scenario, bundled_book, result=small_api_tco, recommendation=rec, base_samples=64)
    assert given.recommendation is rec and given.ranges is rec.ranges and given.sensitivity is not None
    fresh = assess(small_api_tco.scenario, bundled_book, result=small_api_tco, solve_replicas=False, base_samples=64)
    assert fresh.ranges == rec.ranges and fresh.sensitivity == given.sensitivity
