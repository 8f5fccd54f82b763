"""Global sensitivity: Sobol indices of the gap between the two best platforms, over every uncertain input."""

import numpy as np
import pytest

from advisor.analysis.evaluator import CostEvaluator
from advisor.analysis.global_sensitivity import sobol_ranking
from advisor.analysis.montecarlo import LogNormal, Triangular, TruncatedNormal, Uniform
from advisor.analysis.parameters import InvalidAnalysis
from advisor.decision.tco import Metric, tco
from advisor.operations.factors import OPERATIONS_FACTORS, TEAM
from advisor.workload.operations_inputs import ActivityOverride, Operations
from advisor.workload.scenario import Platform


@pytest.mark.parametrize("dist", [Uniform(2, 7), Triangular(1, 2, 6), TruncatedNormal(10, 3, 5, 20),
                                  LogNormal(4, 0.5)])
def test_each_distribution_s_ppf_is_its_quantile_function(dist):
    """The Sobol design maps unit-cube points through ``ppf``: it must match the sampler's quantiles."""
    draws = dist.sample(np.random.default_rng(0), 200_000)
    q = np.array([0.05, 0.25, 0.5, 0.75, 0.95])
    assert dist.ppf(q) == pytest.approx(np.quantile(draws, q), rel=0.02)


def test_ranking_is_by_total_index_and_covers_every_operations_factor(small_api_tco):
    ranking = sobol_ranking(small_api_tco, base_samples=256)
    assert (ranking.best, ranking.runner_up) == (Platform.ECS_FARGATE, Platform.ECS_MANAGED)
    assert ranking.runs == 256 * (len(OPERATIONS_FACTORS) + 2)
    assert {i.name for i in ranking.indices} == {f.name for f in OPERATIONS_FACTORS}
    totals = [i.total for i in ranking.indices]
    assert totals == sorted(totals, reverse=True)
    assert ranking.indices[0].name == TEAM.name  # a team's speed moves the runner-up's extra hours most
    assert sum(i.first_order for i in ranking.indices) == pytest.approx(1.0, abs=0.15)
    assert ranking == sobol_ranking(small_api_tco, base_samples=256)  # the seed repeats it, intervals included


def test_an_input_the_team_fixed_decides_nothing(small_api_tco):
    """Overriding node-patching's frequency on every platform takes it out of the draws: its index is ~0.

    On ECS on Fargate against ECS on EC2, where the patch policy matters (ECS Managed Instances, the
    runner-up on all six, is patched by AWS on a fixed cadence).
    """
    pair = (Platform.ECS_FARGATE, Platform.ECS_EC2)
    fixed = small_api_tco.scenario.model_copy(update={"operations": Operations(overrides=(
        ActivityOverride(activity="node-patching", frequency_per_year=12),))})
    drawn = {i.name: i for i in sobol_ranking(tco(small_api_tco.scenario, small_api_tco.prices, pair),
                                              base_samples=256).indices}
    held = {i.name: i for i in sobol_ranking(tco(fixed, small_api_tco.prices, pair), base_samples=256).indices}
    assert drawn["node-patching.frequency"].total > 0.1
    assert abs(held["node-patching.frequency"].total) < 0.01 and abs(held["node-patching.frequency"].first_order) < 0.01


def test_a_single_drawn_input_explains_all_of_the_bill_gap(small_api_tco, bundled_book):
    """AWS bill only, one input that moves it: S1 = ST = 1 (the analytic case)."""
    ranking = sobol_ranking(small_api_tco, Metric.AWS, inputs={"replicas_scale": Uniform(0.5, 3)},
                            evaluator=CostEvaluator(bundled_book, Metric.AWS), base_samples=64)
    (index,) = ranking.indices
    assert index.name == "replicas_scale" and ranking.gap_sd_usd > 0
    assert index.total == pytest.approx(1.0, abs=0.1) and index.first_order == pytest.approx(1.0, abs=0.1)


def test_inputs_are_ranked_with_the_operations_factors(small_api_tco, bundled_book):
    ranking = sobol_ranking(small_api_tco, inputs={"operations.engineer_rate_usd_per_hour": Uniform(65, 150)},
                            evaluator=CostEvaluator(bundled_book), base_samples=32)
    names = [i.name for i in ranking.indices]
    assert "operations.engineer_rate_usd_per_hour" in names and TEAM.name in names
    rate = next(i for i in ranking.indices if i.name == "operations.engineer_rate_usd_per_hour")
    assert rate.label == rate.name and rate.total > 0.05


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"metric": Metric.AWS}, "inputs"),
    ({"base_samples": 100}, "base_samples"),
    ({"base_samples": 4}, "base_samples"),
    ({"inputs": {"replicas_scale": Uniform(1, 2)}}, "evaluator"),
])
def test_bad_requests_name_the_field(small_api_tco, kwargs, field):
    with pytest.raises(InvalidAnalysis, match=field):
        sobol_ranking(small_api_tco, **kwargs)


def test_one_platform_has_nothing_to_rank(small_api_tco, bundled_book):
    alone = tco(small_api_tco.scenario, bundled_book, (Platform.ECS_FARGATE,))
    with pytest.raises(InvalidAnalysis, match="at least two platforms"):
        sobol_ranking(alone)


def test_drawn_inputs_are_priced_on_the_two_platforms_alone_on_every_core(small_api_tco, bundled_book):
    """The ranking of pricing every platform, one variant at a time, from the pair's estimates spread over workers."""
    inputs = {"replicas_scale": Uniform(1, 3), "traffic.nat_processed_gb_per_month": Uniform(0, 500)}
    asked = []

    class Recording(CostEvaluator):
        def result(self, scenario, *, workers=1):
            asked.append(scenario.platforms)
            return super().result(scenario, workers=workers)

    pair = sobol_ranking(small_api_tco, inputs=inputs, evaluator=Recording(bundled_book), base_samples=16)
    assert set(asked) == {(pair.best, pair.runner_up)} and len(asked) > 16
    everything = sobol_ranking(small_api_tco, inputs=inputs, base_samples=16,
                               evaluator=CostEvaluator(bundled_book, platforms=tuple(Platform)))
    on_two_cores = sobol_ranking(small_api_tco, inputs=inputs, base_samples=16,
                                 evaluator=CostEvaluator(bundled_book, workers=2))
    assert pair == everything == on_two_cores
