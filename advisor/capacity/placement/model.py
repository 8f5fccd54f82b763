"""The values placement speaks in: pod groups, node shapes, placed nodes and the placement.

Frozen, validated at construction (a negative request or a zero price is an
:class:`~advisor.errors.InvalidWorkload` naming the field), and hashable, so analyses can
remember placements by their inputs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from advisor.errors import InvalidWorkload


def _check_amount(owner: str, field: str, value: float) -> None:
    if not (math.isfinite(value) and value >= 0):
        raise InvalidWorkload(f"{owner}.{field}", value, "a finite number >= 0")


def _check_count(owner: str, field: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise InvalidWorkload(f"{owner}.{field}", value, "an integer >= 0")


@dataclass(frozen=True, slots=True, kw_only=True)
class PodGroup:
    """Identical replicas of one service (or batch job), requests including sidecars.

    Attributes
    ----------
    name : str
        Unique name; nodes list their replicas by it.
    vcpu : float
        vCPU request per replica [vCPU].
    memory_mib : float
        Memory request per replica [MiB].
    count : int
        Number of replicas; 0 is allowed and places nothing.
    architecture : str, default "x86_64"
        CPU architecture the image is built for; replicas only go to nodes with the same
        ``architecture`` string (the price book uses ``"x86_64"`` and ``"arm64"``).
    slots : int, default 1
        Pod or task slots (``NodeShape.max_pods``) one replica takes: 1 for a pod or an
        ``awsvpc`` task (its own ENI or trunk branch), 0 for an ECS ``bridge`` or ``host``
        task, which uses the instance's own network interface.
    per_node_limit : int or None, default None
        At most this many replicas on one node (ECS ``host`` network mode: a fixed host
        port serves one replica per instance); placed as an extra resource dimension of
        capacity ``per_node_limit`` on every node.
    """

    name: str
    vcpu: float
    memory_mib: float
    count: int
    architecture: str = "x86_64"
    slots: int = 1
    per_node_limit: int | None = None

    def __post_init__(self) -> None:
        owner = f"PodGroup({self.name!r})"
        if not self.name:
            raise InvalidWorkload("PodGroup.name", self.name, "a non-empty string")
        _check_amount(owner, "vcpu", self.vcpu)
        _check_amount(owner, "memory_mib", self.memory_mib)
        _check_count(owner, "count", self.count)
        _check_count(owner, "slots", self.slots)
        if self.per_node_limit is not None:
            _check_count(owner, "per_node_limit", self.per_node_limit)
            if self.per_node_limit < 1:
                raise InvalidWorkload(f"{owner}.per_node_limit", self.per_node_limit, "an integer >= 1 or None")


@dataclass(frozen=True, slots=True, kw_only=True)
class NodeShape:
    """One EC2 instance type as the platform sees it, at the price the caller chose.

    Attributes
    ----------
    instance_type : str
        Unique name, e.g. ``"m7g.xlarge"`` (use distinct names such as
        ``"m7g.xlarge (spot)"`` to offer one type at two prices).
    architecture : str
        ``"x86_64"`` or ``"arm64"`` (any string works; it must match the pods').
    capacity_vcpu, capacity_memory_mib : float
        What the instance has [vCPU], [MiB]; used for utilisation and idle reporting.
    allocatable_vcpu, allocatable_memory_mib : float
        What replicas may request after kube-reserved / ECS agent / DaemonSets [vCPU], [MiB].
    max_pods : int
        Pod or task slots left for workload replicas (ENI limits minus DaemonSets).
    usd_per_hour : float
        Effective hourly price (On-Demand, Spot, RI...) [USD/h]; must be > 0.
    """

    instance_type: str
    architecture: str
    capacity_vcpu: float
    capacity_memory_mib: float
    allocatable_vcpu: float
    allocatable_memory_mib: float
    max_pods: int
    usd_per_hour: float

    def __post_init__(self) -> None:
        owner = f"NodeShape({self.instance_type!r})"
        for field in ("capacity_vcpu", "capacity_memory_mib", "allocatable_vcpu", "allocatable_memory_mib"):
            _check_amount(owner, field, getattr(self, field))
        _check_count(owner, "max_pods", self.max_pods)
        if self.allocatable_vcpu > self.capacity_vcpu:
            raise InvalidWorkload(f"{owner}.allocatable_vcpu", self.allocatable_vcpu, f"<= {self.capacity_vcpu}")
        if self.allocatable_memory_mib > self.capacity_memory_mib:
            raise InvalidWorkload(f"{owner}.allocatable_memory_mib", self.allocatable_memory_mib,
                                  f"<= {self.capacity_memory_mib}")
        if not (math.isfinite(self.usd_per_hour) and self.usd_per_hour > 0):
            raise InvalidWorkload(f"{owner}.usd_per_hour", self.usd_per_hour, "a finite price > 0")


@dataclass(frozen=True, slots=True, kw_only=True)
class PlacedNode:
    """One node of a placement and what it runs.

    Attributes
    ----------
    shape : NodeShape
    pods : tuple of (str, int)
        (group name, replicas) pairs sorted by name; empty for a node added for ``min_nodes``.
    used_vcpu, used_memory_mib : float
        Summed requests [vCPU], [MiB].
    used_pods : int
        Replicas on the node.
    used_slots : int
        Pod or task slots they take: one per replica, none for ECS tasks in ``bridge`` or
        ``host`` network mode on EC2 (:attr:`PodGroup.slots`), which use the instance's own interface.
    """

    shape: NodeShape
    pods: tuple[tuple[str, int], ...]
    used_vcpu: float
    used_memory_mib: float
    used_pods: int
    used_slots: int

    @property
    def utilization_vcpu(self) -> float:
        """Requested share of allocatable vCPU (0 for a node with none)."""
        return _share(self.used_vcpu, self.shape.allocatable_vcpu)

    @property
    def utilization_memory(self) -> float:
        """Requested share of allocatable memory (0 for a node with none)."""
        return _share(self.used_memory_mib, self.shape.allocatable_memory_mib)


@dataclass(frozen=True, slots=True, kw_only=True)
class Placement:
    """Where every replica runs, what the nodes cost and how far that is from ideal.

    Attributes
    ----------
    nodes : tuple of PlacedNode
        Ordered by architecture, instance type, then contents.
    usd_per_hour : float
        Sum of the node prices [USD/h].
    lower_bound_usd_per_hour : float
        No placement of this workload on these shapes (at this target utilisation, with
        at least ``min_nodes`` nodes) can cost less [USD/h]; see :func:`place`.
    target_utilization : float
        The headroom factor the placement was packed with.
    padded_nodes : int
        Empty nodes added only to reach ``min_nodes``.
    exact : bool
        True when the packing is proven optimal (:mod:`advisor.capacity.placement.exact_packing` solved every
        architecture and no padding was added afterwards, or there is nothing to place: no nodes, whatever
        ``min_nodes``); the lower bound then equals the cost.
    """

    nodes: tuple[PlacedNode, ...]
    usd_per_hour: float
    lower_bound_usd_per_hour: float
    target_utilization: float = 1.0
    padded_nodes: int = 0
    exact: bool = False

    @property
    def node_count(self) -> int:
        return len(self.nodes)

    @property
    def count_by_type(self) -> dict[str, int]:
        """Nodes per instance type, sorted by type name."""
        counts: dict[str, int] = {}
        for node in sorted(self.nodes, key=lambda n: n.shape.instance_type):
            counts[node.shape.instance_type] = counts.get(node.shape.instance_type, 0) + 1
        return counts

    @property
    def gap_ratio(self) -> float:
        """Cost over the lower bound (1.0 = provably optimal; 1.0 for an empty placement)."""
        if self.lower_bound_usd_per_hour <= 0:
            return 1.0
        return self.usd_per_hour / self.lower_bound_usd_per_hour

    @property
    def idle_share_vcpu(self) -> float:
        """Share of allocatable vCPU that no replica requests (OpenCost's "idle")."""
        return 1.0 - _share(sum(n.used_vcpu for n in self.nodes), sum(n.shape.allocatable_vcpu for n in self.nodes))

    @property
    def idle_share_memory(self) -> float:
        """Share of allocatable memory that no replica requests."""
        used = sum(n.used_memory_mib for n in self.nodes)
        return 1.0 - _share(used, sum(n.shape.allocatable_memory_mib for n in self.nodes))

    @property
    def idle_share_pods(self) -> float:
        """Share of pod/task slots left free (replicas that take no slot leave it free)."""
        return 1.0 - _share(sum(n.used_slots for n in self.nodes), sum(n.shape.max_pods for n in self.nodes))


def _share(used: float, total: float) -> float:
    return used / total if total > 0 else 0.0
