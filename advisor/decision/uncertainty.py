"""Cost ranges: P10/P50/P90 per platform and the chance each is cheapest, from the operations ranges.

Why this exists
---------------
Every operations number is a range (:mod:`advisor.operations.activities`), so a single TCO
hides how sure the ranking is.  Drawing every range together and adding each draw's
engineer time to the AWS bill gives each platform's TCO range and the share of draws in
which it is cheapest: the confidence a recommendation can honestly state.

The AWS bill does not change with the operations ranges, so a :class:`TcoResult`'s bill
and placements are reused as they are and only the hours are drawn, vectorized: thousands
of draws cost milliseconds.  Each draw takes one uniform quantile per operations factor
(:data:`advisor.operations.overhead.OPERATIONS_FACTORS`), shared by every platform, from
one seeded generator in factor order, so a seed reproduces a run exactly.  Ranges of the
scenario's own inputs (replicas, traffic, the engineer rate) need an estimate per draw:
:func:`advisor.analysis.montecarlo.simulate` draws those and uses :func:`drawn_costs` here
for the operations part.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from advisor.decision.tco import DEFAULT_METRIC, Metric, TcoResult
from advisor.operations.factors import OPERATIONS_FACTORS, Factor, Quantiles, effective_quantiles
from advisor.workload.scenario import Platform

#: Percentiles reported: P10 / P50 / P90, the usual "low / expected / high" of cost ranges.
PERCENTILES = (10.0, 50.0, 90.0)
#: Draws of the default ranges: the probability of being cheapest is then known to about
#: ±1 percentage point (binomial standard error at 50%: √(0.25 / 2000) ≈ 1.1%).
DEFAULT_DRAWS = 2000
DEFAULT_SEED = 0
#: Entropy mixed into the seed of the operations quantiles, so they never repeat the stream a
#: Monte Carlo run draws its inputs from with the same seed.
OPERATIONS_STREAM = 16
#: What the default ranges draw, in words.
OPERATIONS_RANGES = "the operations activity ranges"


@dataclass(frozen=True, slots=True, kw_only=True)
class PlatformRange:
    """One platform's cost range over the draws it can run [USD/month]."""

    platform: Platform
    p10_usd: float
    p50_usd: float
    p90_usd: float
    mean_usd: float
    probability_cheapest: float
    available_share: float


@dataclass(frozen=True, slots=True, kw_only=True)
class CostRanges:
    """Every platform's range under one metric, and what was drawn to get them."""

    metric: Metric
    draws: int
    seed: int
    drawn: tuple[str, ...]
    ranges: tuple[PlatformRange, ...]

    def of(self, platform: Platform) -> PlatformRange | None:
        return next((r for r in self.ranges if r.platform is platform), None)

    def most_often_cheapest(self) -> PlatformRange | None:
        """The platform cheapest in the most draws (ties: the first in platform order)."""
        return max(self.ranges, key=lambda r: r.probability_cheapest, default=None)

    @property
    def description(self) -> str:
        """``2,000 draws of the operations activity ranges`` (or that nothing was drawn)."""
        if not self.drawn:
            return "no uncertain input drawn"
        return f"{self.draws:,} draws of " + " and ".join(self.drawn)


def summarize(costs: Mapping[Platform, np.ndarray]) -> tuple[PlatformRange, ...]:
    """P10/P50/P90, mean, share of draws each platform is cheapest (ties shared) and can run (NaN: cannot)."""
    matrix = np.column_stack([costs[p] for p in costs])
    runnable = ~np.isnan(matrix)
    lowest = np.where(runnable, matrix, np.inf).min(axis=1, keepdims=True)
    winners = runnable & (matrix == lowest)
    share = winners / np.maximum(winners.sum(axis=1, keepdims=True), 1)
    ranges = []
    for column, platform in enumerate(costs):
        values = matrix[runnable[:, column], column]
        p10, p50, p90 = np.percentile(values, PERCENTILES)
        ranges.append(PlatformRange(platform=platform, p10_usd=float(p10), p50_usd=float(p50), p90_usd=float(p90),
                                    mean_usd=float(values.mean()), probability_cheapest=float(share[:, column].mean()),
                                    available_share=float(runnable[:, column].mean())))
    return tuple(ranges)


def operations_quantiles(draws: int, seed: int, factors: tuple[Factor, ...] = OPERATIONS_FACTORS
                         ) -> dict[str, np.ndarray]:
    """``draws`` uniform quantiles per factor, in factor order from one generator seeded with ``seed``."""
    rng = np.random.default_rng((seed, OPERATIONS_STREAM))
    return {f.name: rng.random(draws) for f in factors}


def drawn_costs(result: TcoResult, quantiles: Quantiles, size: int, metric: Metric = DEFAULT_METRIC
                ) -> dict[Platform, np.ndarray]:
    """Each platform's monthly ``metric`` in ``size`` draws: the bill as priced, the hours at ``quantiles``.

    ``quantiles`` are independent uniform draws per factor name (:func:`operations_quantiles`).
    """
    return costs_at(result, effective_quantiles(quantiles), size, metric)


def costs_at(result: TcoResult, effective: Quantiles, size: int, metric: Metric = DEFAULT_METRIC
             ) -> dict[Platform, np.ndarray]:
    """:func:`drawn_costs` at quantiles already mixed by :func:`effective_quantiles`.

    A Monte Carlo run mixes all its draws' quantiles once, then reads one draw per variant.
    """
    out = {}
    for p in result.platforms:
        aws = np.full(size, p.aws_monthly_usd)
        operations = p.operations.monthly_hours_at(effective, size) * p.operations.usd_per_hour
        out[p.platform] = {Metric.AWS: aws, Metric.OPERATIONS: operations, Metric.TCO: aws + operations}[metric]
    return out


def tco_ranges(result: TcoResult, metric: Metric = DEFAULT_METRIC, *, draws: int = DEFAULT_DRAWS,
               seed: int = DEFAULT_SEED) -> CostRanges:
    """Each platform's range and chance of being cheapest, drawing the operations ranges (the bill as priced).

    Parameters
    ----------
    result : TcoResult
        The scenario's TCO (:func:`advisor.decision.tco.tco`); its bills and nodes are reused.
    metric : Metric
        ``tco`` (default) or ``operations`` draw the hours; ``aws`` compares the bills alone,
        which no operations range moves (each range is then a point).
    draws, seed : int
        Number of draws and the generator's seed (same seed, same result).

    Returns
    -------
    CostRanges
        Empty when no platform could be priced.
    """
    if not result.platforms:
        return CostRanges(metric=metric, draws=draws, seed=seed, drawn=(), ranges=())
    moves = metric is not Metric.AWS
    size = draws if moves else 1
    quantiles = operations_quantiles(draws, seed) if moves else {}
    return CostRanges(metric=metric, draws=size, seed=seed, drawn=(OPERATIONS_RANGES,) if moves else (),
                      ranges=summarize(drawn_costs(result, quantiles, size, metric)))
