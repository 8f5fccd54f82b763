"""Tornado data: gaps at low/high on a cost model with known answers, default inputs, bad input."""

from pathlib import Path

import pytest

from advisor.analysis.evaluator import CostEvaluator
from advisor.analysis.parameters import InvalidAnalysis, ParameterSpace
from advisor.analysis.sensitivity import default_inputs, sensitivity
from advisor.workload.scenario import Platform, Replicas, Scenario, Service, Traffic
from advisor.workload.spec_io import parse_scenario
from pricing.active import load_pricebook

A, B, C = Platform.ECS_EC2, Platform.ECS_FARGATE, Platform.EKS_AUTO
BASE = Scenario(name="t", services=(Service(name="api", vcpu=1, memory_gib=2, replicas=Replicas(min=2, max=2)),),
                traffic=Traffic(nat_processed_gb_per_month=100, logs_ingested_gb_per_month=40))


def model(scenario: Scenario) -> dict[Platform, float]:
    """A = 1000 + 3·NAT GB; B = 1200 + NAT GB + 10·log GB; C far behind. Base: A 1300, B 1700, gap 400."""
    nat, logs = scenario.traffic.nat_processed_gb_per_month, scenario.traffic.logs_ingested_gb_per_month
    return {A: 1000 + 3 * nat, B: 1200 + nat + 10 * logs, C: 5000.0}


def test_bars_hold_the_gap_at_each_end_sorted_by_swing():
    tornado = sensitivity(BASE, model, {"traffic.nat_processed_gb_per_month": (0, 400),
                                        "traffic.logs_ingested_gb_per_month": (20, 60)})
    assert (tornado.best, tornado.runner_up, tornado.base_gap_usd) == (A, B, 400)
    nat, logs = tornado.bars
    # gap = B − A = 200 − 2·NAT + 10·logs
    assert (nat.parameter, nat.low_gap_usd, nat.high_gap_usd, nat.swing_usd) == (
        "traffic.nat_processed_gb_per_month", 600, -200, 800)
    assert nat.flips and nat.base_value == 100
    assert (logs.low_gap_usd, logs.high_gap_usd, logs.swing_usd, logs.flips) == (200, 600, 400, False)


def test_default_inputs_are_scenario_wide_nonzero_values_plus_minus_twenty_percent():
    shop = parse_scenario((Path(__file__).parents[2] / "examples" / "microservices.yaml").read_text())
    inputs = default_inputs(ParameterSpace(shop))
    assert inputs["replicas_scale"] == pytest.approx((0.8, 1.2))
    assert inputs["traffic.nat_processed_gb_per_month"] == pytest.approx((240, 360))
    assert inputs["ec2.target_utilization"] == pytest.approx((0.68, 1.0))        # clamped to its maximum
    assert inputs["traffic.availability_zones"] == (2, 4)                        # whole numbers, one step at least
    assert inputs["operations.team_size"] == (1, 3)
    assert "purchase.spot_share" not in inputs                                   # 0: no ±20 % to take
    assert not any(name.startswith(("services.", "jobs.", "environments.")) for name in inputs)


def test_default_run_uses_the_default_inputs():
    tornado = sensitivity(BASE, model)
    assert [b.parameter for b in tornado.bars][:2] == ["traffic.logs_ingested_gb_per_month",
                                                       "traffic.nat_processed_gb_per_month"]
    swings = [b.swing_usd for b in tornado.bars]
    assert swings == sorted(swings, reverse=True)


def test_bad_input_is_a_clear_error():
    with pytest.raises(InvalidAnalysis, match=r"traffic.nat_processed_gb_per_month: \(5, 5\) .* low < high"):
        sensitivity(BASE, model, {"traffic.nat_processed_gb_per_month": (5, 5)})
    with pytest.raises(InvalidAnalysis, match="parameter: 'nat'"):
        sensitivity(BASE, model, {"nat": (0, 1)})
    with pytest.raises(InvalidAnalysis, match=r"inputs: \{\} is not allowed"):
        sensitivity(BASE, model, {})
    with pytest.raises(InvalidAnalysis, match=r"relative_change: 1\.5"):
        sensitivity(BASE, model, relative_change=1.5)
    with pytest.raises(InvalidAnalysis, match="at least two platforms"):
        sensitivity(BASE, lambda s: {A: 1.0}, {"traffic.nat_processed_gb_per_month": (0, 1)})


def test_the_ends_are_priced_on_the_two_best_platforms_only():
    asked = []

    def recorded(scenario: Scenario) -> dict[Platform, float]:
        asked.append(scenario.platforms)
        return model(scenario)

    tornado = sensitivity(BASE, recorded, {"traffic.nat_processed_gb_per_month": (0, 400)})
    assert tornado.bars[0].low_gap_usd == 600
    assert asked[0] == BASE.platforms and asked[1:] == [(A, B), (A, B)]


def test_pricing_the_pair_alone_gives_the_tornado_of_pricing_every_platform():
    shop = parse_scenario((Path(__file__).parents[2] / "examples" / "small-api.yaml").read_text())
    book = load_pricebook(None)
    everything = CostEvaluator(book, platforms=tuple(Platform))   # ignores a variant's own list
    assert sensitivity(shop, CostEvaluator(book)) == sensitivity(shop, everything)
