"""Everything a comparison shows, in one call: TCO, cost ranges, the recommendation and what decides it.

``advisor compare``, the app's Compare page and the reports all show the same things: each
platform's point estimate (the sum of its line items and activity rows), its range
(P10/P50/P90) and chance of being cheapest, the recommendation whose confidence is that
chance, and the inputs ranked by how much of the decision they carry (Sobol indices).  By
default the ranges draw the operations model's own ranges only, reusing the bill; ranges a
user gives to scenario inputs are drawn too (each draw then needs an estimate).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from advisor.analysis.evaluator import CostEvaluator
from advisor.analysis.global_sensitivity import DEFAULT_BASE_SAMPLES, SobolRanking, sobol_ranking
from advisor.analysis.montecarlo import Distribution, simulate
from advisor.analysis.parameters import InvalidAnalysis
from advisor.costs.prices import PriceLookup
from advisor.decision.recommend import Recommendation, recommend
from advisor.decision.tco import DEFAULT_METRIC, Metric, TcoResult, tco
from advisor.decision.uncertainty import DEFAULT_DRAWS, DEFAULT_SEED, CostRanges, tco_ranges
from advisor.memo import active_memo
from advisor.workload.scenario import Platform, Scenario

#: Draws when scenario inputs have ranges: each is one estimate (placements are reused when
#: replica vectors repeat), so fewer than the operations-only default.
DEFAULT_INPUT_DRAWS = 200
#: Saltelli base samples when scenario inputs have ranges: each distinct draw is one estimate.
DEFAULT_INPUT_BASE_SAMPLES = 32


@dataclass(frozen=True, slots=True, kw_only=True)
class Assessment:
    """A scenario's TCO, its ranges, the recommendation and the sensitivity ranking (or why there is none)."""

    result: TcoResult
    metric: Metric
    ranges: CostRanges
    recommendation: Recommendation
    sensitivity: SobolRanking | None
    sensitivity_note: str
    inputs: tuple[tuple[str, Distribution], ...] = ()


def assess(scenario: Scenario, prices: PriceLookup, *, platforms: tuple[Platform, ...] | None = None,
           metric: Metric = DEFAULT_METRIC, inputs: Mapping[str, Distribution] | None = None,
           draws: int | None = None, seed: int = DEFAULT_SEED, base_samples: int | None = None,
           solve_replicas: bool = True, result: TcoResult | None = None,
           recommendation: Recommendation | None = None, workers: int = 1) -> Assessment:
    """Price ``scenario``, draw its ranges, recommend and rank what decides it.

    Parameters
    ----------
    metric : Metric
        ``tco`` (default) or ``aws`` (compare the AWS bills alone: no operations range is drawn).
    inputs : mapping of parameter name to distribution, optional
        Scenario inputs to draw as well (``replicas_scale``, the engineer rate...).
    draws, base_samples : int, optional
        Monte Carlo draws and Saltelli base samples; defaults depend on whether ``inputs``
        need estimates (:data:`DEFAULT_DRAWS`, :data:`DEFAULT_INPUT_DRAWS`, ...).
    result : TcoResult, optional
        The scenario's TCO when the caller has it already (it is not priced again).
    recommendation : Recommendation, optional
        Its recommendation (with the default ranges) when the caller has it already: reused,
        ranges included, when no input is drawn.
    workers : int, default 1
        Processes the estimates and draws may use; the shells pass the machine's cores (the
        same answer for any number).
    """
    metric = Metric(metric)
    inputs = dict(inputs or {})
    result = result if result is not None else tco(scenario, prices, platforms, workers=workers)
    # The draws share the caller's memo (advisor compare keeps one), so they reuse its placements.
    evaluator = CostEvaluator(prices, metric, platforms, memo=active_memo(), workers=workers) if inputs else None
    if recommendation is not None and evaluator is None and recommendation.metric is metric:
        rec = recommendation
    else:
        if evaluator is not None:
            count = draws if draws is not None else DEFAULT_INPUT_DRAWS
            ranges = simulate(scenario, evaluator, inputs, samples=count, seed=seed,
                              operations=metric is not Metric.AWS).cost_ranges()
        else:
            ranges = tco_ranges(result, metric, draws=draws if draws is not None else DEFAULT_DRAWS, seed=seed)
        rec = recommend(result, solve_replicas=solve_replicas, metric=metric, ranges=ranges)
    samples = base_samples if base_samples is not None else (
        DEFAULT_INPUT_BASE_SAMPLES if inputs else DEFAULT_BASE_SAMPLES)
    sensitivity, note = None, ""
    if len(result.platforms) < 2:
        note = "only one platform can run this workload: there is no decision to rank inputs for"
    elif metric is Metric.AWS and not inputs:
        note = "no operations range moves the AWS bills: give scenario inputs a range to rank them"
    else:
        try:
            sensitivity = sobol_ranking(result, metric, inputs=inputs, evaluator=evaluator, base_samples=samples,
                                        seed=seed)
        except InvalidAnalysis as exc:
            note = f"no sensitivity ranking: {exc}"
    return Assessment(result=result, metric=metric, ranges=rec.ranges, recommendation=rec, sensitivity=sensitivity,
                      sensitivity_note=note, inputs=tuple(sorted(inputs.items())))
