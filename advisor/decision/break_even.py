"""What would flip a recommendation: the input values at which the first two platforms cost the same.

- The engineer rate (exact: each TCO is ``aws + hours × rate``, linear in the rate).
- A factor on every service's replicas (the exact replica step, a handful of two-platform
  estimates): the answer to "what if we grow, or shrink?".
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from advisor.decision.tco import DEFAULT_METRIC, Metric, PlatformTco, TcoResult, tco
from advisor.errors import AdvisorError
from advisor.workload import limits
from advisor.workload.scaling import replica_breakpoints, scaled_replicas, step_boundary
from advisor.workload.scenario import Platform, Scenario, replicas_placed, size_problems

#: Replica factors tried, in this order, to bracket the replica break-even (up and down by 2×, 4×, 8×).
REPLICA_FACTOR_STEPS = (2.0, 0.5, 4.0, 0.25, 8.0, 0.125)


@dataclass(frozen=True, slots=True, kw_only=True)
class BreakEven:
    """The value of one input at which the first two platforms cost the same.

    ``value`` is None when no value in the searched range flips the order; ``explanation``
    then says why.  Applying a value just past ``value`` (in ``direction``) makes the
    runner-up cheaper.
    """

    parameter: str
    unit: str
    current: float
    value: float | None
    direction: str
    explanation: str


def rate_break_even(first: PlatformTco, second: PlatformTco) -> BreakEven:
    """The engineer rate at which ``second``'s TCO is ``first``'s.

    Each TCO is ``aws + hours × rate``, so the rate is ``Δaws / −Δhours``; a flip needs a
    non-negative rate on the side the hours point to.
    """
    rate = first.operations.usd_per_hour
    aws_gap = second.aws_monthly_usd - first.aws_monthly_usd
    hours_gap = second.operations.monthly_hours - first.operations.monthly_hours
    name, unit = "engineer_rate_usd_per_hour", "USD/h"
    if hours_gap == 0 or (value := -aws_gap / hours_gap) < 0:
        return BreakEven(parameter=name, unit=unit, current=rate, value=None, direction="",
                         explanation=f"no engineer rate makes {second.platform.value} cheaper than "
                                     f"{first.platform.value}")
    direction = "above" if hours_gap < 0 else "below"
    return BreakEven(parameter=name, unit=unit, current=rate, value=value, direction=direction,
                     explanation=f"{second.platform.value} becomes cheaper than {first.platform.value} with an "
                                 f"engineer rate {direction} ${value:,.2f}/h (now ${rate:g}/h)")


def scale_replicas(scenario: Scenario, factor: float) -> Scenario:
    """``scenario`` with every service's replicas × ``factor``, rounded up (at least one at peak)."""
    services = tuple(s.model_copy(update={"replicas": scaled_replicas(s.replicas, factor)}) for s in scenario.services)
    return scenario.model_copy(update={"services": services})


def _replica_gap(result: TcoResult, first: Platform, second: Platform,
                 metric: Metric) -> Callable[[float], float | None]:
    """Monthly ``metric`` of ``second`` minus ``first`` at a replica factor (cached by the resulting replica
    counts); None when the scaled scenario is over the size limits (:mod:`advisor.workload.limits`), so not
    priced."""
    cache: dict[tuple[object, ...], float] = {}

    def priced_gap(scenario: Scenario) -> float:
        try:
            at = tco(scenario, result.prices, (first, second))
        except AdvisorError:  # e.g. replicas no instance type can hold: no comparison there
            return math.inf
        if len(at.platforms) < 2:  # a platform cannot run the variant
            return math.inf
        return at.by_platform(second).monthly_usd(metric) - at.by_platform(first).monthly_usd(metric)

    def gap(factor: float) -> float | None:
        scaled = scale_replicas(result.scenario, factor)
        if size_problems(scaled):
            return None
        key = tuple(s.replicas for s in scaled.services)
        if key not in cache:
            cache[key] = priced_gap(scaled)
        return cache[key]

    return gap


def replica_break_even(result: TcoResult, first: Platform, second: Platform,
                       metric: Metric = DEFAULT_METRIC) -> BreakEven:
    """The replica factor (on every service) at which ``second`` becomes cheaper than ``first``.

    Brackets a flip by trying ×2, ×0.5, ×4, ×0.25, ×8, ×0.125, then finds the exact step inside
    the bracket (:func:`advisor.workload.scaling.step_boundary` over the factors where a replica
    count changes).  Replica counts are whole numbers, so the gap is a step function and the
    break-even is one of those factors: below it (or above it, going up) ``second`` is cheaper.
    ``advisor analyze sweep --param replicas_scale`` places its crossings the same way, so both
    give the same number.  The gap between two platforms is not monotone (each one's packing
    steps at different replica counts, and large workloads use the packing heuristic), so it
    is a crossing, not always the nearest one.

    The search prices up to a dozen variants, so it is made only for scenarios of at most
    :data:`advisor.workload.limits.MAX_SEARCHED_SERVICE_REPLICAS` service-replicas: larger
    ones say so and point to the sweep, which the user starts knowing it takes a while.

    The variants are priced one at a time in this process: each asks for the next, and each
    places one or two platforms' nodes, too little to pay for forking workers. Measured on
    the microservices example, 10- and 50-service workloads: 0.28-0.35 s in the caller
    against 0.45-0.55 s with two workers per variant in a process of the app's size (forks
    cost more there); the same either way in a small process, and for 400 services.
    """
    name, unit = "replica_scale", "× replicas"
    if not result.scenario.services:
        return BreakEven(parameter=name, unit=unit, current=1.0, value=None, direction="",
                         explanation="the scenario has no services to scale")
    size = len(result.scenario.services) * replicas_placed(result.scenario)
    if size > limits.MAX_SEARCHED_SERVICE_REPLICAS:
        return BreakEven(parameter=name, unit=unit, current=1.0, value=None, direction="",
                         explanation=f"the replica break-even is not searched for {size:,} service-replicas (more "
                                     f"than {limits.MAX_SEARCHED_SERVICE_REPLICAS:,}); sweep replicas_scale to "
                                     "find it (advisor analyze sweep, or the Analyse page)")
    gap = _replica_gap(result, first, second, metric)
    ok = {True: 1.0, False: 1.0}
    for factor in REPLICA_FACTOR_STEPS:
        up = factor > 1
        value = gap(factor)
        if value is None:   # over the size limits: neither this factor nor a larger one in this direction
            continue
        if value >= 0:
            ok[up] = factor
            continue
        low, high = sorted((ok[up], factor))
        steps = replica_breakpoints(result.scenario, low, high)
        # Inside the bracket every variant is within the limits (they are between two priced ones).
        if up:  # first cheaper at `low`, second at `high`: the last factor first stays cheaper
            value = step_boundary(low, high, steps, lambda f: (gap(f) or 0.0) >= 0)
            text = f"above × {value:.4g}"
        else:  # second cheaper at `low`: the last factor it still is
            value = step_boundary(low, high, steps, lambda f: (gap(f) or 0.0) < 0)
            text = f"× {value:.4g} or fewer"
        return BreakEven(parameter=name, unit=unit, current=1.0, value=value, direction="above" if up else "below",
                         explanation=f"{second.value} becomes cheaper than {first.value} with every service's "
                                     f"replicas {text}")
    return BreakEven(parameter=name, unit=unit, current=1.0, value=None, direction="",
                     explanation=f"{first.value} stays cheaper than {second.value} from × {ok[False]:g} to × "
                                 f"{ok[True]:g} replicas" + ("" if ok[True] == max(REPLICA_FACTOR_STEPS) else
                                                             " (larger factors are over the scenario's limits)"))
