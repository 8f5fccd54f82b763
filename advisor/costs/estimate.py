"""Price one scenario on every requested platform.

Each platform's estimate is the sum of its own compute line items and the shared
ones (load balancers, NAT, logs, ...), built from the same inputs everywhere.  A
platform that cannot run the workload (Windows pods on EKS Fargate, say) is reported
with its reason instead of an estimate.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from advisor.capacity.placement import Placement, load_solver
from advisor.costs.ec2_items import PlacementRequest, ec2_items, placement_requests
from advisor.costs.fargate_items import ecs_control_plane_item, eks_control_plane_items, fargate_items
from advisor.costs.line_items import Estimate, LineItem, NodeSummary
from advisor.costs.prices import PriceLookup
from advisor.costs.shared_items import shared_items
from advisor.errors import AdvisorError, PlacementError, PlatformUnavailable
from advisor.memo import Memo, active_memo, recording, scope
from advisor.pool import parallel_map
from advisor.workload.catalog import PriceCatalog, scenario_problems
from advisor.workload.platforms import EKS_PLATFORMS, FARGATE_PLATFORMS
from advisor.workload.scenario import Environment, Platform, Scenario, replicas_placed, size_problems

#: A placement of fewer replicas than this is made in the caller even when workers are offered
#: (before they are forked, so that they find it in the memo), and so is every placement of a
#: scenario that places fewer (at peak, over its environments and jobs: its requests are not even
#: gathered; its estimate makes them as it asks). Such a placement takes a millisecond or a few
#: (small-api's two replicas: 5 ms on all six platforms; a job of one task: 1.2 ms), about what
#: forking the workers (about 35 ms, :data:`advisor.pool.MIN_PARALLEL_ITEMS`) and receiving it
#: back with its memo entries (a few KiB to unpickle) cost. The limits' 500-job case asks for
#: 1,506 one-task placements: its estimate takes 2.6 s and 300 MiB with them in the caller, 2.7 s
#: and 334 MiB on two workers (9.8 s and 704 MiB while a placement's memo keys held every node
#: shape offered, ~50 KiB each).
PARALLEL_MIN_REPLICAS: int = 10


@dataclass(frozen=True, slots=True, kw_only=True)
class Unavailable:
    """A platform that was asked for but cannot run this workload, and why."""

    platform: Platform
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ScenarioEstimate:
    """All platforms' estimates of one scenario."""

    scenario: Scenario
    region: str
    prices_as_of: str
    estimates: tuple[Estimate, ...]
    unavailable: tuple[Unavailable, ...]

    def by_platform(self, platform: Platform) -> Estimate:
        return next(e for e in self.estimates if e.platform is platform)


def _control_plane(scenario: Scenario, platform: Platform, prices: PriceLookup, env: Environment) -> list[LineItem]:
    if env.shared_cluster:
        return []
    if platform in EKS_PLATFORMS:
        return eks_control_plane_items(scenario, prices, env)
    return [ecs_control_plane_item(env)]


def estimate_platform(scenario: Scenario, platform: Platform, prices: PriceLookup) -> Estimate:
    """The monthly estimate of one platform; raises PlatformUnavailable when it cannot apply."""
    lines: list[LineItem] = []
    warnings: list[str] = []
    summaries: list[NodeSummary] = []
    for index, env in enumerate(scenario.environments):
        lines.extend(_control_plane(scenario, platform, prices, env))
        if platform in FARGATE_PLATFORMS:
            compute, notes = fargate_items(scenario, platform, prices, env)
        else:
            compute, env_summaries, notes = ec2_items(scenario, platform, prices, env)
            summaries.extend(env_summaries)
        lines.extend(compute)
        warnings.extend(notes)
        lines.extend(shared_items(scenario, prices, env, first=index == 0))
    assumptions = tuple(sorted({f"{i.name}: {i.price_ref}" for i in lines if i.is_assumption}))
    return Estimate(platform=platform, region=scenario.region, prices_as_of=prices.prices_as_of(scenario.region),
                    line_items=tuple(lines), warnings=tuple(dict.fromkeys(warnings)), assumptions=assumptions,
                    placements=tuple(summaries))


def prefetch_placements(jobs: Sequence[tuple[Scenario, Platform]], prices: PriceLookup, workers: int) -> None:
    """Make the node placements of these estimates on up to ``workers`` processes, into the active memo.

    Why: an estimate's time is its placements, and they are independent of each other. The
    placements every (scenario, platform) estimate will ask for are gathered first
    (:func:`advisor.costs.ec2_items.placement_requests`), and each distinct one not yet in the
    memo is made once, by one worker: one estimate's environments and jobs share them, and so
    do an analysis' variants (a replica sweep's off-peak vectors are its peak vectors of lower
    factors), which workers each handed whole variants would each make again (the microservices
    example's 100-point sweep made 460-496 placements on two workers, 397 distinct). The
    largest go first, so the workers finish together. The caller's memo then holds what it
    would have computed itself, so the estimates that follow are the same numbers, made from
    the memo. Placements under ``PARALLEL_MIN_REPLICAS`` replicas are made here, in the caller,
    before the workers are forked. Does nothing without an active memo, with one worker, or for a
    scenario under ``PARALLEL_MIN_REPLICAS`` replicas; forks no workers for fewer than two larger
    placements. A platform that cannot run a scenario is left to its estimate, which says why.
    """
    memo = active_memo()
    if memo is None or workers < 2:
        return
    wanted: dict[Hashable, PlacementRequest] = {}
    for scenario, platform in jobs:
        if platform in FARGATE_PLATFORMS or replicas_placed(scenario) < PARALLEL_MIN_REPLICAS:
            continue
        with suppress(AdvisorError, LookupError):
            wanted.update((r.key, r) for r in placement_requests(scenario, platform, prices) if r.key not in memo)
    small = [r for r in wanted.values() if r.replicas < PARALLEL_MIN_REPLICAS]
    _remember(memo, small, [_make(r.make) for r in small])
    large = sorted((r for r in wanted.values() if r.replicas >= PARALLEL_MIN_REPLICAS), key=lambda r: r.replicas,
                   reverse=True)
    if len(large) < 2:
        return
    load_solver()   # once here, not once in each worker of each fork
    _remember(memo, large, parallel_map(_make, [r.make for r in large], workers, chunks_per_worker=len(large)))


def _remember(memo: Memo, requests: list[PlacementRequest],
              made: list[tuple[Placement | None, list[tuple[Hashable, Any]]]]) -> None:
    """Each made placement and the portable entries made with it, into ``memo`` (a failed one is left to its
    estimate, which raises the error)."""
    for request, (placement, entries) in zip(requests, made, strict=True):
        if placement is not None:
            memo.remember([*entries, (request.key, placement)])


def _make(make: Callable[[], Placement]) -> tuple[Placement | None, list[tuple[Hashable, Any]]]:
    """One placement, made by a worker (or by the caller, for a small one): it and the portable memo entries made
    with it (None when it cannot be made: the estimate that asks for it raises the error, with its message)."""
    with recording() as added:
        try:
            return make(), added
        except AdvisorError:
            return None, added


def estimate(scenario: Scenario, prices: PriceLookup, platforms: tuple[Platform, ...] | None = None, *,
             workers: int = 1) -> ScenarioEstimate:
    """Estimates of ``platforms`` (default: the scenario's own list).

    A platform whose prices the data lacks in the scenario's Region (no EC2 instances in
    ap-east-2, no EBS in ap-southeast-5) is reported unavailable with the missing price
    named; the others are still priced.  A Region or instance family the prices do not
    know at all is an :class:`InvalidWorkload` naming the nearest valid names.  A scenario
    over the size limits (:mod:`advisor.workload.limits`) is an AdvisorError: variants that
    analyses make with ``model_copy`` skip the model's validation.

    ``workers`` > 1 makes the platforms' placements on that many processes first
    (:func:`prefetch_placements`); the estimate is the same for any number of workers.
    """
    too_large = size_problems(scenario)
    if too_large:
        raise AdvisorError("; ".join(too_large))
    problems = scenario_problems(scenario.region, scenario.ec2.instance_families,
                                 PriceCatalog(prices.regions, prices.instance_types()))
    if problems:
        raise problems[0]
    estimates, unavailable = [], []
    asked = platforms or scenario.platforms
    with scope():   # placements repeated across environments and jobs are made once (advisor.memo)
        prefetch_placements([(scenario, p) for p in asked], prices, workers)
        for platform in asked:
            try:
                estimates.append(estimate_platform(scenario, platform, prices))
            except PlatformUnavailable as exc:
                unavailable.append(Unavailable(platform=platform, reason=str(exc)))
            except PlacementError as exc:
                # A replica larger than every allowed node shape: only this platform cannot run it.
                unavailable.append(Unavailable(platform=platform, reason=f"{exc}; it would fit with smaller "
                                                                         "replicas or other instance families"))
            except KeyError:
                raise  # a bug, not a missing price
            except LookupError as exc:  # the price data lacks a price this platform needs here
                unavailable.append(Unavailable(platform=platform, reason=f"{exc}; refresh the prices of "
                                                                         f"{scenario.region} or choose another region"))
    return ScenarioEstimate(scenario=scenario, region=scenario.region,
                            prices_as_of=prices.prices_as_of(scenario.region), estimates=tuple(estimates),
                            unavailable=tuple(unavailable))
