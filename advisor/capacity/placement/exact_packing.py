"""Exact minimum-cost packing of small workloads, by dynamic programming over replica counts.

Why this exists
---------------
The heuristic of :mod:`advisor.capacity.placement` lands within a few percent of its lower bound, but
a heuristic is not *monotone*: adding replicas can steer it to a cheaper mix than the one it
found for fewer, and a user who adds a replica would see the estimate fall. An optimal
packing cannot do that: removing the extra replicas from any packing of the larger workload
leaves a packing of the smaller one that costs no more. For workloads with few distinct pod
sizes and modest replica counts (a single service, a small cluster, every case a user checks
by hand) the optimum is cheap to compute exactly, so the advisor computes it.

Method
------
A *state* is a vector ``n`` of replicas still to place, one count per group, inside the box
``0 <= n <= N`` of the workload's counts. A *pattern* ``c`` is what one node holds; it fits
shape ``t`` when ``c . request <= capacity_t`` on every dimension (vCPU, memory, pod slots)
and costs the price of the cheapest shape it fits. Only maximal patterns (no replica of any
group can be added within the box) are needed, because a node may cover more than is left::

    f(0) = 0,    f(n) = min_c  price(c) + f(max(n - c, 0))

is the cheapest set of nodes that holds ``n``. Every pattern lowers the total replica count,
so states are solved level by level (by total count), each level in one vectorised step.
A floor of ``m`` nodes (one per Availability Zone) adds layers
``g_j(n) = min(min_c price(c) + g_{j-1}(max(n - c, 0)), pad + g_{j-1}(n))`` with ``g_0 = f``,
where an empty *pad* node is the cheapest shape.

Work grows with states x patterns, so the solver declines (returns None) beyond
``EXACT_MAX_STATES`` states or ``EXACT_MAX_WORK`` state-pattern pairs; the caller then uses
its heuristic. Both limits are counts, never a clock, so which method answers is the same on
every machine.

Reference: the recursion is the unbounded-knapsack form of the cutting-stock problem
(Gilmore, P. C. and Gomory, R. E. (1961), "A Linear Programming Approach to the
Cutting-Stock Problem", Operations Research 9(6)), with vector sizes and priced bin types.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

#: Most states (product of ``count + 1`` over distinct pod sizes) solved exactly: 20,000
#: replicas of one size, two sizes of 140 replicas each, or three of 26.
EXACT_MAX_STATES: int = 20_000
#: Most state-pattern pairs (times ``1 + min_nodes``) evaluated: about 0.3 s of numpy work
#: at the limit (measured on the bundled EC2 shapes), with at most 40 MB for the int32 index
#: table and twice that for the float temporaries of one layer.
EXACT_MAX_WORK: int = 10_000_000


@dataclass(frozen=True, slots=True)
class ExactPacking:
    """An optimal packing: node shapes (pads included) and replicas per node and group.

    Attributes
    ----------
    usd_per_hour : float
        Sum of the node prices [USD/h], the minimum over all packings with at least
        ``min_nodes`` nodes (the number of instance types used is not limited).
    shape : ndarray of int, shape (nodes,)
        Index into the caller's shapes of each node.
    counts : ndarray of int64, shape (nodes, groups)
        Replicas of each group on each node; all-zero rows are pad nodes.
    work : int
        State-pattern pairs evaluated (the measure ``EXACT_MAX_WORK`` limits).
    floor_usd : tuple of float
        The optimum with at least j nodes, for j = 0..``min_nodes`` (the last is ``usd_per_hour``
        up to rounding); lets a caller share a floor between independent node pools.
    """

    usd_per_hour: float
    shape: np.ndarray
    counts: np.ndarray
    work: int
    floor_usd: tuple[float, ...]


def solve_exact(req: np.ndarray, count: np.ndarray, cap: np.ndarray, price: np.ndarray,
                min_nodes: int = 0, max_work: int | None = None) -> ExactPacking | None:
    """Cheapest packing of ``count`` replicas per group onto priced shapes, or None when too large.

    Parameters
    ----------
    req : ndarray of int64, shape (groups, dims)
        Request of one replica of each group, in integer units (e.g. micro-vCPU, milli-MiB, 1 slot).
    count : ndarray of int64, shape (groups,)
        Replicas per group.
    cap : ndarray of int64, shape (shapes, dims)
        What replicas may use on one node of each shape, in the same units.
    price : ndarray of float, shape (shapes,)
        Node price [USD/h]; the cheapest shape is the one used for pad nodes.
    min_nodes : int, default 0
        Floor on the number of nodes; empty nodes may be added to reach it.
    max_work : int, optional
        A tighter work limit than ``EXACT_MAX_WORK`` (a caller's remaining budget).

    Returns
    -------
    ExactPacking or None
        None when the problem exceeds ``EXACT_MAX_STATES`` or ``EXACT_MAX_WORK``, or when a
        group fits none of the shapes.
    """
    if _state_count(count) is None:
        return None
    states, stride = _states(count)
    feasible = ((states @ req)[:, None, :] <= cap[None, :, :]).all(axis=2)         # (S, T)
    patterns = np.flatnonzero(_maximal(states, stride, count, feasible).any(axis=1))
    work = len(states) * len(patterns) * (1 + min_nodes)
    if work > (EXACT_MAX_WORK if max_work is None else min(max_work, EXACT_MAX_WORK)):
        return None
    pattern_price = np.where(feasible[patterns], price[None, :], np.inf)
    pattern_shape = pattern_price.argmin(axis=1)
    pattern_usd = pattern_price.min(axis=1)
    take = states[patterns]                                                          # (P, G)
    rest = _rest_index(states, take, stride)                                         # (S, P)
    pad = int(np.argmin(price))
    layers = [_cover(states, rest, pattern_usd)]
    for _ in range(min_nodes):
        layers.append(_floor_layer(layers[-1][0], rest, pattern_usd, float(price[pad])))
    if not np.isfinite(layers[-1][0][-1]):
        return None   # some group fits none of the shapes
    shapes, rows = _walk(states, take, rest, pattern_shape, pad, layers)
    shape = np.array(shapes, dtype=np.int64)
    return ExactPacking(usd_per_hour=math.fsum(price[shape]), shape=shape,
                        counts=np.array(rows, dtype=np.int64).reshape(len(shapes), len(count)), work=work,
                        floor_usd=tuple(float(value[-1]) for value, _ in layers))


def _state_count(count: np.ndarray) -> int | None:
    total = 1
    for n in count:
        total *= int(n) + 1
        if total > EXACT_MAX_STATES:
            return None
    return total


def _states(count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every state of the box in row-major order, and the strides that index them."""
    radix = tuple(int(n) + 1 for n in count)
    stride = np.array([math.prod(radix[g + 1:]) for g in range(len(radix))], dtype=np.int64)
    return np.indices(radix).reshape(len(radix), -1).T.astype(np.int64), stride


def _maximal(states: np.ndarray, stride: np.ndarray, count: np.ndarray, feasible: np.ndarray) -> np.ndarray:
    """(S, T): the state, read as a pattern, fits the shape and no further replica fits within the box."""
    maximal = feasible.copy()
    index = np.arange(len(states))
    for g in range(len(count)):
        room = states[:, g] < count[g]
        grown = feasible[np.where(room, index + stride[g], index)] & room[:, None]
        maximal &= ~grown
    maximal[0] = False   # the empty pattern places nothing
    return maximal


def _rest_index(states: np.ndarray, take: np.ndarray, stride: np.ndarray) -> np.ndarray:
    """(S, P): index of ``max(n - c, 0) = n - min(n, c)`` for every state n and pattern c.

    Built one group at a time, so no (S, P, G) temporary is needed; int32 halves the memory
    traffic of the gathers that read it (``EXACT_MAX_STATES`` is far below 2**31).
    """
    rest = np.repeat((states @ stride).astype(np.int32)[:, None], len(take), axis=1)
    for g in range(states.shape[1]):
        rest -= (np.minimum(states[:, g, None], take[None, :, g]) * stride[g]).astype(np.int32)
    return rest


def _cover(states: np.ndarray, rest: np.ndarray, pattern_usd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f and its arg-min pattern per state, solved by increasing total replica count.

    A pattern that places nothing of a state leads back to the state itself, whose value is
    still infinite while its level is solved, so it is never chosen.
    """
    value = np.full(len(states), np.inf)
    value[0] = 0.0
    choice = np.full(len(states), -1, dtype=np.int64)
    level = states.sum(axis=1)
    order = np.argsort(level, kind="stable")
    ends = np.cumsum(np.bincount(level))
    for start, end in itertools.pairwise(ends):
        idx = order[start:end]
        total = value[rest[idx]] + pattern_usd[None, :]
        best = total.argmin(axis=1)
        value[idx] = total[np.arange(len(idx)), best]
        choice[idx] = best
    return value, choice


def _floor_layer(previous: np.ndarray, rest: np.ndarray, pattern_usd: np.ndarray,
                 pad_usd: float) -> tuple[np.ndarray, np.ndarray]:
    """One more required node: a pattern or an empty pad node, then the previous layer (pad = -1)."""
    total = previous[rest] + pattern_usd[None, :]
    best = total.argmin(axis=1)
    value = total[np.arange(len(rest)), best]
    padded = previous + pad_usd
    use_pad = padded < value
    return np.where(use_pad, padded, value), np.where(use_pad, -1, best)


def _walk(states: np.ndarray, take: np.ndarray, rest: np.ndarray, pattern_shape: np.ndarray, pad: int,
          layers: list[tuple[np.ndarray, np.ndarray]]) -> tuple[list[int], list[np.ndarray]]:
    """Follow the arg-min choices from the full workload back to nothing, one node per step."""
    shapes: list[int] = []
    rows: list[np.ndarray] = []
    state = len(states) - 1
    layer = len(layers) - 1
    while state or layer:
        p = int(layers[layer][1][state])
        if p < 0:
            shapes.append(pad)
            rows.append(np.zeros(states.shape[1], dtype=np.int64))
        else:
            shapes.append(int(pattern_shape[p]))
            rows.append(np.minimum(take[p], states[state]))
            state = int(rest[state, p])
        layer = max(layer - 1, 0)
    return shapes, rows
