"""Activity-based operational overhead: engineer-hours a month to keep each platform running.

Every activity is ``frequency per year × (hours per occurrence × engineers + hours per
extra cluster × (clusters − 1)) / 12`` hours a month (sources doc, section 1.1):

- extra clusters cost less than the first: one plan and runbook is reused;
- incidents are per cluster-year, so their extra-cluster hours equal their hours;
- skills upkeep is per engineer (12 a year × hours a month per engineer);
- the initial build is amortized over 36 months: 1/3 of an occurrence a year.

Defaults come from ``shared/docs/overhead-model-sources.md`` (section 1.2).  Each carries
a tag for its frequency and for its hours: **sourced** (a source states it), **derived**
(computed from sourced data), **assumption** (no source gives it; the reason is stated).
Frequencies are mostly sourced; nearly all hours are assumptions.  The three overhead
levels scale the assumed hours by 0.5 / 1 / 2 (section 1.5); the upgrade row's low and
high come from practitioner anchors.  The team's overrides replace a default outright.

The result is kept apart from the AWS bill: its rows are engineer-hours, not AWS line items.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from advisor.errors import InvalidWorkload
from advisor.operations.complexity import OWNED_ADD_ONS
from advisor.workload.operations_inputs import (
    FTE_HOURS_PER_MONTH,
    KUBERNETES_MINOR_RELEASES_PER_YEAR,
    MONTHS_PER_YEAR,
    Activity,
    ActivityOverride,
    Operations,
    OverheadLevel,
)
from advisor.workload.scenario import Platform, Scenario

#: The initial build is spread over a 3-year horizon (sources doc, section 1.1) [A].
SETUP_AMORTIZATION_MONTHS = 36
#: Multipliers of the low and high overhead levels on assumed hours (sources doc, 1.5) [A]:
#: heavy automation / GitOps and a mature team, or manual work and a first-year team.
LOW_HOURS_FACTOR = 0.5
HIGH_HOURS_FACTOR = 2.0
#: Upgrade-hour anchors for EKS with managed node groups [h], first cluster (+ each extra):
#: low 8 (+2) "one engineer two afternoons" [43]; default 20 (+6) "2–3 engineer-days per
#: minor" [41]; high 60 (+50) "4–6 weeks across three regions" [42].
UPGRADE_HOURS_ANCHORS = ((8.0, 2.0), (20.0, 6.0), (60.0, 50.0))
#: Add-on upkeep outside version upgrades: 0.75 h per owned add-on per quarter (+0.25 h per
#: extra cluster) [A]; the controllers release about monthly [25].
ADD_ON_HOURS_PER_OCCURRENCE = 0.75
ADD_ON_EXTRA_CLUSTER_HOURS = 0.25
ADD_ON_REVIEWS_PER_YEAR = 4


class Tag(StrEnum):
    """Where a default number comes from."""

    SOURCED = "sourced"
    DERIVED = "derived"
    ASSUMPTION = "assumption"
    USER = "user"


@dataclass(frozen=True, slots=True, kw_only=True)
class Levels:
    """A number at the low, default and high overhead levels."""

    low: float
    default: float
    high: float

    def at(self, level: OverheadLevel) -> float:
        return {OverheadLevel.LOW: self.low, OverheadLevel.DEFAULT: self.default, OverheadLevel.HIGH: self.high}[level]


def assumed(hours: float) -> Levels:
    """Assumed hours: ×0.5 at the low level, ×2 at the high level."""
    return Levels(low=hours * LOW_HOURS_FACTOR, default=hours, high=hours * HIGH_HOURS_FACTOR)


def _upgrade_levels(hours: float, extra: float) -> tuple[Levels, Levels]:
    """Upgrade hours scaled by the EKS-with-nodes anchors, so every EKS flavour keeps its ratio to it."""
    (low, low_x), (base, base_x), (high, high_x) = UPGRADE_HOURS_ANCHORS
    return (Levels(low=hours * low / base, default=hours, high=hours * high / base),
            Levels(low=extra * low_x / base_x, default=extra, high=extra * high_x / base_x))


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityDefault:
    """The default of one activity on one platform, with its tags, reason and citations."""

    activity: Activity
    frequency_per_year: float
    hours_per_occurrence: Levels
    extra_cluster_hours: Levels
    frequency_tag: Tag
    hours_tag: Tag
    reason: str
    citations: tuple[str, ...]
    is_per_engineer: bool = False


@dataclass(frozen=True, slots=True)
class _Row:
    """One activity across platforms: {platform: (frequency/yr, hours, extra-cluster hours)}."""

    activity: Activity
    cells: dict[Platform, tuple[float, float, float]]
    frequency_tag: Tag
    hours_tag: Tag
    reason: str
    citations: tuple[str, ...]
    is_per_engineer: bool = False


_E2, _FG, _EKS, _EFG, _AUTO, _EMI = (Platform.ECS_EC2, Platform.ECS_FARGATE, Platform.EKS_EC2, Platform.EKS_FARGATE,
                                     Platform.EKS_AUTO, Platform.ECS_MANAGED)
_UPGRADES = KUBERNETES_MINOR_RELEASES_PER_YEAR
_SETUPS_PER_YEAR = MONTHS_PER_YEAR / SETUP_AMORTIZATION_MONTHS


def _add_on_cell(platform: Platform) -> tuple[float, float, float]:
    count = len(OWNED_ADD_ONS[platform])
    return (ADD_ON_REVIEWS_PER_YEAR, ADD_ON_HOURS_PER_OCCURRENCE * count, ADD_ON_EXTRA_CLUSTER_HOURS * count)


_ROWS: tuple[_Row, ...] = (
    _Row(Activity.VERSION_UPGRADES, {_EKS: (_UPGRADES, 20, 6), _EFG: (_UPGRADES, 14, 4), _AUTO: (_UPGRADES, 8, 2)},
         Tag.DERIVED, Tag.ASSUMPTION,
         "3 minor releases a year, one minor per upgrade, forced at end of support (control plane, add-ons, "
         "node roll, removed APIs, staging first); hours anchored on 2–3 engineer-days per minor; "
         "Fargate ×0.7 and Auto Mode ×0.4 for what AWS takes over; ECS has no versioned control plane",
         ("1", "3", "57", "41", "43", "42", "5", "28", "8", "9", "11")),
    _Row(Activity.NODE_PATCHING, {_E2: (12, 3, 1), _FG: (4, 0.5, 0), _EKS: (12, 2, 1), _EFG: (4, 0.5, 0),
                                  _AUTO: (12, 0.5, 0.25), _EMI: (12, 0.5, 0.25)},
         Tag.ASSUMPTION, Tag.ASSUMPTION,
         "monthly roll of the latest AMI (a patch policy: AMIs ship about weekly for ECS and 3 times a month for "
         "EKS) with ASG refresh + managed draining or the node-group drain; Fargate: AWS patches, only a "
         "retirement notice now and then (4 a year assumed); Auto Mode: nodes live at most 21 days, 0.5 h a "
         "month to watch drift and blocking PDBs; ECS Managed Instances: AWS patches and replaces instances, 0.5 h a "
         "month to watch replacements and draining (as Auto Mode)",
         ("12", "13", "15", "16", "20", "7", "55", "17", "8", "10", "60", "61")),
    _Row(Activity.ADD_ON_UPKEEP, {p: _add_on_cell(p) for p in (_E2, _FG, _EKS, _EFG, _AUTO, _EMI)},
         Tag.ASSUMPTION, Tag.ASSUMPTION,
         "0.75 h per owned add-on per quarter outside version upgrades (owned add-ons counted from the docs: "
         "ECS 1, EKS with nodes 10, EKS Fargate 6, Auto Mode 3); the controllers release about monthly",
         ("6", "21", "22", "23", "24", "25", "8", "9")),
    _Row(Activity.CAPACITY_TUNING, {_E2: (12, 3, 1), _FG: (12, 1, 0.5), _EKS: (12, 4, 1), _EFG: (12, 1.5, 0.5),
                                    _AUTO: (12, 2, 0.5), _EMI: (12, 2, 0.5)},
         Tag.ASSUMPTION, Tag.ASSUMPTION,
         "monthly capacity, autoscaling and right-sizing review; larger where you own node shapes (capacity "
         "providers, node groups, Karpenter NodePools), only task/pod sizes on Fargate; ECS Managed Instances "
         "like Auto Mode (instance requirements, not node groups); no source gives hours",
         ("20", "23", "62")),
    _Row(Activity.SECURITY_RESPONSE, {_E2: (3, 3, 1), _FG: (1, 1, 0), _EKS: (4, 4, 1), _EFG: (2, 2, 0.5),
                                      _AUTO: (2, 2, 0.5), _EMI: (1, 1, 0)},
         Tag.ASSUMPTION, Tag.ASSUMPTION,
         "out-of-band CVE response: 1–4 actionable advisories a year depending on how much of the stack you "
         "own (Kubernetes ships monthly patches; EKS patches the control plane); no source counts them",
         ("4b", "1", "16")),
    _Row(Activity.OBSERVABILITY, {_E2: (12, 1.5, 0.5), _FG: (12, 1, 0.25), _EKS: (12, 3, 1), _EFG: (12, 2.5, 0.75),
                                  _AUTO: (12, 2.5, 0.75), _EMI: (12, 1, 0.25)},
         Tag.ASSUMPTION, Tag.ASSUMPTION,
         "agents, dashboards and alerts: ECS has Container Insights and awslogs, EKS needs an agent stack "
         "(CloudWatch Observability add-on, ADOT, Prometheus, Fluent Bit); no source gives hours",
         ("24",)),
    _Row(Activity.ACCESS_POLICY, {_E2: (12, 0.5, 0.25), _FG: (12, 0.5, 0.25), _EKS: (12, 1.5, 0.5),
                                  _EFG: (12, 1.5, 0.5), _AUTO: (12, 1.5, 0.5), _EMI: (12, 0.75, 0.25)},
         Tag.ASSUMPTION, Tag.ASSUMPTION,
         "ECS: task and execution roles; EKS adds RBAC, access entries, IRSA/Pod Identity, Pod Security "
         "Admission and NetworkPolicy; ECS Managed Instances adds the infrastructure role and instance profile",
         ("8",)),
    _Row(Activity.OS_MIGRATION, {_E2: (0.25, 24, 4), _EKS: (0.25, 24, 4)},
         Tag.ASSUMPTION, Tag.ASSUMPTION,
         "node OS generation change such as the forced AL2→AL2023 move (EKS stopped AL2 AMIs on 26 Nov 2025): "
         "once every ~4 years, 3 days; only where you own nodes",
         ("26",)),
    _Row(Activity.INCIDENTS, {_E2: (3, 3, 3), _FG: (1.5, 2, 2), _EKS: (5, 4, 4), _EFG: (3, 3, 3), _AUTO: (3, 3, 3),
                              _EMI: (2, 2, 2)},
         Tag.ASSUMPTION, Tag.ASSUMPTION,
         "platform-caused incidents and on-call per cluster-year (so each extra cluster adds a full share); "
         "cross-checked against ~34 workdays a year on Kubernetes incidents in large estates",
         ("39",)),
    _Row(Activity.SKILLS_UPKEEP, {_E2: (12, 1, 0), _FG: (12, 1, 0), _EKS: (12, 3, 0), _EFG: (12, 2.5, 0),
                                  _AUTO: (12, 2.5, 0), _EMI: (12, 1, 0)},
         Tag.ASSUMPTION, Tag.ASSUMPTION,
         "hours a month per fluent engineer; surveys report Kubernetes complexity and skills as the top "
         "obstacles but give no hours",
         ("40", "38"), is_per_engineer=True),
    _Row(Activity.INITIAL_SETUP, {_E2: (_SETUPS_PER_YEAR, 60, 12), _FG: (_SETUPS_PER_YEAR, 40, 8),
                                  _EKS: (_SETUPS_PER_YEAR, 160, 24), _EFG: (_SETUPS_PER_YEAR, 120, 16),
                                  _AUTO: (_SETUPS_PER_YEAR, 80, 12), _EMI: (_SETUPS_PER_YEAR, 48, 10)},
         Tag.ASSUMPTION, Tag.ASSUMPTION,
         "initial build amortized over 36 months; AWS's startup guidance: EKS takes days to weeks to first "
         "deploy, ECS on Fargate hours",
         ("46",)),
)


def _default(row: _Row, platform: Platform) -> ActivityDefault | None:
    if platform not in row.cells:
        return None
    freq, hours, extra = row.cells[platform]
    if row.activity is Activity.VERSION_UPGRADES:
        hour_levels, extra_levels = _upgrade_levels(hours, extra)
    else:
        hour_levels, extra_levels = assumed(hours), assumed(extra)
    return ActivityDefault(activity=row.activity, frequency_per_year=freq, hours_per_occurrence=hour_levels,
                           extra_cluster_hours=extra_levels, frequency_tag=row.frequency_tag,
                           hours_tag=row.hours_tag, reason=row.reason, citations=row.citations,
                           is_per_engineer=row.is_per_engineer)


#: Every platform's default activities (an activity absent on a platform is left out).
DEFAULT_ACTIVITIES: dict[Platform, tuple[ActivityDefault, ...]] = {
    platform: tuple(d for row in _ROWS if (d := _default(row, platform)) is not None) for platform in Platform
}


def _weakest(*tags: Tag) -> Tag:
    order = (Tag.USER, Tag.ASSUMPTION, Tag.DERIVED, Tag.SOURCED)
    return next(t for t in order if t in tags)


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityCost:
    """One activity's engineer-hours and cost a month: the operations analogue of a line item."""

    activity: Activity
    frequency_per_year: float
    hours_per_occurrence: float
    extra_cluster_hours: float
    clusters: int
    engineers: int
    usd_per_hour: float
    frequency_tag: Tag
    hours_tag: Tag
    reason: str
    citations: tuple[str, ...]

    @property
    def annual_hours(self) -> float:
        per_occurrence = self.hours_per_occurrence * self.engineers + self.extra_cluster_hours * (self.clusters - 1)
        return self.frequency_per_year * per_occurrence

    @property
    def monthly_hours(self) -> float:
        return self.annual_hours / MONTHS_PER_YEAR

    @property
    def monthly_usd(self) -> float:
        return self.monthly_hours * self.usd_per_hour

    @property
    def tag(self) -> Tag:
        """The weakest of the frequency's and the hours' tags (a user override marks the row ``user``)."""
        return _weakest(self.frequency_tag, self.hours_tag)

    @property
    def source(self) -> str:
        """Citation numbers of the sources doc, e.g. ``[1][3][57]``."""
        return "".join(f"[{c}]" for c in self.citations)

    @property
    def formula(self) -> str:
        who = f" × {self.engineers} engineers" if self.engineers != 1 else ""
        extra = self.clusters - 1
        more = f" + {self.extra_cluster_hours:g} h × {extra} extra cluster{'s' * (extra > 1)}"
        more = more if extra and self.extra_cluster_hours else ""
        return (f"{self.frequency_per_year:.4g}/yr × ({self.hours_per_occurrence:g} h{who}{more}) ÷ 12 = "
                f"{self.monthly_hours:.4g} h/month × ${self.usd_per_hour:g}/h")


@dataclass(frozen=True, slots=True, kw_only=True)
class OverheadEstimate:
    """A platform's operations: activity rows, totals and the FTE share."""

    platform: Platform
    level: OverheadLevel
    clusters: int
    team_size: int
    usd_per_hour: float
    rows: tuple[ActivityCost, ...]

    @property
    def monthly_hours(self) -> float:
        return sum(r.monthly_hours for r in self.rows)

    @property
    def monthly_usd(self) -> float:
        return sum(r.monthly_usd for r in self.rows)

    @property
    def annual_hours(self) -> float:
        return MONTHS_PER_YEAR * self.monthly_hours

    @property
    def annual_usd(self) -> float:
        return MONTHS_PER_YEAR * self.monthly_usd

    @property
    def fte_fraction(self) -> float:
        """Share of one full-time engineer (173.3 h a month)."""
        return self.monthly_hours / FTE_HOURS_PER_MONTH

    @property
    def assumption_hours_share(self) -> float:
        """Share of the monthly hours that rests on assumed numbers."""
        total = self.monthly_hours
        assumed_hours = sum(r.monthly_hours for r in self.rows if r.tag is Tag.ASSUMPTION)
        return assumed_hours / total if total else 0.0

    def row(self, activity: Activity) -> ActivityCost | None:
        return next((r for r in self.rows if r.activity is activity), None)


def cluster_count(scenario: Scenario) -> int:
    """Clusters the team runs: environments with their own cluster, at least one.

    A scenario whose environments all share a cluster still runs on one; the estimate then
    bills no control plane (the cluster is paid elsewhere), but the team still operates it.
    """
    return max(1, sum(not env.shared_cluster for env in scenario.environments))


def _override_for(activity: Activity, platform: Platform, overrides: tuple[ActivityOverride, ...]
                  ) -> ActivityOverride | None:
    matches = [o for o in overrides if o.activity is activity and o.platform in (platform.value, None)]
    return min(matches, key=lambda o: o.platform is None, default=None)  # the platform's own wins


def _check_overrides(operations: Operations) -> None:
    for index, override in enumerate(operations.overrides):
        if override.platform is None:
            continue
        activities = [d.activity for d in DEFAULT_ACTIVITIES[Platform(override.platform)]]
        if override.activity not in activities:
            raise InvalidWorkload(f"operations.overrides[{index}].activity", override.activity.value,
                                  f"an activity of {override.platform}: " + ", ".join(a.value for a in activities))


def _cost(default: ActivityDefault, operations: Operations, clusters: int, override: ActivityOverride | None
          ) -> ActivityCost:
    level = operations.overhead_level
    cost = ActivityCost(
        activity=default.activity, frequency_per_year=default.frequency_per_year,
        hours_per_occurrence=default.hours_per_occurrence.at(level),
        extra_cluster_hours=default.extra_cluster_hours.at(level), clusters=clusters,
        engineers=operations.team_size if default.is_per_engineer else 1,
        usd_per_hour=operations.engineer_rate_usd_per_hour, frequency_tag=default.frequency_tag,
        hours_tag=default.hours_tag, reason=default.reason, citations=default.citations)
    if override is None:
        return cost
    if override.frequency_per_year is not None:
        cost = replace(cost, frequency_per_year=override.frequency_per_year, frequency_tag=Tag.USER)
    if override.hours_per_occurrence is not None:
        cost = replace(cost, hours_per_occurrence=override.hours_per_occurrence, hours_tag=Tag.USER)
    if override.extra_cluster_hours is not None:
        cost = replace(cost, extra_cluster_hours=override.extra_cluster_hours, hours_tag=Tag.USER)
    return cost


def overhead(platform: Platform, operations: Operations, clusters: int) -> OverheadEstimate:
    """Monthly engineer-hours and cost of running ``platform``.

    Parameters
    ----------
    platform : Platform
        The platform to operate.
    operations : Operations
        Engineer rate [USD/h], team size, overhead level and the team's overrides.
    clusters : int
        Clusters operated (>= 1): the scenario's environments with their own cluster
        (:func:`cluster_count`).  The first costs the full hours, each extra one its
        ``extra_cluster_hours``.

    Returns
    -------
    OverheadEstimate
        One :class:`ActivityCost` per activity of the platform; totals are their sums.

    Raises
    ------
    InvalidWorkload
        ``clusters`` below 1, or an override naming an activity the platform does not have.
    """
    if isinstance(clusters, bool) or not isinstance(clusters, int) or clusters < 1:
        raise InvalidWorkload("clusters", clusters, "a whole number >= 1")
    _check_overrides(operations)
    rows = tuple(_cost(d, operations, clusters, _override_for(d.activity, platform, operations.overrides))
                 for d in DEFAULT_ACTIVITIES[platform])
    return OverheadEstimate(platform=platform, level=operations.overhead_level, clusters=clusters,
                            team_size=operations.team_size, usd_per_hour=operations.engineer_rate_usd_per_hour,
                            rows=rows)
