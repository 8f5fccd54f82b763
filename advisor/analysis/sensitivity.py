"""Sensitivity (tornado data): which inputs move the gap between the two best platforms most.

Why this exists
---------------
A recommendation says "A is cheaper than B by G a month".  The reader's next question is
which of the many inputs that G hangs on: if a ±20 % error in the engineer rate or the
replica counts can close the gap, that input deserves a second look before deciding.
For each input this prices the scenario at a low and a high value, holding the rest at
base, and reports the gap (B − A, with A and B the two cheapest platforms at base) at
both ends.  The bars are sorted by swing (|gap at high − gap at low|), largest first; a
negative gap means B became cheaper there, i.e. that input alone can flip the choice.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from advisor.analysis.evaluator import Costs, Evaluator, evaluate_all
from advisor.analysis.parameters import InvalidAnalysis, Parameter, ParameterSpace, Variants
from advisor.workload.scenario import Platform, Scenario

#: Default change of each input either side of its base value: ±20 %, a common
#: "reasonable estimation error" band for workload and rate inputs.
DEFAULT_RELATIVE_CHANGE = 0.2


@dataclass(frozen=True, slots=True, kw_only=True)
class TornadoBar:
    """One input's effect on the gap (runner-up − best) [USD/month]; NaN when a platform cannot run a variant."""

    parameter: str
    base_value: float | None
    low_value: float
    high_value: float
    low_gap_usd: float
    high_gap_usd: float

    @property
    def swing_usd(self) -> float:
        """|gap at high − gap at low| [USD/month]: the bar's length."""
        return abs(self.high_gap_usd - self.low_gap_usd)

    @property
    def flips(self) -> bool:
        """Whether the runner-up becomes cheaper at either end."""
        return self.low_gap_usd < 0 or self.high_gap_usd < 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Tornado:
    """The two best platforms at base, their gap, and every input's bar sorted by swing (largest first)."""

    best: Platform
    runner_up: Platform
    base_gap_usd: float
    bars: tuple[TornadoBar, ...]


def default_inputs(space: ParameterSpace, relative_change: float = DEFAULT_RELATIVE_CHANGE
                   ) -> dict[str, tuple[float, float]]:
    """±``relative_change`` around the base of every scenario-wide input that has a nonzero value.

    Scenario-wide: the scale parameters and fields outside lists (per-service fields would
    make hundreds of bars; name them explicitly).  Values are clamped to the field's
    bounds; integer fields move at least one step (team size 2 → 1 and 3).

    Raises
    ------
    InvalidAnalysis
        When ``relative_change`` is not in (0, 1).
    """
    if not 0 < relative_change < 1:
        raise InvalidAnalysis("relative_change", relative_change, "a number > 0 and < 1 (0.2 is ±20 %)")
    inputs = {}
    for param in space.parameters:
        if not param.value or param.is_item_field:
            continue
        low, high = _around(param, param.value, relative_change)
        if low < high:
            inputs[param.name] = (low, high)
    return inputs


def _around(param: Parameter, value: float, change: float) -> tuple[float, float]:
    low, high = value * (1 - change), value * (1 + change)
    if param.is_integer:
        low, high = math.floor(low), math.ceil(high)
    return param.clamp(low), param.clamp(high)


def sensitivity(scenario: Scenario, evaluator: Evaluator, inputs: Mapping[str, tuple[float, float]] | None = None,
                *, relative_change: float = DEFAULT_RELATIVE_CHANGE) -> Tornado:
    """Tornado data: the gap between the two cheapest platforms at each input's low and high value.

    Parameters
    ----------
    scenario : Scenario
        The base scenario.
    evaluator : Evaluator
        Monthly USD per platform (:class:`advisor.analysis.evaluator.CostEvaluator`).
    inputs : mapping of parameter name to (low, high), optional
        Default: :func:`default_inputs` at ``relative_change``.
    relative_change : float, default 0.2
        Used only for the default inputs.

    Returns
    -------
    Tornado

    Raises
    ------
    InvalidAnalysis
        When fewer than two platforms can run the base scenario, an input is unknown, or
        its low is not below its high.
    """
    space = ParameterSpace(scenario)
    chosen = dict(inputs) if inputs is not None else default_inputs(space, relative_change)
    if not chosen:
        raise InvalidAnalysis("inputs", chosen, "at least one parameter with a (low, high) range")
    for name, (low, high) in chosen.items():
        space.parameter(name)
        if not low < high:
            raise InvalidAnalysis(name, (low, high), "a (low, high) range with low < high")
    base = evaluator(scenario)
    if len(base) < 2:
        raise InvalidAnalysis("platforms", sorted(base), "at least two platforms that can run the scenario")
    best, runner_up = sorted(base, key=lambda p: (base[p], list(Platform).index(p)))[:2]

    def gap(costs: Costs) -> float:
        return costs.get(runner_up, math.nan) - costs.get(best, math.nan)

    # Only the two platforms' costs are read, so only they are priced (see Variants).
    values = [{name: end} for name, pair in chosen.items() for end in pair]
    ends = evaluate_all(evaluator, Variants(space, values, platforms=[(best, runner_up)] * len(values)))
    bars = [TornadoBar(parameter=name, base_value=space.parameter(name).value, low_value=low, high_value=high,
                       low_gap_usd=gap(ends[2 * i]), high_gap_usd=gap(ends[2 * i + 1]))
            for i, (name, (low, high)) in enumerate(chosen.items())]
    bars.sort(key=_by_swing)
    return Tornado(best=best, runner_up=runner_up, base_gap_usd=gap(base), bars=tuple(bars))


def _by_swing(bar: TornadoBar) -> tuple[bool, float, str]:
    """Largest swing first, bars a platform could not run (NaN) last, ties by name."""
    unknown = math.isnan(bar.swing_usd)
    return unknown, 0.0 if unknown else -bar.swing_usd, bar.parameter
