"""Operations ranges: the distributions, per-node effort from the placement's nodes, the drawn factors."""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.costs.estimate import estimate
from advisor.errors import InvalidWorkload
from advisor.operations.activities import PROFILES
from advisor.operations.factors import OPERATIONS_FACTORS, TEAM, Field, effective_quantiles
from advisor.operations.overhead import drawn_monthly_hours, fleet_nodes, overhead
from advisor.operations.ranges import End, Range, Tag, assumed, fixed
from advisor.workload.operations_inputs import Activity, ActivityOverride, Operations, OverheadLevel
from advisor.workload.scenario import Platform
from advisor.workload.spec_io import parse_scenario
from advisor.workload.units import HOURS_PER_MONTH
from pricing.active import load_pricebook

E2, FG, EKS, EFG, AUTO = (Platform.ECS_EC2, Platform.ECS_FARGATE, Platform.EKS_EC2, Platform.EKS_FARGATE,
                          Platform.EKS_AUTO)
ROOT = Path(__file__).parents[2]


@given(q=st.lists(st.floats(0, 1), min_size=2, max_size=20), level=st.sampled_from(list(OverheadLevel)))
def test_draws_stay_in_the_range_and_grow_with_the_quantile(q, level):
    rng = Range(End(8, Tag.DERIVED), End(20, Tag.DERIVED), End(60, Tag.DERIVED))
    values = rng.ppf(np.sort(np.array(q)), level)
    assert np.all(values >= 8 - 1e-9) and np.all(values <= 60 + 1e-9)
    assert np.all(np.diff(values) >= -1e-9)


def test_the_ends_are_the_extreme_quantiles_and_a_log_symmetric_range_has_its_point_as_median():
    rng = assumed(3)  # 1.5 / 3 / 6: ×0.5 and ×2 are symmetric on a log scale
    assert rng.ppf(np.array([0.0, 0.5, 1.0])) == pytest.approx([1.5, 3.0, 6.0])
    assert rng.ppf(np.array([0.0, 1.0]), OverheadLevel.LOW) == pytest.approx([1.5, 6.0])
    assert fixed(4, Tag.DERIVED).ppf(np.array([0.1, 0.9])) == pytest.approx([4, 4])


@pytest.mark.parametrize("values", [(3, 2, 5), (0, 1, 2), (-1, 0, 1)])
def test_a_range_out_of_order_or_from_zero_is_refused(values):
    with pytest.raises(InvalidWorkload, match="low <= most likely <= high"):
        Range(*(End(v, Tag.ASSUMPTION) for v in values))


def test_assumed_ends_say_why():
    rng = assumed(2)
    assert (rng.low.value, rng.mode.value, rng.high.value) == (1, 2, 4)
    assert "sources doc §1.5" in rng.low.why and "first-year team" in rng.high.why
    assert {rng.low.tag, rng.mode.tag, rng.high.tag} == {Tag.ASSUMPTION}


@given(nodes=st.floats(0, 500), clusters=st.integers(1, 10), platform=st.sampled_from([E2, EKS, AUTO]),
       level=st.sampled_from(list(OverheadLevel)))
def test_per_node_hours_add_frequency_times_hours_per_node_times_nodes(nodes, clusters, platform, level):
    ops = Operations(overhead_level=level)
    base, more = overhead(platform, ops, clusters, 0.0), overhead(platform, ops, clusters, nodes)
    expected = sum(c.frequency_per_year.at(level) * c.per_node_hours.at(level) * nodes / 12
                   for c in PROFILES[platform].values())
    assert more.per_node_monthly_hours == pytest.approx(expected)
    assert more.fixed_monthly_hours == pytest.approx(base.monthly_hours)
    assert more.monthly_hours == pytest.approx(more.fixed_monthly_hours + more.per_node_monthly_hours)


def test_fargate_has_no_per_node_work_and_managed_nodes_a_quarter_of_self_managed():
    """AWS's calculator: 2 h per self-managed instance a month, 0.5 h per managed one [A1]: 4 : 1."""
    for platform in (FG, EFG):
        assert all(c.per_node_hours.high.value == 0 for c in PROFILES[platform].values())
    self_managed = overhead(E2, Operations(), 1, 40).per_node_monthly_hours
    assert self_managed == pytest.approx(40 * 0.5)  # 0.25 h a roll × 12 + 0.25 h a review × 12, ÷ 12
    assert overhead(AUTO, Operations(), 1, 40).per_node_monthly_hours == pytest.approx(self_managed / 4)
    assert overhead(EKS, Operations(), 1, 40).per_node_monthly_hours == pytest.approx(self_managed)


def test_the_row_shows_its_per_node_part_and_its_ranges():
    row = overhead(E2, Operations(), 2, 36).row(Activity.NODE_PATCHING)
    assert row.formula == "12/yr × (3 h + 1 h × 1 extra cluster + 0.25 h × 36 nodes) ÷ 12 = 13 h/month × $90/h"
    assert (row.fixed_monthly_hours, row.per_node_monthly_hours) == pytest.approx((4.0, 9.0))
    assert row.ranges_text == ("frequency 4 / 12 / 26 per year; hours 1.5 / 3 / 6; per extra cluster 0.5 / 1 / 2; "
                               "per node 0.05 / 0.25 / 1 (low / most likely / high)")
    assert row.hours_tag is Tag.ASSUMPTION and "A1" in row.citations


def test_a_per_node_override_replaces_the_range():
    ops = Operations(overrides=(ActivityOverride(activity="capacity-tuning", platform="ecs-ec2", per_node_hours=1),))
    row = overhead(E2, ops, 1, 10).row(Activity.CAPACITY_TUNING)
    assert row.per_node_monthly_hours == pytest.approx(10.0)
    assert row.per_node.is_fixed and row.tag is Tag.USER


@pytest.mark.parametrize("nodes", [-1, float("nan"), float("inf"), True])
def test_nodes_must_be_a_finite_number_of_at_least_zero(nodes):
    with pytest.raises(InvalidWorkload, match="nodes"):
        overhead(E2, Operations(), 1, nodes)


def test_fleet_nodes_are_the_placements_node_hours_over_a_month():
    scenario = parse_scenario((ROOT / "examples" / "microservices.yaml").read_text(), "microservices")
    result = estimate(scenario, load_pricebook(None), (E2, FG))
    ec2 = next(e for e in result.estimates if e.platform is E2)
    node_hours = sum(n * p.hours for p in ec2.placements for _, n in p.node_counts)
    assert fleet_nodes(ec2) == pytest.approx(node_hours / HOURS_PER_MONTH) and fleet_nodes(ec2) > 3
    assert fleet_nodes(next(e for e in result.estimates if e.platform is FG)) == 0


def test_every_ranged_field_is_one_factor_and_the_team_factor_closes_the_list():
    names = [f.name for f in OPERATIONS_FACTORS]
    assert len(names) == len(set(names)) and OPERATIONS_FACTORS[-1] is TEAM
    assert "version-upgrades.hours" in names and "node-patching.per_node_hours" in names
    assert "skills-upkeep.frequency" not in names  # a month is a month: a fixed frequency is not drawn
    assert TEAM.label.startswith("team maturity")


@pytest.mark.parametrize(("quantile", "level"), [(0.0, OverheadLevel.LOW), (1.0, OverheadLevel.HIGH)])
def test_all_quantiles_at_an_extreme_give_the_level_of_that_end(quantile, level):
    quantiles = {f.name: np.full(3, quantile) for f in OPERATIONS_FACTORS}
    for platform in Platform:
        drawn = overhead(platform, Operations(), 2, 12).monthly_hours_at(effective_quantiles(quantiles), 3)
        assert drawn == pytest.approx([overhead(platform, Operations(overhead_level=level), 2, 12).monthly_hours] * 3)


@given(seed=st.integers(0, 2**32 - 1), platform=st.sampled_from(list(Platform)),
       level=st.sampled_from(list(OverheadLevel)), draws=st.integers(1, 5))
def test_all_rows_read_at_once_equal_each_range_read_on_its_own(seed, platform, level, draws):
    """Reading every row's ranges in one pass gives the formula of the module docstring, range by range."""
    rows = overhead(platform, Operations(overhead_level=level), 3, 17.5).rows
    rng = np.random.default_rng(seed)
    quantiles = {f.name: rng.random(draws) for f in OPERATIONS_FACTORS[:-1] if rng.random() < 0.7}
    drawn = drawn_monthly_hours(rows, quantiles, draws)

    def read(r, field: Field, activity: Activity):
        q = quantiles.get(f"{activity.value}.{field.value}")
        return r.at(level) if q is None or r.is_fixed else r.ppf(q, level)

    for row, hours in zip(rows, drawn, strict=True):
        a = row.activity
        expected = read(row.frequency, Field.FREQUENCY, a) * (
            read(row.hours, Field.HOURS, a) * row.engineers + read(row.extra_cluster, Field.HOURS, a) * (
                row.clusters - 1) + read(row.per_node, Field.PER_NODE, a) * row.nodes) / 12
        assert hours.shape == (draws,)
        assert hours == pytest.approx(np.broadcast_to(expected, (draws,)), rel=1e-12)


def test_without_quantiles_the_draw_is_the_point():
    est = overhead(EKS, Operations(), 3, 20)
    assert est.monthly_hours_at({}, 4) == pytest.approx([est.monthly_hours] * 4)


def test_the_team_factor_moves_every_activity_s_hours_together_but_not_frequencies():
    low_team = effective_quantiles({TEAM.name: np.array([0.05])})
    for factor in OPERATIONS_FACTORS[:-1]:
        if factor.field is Field.FREQUENCY:
            assert factor.name not in low_team
        else:
            assert low_team[factor.name][0] < 0.5  # a fast team pulls every activity's hours down
    mixed = effective_quantiles({TEAM.name: np.array([0.5]), "incidents.hours": np.array([0.9])})
    assert 0.5 < mixed["incidents.hours"][0] < 0.9


def test_every_platform_has_an_operations_profile():
    """A new platform needs its one PROFILES entry (and its complexity counts) before it can be priced."""
    assert set(PROFILES) == set(Platform)
    for platform, profile in PROFILES.items():
        assert Activity.INITIAL_SETUP in profile and Activity.SKILLS_UPKEEP in profile, platform
