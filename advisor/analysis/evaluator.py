"""What an analysis measures for one scenario: monthly USD per platform, by a chosen metric.

Sweeps, sensitivity, Monte Carlo and projections only ever ask "what does this variant
cost on each platform?".  They take an :data:`Evaluator` (any callable from a scenario to
``{platform: monthly USD}``), so they work the same on the AWS bill, the operations cost
or the TCO, and tests can hand them a plain function with a known answer.

:class:`CostEvaluator` is the real one.  It prices each variant with
:func:`advisor.decision.tco.tco` and keeps a :class:`advisor.memo.Memo` of node shapes and
placements across calls, so variants that share them (every traffic, rate or schedule
change; every repeated replica vector) skip the packing, and variants that change only the
operations inputs (rate, team, overhead level) reuse the bill outright.  ``memoize=False``
gives the plain loop of single TCO calls, the baseline the bench compares with.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping

from advisor.costs.prices import PriceLookup
from advisor.decision.tco import DEFAULT_METRIC, Metric, TcoResult, tco, with_operations
from advisor.memo import Memo
from advisor.workload.operations_inputs import Operations
from advisor.workload.scenario import Platform, Scenario

#: Monthly USD of each platform that can run the scenario (platforms that cannot are absent).
Costs = Mapping[Platform, float]
Evaluator = Callable[[Scenario], Costs]


def metric_costs(result: TcoResult, metric: Metric) -> dict[Platform, float]:
    """``{platform: monthly USD}`` of one TCO result under ``metric``."""
    return {row.platform: row.monthly_usd(metric) for row in result.platforms}


class CostEvaluator:
    """Monthly USD per platform of a scenario under one metric, with placements memoized.

    Parameters
    ----------
    prices : PriceLookup
        The price book every variant is priced with.
    metric : Metric, default DEFAULT_METRIC (TCO)
        What to compare.
    platforms : tuple of Platform, optional
        Platforms to price; default each scenario's own list.
    memoize : bool, default True
        Keep node shapes and placements across calls (:mod:`advisor.memo`); the results are
        identical either way, only faster.
    """

    def __init__(self, prices: PriceLookup, metric: Metric = DEFAULT_METRIC,
                 platforms: tuple[Platform, ...] | None = None, *, memoize: bool = True) -> None:
        self.prices = prices
        self.metric = Metric(metric)
        self.platforms = platforms
        self.memo = Memo() if memoize else None
        self._bills: OrderedDict[str, TcoResult] = OrderedDict()

    def __call__(self, scenario: Scenario) -> dict[Platform, float]:
        return metric_costs(self.result(scenario), self.metric)

    def result(self, scenario: Scenario) -> TcoResult:
        """The variant's whole TCO result; a variant that differs only in its operations reuses the bill."""
        if self.memo is None:
            return tco(scenario, self.prices, self.platforms)
        key = _bill_key(scenario)
        priced = self._bills.get(key)
        if priced is not None:
            self._bills.move_to_end(key)
            return with_operations(priced, scenario.operations)
        with self.memo.active():
            priced = tco(scenario, self.prices, self.platforms)
        self._bills[key] = priced
        if len(self._bills) > MAX_REUSED_BILLS:
            self._bills.popitem(last=False)
        return priced


#: Bills kept for variants that change only the operations inputs (each result holds its line items).
MAX_REUSED_BILLS = 64


def _bill_key(scenario: Scenario) -> str:
    """Everything the AWS bill reads: the scenario without its operations, but with the EKS upgrade strategy."""
    strategy = Operations(eks_upgrade_strategy=scenario.operations.eks_upgrade_strategy)
    return scenario.model_copy(update={"operations": strategy}).model_dump_json()
