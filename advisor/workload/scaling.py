"""Scale a service's replica counts to an environment (staging at 0.25 of prod, say)."""

from __future__ import annotations

import math

from advisor.workload.scenario import SCHEDULE_PRESETS, Replicas, Scenario


def scaled_replicas(replicas: Replicas, scale: float) -> Replicas:
    """Replicas × scale, rounded up; a running service keeps at least one replica at peak."""
    if scale == 1.0:
        return replicas
    low = math.ceil(replicas.min * scale - 1e-9)
    high = max(1, math.ceil(replicas.max * scale - 1e-9), low)
    return Replicas(min=low, max=high, schedule=replicas.schedule)


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
