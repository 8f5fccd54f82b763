"""Line items of the EC2-backed platforms: ECS on EC2, EKS with managed node groups, EKS Auto Mode.

Node capacity is what each platform really leaves for workload pods or tasks:
ECS registers slightly less memory than the instance has and limits ``awsvpc`` tasks
by ENIs (or the trunking table); EKS subtracts kube-reserved and the eviction
threshold and caps pods by the VPC CNI's max-pods; system DaemonSets and the user's
per-node agents take their share of every node.  The placement then picks the cheapest
mix of instance types for the peak and the off-peak replica counts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from advisor.capacity.fargate_billing import billed_hours
from advisor.capacity.max_pods import prefix_delegation_max_pods
from advisor.capacity.nodes import (
    ecs_awsvpc_task_limit,
    ecs_registered_memory_mib,
    eks_node_allocatable,
    os_visible_memory_mib,
)
from advisor.capacity.placement import NodeShape, Placement, PodGroup, place
from advisor.costs.fargate_items import COREDNS_MEMORY_GIB, COREDNS_REPLICAS, COREDNS_VCPU
from advisor.costs.line_items import Category, LineItem, NodeSummary, item, num, usd
from advisor.costs.prices import PriceLookup, Quote
from advisor.costs.purchase import NodePrice, node_price
from advisor.errors import PlatformUnavailable
from advisor.memo import memoized
from advisor.workload.scaling import scaled_replicas
from advisor.workload.scenario import Environment, Platform, Scenario
from advisor.workload.units import HOURS_PER_MONTH, MIB_PER_GIB

#: EKS system DaemonSets on managed node groups: aws-node (VPC CNI, requests 25m CPU) and
#: kube-proxy (requests 100m CPU), as the EKS add-on manifests set them.  Auto Mode runs
#: these as node processes, not pods (EKS User Guide, "EKS Auto Mode").
EKS_SYSTEM_DAEMONSETS: tuple[tuple[str, float, float], ...] = (("aws-node", 0.025, 0.0), ("kube-proxy", 0.1, 0.0))

# Families left out of the automatic choice: accelerators (GPU, Inferentia, Trainium,
# FPGA, video), Mac hosts, the multi-TB u-* hosts, burstable t* types whose CPU
# baseline is below a sustained request, and the previous-generation families of the
# EC2 "Previous generation instances" page (m1-m4, c1-c4, r3-r4, i2, d2, cr1, hs1,
# x1/x1e), which newer EKS and ECS AMIs and ENI trunking do not all support.  Naming a
# family in ``instance_families`` brings it back.
_EXCLUDED_FAMILY = re.compile(
    r"^(p\d|g\d|gr\d|inf\d|trn\d|dl\d|f\d|vt\d|mac|u-|u\d|t\d|m[1-4]|c[1-4]|r[34]|i2|d2|cr1|hs1|x1e?)[a-z]*$")


@dataclass(frozen=True, slots=True)
class _Shapes:
    shapes: tuple[NodeShape, ...]
    prices: dict[str, NodePrice]


def _family(instance_type: str) -> str:
    return instance_type.split(".", 1)[0]


def _allocatable(platform: Platform, scenario: Scenario, vcpu: int, memory_mib: int,
                 limits: dict[str, object]) -> tuple[float, float, int] | None:
    """(vCPU, MiB, pod slots) left for workload pods, or None when the type cannot host any."""
    daemons_vcpu = sum(d.vcpu for d in scenario.daemons)
    daemons_mib = sum(d.memory_gib for d in scenario.daemons) * MIB_PER_GIB
    if platform is Platform.ECS_EC2:
        trunk = limits.get("ecs_tasks_with_trunking")
        trunk_limit = int(trunk) if isinstance(trunk, int | float) and trunk == trunk and trunk > 0 else None
        use_trunk = scenario.ec2.ecs_eni_trunking and trunk_limit is not None
        slots = ecs_awsvpc_task_limit(int(limits["max_enis"]), trunk_limit, use_trunk)
        return vcpu - daemons_vcpu, ecs_registered_memory_mib(memory_mib) - daemons_mib, slots
    max_pods = int(limits["eks_max_pods"])
    if scenario.ec2.eks_prefix_delegation:
        max_pods = prefix_delegation_max_pods(int(limits["default_card_max_enis"]), int(limits["ipv4_per_eni"]), vcpu)
    system = () if platform is Platform.EKS_AUTO else EKS_SYSTEM_DAEMONSETS
    alloc = eks_node_allocatable(vcpu, os_visible_memory_mib(memory_mib), max_pods)
    slots = alloc.pods - len(system) - len(scenario.daemons)
    cpu = alloc.vcpu - daemons_vcpu - sum(s[1] for s in system)
    return cpu, alloc.memory_mib - daemons_mib - sum(s[2] for s in system), slots


def node_shapes(scenario: Scenario, platform: Platform, prices: PriceLookup,
                architectures: set[str]) -> _Shapes:
    """Candidate node shapes with their allocatable capacity and effective price."""
    allowed = set(scenario.ec2.instance_families)
    shapes, node_prices = [], {}
    offers = prices.instance_offers(scenario.region)
    if not offers:
        raise PlatformUnavailable(f"the active price data has no EC2 instance prices in {scenario.region}; "
                                  "refresh its prices or choose another region")
    for offer in offers:
        family = _family(offer.instance_type)
        if offer.architecture not in architectures:
            continue
        if (allowed and family not in allowed) or (not allowed and _EXCLUDED_FAMILY.match(family)):
            continue
        limits = prices.instance_limits(offer.instance_type)
        price = node_price(scenario, prices, offer.instance_type)
        if limits is None or price is None:
            continue
        try:
            alloc = _allocatable(platform, scenario, int(offer.vcpu), int(offer.memory_gib * MIB_PER_GIB), limits)
        except ValueError:
            continue
        if alloc is None or min(alloc) <= 0:
            continue
        shapes.append(NodeShape(instance_type=offer.instance_type, architecture=offer.architecture,
                                capacity_vcpu=offer.vcpu, capacity_memory_mib=offer.memory_gib * MIB_PER_GIB,
                                allocatable_vcpu=alloc[0], allocatable_memory_mib=alloc[1], max_pods=alloc[2],
                                usd_per_hour=node_hour_usd(scenario, platform, prices, offer.instance_type,
                                                           price)))
        node_prices[offer.instance_type] = price
    if not shapes:
        families = ", ".join(sorted(allowed)) or "the automatic choice"
        raise PlatformUnavailable(f"no instance type of {families} in {scenario.region} has the prices and "
                                  f"network limits needed for {platform.value} under {scenario.purchase.option.value}")
    return _Shapes(tuple(shapes), node_prices)


def _groups(scenario: Scenario, platform: Platform, env: Environment, peak: bool) -> tuple[PodGroup, ...]:
    groups = []
    for svc in scenario.services:
        reps = scaled_replicas(svc.replicas, env.scale)
        count = reps.max if peak else reps.min
        if count:
            groups.append(PodGroup(name=svc.name, vcpu=svc.total_vcpu, memory_mib=svc.total_memory_gib * MIB_PER_GIB,
                                   count=count, architecture=svc.architecture))
    if platform in (Platform.EKS_EC2, Platform.EKS_AUTO):
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
                prices: PriceLookup, env: str, hours: float, label: str) -> list[LineItem]:
    lines: list[LineItem] = []
    gp3 = prices.price("ebs.gp3_gb_month", scenario.region)
    root = scenario.ec2.root_volume_gib
    for itype, count in sorted(placement.count_by_type.items()):
        price = shapes.prices[itype]
        node_hours = count * hours
        base_share = 1 - price.spot_share
        lines.append(item(price.base_quote, category=Category.COMPUTE,
                          name=f"Instance usage ({price.base_segment}, {itype}{label})", environment=env,
                          quantity=node_hours * base_share, unit="hours",
                          formula=f"{count} nodes × {num(hours)} h × {num(base_share)} share × "
                                  f"{usd(price.base_quote.usd_per_unit)}"))
        if price.spot_share > 0 and price.spot_usd_per_hour is not None:
            lines.append(item(price.base_quote, category=Category.COMPUTE,
                              name=f"Instance usage (spot, {itype}{label})", environment=env,
                              quantity=node_hours * price.spot_share, unit="hours",
                              usd_per_unit=price.spot_usd_per_hour, assumption_note=price.spot_note,
                              formula=f"{count} nodes × {num(hours)} h × {num(price.spot_share)} share × "
                                      f"{usd(price.spot_usd_per_hour)}"))
        lines.append(item(gp3, category=Category.STORAGE, name=f"Root volumes (gp3, {itype}{label})", environment=env,
                          quantity=node_hours / HOURS_PER_MONTH * root, unit="GB-months",
                          formula=f"{count} nodes × {num(hours)}/{HOURS_PER_MONTH} months × {num(root)} GB × "
                                  f"{usd(gp3.usd_per_unit)}"))
        if platform is Platform.EKS_AUTO:
            lines.append(_auto_mode_line(scenario, prices, itype, count, hours, env, label))
    return lines


@dataclass(frozen=True, slots=True)
class _AutoModeFee:
    quote: Quote
    usd_per_hour: float
    note: str
    formula: str


def _auto_mode_fee(scenario: Scenario, prices: PriceLookup, itype: str) -> _AutoModeFee:
    """Auto Mode fee: the Price List's per-instance record when present, else fraction × On-Demand."""
    region = scenario.region
    try:
        fee = prices.price("eks.auto_mode_instance_hour", region, instance_type=itype)
        return _AutoModeFee(fee, fee.usd_per_unit, "", usd(fee.usd_per_unit))
    except LookupError:
        pass
    on_demand = prices.price("ec2.instance_hour", region, instance_type=itype)
    fraction = scenario.assumptions.auto_mode_fee_fraction
    if fraction is None:
        assumed = prices.assumption("eks.auto_mode_fee_fraction", region)
        fraction, source = assumed.usd_per_unit, f"assumption as of {assumed.publication_date}"
    else:
        source = "scenario override"
    return _AutoModeFee(on_demand, fraction * on_demand.usd_per_unit,
                        f"Auto Mode fee {fraction:g} × On-Demand ({source})",
                        f"{fraction:g} × {usd(on_demand.usd_per_unit)}")


def _auto_mode_line(scenario: Scenario, prices: PriceLookup, itype: str, count: int, hours: float, env: str,
                    label: str) -> LineItem:
    fee = _auto_mode_fee(scenario, prices, itype)
    return item(fee.quote, category=Category.MANAGEMENT, name=f"EKS Auto Mode fee ({itype}{label})",
                environment=env, quantity=count * hours, unit="hours", usd_per_unit=fee.usd_per_hour,
                assumption_note=fee.note, formula=f"{count} nodes × {num(hours)} h × {fee.formula}")


def node_hour_usd(scenario: Scenario, platform: Platform, prices: PriceLookup, itype: str, price: NodePrice) -> float:
    """Everything one node-hour costs: instance (blended purchase), root volume, Auto Mode fee.

    The placement minimizes this, so a cheaper instance that needs an extra node (and its
    volume and fee) does not win by accident.
    """
    gp3 = prices.price("ebs.gp3_gb_month", scenario.region).usd_per_unit
    total = price.effective_usd_per_hour + scenario.ec2.root_volume_gib * gp3 / HOURS_PER_MONTH
    if platform is Platform.EKS_AUTO:
        total += _auto_mode_fee(scenario, prices, itype).usd_per_hour
    return total


def _summary(placement: Placement, env: str, phase: str, hours: float) -> NodeSummary:
    return NodeSummary(environment=env, phase=phase, node_counts=tuple(sorted(placement.count_by_type.items())),
                       utilization_vcpu=1 - placement.idle_share_vcpu,
                       utilization_memory=1 - placement.idle_share_memory,
                       usd_per_hour=placement.usd_per_hour, lower_bound_usd_per_hour=placement.lower_bound_usd_per_hour,
                       hours=hours, exact=placement.exact)


def ec2_items(scenario: Scenario, platform: Platform, prices: PriceLookup, env: Environment) -> tuple[
        list[LineItem], list[NodeSummary], list[str]]:
    """Node, volume and (Auto Mode) fee line items of one environment, and placement summaries."""
    if any(s.os == "windows" for s in scenario.services) or any(j.os == "windows" for j in scenario.jobs):
        raise PlatformUnavailable("Windows containers on EC2 nodes need Windows instance prices, which the "
                                  "active price data lacks (see 'advisor prices status')")
    arches = {s.architecture for s in scenario.services} | {j.architecture for j in scenario.jobs} | {"x86_64"}
    key = _shapes_key(scenario, platform, prices, arches)
    shapes = memoized(("node_shapes", key), lambda: node_shapes(scenario, platform, prices, arches))
    lines: list[LineItem] = []
    summaries: list[NodeSummary] = []
    for phase, peak, hours in _phases(scenario):
        groups = _groups(scenario, platform, env, peak)
        placement = _place(key, shapes, groups, min_nodes=scenario.traffic.availability_zones,
                           target_utilization=scenario.ec2.target_utilization)
        label = "" if phase == "steady" else f", {phase}"
        lines.extend(_node_lines(placement, shapes, scenario, platform, prices, env.name, hours, label))
        summaries.append(_summary(placement, env.name, phase, hours))
    for job in scenario.jobs:
        lines.extend(_job_lines(scenario, platform, prices, env, job.name, key, shapes))
    return lines, summaries, []


def _shapes_key(scenario: Scenario, platform: Platform, prices: PriceLookup, architectures: set[str]) -> tuple:
    """Every input :func:`node_shapes` reads (through ``_allocatable``, ``node_price`` and ``node_hour_usd``).

    The memo key of the shapes and of the placements on them: keep it in step with those
    functions, or an analysis would reuse shapes of other inputs (tests/advisor/test_evaluator.py
    compares memoized and plain estimates over every kind of parameter).
    """
    ec2 = scenario.ec2
    return (prices, scenario.region, platform, tuple(sorted(architectures)), ec2.instance_families,
            ec2.ecs_eni_trunking, ec2.eks_prefix_delegation, ec2.root_volume_gib, scenario.purchase,
            scenario.daemons, scenario.assumptions.auto_mode_fee_fraction)


def _place(shapes_key: tuple, shapes: _Shapes, groups: tuple[PodGroup, ...], *, min_nodes: int = 0,
           target_utilization: float) -> Placement:
    """:func:`advisor.capacity.placement.place` on the shapes of ``shapes_key``, through the active memo."""
    return memoized(("place", shapes_key, groups, min_nodes, target_utilization),
                    lambda: place(groups, shapes.shapes, min_nodes=min_nodes, target_utilization=target_utilization))


def _job_lines(scenario: Scenario, platform: Platform, prices: PriceLookup, env: Environment, name: str,
               shapes_key: tuple, shapes: _Shapes) -> Sequence[LineItem]:
    """Nodes added for a job's duration (per-second billing, one-minute minimum, as on Fargate)."""
    job = next(j for j in scenario.jobs if j.name == name)
    group = PodGroup(name=job.name, vcpu=job.vcpu, memory_mib=job.memory_gib * MIB_PER_GIB, count=job.parallelism,
                     architecture=job.architecture)
    placement = _place(shapes_key, shapes, (group,), target_utilization=1.0)
    hours = job.runs_per_month * env.scale * billed_hours(job.duration_minutes * 60)
    return _node_lines(placement, shapes, scenario, platform, prices, env.name, hours, f", job {job.name}")
