"""The scenario: one workload, where it runs, how it is bought, and the assumptions.

Scenario files (YAML or JSON) are parsed into these frozen pydantic models, which
validate every field and name it in the error (``services[2].vcpu: must be > 0``).
``to_document`` and ``from_document`` round-trip exactly.
"""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from advisor.workload import limits
from advisor.workload.operations_inputs import Operations
from advisor.workload.platforms import Platform
from advisor.workload.units import HOURS_PER_MONTH

Fraction = Annotated[float, Field(ge=0, le=1)]
#: A container's vCPU and memory request (above 0, at most the largest EC2 instance).
Vcpu = Annotated[float, Field(gt=0, le=limits.MAX_VCPU)]
MemoryGib = Annotated[float, Field(gt=0, le=limits.MAX_MEMORY_GIB)]
Name = Annotated[str, Field(min_length=1, max_length=limits.MAX_NAME_CHARS)]
ReplicaCount = Annotated[int, Field(ge=0, le=limits.MAX_REPLICAS)]
Count = Annotated[int, Field(ge=0, le=limits.MAX_RESOURCE_COUNT)]
PerSecond = Annotated[float, Field(ge=0, le=limits.MAX_PER_SECOND)]
GbPerMonth = Annotated[float, Field(ge=0, le=limits.MAX_GB_PER_MONTH)]


class Model(BaseModel):
    """Frozen (hashable for caches) and strict about unknown keys (typos fail loudly)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Container(Model):
    """A sidecar or per-node agent: its requests only."""

    name: Name
    vcpu: Vcpu
    memory_gib: MemoryGib


class Daemon(Container):
    """A per-node agent (DaemonSet, ECS daemon task) and what it becomes where there are no nodes.

    On Fargate there is no node to run it on: either every task carries it as a sidecar
    (a metrics or security agent that must see each task), or it is not needed there (a
    log shipper replaced by the ``awslogs`` log driver, a node exporter).  The default is
    ``sidecar``, the conservative choice: the agent's function is kept, and its cost is
    named in the recommendation when it decides the ranking.
    """

    on_fargate: Literal["sidecar", "not-needed"] = "sidecar"


#: ECS network modes on EC2 (ECS Developer Guide, "Amazon ECS task networking options for the EC2
#: launch type", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking.html):
#: ``awsvpc`` gives each task its own ENI (or trunk branch), ``bridge`` shares the instance's
#: network through Docker's bridge, ``host`` maps container ports to the instance's ENI, so a
#: fixed host port runs at most one replica per instance.
NetworkMode = Literal["awsvpc", "bridge", "host"]


class Schedule(Model):
    """When a service runs at its peak replica count; the rest of the month it runs ``min``.

    ``business-hours`` is 10 hours a day on 5 days a week; ``always`` is the whole month.
    """

    hours_per_day: Annotated[float, Field(gt=0, le=24)] = 24.0
    days_per_week: Annotated[float, Field(gt=0, le=7)] = 7.0

    @property
    def peak_fraction(self) -> float:
        """Share of the month at peak (business hours: 10/24 × 5/7 ≈ 0.298)."""
        return (self.hours_per_day / 24.0) * (self.days_per_week / 7.0)


#: Slack under a scaled replica count before it is rounded up (:meth:`Replicas.scaled`): 100 replicas
#: × 1.1 must be 110, but the float product is 110.00000000000001 (a choice of this model: far below
#: one replica, far above a product's rounding error).
SCALED_REPLICA_SLACK: float = 1e-9

SCHEDULE_PRESETS: dict[str, Schedule] = {
    "always": Schedule(),
    "business-hours": Schedule(hours_per_day=10, days_per_week=5),
    "weekdays": Schedule(hours_per_day=24, days_per_week=5),
}


class Replicas(Model):
    """Replica count: fixed (``min == max``) or autoscaled between min and max on a schedule."""

    min: ReplicaCount
    max: Annotated[int, Field(ge=1, le=limits.MAX_REPLICAS)]
    schedule: Schedule = Schedule()

    @model_validator(mode="after")
    def _ordered(self) -> Replicas:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) must be <= max ({self.max})")
        return self

    @property
    def average(self) -> float:
        """Mean replicas over the month (replica-hours / 730)."""
        return self.min + (self.max - self.min) * self.schedule.peak_fraction

    def scaled(self, scale: float) -> Replicas:
        """These counts × ``scale``, rounded up; a running service keeps at least one replica at peak.

        Built without validation: a scaled count may exceed :data:`limits.MAX_REPLICAS`
        (an environment at ``scale: 100``); the scenario's own limits count scaled replicas.
        """
        if scale == 1.0:
            return self
        low = math.ceil(self.min * scale - SCALED_REPLICA_SLACK)
        return Replicas.model_construct(min=low, max=max(self.peak_at(scale), low), schedule=self.schedule)

    def peak_at(self, scale: float) -> int:
        """The peak count × ``scale``, rounded up, at least one (the ``max`` of :meth:`scaled`)."""
        return self.max if scale == 1.0 else max(1, math.ceil(self.max * scale - SCALED_REPLICA_SLACK))


class Service(Model):
    """A long-running service: per-replica requests (the main container) plus sidecars."""

    name: Name
    vcpu: Vcpu
    memory_gib: MemoryGib
    replicas: Replicas
    architecture: Literal["x86_64", "arm64"] = "x86_64"
    os: Literal["linux", "windows"] = "linux"
    ephemeral_storage_gib: Annotated[float, Field(ge=0, le=200)] = 20.0
    sidecars: Annotated[tuple[Container, ...], Field(max_length=limits.MAX_SIDECARS)] = ()
    #: ECS network mode on EC2-backed ECS platforms (default ``awsvpc``, as AWS recommends);
    #: Fargate runs every task in ``awsvpc``, ECS Managed Instances ``awsvpc`` or ``host``.
    network_mode: NetworkMode = "awsvpc"

    @field_validator("replicas", mode="before")
    @classmethod
    def _replicas_shorthand(cls, value: object) -> object:
        """``replicas: 3`` means a fixed count; a mapping may name a schedule preset."""
        if isinstance(value, int) and not isinstance(value, bool):
            return {"min": value, "max": value}
        if isinstance(value, dict) and isinstance(value.get("schedule"), str):
            preset = value["schedule"]
            if preset not in SCHEDULE_PRESETS:
                raise ValueError(f"unknown schedule {preset!r}; allowed: {', '.join(SCHEDULE_PRESETS)}")
            return {**value, "schedule": SCHEDULE_PRESETS[preset]}
        return value

    @property
    def total_vcpu(self) -> float:
        """Per-replica vCPU including sidecars (read for every service of every variant: no sum when there are none)."""
        return self.vcpu + sum(c.vcpu for c in self.sidecars) if self.sidecars else self.vcpu

    @property
    def total_memory_gib(self) -> float:
        """Per-replica memory including sidecars [GiB]."""
        return self.memory_gib + sum(c.memory_gib for c in self.sidecars) if self.sidecars else self.memory_gib


class Job(Model):
    """A scheduled or batch job (ETL, CI/CD runner): runs per month × duration × parallel tasks."""

    name: Name
    vcpu: Vcpu
    memory_gib: MemoryGib
    runs_per_month: Annotated[float, Field(ge=0, le=limits.MAX_RUNS_PER_MONTH)]
    duration_minutes: Annotated[float, Field(gt=0, le=43800)]
    parallelism: Annotated[int, Field(ge=1, le=limits.MAX_PARALLELISM)] = 1
    architecture: Literal["x86_64", "arm64"] = "x86_64"
    os: Literal["linux", "windows"] = "linux"
    ephemeral_storage_gib: Annotated[float, Field(ge=0, le=200)] = 20.0

    @model_validator(mode="after")
    def _fits_in_month(self) -> Job:
        hours = self.runs_per_month * self.duration_minutes / 60.0
        if hours > HOURS_PER_MONTH:
            raise ValueError(f"runs_per_month × duration_minutes is {hours:g} hours, more than the "
                             f"{HOURS_PER_MONTH} hours of a month (an impossible schedule); "
                             f"use parallelism for concurrent runs")
        return self


class Environment(Model):
    """An environment (prod, staging...): its own cluster unless ``shared_cluster``."""

    name: Name
    scale: Annotated[float, Field(gt=0, le=100)] = 1.0
    shared_cluster: bool = False


class LoadBalancer(Model):
    """An ALB or NLB with the drivers of its capacity units (LCU / NLCU)."""

    type: Literal["alb", "nlb"] = "alb"
    count: Count = 1
    new_connections_per_second: PerSecond = 0.0
    active_connections_per_minute: Annotated[float, Field(ge=0, le=limits.MAX_PER_MINUTE)] = 0.0
    processed_gb_per_month: GbPerMonth = 0.0
    requests_per_second: PerSecond = 0.0
    rules: Count = 10


class Traffic(Model):
    """What surrounds the containers: load balancing, NAT, logs, egress, images, discovery."""

    load_balancers: Annotated[tuple[LoadBalancer, ...], Field(max_length=limits.MAX_LOAD_BALANCERS)] = ()
    availability_zones: Annotated[int, Field(ge=1, le=6)] = 3
    nat_gateways: Count | None = None
    nat_processed_gb_per_month: GbPerMonth = 0.0
    logs_ingested_gb_per_month: GbPerMonth = 0.0
    logs_retention_months: Annotated[float, Field(ge=0, le=limits.MAX_RETENTION_MONTHS)] = 1.0
    internet_egress_gb_per_month: GbPerMonth = 0.0
    #: GB a month that cross Availability Zones (service-to-service calls, replication);
    #: AWS bills it in each direction.
    inter_az_gb_per_month: GbPerMonth = 0.0
    image_storage_gb: GbPerMonth = 0.0
    service_discovery_instances: Annotated[int, Field(ge=0, le=limits.MAX_DISCOVERY_INSTANCES)] = 0

    @property
    def nat_gateway_count(self) -> int:
        """One NAT gateway per AZ unless set (the AWS high-availability recommendation)."""
        return self.availability_zones if self.nat_gateways is None else self.nat_gateways


class PurchaseOption(StrEnum):
    """How compute is bought; applied the same way on every platform."""

    ON_DEMAND = "on-demand"
    RESERVED_1YR = "reserved-1yr"
    RESERVED_3YR = "reserved-3yr"
    SAVINGS_PLAN_1YR = "savings-plan-1yr"
    SAVINGS_PLAN_3YR = "savings-plan-3yr"


class Purchase(Model):
    """Commitment for the steady part of compute, plus the Spot share."""

    option: PurchaseOption = PurchaseOption.ON_DEMAND
    #: Share of EC2 node-hours on Spot, and of Fargate task-hours on Fargate Spot.
    spot_share: Fraction = 0.0


class Ec2Options(Model):
    """How EC2-backed platforms choose and size nodes."""

    instance_families: Annotated[tuple[Annotated[str, Field(max_length=limits.MAX_NAME_CHARS)], ...],
                                 Field(max_length=limits.MAX_INSTANCE_FAMILIES)] = ()
    target_utilization: Annotated[float, Field(gt=0.1, le=1)] = 0.85
    ecs_eni_trunking: bool = True
    eks_prefix_delegation: bool = False
    root_volume_gib: Annotated[float, Field(ge=1, le=16384)] = 30.0
    current_generation_only: bool = True
    #: EKS Auto Mode node pool: ``built-in`` (the general-purpose pool: On-Demand C, M and R
    #: instances of generation 5 or later, amd64) or ``custom`` (your own NodePool: Spot, arm64
    #: and other families as ``instance_families`` and ``purchase`` say).
    auto_mode_node_pool: Literal["built-in", "custom"] = "built-in"


class Assumptions(Model):
    """Overrides of the dated assumptions that stand in for prices the data lacks (None = default)."""

    auto_mode_fee_fraction: Fraction | None = None
    ecs_managed_fee_fraction: Fraction | None = None
    fargate_spot_discount: Fraction | None = None
    savings_plan_fargate_discount: Fraction | None = None
    eks_extended_support: bool = False


class Scenario(Model):
    """Everything one estimate needs besides the prices."""

    name: Name
    description: Annotated[str, Field(max_length=limits.MAX_DESCRIPTION_CHARS)] = ""
    region: Annotated[str, Field(max_length=limits.MAX_NAME_CHARS)] = "us-east-1"
    platforms: tuple[Platform, ...] = tuple(Platform)
    environments: Annotated[tuple[Environment, ...], Field(max_length=limits.MAX_ENVIRONMENTS)] = (
        Environment(name="prod"),)
    services: Annotated[tuple[Service, ...], Field(max_length=limits.MAX_SERVICES)] = ()
    jobs: Annotated[tuple[Job, ...], Field(max_length=limits.MAX_JOBS)] = ()
    daemons: Annotated[tuple[Daemon, ...], Field(max_length=limits.MAX_DAEMONS)] = ()
    traffic: Traffic = Traffic()
    purchase: Purchase = Purchase()
    ec2: Ec2Options = Ec2Options()
    assumptions: Assumptions = Assumptions()
    #: Who runs the platform and at what cost (advisor.workload.operations_inputs); its EKS upgrade strategy
    #: ``defer-to-extended-support`` implies ``assumptions.eks_extended_support`` in the TCO.
    operations: Operations = Operations()

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        if not self.services and not self.jobs:
            raise ValueError("a scenario needs at least one service or job")
        for label, items in (("services", self.services), ("jobs", self.jobs), ("daemons", self.daemons),
                             ("environments", self.environments)):
            names = [i.name for i in items]
            dupes = sorted({n for n in names if names.count(n) > 1})
            if dupes:
                raise ValueError(f"{label}: duplicate names {dupes}")
        if not self.platforms:
            raise ValueError("platforms: at least one of " + ", ".join(p.value for p in Platform))
        if len(set(self.platforms)) < len(self.platforms):
            raise ValueError("platforms: each platform at most once (a repeated one would be priced again)")
        problems = size_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self


def replicas_placed(scenario: Scenario) -> int:
    """Replicas an estimate places on nodes: every service's peak replicas and every job's
    parallel tasks, in every environment (see :mod:`advisor.workload.limits`)."""
    tasks = sum(j.parallelism for j in scenario.jobs)
    return sum(sum(s.replicas.peak_at(env.scale) for s in scenario.services) + tasks for env in scenario.environments)


def size_problems(scenario: Scenario) -> list[str]:
    """The scenario's sums over the limits of :mod:`advisor.workload.limits` (one line each).

    The model checks every field on its own; these are the totals that grow with the
    environments.  :func:`advisor.costs.estimate.estimate` checks them again, because
    variants made by ``model_copy`` (analyses, break-even searches) are not validated.
    """
    placed = replicas_placed(scenario)
    if placed > limits.MAX_REPLICAS_PLACED:
        return [limits.over_limit("services and jobs", placed, limits.MAX_REPLICAS_PLACED,
                                  "replicas to place (peak replicas of every service and parallel tasks of "
                                  f"every job, in {len(scenario.environments)} environment(s))")]
    table = len(scenario.services) * placed
    if table > limits.MAX_SERVICE_REPLICAS:
        return [limits.over_limit("services", table, limits.MAX_SERVICE_REPLICAS,
                                  f"service-replicas ({len(scenario.services):,} services × {placed:,} replicas "
                                  "to place)")]
    return []
