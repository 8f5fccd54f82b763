"""Global sensitivity: which uncertain inputs decide the recommendation (Sobol indices, by SALib).

Why this exists
---------------
The tornado (:mod:`advisor.analysis.sensitivity`) moves one input at a time around its base
value.  The recommendation hangs on many uncertain numbers at once (every operations range,
and any input a user gives a range), and they interact: upgrade hours matter more when the
team is slow.  Sobol indices split the variance of the gap between the two best platforms
among all uncertain inputs drawn together:

- the **first-order** index S1 is the share of the gap's variance an input explains alone;
- the **total** index ST adds its interactions with the others.

Inputs are ranked by ST: an input with a small ST can be fixed anywhere in its range without
changing the answer; the top ones are what to pin down before deciding.  The design and the
estimators are SALib's (Saltelli sampling, Jansen/Saltelli estimators, bootstrap confidence
intervals); this module only maps its unit-cube samples onto the model.

The output is the gap ``runner-up − best`` (monthly, under the chosen metric), with the two
taken from the base scenario's point estimates.  The AWS bill does not move with the
operations ranges, so rows that differ only in operations quantiles share one estimate: with
operations ranges alone, every row is evaluated vectorized from one TCO result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from advisor.analysis.evaluator import CostEvaluator
from advisor.analysis.montecarlo import Distribution
from advisor.analysis.parameters import InvalidAnalysis, ParameterSpace, Variants
from advisor.decision.tco import DEFAULT_METRIC, Metric, TcoResult
from advisor.decision.uncertainty import costs_at
from advisor.operations.factors import OPERATIONS_FACTORS, effective_quantiles
from advisor.workload.scenario import Platform

#: Base samples N of the Saltelli design (N × (inputs + 2) model runs).  A power of two keeps the
#: Sobol sequence balanced; 1,024 gives confidence intervals of a few hundredths on the
#: vectorized operations model.  With inputs that change the bill, each distinct input draw is
#: one estimate, so callers choose fewer.
DEFAULT_BASE_SAMPLES = 1024
#: Bootstrap resamples of SALib's confidence intervals (95%).
CONFIDENCE_RESAMPLES = 100


@dataclass(frozen=True, slots=True, kw_only=True)
class SobolIndex:
    """One input's share of the gap's variance: alone (S1) and with its interactions (ST), ± 95% intervals."""

    name: str
    label: str
    first_order: float
    first_order_conf: float
    total: float
    total_conf: float


@dataclass(frozen=True, slots=True, kw_only=True)
class SobolRanking:
    """The inputs ranked by total index, for the gap between the two best platforms."""

    metric: Metric
    best: Platform
    runner_up: Platform
    base_gap_usd: float
    gap_sd_usd: float
    runs: int
    base_samples: int
    seed: int
    indices: tuple[SobolIndex, ...]

    @property
    def description(self) -> str:
        return (f"Sobol indices of the monthly gap {self.runner_up.value} − {self.best.value} "
                f"({self.metric.value}) over {self.runs:,} model runs")


def _problem(names: list[str]) -> dict[str, object]:
    return {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}


def sobol_ranking(result: TcoResult, metric: Metric = DEFAULT_METRIC, *,
                  inputs: Mapping[str, Distribution] | None = None, evaluator: CostEvaluator | None = None,
                  base_samples: int = DEFAULT_BASE_SAMPLES, seed: int = 0) -> SobolRanking:
    """Rank every uncertain input by how much of the gap between the two best platforms it decides.

    Parameters
    ----------
    result : TcoResult
        The base scenario's TCO; its two cheapest platforms (by ``metric``) define the gap.
    metric : Metric
        ``tco`` (default) or ``operations`` draw the operations ranges; ``aws`` draws only
        ``inputs`` (no operations range moves the bill).
    inputs : mapping of parameter name to distribution, optional
        Scenario inputs drawn too (replicas, traffic, the engineer rate...); each distinct
        draw is priced once by ``evaluator``.
    evaluator : CostEvaluator, optional
        Prices the variants ``inputs`` make; required with ``inputs``.
    base_samples : int
        N of the Saltelli design, a power of two from 8 to 65,536.
    seed : int
        Seed of the design and of the bootstrap.

    Raises
    ------
    InvalidAnalysis
        Fewer than two platforms, nothing uncertain to draw, a bad ``base_samples``, or a
        draw that a platform cannot run.
    """
    from SALib.analyze import sobol as sobol_analyze  # SALib imports scipy.stats: load it only when used
    from SALib.sample import sobol as sobol_sample

    inputs = dict(inputs or {})
    if not (isinstance(base_samples, int) and 8 <= base_samples <= 65536 and base_samples & (base_samples - 1) == 0):
        raise InvalidAnalysis("base_samples", base_samples, "a power of two from 8 to 65,536")
    if inputs and evaluator is None:
        raise InvalidAnalysis("evaluator", None, "a CostEvaluator to price the inputs' draws")
    ranked = result.ranked(metric)
    if len(ranked) < 2:
        raise InvalidAnalysis("platforms", [p.platform.value for p in ranked], "at least two platforms to compare")
    best, runner_up = ranked[0].platform, ranked[1].platform
    factors = OPERATIONS_FACTORS if metric is not Metric.AWS else ()
    names = [*sorted(inputs), *(f.name for f in factors)]
    if not names:
        raise InvalidAnalysis("inputs", inputs, "at least one uncertain input (the AWS bill alone moves with none)")
    problem = _problem(names)
    design = sobol_sample.sample(problem, base_samples, calc_second_order=False, seed=seed)
    gap = _gaps(result, metric, design, names, inputs, evaluator, best, runner_up)
    labels = {f.name: f.label for f in factors}
    if np.var(gap) == 0:
        indices = [SobolIndex(name=n, label=labels.get(n, n), first_order=0.0, first_order_conf=0.0, total=0.0,
                              total_conf=0.0) for n in names]
    else:
        # SALib seeds its bootstrap only for a truthy seed, so 0 would make the intervals vary run to run.
        found = sobol_analyze.analyze(problem, gap, calc_second_order=False, num_resamples=CONFIDENCE_RESAMPLES,
                                      seed=seed + 1, print_to_console=False)
        indices = [SobolIndex(name=n, label=labels.get(n, n), first_order=float(found["S1"][i]),
                              first_order_conf=float(found["S1_conf"][i]), total=float(found["ST"][i]),
                              total_conf=float(found["ST_conf"][i])) for i, n in enumerate(names)]
    indices.sort(key=lambda x: (-x.total, x.name))
    base = ranked[1].monthly_usd(metric) - ranked[0].monthly_usd(metric)
    return SobolRanking(metric=metric, best=best, runner_up=runner_up, base_gap_usd=base, gap_sd_usd=float(gap.std()),
                        runs=len(gap), base_samples=base_samples, seed=seed, indices=tuple(indices))


def _gaps(result: TcoResult, metric: Metric, design: np.ndarray, names: list[str],
          inputs: Mapping[str, Distribution], evaluator: CostEvaluator | None, best: Platform,
          runner_up: Platform) -> np.ndarray:
    """The gap of every design row; rows with the same scenario inputs share one estimate.

    The estimates are of the two platforms alone (see :class:`Variants`), all handed to the
    evaluator at once so that it spreads them over its workers.
    """
    columns = {n: design[:, i] for i, n in enumerate(names)}
    quantiles = effective_quantiles({n: q for n, q in columns.items() if n not in inputs})
    values = {n: inputs[n].ppf(columns[n]) for n in sorted(inputs)}
    groups: dict[tuple[float, ...], list[int]] = {}
    for row, key in enumerate(zip(*values.values(), strict=True) if values else [()] * len(design)):
        groups.setdefault(tuple(float(v) for v in key), []).append(row)
    keys = list(groups)

    def gaps_of(i: int, here: TcoResult) -> np.ndarray:
        """The gaps of the design rows that share the i-th inputs, on that variant's result."""
        rows = groups[keys[i]]
        costs = costs_at(here, {n: q[rows] for n, q in quantiles.items()}, len(rows), metric)
        if best not in costs or runner_up not in costs:
            raise InvalidAnalysis("inputs", dict(zip(values, keys[i], strict=True)),
                                  f"values {best.value} and {runner_up.value} can both run (narrow the ranges)")
        return costs[runner_up] - costs[best]

    def gaps_of_each(variants: list[int], here: TcoResult) -> list[np.ndarray]:
        """:func:`gaps_of` of each of ``variants``, which are the same scenario (``here`` is its result)."""
        return [gaps_of(i, here) for i in variants]

    if values and evaluator is not None:
        variants = Variants(ParameterSpace(result.scenario), [dict(zip(values, key, strict=True)) for key in keys],
                            platforms=[(best, runner_up)] * len(keys))
        parts = evaluator.evaluate_all(variants, costs=gaps_of_each)
    else:
        parts = [gaps_of(i, result) for i in range(len(keys))]
    gap = np.empty(len(design))
    for key, part in zip(keys, parts, strict=True):
        gap[groups[key]] = part
    return gap
