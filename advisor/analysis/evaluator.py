"""What an analysis measures for one scenario: monthly USD per platform, by a chosen metric.

Sweeps, sensitivity, Monte Carlo and projections only ever ask "what does this variant
cost on each platform?".  They take an :data:`Evaluator` (any callable from a scenario to
``{platform: monthly USD}``), so they work the same on the AWS bill, the operations cost
or the TCO, and tests can hand them a plain function with a known answer.

:class:`CostEvaluator` is the real one.  It prices each variant with
:func:`advisor.decision.tco.tco` and keeps a :class:`advisor.memo.Memo` of placements
across calls, so variants that share them (every traffic, rate or schedule change; every
repeated replica vector) skip the packing.  ``memoize=False`` gives the plain loop of
single TCO calls, the baseline the bench compares with.  Analyses hand it all their
variants at once (:func:`evaluate_all`), so it can spread them over the machine's cores.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum

from advisor.analysis.pool import parallel_map
from advisor.costs.prices import PriceLookup
from advisor.decision.tco import PlatformTco, TcoResult, tco
from advisor.memo import Memo
from advisor.workload.scenario import Platform, Scenario

#: Monthly USD of each platform that can run the scenario (platforms that cannot are absent).
Costs = Mapping[Platform, float]
Evaluator = Callable[[Scenario], Costs]


class Metric(StrEnum):
    """The number an analysis compares: the AWS bill, the operations cost, or their sum."""

    AWS = "aws"
    OPERATIONS = "operations"
    TCO = "tco"


#: The question users bring is "which costs less to run", so TCO is the default.
DEFAULT_METRIC = Metric.TCO

_MONTHLY_USD: dict[Metric, Callable[[PlatformTco], float]] = {
    Metric.AWS: lambda row: row.aws_monthly_usd,
    Metric.OPERATIONS: lambda row: row.operations_monthly_usd,
    Metric.TCO: lambda row: row.tco_monthly_usd,
}


def metric_costs(result: TcoResult, metric: Metric) -> dict[Platform, float]:
    """``{platform: monthly USD}`` of one TCO result under ``metric``."""
    value = _MONTHLY_USD[metric]
    return {row.platform: value(row) for row in result.platforms}


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
        Keep placements across calls (:mod:`advisor.memo`); the results are identical either
        way, only faster.
    memo : Memo, optional
        A memo to share with other evaluators of the same prices (the app keeps one, so its
        analyses reuse each other's placements); default a new one (when ``memoize``).
    workers : int, default 1
        Processes :meth:`evaluate_all` may use (:func:`advisor.analysis.pool.parallel_map`);
        the shells pass the machine's cores. The results are identical for any number.
    """

    def __init__(self, prices: PriceLookup, metric: Metric = DEFAULT_METRIC,
                 platforms: tuple[Platform, ...] | None = None, *, memoize: bool = True, memo: Memo | None = None,
                 workers: int = 1) -> None:
        self.prices = prices
        self.metric = Metric(metric)
        self.platforms = platforms
        self.memo = (memo or Memo()) if memoize else None
        self.workers = workers

    def __call__(self, scenario: Scenario) -> dict[Platform, float]:
        if self.memo is None:
            return metric_costs(tco(scenario, self.prices, self.platforms), self.metric)
        with self.memo.active():
            return metric_costs(tco(scenario, self.prices, self.platforms), self.metric)

    def evaluate_all(self, scenarios: Sequence[Scenario]) -> list[dict[Platform, float]]:
        """``[self(s) for s in scenarios]``, on up to ``workers`` processes.

        Variants with the same replicas are handed to the same worker (they share
        placements), so the work is ordered by replicas before it is split, and the
        results are put back in the caller's order.
        """
        if self.workers <= 1:
            return [self(s) for s in scenarios]
        order = sorted(range(len(scenarios)), key=lambda i: _replica_signature(scenarios[i]))
        results = parallel_map(self, [scenarios[i] for i in order], self.workers)
        placed: list[dict[Platform, float]] = [{}] * len(scenarios)
        for position, i in enumerate(order):
            placed[i] = results[position]
        return placed


def _replica_signature(scenario: Scenario) -> tuple[tuple[int, int], ...]:
    """What most placements of a variant depend on: each service's replica range."""
    return tuple((s.replicas.min, s.replicas.max) for s in scenario.services)


def evaluate_all(evaluator: Evaluator, scenarios: Sequence[Scenario]) -> list[Costs]:
    """Costs of each scenario, in order: through the evaluator's ``evaluate_all`` when it has one
    (:class:`CostEvaluator` spreads them over its workers), else one call at a time."""
    many = getattr(evaluator, "evaluate_all", None)
    return list(many(scenarios)) if many is not None else [evaluator(s) for s in scenarios]
