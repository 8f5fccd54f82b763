"""Scale a service's replica counts to an environment (staging at 0.25 of prod, say)."""

from __future__ import annotations

from advisor.workload.scenario import Replicas


def scaled_replicas(replicas: Replicas, scale: float) -> Replicas:
    """Replicas × scale, rounded up; a running service keeps at least one replica at peak
    (the rule is :meth:`advisor.workload.scenario.Replicas.scaled`)."""
    return replicas.scaled(scale)
