"""Activity-based operational overhead: engineer-hours a month to keep each platform running.

Every activity is ``frequency per year × (hours per occurrence × engineers + hours per
extra cluster × (clusters − 1) + hours per node × nodes) / 12`` hours a month (sources doc,
section 1.1, with a per-node term):

- extra clusters cost less than the first: one plan and runbook is reused;
- per-node work (patching and capacity care of the nodes the placement produced) grows
  with the fleet; Fargate has no nodes, and on Auto Mode AWS patches and replaces them, so
  its per-node hours are a quarter of self-managed nodes' [A1];
- incidents are per cluster-year, so their extra-cluster hours equal their hours;
- skills upkeep is per engineer (12 a year × hours a month per engineer);
- the initial build is amortized over 36 months: 1/3 of an occurrence a year.

Each number is a range (:mod:`advisor.operations.activities`); a row's point is taken at
the scenario's overhead level (low end, most likely, high end), and
:meth:`OverheadEstimate.monthly_hours_at` reads every range at given quantiles
(:mod:`advisor.operations.factors`), so the decision stage can draw them all at once.
The team's overrides replace a range with their own number (tagged ``user``).  The result
is kept apart from the AWS bill: its rows are engineer-hours, not AWS line items.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache

import numpy as np

from advisor.costs.line_items import Estimate
from advisor.errors import InvalidWorkload
from advisor.operations.activities import ACTIVITY_INFO, PROFILES, Cell
from advisor.operations.factors import Factor, Field, Quantiles
from advisor.operations.ranges import Range, Tag, fixed, log_triangular_ppf, weakest
from advisor.workload.operations_inputs import (
    FTE_HOURS_PER_MONTH,
    MONTHS_PER_YEAR,
    Activity,
    ActivityOverride,
    Operations,
    OverheadLevel,
)
from advisor.workload.scenario import Platform, Scenario
from advisor.workload.units import HOURS_PER_MONTH


@dataclass(frozen=True, slots=True, kw_only=True)
class ActivityCost:
    """One activity's engineer-hours and cost a month: the operations analogue of a line item."""

    activity: Activity
    frequency: Range
    hours: Range
    extra_cluster: Range
    per_node: Range
    level: OverheadLevel
    clusters: int
    engineers: int
    nodes: float
    usd_per_hour: float
    reason: str
    citations: tuple[str, ...]

    @property
    def frequency_per_year(self) -> float:
        return self.frequency.at(self.level)

    @property
    def hours_per_occurrence(self) -> float:
        return self.hours.at(self.level)

    @property
    def extra_cluster_hours(self) -> float:
        return self.extra_cluster.at(self.level)

    @property
    def per_node_hours(self) -> float:
        return self.per_node.at(self.level)

    @property
    def frequency_tag(self) -> Tag:
        return self.frequency.end(self.level).tag

    @property
    def hours_tag(self) -> Tag:
        """The weakest tag of the hours that count here (extra clusters and nodes only when there are any)."""
        used = [self.hours, *([self.extra_cluster] if self.clusters > 1 else []),
                *([self.per_node] if self.nodes and self.per_node_hours else [])]
        return weakest(*(r.end(self.level).tag for r in used))

    @property
    def fixed_monthly_hours(self) -> float:
        """Hours that do not grow with the nodes: the first cluster, extra clusters and engineers."""
        per_occurrence = self.hours_per_occurrence * self.engineers + self.extra_cluster_hours * (self.clusters - 1)
        return self.frequency_per_year * per_occurrence / MONTHS_PER_YEAR

    @property
    def per_node_monthly_hours(self) -> float:
        """Hours that grow with the fleet: per-node hours × nodes."""
        return self.frequency_per_year * self.per_node_hours * self.nodes / MONTHS_PER_YEAR

    @property
    def monthly_hours(self) -> float:
        return self.fixed_monthly_hours + self.per_node_monthly_hours

    @property
    def annual_hours(self) -> float:
        return MONTHS_PER_YEAR * self.monthly_hours

    @property
    def monthly_usd(self) -> float:
        return self.monthly_hours * self.usd_per_hour

    @property
    def tag(self) -> Tag:
        """The weakest of the frequency's and the hours' tags (a user override marks the row ``user``)."""
        return weakest(self.frequency_tag, self.hours_tag)

    @property
    def source(self) -> str:
        """Citation numbers, e.g. ``[1][3][57]``."""
        return "".join(f"[{c}]" for c in self.citations)

    @property
    def ranges_text(self) -> str:
        """The ranges behind the point: ``frequency 4 / 12 / 26 per year; hours 1.5 / 3 / 6; ...``."""
        parts = [f"frequency {self.frequency.text()} per year", f"hours {self.hours.text()}"]
        if self.clusters > 1:
            parts.append(f"per extra cluster {self.extra_cluster.text()}")
        if self.nodes and self.per_node.mode.value:
            parts.append(f"per node {self.per_node.text()}")
        return "; ".join(parts) + " (low / most likely / high)"

    @property
    def formula(self) -> str:
        who = f" × {self.engineers} engineers" if self.engineers != 1 else ""
        extra = self.clusters - 1
        more = f" + {self.extra_cluster_hours:g} h × {extra} extra cluster{'s' * (extra > 1)}"
        more = more if extra and self.extra_cluster_hours else ""
        nodes = f" + {self.per_node_hours:g} h × {self.nodes:.4g} nodes" if self.nodes and self.per_node_hours else ""
        return (f"{self.frequency_per_year:.4g}/yr × ({self.hours_per_occurrence:g} h{who}{more}{nodes}) ÷ 12 = "
                f"{self.monthly_hours:.4g} h/month × ${self.usd_per_hour:g}/h")

    def monthly_hours_at(self, quantiles: Quantiles, size: int) -> np.ndarray:
        """Monthly hours with every range read at ``quantiles`` (:func:`effective_quantiles`); absent: the point."""
        return drawn_monthly_hours((self,), quantiles, size)[0]


@dataclass(frozen=True, slots=True, kw_only=True)
class OverheadEstimate:
    """A platform's operations: activity rows, totals (fixed and per-node parts) and the FTE share."""

    platform: Platform
    level: OverheadLevel
    clusters: int
    team_size: int
    nodes: float
    usd_per_hour: float
    rows: tuple[ActivityCost, ...]

    @property
    def monthly_hours(self) -> float:
        return sum(r.monthly_hours for r in self.rows)

    @property
    def fixed_monthly_hours(self) -> float:
        return sum(r.fixed_monthly_hours for r in self.rows)

    @property
    def per_node_monthly_hours(self) -> float:
        return sum(r.per_node_monthly_hours for r in self.rows)

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

    def monthly_hours_at(self, quantiles: Quantiles, size: int) -> np.ndarray:
        """Total monthly hours of ``size`` draws, each range read at ``quantiles`` (:func:`effective_quantiles`)."""
        return sum(drawn_monthly_hours(self.rows, quantiles, size), np.zeros(size))


#: The ranges of an activity row, in the order :func:`drawn_monthly_hours` reads them, with the field that draws each.
_DRAWN_RANGES: tuple[tuple[str, Field], ...] = (
    ("frequency", Field.FREQUENCY), ("hours", Field.HOURS), ("extra_cluster", Field.HOURS),
    ("per_node", Field.PER_NODE))


def drawn_monthly_hours(rows: Sequence[ActivityCost], quantiles: Quantiles, size: int) -> np.ndarray:
    """Each row's monthly hours in ``size`` draws, shape (rows, size); a range without a quantile gives its point.

    The drawn ranges of every row are read in one vectorised pass. A Monte Carlo run reads
    them once per draw and platform (about forty ranges each), and reading them one numpy
    call per range was a quarter of a 1,000-draw run of the microservices example.
    """
    values = np.empty((4, len(rows), size))
    at: list[tuple[int, int]] = []
    drawn: list[np.ndarray] = []
    corners: list[tuple[float, float, float]] = []
    for i, row in enumerate(rows):
        for j, (name, field) in enumerate(_DRAWN_RANGES):
            rng: Range = getattr(row, name)
            q = None if rng.is_fixed else quantiles.get(_factor_name(row.activity, field))
            if q is None:
                values[j, i] = rng.at(row.level)
            else:
                at.append((j, i))
                drawn.append(q)
                corners.append((rng.low.value, rng.at(row.level), rng.high.value))
    if drawn:
        j, i = np.array(at).T
        low, mode, high = np.array(corners).T[:, :, None]
        values[j, i] = log_triangular_ppf(np.array(drawn), low, mode, high)
    frequency, hours, extra_cluster, per_node = values
    engineers, clusters, nodes = (np.array([[getattr(r, name)] for r in rows], dtype=float)
                                  for name in ("engineers", "clusters", "nodes"))
    return frequency * (hours * engineers + extra_cluster * (clusters - 1) + per_node * nodes) / MONTHS_PER_YEAR


@cache
def _factor_name(activity: Activity, field: Field) -> str:
    return Factor(activity, field).name


def cluster_count(scenario: Scenario) -> int:
    """Clusters the team runs: environments with their own cluster, at least one.

    A scenario whose environments all share a cluster still runs on one; the estimate then
    bills no control plane (the cluster is paid elsewhere), but the team still operates it.
    """
    return max(1, sum(not env.shared_cluster for env in scenario.environments))


def fleet_nodes(estimate: Estimate) -> float:
    """Nodes the team keeps running, on average over the month: Σ placed nodes × their hours ÷ 730.

    Services' placements only: nodes added for a job's run start from the current AMI and
    are gone when it ends, so they need no patching or capacity care.  0 on Fargate.
    """
    return sum(count * p.hours for p in estimate.placements for _, count in p.node_counts) / HOURS_PER_MONTH


def _override_for(activity: Activity, platform: Platform, overrides: tuple[ActivityOverride, ...]
                  ) -> ActivityOverride | None:
    matches = [o for o in overrides if o.activity is activity and o.platform in (platform.value, None)]
    return min(matches, key=lambda o: o.platform is None, default=None)  # the platform's own wins


def _check_overrides(operations: Operations) -> None:
    for index, override in enumerate(operations.overrides):
        if override.platform is None:
            continue
        activities = list(PROFILES[Platform(override.platform)])
        if override.activity not in activities:
            raise InvalidWorkload(f"operations.overrides[{index}].activity", override.activity.value,
                                  f"an activity of {override.platform}: " + ", ".join(a.value for a in activities))


def _yours(value: float | None, default: Range) -> Range:
    return default if value is None else fixed(value, Tag.USER, why="the team's own number")


def _cost(activity: Activity, cell: Cell, operations: Operations, clusters: int, nodes: float,
          override: ActivityOverride | None) -> ActivityCost:
    info = ACTIVITY_INFO[activity]
    cost = ActivityCost(
        activity=activity, frequency=cell.frequency_per_year, hours=cell.hours_per_occurrence,
        extra_cluster=cell.extra_cluster_hours, per_node=cell.per_node_hours, level=operations.overhead_level,
        clusters=clusters, engineers=operations.team_size if info.is_per_engineer else 1, nodes=nodes,
        usd_per_hour=operations.engineer_rate_usd_per_hour, reason=info.reason, citations=info.citations)
    if override is None:
        return cost
    return replace(cost, frequency=_yours(override.frequency_per_year, cost.frequency),
                   hours=_yours(override.hours_per_occurrence, cost.hours),
                   extra_cluster=_yours(override.extra_cluster_hours, cost.extra_cluster),
                   per_node=_yours(override.per_node_hours, cost.per_node))


def overhead(platform: Platform, operations: Operations, clusters: int, nodes: float = 0.0) -> OverheadEstimate:
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
    nodes : float, default 0
        Nodes kept running, on average (:func:`fleet_nodes` of the platform's estimate);
        per-node work grows with them.  0 on Fargate.

    Returns
    -------
    OverheadEstimate
        One :class:`ActivityCost` per activity of the platform; totals are their sums.

    Raises
    ------
    InvalidWorkload
        ``clusters`` below 1, ``nodes`` negative, or an override naming an activity the
        platform does not have.
    """
    if isinstance(clusters, bool) or not isinstance(clusters, int) or clusters < 1:
        raise InvalidWorkload("clusters", clusters, "a whole number >= 1")
    if isinstance(nodes, bool) or not isinstance(nodes, int | float) or not math.isfinite(nodes) or nodes < 0:
        raise InvalidWorkload("nodes", nodes, "a finite number >= 0")
    _check_overrides(operations)
    profile = PROFILES[platform]
    rows = tuple(_cost(a, profile[a], operations, clusters, nodes, _override_for(a, platform, operations.overrides))
                 for a in Activity if a in profile)
    return OverheadEstimate(platform=platform, level=operations.overhead_level, clusters=clusters,
                            team_size=operations.team_size, nodes=float(nodes),
                            usd_per_hour=operations.engineer_rate_usd_per_hour, rows=rows)
