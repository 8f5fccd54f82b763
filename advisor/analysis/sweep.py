"""Break-even sweeps: one numeric input over a range, each platform's cost curve, and where curves cross.

Why this exists
---------------
A recommendation is only as firm as the distance to the point where it flips.  A sweep
prices the scenario at each value of one parameter (replicas, utilization, hours per
day, Spot share, engineer rate, traffic...) and reports every pair of platforms whose
costs cross.  Between two adjacent points whose difference changes sign the crossing is
placed by linear interpolation; with ``refine`` it is then narrowed by bisection on the
real model (to whole numbers for integer parameters), because cost curves are not
straight: node counts step, Fargate sizes round up, egress is tiered.  Costs of
``replicas_scale`` are step functions (whole replica counts), so its crossings are always
placed exactly on the factor where a replica count changes, as the recommendation's
break-even is (a few more evaluations each, refined or not).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from advisor.analysis.evaluator import Evaluator, evaluate_all
from advisor.analysis.parameters import REPLICAS_SCALE, InvalidAnalysis, Parameter, ParameterSpace, Variants
from advisor.workload.scaling import replica_breakpoints, step_boundaries
from advisor.workload.scenario import Platform, Scenario

#: Bisection steps at most per crossing: 2^-40 of the bracket is far below any input's precision.
MAX_BISECTIONS = 40
#: Default refinement tolerance as a share of the swept range.
DEFAULT_RELATIVE_TOLERANCE = 1e-4
#: Points of a sweep at most: each point is one full estimate.
MAX_POINTS = 100_000


@dataclass(frozen=True, slots=True, kw_only=True)
class Crossing:
    """Where two platforms' curves cross: ``below`` is cheaper just below ``value``, ``above`` just above.

    Attributes
    ----------
    below, above : Platform
        The cheaper platform on each side.
    value : float
        Parameter value of the crossing (interpolated in the final bracket; the first tied
        point when the curves are equal over evaluated points).
    monthly_usd : float
        Both platforms' interpolated cost at ``value`` [USD/month].
    bracket : tuple of float
        The two evaluated parameter values around the crossing.
    is_refined : bool
        Whether bisection on the model narrowed the bracket.
    """

    below: Platform
    above: Platform
    value: float
    monthly_usd: float
    bracket: tuple[float, float]
    is_refined: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class SweepResult:
    """Per-platform cost curves of one parameter and their crossings.

    ``monthly_usd[p][i]`` is platform ``p``'s cost at ``values[i]`` [USD/month], NaN where
    it cannot run the variant.
    """

    parameter: str
    values: tuple[float, ...]
    monthly_usd: dict[Platform, tuple[float, ...]]
    crossings: tuple[Crossing, ...]

    def cheapest(self) -> tuple[Platform | None, ...]:
        """The cheapest platform at each point (None where no platform can run it)."""
        out: list[Platform | None] = []
        for i in range(len(self.values)):
            costs = {p: c[i] for p, c in self.monthly_usd.items() if not math.isnan(c[i])}
            out.append(min(costs, key=lambda p: costs[p]) if costs else None)
        return tuple(out)

    def winner_changes(self) -> tuple[Crossing, ...]:
        """The crossings where the cheapest platform changes: the break-even values of the recommendation.

        For each pair of adjacent points whose cheapest platforms differ (A, then B), the
        crossing of A and B whose bracket spans those points.
        """
        cheapest = self.cheapest()
        changes: list[Crossing] = []
        for i in range(len(self.values) - 1):
            was, now = cheapest[i], cheapest[i + 1]
            if was is None or now is None or was is now:
                continue
            changes += [c for c in self.crossings if (c.below, c.above) == (was, now)
                        and c.bracket[0] <= self.values[i] and self.values[i + 1] <= c.bracket[1]
                        and c not in changes]
        return tuple(changes)


def sweep_values(parameter: Parameter, start: float, stop: float, points: int) -> tuple[float, ...]:
    """``points`` evenly spaced values from ``start`` to ``stop`` (distinct whole numbers for integer fields).

    Raises
    ------
    InvalidAnalysis
        When the range is empty or reversed, or ``points`` < 2.
    """
    for name, value in (("from", start), ("to", stop)):
        if not math.isfinite(value):
            raise InvalidAnalysis(name, value, "a finite number")
    if not start < stop:
        raise InvalidAnalysis("from", start, f"a value below 'to' ({stop:g}): the range is empty")
    if isinstance(points, bool) or not isinstance(points, int) or not 2 <= points <= MAX_POINTS:
        raise InvalidAnalysis("points", points, f"an integer from 2 to {MAX_POINTS}")
    grid = np.linspace(start, stop, points)
    if parameter.is_integer:
        grid = np.unique(np.round(grid))
        if len(grid) < 2:
            raise InvalidAnalysis("from", start, f"a range holding two whole numbers for {parameter.name}")
    return tuple(float(v) for v in grid)


def sweep(scenario: Scenario, evaluator: Evaluator, parameter: str, values: Sequence[float], *,
          refine: bool = False, tolerance: float | None = None) -> SweepResult:
    """Price ``scenario`` at each of ``values`` of ``parameter`` and find where platforms cross.

    Parameters
    ----------
    scenario : Scenario
        The base scenario; only ``parameter`` changes.
    evaluator : Evaluator
        Monthly USD per platform of a scenario (:class:`advisor.analysis.evaluator.CostEvaluator`).
    parameter : str
        A name of :class:`advisor.analysis.parameters.ParameterSpace` (``replicas_scale``...).
    values : sequence of float
        At least two distinct values, in any order (sorted here).
    refine : bool, default False
        Narrow each crossing by bisection on the model (a few more evaluations each).
    tolerance : float, optional
        Bracket width at which bisection stops [parameter units]; default 1e-4 of the
        range (whole numbers for integer parameters).

    Returns
    -------
    SweepResult
    """
    space = ParameterSpace(scenario)
    param = space.parameter(parameter)
    grid = _checked_values(param, values)
    step = tolerance if tolerance is not None else (grid[-1] - grid[0]) * DEFAULT_RELATIVE_TOLERANCE
    if not step > 0:
        raise InvalidAnalysis("tolerance", step, "a number > 0")
    probe = _Probe(space=space, evaluator=evaluator, parameter=param, cache={}, asked={})
    probe.prefetch([(v, None) for v in grid])
    costs = [probe.cache[v] for v in grid]
    platforms = [p for p in Platform if any(p in c for c in costs)]
    curves = {p: tuple(c.get(p, math.nan) for c in costs) for p in platforms}
    found = [c for a, b in itertools.combinations(platforms, 2)
             for c in probe.crossing(a, b, grid, curves, refine=refine, tolerance=step)]
    steps = [c for c in found if isinstance(c, _Step)]
    found = [c for c in found if isinstance(c, Crossing)] + probe.at_steps(steps)
    found.sort(key=lambda c: (c.value, c.below, c.above))
    return SweepResult(parameter=parameter, values=grid, monthly_usd=curves, crossings=tuple(found))


def _checked_values(parameter: Parameter, values: Sequence[float]) -> tuple[float, ...]:
    grid = sorted({float(v) for v in values})
    if len(grid) < 2:
        raise InvalidAnalysis("values", list(values), f"at least two distinct values of {parameter.name}")
    if len(grid) > MAX_POINTS:
        raise InvalidAnalysis("values", f"{len(grid)} values", f"at most {MAX_POINTS}")
    return tuple(grid)


@dataclass(frozen=True, slots=True)
class _Step:
    """A crossing of ``replicas_scale`` still to be placed on its step (see :meth:`_Probe.at_steps`)."""

    a: Platform
    b: Platform
    below: Platform
    above: Platform
    bracket: tuple[float, float]


@dataclass(frozen=True, slots=True)
class _Probe:
    """Evaluations of one sweep, remembered by value so bisections of several pairs share them.

    The grid is priced on every platform. A crossing's search asks only its two platforms
    (narrowed :class:`Variants`): a search between a Fargate and an EC2 platform then places
    one platform's nodes instead of every EC2-backed platform's (the Analyse page's 12-point
    break-even sweep of the microservices example placed 184 packings, now 142).
    """

    space: ParameterSpace
    evaluator: Evaluator
    parameter: Parameter
    cache: dict[float, dict[Platform, float]]
    #: The platforms priced at each value (None: all of them, as the grid is).
    asked: dict[float, set[Platform] | None]

    def gap(self, a: Platform, b: Platform, value: float) -> float:
        """cost(a) − cost(b) at ``value`` (NaN when either cannot run it)."""
        self.prefetch([(value, (a, b))])
        costs = self.cache[value]
        return costs.get(a, math.nan) - costs.get(b, math.nan)

    def prefetch(self, asks: Sequence[tuple[float, tuple[Platform, ...] | None]]) -> None:
        """Price each (value, platforms) not priced yet, all together (an evaluator with workers spreads them
        over the cores); platforms None prices the scenario's own list, as a grid point."""
        wanted: dict[float, tuple[Platform, ...] | None] = {}
        for value, platforms in asks:
            done = self.asked.get(value, set())
            if done is None:
                continue
            if platforms is None or wanted.get(value, ()) is None:
                wanted[value] = None
            else:
                wanted[value] = tuple(dict.fromkeys(p for p in (*wanted.get(value, ()), *platforms) if p not in done))
        wanted = {v: ps for v, ps in wanted.items() if ps is None or ps}
        variants = Variants(self.space, [{self.parameter.name: v} for v in wanted], platforms=list(wanted.values()))
        for (value, platforms), costs in zip(wanted.items(), evaluate_all(self.evaluator, variants), strict=True):
            self.cache.setdefault(value, {}).update(costs)
            done = self.asked.setdefault(value, set())
            if platforms is None:
                self.asked[value] = None
            elif done is not None:
                done.update(platforms)

    def crossing(self, a: Platform, b: Platform, grid: tuple[float, ...], curves: dict[Platform, tuple[float, ...]],
                 *, refine: bool, tolerance: float) -> list[Crossing | _Step]:
        """Sign changes of cost(a) − cost(b) along the grid; a run of ties counts once, at its first point."""
        found: list[Crossing | _Step] = []
        last: int | None = None        # last point with a nonzero difference, since the last NaN
        first_tie: int | None = None   # first tied point after it
        for i, x in enumerate(grid):
            d = curves[a][i] - curves[b][i]
            if math.isnan(d):
                last = first_tie = None
            elif d == 0:
                first_tie = i if first_tie is None else first_tie
            else:
                before = None if last is None else curves[a][last] - curves[b][last]
                if before is not None and (before < 0) != (d < 0):
                    below, above = (a, b) if before < 0 else (b, a)
                    if first_tie is not None:
                        found.append(Crossing(below=below, above=above, value=grid[first_tie],
                                              monthly_usd=curves[a][first_tie], bracket=(grid[last], x),
                                              is_refined=False))
                    else:
                        found.append(self._interpolated(a, b, below, above, (grid[last], x), refine, tolerance))
                last, first_tie = i, None
        return found

    def _interpolated(self, a: Platform, b: Platform, below: Platform, above: Platform, bracket: tuple[float, float],
                      refine: bool, tolerance: float) -> Crossing | _Step:
        lo, hi = bracket
        if self.parameter.name == REPLICAS_SCALE:  # a step function: interpolation would invent a value
            return _Step(a=a, b=b, below=below, above=above, bracket=bracket)
        width = max(tolerance, 1.0) if self.parameter.is_integer else tolerance
        steps = 0
        while refine and steps < MAX_BISECTIONS and hi - lo > width:
            mid = float(math.floor((lo + hi) / 2)) if self.parameter.is_integer else (lo + hi) / 2
            d_mid = self.gap(a, b, mid)
            if math.isnan(d_mid):
                break
            steps += 1
            if d_mid == 0:
                lo = hi = mid
            elif (d_mid < 0) == (self.gap(a, b, lo) < 0):
                lo = mid
            else:
                hi = mid
        return self._at_root(a, b, below, above, (lo, hi), bracket, steps > 0)

    def at_steps(self, steps: Sequence[_Step]) -> list[Crossing]:
        """The exact crossings of step functions: the replica factors where the cheaper platform changes.

        Costs are constant between the factors where a replica count changes, so each crossing
        is one of them (as in the recommendation's replica break-even); its cost is the mean of
        the two platforms' there. The searches of every pair run in lockstep
        (:func:`advisor.workload.scaling.step_boundaries`), each round's variants priced together.
        """
        low_negative = [self.gap(s.a, s.b, s.bracket[0]) < 0 for s in steps]

        def on_low_side(asked: list[tuple[int, float]]) -> list[bool]:
            self.prefetch([(x, (steps[i].a, steps[i].b)) for i, x in asked])
            return [(self.gap(steps[i].a, steps[i].b, x) < 0) == low_negative[i] for i, x in asked]

        values = step_boundaries([(lo, hi, replica_breakpoints(self.space.scenario, lo, hi))
                                  for lo, hi in (s.bracket for s in steps)], on_low_side)
        self.prefetch([(v, (s.a, s.b)) for s, v in zip(steps, values, strict=True)])
        return [Crossing(below=s.below, above=s.above, value=v, bracket=s.bracket, is_refined=True,
                         monthly_usd=(self.cache[v][s.a] + self.cache[v][s.b]) / 2)
                for s, v in zip(steps, values, strict=True)]

    def _at_root(self, a: Platform, b: Platform, below: Platform, above: Platform, final: tuple[float, float],
                 bracket: tuple[float, float], refined: bool) -> Crossing:
        """Linear interpolation of the difference's root inside ``final``, and the cost there."""
        lo, hi = final
        d_lo, d_hi = self.gap(a, b, lo), self.gap(a, b, hi)
        share = 0.0 if lo == hi else d_lo / (d_lo - d_hi)
        cost_lo, cost_hi = self.cache[lo][a], self.cache[hi][a]
        return Crossing(below=below, above=above, value=lo + (hi - lo) * share,
                        monthly_usd=cost_lo + (cost_hi - cost_lo) * share, bracket=bracket, is_refined=refined)
