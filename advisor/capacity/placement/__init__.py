"""Placement: pack pod groups (EKS pods, ECS tasks) onto EC2 node shapes at minimum hourly cost.

Why this exists
---------------
An EC2-backed cluster is paid per node, not per request. What a workload costs on EKS or
ECS on EC2 therefore depends on how well its replicas fill the nodes, and on which
instance types are used: a memory-heavy service on compute-optimised nodes pays for idle
vCPUs. This module answers "how few dollars per hour of nodes can hold every replica?",
and says how close that answer is to a proven floor, so the advisor can show packing
waste as a line item instead of hiding it.

Model
-----
Each replica needs vCPU, memory and one pod/task slot; each node offers allocatable
vCPU, memory and slots (the caller subtracts kube-reserved, the ECS agent, DaemonSets and
ENI limits, see :mod:`advisor.capacity.nodes`). A replica fits a node when all three fit. This is
three-dimensional vector bin packing with priced bin types: NP-hard, so :func:`place`
is a heuristic, but it reports the gap to a linear-programming lower bound.

Algorithm (per CPU architecture; pods never cross architectures)
----------------------------------------------------------------
1. Drop node shapes that another shape dominates (no smaller on every dimension and no
   dearer): they can never lower the cost. Price books list ~800 types; a few dozen
   remain per architecture.
2. Small workloads are solved exactly (:mod:`advisor.capacity.placement.exact_packing`: dynamic programming
   over the replica counts of each distinct pod size, up to ``EXACT_MAX_STATES`` states).
   The answer is optimal, so the bound equals the cost and adding replicas can never
   lower it. Larger workloads go on to the heuristic below.
3. Lower bound, the largest of three valid bounds:

   - the covering LP: fractional nodes whose summed capacity covers the summed vCPU,
     memory and slots (HiGHS via :func:`scipy.optimize.linprog`);
   - the group LP: each group's replicas are split fractionally over the shapes that fit
     one of them, and each shape's nodes must hold their share on every dimension. A
     replica cannot be cut into a vCPU part on a compute node and a memory part on a
     memory node, so this bound is tighter (it can be ~5-15 % higher for mixed
     workloads); it is also the guide for mixing types below;
   - the price of the cheapest shape that holds the largest replica.

   Both LP values are recomputed from their duals, scaled to be exactly feasible, so by
   weak duality they are lower bounds whatever the solver's tolerances did.
4. Candidate packings, all deterministic:

   - the cheapest single-shape First-Fit-Decreasing (branch and bound over shapes);
   - a *sequential proportional deal* of the whole workload onto the node plans with the
     best estimated cost: n nodes of one shape, or n nodes plus one or two smaller
     nodes for the fractional rest (see :func:`_place_part`). Each node gets its share
     of every group, so its mix of CPU- and memory-heavy replicas matches the
     workload's; that is what lets nodes fill on every dimension at once, which FFD
     (group by group) does not;
   - LP-guided mixes: the group LP's split of groups over its 2..``HEURISTIC_TYPES_IN_MIX``
     (or ``max_types_in_mix``) costliest types (CPU-heavy groups on compute nodes, memory-heavy ones on memory
     nodes), each part dealt as above and free to change size within the part.

   A part that overflows its plan first fills the spare room of the other parts' nodes;
   the per-part plans are chosen together (coordinate descent) for the pooled cost.
5. Repair, kept only when cheaper: empty the least-filled node into the others' spare
   room while that works; re-pack the one to three emptiest nodes (spare room first,
   then the cheapest shape that holds the rest); move each node to the cheapest shape
   that holds its contents; merge two lightly filled nodes onto one shape that costs no
   more (equal cost still saves a root volume and a set of DaemonSets).
6. The cheapest candidate wins; ties go to fewer nodes, then to instance-type names.

Requests and capacities are compared in integer micro-vCPU and milli-MiB, so "fits" is
exact: 40 replicas of 0.1 vCPU fill a 4-vCPU node, with no floating-point surprises.
Values that are not on that grid are rounded conservatively (requests up, capacity down).

References
----------
Gilmore, P. C. and Gomory, R. E. (1961), "A Linear Programming Approach to the
Cutting-Stock Problem", Operations Research 9(6) (the pattern recursion of the exact step).
Panigrahy, R. et al. (2011), "Heuristics for Vector Bin Packing", Microsoft Research
(why FFD alone wastes capacity when items are unbalanced across dimensions).
Karpenter (aws/karpenter-provider-aws) chooses the cheapest instance type that holds the
pending pods; :func:`place` generalises that to mixes and reports the LP gap.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from advisor.capacity.placement.exact_packing import solve_exact
from advisor.errors import InvalidWorkload, PlacementError
from advisor.memo import memoized

# Integer resolution of the packing: 1 micro-vCPU and 1/1000 MiB are far finer than any
# request Kubernetes (1m CPU) or ECS (1 CPU unit = 1/1024 vCPU, 1 MiB) accepts.
VCPU_UNITS_PER_VCPU: int = 1_000_000
MEMORY_UNITS_PER_MIB: int = 1_000

# Node plans (shape, count, tail) actually dealt per part, of those with the best
# estimated cost: the estimate is rough, so the runner-up sometimes packs better.
LAYOUT_TRIALS: int = 4
# Share of a replica's size that a node typically strands in its binding dimension.
GRANULARITY_LOSS: float = 0.5
# A dealt node is repeated for up to this share of the nodes the pool still needs.
REPEAT_SHARE: float = 0.1
# Instance types the heuristic mixes when no limit is set: compute-, general- and
# memory-optimised nodes can each take the groups they suit, which is all an LP over three
# resources ever needs (a basic solution has at most three shapes in use).
HEURISTIC_TYPES_IN_MIX: int = 3
# Exact re-solves after the heuristic (see _exact_repack): the largest set of least-filled
# nodes re-solved together, the most solves per placement, and the state-pattern pairs
# they may evaluate in all (about 0.1 s of numpy work).
EXACT_REPACK_NODES: int = 8
EXACT_REPACK_SOLVES: int = 40
EXACT_REPACK_WORK: int = 3_000_000
# Least-filled nodes considered, pairwise, for merging onto one node, and merge rounds.
MERGE_CANDIDATES: int = 12
MERGE_ROUNDS: int = 4
# Emptiest nodes re-packed by the tail repair (1, 2, then 3 together).
TAIL_REPACK_NODES: int = 3

# Phase step for the proportional deal: the golden-ratio conjugate spreads each group's
# rounding remainder over different nodes, so no node collects every group's "extra".
_PHASE_STEP: float = (math.sqrt(5.0) - 1.0) / 2.0
_UNLIMITED: int = np.iinfo(np.int64).max


# --- public value types ------------------------------------------------------------------


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
    """

    name: str
    vcpu: float
    memory_mib: float
    count: int
    architecture: str = "x86_64"

    def __post_init__(self) -> None:
        owner = f"PodGroup({self.name!r})"
        if not self.name:
            raise InvalidWorkload("PodGroup.name", self.name, "a non-empty string")
        _check_amount(owner, "vcpu", self.vcpu)
        _check_amount(owner, "memory_mib", self.memory_mib)
        _check_count(owner, "count", self.count)


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
    """

    shape: NodeShape
    pods: tuple[tuple[str, int], ...]
    used_vcpu: float
    used_memory_mib: float
    used_pods: int

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
        architecture and no padding was added afterwards); the lower bound then equals the cost.
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
        """Share of pod/task slots left free."""
        return 1.0 - _share(sum(n.used_pods for n in self.nodes), sum(n.shape.max_pods for n in self.nodes))


def _share(used: float, total: float) -> float:
    return used / total if total > 0 else 0.0


# --- entry point -----------------------------------------------------------------------------


def place(
    groups: Sequence[PodGroup],
    shapes: Sequence[NodeShape],
    *,
    min_nodes: int = 0,
    target_utilization: float = 1.0,
    max_types_in_mix: int | None = None,
) -> Placement:
    """Place every replica on EC2 nodes at (near) minimum hourly cost.

    Parameters
    ----------
    groups : sequence of PodGroup
        The workload. Names must be unique; groups with ``count == 0`` are ignored.
    shapes : sequence of NodeShape
        Instance types the cluster may use, with allocatable capacity and price.
        Instance-type names must be unique.
    min_nodes : int, default 0
        Minimum number of nodes, e.g. one per Availability Zone for spread. When the
        packing needs fewer, empty nodes of the cheapest usable shape are added (of a shape
        already used when the type limit is reached); the scheduler then spreads replicas
        onto them, which changes no cost. Spreading the replicas over more, smaller nodes is
        also weighed (exactly, for small workloads, including how architectures share the
        floor). 0 (no minimum) because spread is a deployment choice, not a packing rule.
    target_utilization : float, default 1.0
        Headroom factor 0 < u <= 1: replicas may request at most ``u`` x allocatable vCPU
        and memory on each node (pod slots are not scaled). 1.0 packs to the brim, as the
        Kubernetes scheduler allows; 0.8 keeps 20 % free for bursts or rolling updates.
    max_types_in_mix : int or None, default None
        Most distinct instance types per architecture; 1 forces a single node group. None
        sets no limit: the exact solver uses whatever mix is cheapest (as Karpenter and EKS
        Auto Mode do), and the heuristic mixes up to ``HEURISTIC_TYPES_IN_MIX`` types. A
        limit is honoured unless no such small set of types can hold every group (then the
        cheapest feasible mix is used); an exact optimum that needs more types than the
        limit gives way to the heuristic.

    Returns
    -------
    Placement
        Nodes, cost and a lower bound: per architecture the largest of the covering LP
        relaxation (fractional nodes covering summed vCPU, memory and slots), the tighter
        group LP (replicas cannot be split across dimensions) and the cheapest shape that
        holds the largest replica, summed; at least ``min_nodes`` x the cheapest usable
        shape. Both LPs are certified through their duals, so the bound is valid whatever
        the solver's tolerances; see the module docstring.

    Raises
    ------
    PlacementError
        If one replica of a group fits no shape of its architecture (naming the group, its
        size and the largest shapes offered).
    InvalidWorkload
        On duplicate names or an option out of range.
    """
    _check_options(groups, shapes, min_nodes, target_utilization, max_types_in_mix)
    live = sorted((g for g in groups if g.count > 0), key=lambda g: g.name)
    if not live:
        return Placement(nodes=(), usd_per_hour=0.0, lower_bound_usd_per_hour=0.0,
                         target_utilization=target_utilization)
    by_arch = {a: tuple(g for g in live if g.architecture == a) for a in sorted({g.architecture for g in live})}
    floors = _floor_split(by_arch, shapes, target_utilization, min_nodes)
    nodes: list[PlacedNode] = []
    bound = 0.0
    exact = True
    for arch, own in by_arch.items():
        spread = floors[arch]
        # Architectures never share nodes, so each one's answer can be remembered on its own
        # (advisor.memo, active in analyses only): a variant that changes only x86 groups reuses arm64's.
        arch_bound, arch_nodes, arch_exact = memoized(
            ("place_architecture", arch, own, tuple(shapes), target_utilization, max_types_in_mix, spread),
            partial(_place_architecture, arch, own, shapes, target_utilization, max_types_in_mix, spread))
        bound += arch_bound
        nodes += arch_nodes
        exact &= arch_exact
    return _finish(nodes, bound, live, shapes, min_nodes, target_utilization, max_types_in_mix or len(shapes),
                   exact=exact)


def _floor_split(by_arch: dict[str, tuple[PodGroup, ...]], shapes: Sequence[NodeShape], u: float,
                 min_nodes: int) -> dict[str, int]:
    """How many of the ``min_nodes`` each architecture's nodes provide, at least total cost.

    One architecture takes the whole floor. For several, each one's exact optimum with at
    least j nodes (j = 0..min_nodes) comes from one solve, and the split that minimises
    their sum is then exact (pad nodes may be of any architecture). When an architecture is
    too large to solve exactly, no architecture gets a floor and :func:`_finish` pads.
    """
    if len(by_arch) == 1 or not min_nodes:
        return dict.fromkeys(by_arch, min_nodes if len(by_arch) == 1 else 0)
    best: dict[int, tuple[float, dict[str, int]]] = {0: (0.0, {})}
    for arch, groups in by_arch.items():
        floor_usd = memoized(("floor_usd", arch, groups, tuple(shapes), u, min_nodes),
                             partial(_floor_usd, arch, groups, shapes, u, min_nodes))
        if floor_usd is None:
            return dict.fromkeys(by_arch, 0)
        reach: dict[int, tuple[float, dict[str, int]]] = {}
        for provided, (usd, split) in best.items():
            for j, extra in enumerate(floor_usd):
                key, total = min(provided + j, min_nodes), usd + extra
                if key not in reach or total < reach[key][0] - 1e-12:
                    reach[key] = (total, {**split, arch: j})
        best = reach
    return best[min_nodes][1]


def _floor_usd(arch: str, groups: tuple[PodGroup, ...], shapes: Sequence[NodeShape], u: float,
               min_nodes: int) -> tuple[float, ...] | None:
    """An architecture's optimum with at least 0..``min_nodes`` nodes, or None when too large to solve exactly."""
    prob = _problem(arch, list(groups), shapes, u)
    solved = _exact(prob, prob.count, np.arange(len(prob.price)), min_nodes)
    return solved.floor_usd if solved else None


def _place_architecture(arch: str, groups: tuple[PodGroup, ...], shapes: Sequence[NodeShape], u: float,
                        max_types_in_mix: int | None, spread: int) -> tuple[float, tuple[PlacedNode, ...], bool]:
    """One architecture's lower bound [USD/h], nodes, and whether they are optimal.

    Exact (:func:`advisor.capacity.placement.exact_packing.solve_exact`) when the problem is small enough and
    its optimum keeps to the type limit, else the heuristic. The exact optimum ignores the
    type limit, so it is a lower bound even when the heuristic answers instead.
    """
    prob = _problem(arch, list(groups), shapes, u)
    every = np.arange(len(prob.price))
    exact = _exact(prob, prob.count, every, spread)
    if exact is not None and len(np.unique(exact.packing.shape)) <= (max_types_in_mix or len(prob.price)):
        return exact.usd_per_hour, tuple(_placed_nodes(prob, exact.packing)), True
    solved = _group_lp(prob, every)
    bound = max(_covering_bound(prob), _largest_replica_bound(prob), solved[1] if solved else 0.0,
                exact.usd_per_hour if exact else 0.0)
    packing = _solve(prob, solved[0] if solved else None, max_types_in_mix or HEURISTIC_TYPES_IN_MIX, spread)
    return bound, tuple(_placed_nodes(prob, _exact_repack(prob, packing, max_types_in_mix, spread))), False


@dataclass(frozen=True, slots=True)
class _Solved:
    """An exact answer in this module's terms (see :class:`advisor.capacity.placement.exact_packing.ExactPacking`)."""

    packing: _Packing
    usd_per_hour: float
    work: int
    floor_usd: tuple[float, ...]


def _exact(prob: _Problem, counts: np.ndarray, shapes: np.ndarray, min_nodes: int,
           max_work: int | None = None) -> _Solved | None:
    """The optimal packing of ``counts`` on the shapes ``shapes`` (indices), or None when
    :func:`advisor.capacity.placement.exact_packing.solve_exact` declines (too large for ``max_work``, or a
    group fits none of the shapes).

    Services of the same size are interchangeable for packing, so it is solved per distinct
    size and the replicas are handed back to the services by name.
    """
    live = np.flatnonzero(counts)
    sizes, size_of = np.unique(prob.req[live], axis=0, return_inverse=True)
    size_of = size_of.ravel()
    solved = solve_exact(sizes, np.bincount(size_of, weights=counts[live], minlength=len(sizes)).astype(np.int64),
                         prob.cap[shapes], prob.price[shapes], min_nodes, max_work)
    if solved is None:
        return None
    full = np.zeros((len(solved.shape), len(counts)), dtype=np.int64)
    full[:, live] = _split_sizes(solved.counts, size_of, counts[live])
    return _Solved(packing=_Packing(shape=shapes[solved.shape], counts=full), usd_per_hour=solved.usd_per_hour,
                   work=solved.work, floor_usd=solved.floor_usd)


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


def _check_options(groups: Sequence[PodGroup], shapes: Sequence[NodeShape], min_nodes: int,
                   target_utilization: float, max_types_in_mix: int | None) -> None:
    _check_count("place", "min_nodes", min_nodes)
    if not (0 < target_utilization <= 1):
        raise InvalidWorkload("target_utilization", target_utilization, "0 < u <= 1")
    if max_types_in_mix is not None and (isinstance(max_types_in_mix, bool) or not isinstance(max_types_in_mix, int)
                                         or max_types_in_mix < 1):
        raise InvalidWorkload("max_types_in_mix", max_types_in_mix, "None (no limit) or an integer >= 1")
    for label, names in (("PodGroup.name", [g.name for g in groups]),
                         ("NodeShape.instance_type", [s.instance_type for s in shapes])):
        seen: set[str] = set()
        for name in names:
            if name in seen:
                raise InvalidWorkload(label, name, "unique names")
            seen.add(name)


def _finish(nodes: list[PlacedNode], bound: float, live: list[PodGroup], shapes: Sequence[NodeShape],
            min_nodes: int, target_utilization: float, limit: int, *, exact: bool) -> Placement:
    """Pad to ``min_nodes`` with the cheapest usable shape the type limit allows, order the nodes, sum the prices."""
    archs = {g.architecture for g in live}
    usable = [s for s in shapes if s.architecture in archs and s.max_pods > 0]
    used = {n.shape.instance_type for n in nodes}
    kinds = {a: len({n.shape.instance_type for n in nodes if n.shape.architecture == a}) for a in archs}
    pad = min((s for s in usable if kinds[s.architecture] < limit or s.instance_type in used),
              key=lambda s: (s.usd_per_hour, s.instance_type))
    missing = max(0, min_nodes - len(nodes))
    nodes = nodes + [PlacedNode(shape=pad, pods=(), used_vcpu=0.0, used_memory_mib=0.0, used_pods=0)] * missing
    bound = max(bound, min_nodes * min(s.usd_per_hour for s in usable))
    nodes.sort(key=lambda n: (n.shape.architecture, n.shape.instance_type, -n.used_pods, n.pods))
    return Placement(nodes=tuple(nodes), usd_per_hour=math.fsum(n.shape.usd_per_hour for n in nodes),
                     lower_bound_usd_per_hour=bound, target_utilization=target_utilization,
                     padded_nodes=sum(1 for n in nodes if not n.pods), exact=exact and not missing)


# --- one architecture as an integer problem ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Problem:
    """One architecture in integer units. Groups sorted by name; shapes Pareto-efficient."""

    groups: tuple[PodGroup, ...]
    shapes: tuple[NodeShape, ...]
    req: np.ndarray    # (G, 3) int64: micro-vCPU, milli-MiB, 1 slot
    count: np.ndarray  # (G,) int64
    cap: np.ndarray    # (T, 3) int64, scaled by the target utilisation
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
                     _to_units(g.memory_mib, MEMORY_UNITS_PER_MIB, round_up=True), 1] for g in groups],
                   dtype=np.int64)
    fits = (req[:, None, :] <= cap[None, :, :]).all(axis=2)
    for gi, group in enumerate(groups):
        if not fits[gi].any():
            raise PlacementError(_unfit_message(group, arch, shapes, u))
    return _Problem(groups=tuple(groups), shapes=tuple(own[i] for i in keep), req=req,
                    count=np.array([g.count for g in groups], dtype=np.int64), cap=cap[keep], price=price[keep],
                    fits=fits[:, keep])


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


# --- lower bounds --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Mix:
    """The group LP's answer: fractional share of each group per shape and nodes per shape."""

    split: np.ndarray  # (G, T) float, rows sum to 1
    nodes: np.ndarray  # (T,) float


def _covering_bound(prob: _Problem) -> float:
    """LP bound: fractional nodes whose summed capacity covers the summed requests [USD/h].

    The duals are scaled down until every shape satisfies ``duals . capacity <= price``; by
    weak duality ``duals . demand`` is then a lower bound on any placement, whatever the
    solver's tolerances did. Pareto-dominated shapes need no check: they offer less
    capacity at a higher price, so they satisfy the inequality whenever their dominator does.
    """
    demand = (prob.count @ prob.req).astype(float)
    rows = np.flatnonzero(demand > 0)
    coeff = prob.cap[:, rows].T.astype(float) / demand[rows, None]   # rows scaled to rhs 1
    res = linprog(prob.price, A_ub=-coeff, b_ub=-np.ones(len(rows)), bounds=(0, None), method="highs")
    duals = np.zeros(3)
    if res.status == 0:
        duals[rows] = np.maximum(-res.ineqlin.marginals, 0.0) / demand[rows]
    worst = float(((prob.cap @ duals) / prob.price).max())
    return float(duals @ demand) / max(worst, 1.0)


def _group_lp(prob: _Problem, cands: np.ndarray) -> tuple[_Mix, float] | None:
    """Group LP over ``cands``: each group's replicas split (fractionally) over shapes that fit them.

    minimise sum_t price_t x_t  s.t.  sum_g n_g req_g,d z_g,t <= cap_t,d x_t (each t, d) and
    sum_t z_g,t = 1 (each g), with z only where one replica fits shape t. Unlike the
    covering LP, a replica cannot be cut into a vCPU part for one node and a memory part
    for another, so the bound is tighter; over all (Pareto) shapes it is still a
    relaxation of every placement. Returns the solution and a certified bound (see
    :func:`_certified_group_bound`).
    """
    gi, ti = np.nonzero(prob.fits[:, cands])
    cap = prob.cap[cands].astype(float)
    load = (prob.count[gi, None] * prob.req[gi]) / np.where(cap[ti] > 0, cap[ti], 1.0)   # node units
    n_var, n_cand, n_group = len(gi), len(cands), len(prob.groups)
    rows = np.arange(3 * n_cand)
    a_ub = sparse.csr_matrix(
        (np.concatenate([load.ravel(), -np.ones(3 * n_cand)]),
         (np.concatenate([(ti[:, None] * 3 + np.arange(3)).ravel(), rows]),
          np.concatenate([np.repeat(np.arange(n_var), 3), n_var + rows // 3]))),
        shape=(3 * n_cand, n_var + n_cand))
    a_eq = sparse.csr_matrix((np.ones(n_var), (gi, np.arange(n_var))), shape=(n_group, n_var + n_cand))
    res = linprog(np.concatenate([np.zeros(n_var), prob.price[cands]]), A_ub=a_ub, b_ub=np.zeros(3 * n_cand),
                  A_eq=a_eq, b_eq=np.ones(n_group), bounds=(0, None), method="highs")
    if res.status != 0:
        return None
    split = np.zeros((n_group, n_cand))
    split[gi, ti] = res.x[:n_var]
    duals = np.maximum(-res.ineqlin.marginals, 0.0).reshape(n_cand, 3)
    bound = _certified_group_bound(prob, cands, duals, gi, ti, load)
    return _Mix(split=split, nodes=res.x[n_var:]), bound


def _certified_group_bound(prob: _Problem, cands: np.ndarray, duals: np.ndarray, gi: np.ndarray,
                           ti: np.ndarray, load: np.ndarray) -> float:
    """Weak-duality bound from the group LP's capacity duals u (T, 3).

    Scaling each shape's u so that sum_d u_t,d <= price_t and setting
    w_g = min over fitting t of sum_d u_t,d load_g,t,d gives a feasible dual, whose
    objective sum_g w_g bounds the LP (and so every placement) from below.
    """
    per_shape = duals.sum(axis=1)
    duals = duals / np.maximum(per_shape / prob.price[cands], 1.0)[:, None]
    value = (duals[ti] * load).sum(axis=1)
    best = np.full(len(prob.groups), np.inf)
    np.minimum.at(best, gi, value)
    return float(best.sum())


def _largest_replica_bound(prob: _Problem) -> float:
    """Some node must hold the largest replica: the cheapest shape that fits each group, maximised."""
    return max(float(prob.price[prob.fits[g]].min()) for g in range(len(prob.groups)))


# --- packing primitives ----------------------------------------------------------------------


def _fit(rem: np.ndarray, req: np.ndarray) -> np.ndarray:
    """Replicas of request ``req`` (3,) that fit in each row of ``rem`` (N, 3)."""
    per_dim = np.where(req > 0, rem // np.maximum(req, 1), np.where(rem >= 0, _UNLIMITED, 0))
    return np.maximum(per_dim.min(axis=1), 0)


def _fit_groups(prob: _Problem, t: int) -> np.ndarray:
    """Replicas of each group that fit an empty node of shape ``t`` (G,)."""
    cap = prob.cap[t]
    per_dim = np.where(prob.req > 0, cap // np.maximum(prob.req, 1), _UNLIMITED)
    return per_dim.min(axis=1)


def _first_fit(prob: _Problem, rem: np.ndarray, counts: np.ndarray, left: np.ndarray) -> None:
    """First-fit ``left`` replicas (largest groups first) into nodes; updates all three in place."""
    for g in prob.order:
        if left[g]:
            _first_fit_group(prob, rem, counts, left, int(g))


def _first_fit_group(prob: _Problem, rem: np.ndarray, counts: np.ndarray, left: np.ndarray, g: int) -> None:
    """First fit of one group's replicas into the rows of ``rem``.

    Replicas of a group are identical, so first fit is one cumulative sum: node j takes
    what fits after nodes 0..j-1 took theirs.
    """
    fit = _fit(rem, prob.req[g])
    take = np.minimum(fit, np.maximum(left[g] - (np.cumsum(fit) - fit), 0))
    if take.any():
        counts[:, g] += take
        rem -= take[:, None] * prob.req[g]
        left[g] -= take.sum()


def _ffd(prob: _Problem, t: int, counts: np.ndarray) -> _Packing | None:
    """First-Fit-Decreasing onto new nodes of shape ``t`` (None if a group does not fit it).

    Each group first goes into the open nodes (first fit); the rest opens new nodes,
    each holding as many replicas as fit an empty node, which is what first fit would do.
    """
    if not prob.fits[counts > 0, t].all():
        return None
    alone = np.maximum(_fit_groups(prob, t), 1)
    size = int(np.ceil(counts / alone).sum())
    rem = np.repeat(prob.cap[[t]], size, axis=0)
    placed = np.zeros((size, len(counts)), dtype=np.int64)
    opened = 0
    left = counts.copy()
    for g in prob.order:
        if left[g] == 0:
            continue
        if opened:
            _first_fit_group(prob, rem[:opened], placed[:opened], left, g)
        new = -(-int(left[g]) // int(alone[g]))
        if new:
            fill = np.full(new, alone[g])
            fill[-1] = left[g] - alone[g] * (new - 1)
            placed[opened:opened + new, g] = fill
            rem[opened:opened + new] -= fill[:, None] * prob.req[g]
            opened += new
    return _Packing(shape=np.full(opened, t), counts=placed[:opened])


def _cost(prob: _Problem, pk: _Packing, min_nodes: int = 0, limit: int = 1) -> float:
    """Price of the nodes, plus padding to ``min_nodes``: with the cheapest shape while the mix
    has room for another type (``limit``), else the cheapest used one. :func:`_finish` pads by
    the same rule with the caller's limit, so without one it may pad more cheaply than this
    estimate (a mix of ``HEURISTIC_TYPES_IN_MIX`` types on fewer nodes than the floor).

    Rounded to 1e-9 USD/h so that equal prices summed in a different order tie exactly and
    the final tie-break (fewer nodes: each node also carries a root volume) applies.
    """
    cost = float(prob.price[pk.shape].sum())
    if len(pk.shape) and len(pk.shape) < min_nodes:
        cost += (min_nodes - len(pk.shape)) * float(prob.price[_allowed(prob, pk.shape, limit)].min())
    return round(cost, 9)


def _concat(prob: _Problem, parts: Sequence[_Packing]) -> _Packing:
    parts = [p for p in parts if len(p.shape)]
    if not parts:
        return _Packing(shape=np.zeros(0, dtype=np.int64), counts=np.zeros((0, len(prob.groups)), dtype=np.int64))
    return _Packing(shape=np.concatenate([p.shape for p in parts]), counts=np.vstack([p.counts for p in parts]))


def _allowed(prob: _Problem, used: np.ndarray, limit: int) -> np.ndarray:
    """Shapes new nodes may use: any while the mix has room for another type, else the used ones."""
    kinds = np.unique(used)
    return np.arange(len(prob.price)) if len(kinds) < limit else kinds


def _pack_new(prob: _Problem, counts: np.ndarray, allowed: np.ndarray) -> _Packing:
    """Cheapest single-shape FFD of ``counts`` over ``allowed`` shapes (branch and bound).

    Shapes are tried in order of their volume bound ``ceil(max demand share) x price``;
    once that bound reaches the best cost found, no later shape can win.
    """
    live = counts > 0
    if not live.any():
        return _concat(prob, [])
    universal = allowed[prob.fits[live][:, allowed].all(axis=0)]
    if len(universal) == 0:
        return _pack_split(prob, counts, allowed)
    demand = counts @ prob.req
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(demand > 0, demand / prob.cap[universal], 0.0).max(axis=1)
    floor = np.ceil(share - 1e-12) * prob.price[universal]
    best: _Packing | None = None
    best_cost = math.inf
    for i in np.lexsort((universal, floor)):
        if floor[i] >= best_cost:
            break
        pk = _ffd(prob, int(universal[i]), counts)
        if pk is not None and _cost(prob, pk) < best_cost:
            best, best_cost = pk, _cost(prob, pk)
    assert best is not None
    return best


def _pack_split(prob: _Problem, counts: np.ndarray, allowed: np.ndarray) -> _Packing:
    """No allowed shape holds every group: give each group the shape cheapest per replica."""
    allowed = allowed if prob.fits[counts > 0][:, allowed].any(axis=1).all() else np.arange(len(prob.price))
    choice = np.full(len(counts), -1)
    for g in np.flatnonzero(counts):
        ok = allowed[prob.fits[g, allowed]]
        per_replica = prob.price[ok] / np.array([_fit_groups(prob, int(t))[g] for t in ok])
        choice[g] = ok[np.lexsort((ok, per_replica))[0]]
    parts = []
    for t in np.unique(choice[choice >= 0]):
        pk = _ffd(prob, int(t), np.where(choice == t, counts, 0))
        assert pk is not None
        parts.append(pk)
    return _concat(prob, parts)


# --- proportional deal -------------------------------------------------------------------------


@dataclass(slots=True)
class _Deal:
    """A sequential deal in progress: nodes filled so far, replicas left, carried fractions."""

    kinds: list[int]
    rows: list[np.ndarray]
    left: np.ndarray
    carry: np.ndarray


def _deal_node(prob: _Problem, deal: _Deal, t: int, most: int = 1) -> int:
    """Fill nodes of shape ``t`` with their share of what is left (see :func:`_part_options`).

    The filled node is repeated, up to ``most`` nodes in all, while the pool allows and at
    most for ``REPEAT_SHARE`` of the nodes the pool still needs: identical shares of a
    large pool are nearly identical nodes, so this saves time without drifting the pool.
    Returns the number of nodes filled.
    """
    if not deal.left.any():
        return 0
    demand = (deal.left @ prob.req).astype(float)
    dims = demand > 0
    share = float((prob.cap[t, dims] / demand[dims]).min())
    if share >= 1.0:
        take = deal.left.copy()
    else:
        target = deal.left * share + deal.carry
        take = np.floor(target).astype(np.int64)
        deal.carry = target - take
        rem = prob.cap[t] - take @ prob.req
        _evict(prob, take, rem)
        _top_up(prob, take, rem, deal.left - take, t)
    if not take.any():
        return 0
    present = take > 0
    repeat = min(most, max(1, math.floor(REPEAT_SHARE / share)), int((deal.left[present] // take[present]).min()))
    deal.kinds += [t] * repeat
    deal.rows += [take] * repeat
    deal.left = deal.left - repeat * take
    return repeat


def _top_up(prob: _Problem, take: np.ndarray, rem: np.ndarray, spare: np.ndarray, t: int) -> None:
    """Add replicas one at a time, each the one whose shape best matches the room left.

    "Best matches" is the largest dot product of the replica's size with the room left,
    both relative to the node's capacity (the DotProduct rule of Panigrahy et al.): it
    fills whichever dimension has the most room. A group that does not fit now never
    will, since room only shrinks, so the candidate list shrinks as it goes.
    """
    scale = np.maximum(prob.cap[t], 1).astype(float)
    cand = np.flatnonzero(spare > 0)
    while len(cand):
        req = prob.req[cand]
        fit = np.minimum(np.where(req > 0, rem // np.maximum(req, 1), _UNLIMITED).min(axis=1), spare[cand])
        cand, req = cand[fit > 0], req[fit > 0]
        if not len(cand):
            return
        g = int(cand[np.argmax((req / scale) @ (rem / scale))])
        take[g] += 1
        spare[g] -= 1
        rem -= prob.req[g]


def _evict(prob: _Problem, take: np.ndarray, rem: np.ndarray) -> None:
    """Remove replicas from an over-full node: the largest contributor to its worst dimension first."""
    scale = np.maximum(prob.cap.max(axis=0), 1).astype(float)
    while (rem < 0).any():
        d = int(np.argmin(rem / scale))
        g = int(np.argmax(np.where(take > 0, prob.req[:, d], -1)))
        k = min(int(take[g]), -(int(rem[d]) // int(prob.req[g, d])))
        take[g] -= k
        rem += k * prob.req[g]


def _layouts(prob: _Problem, counts: np.ndarray, limit: int, min_nodes: int) -> list[np.ndarray]:
    """Node plans worth dealing ``counts`` onto, best estimated cost first.

    For every shape that fits all the groups, with ``need`` the nodes a perfect deal would
    need and ``need+`` that grown by the expected granularity loss (see :func:`_need`):
    ceil(n) nodes, or floor(n) nodes plus one or two smaller nodes that hold the fractional
    rest (within ``limit`` types), for n in (need, need+). A plan's estimate is its price
    plus, when it holds less than need+, the price of the expected overflow; the best few
    plans are then dealt for real.
    """
    ok = np.flatnonzero(prob.fits[counts > 0].all(axis=0))
    demand = (counts @ prob.req).astype(float)
    options: dict[tuple[int, ...], float] = {}
    for t in ok:
        need, grown = _need(prob, counts, demand, int(t))
        for size in sorted({need, grown}):
            for plan, holds in _plans(prob, int(t), size, demand, limit, min_nodes):
                estimate = float(prob.price[list(plan)].sum()) + float(prob.price[t]) * max(0.0, grown - holds)
                options[plan] = min(estimate, options.get(plan, math.inf))
    ranked = sorted(options, key=lambda plan: (options[plan], plan[0], len(plan)))
    return [np.array(plan, dtype=np.int64) for plan in ranked[:LAYOUT_TRIALS]]


def _plans(prob: _Problem, t: int, size: float, demand: np.ndarray, limit: int,
           min_nodes: int) -> list[tuple[tuple[int, ...], float]]:
    """(plan, nodes of ``t`` it is worth) for ceil(size) nodes and floor(size) nodes plus tails."""
    whole = max(math.ceil(size - 1e-9), min_nodes, 1)
    plans = [((t,) * whole, float(whole))]
    full = math.floor(size + 1e-9)
    if limit > 1 and full >= 1 and size - full > 1e-9:
        for tail in _tails(prob, demand * (size - full) / size, limit - 1):
            plan = (t,) * full + tuple(int(x) for x in tail)
            if len(plan) >= min_nodes and len(set(plan)) <= limit:
                plans.append((plan, size))
    return plans


def _need(prob: _Problem, counts: np.ndarray, demand: np.ndarray, t: int) -> tuple[float, float]:
    """Nodes of shape ``t`` the demand needs: with a perfect fill, and allowing for granularity.

    A node filled with replicas of (capacity-relative) size s typically strands about s/2
    of its binding dimension, so big replicas on small nodes need proportionally more
    nodes; this is what makes the plans prefer larger nodes for large replicas.
    """
    dims = demand > 0
    share = demand[dims] / prob.cap[t, dims]
    d = np.flatnonzero(dims)[int(np.argmax(share))]
    size = prob.req[:, d] / prob.cap[t, d]
    mean_size = float((counts * size * size).sum() / max(float((counts * size).sum()), 1e-12))
    return float(share.max()), float(share.max()) * (1.0 + GRANULARITY_LOSS * mean_size)


def _tails(prob: _Problem, rest: np.ndarray, kinds: int) -> list[np.ndarray]:
    """Cheapest one node, and cheapest pair of nodes, whose capacity covers ``rest`` (3,)."""
    covers = (prob.cap >= np.ceil(rest)).all(axis=1)
    tails = []
    if covers.any():
        ok = np.flatnonzero(covers)
        tails.append(ok[np.lexsort((ok, prob.price[ok]))[:1]])
    if kinds < 2:
        return tails
    dims = rest > 0
    holds = (prob.cap[:, dims] / rest[dims]).min(axis=1)
    small = np.flatnonzero(holds < 1)
    second = (prob.cap[None, :, :] >= np.ceil((1 - holds[small])[:, None] * rest)[:, None, :]).all(axis=2)
    price = np.where(second, prob.price[None, :], np.inf)
    cheapest = price.argmin(axis=1)
    total = prob.price[small] + price[np.arange(len(small)), cheapest]
    if len(small) and np.isfinite(total.min()):
        best = int(np.argmin(total))
        tails.append(np.array([small[best], cheapest[best]]))
    return tails


def _part_options(prob: _Problem, counts: np.ndarray, limit: int, min_nodes: int = 0) -> list[_Option]:
    """Deal ``counts`` onto each of the node plans with the best estimates.

    The deal fills the planned nodes one at a time. Each node's share is the fraction of
    the remaining demand it can hold; every group gives that fraction of its remaining
    replicas (fractions carried to the next node), so each node's mix of CPU- and
    memory-heavy replicas matches the workload's. Overflow is evicted back to the pool
    and the room left is topped up with the replicas that best match it, so rounding
    noise on one node is corrected by the next and every node but the last ends (nearly)
    full. What a plan cannot hold is returned as leftovers (see :func:`_absorb`).
    """
    options = []
    for plan in _layouts(prob, counts, limit, min_nodes):
        head = int(np.argmax(plan != plan[0])) or len(plan)   # leading nodes of the main shape
        deal = _Deal(kinds=[], rows=[], left=counts.copy(), carry=(np.arange(len(counts)) * _PHASE_STEP) % 1.0)
        while len(deal.kinds) < head and _deal_node(prob, deal, int(plan[0]), head - len(deal.kinds)):
            pass
        for t in plan[head:]:
            _deal_node(prob, deal, int(t))
        planned = _Packing(shape=np.array(deal.kinds, dtype=np.int64),
                           counts=np.array(deal.rows, dtype=np.int64).reshape(-1, len(counts)))
        options.append(_Option(planned=planned, left=deal.left))
    return options


@dataclass(frozen=True, slots=True)
class _Option:
    """Nodes a plan filled, and the replicas it could not hold."""

    planned: _Packing
    left: np.ndarray


def _absorb(prob: _Problem, planned: _Packing, left: np.ndarray, limit: int) -> _Packing:
    """Leftover replicas into the planned nodes' spare room, the rest onto the cheapest new nodes."""
    counts = planned.counts.copy()
    left = left.copy()
    rem = prob.cap[planned.shape] - counts @ prob.req
    _first_fit(prob, rem, counts, left)
    extra = _pack_new(prob, left, _allowed(prob, planned.shape, limit))
    return _concat(prob, [_Packing(shape=planned.shape, counts=counts), extra])


def _place_part(prob: _Problem, counts: np.ndarray, limit: int, min_nodes: int = 0) -> _Packing:
    """The cheapest of the proportional deals of ``counts`` (see :func:`_part_options`)."""
    results = [_absorb(prob, o.planned, o.left, limit) for o in _part_options(prob, counts, limit, min_nodes)]
    if not results:   # no shape holds every group: one FFD per group family
        return _pack_new(prob, counts, np.arange(len(prob.price)))
    return min(results, key=lambda pk: (_cost(prob, pk, min_nodes, limit), len(pk.shape)))


# --- LP-guided mix ---------------------------------------------------------------------------


def _round_split(counts: np.ndarray, split: np.ndarray) -> np.ndarray:
    """Integer replicas per (group, shape) summing to ``counts``: largest remainders win."""
    exact = split * counts[:, None]
    whole = np.floor(exact + 1e-9).astype(np.int64)
    for g in np.flatnonzero(whole.sum(axis=1) < counts):
        short = counts[g] - whole[g].sum()
        order = np.lexsort((np.arange(split.shape[1]), -(exact[g] - whole[g])))
        whole[g, order[:short]] += 1
    return whole


def _lp_mix(prob: _Problem, mix: _Mix, kinds: int, limit: int, min_nodes: int = 0) -> _Packing | None:
    """Split groups as the group LP says over its ``kinds`` costliest types, then place each part.

    Each part may change size (the LP is indifferent between m.4xlarge and m.16xlarge
    when prices are linear, the integer packing is not) and take a smaller tail node
    while the mix stays within ``limit`` types. Using fewer LP types than ``limit`` leaves
    room for such tails, so :func:`_solve` tries every ``kinds`` up to the limit.
    """
    used = np.flatnonzero(_round_split(prob.count, mix.split).any(axis=0))
    if len(used) > kinds:
        keep = used[np.lexsort((used, -(mix.nodes[used] * prob.price[used])))[:kinds]]
        if not prob.fits[:, keep].any(axis=1).all():
            return None
        solved = _group_lp(prob, keep)
        if solved is None:
            return None
        split = np.zeros((len(prob.groups), len(prob.price)))
        split[:, keep] = solved[0].split
        nodes = np.zeros(len(prob.price))
        nodes[keep] = solved[0].nodes
        mix = _Mix(split=split, nodes=nodes)
    assigned = _round_split(prob.count, mix.split)
    used = np.flatnonzero(assigned.any(axis=0))
    spare = limit - len(used) + 1   # types each part may use if the others use one each
    menus = [_part_options(prob, assigned[:, t], spare) + (_part_options(prob, assigned[:, t], 1) if spare > 1 else [])
             for t in used]
    return _choose_options(prob, menus, limit, min_nodes) if all(menus) else None


def _choose_options(prob: _Problem, menus: list[list[_Option]], limit: int, min_nodes: int) -> _Packing | None:
    """One option per part, chosen coordinate-wise to minimise the pooled cost within ``limit`` types.

    Pooling matters: one part's leftovers often fit the spare room of another part's nodes
    (a compute part that overflows by one replica next to memory nodes with CPU to spare).
    Starts from each part's best single-type option, then changes one part at a time while
    that lowers the cost.
    """
    def pooled(choice: tuple[int, ...]) -> _Packing | None:
        picked = [menu[c] for menu, c in zip(menus, choice, strict=True)]
        pk = _absorb(prob, _concat(prob, [o.planned for o in picked]), sum(o.left for o in picked), limit)
        return pk if len(np.unique(pk.shape)) <= limit else None

    planned = [[_cost(prob, o.planned) for o in menu] for menu in menus]
    choice = tuple(_cheapest_single_type(prob, menu, limit) for menu in menus)
    best = pooled(choice)
    improved = True
    while improved:
        improved = False
        for i, menu in enumerate(menus):
            for c in range(len(menu)):
                trial = (*choice[:i], c, *choice[i + 1:])
                # The planned nodes alone are a floor on the pooled cost: skip hopeless trials.
                floor = sum(planned[k][x] for k, x in enumerate(trial))
                if c == choice[i] or (best is not None and floor >= _cost(prob, best, min_nodes, limit)):
                    continue
                pk = pooled(trial)
                if pk is not None and (best is None
                                       or _cost(prob, pk, min_nodes, limit) < _cost(prob, best, min_nodes, limit)):
                    best, choice, improved = pk, trial, True
    return best


def _cheapest_single_type(prob: _Problem, menu: list[_Option], limit: int) -> int:
    """Index of the option whose nodes (leftovers included) are cheapest, preferring one type."""
    packed = [_absorb(prob, o.planned, o.left, limit) for o in menu]
    return min(range(len(menu)), key=lambda i: (len(np.unique(packed[i].shape)) > 1, _cost(prob, packed[i]), i))


# --- tail repair and strategy choice -------------------------------------------------------------


def _repack_emptiest(prob: _Problem, pk: _Packing, k: int, limit: int) -> _Packing:
    """Empty the ``k`` least-filled nodes and re-place their replicas elsewhere or on new nodes."""
    used = pk.counts @ prob.req
    fill = (used / np.maximum(prob.cap[pk.shape], 1)).max(axis=1)
    order = np.lexsort((np.arange(len(fill)), fill))
    keep = np.sort(order[k:])
    counts = pk.counts[keep].copy()
    rem = prob.cap[pk.shape[keep]] - counts @ prob.req
    left = pk.counts[order[:k]].sum(axis=0)
    _first_fit(prob, rem, counts, left)
    extra = _pack_new(prob, left, _allowed(prob, pk.shape[keep], limit))
    return _concat(prob, [_Packing(shape=pk.shape[keep], counts=counts), extra])


def _eliminate(prob: _Problem, pk: _Packing) -> _Packing:
    """Empty the least-filled node into the others' spare room while that succeeds."""
    while len(pk.shape) > 1:
        used = pk.counts @ prob.req
        emptiest = int(np.lexsort((np.arange(len(used)), (used / np.maximum(prob.cap[pk.shape], 1)).max(axis=1)))[0])
        keep = np.delete(np.arange(len(pk.shape)), emptiest)
        counts = pk.counts[keep].copy()
        rem = prob.cap[pk.shape[keep]] - counts @ prob.req
        left = pk.counts[emptiest].copy()
        _first_fit(prob, rem, counts, left)
        if left.any():
            return pk
        pk = _Packing(shape=pk.shape[keep], counts=counts)
    return pk


def _downsize(prob: _Problem, pk: _Packing, limit: int) -> _Packing:
    """Move each node's contents to the cheapest shape that holds them, within the type limit."""
    allowed = _allowed(prob, pk.shape, limit)
    used = pk.counts @ prob.req
    holds = (prob.cap[allowed][None, :, :] >= used[:, None, :]).all(axis=2)   # (N, allowed)
    price = np.where(holds, prob.price[allowed][None, :], np.inf)
    best = allowed[price.argmin(axis=1)]   # ties: the first (cheapest-listed) shape
    shape = np.where(prob.price[best] < prob.price[pk.shape], best, pk.shape)
    if len(np.unique(shape)) > limit:
        return pk
    return _Packing(shape=shape, counts=pk.counts)


def _merge(prob: _Problem, pk: _Packing, limit: int, min_nodes: int) -> _Packing:
    """Merge pairs of the least-filled nodes onto one shape that costs no more than both.

    Equal cost still helps: one node fewer carries one root volume and one set of
    DaemonSets fewer. Only the ``MERGE_CANDIDATES`` least-filled nodes are paired; each
    round merges the best disjoint pairs.
    """
    for _ in range(MERGE_ROUNDS):
        used = pk.counts @ prob.req
        fill = (used / np.maximum(prob.cap[pk.shape], 1)).max(axis=1)
        few = np.lexsort((np.arange(len(fill)), fill))[:MERGE_CANDIDATES]
        i, j = (few[k] for k in np.triu_indices(len(few), k=1))
        holds = (prob.cap[None, :, :] >= (used[i] + used[j])[:, None, :]).all(axis=2)
        price = np.where(holds & _permitted(prob, pk, i, j, limit), prob.price[None, :], np.inf)
        gain = prob.price[pk.shape[i]] + prob.price[pk.shape[j]] - price.min(axis=1)
        merged, gone = [], set()
        for p in np.lexsort((np.arange(len(gain)), -gain)):
            if gain[p] < -1e-9 or len(pk.shape) - len(merged) <= max(min_nodes, 1):
                break
            if not {int(i[p]), int(j[p])} & gone:
                merged.append(p)
                gone |= {int(i[p]), int(j[p])}
        rest = _Packing(shape=np.delete(pk.shape, list(gone)), counts=np.delete(pk.counts, list(gone), axis=0))
        pairs = _Packing(shape=price[merged].argmin(axis=1), counts=pk.counts[i[merged]] + pk.counts[j[merged]])
        trial = _concat(prob, [rest, pairs])
        if not merged or len(np.unique(trial.shape)) > limit:
            return pk
        pk = trial
    return pk


def _permitted(prob: _Problem, pk: _Packing, i: np.ndarray, j: np.ndarray, limit: int) -> np.ndarray:
    """(pairs, shapes): shapes that node pair (i, j) may merge onto within the type limit."""
    kinds, counts = np.unique(pk.shape, return_counts=True)
    count = dict(zip(kinds.tolist(), counts.tolist(), strict=True))
    every = np.arange(len(prob.price))
    rows = []
    for a, b in zip(pk.shape[i].tolist(), pk.shape[j].tolist(), strict=True):
        removed = {k for k in {a, b} if count[k] == (2 if a == b else 1)}
        rest = [k for k in count if k not in removed]
        rows.append(np.isin(every, rest) if len(rest) >= limit else np.ones(len(every), dtype=bool))
    return np.array(rows, dtype=bool).reshape(len(i), len(every))


def _improve_tail(prob: _Problem, pk: _Packing, limit: int, min_nodes: int) -> _Packing:
    """Node elimination, re-packing of the 1-3 emptiest nodes, then downsizing; keep what is cheaper."""
    if len(pk.shape) > min_nodes:
        pk = _eliminate(prob, pk)
    for k in range(1, TAIL_REPACK_NODES + 1):
        if k >= len(pk.shape):
            break
        trial = _repack_emptiest(prob, pk, k, limit)
        if _cost(prob, trial, min_nodes, limit) < _cost(prob, pk, min_nodes, limit):
            pk = trial
    return _merge(prob, _downsize(prob, pk, limit), limit, min_nodes)


def _solve(prob: _Problem, mix: _Mix | None, limit: int, min_nodes: int) -> _Packing:
    """Cheapest of the candidate packings (see the module docstring), within the type limit."""
    every = np.arange(len(prob.price))
    trials = [_pack_new(prob, prob.count, every), _place_part(prob, prob.count, limit, min_nodes)]
    if mix is not None:
        mixes = (_lp_mix(prob, mix, kinds, limit, min_nodes) for kinds in range(2, limit + 1))
        trials += [m for m in mixes if m is not None]
    trials = [_improve_tail(prob, pk, limit, min_nodes) for pk in trials]
    within = [pk for pk in trials if len(np.unique(pk.shape)) <= limit] or trials
    names = [s.instance_type for s in prob.shapes]
    return min(within, key=lambda pk: (_cost(prob, pk, min_nodes, limit), len(pk.shape),
                                       sorted(names[t] for t in pk.shape)))


def _exact_repack(prob: _Problem, pk: _Packing, max_types_in_mix: int | None, min_nodes: int) -> _Packing:
    """Large-neighbourhood search: re-solve exactly what a few nodes hold; keep what is cheaper.

    Neighbourhoods, in order: the 2..``EXACT_REPACK_NODES`` least-filled nodes, then all the
    nodes of one instance type. Each is small enough for :mod:`advisor.capacity.placement.exact_packing` far
    more often than the whole workload, and its optimum can never cost more than the nodes
    it replaces. Without a type limit any shape may be used; with one, only shapes already
    in use, so the limit still holds. At most ``EXACT_REPACK_SOLVES`` solves and
    ``EXACT_REPACK_WORK`` state-pattern pairs in all, so the time is bounded (by counts, so
    the answer is the same on every machine).
    """
    solves, work = 0, EXACT_REPACK_WORK
    improved = True
    while improved and solves < EXACT_REPACK_SOLVES and work > 0:
        improved = False
        shapes = np.arange(len(prob.price)) if max_types_in_mix is None else np.unique(pk.shape)
        for subset in _neighbourhoods(prob, pk):
            if solves >= EXACT_REPACK_SOLVES or work <= 0:
                break
            solves += 1
            keep = np.setdiff1d(np.arange(len(pk.shape)), subset)
            solved = _exact(prob, pk.counts[subset].sum(axis=0), shapes, max(0, min_nodes - len(keep)), work)
            work -= solved.work if solved else 0
            if solved is not None and solved.usd_per_hour < math.fsum(prob.price[pk.shape[subset]]) - 1e-9:
                pk = _Packing(shape=np.concatenate([pk.shape[keep], solved.packing.shape]),
                              counts=np.vstack([pk.counts[keep], solved.packing.counts]))
                improved = True
                break
    return pk


def _neighbourhoods(prob: _Problem, pk: _Packing) -> list[np.ndarray]:
    """Node subsets for :func:`_exact_repack`: growing sets of the least-filled nodes, then each type's nodes."""
    fill = ((pk.counts @ prob.req) / np.maximum(prob.cap[pk.shape], 1)).max(axis=1)
    order = np.lexsort((np.arange(len(fill)), fill))
    subsets = [order[:k] for k in range(2, min(EXACT_REPACK_NODES, len(order)) + 1)]
    subsets += [np.flatnonzero(pk.shape == t) for t in np.unique(pk.shape) if np.count_nonzero(pk.shape == t) > 1]
    return subsets


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
