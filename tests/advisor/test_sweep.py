"""Break-even sweeps: crossings found on curves with known roots, ties, gaps, integer steps, bad ranges."""

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.analysis.evaluator import CostEvaluator, Metric
from advisor.analysis.parameters import InvalidAnalysis, ParameterSpace
from advisor.analysis.sweep import sweep, sweep_values
from advisor.workload.scaling import replica_breakpoints, step_boundaries, step_boundary
from advisor.workload.scenario import Platform, Replicas, Scenario, Service
from advisor.workload.spec_io import parse_scenario
from pricing.active import load_pricebook

A, B, C = Platform.ECS_EC2, Platform.ECS_FARGATE, Platform.EKS_EC2
NAT = "traffic.nat_processed_gb_per_month"
CLOUDMAP = "traffic.service_discovery_instances"   # an integer field
BASE = Scenario(name="t", services=(Service(name="api", vcpu=1, memory_gib=2, replicas=Replicas(min=1, max=1)),))
GRID = [0.0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]


def nat(scenario: Scenario) -> float:
    return scenario.traffic.nat_processed_gb_per_month


def three_curves(scenario: Scenario) -> dict[Platform, float]:
    """A = 100 + 2x and B = 150 + x cross at x = 50; C = x²/10 crosses A at 10 + √1100, B at 5 + √1525."""
    x = nat(scenario)
    return {A: 100 + 2 * x, B: 150 + x, C: x * x / 10}


def pair(result, below, above):
    [crossing] = [c for c in result.crossings if {c.below, c.above} == {below, above}]
    return crossing


def test_linear_curves_cross_where_algebra_says():
    result = sweep(BASE, three_curves, NAT, [0, 20, 35, 65, 100])
    crossing = pair(result, A, B)
    assert (crossing.below, crossing.above) == (A, B)          # A is cheaper below 50
    assert crossing.value == pytest.approx(50) and crossing.monthly_usd == pytest.approx(200)
    assert crossing.bracket == (35.0, 65.0) and not crossing.is_refined


def test_curved_crossing_is_approximate_until_refined_by_bisection():
    root = 10 + math.sqrt(1100)   # x²/10 = 100 + 2x
    coarse = pair(sweep(BASE, three_curves, NAT, GRID), A, C)
    assert coarse.value != pytest.approx(root, abs=0.1) and 40 <= coarse.value <= 50
    refined = pair(sweep(BASE, three_curves, NAT, GRID, refine=True, tolerance=1e-6), A, C)
    assert refined.is_refined and refined.value == pytest.approx(root, abs=1e-5)
    assert (refined.below, refined.above) == (C, A) and refined.monthly_usd == pytest.approx(100 + 2 * root)


def test_winner_changes_are_the_crossings_of_the_cheapest_platforms():
    result = sweep(BASE, three_curves, NAT, GRID)
    assert result.cheapest()[:5] == (C,) * 5 and result.cheapest()[-1] is B
    changes = [(c.below, c.above) for c in result.winner_changes()]
    assert changes == [(C, A), (A, B)]   # C until ~43, A until the tie at 50, then B
    assert len(result.crossings) == 3


def test_a_tie_on_a_grid_point_is_one_crossing_there():
    crossing = pair(sweep(BASE, three_curves, NAT, GRID), A, B)
    assert crossing.value == 50 and crossing.bracket == (40.0, 60.0)


def test_touching_curves_do_not_cross():
    def touch(scenario):
        x = nat(scenario)
        return {A: (x - 50) ** 2 + 100, B: 100.0}
    assert sweep(BASE, touch, NAT, GRID).crossings == ()


def test_no_crossing_is_bridged_over_a_point_a_platform_cannot_run():
    def gap(scenario):
        x = nat(scenario)
        return {A: x, **({B: 50.0} if x != 50 else {})}
    result = sweep(BASE, gap, NAT, GRID)
    assert math.isnan(result.monthly_usd[B][5]) and result.crossings == ()
    assert result.cheapest()[5] is A


def test_integer_parameters_bisect_on_whole_numbers():
    """A costs 30 per started block of 4 instances: A < B = 100 up to 15, A > B from 16."""
    seen: list[float] = []

    def steps(scenario):
        n = scenario.traffic.service_discovery_instances
        seen.append(n)
        return {A: 30.0 * (n // 4), B: 100.0}
    crossing = pair(sweep(BASE, steps, CLOUDMAP, [0, 40], refine=True), A, B)
    assert all(float(v).is_integer() for v in seen)
    assert crossing.is_refined and 15 < crossing.value < 16   # between the last cheaper and first dearer count


def test_sweep_values_span_the_range_and_dedupe_whole_numbers():
    space = ParameterSpace(BASE)
    assert sweep_values(space.parameter(NAT), 0, 1, 5) == (0.0, 0.25, 0.5, 0.75, 1.0)
    assert sweep_values(space.parameter(CLOUDMAP), 0, 3, 10) == (0.0, 1.0, 2.0, 3.0)


@pytest.mark.parametrize(("start", "stop", "points", "match"), [
    (5, 1, 10, "from: 5 is not allowed; allowed: a value below 'to'"),
    (2, 2, 10, "the range is empty"),
    (0, 1, 1, "points: 1 is not allowed; allowed: an integer from 2"),
    (0, math.inf, 10, "to: inf"),
])
def test_bad_ranges_are_clear_errors(start, stop, points, match):
    with pytest.raises(InvalidAnalysis, match=match):
        sweep_values(ParameterSpace(BASE).parameter(NAT), start, stop, points)


def test_too_few_values_and_unknown_parameters():
    with pytest.raises(InvalidAnalysis, match="at least two distinct values"):
        sweep(BASE, three_curves, NAT, [3, 3])
    with pytest.raises(InvalidAnalysis, match=r"parameter: 'traffic\.nat'"):
        sweep(BASE, three_curves, "traffic.nat", [0, 1])


def test_real_model_egress_sweep_reprices_every_platform_alike():
    """Egress is a shared line: every platform's curve rises by the same amount, so nothing crosses."""
    scenario = parse_scenario((Path(__file__).parents[2] / "examples" / "small-api.yaml").read_text())
    result = sweep(scenario, CostEvaluator(load_pricebook(None), Metric.AWS), "traffic.internet_egress_gb_per_month",
                   [0, 5000, 10000])
    rises = {p: c[2] - c[0] for p, c in result.monthly_usd.items()}
    assert len(rises) == len(Platform)
    assert max(rises.values()) == pytest.approx(min(rises.values())) and min(rises.values()) > 0
    assert result.crossings == ()


@given(st.lists(st.tuples(st.lists(st.floats(0.01, 100), min_size=0, max_size=12, unique=True),
                          st.integers(0, 13)), min_size=1, max_size=6))
def test_searches_in_lockstep_end_where_each_alone_ends(cases):
    """step_boundaries asks about several searches per round; each answer is step_boundary's."""
    searches, thresholds = [], []
    for breakpoints, cut in cases:
        points = sorted(breakpoints)
        searches.append((0.0, 101.0, tuple(points)))
        thresholds.append(([0.0, *points, 101.0])[min(cut, len(points))])   # on the low side up to here
    asked_rounds = []

    def on_low_side(asked: list[tuple[int, float]]) -> list[bool]:
        asked_rounds.append(len(asked))
        return [x <= thresholds[i] for i, x in asked]

    together = step_boundaries(searches, on_low_side)
    alone = [step_boundary(lo, hi, steps, lambda x, t=t: x <= t)
             for (lo, hi, steps), t in zip(searches, thresholds, strict=True)]
    assert together == alone == thresholds
    assert len(asked_rounds) <= max(len(s[2]) for s in searches).bit_length() + 1


def test_replica_crossings_are_the_same_searched_in_parallel():
    """A replicas_scale sweep's crossings sit on a step, whether its searches run on one core or two."""
    scenario = parse_scenario((Path(__file__).parents[2] / "examples" / "small-api.yaml").read_text())
    book = load_pricebook(None)
    serial, parallel = (sweep(scenario, CostEvaluator(book, Metric.AWS, workers=w), "replicas_scale", [0.25, 1, 4, 16])
                        for w in (1, 2))
    assert serial == parallel and serial.crossings
    for crossing in serial.crossings:
        low, high = crossing.bracket
        assert crossing.value in (low, *replica_breakpoints(scenario, low, high))


def test_a_crossing_search_prices_only_its_pair_and_finds_what_pricing_every_platform_finds():
    """The grid is priced on every platform, each search on its two (each platform's estimate stands alone)."""
    scenario = parse_scenario((Path(__file__).parents[2] / "examples" / "small-api.yaml").read_text())
    book = load_pricebook(None)
    narrowed = CostEvaluator(book, Metric.AWS)
    asked: list[tuple[Platform, ...]] = []

    def recorded(variant: Scenario) -> dict[Platform, float]:
        asked.append(variant.platforms)
        return narrowed(variant)

    everything = CostEvaluator(book, Metric.AWS, platforms=tuple(Platform))   # ignores a variant's own list
    values = [0.25, 1, 4, 16]
    result = sweep(scenario, recorded, "replicas_scale", values)
    assert result == sweep(scenario, everything, "replicas_scale", values) and result.crossings
    searched = asked[len(values):]
    assert asked[:len(values)] == [scenario.platforms] * len(values)
    assert searched and all(len(platforms) == 2 for platforms in searched)
