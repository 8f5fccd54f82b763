"""What an analysis measures for one scenario: monthly USD per platform, by a chosen metric.

Sweeps, sensitivity, Monte Carlo and projections only ever ask "what does this variant
cost on each platform?".  They take an :data:`Evaluator` (any callable from a scenario to
``{platform: monthly USD}``), so they work the same on the AWS bill, the operations cost
or the TCO, and tests can hand them a plain function with a known answer.

:class:`CostEvaluator` is the real one.  It prices each variant with
:func:`advisor.decision.tco.tco` and keeps a :class:`advisor.memo.Memo` of placements
across calls, so variants that share them (every traffic, rate or schedule change; every
repeated replica vector) skip the packing, and variants that change only the operations
inputs (rate, team, overhead level) reuse the bill outright.  ``memoize=False`` prices
every call with a TCO of its own (variants that are one scenario are still priced once by
:meth:`CostEvaluator.evaluate_all`); the bench's baseline, the plain loop, calls it one
variant at a time.  Analyses hand it
all their variants at once (:func:`evaluate_all`), so it can spread them over the
machine's cores.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TypeVar, overload

from advisor.costs.estimate import prefetch_placements
from advisor.costs.prices import PriceLookup
from advisor.decision.tco import DEFAULT_METRIC, Metric, TcoResult, billed_scenario, tco, with_operations
from advisor.memo import Memo
from advisor.pool import parallel_map
from advisor.workload.operations_inputs import Operations
from advisor.workload.scenario import Platform, Scenario

#: Monthly USD of each platform that can run the scenario (platforms that cannot are absent).
Costs = Mapping[Platform, float]
Evaluator = Callable[[Scenario], Costs]
R = TypeVar("R")


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
        Keep placements across calls (:mod:`advisor.memo`); the results are identical either
        way, only faster.
    memo : Memo, optional
        A memo to share with other evaluators of the same prices (the app keeps one, so its
        analyses reuse each other's placements); default a new one (when ``memoize``).
    workers : int, default 1
        Processes :meth:`evaluate_all` may use (:func:`advisor.pool.parallel_map`);
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
        self._bills: OrderedDict[str, TcoResult] = OrderedDict()

    def __call__(self, scenario: Scenario) -> dict[Platform, float]:
        return metric_costs(self.result(scenario), self.metric)

    def result(self, scenario: Scenario, *, workers: int = 1) -> TcoResult:
        """The variant's whole TCO result; a variant that differs only in its operations reuses the bill.

        ``workers`` > 1 packs the variant's platforms on that many processes (one variant alone).
        """
        if self.memo is None:
            return tco(scenario, self.prices, self.platforms)
        key = _bill_key(scenario)
        priced = self._bills.get(key)
        if priced is not None:
            self._bills.move_to_end(key)
            return with_operations(priced, scenario.operations)
        with self.memo.active():
            priced = tco(scenario, self.prices, self.platforms, workers=workers)
        self._bills[key] = priced
        if len(self._bills) > MAX_REUSED_BILLS:
            self._bills.popitem(last=False)
        return priced

    @overload
    def evaluate_all(self, scenarios: Sequence[Scenario]) -> list[dict[Platform, float]]: ...

    @overload
    def evaluate_all(self, scenarios: Sequence[Scenario],
                     costs: Callable[[list[int], TcoResult], Sequence[R]]) -> list[R]: ...

    def evaluate_all(self, scenarios: Sequence[Scenario],
                     costs: Callable[[list[int], TcoResult], Sequence[object]] | None = None) -> list[object]:
        """What the caller keeps of each variant, in order, priced on up to ``workers`` processes.

        Variants that are the same scenario (``scenario_key`` of
        :class:`advisor.analysis.parameters.Variants`: a replica scale's draws that round to the
        same counts) are priced once, and ``costs(indices, result)`` turns that shared result
        into what the caller keeps for each of ``indices`` (default: the metric's totals; Monte
        Carlo adds each draw's operations ranges, the Sobol ranking the gaps of the design rows
        that share the variant). One call per scenario, not per variant: a 1,000-draw Monte Carlo
        of the microservices example reads its operations ranges in 27 vectorised calls, not
        1,000 (its pricing phase 0.72 s -> 0.16-0.19 s in one process, 0.40 s -> 0.11 s on two
        workers in ``advisor analyze simulate``). The groups are the same with any number of
        workers, so the numbers are too.

        With workers, the variants' distinct placements are made first, each once (of one
        variant per placement key, ``PREFETCH_VARIANTS`` at most: :func:`_prefetch_sample`,
        :func:`advisor.costs.estimate.prefetch_placements`; the small ones in the caller,
        before the workers fork); then the workers, forked with them in the memo, price the
        scenarios. The variants are ordered by replicas before they are split, so that those
        beyond the sample that share placements meet the same worker, and the results are put
        back in the caller's order. A single variant (a round of a sweep's crossing search
        often asks one) has its placements made on the workers by its own estimate.
        """
        alone = self.workers if len(scenarios) == 1 else 1
        order = list(range(len(scenarios)))
        if self.workers > 1:
            order_key = getattr(scenarios, "order_key", None)   # Variants: ordered without being made here
            order.sort(key=order_key or (lambda i: _replica_signature(scenarios[i])))
            if self.memo is not None and len(scenarios) > 1:
                sample = [scenarios[i] for i in _prefetch_sample(scenarios, order)]
                with self.memo.active():
                    prefetch_placements([(billed_scenario(s), p) for s in sample
                                         for p in self.platforms or s.platforms], self.prices, self.workers)
        same = getattr(scenarios, "scenario_key", None)
        groups: dict[Hashable, list[int]] = {}
        for i in order:
            groups.setdefault(same(i) if same is not None else i, []).append(i)

        def priced(group: list[int]) -> Sequence[object]:
            result = self.result(scenarios[group[0]], workers=alone)
            if costs is not None:
                return costs(group, result)
            totals = metric_costs(result, self.metric)
            return [dict(totals) for _ in group]

        placed: list[object] = [None] * len(scenarios)
        for group, rows in zip(groups.values(), parallel_map(priced, list(groups.values()), self.workers), strict=True):
            for i, row in zip(group, rows, strict=True):
                placed[i] = row
        return placed


#: Variants at most whose placements :meth:`CostEvaluator.evaluate_all` gathers before its workers
#: start: the caller makes each of them and reads its pod groups (about 0.5 ms a variant of the
#: microservices example, 1.5 ms of the 50-service bench workload) while the workers wait. Only
#: one variant of each placement key is gathered (see :func:`_prefetch_sample`); beyond this many
#: keys, an even sample: the placements that recur are likely in it, and the workers make the
#: others as they meet them. Measured on the 10,000-draw bench: 35.3 s with 250, 34.8-38.2 s with
#: 1,000 (the VM's noise is larger than the difference).
PREFETCH_VARIANTS = 1_000

#: Bills kept for variants that change only the operations inputs (each result holds its line items).
MAX_REUSED_BILLS = 64


def _bill_key(scenario: Scenario) -> str:
    """Everything the AWS bill reads: the scenario without its operations, but with the EKS upgrade strategy."""
    strategy = Operations(eks_upgrade_strategy=scenario.operations.eks_upgrade_strategy)
    return scenario.model_copy(update={"operations": strategy}).model_dump_json()


def _prefetch_sample(scenarios: Sequence[Scenario], order: list[int]) -> list[int]:
    """The variants (indices, in ``order``) whose placements are gathered before the workers start.

    One of each :meth:`advisor.analysis.parameters.Variants.placement_key` (variants that place
    the same nodes: a replica scale's thousand draws give some thirty replica counts, a ranking
    of operations inputs one), then an even sample of ``PREFETCH_VARIANTS`` at most.
    """
    placement_key = getattr(scenarios, "placement_key", None)
    if placement_key is not None:
        first: dict[Hashable, int] = {}
        for i in order:
            first.setdefault(placement_key(i), i)
        order = list(first.values())
    return order[::-(-len(order) // PREFETCH_VARIANTS)]


def _replica_signature(scenario: Scenario) -> tuple[tuple[int, int], ...]:
    """What most placements of a variant depend on: each service's replica range."""
    return tuple((s.replicas.min, s.replicas.max) for s in scenario.services)


def evaluate_all(evaluator: Evaluator, scenarios: Sequence[Scenario]) -> list[Costs]:
    """Costs of each scenario, in order: through the evaluator's ``evaluate_all`` when it has one
    (:class:`CostEvaluator` spreads them over its workers), else one call at a time."""
    many = getattr(evaluator, "evaluate_all", None)
    return list(many(scenarios)) if many is not None else [evaluator(s) for s in scenarios]
