"""The activity table: each platform's operations profile, every number a sourced range.

Every activity costs ``frequency/yr × (hours × engineers + extra-cluster hours × (clusters − 1)
+ per-node hours × nodes) / 12`` hours a month (:mod:`advisor.operations.overhead`).  Each of
the four numbers is a :class:`~advisor.operations.ranges.Range` (low, most likely, high),
every end tagged sourced / derived / assumption with its citations (numbered as in
:data:`advisor.operations.sources.CITATIONS`: ``[n]`` from the sources doc, ``[A1]`` from the
anchors doc).  Most likely values are the sources doc's defaults (section 1.2); the ends are
published figures where there are any (upgrade effort, AMI cadence, AWS's own per-instance
calculator defaults) and the doc's ×0.5 / ×2 otherwise.

**Adding a platform is one entry of** :data:`PROFILES`: a mapping from its activities to
their cells (an activity it does not have is left out).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from advisor.operations.complexity import OWNED_ADD_ONS
from advisor.operations.ranges import ZERO, End, Range, Tag, anchored, assumed, fixed
from advisor.workload.operations_inputs import KUBERNETES_MINOR_RELEASES_PER_YEAR, MONTHS_PER_YEAR, Activity
from advisor.workload.platforms import Platform

#: The initial build is spread over a 3-year horizon (sources doc, section 1.1) [A].
SETUP_AMORTIZATION_MONTHS = 36
_A, _D = Tag.ASSUMPTION, Tag.DERIVED


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityInfo:
    """What an activity is, why it is counted as it is, and its sources (shared by every platform)."""

    reason: str
    citations: tuple[str, ...]
    is_per_engineer: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Cell:
    """One activity on one platform: its four ranges."""

    frequency_per_year: Range
    hours_per_occurrence: Range
    extra_cluster_hours: Range = ZERO
    per_node_hours: Range = ZERO


ACTIVITY_INFO: dict[Activity, ActivityInfo] = {
    Activity.VERSION_UPGRADES: ActivityInfo(
        reason="3 minor releases a year, one minor per upgrade, forced at end of support (control plane, add-ons, "
               "node roll, removed APIs, staging first); hours from practitioner accounts: two afternoons [43], "
               "2–3 engineer-days per minor on a 60-node cluster [41], 4–6 weeks across three regions [42]; Fargate "
               "×0.7 and Auto Mode ×0.4 for what AWS takes over; ECS has no versioned control plane",
        citations=("1", "3", "57", "41", "43", "42", "5", "28", "8", "9", "11")),
    Activity.NODE_PATCHING: ActivityInfo(
        reason="a roll of the latest AMI per patch policy (quarterly to every second AMI; monthly most likely) with "
               "ASG refresh + managed draining or the node-group drain, plus time per node rolled; Fargate: AWS "
               "patches, only a retirement notice now and then; Auto Mode: nodes live at most 21 days, time to watch "
               "drift and blocking PDBs; ECS Managed Instances: AWS patches and replaces the instances [60][61], the "
               "same watching; per-node ends from AWS's own calculator (2 h per self-managed instance a month, 0.5 h "
               "managed [A1])",
        citations=("12", "13", "15", "16", "20", "7", "55", "17", "8", "10", "60", "61", "A1")),
    Activity.ADD_ON_UPKEEP: ActivityInfo(
        reason="0.75 h per owned add-on per review outside version upgrades (owned add-ons counted from the docs: "
               "ECS 1, EKS with nodes 10, EKS Fargate 6, Auto Mode 3), reviewed twice a year to monthly "
               "(quarterly most likely; the controllers release about monthly)",
        citations=("6", "21", "22", "23", "24", "25", "8", "9")),
    Activity.CAPACITY_TUNING: ActivityInfo(
        reason="monthly capacity, autoscaling and right-sizing review; larger where you own node shapes (capacity "
               "providers, node groups, Karpenter NodePools), only task/pod sizes on Fargate, instance requirements on "
               "ECS Managed Instances [62] (with its node patching, AWS's calculator's 2 h a month fixed [A1]); plus "
               "time per node (instance types, scaling limits, utilization), ends from AWS's calculator [A1]",
        citations=("20", "23", "62", "A1")),
    Activity.SECURITY_RESPONSE: ActivityInfo(
        reason="out-of-band CVE response: 1–4 actionable advisories a year depending on how much of the stack you "
               "own (Kubernetes ships monthly patches; EKS patches the control plane); no source counts them",
        citations=("4b", "1", "16")),
    Activity.OBSERVABILITY: ActivityInfo(
        reason="agents, dashboards and alerts: ECS has Container Insights and awslogs, EKS needs an agent stack "
               "(CloudWatch Observability add-on, ADOT, Prometheus, Fluent Bit); no source gives hours",
        citations=("24",)),
    Activity.ACCESS_POLICY: ActivityInfo(
        reason="ECS: task and execution roles (ECS Managed Instances' infrastructure role and instance profile are "
               "set up once, as ECS on EC2's instance role); EKS adds RBAC, access entries, IRSA/Pod Identity, Pod "
               "Security Admission and NetworkPolicy",
        citations=("8",)),
    Activity.OS_MIGRATION: ActivityInfo(
        reason="node OS generation change such as the forced AL2→AL2023 move (EKS stopped AL2 AMIs on 26 Nov 2025, "
               "about 7 years after AL2 nodes shipped): once every 2 to 7 years, 3 days; only where you own nodes",
        citations=("26",)),
    Activity.INCIDENTS: ActivityInfo(
        reason="platform-caused incidents and on-call per cluster-year (so each extra cluster adds a full share); "
               "cross-checked against ~34 workdays a year on Kubernetes incidents in estates of 20+ clusters; ECS "
               "Managed Instances between Fargate and ECS on EC2: AWS replaces unhealthy instances [60], tasks still "
               "wait on instance capacity",
        citations=("39", "60")),
    Activity.SKILLS_UPKEEP: ActivityInfo(
        reason="hours a month per fluent engineer; surveys report Kubernetes complexity and skills as the top "
               "obstacles but give no hours",
        citations=("40", "38"), is_per_engineer=True),
    Activity.INITIAL_SETUP: ActivityInfo(
        reason="initial build amortized over 36 months; AWS's startup guidance: EKS takes days to weeks to first "
               "deploy, ECS on Fargate hours",
        citations=("46",)),
}

# --- the ranges the profiles share --------------------------------------------------------------

_MONTHLY = fixed(MONTHS_PER_YEAR, _A, why="one review a month")
_SETUPS_PER_YEAR = fixed(MONTHS_PER_YEAR / SETUP_AMORTIZATION_MONTHS, _A,
                         why="one build amortized over 36 months (sources doc §1.1)")
_UPGRADES_PER_YEAR = fixed(KUBERNETES_MINOR_RELEASES_PER_YEAR, _D, "1", "3", "57",
                           why="3 minors a year [3], one minor per upgrade [57]")
#: EKS with managed node groups, first cluster [h]: two afternoons [43]; 2–3 engineer-days per
#: minor [41]; 4–6 weeks across three regions [42] = 60 h + 2 extra clusters × 50 h.
_UPGRADE_HOURS = anchored(End(8.0, _D, ("43",), "one engineer, two afternoons"),
                          End(20.0, _D, ("41",), "2–3 engineer-days per minor on a 60-node cluster"),
                          End(60.0, _D, ("42",), "4–6 weeks across three regions, with +50 h per extra cluster"))
_UPGRADE_EXTRA = anchored(End(2.0, _A, ("43",), "a repeat of a rehearsed runbook"),
                          End(6.0, _A, ("41",), "staging first, the same plan"),
                          End(50.0, _D, ("42",), "4–6 weeks across three regions"))


def _patch_policy(ami_source: str, releases: str) -> Range:
    """Node rolls a year: a patch policy, quarterly to every second AMI release."""
    return anchored(End(4.0, _A, (), "quarterly patch policy (sources doc §1.5)"),
                    End(12.0, _A, (ami_source,), "monthly patch policy (a typical patch SLA)"),
                    End(26.0, _D, (ami_source,), f"every second AMI release ({releases}); rolling more often "
                                                 "means automating the roll, so its hours fall"))


#: Hours per self-managed node and occurrence, for patching and for capacity care each [h].  AWS's
#: calculator puts 2 h per instance a month on a self-managed EC2 fleet [A1]: half of it on each
#: is the high end; the most likely value is a quarter of that, because the ASG, launch-template
#: and AMI work the calculator spreads per instance is counted here once per cluster.
_SELF_MANAGED_PER_NODE = anchored(End(0.05, _A, ("20",), "3 minutes a node: ASG refresh with managed draining"),
                                  End(0.25, _A, ("A1",), "a quarter of AWS's calculator default"),
                                  End(1.0, _D, ("A1",), "half of AWS's 2 h per self-managed instance a month"))
#: The same where AWS patches and replaces the nodes (Auto Mode, ECS Managed Instances): AWS's
#: calculator puts 0.5 h per managed instance a month [A1]; the ends keep its 4 : 1 ratio.
_MANAGED_PER_NODE = anchored(End(0.0125, _A, ("A1",), "a quarter of the self-managed low end"),
                             End(0.0625, _A, ("A1",), "a quarter of AWS's calculator default"),
                             End(0.25, _D, ("A1",), "half of AWS's 0.5 h per managed instance a month"))
_OS_MIGRATIONS = anchored(End(1 / 7, _D, ("26",), "AL2 nodes lasted about 7 years (2018–2025)"),
                          End(0.25, _A, ("26",), "once every ~4 years"),
                          End(0.5, _A, (), "every 2 years"))
_ADD_ON_REVIEWS = anchored(End(2.0, _A, (), "twice a year"), End(4.0, _A, (), "quarterly"),
                           End(12.0, _D, ("25",), "monthly: the controllers release about monthly"))
#: Add-on upkeep per owned add-on and review [h] (sources doc row 3) [A].
_ADD_ON_HOURS = assumed(0.75)
_ADD_ON_EXTRA = assumed(0.25)


def _upgrades(hours: float, extra: float, why: str) -> Cell:
    """Version upgrades with these most likely hours: the EKS-with-nodes ranges scaled by the ratio [A]."""
    first, more = _UPGRADE_HOURS.mode.value, _UPGRADE_EXTRA.mode.value
    if (hours, extra) == (first, more):
        return Cell(frequency_per_year=_UPGRADES_PER_YEAR, hours_per_occurrence=_UPGRADE_HOURS,
                    extra_cluster_hours=_UPGRADE_EXTRA)
    return Cell(frequency_per_year=_UPGRADES_PER_YEAR, hours_per_occurrence=_UPGRADE_HOURS.scaled(hours / first, why),
                extra_cluster_hours=_UPGRADE_EXTRA.scaled(extra / more, why))


def _add_ons(platform: Platform) -> Cell:
    count = len(OWNED_ADD_ONS[platform])
    return Cell(frequency_per_year=_ADD_ON_REVIEWS, hours_per_occurrence=_ADD_ON_HOURS.times(count),
                extra_cluster_hours=_ADD_ON_EXTRA.times(count))


def _monthly(hours: float, extra: float, per_node: Range = ZERO) -> Cell:
    return Cell(frequency_per_year=_MONTHLY, hours_per_occurrence=assumed(hours), extra_cluster_hours=assumed(extra),
                per_node_hours=per_node)


def _per_year(frequency: float, hours: float, extra: float) -> Cell:
    return Cell(frequency_per_year=assumed(frequency), hours_per_occurrence=assumed(hours),
                extra_cluster_hours=assumed(extra))


def _incidents(per_cluster_year: float, hours: float) -> Cell:
    """Incidents per cluster-year: each extra cluster adds a full share."""
    return _per_year(per_cluster_year, hours, hours)


def _setup(hours: float, extra: float) -> Cell:
    return Cell(frequency_per_year=_SETUPS_PER_YEAR, hours_per_occurrence=assumed(hours, "46"),
                extra_cluster_hours=assumed(extra, "46"))


def _skills(hours: float) -> Cell:
    return Cell(frequency_per_year=_MONTHLY, hours_per_occurrence=assumed(hours))


def _os_migration() -> Cell:
    return Cell(frequency_per_year=_OS_MIGRATIONS, hours_per_occurrence=assumed(24), extra_cluster_hours=assumed(4))


def _fargate_retirements() -> Cell:
    """AWS patches Fargate; a retirement notice now and then (AWS publishes no frequency) [A][16][17]."""
    return Cell(frequency_per_year=assumed(4), hours_per_occurrence=assumed(0.5))


Profile = Mapping[Activity, Cell]

#: Every platform's operations: its activities and their ranges.  One entry per platform.
PROFILES: dict[Platform, Profile] = {
    Platform.ECS_EC2: {
        Activity.NODE_PATCHING: Cell(frequency_per_year=_patch_policy("12", "ECS-optimized AMI: 57 in 2025"),
                                     hours_per_occurrence=assumed(3), extra_cluster_hours=assumed(1),
                                     per_node_hours=_SELF_MANAGED_PER_NODE),
        Activity.ADD_ON_UPKEEP: _add_ons(Platform.ECS_EC2),
        Activity.CAPACITY_TUNING: _monthly(3, 1, _SELF_MANAGED_PER_NODE),
        Activity.SECURITY_RESPONSE: _per_year(3, 3, 1),
        Activity.OBSERVABILITY: _monthly(1.5, 0.5),
        Activity.ACCESS_POLICY: _monthly(0.5, 0.25),
        Activity.OS_MIGRATION: _os_migration(),
        Activity.INCIDENTS: _incidents(3, 3),
        Activity.SKILLS_UPKEEP: _skills(1),
        Activity.INITIAL_SETUP: _setup(60, 12),
    },
    Platform.ECS_FARGATE: {
        Activity.NODE_PATCHING: _fargate_retirements(),
        Activity.ADD_ON_UPKEEP: _add_ons(Platform.ECS_FARGATE),
        Activity.CAPACITY_TUNING: _monthly(1, 0.5),
        Activity.SECURITY_RESPONSE: _per_year(1, 1, 0),
        Activity.OBSERVABILITY: _monthly(1, 0.25),
        Activity.ACCESS_POLICY: _monthly(0.5, 0.25),
        Activity.INCIDENTS: _incidents(1.5, 2),
        Activity.SKILLS_UPKEEP: _skills(1),
        Activity.INITIAL_SETUP: _setup(40, 8),
    },
    Platform.EKS_EC2: {
        Activity.VERSION_UPGRADES: _upgrades(20, 6, ""),
        Activity.NODE_PATCHING: Cell(frequency_per_year=_patch_policy("13", "EKS AMI: 38 in 2025"),
                                     hours_per_occurrence=assumed(2), extra_cluster_hours=assumed(1),
                                     per_node_hours=_SELF_MANAGED_PER_NODE),
        Activity.ADD_ON_UPKEEP: _add_ons(Platform.EKS_EC2),
        Activity.CAPACITY_TUNING: _monthly(4, 1, _SELF_MANAGED_PER_NODE),
        Activity.SECURITY_RESPONSE: _per_year(4, 4, 1),
        Activity.OBSERVABILITY: _monthly(3, 1),
        Activity.ACCESS_POLICY: _monthly(1.5, 0.5),
        Activity.OS_MIGRATION: _os_migration(),
        Activity.INCIDENTS: _incidents(5, 4),
        Activity.SKILLS_UPKEEP: _skills(3),
        Activity.INITIAL_SETUP: _setup(160, 24),
    },
    Platform.EKS_FARGATE: {
        Activity.VERSION_UPGRADES: _upgrades(14, 4, "about ×0.7: no node groups to roll [11]"),
        Activity.NODE_PATCHING: _fargate_retirements(),
        Activity.ADD_ON_UPKEEP: _add_ons(Platform.EKS_FARGATE),
        Activity.CAPACITY_TUNING: _monthly(1.5, 0.5),
        Activity.SECURITY_RESPONSE: _per_year(2, 2, 0.5),
        Activity.OBSERVABILITY: _monthly(2.5, 0.75),
        Activity.ACCESS_POLICY: _monthly(1.5, 0.5),
        Activity.INCIDENTS: _incidents(3, 3),
        Activity.SKILLS_UPKEEP: _skills(2.5),
        Activity.INITIAL_SETUP: _setup(120, 16),
    },
    Platform.EKS_AUTO: {
        Activity.VERSION_UPGRADES: _upgrades(8, 2, "about ×0.4: AWS upgrades the nodes and core add-ons [9]"),
        Activity.NODE_PATCHING: Cell(frequency_per_year=_MONTHLY, hours_per_occurrence=assumed(0.5),
                                     extra_cluster_hours=assumed(0.25), per_node_hours=_MANAGED_PER_NODE),
        Activity.ADD_ON_UPKEEP: _add_ons(Platform.EKS_AUTO),
        Activity.CAPACITY_TUNING: _monthly(2, 0.5, _MANAGED_PER_NODE),
        Activity.SECURITY_RESPONSE: _per_year(2, 2, 0.5),
        Activity.OBSERVABILITY: _monthly(2.5, 0.75),
        Activity.ACCESS_POLICY: _monthly(1.5, 0.5),
        Activity.INCIDENTS: _incidents(3, 3),
        Activity.SKILLS_UPKEEP: _skills(2.5),
        Activity.INITIAL_SETUP: _setup(80, 12),
    },
    # AWS provisions, patches, scales and replaces the instances [60][61]; AWS's own calculator for this
    # platform puts it at 2 h a month fixed + 0.5 h per instance [A1]: node patching and capacity tuning
    # are its fixed 2 h here (0.5 + 1.5), and its 0.5 h per instance is their per-node high end.
    Platform.ECS_MANAGED: {
        Activity.NODE_PATCHING: Cell(frequency_per_year=_MONTHLY,
                                     hours_per_occurrence=assumed(0.5, "60", "61", why="watch replacements and "
                                                                  "draining, as Auto Mode"),
                                     extra_cluster_hours=assumed(0.25, "60", "61"), per_node_hours=_MANAGED_PER_NODE),
        Activity.ADD_ON_UPKEEP: _add_ons(Platform.ECS_MANAGED),
        Activity.CAPACITY_TUNING: Cell(frequency_per_year=_MONTHLY,
                                       hours_per_occurrence=assumed(1.5, "A1", "62", why="AWS's calculator's 2 h a "
                                                                    "month fixed less node patching's 0.5 h; "
                                                                    "instance requirements, not node groups"),
                                       extra_cluster_hours=assumed(0.5), per_node_hours=_MANAGED_PER_NODE),
        Activity.SECURITY_RESPONSE: _per_year(1, 1, 0),
        Activity.OBSERVABILITY: _monthly(1, 0.25),
        Activity.ACCESS_POLICY: _monthly(0.5, 0.25),
        Activity.INCIDENTS: _incidents(2, 2),
        Activity.SKILLS_UPKEEP: _skills(1),
        Activity.INITIAL_SETUP: _setup(48, 10),
    },
}
