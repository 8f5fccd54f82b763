"""Scale a service's replica counts to an environment (staging at 0.25 of prod, say)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from advisor.workload.scenario import SCHEDULE_PRESETS, Replicas, Scenario


def scaled_replicas(replicas: Replicas, scale: float) -> Replicas:
    """Replicas × scale, rounded up; a running service keeps at least one replica at peak
    (the rule is :meth:`advisor.workload.scenario.Replicas.scaled`)."""
    return replicas.scaled(scale)


def at_peak_all_month(scenario: Scenario) -> tuple[str, ...]:
    """Services that autoscale (min < max) but run at their maximum the whole month (no peak schedule).

    Imported autoscaling ranges (an HPA's min/max, an ECS scalable target's capacities)
    arrive without a schedule, so they are priced at their maximum all month: an upper
    bound a user should see and can change by choosing a schedule.
    """
    return tuple(s.name for s in scenario.services
                 if s.replicas.min < s.replicas.max and s.replicas.schedule.peak_fraction == 1.0)


def with_schedule(scenario: Scenario, services: tuple[str, ...], preset: str) -> Scenario:
    """``scenario`` with the named services on a schedule preset (``business-hours``, ``weekdays``, ``always``)."""
    if preset not in SCHEDULE_PRESETS:
        raise ValueError(f"unknown schedule {preset!r}; allowed: {', '.join(SCHEDULE_PRESETS)}")
    schedule = SCHEDULE_PRESETS[preset]
    updated = tuple(s.model_copy(update={"replicas": s.replicas.model_copy(update={"schedule": schedule})})
                    if s.name in services else s for s in scenario.services)
    return scenario.model_copy(update={"services": updated})


def replica_breakpoints(scenario: Scenario, low: float, high: float) -> tuple[float, ...]:
    """The factors in (``low``, ``high``) at which some service's replicas × factor (rounded up) changes.

    Replica counts are whole numbers, so a cost as a function of a factor on every service's
    replicas (:func:`scaled_replicas`) is a step function: it is constant on each interval
    ``(b_i, b_i+1]`` between these breakpoints ``k / replicas``, and a break-even value is one
    of them.  Environment scales round the scaled counts again, which changes them only where
    these do.
    """
    found: set[float] = set()
    for service in scenario.services:
        for count in {service.replicas.min, service.replicas.max} - {0}:
            first, last = math.floor(count * low) + 1, math.ceil(count * high) - 1
            found.update(k / count for k in range(first, last + 1) if low < k / count < high)
    return tuple(sorted(found))


def step_boundary(low: float, high: float, breakpoints: tuple[float, ...],
                  on_low_side: Callable[[float], bool]) -> float:
    """Where a step function changes side between ``low`` (on the low side) and ``high`` (not).

    ``breakpoints`` are the function's steps between them (:func:`replica_breakpoints`); the
    function is constant on each ``(b_i, b_i+1]``.  Bisection over them (log2 of their number
    of evaluations) returns the breakpoint ``b`` at which the function is still on the low
    side while just above ``b`` it is not: the exact value, with no interpolation.
    """
    return step_boundaries([(low, high, breakpoints)], lambda asked: [on_low_side(x) for _, x in asked])[0]


def step_boundaries(searches: Sequence[tuple[float, float, tuple[float, ...]]],
                    on_low_side: Callable[[list[tuple[int, float]]], Sequence[bool]]) -> list[float]:
    """:func:`step_boundary` of several ``(low, high, breakpoints)`` searches, in lockstep.

    Each round asks ``on_low_side`` about the next point of every unfinished search at once,
    as ``(search index, value)`` pairs, so a caller can price those variants together (an
    analysis spreads them over the machine's cores); the answers are the same as searching
    one at a time.
    """
    points = [(low, *breakpoints, high) for low, high, breakpoints in searches]
    good, bad = [0] * len(points), [len(p) - 1 for p in points]
    while active := [i for i in range(len(points)) if bad[i] - good[i] > 1]:
        middles = [(good[i] + bad[i]) // 2 for i in active]
        answers = on_low_side([(i, points[i][m]) for i, m in zip(active, middles, strict=True)])
        for i, middle, low_side in zip(active, middles, answers, strict=True):
            good[i], bad[i] = (middle, bad[i]) if low_side else (good[i], middle)
    return [p[g] for p, g in zip(points, good, strict=True)]
