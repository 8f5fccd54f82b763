"""What the per-node agents cost on Fargate, where each is a sidecar in every task.

A DaemonSet or ECS daemon task has no node to run on under Fargate: the scenario says, per
agent, whether every task carries it as a sidecar (``on_fargate: sidecar``, the default) or
whether it is not needed there (a log shipper replaced by the ``awslogs`` driver).  That one
choice can reorder the platforms, so when a Fargate platform is one of the first two the
recommendation names the sidecars' cost and what leaving them out would do.
"""

from __future__ import annotations

from advisor.decision.tco import TcoResult, tco
from advisor.errors import AdvisorError
from advisor.workload.platforms import FARGATE_PLATFORMS, Platform


def agent_sidecar_note(result: TcoResult, first: Platform, second: Platform) -> tuple[float, str] | None:
    """(monthly USD the sidecar agents add on the Fargate platform, sentence), or None when they do not matter."""
    scenario = result.scenario
    sidecars = [d for d in scenario.daemons if d.on_fargate == "sidecar"]
    fargate = [p for p in (first, second) if p in FARGATE_PLATFORMS]
    if not sidecars or not fargate:
        return None
    platform = fargate[0]
    lean = scenario.model_copy(update={"daemons": tuple(d.model_copy(update={"on_fargate": "not-needed"})
                                                        for d in scenario.daemons)})
    try:
        without = tco(lean, result.prices, (first, second))
    except AdvisorError:
        return None
    if len(without.platforms) < 2:
        return None
    cost = result.by_platform(platform).tco_monthly_usd - without.by_platform(platform).tco_monthly_usd
    names = ", ".join(d.name for d in sidecars)
    leader = min(without.platforms, key=lambda p: p.tco_monthly_usd).platform
    outcome = (f"{platform.value} would be first" if leader is platform and platform is not first
               else f"{first.value} would stay first")
    return cost, (f"the per-node agents ({names}) run as a sidecar in every {platform.value} task and cost it "
                  f"${cost:,.0f}/month; if they are not needed there (daemons[].on_fargate: not-needed, e.g. logs "
                  f"through the awslogs driver), {outcome}")
