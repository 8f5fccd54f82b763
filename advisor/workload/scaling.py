"""Scale a service's replica counts to an environment (staging at 0.25 of prod, say)."""

from __future__ import annotations

import math

from advisor.workload.scenario import Replicas


def scaled_replicas(replicas: Replicas, scale: float) -> Replicas:
    """Replicas × scale, rounded up; a running service keeps at least one replica at peak."""
    if scale == 1.0:
        return replicas
    low = math.ceil(replicas.min * scale - 1e-9)
    high = max(1, math.ceil(replicas.max * scale - 1e-9), low)
    return Replicas(min=low, max=high, schedule=replicas.schedule)
