"""Total cost of ownership: the AWS bill and the operations cost, side by side, per platform.

``TCO = AWS bill + operations``.  The two halves are never mixed: the bill stays the
estimate's line items (AWS SKUs), the operations stay engineer-hour rows
(:mod:`advisor.operations.overhead`), and only their totals are added.

The EKS version lifecycle is priced both ways.  ``operations.eks_upgrade_strategy:
defer-to-extended-support`` (or ``assumptions.eks_extended_support: true``, which says a
cluster already runs an extended-support version) puts the extended-support surcharge on
the bill of every EKS cluster.  Whatever the strategy, :class:`ExtendedSupportTrade`
shows, per EKS platform, the fee a year of deferral costs against the upgrade hours it
postpones.  Deferral does not remove the hours in the long run (EKS upgrades one minor
at a time and auto-upgrades the control plane when extended support ends [1][57]), so
the operations rows are the same under both strategies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from advisor.costs.estimate import ScenarioEstimate, Unavailable, estimate
from advisor.costs.line_items import Estimate
from advisor.costs.prices import PriceLookup
from advisor.operations.complexity import ComplexityScore, complexity
from advisor.operations.overhead import OverheadEstimate, cluster_count, fleet_nodes, overhead
from advisor.workload.operations_inputs import MONTHS_PER_YEAR, Activity, Operations, UpgradeStrategy
from advisor.workload.scenario import Platform, Scenario
from advisor.workload.units import HOURS_PER_MONTH

EKS_PLATFORMS = (Platform.EKS_EC2, Platform.EKS_FARGATE, Platform.EKS_AUTO)
#: Price key of the EKS extended-support surcharge per cluster-hour (on top of the standard fee).
EXTENDED_SUPPORT_PRICE_KEY = "eks.extended_support_hour"


class Metric(StrEnum):
    """What platforms are compared on: the AWS bill, the operations cost, or their sum (TCO)."""

    AWS = "aws"
    OPERATIONS = "operations"
    TCO = "tco"


#: The question users bring is "which costs less to run", so TCO is the default; ``aws``
#: compares the AWS bills alone (``advisor compare --bill-only``, the app's switch).
DEFAULT_METRIC = Metric.TCO
METRIC_WORDS = {Metric.TCO: "TCO (AWS bill + engineer time)", Metric.AWS: "AWS bill only",
                Metric.OPERATIONS: "engineer time only"}


@dataclass(frozen=True, slots=True, kw_only=True)
class PlatformTco:
    """One platform's AWS bill, operations and complexity."""

    platform: Platform
    aws: Estimate
    operations: OverheadEstimate
    complexity: ComplexityScore

    @property
    def aws_monthly_usd(self) -> float:
        return self.aws.monthly_usd

    @property
    def operations_monthly_usd(self) -> float:
        return self.operations.monthly_usd

    @property
    def tco_monthly_usd(self) -> float:
        return self.aws_monthly_usd + self.operations_monthly_usd

    @property
    def aws_annual_usd(self) -> float:
        return MONTHS_PER_YEAR * self.aws_monthly_usd

    @property
    def operations_annual_usd(self) -> float:
        return MONTHS_PER_YEAR * self.operations_monthly_usd

    @property
    def tco_annual_usd(self) -> float:
        return MONTHS_PER_YEAR * self.tco_monthly_usd

    @property
    def operations_share(self) -> float:
        """Share of the TCO that is engineer time (0 when the TCO is 0)."""
        return self.operations_monthly_usd / self.tco_monthly_usd if self.tco_monthly_usd else 0.0

    def monthly_usd(self, metric: Metric) -> float:
        """The monthly amount compared under ``metric``."""
        if metric == Metric.AWS:
            return self.aws_monthly_usd
        return self.operations_monthly_usd if metric == Metric.OPERATIONS else self.tco_monthly_usd


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtendedSupportTrade:
    """Deferring EKS upgrades for a year: the surcharge paid against the upgrade hours postponed.

    ``fee_usd_per_year`` is paid for every year the clusters stay behind; the
    ``upgrade_hours_per_year`` come back when extended support ends, so in steady state
    deferral saves no hours (:class:`advisor.workload.operations_inputs.UpgradeStrategy`).
    """

    platform: Platform
    clusters: int
    surcharge_usd_per_cluster_hour: float
    price_ref: str
    publication_date: str
    upgrade_hours_per_year: float
    usd_per_hour: float
    is_applied: bool

    @property
    def fee_usd_per_year(self) -> float:
        return self.surcharge_usd_per_cluster_hour * HOURS_PER_MONTH * MONTHS_PER_YEAR * self.clusters

    @property
    def upgrade_usd_per_year(self) -> float:
        return self.upgrade_hours_per_year * self.usd_per_hour

    @property
    def net_usd_per_year(self) -> float:
        """Upgrade work postponed minus fee paid, for one year of deferral (> 0: the fee is smaller)."""
        return self.upgrade_usd_per_year - self.fee_usd_per_year


@dataclass(frozen=True, slots=True, kw_only=True)
class TcoResult:
    """Every platform's TCO for one scenario (``platforms`` in the order asked)."""

    scenario: Scenario
    estimate: ScenarioEstimate
    platforms: tuple[PlatformTco, ...]
    extended_support: tuple[ExtendedSupportTrade, ...]
    prices: PriceLookup = field(repr=False, compare=False)

    @property
    def operations(self) -> Operations:
        return self.scenario.operations

    @property
    def clusters(self) -> int:
        return cluster_count(self.scenario)

    @property
    def unavailable(self) -> tuple[Unavailable, ...]:
        return self.estimate.unavailable

    def ranked(self, metric: Metric = DEFAULT_METRIC) -> tuple[PlatformTco, ...]:
        """Platforms by monthly ``metric`` (TCO by default), cheapest first (ties keep the asked order)."""
        return tuple(sorted(self.platforms, key=lambda p: p.monthly_usd(metric)))

    def by_platform(self, platform: Platform) -> PlatformTco:
        return next(p for p in self.platforms if p.platform is platform)


def billed_cluster_count(scenario: Scenario) -> int:
    """Clusters on the AWS bill: environments with their own cluster (0 when all share one paid elsewhere)."""
    return sum(not env.shared_cluster for env in scenario.environments)


def is_in_extended_support(scenario: Scenario) -> bool:
    """Whether EKS clusters are billed the extended-support surcharge (strategy or assumption)."""
    deferred = scenario.operations.eks_upgrade_strategy is UpgradeStrategy.DEFER_TO_EXTENDED_SUPPORT
    return deferred or scenario.assumptions.eks_extended_support


def billed_scenario(scenario: Scenario) -> Scenario:
    """The scenario the AWS bill is estimated for: deferral turns on ``assumptions.eks_extended_support``."""
    if not is_in_extended_support(scenario) or scenario.assumptions.eks_extended_support:
        return scenario
    return scenario.model_copy(update={
        "assumptions": scenario.assumptions.model_copy(update={"eks_extended_support": True})})


def _trades(scenario: Scenario, prices: PriceLookup, rows: tuple[PlatformTco, ...]) -> tuple[ExtendedSupportTrade, ...]:
    eks = [p for p in rows if p.platform in EKS_PLATFORMS]
    if not eks:
        return ()
    quote = prices.price(EXTENDED_SUPPORT_PRICE_KEY, scenario.region)
    billed_clusters = billed_cluster_count(scenario)
    trades = []
    for p in eks:
        upgrades = p.operations.row(Activity.VERSION_UPGRADES)
        trades.append(ExtendedSupportTrade(
            platform=p.platform, clusters=billed_clusters, surcharge_usd_per_cluster_hour=quote.usd_per_unit,
            price_ref=quote.sku or quote.price_key, publication_date=quote.publication_date[:10],
            upgrade_hours_per_year=upgrades.annual_hours if upgrades else 0.0,
            usd_per_hour=scenario.operations.engineer_rate_usd_per_hour,
            is_applied=is_in_extended_support(scenario)))
    return tuple(trades)


def _combine(scenario: Scenario, result: ScenarioEstimate, prices: PriceLookup) -> TcoResult:
    clusters = cluster_count(scenario)
    rows = tuple(PlatformTco(platform=e.platform, aws=e,
                             operations=overhead(e.platform, scenario.operations, clusters, fleet_nodes(e)),
                             complexity=complexity(e.platform)) for e in result.estimates)
    return TcoResult(scenario=scenario, estimate=result, platforms=rows,
                     extended_support=_trades(scenario, prices, rows), prices=prices)


def tco(scenario: Scenario, prices: PriceLookup, platforms: tuple[Platform, ...] | None = None, *,
        workers: int = 1) -> TcoResult:
    """AWS bill + operations per platform.

    Parameters
    ----------
    scenario : Scenario
        The workload, its environments and its ``operations`` inputs.
    prices : PriceLookup
        The price book (the bill, and the extended-support surcharge of the trade).
    platforms : tuple of Platform, optional
        Platforms to price; default the scenario's own list.
    workers : int, default 1
        Processes the platforms' placements may use (:func:`advisor.costs.estimate.estimate`); the
        shells pass the machine's cores. The result is the same for any number.

    Returns
    -------
    TcoResult
        Per platform: the estimate (with the surcharge line when EKS clusters are in
        extended support), the operations rows, the complexity score, and the
        extended-support trade of every EKS platform.
    """
    return _combine(scenario, estimate(billed_scenario(scenario), prices, platforms, workers=workers), prices)


def with_operations(result: TcoResult, operations: Operations) -> TcoResult:
    """``result`` with other operations inputs; the AWS estimates are reused when the bill cannot change.

    Only the EKS extended-support status changes the bill; any other change (rate, team,
    level, overrides) recomputes the operations rows alone, which costs microseconds.
    """
    scenario = result.scenario.model_copy(update={"operations": operations})
    if is_in_extended_support(scenario) != is_in_extended_support(result.scenario):
        asked = tuple(e.platform for e in result.estimate.estimates) + tuple(u.platform for u in result.unavailable)
        return tco(scenario, result.prices, asked)
    return _combine(scenario, result.estimate, result.prices)
