"""What the per-node agents cost on Fargate, where each is a sidecar in every task.

A DaemonSet or ECS daemon task has no node to run on under Fargate: the scenario says, per
agent, whether every task carries it as a sidecar (``on_fargate: sidecar``, the default) or
whether it is not needed there (a log shipper replaced by the ``awslogs`` driver).  That one
choice can reorder the platforms, so when a Fargate platform is one of the first two the
recommendation names the sidecars' cost and what leaving them out would do.
"""

from __future__ import annotations

from advisor.decision.tco import DEFAULT_METRIC, Metric, TcoResult, tco
from advisor.errors import AdvisorError
from advisor.workload.platforms import FARGATE_PLATFORMS, Platform


def agent_sidecar_notes(result: TcoResult, ranking: tuple[Platform, ...],
                        metric: Metric = DEFAULT_METRIC) -> list[tuple[float, str]]:
    """(monthly USD the sidecar agents add on a Fargate platform, sentence) for each Fargate platform that
    is one of the first two by ``metric``, or that would be first without them."""
    scenario = result.scenario
    sidecars = [d for d in scenario.daemons if d.on_fargate == "sidecar"]
    if not sidecars or len(ranking) < 2:
        return []
    lean = scenario.model_copy(update={"daemons": tuple(d.model_copy(update={"on_fargate": "not-needed"})
                                                        for d in scenario.daemons)})
    first, notes = ranking[0], []
    for platform in (p for p in ranking if p in FARGATE_PLATFORMS):
        rival = ranking[1] if platform is first else first
        try:
            without = tco(lean, result.prices, (platform, rival))
        except AdvisorError:
            continue
        if len(without.platforms) < 2:
            continue
        cost = result.by_platform(platform).monthly_usd(metric) - without.by_platform(platform).monthly_usd(metric)
        leads = without.by_platform(platform).monthly_usd(metric) < without.by_platform(rival).monthly_usd(metric)
        if platform not in ranking[:2] and not leads:
            continue
        if platform is first:
            outcome = f"{platform.value} would stay first"
        else:
            outcome = f"{platform.value} would be first" if leads else f"{first.value} would stay first"
        names = ", ".join(d.name for d in sidecars)
        notes.append((cost, f"the per-node agents ({names}) run as a sidecar in every {platform.value} task and "
                            f"cost it ${cost:,.0f}/month; if they are not needed there (daemons[].on_fargate: "
                            f"not-needed, e.g. logs through the awslogs driver), {outcome}"))
    return notes
