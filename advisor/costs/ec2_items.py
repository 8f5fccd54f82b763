"""Line items of the EC2-backed platforms: ECS on EC2, EKS node groups, EKS Auto Mode, ECS Managed Instances.

Node capacity is what each platform really leaves for workload pods or tasks:
ECS registers slightly less memory than the instance has and limits ``awsvpc`` tasks
by ENIs (or the trunking table); EKS subtracts kube-reserved and the eviction
threshold and caps pods by the VPC CNI's max-pods; system DaemonSets and the user's
per-node agents take their share of every node.  The placement then picks the cheapest
mix of instance types for the peak and the off-peak replica counts.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

from advisor.capacity.fargate_billing import billed_hours
from advisor.capacity.node_rules import (
    allocatable,
    architectures_allowed,
    builtin_auto_mode_pool,
    family,
    family_allowed,
)
from advisor.capacity.placement import NodeShape, Placement, PodGroup, place
from advisor.costs.fargate_items import COREDNS_MEMORY_GIB, COREDNS_REPLICAS, COREDNS_VCPU
from advisor.costs.line_items import Category, LineItem, NodeSummary, item, num, usd
from advisor.costs.management_fees import has_management_fee, management_fee
from advisor.costs.prices import PriceLookup
from advisor.costs.purchase import ON_DEMAND_SEGMENT, NodePrice, node_price
from advisor.errors import PlatformUnavailable
from advisor.memo import lasting, memoized
from advisor.workload.scaling import scaled_replicas
from advisor.workload.scenario import Environment, Job, Platform, PurchaseOption, Scenario
from advisor.workload.units import HOURS_PER_MONTH, MIB_PER_GIB


@dataclass(frozen=True, slots=True)
class _Shapes:
    shapes: tuple[NodeShape, ...]
    prices: dict[str, NodePrice]


def node_shapes(scenario: Scenario, platform: Platform, prices: PriceLookup,
                architectures: set[str]) -> _Shapes:
    """Candidate node shapes with their allocatable capacity and effective price."""
    shapes, node_prices = [], {}
    offers = prices.instance_offers(scenario.region)
    if not offers:
        raise PlatformUnavailable(f"the active price data has no EC2 instance prices in {scenario.region}; "
                                  "refresh its prices or choose another region")
    for offer in offers:
        if offer.architecture not in architectures or not family_allowed(scenario, platform,
                                                                          family(offer.instance_type)):
            continue
        limits = prices.instance_limits(offer.instance_type)
        price = node_price(scenario, prices, offer.instance_type)
        if limits is None or price is None:
            continue
        try:
            alloc = allocatable(platform, scenario, int(offer.vcpu), int(offer.memory_gib * MIB_PER_GIB), limits)
        except ValueError:
            continue
        if min(alloc) <= 0:
            continue
        shapes.append(NodeShape(instance_type=offer.instance_type, architecture=offer.architecture,
                                capacity_vcpu=offer.vcpu, capacity_memory_mib=offer.memory_gib * MIB_PER_GIB,
                                allocatable_vcpu=alloc[0], allocatable_memory_mib=alloc[1], max_pods=alloc[2],
                                usd_per_hour=node_hour_usd(scenario, platform, prices, offer.instance_type,
                                                           price)))
        node_prices[offer.instance_type] = price
    if not shapes:
        families = ("the built-in Auto Mode node pool (C, M, R, generation 5+)"
                    if builtin_auto_mode_pool(scenario, platform)
                    else ", ".join(sorted(scenario.ec2.instance_families)) or "the automatic choice")
        raise PlatformUnavailable(f"no instance type of {families} in {scenario.region} has the prices and "
                                  f"network limits needed for {platform.value} under {scenario.purchase.option.value}")
    return _Shapes(tuple(shapes), node_prices)


def _network(platform: Platform, network_mode: str) -> tuple[int, int | None]:
    """(task slots, replicas per node) of one replica under the service's ECS network mode.

    ``awsvpc`` takes one ENI or trunk slot; ``bridge`` and ``host`` use the instance's own
    interface (no slot), and ``host`` binds a fixed host port: one replica per instance
    (ECS Developer Guide, "Amazon ECS task networking options for the EC2 launch type":
    "A port number on a host can't be used by multiple tasks").  Kubernetes pods always take
    a pod slot.
    """
    if platform not in (Platform.ECS_EC2, Platform.ECS_MANAGED) or network_mode == "awsvpc":
        return 1, None
    if network_mode == "bridge":
        return (0, None) if platform is Platform.ECS_EC2 else (1, None)
    return 0, 1


def network_warnings(scenario: Scenario, platform: Platform) -> list[str]:
    """Network modes a platform cannot run, and how they are priced instead."""
    bridge = [s.name for s in scenario.services if s.network_mode == "bridge"]
    if platform is Platform.ECS_MANAGED and bridge:
        return [f"ECS Managed Instances runs tasks in awsvpc or host network mode, not bridge: "
                f"{', '.join(bridge)} priced in awsvpc mode"]
    return []


def _group_inputs(scenario: Scenario, platform: Platform, env: Environment, peak: bool) -> tuple:
    """Everything :func:`_groups` reads, as plain values: the memo key of a phase's pod groups.

    Not the services themselves: their schedules (hours per day) do not change the groups,
    and an analysis that varies them must still find the groups, and their placements, again.
    Each running service is (name, vCPU, memory GiB, replicas in the phase, architecture, network mode).
    """
    running = []
    for svc in scenario.services:
        reps = scaled_replicas(svc.replicas, env.scale)
        count = reps.max if peak else reps.min
        if count:
            running.append((svc.name, svc.total_vcpu, svc.total_memory_gib, count, svc.architecture,
                            svc.network_mode))
    return platform, env.shared_cluster, tuple(running)


def _groups(inputs: tuple) -> tuple[PodGroup, ...]:
    """The pod groups of one phase, from :func:`_group_inputs`."""
    platform, shared_cluster, running = inputs
    groups = []
    for name, vcpu, memory_gib, count, architecture, network_mode in running:
        slots, per_node = _network(platform, network_mode)
        groups.append(PodGroup(name=name, vcpu=vcpu, memory_mib=memory_gib * MIB_PER_GIB, count=count,
                               architecture=architecture, slots=slots, per_node_limit=per_node))
    if platform in (Platform.EKS_EC2, Platform.EKS_AUTO) and not shared_cluster:
        # A shared cluster's CoreDNS is paid by the environment that owns the cluster.
        arch = "x86_64" if any(g.architecture == "x86_64" for g in groups) or not groups else "arm64"
        groups.append(PodGroup(name="coredns", vcpu=COREDNS_VCPU, memory_mib=COREDNS_MEMORY_GIB * MIB_PER_GIB,
                               count=COREDNS_REPLICAS, architecture=arch))
    return tuple(groups)


def _phases(scenario: Scenario) -> list[tuple[str, bool, float]]:
    """(name, is_peak, hours): the peak lasts as long as the longest autoscaled schedule."""
    scaled = [s.replicas.schedule.peak_fraction for s in scenario.services if s.replicas.min != s.replicas.max]
    if not scaled:
        return [("steady", True, float(HOURS_PER_MONTH))]
    peak_hours = max(scaled) * HOURS_PER_MONTH
    return [("peak", True, peak_hours), ("off-peak", False, HOURS_PER_MONTH - peak_hours)]


def _node_lines(placement: Placement, shapes: _Shapes, scenario: Scenario, platform: Platform,
                prices: PriceLookup, env: str, hours: float, label: str,
                baseline: dict[str, int] | None = None) -> list[LineItem]:
    """Instance, root-volume and management-fee lines of one placement over ``hours``.

    ``baseline`` holds, per instance type, the nodes that run every hour of the month; only
    they are bought with the scenario's commitment (Reserved Instances, Savings Plans), and
    the rest of the non-Spot hours are On-Demand.  The Spot share applies evenly.
    """
    lines: list[LineItem] = []
    gp3 = prices.price("ebs.gp3_gb_month", scenario.region)
    root = scenario.ec2.root_volume_gib
    committed = scenario.purchase.option is not PurchaseOption.ON_DEMAND
    for itype, count in sorted(placement.count_by_type.items()):
        price = shapes.prices[itype]
        node_hours = count * hours
        share = 1 - price.spot_share
        steady = min(count, (baseline or {}).get(itype, 0)) if committed else count
        for segment, quote, nodes in ((price.base_segment, price.base_quote, steady),
                                      (ON_DEMAND_SEGMENT, price.on_demand_quote, count - steady)):
            if nodes <= 0 or share <= 0:
                continue
            what = "steady nodes" if committed and segment != ON_DEMAND_SEGMENT else "nodes"
            lines.append(item(quote, category=Category.COMPUTE, name=f"Instance usage ({segment}, {itype}{label})",
                              environment=env, quantity=nodes * hours * share, unit="hours",
                              formula=f"{nodes} {what} × {num(hours)} h × {num(share)} share × "
                                      f"{usd(quote.usd_per_unit)}"))
        if price.spot_share > 0 and price.spot_usd_per_hour is not None:
            lines.append(item(price.on_demand_quote, category=Category.COMPUTE,
                              name=f"Instance usage (spot, {itype}{label})", environment=env,
                              quantity=node_hours * price.spot_share, unit="hours",
                              usd_per_unit=price.spot_usd_per_hour, assumption_note=price.spot_note,
                              formula=f"{count} nodes × {num(hours)} h × {num(price.spot_share)} share × "
                                      f"{usd(price.spot_usd_per_hour)}"))
        lines.append(item(gp3, category=Category.STORAGE, name=f"Root volumes (gp3, {itype}{label})", environment=env,
                          quantity=node_hours / HOURS_PER_MONTH * root, unit="GB-months",
                          formula=f"{count} nodes × {num(hours)}/{HOURS_PER_MONTH} months × {num(root)} GB × "
                                  f"{usd(gp3.usd_per_unit)}"))
        if has_management_fee(platform):
            fee = management_fee(scenario, platform, prices, itype)
            lines.append(item(fee.quote, category=Category.MANAGEMENT, name=f"{fee.label} ({itype}{label})",
                              environment=env, quantity=node_hours, unit="hours", usd_per_unit=fee.usd_per_hour,
                              assumption_note=fee.note, formula=f"{count} nodes × {num(hours)} h × {fee.formula}"))
    return lines


def node_hour_usd(scenario: Scenario, platform: Platform, prices: PriceLookup, itype: str, price: NodePrice) -> float:
    """Everything one node-hour costs: instance (blended purchase), root volume, management fee.

    The placement minimizes this, so a cheaper instance that needs an extra node (and its
    volume and fee) does not win by accident.
    """
    gp3 = prices.price("ebs.gp3_gb_month", scenario.region).usd_per_unit
    total = price.effective_usd_per_hour + scenario.ec2.root_volume_gib * gp3 / HOURS_PER_MONTH
    if has_management_fee(platform):
        total += management_fee(scenario, platform, prices, itype).usd_per_hour
    return total


def _summary(placement: Placement, env: str, phase: str, hours: float) -> NodeSummary:
    return NodeSummary(environment=env, phase=phase, node_counts=tuple(sorted(placement.count_by_type.items())),
                       utilization_vcpu=1 - placement.idle_share_vcpu,
                       utilization_memory=1 - placement.idle_share_memory,
                       usd_per_hour=placement.usd_per_hour, lower_bound_usd_per_hour=placement.lower_bound_usd_per_hour,
                       hours=hours, exact=placement.exact)


def _check_runnable(scenario: Scenario, platform: Platform) -> None:
    if any(s.os == "windows" for s in scenario.services) or any(j.os == "windows" for j in scenario.jobs):
        raise PlatformUnavailable("Windows containers on EC2 nodes need Windows instance prices, which the "
                                  "active price data lacks (see 'advisor prices status')")
    arm = [w.name for w in (*scenario.services, *scenario.jobs) if w.architecture == "arm64"]
    if arm and "arm64" not in architectures_allowed(scenario, platform):
        raise PlatformUnavailable(
            f"the built-in EKS Auto Mode general-purpose node pool runs amd64 only (EKS User Guide, 'Enable or "
            f"Disable Built-in NodePools'); {', '.join(arm)} {'is' if len(arm) == 1 else 'are'} arm64: it would "
            "fit with ec2.auto_mode_node_pool: custom")


def platform_scenario(scenario: Scenario, platform: Platform) -> tuple[Scenario, list[str]]:
    """The scenario as the platform can buy it: the built-in Auto Mode pool is On-Demand only (no Spot)."""
    if builtin_auto_mode_pool(scenario, platform) and scenario.purchase.spot_share > 0:
        purchase = scenario.purchase.model_copy(update={"spot_share": 0.0})
        return scenario.model_copy(update={"purchase": purchase}), [
            "the built-in EKS Auto Mode node pool uses only On-Demand capacity: Spot needs "
            "ec2.auto_mode_node_pool: custom, so eks-auto is priced without Spot"]
    return scenario, []


def ec2_items(scenario: Scenario, platform: Platform, prices: PriceLookup, env: Environment) -> tuple[
        list[LineItem], list[NodeSummary], list[str]]:
    """Node, volume and management-fee line items of one environment, and placement summaries."""
    scenario, warnings, key, shapes = platform_shapes(scenario, platform, prices)
    placed = [(phase, hours, memoized(request.key, request.make))
              for phase, hours, request in _phase_requests(scenario, platform, env, key, shapes)]
    by_type = [p.count_by_type for _, _, p in placed]
    baseline = {t: min(c.get(t, 0) for c in by_type) for t in set().union(*by_type)}
    lines: list[LineItem] = []
    summaries: list[NodeSummary] = []
    for phase, hours, placement in placed:
        label = "" if phase == "steady" else f", {phase}"
        lines.extend(_node_lines(placement, shapes, scenario, platform, prices, env.name, hours, label, baseline))
        summaries.append(_summary(placement, env.name, phase, hours))
    for job in scenario.jobs:
        lines.extend(_job_lines(scenario, platform, prices, env, job.name, key, shapes))
    return lines, summaries, [*warnings, *network_warnings(scenario, platform)]


class PlacementRequest(NamedTuple):
    """A placement an estimate makes, unmade (see :func:`placement_requests`)."""

    #: The memo key :func:`ec2_items` looks it up by.
    key: Hashable
    #: The call that makes it.
    make: Callable[[], Placement]
    #: Replicas it places: how long it takes, roughly.
    replicas: int


def placement_requests(scenario: Scenario, platform: Platform, prices: PriceLookup) -> list[PlacementRequest]:
    """Every placement an estimate of ``platform`` makes (each phase of each environment, each job), unmade.

    Why: placements are nearly all of an estimate's time, and many estimates share them (the
    environments of one scenario, the variants of an analysis). A caller with several cores
    gathers the requests of all its estimates, makes each distinct one once on the workers
    (:func:`advisor.costs.estimate.prefetch_placements`), and the estimates then find them in
    the memo: the same keys :func:`ec2_items` looks up, from the same code. Raises
    PlatformUnavailable when the platform cannot run the scenario.
    """
    scenario, _, key, shapes = platform_shapes(scenario, platform, prices)
    requests: list[PlacementRequest] = []
    for env in scenario.environments:
        requests += [request for _, _, request in _phase_requests(scenario, platform, env, key, shapes)]
    requests += [_placement_request(key, shapes, (_job_group(job),), target_utilization=1.0)
                 for job in scenario.jobs]
    return requests


def _phase_requests(scenario: Scenario, platform: Platform, env: Environment, shapes_key: tuple,
                    shapes: _Shapes) -> list[tuple[str, float, PlacementRequest]]:
    """(phase, hours, placement request) of each phase of one environment."""
    requests = []
    for phase, peak, hours in _phases(scenario):
        # Keyed by what _groups reads: analyses that vary other inputs reuse the groups and their placements.
        inputs = _group_inputs(scenario, platform, env, peak)
        groups = memoized(("pod_groups", inputs), lambda inputs=inputs: _groups(inputs))
        requests.append((phase, hours, _placement_request(shapes_key, shapes, groups,
                                                          min_nodes=scenario.traffic.availability_zones,
                                                          target_utilization=scenario.ec2.target_utilization)))
    return requests


def platform_shapes(scenario: Scenario, platform: Platform, prices: PriceLookup) -> tuple[
        Scenario, list[str], tuple, _Shapes]:
    """The scenario as the platform buys it, its warnings, and the node shapes the platform offers it (and their key).

    Shapes depend on the prices and EC2 settings only, not on the workload: kept for the process
    (:func:`advisor.memo.lasting`), so a caller about to fork workers makes them first and the
    workers share them. Raises PlatformUnavailable when the platform cannot run the scenario.
    """
    _check_runnable(scenario, platform)
    scenario, warnings = platform_scenario(scenario, platform)
    arches = ({s.architecture for s in scenario.services} | {j.architecture for j in scenario.jobs} | {"x86_64"}) \
        & architectures_allowed(scenario, platform)
    key = _shapes_key(scenario, platform, prices, arches)
    shapes = lasting(("node_shapes", key), lambda: node_shapes(scenario, platform, prices, arches))
    return scenario, warnings, key, shapes


def _shapes_key(scenario: Scenario, platform: Platform, prices: PriceLookup, architectures: set[str]) -> tuple:
    """Every input :func:`node_shapes` reads (through ``allocatable``, ``node_price`` and ``node_hour_usd``).

    The key of the shapes (kept for the process) and of the placements on them: keep it in
    step with those functions, or an estimate would reuse shapes of other inputs (tests/advisor/test_evaluator.py
    compares memoized and plain estimates over every kind of parameter).
    """
    ec2 = scenario.ec2
    return (prices, scenario.region, platform, tuple(sorted(architectures)), ec2.instance_families,
            ec2.ecs_eni_trunking, ec2.eks_prefix_delegation, ec2.root_volume_gib, ec2.auto_mode_node_pool,
            scenario.purchase, scenario.daemons, scenario.assumptions.auto_mode_fee_fraction,
            scenario.assumptions.ecs_managed_fee_fraction)


def _placement_request(shapes_key: tuple, shapes: _Shapes, groups: tuple[PodGroup, ...], *, min_nodes: int = 0,
                       target_utilization: float) -> PlacementRequest:
    """:func:`advisor.capacity.placement.place` on the shapes of ``shapes_key``: its memo key and the call."""
    return PlacementRequest(key=("place", shapes_key, groups, min_nodes, target_utilization),
                            make=partial(place, groups, shapes.shapes, min_nodes=min_nodes,
                                         target_utilization=target_utilization),
                            replicas=sum(g.count for g in groups))


def _job_lines(scenario: Scenario, platform: Platform, prices: PriceLookup, env: Environment, name: str,
               shapes_key: tuple, shapes: _Shapes) -> Sequence[LineItem]:
    """Nodes added for a job's duration (per-second billing, one-minute minimum, as on Fargate)."""
    job = next(j for j in scenario.jobs if j.name == name)
    request = _placement_request(shapes_key, shapes, (_job_group(job),), target_utilization=1.0)
    placement = memoized(request.key, request.make)
    hours = job.runs_per_month * env.scale * billed_hours(job.duration_minutes * 60)
    return _node_lines(placement, shapes, scenario, platform, prices, env.name, hours, f", job {job.name}", {})


def _job_group(job: Job) -> PodGroup:
    """A job's parallel tasks as one pod group."""
    return PodGroup(name=job.name, vcpu=job.vcpu, memory_mib=job.memory_gib * MIB_PER_GIB, count=job.parallelism,
                    architecture=job.architecture)
