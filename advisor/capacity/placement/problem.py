"""One architecture as an integer problem: requests and capacities in exact integer units.

Requests and capacities are compared in integer micro-vCPU and milli-MiB, so "fits" is
exact: 40 replicas of 0.1 vCPU fill a 4-vCPU node, with no floating-point surprises.
Values that are not on that grid are rounded conservatively (requests up, capacity down).
Shapes that another shape dominates (no smaller on every dimension and no dearer) are
dropped: they can never lower the cost. Price books list ~800 types; a few dozen remain
per architecture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from advisor.capacity.placement.model import NodeShape, PlacedNode, PodGroup
from advisor.errors import PlacementError
from advisor.memo import memoized

# Integer resolution of the packing: 1 micro-vCPU and 1/1000 MiB are far finer than any
# request Kubernetes (1m CPU) or ECS (1 CPU unit = 1/1024 vCPU, 1 MiB) accepts.
VCPU_UNITS_PER_VCPU: int = 1_000_000

MEMORY_UNITS_PER_MIB: int = 1_000

_UNLIMITED: int = np.iinfo(np.int64).max


@dataclass(frozen=True, slots=True)
class _Problem:
    """One architecture in integer units. Groups sorted by name; shapes Pareto-efficient."""

    groups: tuple[PodGroup, ...]
    shapes: tuple[NodeShape, ...]
    req: np.ndarray    # (G, D) int64: micro-vCPU, milli-MiB, slots, then one column per per-node limit
    count: np.ndarray  # (G,) int64
    cap: np.ndarray    # (T, D) int64, scaled by the target utilisation (limits unscaled)
    price: np.ndarray  # (T,) float64
    fits: np.ndarray   # (G, T) bool: one replica fits an empty node

    @property
    def order(self) -> np.ndarray:
        """Groups largest first (relative to the biggest shape), ties by name."""
        scale = np.maximum(self.cap.max(axis=0), 1)
        return np.argsort(-(self.req / scale).max(axis=1), kind="stable")


@dataclass(frozen=True, slots=True)
class _Packing:
    """Nodes as shape indices and a replica-count matrix (node x group)."""

    shape: np.ndarray   # (N,) int
    counts: np.ndarray  # (N, G) int64


def _to_units(value: float, per_unit: int, *, round_up: bool) -> int:
    """Integer units; grid values (up to float noise) are exact, others rounded conservatively."""
    scaled = value * per_unit
    nearest = round(scaled)
    if abs(scaled - nearest) <= 1e-6 + 1e-12 * abs(scaled):
        return int(nearest)
    return math.ceil(scaled) if round_up else math.floor(scaled)


def _problem(arch: str, groups: list[PodGroup], shapes: Sequence[NodeShape], u: float) -> _Problem:
    """Integer arrays for one architecture; raises PlacementError for a group that fits nowhere."""
    own, cap, price, keep = memoized(("node_arrays", arch, tuple(shapes), u), partial(_node_arrays, arch, shapes, u))
    req = np.array([[_to_units(g.vcpu, VCPU_UNITS_PER_VCPU, round_up=True),
                     _to_units(g.memory_mib, MEMORY_UNITS_PER_MIB, round_up=True), g.slots] for g in groups],
                   dtype=np.int64).reshape(-1, 3)
    req, cap = _per_node_limits(groups, req, cap)
    fits = (req[:, None, :] <= cap[None, :, :]).all(axis=2)
    for gi, group in enumerate(groups):
        if not fits[gi].any():
            raise PlacementError(_unfit_message(group, arch, shapes, u))
    return _Problem(groups=tuple(groups), shapes=tuple(own[i] for i in keep), req=req,
                    count=np.array([g.count for g in groups], dtype=np.int64), cap=cap[keep], price=price[keep],
                    fits=fits[:, keep])


def _per_node_limits(groups: Sequence[PodGroup], req: np.ndarray, cap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One extra dimension per group with a per-node limit: capacity = the limit on every node, 1 per replica.

    ECS ``host`` network mode binds a fixed host port, so a node runs at most one replica of
    such a service; as a resource dimension, every solver (heuristics, bounds, exact packing)
    respects it without knowing why.
    """
    limited = [i for i, g in enumerate(groups) if g.per_node_limit is not None]
    if not limited:
        return req, cap
    extra_req = np.zeros((len(groups), len(limited)), dtype=np.int64)
    extra_req[limited, np.arange(len(limited))] = 1
    limits = np.array([groups[i].per_node_limit for i in limited], dtype=np.int64)
    return np.hstack([req, extra_req]), np.hstack([cap, np.broadcast_to(limits, (len(cap), len(limited)))])


def _node_arrays(arch: str, shapes: Sequence[NodeShape], u: float) -> tuple[tuple[NodeShape, ...], np.ndarray,
                                                                             np.ndarray, np.ndarray]:
    """An architecture's shapes, capacities (integer units, × u), prices and Pareto-efficient indices.

    They do not depend on the workload, so an analysis remembers them (advisor.memo); the
    arrays are read-only so that a remembered one cannot be changed by a later placement.
    """
    # Sorted by name so ties between identical shapes never depend on the caller's order.
    own = tuple(sorted((s for s in shapes if s.architecture == arch and s.max_pods > 0),
                       key=lambda s: s.instance_type))
    cap = np.array([[_to_units(s.allocatable_vcpu * u, VCPU_UNITS_PER_VCPU, round_up=False),
                     _to_units(s.allocatable_memory_mib * u, MEMORY_UNITS_PER_MIB, round_up=False),
                     s.max_pods] for s in own], dtype=np.int64).reshape(-1, 3)
    price = np.array([s.usd_per_hour for s in own])
    keep = _pareto(cap, price)
    for array in (cap, price, keep):
        array.setflags(write=False)
    return own, cap, price, keep


def _unfit_message(group: PodGroup, arch: str, shapes: Sequence[NodeShape], u: float) -> str:
    size = f"{group.vcpu:g} vCPU, {group.memory_mib:g} MiB, 1 pod slot"
    own = [s for s in shapes if s.architecture == arch and s.max_pods > 0]
    if not own:
        offered = sorted({s.architecture for s in shapes if s.max_pods > 0}) or ["none"]
        return (f"pod group {group.name!r} ({size}) needs {arch} nodes, but no node shape with free pod slots "
                f"is {arch} (architectures offered: {', '.join(offered)})")
    by_vcpu = max(own, key=lambda s: (s.allocatable_vcpu, s.allocatable_memory_mib, s.instance_type))
    by_mem = max(own, key=lambda s: (s.allocatable_memory_mib, s.allocatable_vcpu, s.instance_type))
    largest = {by_vcpu.instance_type: by_vcpu, by_mem.instance_type: by_mem}.values()
    described = " and ".join(f"{s.instance_type} ({s.allocatable_vcpu * u:g} vCPU, "
                             f"{s.allocatable_memory_mib * u:g} MiB, {s.max_pods} pod slots)" for s in largest)
    return (f"pod group {group.name!r} ({size} per replica, {arch}) fits no node shape at "
            f"{u:g} target utilization; the largest allowed {arch} shapes are {described}")


def _pareto(cap: np.ndarray, price: np.ndarray) -> np.ndarray:
    """Indices of shapes no other shape dominates (>= every capacity, <= price), cheapest first."""
    rank = np.lexsort((np.arange(len(price)), -cap.sum(axis=1), price))
    position = np.empty_like(rank)
    position[rank] = np.arange(len(rank))
    covers = (cap[None, :, :] >= cap[:, None, :]).all(axis=2)   # [i, j]: j has >= everything of i
    cheaper = price[None, :] <= price[:, None]
    strictly = (cap[None, :, :] > cap[:, None, :]).any(axis=2) | (price[None, :] < price[:, None])
    earlier = position[None, :] < position[:, None]
    dominated = (covers & cheaper & (strictly | earlier)).any(axis=1)
    return np.array([i for i in rank if not dominated[i]], dtype=np.int64)


def _placed_nodes(prob: _Problem, pk: _Packing) -> list[PlacedNode]:
    vcpu = np.array([g.vcpu for g in prob.groups])
    memory = np.array([g.memory_mib for g in prob.groups])
    nodes = []
    for t, row in zip(pk.shape, pk.counts, strict=True):
        present = np.flatnonzero(row)
        nodes.append(PlacedNode(
            shape=prob.shapes[t],
            pods=tuple((prob.groups[g].name, int(row[g])) for g in present),
            used_vcpu=math.fsum(row[present] * vcpu[present]),
            used_memory_mib=math.fsum(row[present] * memory[present]),
            used_pods=int(row.sum())))
    return nodes
