"""Operations inputs: who runs the platform, at what hourly cost, and how carefully to count.

The scenario's ``operations`` section.  It feeds the activity-based overhead model
(:mod:`advisor.operations.overhead`), which turns platform upkeep (version upgrades, node patching,
add-ons, incidents ...) into engineer-hours and dollars next to the AWS bill.

Numbers in brackets (``[29]``) cite :data:`advisor.operations.sources.CITATIONS`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from advisor.workload.platforms import Platform

MONTHS_PER_YEAR = 12
#: Paid hours in a work year (52 weeks × 40 h), the BLS convention for hourly wages [29].
PAID_HOURS_PER_YEAR = 2080
#: One full-time engineer's hours a month (2,080 / 12 ≈ 173.3): the FTE denominator.
FTE_HOURS_PER_MONTH = PAID_HOURS_PER_YEAR / MONTHS_PER_YEAR

#: BLS median annual wage of software developers, May 2023 [29].
BLS_SOFTWARE_DEVELOPER_MEDIAN_USD_PER_YEAR = 132_270
#: Wages are 70.2% of employer compensation cost, private industry, June 2025 (BLS ECEC) [31].
WAGES_SHARE_OF_EMPLOYER_COST = 0.702
#: Default loaded engineer rate [USD/h]: $132,270 / 2,080 h / 0.702 ≈ $90.6, rounded to the
#: $90 of the sources doc (section 1.6).  Wages and benefits only: no management, tools,
#: office or the premium platform/SRE roles command, so it errs low.
DEFAULT_ENGINEER_RATE_USD_PER_HOUR = 90.0
#: Plausible range of the loaded rate [USD/h] [A]: sysadmin median ($96.8k / 2,080 × 1.42)
#: to a high-cost metro or contractor rate (sources doc, section 1.6).
ENGINEER_RATE_RANGE_USD_PER_HOUR = (65.0, 150.0)
#: A loaded hourly rate above this is almost surely an annual salary typed in the wrong field.
MAX_ENGINEER_RATE_USD_PER_HOUR = 1000.0
#: Default number of engineers who must stay fluent in the platform [A]: two, so one can
#: cover the other's on-call and holidays.
DEFAULT_TEAM_SIZE = 2

#: Upstream Kubernetes ships 3 minor releases a year (KEP-2572) [3]; EKS: "on average once
#: every four months" [1].  EKS upgrades one minor at a time [57], so a cluster's long-run
#: upgrade rate is the release rate.
KUBERNETES_MINOR_RELEASES_PER_YEAR = 3
#: Months of EKS standard support after a version's EKS release [1].
EKS_STANDARD_SUPPORT_MONTHS = 14
#: Months of EKS extended support that follow; then the control plane is auto-upgraded [1].
EKS_EXTENDED_SUPPORT_MONTHS = 12


class Activity(StrEnum):
    """Recurring platform work the overhead model counts (rows 1–11 of the sources doc)."""

    VERSION_UPGRADES = "version-upgrades"
    NODE_PATCHING = "node-patching"
    ADD_ON_UPKEEP = "add-on-upkeep"
    CAPACITY_TUNING = "capacity-tuning"
    SECURITY_RESPONSE = "security-response"
    OBSERVABILITY = "observability-upkeep"
    ACCESS_POLICY = "access-policy-upkeep"
    OS_MIGRATION = "os-migration"
    INCIDENTS = "incidents"
    SKILLS_UPKEEP = "skills-upkeep"
    INITIAL_SETUP = "initial-setup"


class OverheadLevel(StrEnum):
    """Where in each operations range the point estimate sits: its low end, most likely value or high end.

    Every activity's numbers are ranges (:mod:`advisor.operations.activities`): the low end
    is a mature, automated team, the high end a manual, first-year one (for assumed numbers
    ×0.5 and ×2, sources doc section 1.5; published figures where there are any).  The level
    also moves the mode of the ranges the TCO ranges draw from.
    """

    LOW = "low"
    DEFAULT = "default"
    HIGH = "high"


class UpgradeStrategy(StrEnum):
    """How EKS clusters follow the Kubernetes release train.

    ``keep-current`` upgrades within standard support (14 months per version) and pays only
    the standard cluster-hour fee.  ``defer-to-extended-support`` runs each cluster a year
    behind, in extended support (12 more months), and pays the extended-support surcharge
    on every cluster-hour; it implies ``assumptions.eks_extended_support`` (the AWS bill gets
    the surcharge line).  Deferring postpones the upgrade work, it does not remove it: EKS
    upgrades one minor at a time and auto-upgrades the control plane when extended support
    ends, while add-ons and nodes stay yours [1][57].  So the steady-state upgrade hours are
    the same under both strategies; :func:`advisor.decision.tco.tco` shows the fee against the hours
    a year of deferral postpones.
    """

    KEEP_CURRENT = "keep-current"
    DEFER_TO_EXTENDED_SUPPORT = "defer-to-extended-support"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ActivityOverride(_Model):
    """The team's own numbers for one activity, replacing the default range (a single number, tagged ``user``).

    ``platform`` limits the override to one platform; without it the override applies on
    every platform where the activity exists.  Fields left out keep their defaults.
    """

    activity: Activity
    platform: str | None = None
    frequency_per_year: Annotated[float, Field(ge=0, le=366)] | None = None
    hours_per_occurrence: Annotated[float, Field(ge=0, le=2080)] | None = None
    extra_cluster_hours: Annotated[float, Field(ge=0, le=2080)] | None = None
    per_node_hours: Annotated[float, Field(ge=0, le=2080)] | None = None

    @field_validator("platform")
    @classmethod
    def _known_platform(cls, value: str | None) -> str | None:
        allowed = [p.value for p in Platform]
        if value is not None and value not in allowed:
            raise ValueError(f"unknown platform {value!r}; allowed: {', '.join(allowed)}")
        return value

    @model_validator(mode="after")
    def _changes_something(self) -> ActivityOverride:
        numbers = (self.frequency_per_year, self.hours_per_occurrence, self.extra_cluster_hours, self.per_node_hours)
        if numbers == (None, None, None, None):
            raise ValueError("an override needs frequency_per_year, hours_per_occurrence, extra_cluster_hours or "
                             "per_node_hours")
        return self


class Operations(_Model):
    """Who runs the platform and at what cost; every default is sourced or a stated assumption.

    Attributes
    ----------
    engineer_rate_usd_per_hour : float
        Loaded cost of an engineer-hour [USD/h]; default $90 (BLS wage / wage share [29][31]).
        0 compares the AWS bills alone.
    team_size : int
        Engineers who must stay fluent in the platform (skills upkeep scales with it).
    overhead_level : OverheadLevel
        Where the point estimate sits in each operations range: low end, most likely, high end.
    eks_upgrade_strategy : UpgradeStrategy
        ``keep-current`` or ``defer-to-extended-support`` (see :class:`UpgradeStrategy`).
    overrides : tuple of ActivityOverride
        The team's own frequencies/hours; at most one per (activity, platform).
    """

    engineer_rate_usd_per_hour: Annotated[float, Field(ge=0, le=MAX_ENGINEER_RATE_USD_PER_HOUR)] = (
        DEFAULT_ENGINEER_RATE_USD_PER_HOUR)
    team_size: Annotated[int, Field(ge=1, le=1000)] = DEFAULT_TEAM_SIZE
    overhead_level: OverheadLevel = OverheadLevel.DEFAULT
    eks_upgrade_strategy: UpgradeStrategy = UpgradeStrategy.KEEP_CURRENT
    overrides: tuple[ActivityOverride, ...] = ()

    @model_validator(mode="after")
    def _one_override_per_target(self) -> Operations:
        targets = [(o.activity.value, o.platform or "every platform") for o in self.overrides]
        dupes = sorted({t for t in targets if targets.count(t) > 1})
        if dupes:
            raise ValueError("overrides: more than one override for " + ", ".join(f"{a} on {p}" for a, p in dupes))
        return self
