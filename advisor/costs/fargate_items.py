"""Line items of ECS on Fargate and EKS on Fargate.

Each replica is one task or pod, sized up to a valid Fargate configuration; the
difference between what was requested and what Fargate bills is shown as its own
``idle`` line ("rounding waste"), so Fargate's waste is as visible as EC2's idle nodes.
Per-node agents (DaemonSets) cannot run on Fargate: each becomes a sidecar in every task, or
is left out where the scenario says it is not needed there (``on_fargate: not-needed``).
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.capacity.fargate_billing import (
    EKS_FARGATE_MAX_EPHEMERAL_STORAGE_GIB,
    FARGATE_INCLUDED_EPHEMERAL_STORAGE_GIB,
    FARGATE_MAX_EPHEMERAL_STORAGE_GIB,
    billed_hours,
)
from advisor.capacity.fargate_sizes import FargateSize, eks_fargate_pod_size, round_up_to_fargate_size
from advisor.costs.line_items import Category, LineItem, item, num, usd
from advisor.costs.prices import PriceLookup, Quote
from advisor.costs.purchase import ON_DEMAND_SEGMENT, FargateRates, fargate_rates
from advisor.errors import InvalidWorkload, PlatformUnavailable
from advisor.workload.scaling import scaled_replicas
from advisor.workload.scenario import Daemon, Environment, Platform, PurchaseOption, Scenario
from advisor.workload.units import HOURS_PER_MONTH, MIB_PER_GIB

#: CoreDNS runs as two pods in every EKS cluster (EKS default add-on), requesting
#: 100m CPU and 70 MiB each (its deployment manifest); on Fargate each is one pod.
COREDNS_REPLICAS = 2
COREDNS_VCPU = 0.1
COREDNS_MEMORY_GIB = 70 / MIB_PER_GIB


@dataclass(frozen=True, slots=True)
class Workunit:
    """Replica-hours of one size: a service in an environment, or a job.

    ``steady_replica_hours`` is the part that runs every hour of the month (a service's
    minimum replicas); only it can be covered by a commitment.
    """

    name: str
    requested_vcpu: float
    requested_memory_gib: float
    size: FargateSize
    replica_hours: float
    steady_replica_hours: float
    architecture: str
    os: str
    ephemeral_gib: float
    formula_count: str


def _size(platform: Platform, name: str, vcpu: float, memory_gib: float, os: str) -> FargateSize:
    """The Fargate size of one task or pod; a request above every size makes the platform unavailable."""
    try:
        if platform is Platform.EKS_FARGATE:
            return eks_fargate_pod_size(vcpu, memory_gib)
        return round_up_to_fargate_size(vcpu, memory_gib, os="windows" if os == "windows" else "linux", ecs=True)
    except InvalidWorkload as exc:
        raise PlatformUnavailable(
            f"{name} asks {vcpu:g} vCPU / {memory_gib:g} GiB per task (sidecars included), more than {platform.value} "
            f"allows ({exc.field} {exc.allowed}); it would fit with smaller replicas (split the service) "
            "or on an EC2-backed platform") from exc


def _check_supported(platform: Platform, name: str, architecture: str, os: str, ephemeral_gib: float) -> None:
    if platform is Platform.EKS_FARGATE and (os == "windows" or architecture == "arm64"):
        raise PlatformUnavailable(
            f"EKS on Fargate runs only Linux x86_64 pods; {name} is {os}/{architecture} "
            "(EKS User Guide, 'AWS Fargate considerations'); it would fit as a Linux x86_64 image")
    limit = EKS_FARGATE_MAX_EPHEMERAL_STORAGE_GIB if platform is Platform.EKS_FARGATE else \
        FARGATE_MAX_EPHEMERAL_STORAGE_GIB
    if ephemeral_gib > limit:
        raise PlatformUnavailable(
            f"{name} asks {ephemeral_gib:g} GiB of ephemeral storage; {platform.value} allows at most {limit} GiB "
            "per task or pod (ECS Developer Guide, 'Fargate task ephemeral storage'; EKS User Guide, 'Understand "
            f"Fargate Pod configuration details'); it would fit with at most {limit} GiB")


def fargate_sidecar_agents(scenario: Scenario) -> tuple[Daemon, ...]:
    """The per-node agents that become a sidecar in every Fargate task (``on_fargate: sidecar``)."""
    return tuple(d for d in scenario.daemons if d.on_fargate == "sidecar")


def fargate_units(scenario: Scenario, platform: Platform, env: Environment, *, services_only: bool = False
                  ) -> list[Workunit]:
    """Task-hours of one environment by size: services, then jobs (unless ``services_only``), then CoreDNS."""
    agents = fargate_sidecar_agents(scenario)
    daemon_vcpu = sum(d.vcpu for d in agents)
    daemon_gib = sum(d.memory_gib for d in agents)
    units = []
    for svc in scenario.services:
        _check_supported(platform, svc.name, svc.architecture, svc.os, svc.ephemeral_storage_gib)
        vcpu, mem = svc.total_vcpu + daemon_vcpu, svc.total_memory_gib + daemon_gib
        replicas = scaled_replicas(svc.replicas, env.scale)
        hours = replicas.average * HOURS_PER_MONTH
        units.append(Workunit(svc.name, vcpu, mem, _size(platform, svc.name, vcpu, mem, svc.os), hours,
                               replicas.min * HOURS_PER_MONTH, svc.architecture, svc.os, svc.ephemeral_storage_gib,
                               f"{num(replicas.average)} avg tasks × {HOURS_PER_MONTH} h"))
    for job in () if services_only else scenario.jobs:
        _check_supported(platform, job.name, job.architecture, job.os, job.ephemeral_storage_gib)
        vcpu, mem = job.vcpu + daemon_vcpu, job.memory_gib + daemon_gib
        runs = job.runs_per_month * env.scale
        per_run = billed_hours(job.duration_minutes * 60, "windows" if job.os == "windows" else "linux")
        units.append(Workunit(job.name, vcpu, mem, _size(platform, job.name, vcpu, mem, job.os),
                               runs * job.parallelism * per_run, 0.0, job.architecture, job.os,
                               job.ephemeral_storage_gib,
                               f"{num(runs)} runs × {job.parallelism} tasks × {num(per_run)} billed h"))
    if platform is Platform.EKS_FARGATE and not env.shared_cluster:
        # A shared cluster's CoreDNS is paid by the environment that owns the cluster.
        units.append(Workunit("coredns", COREDNS_VCPU, COREDNS_MEMORY_GIB,
                               eks_fargate_pod_size(COREDNS_VCPU, COREDNS_MEMORY_GIB),
                               COREDNS_REPLICAS * HOURS_PER_MONTH, COREDNS_REPLICAS * HOURS_PER_MONTH, "x86_64",
                               "linux", 20.0, f"{COREDNS_REPLICAS} pods × {HOURS_PER_MONTH} h"))
    return units


def _segments(rates: FargateRates, unit: Workunit, committed: bool) -> list[tuple[str, float, str]]:
    """(segment, replica-hours, formula of the hours) of one unit.

    A commitment covers only the steady replica-hours (those that run every hour); the rest of
    the non-Spot hours are On-Demand.  The Spot share applies evenly to both.
    """
    out = []
    for segment, share in rates.segments:
        if share <= 0:
            continue
        if segment == ON_DEMAND_SEGMENT or segment == "fargate spot" or not committed:
            out.append((segment, unit.replica_hours * share, f"{unit.formula_count} × {num(share)} share"))
            continue
        steady = min(unit.steady_replica_hours, unit.replica_hours)
        if steady > 0:
            out.append((segment, steady * share, f"{num(steady / HOURS_PER_MONTH)} steady tasks × "
                                                 f"{HOURS_PER_MONTH} h × {num(share)} share"))
        if unit.replica_hours - steady > 1e-9:
            out.append((ON_DEMAND_SEGMENT, (unit.replica_hours - steady) * share,
                        f"{num(unit.replica_hours - steady)} task-hours above the steady baseline × "
                        f"{num(share)} share"))
    return out


def _pair(rates: FargateRates, unit: Workunit, env: str, segment: str, hours: float, count: str) -> list[LineItem]:
    """Requested vCPU and GB lines of one purchase segment, plus their rounding waste."""
    tag = f"{unit.name}, {unit.architecture}{', ' + unit.os if unit.os != 'linux' else ''}, {segment}"
    lines = []
    for dim, requested, provisioned, quote, rate in (
        ("vCPU", unit.requested_vcpu, unit.size.vcpu, rates.vcpu_quote, rates.vcpu_usd(segment)),
        ("GB", unit.requested_memory_gib, unit.size.memory_gib, rates.gb_quote, rates.gb_usd(segment)),
    ):
        note = rates.note(segment)
        lines.append(item(quote, category=Category.COMPUTE, name=f"Fargate {dim} ({tag})", environment=env,
                          quantity=hours * requested, unit=f"{dim}-hours", usd_per_unit=rate, assumption_note=note,
                          formula=f"{count} × {num(requested)} {dim} × {usd(rate)}"))
        waste = provisioned - requested
        if waste > 1e-12:
            lines.append(item(quote, category=Category.IDLE, name=f"Fargate rounding waste ({dim}, {tag})",
                              environment=env, quantity=hours * waste, unit=f"{dim}-hours", usd_per_unit=rate,
                              assumption_note=note,
                              formula=f"{count} × ({num(provisioned)} billed − {num(requested)} requested) "
                                      f"{dim} × {usd(rate)}"))
    return lines


def _extras(scenario: Scenario, prices: PriceLookup, unit: Workunit, env: str) -> list[LineItem]:
    region, lines = scenario.region, []
    if unit.os == "windows":
        lic = prices.price("fargate.windows_license_vcpu_hour", region)
        lines.append(item(lic, category=Category.COMPUTE, name=f"Windows licence ({unit.name})", environment=env,
                          quantity=unit.replica_hours * unit.size.vcpu, unit="vCPU-hours",
                          formula=f"{unit.formula_count} × {num(unit.size.vcpu)} vCPU × {usd(lic.usd_per_unit)}"))
    extra_gib = max(unit.ephemeral_gib - FARGATE_INCLUDED_EPHEMERAL_STORAGE_GIB, 0.0)
    if extra_gib > 0:
        eph = prices.price("fargate.ephemeral_storage_gb_hour", region)
        lines.append(item(eph, category=Category.STORAGE, name=f"Fargate ephemeral storage ({unit.name})",
                          environment=env, quantity=unit.replica_hours * extra_gib, unit="GB-hours",
                          formula=f"{unit.formula_count} × ({num(unit.ephemeral_gib)} − "
                                  f"{FARGATE_INCLUDED_EPHEMERAL_STORAGE_GIB} included) GB × {usd(eph.usd_per_unit)}"))
    return lines


def fargate_items(scenario: Scenario, platform: Platform, prices: PriceLookup, env: Environment) -> tuple[
        list[LineItem], list[str]]:
    """Compute line items of one environment on ECS or EKS Fargate, and warnings."""
    lines: list[LineItem] = []
    warnings: list[str] = []
    committed = scenario.purchase.option is not PurchaseOption.ON_DEMAND
    by_kind: dict[tuple[str, str], FargateRates] = {}   # rates differ only by architecture and OS
    for unit in fargate_units(scenario, platform, env):
        kind = (unit.architecture, unit.os)
        if kind not in by_kind:
            by_kind[kind] = fargate_rates(scenario, platform, prices, *kind)
        rates = by_kind[kind]
        warnings.extend(rates.warnings)
        for segment, hours, count in _segments(rates, unit, committed):
            lines.extend(_pair(rates, unit, env.name, segment, hours, count))
        lines.extend(_extras(scenario, prices, unit, env.name))
    return lines, warnings


def quote_zero(price_key: str, note: str) -> Quote:
    """A $0 'price' for a component AWS does not charge for, so it is shown rather than omitted."""
    return _ZeroQuote(price_key=price_key, usd_per_unit=0.0, unit="hours", sku="", publication_date="",
                      source=note, term="")


@dataclass(frozen=True, slots=True, kw_only=True)
class _ZeroQuote:
    price_key: str
    usd_per_unit: float
    unit: str
    sku: str
    publication_date: str
    source: str
    term: str


def ecs_control_plane_item(env: Environment) -> LineItem:
    """ECS has no control-plane charge; the line says so explicitly."""
    return item(quote_zero("ecs.control_plane", "no charge: Amazon ECS pricing page"),
                category=Category.CONTROL_PLANE, name="ECS control plane (no charge)", environment=env.name,
                quantity=HOURS_PER_MONTH, unit="hours",
                formula=f"{HOURS_PER_MONTH} h × $0 (Amazon ECS has no cluster fee)")


def eks_control_plane_items(scenario: Scenario, prices: PriceLookup, env: Environment) -> list[LineItem]:
    """EKS cluster hours, plus the extended-support surcharge when the version is past standard support."""
    region = scenario.region
    cluster = prices.price("eks.cluster_hour", region)
    lines = [item(cluster, category=Category.CONTROL_PLANE, name="EKS cluster (standard support)",
                  environment=env.name, quantity=HOURS_PER_MONTH, unit="hours",
                  formula=f"1 cluster × {HOURS_PER_MONTH} h × {usd(cluster.usd_per_unit)}")]
    if scenario.assumptions.eks_extended_support:
        ext = prices.price("eks.extended_support_hour", region)
        lines.append(item(ext, category=Category.CONTROL_PLANE, name="EKS extended support surcharge",
                          environment=env.name, quantity=HOURS_PER_MONTH, unit="hours",
                          formula=f"1 cluster × {HOURS_PER_MONTH} h × {usd(ext.usd_per_unit)}"))
    return lines
