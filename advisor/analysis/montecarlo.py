"""Cost ranges by Monte Carlo: inputs as distributions, P10/P50/P90 per platform, and the chance each is cheapest.

Why this exists
---------------
Inputs are estimates (peak replicas, traffic, the engineer rate), so a single total hides
how confident the ranking is.  Drawing the uncertain inputs together and pricing every
draw gives each platform's cost range and the share of draws in which it is cheapest,
which is the confidence a recommendation can honestly claim.

Draws come from one seeded ``numpy.random.Generator``, inputs taken in name order, so a
seed reproduces a run exactly whatever order the inputs were given in.  Integer fields
are rounded to the nearest whole number after drawing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from scipy.special import ndtr, ndtri

from advisor.analysis.evaluator import CostEvaluator, Evaluator, evaluate_all
from advisor.analysis.parameters import InvalidAnalysis, ParameterSpace, Variants
from advisor.decision.tco import DEFAULT_METRIC, Metric, TcoResult
from advisor.decision.uncertainty import (
    OPERATIONS_RANGES,
    CostRanges,
    PlatformRange,
    costs_at,
    drawn_costs,
    operations_quantiles,
    summarize,
)
from advisor.operations.factors import effective_quantiles
from advisor.operations.ranges import triangular_ppf
from advisor.workload.scenario import Platform, Scenario

#: Samples at most in one run: each sample is one full estimate.
MAX_SAMPLES = 1_000_000
#: A truncated normal must keep at least this share of its mass, or rejection sampling
#: would spin; such a narrow window is better written as a uniform range.
MIN_TRUNCATED_MASS = 1e-3


def _check(condition: bool, name: str, value: object, allowed: str) -> None:
    if not condition:
        raise InvalidAnalysis(name, value, allowed)


def _finite(*values: float) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in values)


@dataclass(frozen=True, slots=True)
class Uniform:
    """Every value in [low, high) equally likely."""

    low: float
    high: float

    def __post_init__(self) -> None:
        _check(_finite(self.low, self.high) and self.low < self.high, "uniform", (self.low, self.high),
               "finite low < high (the range is empty otherwise)")

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.uniform(self.low, self.high, size)

    def ppf(self, q: np.ndarray) -> np.ndarray:
        """Values at quantiles ``q`` (the inverse of the distribution function)."""
        return self.low + q * (self.high - self.low)


@dataclass(frozen=True, slots=True)
class Triangular:
    """Between low and high, most likely at ``mode``: a three-point estimate."""

    low: float
    mode: float
    high: float

    def __post_init__(self) -> None:
        _check(_finite(self.low, self.mode, self.high) and self.low <= self.mode <= self.high and self.low < self.high,
               "triangular", (self.low, self.mode, self.high), "finite low <= mode <= high with low < high")

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.triangular(self.low, self.mode, self.high, size)

    def ppf(self, q: np.ndarray) -> np.ndarray:
        """Values at quantiles ``q`` (the inverse of the distribution function)."""
        return triangular_ppf(q, self.low, self.mode, self.high)


@dataclass(frozen=True, slots=True)
class TruncatedNormal:
    """A normal distribution (``mean``, ``sd``) cut to [low, high], sampled by rejection."""

    mean: float
    sd: float
    low: float = -math.inf
    high: float = math.inf

    def __post_init__(self) -> None:
        _check(_finite(self.mean, self.sd) and self.sd > 0, "normal", (self.mean, self.sd), "finite mean and sd > 0")
        _check(self.low < self.high, "normal", (self.low, self.high), "low < high")
        _check(self.mass >= MIN_TRUNCATED_MASS, "normal", (self.mean, self.sd, self.low, self.high),
               f"a window holding at least {MIN_TRUNCATED_MASS:g} of the distribution (use a uniform range)")

    @property
    def mass(self) -> float:
        """Probability of the normal falling in [low, high]."""
        def cdf(x: float) -> float:
            return 0.5 * (1 + math.erf((x - self.mean) / (self.sd * math.sqrt(2))))
        return cdf(self.high) - cdf(self.low)

    def ppf(self, q: np.ndarray) -> np.ndarray:
        """Values at quantiles ``q``: the normal's, within the window's share of its mass."""
        lower = ndtr((self.low - self.mean) / self.sd)
        return np.clip(self.mean + self.sd * ndtri(lower + q * self.mass), self.low, self.high)

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        kept = np.empty(0)
        while len(kept) < size:
            draw = rng.normal(self.mean, self.sd, math.ceil((size - len(kept)) / self.mass * 1.2) + 16)
            kept = np.concatenate([kept, draw[(draw >= self.low) & (draw <= self.high)]])
        return kept[:size]


@dataclass(frozen=True, slots=True)
class LogNormal:
    """Positive and right-skewed: half the draws below ``median``; ``sigma`` is the sd of its logarithm."""

    median: float
    sigma: float

    def __post_init__(self) -> None:
        _check(_finite(self.median, self.sigma) and self.median > 0 and self.sigma > 0, "lognormal",
               (self.median, self.sigma), "median > 0 and sigma > 0")

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        return rng.lognormal(math.log(self.median), self.sigma, size)

    def ppf(self, q: np.ndarray) -> np.ndarray:
        """Values at quantiles ``q`` (the inverse of the distribution function)."""
        return np.exp(math.log(self.median) + self.sigma * ndtri(np.clip(q, 1e-12, 1 - 1e-12)))


Distribution = Uniform | Triangular | TruncatedNormal | LogNormal


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Simulation:
    """The draws, each platform's cost per draw (NaN where it cannot run it), and the summary."""

    seed: int
    samples: int
    inputs: dict[str, np.ndarray]
    monthly_usd: dict[Platform, np.ndarray]
    ranges: tuple[PlatformRange, ...]
    metric: Metric = DEFAULT_METRIC
    #: Whether the operations ranges were drawn too (one quantile per factor and draw).
    operations: bool = False
    operations_quantiles: dict[str, np.ndarray] = field(default_factory=dict)

    def cost_ranges(self) -> CostRanges:
        """The summary as the recommendation reads it: ranges, probabilities and what was drawn."""
        drawn = (*(", ".join(sorted(self.inputs)),) * bool(self.inputs), *(OPERATIONS_RANGES,) * self.operations)
        return CostRanges(metric=self.metric, draws=self.samples, seed=self.seed, drawn=drawn, ranges=self.ranges)


def draw_inputs(space: ParameterSpace, inputs: Mapping[str, Distribution], samples: int, seed: int
                ) -> dict[str, np.ndarray]:
    """``samples`` draws of each input, in name order from one generator seeded with ``seed``."""
    rng = np.random.default_rng(seed)
    draws = {}
    for name in sorted(inputs):
        values = inputs[name].sample(rng, samples)
        draws[name] = np.round(values) if space.parameter(name).is_integer else values
    return draws


def simulate(scenario: Scenario, evaluator: Evaluator, inputs: Mapping[str, Distribution], *, samples: int,
             seed: int, operations: bool = False) -> Simulation:
    """Price ``samples`` draws of the uncertain ``inputs`` and summarise each platform's range.

    Parameters
    ----------
    scenario : Scenario
        The base scenario; inputs not drawn keep its values.
    evaluator : Evaluator
        Monthly USD per platform (:class:`advisor.analysis.evaluator.CostEvaluator`, which
        ``operations`` needs).
    inputs : mapping of parameter name to distribution
        :class:`Uniform`, :class:`Triangular`, :class:`TruncatedNormal`, :class:`LogNormal`;
        may be empty when ``operations`` is set.
    samples : int
        Number of draws, 1 to MAX_SAMPLES.
    seed : int
        Seed of the generator; the same seed gives the same result.
    operations : bool, default False
        Draw the operations ranges too (:mod:`advisor.decision.uncertainty`), from a stream of
        their own, so the inputs' draws are the same with or without them.

    Returns
    -------
    Simulation
        With one :class:`PlatformRange` per platform that ran at least one draw.
    """
    _check(not isinstance(samples, bool) and isinstance(samples, int) and 1 <= samples <= MAX_SAMPLES,
           "samples", samples, f"an integer from 1 to {MAX_SAMPLES}")
    _check(not isinstance(seed, bool) and isinstance(seed, int) and seed >= 0, "seed", seed, "an integer >= 0")
    _check(bool(inputs) or operations, "inputs", dict(inputs), "at least one parameter with a range or distribution")
    _check(not operations or isinstance(evaluator, CostEvaluator), "operations", operations,
           "a CostEvaluator, which prices each draw's operations rows")
    space = ParameterSpace(scenario)
    draws = draw_inputs(space, inputs, samples, seed)
    for name, values in draws.items():   # out-of-bounds draws fail here, naming the field, not mid-run
        space.apply({name: float(values.min())})
        space.apply({name: float(values.max())})
    quantiles = operations_quantiles(samples, seed) if operations else {}
    if isinstance(evaluator, CostEvaluator) and operations and not draws:
        costs = drawn_costs(evaluator.result(scenario), quantiles, samples, evaluator.metric)
    else:
        variants = Variants(space, [{name: float(values[i]) for name, values in draws.items()} for i in range(samples)])
        if isinstance(evaluator, CostEvaluator) and operations:
            effective = effective_quantiles(quantiles)

            def draw(group: list[int], result: TcoResult) -> list[dict[Platform, float]]:
                """Each draw's operations ranges on the result its variant shares with the others of ``group``."""
                drawn = costs_at(result, {k: v[group] for k, v in effective.items()}, len(group), evaluator.metric)
                return [{p: float(v[n]) for p, v in drawn.items()} for n in range(len(group))]
            rows = evaluator.evaluate_all(variants, costs=draw)
        else:
            rows = evaluate_all(evaluator, variants)
        platforms = [p for p in Platform if any(p in row for row in rows)]
        costs = {p: np.array([row.get(p, math.nan) for row in rows]) for p in platforms}
    metric = evaluator.metric if isinstance(evaluator, CostEvaluator) else DEFAULT_METRIC
    return Simulation(seed=seed, samples=samples, inputs=draws, monthly_usd=costs, ranges=summarize(costs),
                      metric=metric, operations=operations, operations_quantiles=quantiles)
