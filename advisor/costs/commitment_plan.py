"""The commitment that minimizes the monthly bill, from the hourly usage profile the schedules imply.

AWS's calculators price the commitment you name; this module finds the best one.  Over the
730 hours of a month each platform's compute runs a baseline every hour and more during the
peak of its autoscaled services (placements per phase on EC2; task-hours on Fargate, with the
bursts taken to overlap in the longest peak).  Jobs are left On-Demand: when they run is not
known.  A commitment is paid every hour whether used or not, so committing one more unit pays
when the share of hours that use it is at least the commitment's price ratio (committed rate
÷ On-Demand rate); the optimum is that quantile of the profile (a newsvendor problem):

- Reserved Instances (EC2-backed platforms): per instance type, the number of instances
  running in at least ``ratio`` of the hours, at the Standard No Upfront rate;
- Compute Savings Plans: a commitment in $/hour at Savings Plans rates, applied to the usage
  with the largest discount first (EC2: the Convertible No Upfront RI rate stands in for the
  Savings Plans rate, pricing.gaps ``savings_plans.compute_ec2``; Fargate: the dated discount).
  Fargate has no Reserved Instances.

Each plan reports its utilization (committed hours or dollars used), the saving against all
On-Demand and the break-even utilization: the share of the commitment that must be used for
it to pay (its cost over the On-Demand cost of what it covers).  Management fees (Auto Mode,
ECS Managed Instances), storage and Spot hours are not covered by commitments.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from advisor.costs.estimate import ScenarioEstimate
from advisor.costs.fargate_items import fargate_units
from advisor.costs.prices import PriceLookup
from advisor.costs.purchase import fargate_rates
from advisor.workload.platforms import FARGATE_PLATFORMS, Platform
from advisor.workload.scenario import PurchaseOption, Scenario
from advisor.workload.units import HOURS_PER_MONTH

_TERMS = ("1yr", "3yr")


@dataclass(frozen=True, slots=True, kw_only=True)
class CommitmentPlan:
    """The best commitment of one kind and term on one platform."""

    platform: Platform
    option: PurchaseOption
    #: Savings Plans: the hourly commitment [USD/h]; Reserved Instances: instances per type.
    usd_per_hour: float
    instances: tuple[tuple[str, int], ...]
    utilization: float
    on_demand_monthly_usd: float
    monthly_usd: float
    break_even_utilization: float

    @property
    def saving_monthly_usd(self) -> float:
        return self.on_demand_monthly_usd - self.monthly_usd

    @property
    def description(self) -> str:
        if self.instances:
            what = ", ".join(f"{n} × {t}" for t, n in self.instances)
        else:
            what = f"${self.usd_per_hour:.4g}/hour"
        return (f"{self.option.value}: {what}; utilization {self.utilization:.0%}, saves "
                f"${self.saving_monthly_usd:,.2f}/month against all On-Demand "
                f"(break-even utilization {self.break_even_utilization:.0%})")


def _spot(scenario: Scenario, platform: Platform) -> float:
    share = scenario.purchase.spot_share
    auto_builtin = platform is Platform.EKS_AUTO and scenario.ec2.auto_mode_node_pool == "built-in"
    return 0.0 if auto_builtin else share


def _ec2_levels(scenario: Scenario, estimate: ScenarioEstimate, platform: Platform
                ) -> list[tuple[float, dict[str, float]]]:
    """(hours, non-Spot instances per type) of each phase, summed over environments."""
    phases: dict[str, tuple[float, dict[str, float]]] = {}
    keep = 1 - _spot(scenario, platform)
    for summary in estimate.by_platform(platform).placements:
        _, counts = phases.setdefault(summary.phase, (summary.hours, defaultdict(float)))
        for itype, count in summary.node_counts:
            counts[itype] += count * keep
    return list(phases.values())


def _fargate_levels(scenario: Scenario, platform: Platform, prices: PriceLookup) -> list[tuple[float, float]]:
    """(hours, On-Demand USD/h of non-Spot task-hours): the steady baseline, plus the bursts in the peak."""
    steady = burst = 0.0
    for env in scenario.environments:
        for unit in fargate_units(scenario, platform, env, services_only=True):
            rates = fargate_rates(scenario, platform, prices, unit.architecture, unit.os)
            keep = sum(share for segment, share in rates.segments if segment != "fargate spot")
            per_task = (unit.size.vcpu * rates.vcpu_quote.usd_per_unit
                        + unit.size.memory_gib * rates.gb_quote.usd_per_unit)
            steady += unit.steady_replica_hours / HOURS_PER_MONTH * per_task * keep
            burst += (unit.replica_hours - unit.steady_replica_hours) * per_task * keep
    fractions = [s.replicas.schedule.peak_fraction for s in scenario.services if s.replicas.min != s.replicas.max]
    peak_hours = max(fractions, default=0.0) * HOURS_PER_MONTH
    if burst <= 0 or peak_hours <= 0:
        return [(float(HOURS_PER_MONTH), steady)]
    return [(peak_hours, steady + burst / peak_hours), (HOURS_PER_MONTH - peak_hours, steady)]


def _newsvendor(levels: list[tuple[float, float]], ratio: float) -> float:
    """The usage level (same unit as the levels) used in at least ``ratio`` of the hours."""
    best = 0.0
    for _, level in levels:
        share = sum(h for h, other in levels if other >= level - 1e-12) / HOURS_PER_MONTH
        if share >= ratio:
            best = max(best, level)
    return best


def _sp_plan(platform: Platform, option: PurchaseOption, levels: list[tuple[float, float]], ratio: float
             ) -> CommitmentPlan:
    """Savings Plan on a profile of On-Demand USD/h with one discount: commit ``ratio`` × the newsvendor level."""
    level = _newsvendor(levels, ratio)
    commit = ratio * level
    on_demand = sum(h * od for h, od in levels)
    used = sum(h * min(od, level) for h, od in levels)
    cost = HOURS_PER_MONTH * commit + sum(h * max(0.0, od - level) for h, od in levels)
    return CommitmentPlan(platform=platform, option=option, usd_per_hour=commit, instances=(),
                          utilization=used / (level * HOURS_PER_MONTH) if level else 0.0,
                          on_demand_monthly_usd=on_demand, monthly_usd=cost, break_even_utilization=ratio)


def _rate(prices: PriceLookup, region: str, itype: str, term: str, offering_class: str) -> float | None:
    try:
        return prices.price("ec2.instance_hour", region, instance_type=itype, term="Reserved",
                            lease_contract_length=term, offering_class=offering_class,
                            purchase_option="No Upfront").usd_per_unit
    except LookupError:
        return None


def _rates(prices: PriceLookup, region: str, types: list[str], term: str, offering_class: str
           ) -> dict[str, float] | None:
    """No Upfront Reserved rates of every type, or None when one type has none (the plan needs them all)."""
    rates = {}
    for itype in types:
        rate = _rate(prices, region, itype, term, offering_class)
        if rate is None:
            return None
        rates[itype] = rate
    return rates


def _ec2_plans(scenario: Scenario, estimate: ScenarioEstimate, platform: Platform, prices: PriceLookup
               ) -> list[CommitmentPlan]:
    levels = _ec2_levels(scenario, estimate, platform)
    types = sorted({t for _, counts in levels for t in counts})
    od = {t: prices.price("ec2.instance_hour", scenario.region, instance_type=t).usd_per_unit for t in types}
    on_demand = sum(h * sum(c * od[t] for t, c in counts.items()) for h, counts in levels)
    plans = []
    for term in _TERMS:
        reserved = _rates(prices, scenario.region, types, term, "standard")
        if reserved is not None:
            plans.append(_ri_plan(platform, term, levels, od, reserved, on_demand))
        convertible = _rates(prices, scenario.region, types, term, "convertible")
        if convertible is not None:
            # Usage per level in On-Demand dollars, each type at its own Savings Plans ratio.
            per_type = [_sp_plan(platform, PurchaseOption(f"savings-plan-{term}"),
                                 [(h, counts.get(t, 0.0) * od[t]) for h, counts in levels], convertible[t] / od[t])
                        for t in types]
            plans.append(_merged(platform, PurchaseOption(f"savings-plan-{term}"), per_type, on_demand))
    return plans


def _ri_plan(platform: Platform, term: str, levels: list[tuple[float, dict[str, float]]], od: dict[str, float],
             reserved: dict[str, float], on_demand: float) -> CommitmentPlan:
    instances, cost, committed, used, od_covered = [], 0.0, 0.0, 0.0, 0.0
    for itype in sorted(od):
        counts = [(h, c.get(itype, 0.0)) for h, c in levels]
        k = int(_newsvendor([(h, float(int(c + 1e-9))) for h, c in counts], reserved[itype] / od[itype]))
        cost += k * HOURS_PER_MONTH * reserved[itype] + sum(h * max(0.0, c - k) * od[itype] for h, c in counts)
        if k:
            instances.append((itype, k))
            committed += k * HOURS_PER_MONTH
            used += sum(h * min(c, k) for h, c in counts)
            od_covered += k * od[itype]
    rate = sum(k * reserved[t] for t, k in instances)
    return CommitmentPlan(platform=platform, option=PurchaseOption(f"reserved-{term}"), usd_per_hour=rate,
                          instances=tuple(instances), utilization=used / committed if committed else 0.0,
                          on_demand_monthly_usd=on_demand, monthly_usd=cost,
                          break_even_utilization=rate / od_covered if od_covered else 0.0)


def _merged(platform: Platform, option: PurchaseOption, parts: list[CommitmentPlan], on_demand: float
            ) -> CommitmentPlan:
    """One Savings Plan over several instance types, as the sum of each type's optimum.

    An approximation from above: a plan shared across types can only do better (it may cover one
    type's peak with another's idle commitment), so the saving shown is a floor.
    """
    commit = sum(p.usd_per_hour for p in parts)
    covered = sum(p.usd_per_hour / p.break_even_utilization for p in parts if p.usd_per_hour)
    used = sum(p.utilization * p.usd_per_hour for p in parts)
    return CommitmentPlan(platform=platform, option=option, usd_per_hour=commit, instances=(),
                          utilization=used / commit if commit else 0.0, on_demand_monthly_usd=on_demand,
                          monthly_usd=sum(p.monthly_usd for p in parts),
                          break_even_utilization=commit / covered if covered else 0.0)


def _fargate_plans(scenario: Scenario, platform: Platform, prices: PriceLookup) -> list[CommitmentPlan]:
    levels = _fargate_levels(scenario, platform, prices)
    plans = []
    for term in _TERMS:
        override = scenario.assumptions.savings_plan_fargate_discount
        discount = override if override is not None else prices.assumption(
            f"savings_plans.compute_fargate_discount_{term}", scenario.region).usd_per_unit
        plans.append(_sp_plan(platform, PurchaseOption(f"savings-plan-{term}"), levels, 1 - discount))
    return plans


def optimal_commitments(result: ScenarioEstimate, prices: PriceLookup) -> tuple[CommitmentPlan, ...]:
    """Per priced platform, the cheapest commitment (kind and term) for its usage profile.

    Savings Plans and Reserved Instances of both terms are each optimized; the one with the
    largest saving against all On-Demand is kept (with no saving, no commitment is advised).
    """
    best = []
    for est in result.estimates:
        if est.platform in FARGATE_PLATFORMS:
            plans = _fargate_plans(result.scenario, est.platform, prices)
        else:
            plans = _ec2_plans(result.scenario, result, est.platform, prices)
        plans = [p for p in plans if p.saving_monthly_usd > 1e-9]   # no saving: advise no commitment
        if plans:
            best.append(max(plans, key=lambda p: (p.saving_monthly_usd, -p.usd_per_hour)))
    return tuple(best)


def break_even_utilization(result: ScenarioEstimate, platform: Platform, option: PurchaseOption,
                           prices: PriceLookup) -> float | None:
    """Share of a No Upfront commitment that must be used for it to pay: its rate over the On-Demand rate.

    Weighted over the steady baseline the scenario's commitment covers (instances running in
    every phase; Fargate: one uniform discount).  None where AWS sells no such commitment
    (Reserved Instances on Fargate) or nothing is steady.
    """
    if option is PurchaseOption.ON_DEMAND:
        return None
    term = option.value.rsplit("-", 1)[1]
    scenario = result.scenario
    if platform in FARGATE_PLATFORMS:
        if option.value.startswith("reserved"):
            return None
        override = scenario.assumptions.savings_plan_fargate_discount
        discount = override if override is not None else prices.assumption(
            f"savings_plans.compute_fargate_discount_{term}", scenario.region).usd_per_unit
        return 1 - discount
    levels = _ec2_levels(scenario, result, platform)
    types = {t for _, counts in levels for t in counts}
    baseline = {t: min(int(c.get(t, 0.0) + 1e-9) for _, c in levels) for t in types}
    offering = "standard" if option.value.startswith("reserved") else "convertible"
    committed = on_demand = 0.0
    for itype, count in baseline.items():
        rate = _rate(prices, scenario.region, itype, term, offering)
        if count and rate is not None:
            committed += count * rate
            on_demand += count * prices.price("ec2.instance_hour", scenario.region, instance_type=itype).usd_per_unit
    return committed / on_demand if on_demand else None
