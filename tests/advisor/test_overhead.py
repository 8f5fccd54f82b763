"""The operations model: worked outputs of the sources doc, arithmetic, tags and sources, levels, bad input."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from advisor.errors import InvalidWorkload
from advisor.operations.activities import ACTIVITY_INFO, PROFILES
from advisor.operations.complexity import (
    CONCEPTS,
    OWNED_ADD_ONS,
    PLATFORM_PARTS,
    SELF_MANAGED_KUBERNETES_SCORE,
    complexity,
)
from advisor.operations.overhead import cluster_count, overhead
from advisor.operations.ranges import Tag
from advisor.operations.sources import CITATIONS
from advisor.workload.operations_inputs import (
    BLS_SOFTWARE_DEVELOPER_MEDIAN_USD_PER_YEAR,
    DEFAULT_ENGINEER_RATE_USD_PER_HOUR,
    FTE_HOURS_PER_MONTH,
    PAID_HOURS_PER_YEAR,
    WAGES_SHARE_OF_EMPLOYER_COST,
    Activity,
    ActivityOverride,
    Operations,
    OverheadLevel,
)
from advisor.workload.scenario import Environment, Platform, Scenario, Service
from advisor.workload.spec_io import ScenarioError, dump_scenario, parse_scenario

E2, FG, EKS, EFG, AUTO = (Platform.ECS_EC2, Platform.ECS_FARGATE, Platform.EKS_EC2, Platform.EKS_FARGATE,
                          Platform.EKS_AUTO)
PLATFORM_ORDER = (E2, FG, EKS, EFG, AUTO)

# Sources doc, section 1.4 "Worked outputs (defaults; R = $90/h)": USD per month, rounded to the dollar.
WORKED_USD = {
    (1, 1): (1162, 482, 2605, 1582, 1355),
    (2, 2): (1635, 712, 3648, 2215, 1932),
    (4, 2): (2400, 993, 5192, 3030, 2638),
    (8, 3): (4020, 1642, 8552, 4885, 4273),
}
# ... and FTE fractions to two decimals.
WORKED_FTE = {
    (1, 1): (0.07, 0.03, 0.17, 0.10, 0.09),
    (8, 3): (0.26, 0.11, 0.55, 0.31, 0.27),
}
# Section 1.4, breakdown for C = 2, E = 2 (hours per month, one decimal): ECS-EC2 and EKS-MNG columns.
BREAKDOWN_C2_E2 = {
    Activity.VERSION_UPGRADES: (0, 6.5), Activity.NODE_PATCHING: (4.0, 3.0), Activity.ADD_ON_UPKEEP: (0.3, 3.3),
    Activity.CAPACITY_TUNING: (4.0, 5.0), Activity.SECURITY_RESPONSE: (1.0, 1.7), Activity.OBSERVABILITY: (2.0, 4.0),
    Activity.ACCESS_POLICY: (0.8, 2.0), Activity.OS_MIGRATION: (0.6, 0.6), Activity.INCIDENTS: (1.5, 3.3),
    Activity.SKILLS_UPKEEP: (2.0, 6.0), Activity.INITIAL_SETUP: (2.0, 5.1),
}


def _hours(estimate, activity):
    row = estimate.row(activity)
    return row.monthly_hours if row else 0.0


@pytest.mark.parametrize(("clusters", "team"), list(WORKED_USD))
def test_worked_outputs_of_the_sources_doc(clusters, team):
    ops = Operations(team_size=team)
    got = [overhead(p, ops, clusters).monthly_usd for p in PLATFORM_ORDER]
    assert got == pytest.approx(WORKED_USD[clusters, team], abs=0.51)  # the doc rounds half-dollars either way
    if (clusters, team) in WORKED_FTE:
        fte = [overhead(p, ops, clusters).fte_fraction for p in PLATFORM_ORDER]
        assert fte == pytest.approx(WORKED_FTE[clusters, team], abs=0.005)


def test_breakdown_by_activity_for_two_clusters_and_two_engineers():
    ops = Operations(team_size=2)
    ecs, eks = overhead(E2, ops, 2), overhead(EKS, ops, 2)
    for activity, (ecs_hours, eks_hours) in BREAKDOWN_C2_E2.items():
        assert (_hours(ecs, activity), _hours(eks, activity)) == pytest.approx((ecs_hours, eks_hours), abs=0.051)


def test_one_upgrade_row_by_hand():
    """EKS with nodes, 3 clusters: 3/yr × (20 h + 6 h × 2) / 12 = 8 h/month; at $120/h, $960."""
    row = overhead(EKS, Operations(engineer_rate_usd_per_hour=120), 3).row(Activity.VERSION_UPGRADES)
    assert row.monthly_hours == pytest.approx(8.0)
    assert row.monthly_usd == pytest.approx(960.0)
    assert row.formula == "3/yr × (20 h + 6 h × 2 extra clusters) ÷ 12 = 8 h/month × $120/h"


@given(rate=st.floats(0, 1000), clusters=st.integers(1, 40), team=st.integers(1, 50),
       platform=st.sampled_from(PLATFORM_ORDER), level=st.sampled_from(list(OverheadLevel)))
def test_hours_times_rate_annualization_and_fte(rate, clusters, team, platform, level):
    est = overhead(platform, Operations(engineer_rate_usd_per_hour=rate, team_size=team, overhead_level=level),
                   clusters)
    assert est.monthly_hours == pytest.approx(sum(r.monthly_hours for r in est.rows))
    assert est.monthly_usd == pytest.approx(est.monthly_hours * rate)
    assert est.annual_usd == pytest.approx(12 * est.monthly_usd)
    assert est.annual_hours == pytest.approx(sum(r.annual_hours for r in est.rows))
    assert est.fte_fraction == pytest.approx(est.monthly_hours / (2080 / 12))


@given(clusters=st.integers(1, 40), platform=st.sampled_from(PLATFORM_ORDER),
       level=st.sampled_from(list(OverheadLevel)))
def test_each_extra_cluster_adds_the_same_hours(clusters, platform, level):
    """Hours are affine in clusters: each extra cluster adds Σ frequency × extra-cluster hours / 12."""
    ops = Operations(overhead_level=level)
    cells = PROFILES[platform].values()
    step = sum(c.frequency_per_year.at(level) * c.extra_cluster_hours.at(level) for c in cells) / 12
    added = overhead(platform, ops, clusters + 1).monthly_hours - overhead(platform, ops, clusters).monthly_hours
    assert added == pytest.approx(step)
    assert step > 0


@given(team=st.integers(1, 50), platform=st.sampled_from(PLATFORM_ORDER))
def test_each_engineer_adds_their_skills_upkeep(team, platform):
    one_more = overhead(platform, Operations(team_size=team + 1), 2).monthly_hours
    assert one_more - overhead(platform, Operations(team_size=team), 2).monthly_hours == pytest.approx(
        overhead(platform, Operations(team_size=1), 1).row(Activity.SKILLS_UPKEEP).monthly_hours)


def test_fte_is_2080_paid_hours_a_year():
    assert round(FTE_HOURS_PER_MONTH, 2) == 173.33
    assert PAID_HOURS_PER_YEAR == 52 * 40


def test_default_rate_is_the_bls_wage_loaded_with_benefits():
    """$132,270 / 2,080 h / 0.702 ≈ $90.6 (sources doc 1.6 rounds to $90)."""
    derived = BLS_SOFTWARE_DEVELOPER_MEDIAN_USD_PER_YEAR / PAID_HOURS_PER_YEAR / WAGES_SHARE_OF_EMPLOYER_COST
    assert derived == pytest.approx(DEFAULT_ENGINEER_RATE_USD_PER_HOUR, rel=0.01)


@pytest.mark.parametrize("platform", PLATFORM_ORDER)
def test_every_default_carries_tags_a_reason_and_known_citations(platform):
    for activity, cell in PROFILES[platform].items():
        info = ACTIVITY_INFO[activity]
        assert info.reason and info.citations and set(info.citations) <= set(CITATIONS), activity
        for rng in (cell.frequency_per_year, cell.hours_per_occurrence, cell.extra_cluster_hours, cell.per_node_hours):
            for end in (rng.low, rng.mode, rng.high):
                assert end.tag in {Tag.SOURCED, Tag.DERIVED, Tag.ASSUMPTION}
                assert set(end.citations) <= set(CITATIONS), (activity, end)
    for row in overhead(platform, Operations(), 1).rows:
        assert row.tag in {Tag.DERIVED, Tag.ASSUMPTION} and row.source.startswith("[")


def test_version_upgrades_are_derived_from_the_release_cadence_and_a_practitioner_account():
    """3 minors a year [3], one minor per upgrade [57]; 20 h from 2–3 engineer-days per minor [41].

    The hours per extra cluster are an assumption, so a second cluster makes the row one.
    """
    row = overhead(EKS, Operations(), 1).row(Activity.VERSION_UPGRADES)
    assert (row.frequency_per_year, row.frequency_tag, row.hours_tag) == (3, Tag.DERIVED, Tag.DERIVED)
    assert {"1", "3", "57", "41"} <= set(row.citations)
    assert overhead(EKS, Operations(), 2).row(Activity.VERSION_UPGRADES).tag is Tag.ASSUMPTION


def test_ecs_has_no_version_upgrades_and_fargate_no_os_migration():
    for platform in (E2, FG):
        assert overhead(platform, Operations(), 1).row(Activity.VERSION_UPGRADES) is None
    for platform in (FG, EFG, AUTO):
        assert overhead(platform, Operations(), 1).row(Activity.OS_MIGRATION) is None
    for platform in (EKS, EFG, AUTO):
        assert overhead(platform, Operations(), 1).row(Activity.VERSION_UPGRADES) is not None


@pytest.mark.parametrize("platform", PLATFORM_ORDER)
@pytest.mark.parametrize("clusters", [1, 2, 5])
def test_low_default_high_are_ordered(platform, clusters):
    hours = [overhead(platform, Operations(overhead_level=level), clusters, 10).monthly_hours
             for level in (OverheadLevel.LOW, OverheadLevel.DEFAULT, OverheadLevel.HIGH)]
    assert hours[0] < hours[1] < hours[2]
    for cell in PROFILES[platform].values():
        for rng in (cell.frequency_per_year, cell.hours_per_occurrence, cell.extra_cluster_hours, cell.per_node_hours):
            assert rng.low.value <= rng.mode.value <= rng.high.value


def test_upgrade_ranges_follow_the_practitioner_anchors():
    """EKS with nodes: low 8 (+2) [43], most likely 20 (+6) [41], high 60 (+50) [42]; others keep their ratio."""
    upgrades = PROFILES[EKS][Activity.VERSION_UPGRADES]
    assert [e.value for e in (upgrades.hours_per_occurrence.low, upgrades.hours_per_occurrence.high)] == [8, 60]
    assert [e.value for e in (upgrades.extra_cluster_hours.low, upgrades.extra_cluster_hours.high)] == [2, 50]
    assert [e.citations for e in (upgrades.hours_per_occurrence.low, upgrades.hours_per_occurrence.mode,
                                  upgrades.hours_per_occurrence.high)] == [("43",), ("41",), ("42",)]
    auto = PROFILES[AUTO][Activity.VERSION_UPGRADES]
    assert (auto.hours_per_occurrence.mode.value, auto.extra_cluster_hours.mode.value) == (8, 2)
    assert auto.hours_per_occurrence.high.value == pytest.approx(8 * 3)
    assert auto.hours_per_occurrence.high.tag is Tag.ASSUMPTION  # an assumed ratio on a derived anchor
    patching = PROFILES[E2][Activity.NODE_PATCHING]
    assert (patching.hours_per_occurrence.low.value, patching.hours_per_occurrence.high.value) == (1.5, 6)


def test_add_on_hours_follow_the_owned_add_on_counts():
    """0.75 h per owned add-on per quarter: EKS with nodes owns 10, so 4 × 7.5 h a year."""
    for platform in PLATFORM_ORDER:
        row = overhead(platform, Operations(), 1).row(Activity.ADD_ON_UPKEEP)
        assert row.hours_per_occurrence == pytest.approx(0.75 * len(OWNED_ADD_ONS[platform]))
    assert len(OWNED_ADD_ONS[EKS]) == 10


def test_override_replaces_the_default_and_is_tagged_user():
    ops = Operations(overhead_level="high", overrides=(
        ActivityOverride(activity="node-patching", frequency_per_year=4),
        ActivityOverride(activity="node-patching", platform="eks-ec2", frequency_per_year=52, hours_per_occurrence=1),
    ))
    ecs = overhead(E2, ops, 1).row(Activity.NODE_PATCHING)
    assert (ecs.frequency_per_year, ecs.hours_per_occurrence) == (4, 6)  # hours still the high level (3 × 2)
    assert (ecs.frequency_tag, ecs.hours_tag, ecs.tag) == (Tag.USER, Tag.ASSUMPTION, Tag.USER)
    eks = overhead(EKS, ops, 1).row(Activity.NODE_PATCHING)
    assert (eks.frequency_per_year, eks.hours_per_occurrence) == (52, 1)  # the platform's own override wins
    assert eks.monthly_hours == pytest.approx(52 / 12)


def test_override_lowers_the_assumption_share():
    ops = Operations(overrides=(ActivityOverride(activity="skills-upkeep", hours_per_occurrence=1),))
    est = overhead(EKS, ops, 1)
    upgrades = est.row(Activity.VERSION_UPGRADES).monthly_hours  # derived at one cluster
    skills = est.row(Activity.SKILLS_UPKEEP)
    assert skills.tag is Tag.USER
    assert est.assumption_hours_share == pytest.approx(1 - (skills.monthly_hours + upgrades) / est.monthly_hours)
    plain = overhead(EKS, Operations(), 1)
    assert plain.assumption_hours_share == pytest.approx(1 - upgrades / plain.monthly_hours)
    assert overhead(E2, Operations(), 1).assumption_hours_share == 1.0


def test_cluster_count_is_environments_with_their_own_cluster():
    svc = Service(name="a", vcpu=1, memory_gib=1, replicas=1)
    envs = (Environment(name="prod"), Environment(name="staging", scale=0.25),
            Environment(name="dev", shared_cluster=True))
    assert cluster_count(Scenario(name="x", services=(svc,), environments=envs)) == 2
    shared = (Environment(name="prod", shared_cluster=True),)
    assert cluster_count(Scenario(name="x", services=(svc,), environments=shared)) == 1


@pytest.mark.parametrize(("operations", "expected"), [
    ("{engineer_rate_usd_per_hour: -5}",
     "operations.engineer_rate_usd_per_hour: Input should be greater than or equal to 0 (got -5)"),
    ("{engineer_rate_usd_per_hour: 150000}", "operations.engineer_rate_usd_per_hour: Input should be less than"),
    ("{team_size: 0}", "operations.team_size: Input should be greater than or equal to 1 (got 0)"),
    ("{overhead_level: extreme}", "operations.overhead_level: Input should be 'low', 'default' or 'high'"),
    ("{eks_upgrade_strategy: never}", "operations.eks_upgrade_strategy"),
    ("{overrides: [{activity: yoga, hours_per_occurrence: 1}]}", "operations.overrides[0].activity"),
    ("{overrides: [{activity: incidents, platform: nomad, hours_per_occurrence: 1}]}",
     "unknown platform 'nomad'; allowed: ecs-ec2, ecs-fargate, eks-ec2, eks-fargate, eks-auto"),
    ("{overrides: [{activity: incidents}]}", "an override needs frequency_per_year"),
    ("{overrides: [{activity: incidents, hours_per_occurrence: -1}]}",
     "operations.overrides[0].hours_per_occurrence: Input should be greater than or equal to 0"),
    ("{overrides: [{activity: incidents, hours_per_occurrence: 1}, {activity: incidents, frequency_per_year: 2}]}",
     "more than one override for incidents on every platform"),
    ("{engineer_rate: 90}", "operations.engineer_rate: Extra inputs are not permitted"),
])
def test_bad_operations_input_names_the_field(operations, expected):
    text = f"name: x\nservices: [{{name: a, vcpu: 1, memory_gib: 1, replicas: 1}}]\noperations: {operations}\n"
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text, "in.yaml")
    assert expected in str(err.value)


def test_operations_round_trip_through_a_scenario_file():
    text = ("name: x\nservices: [{name: a, vcpu: 1, memory_gib: 1, replicas: 1}]\noperations:\n"
            "  engineer_rate_usd_per_hour: 120\n  team_size: 3\n  overhead_level: low\n"
            "  eks_upgrade_strategy: defer-to-extended-support\n"
            "  overrides: [{activity: incidents, platform: eks-auto, frequency_per_year: 1}]\n")
    scenario = parse_scenario(text)
    assert scenario.operations.engineer_rate_usd_per_hour == 120
    assert scenario.operations.overrides[0].platform == "eks-auto"
    assert parse_scenario(dump_scenario(scenario)) == scenario


def test_override_of_an_activity_the_platform_lacks_is_an_error():
    ops = Operations(overrides=(ActivityOverride(activity="version-upgrades", platform="ecs-fargate",
                                                 hours_per_occurrence=5),))
    with pytest.raises(InvalidWorkload, match=r"operations.overrides\[0\].activity: 'version-upgrades'"):
        overhead(FG, ops, 1)


@pytest.mark.parametrize("clusters", [0, -1, 1.5, True])
def test_clusters_must_be_a_whole_number_of_at_least_one(clusters):
    with pytest.raises(InvalidWorkload, match="clusters"):
        overhead(E2, Operations(), clusters)


def test_negative_rate_in_python_names_the_field():
    with pytest.raises(ValidationError, match="engineer_rate_usd_per_hour"):
        Operations(engineer_rate_usd_per_hour=-1)


# --- complexity ------------------------------------------------------------------------

def test_complexity_scores_of_the_sources_doc():
    """Section 2: 3V + K + 2U + 5P gives ECS-FG 11, ECS-EC2 18, EKS-AUTO 36, EKS-FG 44, EKS-MNG 62."""
    scores = {p: complexity(p) for p in PLATFORM_ORDER}
    assert {p: s.total for p, s in scores.items()} == {FG: 11, E2: 18, AUTO: 36, EFG: 44, EKS: 62}
    assert [round(scores[p].scaled_0_100) for p in (FG, E2, AUTO, EFG, EKS)] == [13, 21, 41, 51, 71]
    assert SELF_MANAGED_KUBERNETES_SCORE == 3 * 17 + 25 + 2 * 3 + 5


@pytest.mark.parametrize("platform", PLATFORM_ORDER)
def test_complexity_components_are_visible_and_add_up(platform):
    score = complexity(platform)
    assert score.total == sum(c.value * c.weight for c in score.components)
    by_name = {c.name: c for c in score.components}
    assert by_name["add-ons you own"].items == OWNED_ADD_ONS[platform]
    assert by_name["platform parts you upgrade"].items == PLATFORM_PARTS[platform]
    assert by_name["concepts to learn"].value == len(CONCEPTS[platform]) == len(set(CONCEPTS[platform]))
    assert by_name["forced upgrades per year"].value == (3 if platform in (EKS, EFG, AUTO) else 0)
    assert all(c.reason for c in score.components)
