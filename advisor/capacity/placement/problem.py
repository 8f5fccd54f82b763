"""One architecture as an integer problem over distinct pod sizes, in exact integer units.

Requests and capacities are compared in integer micro-vCPU and milli-MiB, so "fits" is
exact: 40 replicas of 0.1 vCPU fill a 4-vCPU node, with no floating-point surprises.
Values that are not on that grid are rounded conservatively (requests up, capacity down).

Resources are D >= 3 columns: vCPU, memory and pod slots, then one column per group with
a per-node limit (:attr:`PodGroup.per_node_limit`: each replica takes one unit, every node
offers the limit, which is how ECS ``host`` network mode keeps two replicas of a service
off one node). Groups of identical requests are interchangeable for packing, so
the problem is built over the distinct requests (*sizes*); :class:`_Sizes` says which
groups share a size so the replicas can be handed back by name. Shapes that another
shape dominates (no smaller on every dimension and no dearer) are dropped: they can never
lower the cost. Price books list ~800 types; a few dozen remain per architecture.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from advisor.capacity.placement.fit import fits_all
from advisor.capacity.placement.model import NodeShape, PlacedNode, PodGroup
from advisor.errors import PlacementError
from advisor.memo import lasting

# Integer resolution of the packing: 1 micro-vCPU and 1/1000 MiB are far finer than any
# request Kubernetes (1m CPU) or ECS (1 CPU unit = 1/1024 vCPU, 1 MiB) accepts.
VCPU_UNITS_PER_VCPU: int = 1_000_000

MEMORY_UNITS_PER_MIB: int = 1_000

#: The resource columns every problem has, in this order; further resources follow, by name.
BASE_RESOURCES: tuple[str, ...] = ("vcpu", "memory", "pod slots")

_UNLIMITED: int = np.iinfo(np.int64).max



@dataclass(frozen=True, slots=True)
class _Problem:
    """One architecture in integer units over K distinct sizes; shapes Pareto-efficient."""

    shapes: tuple[NodeShape, ...]
    resources: tuple[str, ...]   # the D column names: BASE_RESOURCES, then one per-node limit per limited group
    req: np.ndarray    # (K, D) int64: micro-vCPU, milli-MiB, slots, then 1 in the group's own limit column
    count: np.ndarray  # (K,) int64
    cap: np.ndarray    # (T, D) int64, vCPU and memory scaled by the target utilisation (limits unscaled)
    price: np.ndarray  # (T,) float64
    fits: np.ndarray   # (K, T) bool: one replica fits an empty node
    order: tuple[int, ...]   # sizes largest first (see _largest_first); first fit visits them in this order

    def with_count(self, count: np.ndarray) -> _Problem:
        """The same sizes and shapes with other replica counts."""
        return _Problem(shapes=self.shapes, resources=self.resources, req=self.req, count=count, cap=self.cap,
                        price=self.price, fits=self.fits, order=self.order)


def _largest_first(req: np.ndarray, cap: np.ndarray) -> tuple[int, ...]:
    """Sizes largest first (relative to the biggest shape), ties by size index: computed once per
    problem, as every first fit of its placement visits the sizes in this order."""
    scale = np.maximum(cap.max(axis=0), 1)
    return tuple(np.argsort(-(req / scale).max(axis=1), kind="stable").tolist())


@dataclass(frozen=True, slots=True)
class _Sizes:
    """Which distinct size each pod group (sorted by name) has, to hand replicas back by name."""

    groups: tuple[PodGroup, ...]
    size_of: np.ndarray   # (G,) int: index into the problem's sizes


@dataclass(frozen=True, slots=True)
class _Packing:
    """Nodes as shape indices and a replica-count matrix (node x size)."""

    shape: np.ndarray   # (N,) int
    counts: np.ndarray  # (N, K) int64


def _to_units(value: float, per_unit: int, *, round_up: bool) -> int:
    """Integer units; grid values (up to float noise) are exact, others rounded conservatively."""
    scaled = value * per_unit
    nearest = round(scaled)
    if abs(scaled - nearest) <= 1e-6 + 1e-12 * abs(scaled):
        return int(nearest)
    return math.ceil(scaled) if round_up else math.floor(scaled)


def _resources(groups: Sequence[PodGroup]) -> tuple[str, ...]:
    """The column names: the base resources, then one per group with a per-node limit."""
    return BASE_RESOURCES + tuple(_limit_resource(g) for g in groups if g.per_node_limit is not None)


def _limit_resource(group: PodGroup) -> str:
    return f"per-node limit of {group.name}"


def _requests(groups: Sequence[PodGroup], resources: tuple[str, ...]) -> np.ndarray:
    """(G, D) requests; a limited group takes one unit of its own limit column.

    ECS ``host`` network mode binds a fixed host port, so a node runs at most one replica of
    such a service; as a resource dimension, every solver (heuristics, bounds, exact packing)
    respects it without knowing why.
    """
    limits = resources[len(BASE_RESOURCES):]
    return np.array([[_to_units(g.vcpu, VCPU_UNITS_PER_VCPU, round_up=True),
                      _to_units(g.memory_mib, MEMORY_UNITS_PER_MIB, round_up=True), g.slots,
                      *(int(name == _limit_resource(g)) for name in limits)] for g in groups],
                    dtype=np.int64).reshape(len(groups), len(resources))


def _limit_capacities(groups: Sequence[PodGroup], cap: np.ndarray) -> np.ndarray:
    """(T, D) capacities: the base columns, then each limited group's limit on every node."""
    limits = np.array([g.per_node_limit for g in groups if g.per_node_limit is not None], dtype=np.int64)
    return np.hstack([cap, np.broadcast_to(limits, (len(cap), len(limits)))])


def _problem(arch: str, groups: Sequence[PodGroup], shapes: Sequence[NodeShape], u: float) -> tuple[_Problem, _Sizes]:
    """Integer arrays for one architecture over distinct sizes; PlacementError for a group that fits nowhere.

    ``groups`` are sorted by name here; sizes are the distinct request rows in lexicographic
    order, so the problem does not depend on the order or the names the caller used.
    """
    groups = tuple(sorted(groups, key=lambda g: g.name))
    resources = _resources(groups)
    own, base_cap, price, keep = lasting(("node_arrays", arch, tuple(shapes), u),
                                         partial(_node_arrays, arch, shapes, u))
    cap = _limit_capacities(groups, base_cap)
    unique, size_of = np.unique(_requests(groups, resources), axis=0, return_inverse=True)
    size_of = size_of.ravel()
    # A Pareto-efficient shape covers every dominated one, so fitting none of them is fitting nothing.
    fits = fits_all(unique[:, None, :], cap[keep][None, :, :])
    unfit = np.flatnonzero(~fits.any(axis=1)[size_of])
    if len(unfit):
        raise PlacementError(_unfit_message(groups[int(unfit[0])], arch, shapes, u))
    count = np.bincount(size_of, weights=[g.count for g in groups], minlength=len(unique)).astype(np.int64)
    prob = _Problem(shapes=tuple(own[i] for i in keep), resources=resources, req=unique, count=count,
                    cap=cap[keep], price=price[keep], fits=fits, order=_largest_first(unique, cap[keep]))
    return prob, _Sizes(groups=groups, size_of=size_of)


def _node_arrays(arch: str, shapes: Sequence[NodeShape], u: float) -> tuple[tuple[NodeShape, ...], np.ndarray,
                                                                             np.ndarray, np.ndarray]:
    """An architecture's shapes, capacities (integer units, vCPU and memory × u), prices and Pareto-efficient indices.

    They do not depend on the workload, so they are kept across estimates
    (:func:`advisor.memo.lasting`); the arrays are read-only so that a kept one cannot be
    changed by a later placement.
    """
    # Sorted by name so ties between identical shapes never depend on the caller's order.
    own = tuple(sorted((s for s in shapes if s.architecture == arch and s.max_pods > 0),
                       key=lambda s: s.instance_type))
    cap = np.array([[_to_units(s.allocatable_vcpu * u, VCPU_UNITS_PER_VCPU, round_up=False),
                     _to_units(s.allocatable_memory_mib * u, MEMORY_UNITS_PER_MIB, round_up=False), s.max_pods]
                    for s in own], dtype=np.int64).reshape(-1, len(BASE_RESOURCES))
    price = np.array([s.usd_per_hour for s in own], dtype=np.float64)   # float bytes in placement's memo keys
    keep = _pareto(cap, price)
    for array in (cap, price, keep):
        array.setflags(write=False)
    return own, cap, price, keep


def _unfit_message(group: PodGroup, arch: str, shapes: Sequence[NodeShape], u: float) -> str:
    limit = "" if group.per_node_limit is None else f", at most {group.per_node_limit} per node"
    size = f"{group.vcpu:g} vCPU, {group.memory_mib:g} MiB, {group.slots} pod slot(s){limit}"
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
    """Indices of shapes no other shape dominates (>= every capacity, <= price), cheapest first.

    Shapes are visited cheapest first (then largest), and each is kept unless a kept shape
    covers it: a dominating shape is never dearer, so it is always visited earlier. The
    comparison runs against the kept shapes only, a few dozen, not all ~800.
    """
    rank = np.lexsort((np.arange(len(price)), -cap.sum(axis=1), price))
    kept: list[int] = []
    kept_cap = np.empty((0, cap.shape[1]), dtype=cap.dtype)
    for i in rank:
        if not (kept_cap >= cap[i]).all(axis=1).any():
            kept.append(int(i))
            kept_cap = cap[kept]
    return np.array(kept, dtype=np.int64)


def _split_sizes(by_size: np.ndarray, size_of: np.ndarray, count: np.ndarray) -> np.ndarray:
    """(nodes, groups) replica counts from (nodes, sizes) ones: each size's replicas, node by
    node, are handed to its groups in name order (the overlap of two cumulative ranges)."""
    counts = np.zeros((len(by_size), len(count)), dtype=np.int64)
    for k in range(by_size.shape[1]):
        members = np.flatnonzero(size_of == k)
        node_hi = np.cumsum(by_size[:, k])
        group_hi = np.cumsum(count[members])
        low = np.maximum((node_hi - by_size[:, k])[:, None], (group_hi - count[members])[None, :])
        counts[:, members] = np.maximum(np.minimum(node_hi[:, None], group_hi[None, :]) - low, 0)
    return counts


def _placed_nodes(prob: _Problem, sizes: _Sizes, pk: _Packing) -> list[PlacedNode]:
    """The packing's nodes with each size's replicas handed back to its groups by name."""
    groups = sizes.groups
    by_group = _split_sizes(pk.counts, sizes.size_of, np.array([g.count for g in groups], dtype=np.int64))
    vcpu = np.array([g.vcpu for g in groups])
    memory = np.array([g.memory_mib for g in groups])
    slots = np.array([g.slots for g in groups], dtype=np.int64)
    nodes = []
    for t, row in zip(pk.shape, by_group, strict=True):
        present = np.flatnonzero(row)
        nodes.append(PlacedNode(
            shape=prob.shapes[t],
            pods=tuple((groups[g].name, int(row[g])) for g in present),
            used_vcpu=math.fsum(row[present] * vcpu[present]),
            used_memory_mib=math.fsum(row[present] * memory[present]),
            used_pods=int(row.sum()), used_slots=int(row @ slots)))
    return nodes
