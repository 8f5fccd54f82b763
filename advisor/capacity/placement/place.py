"""The entry point: :func:`place`, per architecture, exact when small, heuristic otherwise.

Architectures never share nodes, so each is placed on its own (and remembered on its
own in analyses); the one-node-per-AZ floor is split between them at least cost. The
cheapest candidate packing wins; ties go to fewer nodes, then to instance-type names.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from functools import partial

import numpy as np

from advisor.capacity.placement.bounds import _covering_bound, _group_lp, _largest_replica_bound, _Mix
from advisor.capacity.placement.deal import _place_part
from advisor.capacity.placement.dual import _dual_greedy
from advisor.capacity.placement.first_fit import _cost, _pack_new
from advisor.capacity.placement.mix import _lp_mix, _restricted
from advisor.capacity.placement.model import NodeShape, PlacedNode, Placement, PodGroup, _check_count
from advisor.capacity.placement.problem import _Packing, _placed_nodes, _Problem, _problem
from advisor.capacity.placement.repair import _improve_tail
from advisor.capacity.placement.resolve import _exact, _exact_repack
from advisor.capacity.placement.rounding import _lp_round
from advisor.errors import InvalidWorkload
from advisor.memo import memoized

# Instance types the heuristic mixes when no limit is set: compute-, general- and
# memory-optimised nodes can each take the groups they suit, which is all an LP over three
# resources ever needs (a basic solution has at most three shapes in use).
HEURISTIC_TYPES_IN_MIX: int = 3

#: The LP-guided mixes are dealt only when the other candidates end more than this share
#: above the group LP (see ``_solve``); within it, they rarely find a cheaper packing.
MIXES_WORTH_GAP: float = 0.01

#: Below this many nodes (as the group LP buys them) the exact re-solves start from every
#: candidate, above it from the cheapest only (see ``_solve``): few nodes re-solve quickly
#: and it is there that the start matters most.
EVERY_START_NODES: float = 16.0


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
    if not live:   # nothing to place (an off-peak scaled to zero): no nodes, which is optimal
        return Placement(nodes=(), usd_per_hour=0.0, lower_bound_usd_per_hour=0.0,
                         target_utilization=target_utilization, exact=True)
    problems = {a: _problem(a, [g for g in live if g.architecture == a], shapes, target_utilization)
                for a in sorted({g.architecture for g in live})}
    # What an architecture's packing depends on: its (Pareto) shapes' names (ties go by name), capacities
    # and prices, and the distinct sizes with their counts. Values of a few KiB: a worker hands a packing
    # back with its key, and the tuple of every NodeShape offered was ~50 KiB to unpickle.
    keys = {a: (a, tuple(s.instance_type for s in prob.shapes), prob.cap.tobytes(), prob.price.tobytes(),
                prob.resources, prob.req.tobytes(), prob.req.shape, tuple(prob.count.tolist()))
            for a, (prob, _) in problems.items()}
    floors = _floor_split({a: (prob, keys[a]) for a, (prob, _) in problems.items()}, min_nodes)
    nodes: list[PlacedNode] = []
    bound = 0.0
    exact = True
    for arch, (prob, sizes) in problems.items():
        spread = floors[arch]
        # Architectures never share nodes, and only the distinct sizes and their counts matter
        # (not the names), so each architecture's packing is remembered on its own (advisor.memo,
        # active in analyses and the app): a variant that changes only x86 groups reuses arm64's.
        # The key is values only (portable): a worker process can hand the packing to its parent.
        arch_bound, packing, arch_exact = memoized(("place_sizes", keys[arch], max_types_in_mix, spread),
                                                   partial(_place_sizes, prob, max_types_in_mix, spread),
                                                   portable=True)
        bound += arch_bound
        nodes += _placed_nodes(prob, sizes, packing)
        exact &= arch_exact
    return _finish(nodes, bound, live, shapes, min_nodes, target_utilization, max_types_in_mix or len(shapes),
                   exact=exact)


def _floor_split(problems: dict[str, tuple[_Problem, Hashable]], min_nodes: int) -> dict[str, int]:
    """How many of the ``min_nodes`` each architecture's nodes provide, at least total cost.

    One architecture takes the whole floor. For several, each one's exact optimum with at
    least j nodes (j = 0..min_nodes) comes from one solve, and the split that minimises
    their sum is then exact (pad nodes may be of any architecture). When an architecture is
    too large to solve exactly, no architecture gets a floor and :func:`_finish` pads.
    """
    if len(problems) == 1 or not min_nodes:
        return dict.fromkeys(problems, min_nodes if len(problems) == 1 else 0)
    best: dict[int, tuple[float, dict[str, int]]] = {0: (0.0, {})}
    for arch, (prob, key) in problems.items():
        floor_usd = memoized(("floor_usd", key, min_nodes), partial(_floor_usd, prob, min_nodes), portable=True)
        if floor_usd is None:
            return dict.fromkeys(problems, 0)
        reach: dict[int, tuple[float, dict[str, int]]] = {}
        for provided, (usd, split) in best.items():
            for j, extra in enumerate(floor_usd):
                key_j, total = min(provided + j, min_nodes), usd + extra
                if key_j not in reach or total < reach[key_j][0] - 1e-12:
                    reach[key_j] = (total, {**split, arch: j})
        best = reach
    return best[min_nodes][1]


def _floor_usd(prob: _Problem, min_nodes: int) -> tuple[float, ...] | None:
    """An architecture's optimum with at least 0..``min_nodes`` nodes, or None when too large to solve exactly."""
    solved = _exact(prob, prob.count, np.arange(len(prob.price)), min_nodes)
    return solved.floor_usd if solved else None


def _place_sizes(prob: _Problem, max_types_in_mix: int | None, spread: int) -> tuple[float, _Packing, bool]:
    """One architecture's lower bound [USD/h], packing (node x size), and whether it is optimal.

    Exact (:func:`advisor.capacity.placement.exact_packing.solve_exact`) when the problem is small enough and
    its optimum keeps to the type limit, else the heuristic. The exact optimum ignores the
    type limit, so it is a lower bound even when the heuristic answers instead.
    """
    every = np.arange(len(prob.price))
    exact = _exact(prob, prob.count, every, spread)
    if exact is not None and len(np.unique(exact.packing.shape)) <= (max_types_in_mix or len(prob.price)):
        return exact.usd_per_hour, exact.packing, True
    solved = _group_lp(prob, every)
    # The group LP is the tighter relaxation (its nodes also cover the summed requests), so
    # the covering LP is only needed when the group LP has no answer.
    bound = max(_largest_replica_bound(prob), solved[1] if solved else _covering_bound(prob),
                exact.usd_per_hour if exact else 0.0)
    limit = max_types_in_mix or HEURISTIC_TYPES_IN_MIX
    packing = _solve(prob, solved[0] if solved else None, limit, spread, max_types_in_mix)
    if exact is None:   # the heuristic's cost bounds which patterns an optimum can use: try again
        exact = _exact(prob, prob.count, every, spread, upper_usd=_cost(prob, packing, spread, limit))
        if exact is not None and len(np.unique(exact.packing.shape)) <= (max_types_in_mix or len(prob.price)):
            return exact.usd_per_hour, exact.packing, True
        bound = max(bound, exact.usd_per_hour if exact else 0.0)
    return bound, packing, False


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
    nodes = nodes + [PlacedNode(shape=pad, pods=(), used_vcpu=0.0, used_memory_mib=0.0, used_pods=0,
                                  used_slots=0)] * missing
    bound = max(bound, min_nodes * min(s.usd_per_hour for s in usable))
    nodes.sort(key=lambda n: (n.shape.architecture, n.shape.instance_type, -n.used_pods, n.pods))
    return Placement(nodes=tuple(nodes), usd_per_hour=math.fsum(n.shape.usd_per_hour for n in nodes),
                     lower_bound_usd_per_hour=bound, target_utilization=target_utilization,
                     padded_nodes=sum(1 for n in nodes if not n.pods), exact=exact and not missing)


def _solve(prob: _Problem, mix: _Mix | None, limit: int, min_nodes: int, max_types_in_mix: int | None) -> _Packing:
    """Cheapest of the candidate packings (see the module docstring) after exact re-solves.

    The LP-guided mixes (each deals several parts over several plans, the slowest
    candidates) are dealt only when the others end more than ``MIXES_WORTH_GAP`` above the
    group LP. From ``EVERY_START_NODES`` nodes on, the exact re-solves start from the
    cheapest candidate only; below, from each. A type limit set by the caller is kept;
    without one, candidates of any mix are compared.
    """
    every = np.arange(len(prob.price))
    repaired: dict[tuple[tuple[int, ...], bytes], _Packing] = {}

    def repair(pk: _Packing) -> _Packing:
        # Each distinct candidate once: about one in five is one already made (a mix that deals what
        # another candidate is), and the repairs are a pure function of it.
        key = _by_value(pk)
        if key not in repaired:
            repaired[key] = _improve_tail(prob, pk, limit, min_nodes)
        return repaired[key]

    trials = [_pack_new(prob, prob.count, every), _place_part(prob, prob.count, limit, min_nodes)]
    if mix is not None:
        # The LP over its 2..limit costliest types; one restriction that changes nothing is
        # the same LP as the last one, and is dealt once.
        by_kinds = {kinds: _restricted(prob, mix, kinds) for kinds in range(min(2, limit), limit + 1)}
        if by_kinds[limit] is not None:
            trials.append(_lp_round(prob, by_kinds[limit], limit, min_nodes))
        trials += [c for c in (_dual_greedy(prob, mix, every),) if c is not None]
    trials = _within(prob, [repair(pk) for pk in trials], limit, max_types_in_mix)
    names = [s.instance_type for s in prob.shapes]

    def rank(pk: _Packing) -> tuple[float, int, list[str]]:
        return _cost(prob, pk, min_nodes, limit), len(pk.shape), sorted(names[t] for t in pk.shape)

    if mix is not None and min(rank(pk)[0] for pk in trials) > float(mix.nodes @ prob.price) * (1 + MIXES_WORTH_GAP):
        distinct: list[_Mix] = []
        for kinds, found in by_kinds.items():
            if kinds > 1 and found is not None and not any(found is r for r in distinct):
                distinct.append(found)
        mixes = [m for m in (_lp_mix(prob, r, limit, min_nodes) for r in distinct) if m is not None]
        trials = _within(prob, trials + [repair(pk) for pk in mixes], limit, max_types_in_mix)
    # Exact re-solves of a few nodes at a time (large-neighbourhood search) from every distinct
    # candidate: which start leads to the cheapest end differs from workload to workload.
    starts = list({_by_value(pk): pk for pk in sorted(trials, key=rank)}.values())
    few = mix is not None and float(mix.nodes.sum()) < EVERY_START_NODES
    seen: dict = {}
    return min((_exact_repack(prob, pk, max_types_in_mix, min_nodes, seen) for pk in starts[:None if few else 1]),
               key=rank)


def _by_value(pk: _Packing) -> tuple[tuple[int, ...], bytes]:
    """A packing as a key: its node shapes and replica counts (two candidates that are the same packing meet)."""
    return tuple(pk.shape.tolist()), pk.counts.tobytes()


def _within(prob: _Problem, trials: list[_Packing], limit: int, max_types_in_mix: int | None) -> list[_Packing]:
    """The candidates that keep a type limit the caller set (all of them when none keeps it, or none was set)."""
    if max_types_in_mix is None:
        return trials
    return [pk for pk in trials if len(np.unique(pk.shape)) <= limit] or trials
