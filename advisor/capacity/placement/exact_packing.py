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
where an empty *pad* node is the cheapest shape; they are needed only when the packing
without a floor has fewer than ``m`` nodes (else it is optimal with the floor too).

Work grows with states x patterns, so the solver declines (returns None) beyond
``EXACT_MAX_STATES`` states or ``EXACT_MAX_WORK`` state-pattern pairs; the caller then uses
its heuristic. Both limits are counts, never a clock, so which method answers is the same on
every machine.

Given the cost of a known packing (the heuristic's), larger problems are tried too: the
pattern LP's dual prices show which patterns can be part of a cheaper packing at all
(reduced-cost fixing, :mod:`.fixing`), and the same recursion over those patterns alone
is exact. Mid-sized workloads (tens of replicas of a handful of sizes) are then solved
exactly after all, closing the few percent a heuristic leaves there.

Reference: the recursion is the unbounded-knapsack form of the cutting-stock problem
(Gilmore, P. C. and Gomory, R. E. (1961), "A Linear Programming Approach to the
Cutting-Stock Problem", Operations Research 9(6)), with vector sizes and priced bin types.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from advisor.capacity.placement.fixing import fixings
from advisor.capacity.placement.patterns import enumerated, patterns_of_one_shape

#: Most states (product of ``count + 1`` over distinct pod sizes) solved exactly: 20,000
#: replicas of one size, two sizes of 140 replicas each, or three of 26.
EXACT_MAX_STATES: int = 20_000
#: Most state-pattern pairs evaluated (the table's, and the floor layers' rows): about 0.3 s of numpy work
#: at the limit (measured on the bundled EC2 shapes), with 2 bytes a pair for the index table
#: (20 MB at this limit) and 8 for the float temporaries of a floor layer (the levels of the
#: table itself are solved in cache-sized slices, see ``LEVEL_SLICE_PAIRS``).
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
        State-pattern pairs evaluated, the measure ``EXACT_MAX_WORK`` limits and callers budget
        by: states x patterns, plus the rows of the floor layers (computed only when the optimum
        without a floor has too few nodes, and then only where they are read, see
        :func:`_floor_states`) x patterns. A count, not a clock: which method answers is the
        same on every machine.
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
                min_nodes: int = 0, max_work: int | None = None, upper_usd: float | None = None
                ) -> ExactPacking | None:
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
    upper_usd : float, optional
        The cost of a known packing with at least ``min_nodes`` nodes (a heuristic's). With
        it, a problem of more than ``FIXING_FROM_PAIRS`` pairs is solved over only the patterns
        that can be part of a cheaper packing (see :func:`.fixing.fixings`): the same packing,
        from a smaller recursion, and within the limit more often.

    Returns
    -------
    ExactPacking or None
        None when the problem exceeds the state or work limits, or when a group fits none
        of the shapes.
    """
    if not count.any():   # nothing to place (a neighbourhood of empty pad nodes): pads only
        pad = int(np.argmin(price))
        return ExactPacking(usd_per_hour=math.fsum([float(price[pad])] * min_nodes),
                            shape=np.full(min_nodes, pad, dtype=np.int64),
                            counts=np.zeros((min_nodes, len(count)), dtype=np.int64), work=0,
                            floor_usd=tuple(math.fsum([float(price[pad])] * j) for j in range(min_nodes + 1)))
    scale = 1 if upper_usd is None else FIXED_SCALE
    limit = EXACT_MAX_WORK * scale if max_work is None else min(max_work, EXACT_MAX_WORK * scale)
    if _state_count(count, EXACT_MAX_STATES * scale) is None:
        return None
    states, stride = _states(count)
    reach = limit * (FIXING_REACH if upper_usd is not None else 1)
    load = states @ req   # what each state needs on each resource, as one node's contents
    # Declined before the patterns of every shape are enumerated; the count is only needed where even
    # a pattern at every state but the empty one could exceed the reach (the large-neighbourhood
    # search's re-solves, thousands per analysis, are far below it).
    if (len(states) * (len(states) - 1) > reach
            and len(states) * patterns_of_one_shape(states, stride, count, load, cap) > reach):
        return None
    patterns, pattern_shape, pattern_usd = enumerated(states, stride, count, req, load, cap, price)
    if not len(patterns):   # no replica of any group fits any of the shapes
        return None
    candidates: Iterable[np.ndarray] = [np.ones(len(patterns), dtype=bool)]
    if upper_usd is not None and len(states) * len(patterns) * (1 + min_nodes) > FIXING_FROM_PAIRS:
        candidates = fixings(count, states[patterns], pattern_usd, upper_usd)
    for keep in candidates:   # lazily: a tighter fixing only when the last one leaves too many patterns
        solved = _solve(states, stride, patterns[keep], pattern_shape[keep], pattern_usd[keep], price, min_nodes,
                        limit)
        if solved is not None:
            return solved
    return None


#: With a heuristic's cost (reduced-cost fixing, see :mod:`.fixing`), the state and work
#: limits are this many times larger: the patterns that remain are few, and the answer is then
#: proven optimal where a heuristic would have stayed a few percent above it.
FIXED_SCALE: int = 2

#: Given a known packing's cost, patterns are fixed first (see :mod:`.fixing`) from this many
#: state-pattern pairs (floor layers counted whole): the optimum over the patterns kept is the
#: same packing, and its recursion is smaller by more than the fixing's LPs cost (2-4 ms).
FIXING_FROM_PAIRS: int = 2_000_000

#: Reduced-cost fixing is tried when all maximal patterns are at most this many times what the
#: work limit allows; beyond that it rarely removes enough of them to be worth its LP.
FIXING_REACH: int = 5


def _solve(states: np.ndarray, stride: np.ndarray, patterns: np.ndarray, pattern_shape: np.ndarray,
           pattern_usd: np.ndarray, price: np.ndarray, min_nodes: int, limit: int) -> ExactPacking | None:
    """The dynamic programme over ``patterns``, within ``limit`` state-pattern pairs.

    The optimum without a floor first: when it has at least ``min_nodes`` nodes, it is optimal
    with the floor too. Else the floor layers, when their rows fit the limit with the table
    (a floor above the optimum's nodes, on 9,450 states x 690 patterns, was declined when
    counted as three whole tables; its rows fit, and the answer was 3.8 % cheaper).
    """
    if len(states) * len(patterns) > limit:
        return None
    take = states[patterns]                                                          # (P, G)
    rest = _rest_index(states[-1], take, stride)                                     # (S, P)
    pad = int(np.argmin(price))
    layers = [_cover(states, rest, pattern_usd)]
    if not np.isfinite(layers[0][0][-1]):
        return None   # some group fits none of the shapes
    shapes, rows = _walk(states, take, rest, pattern_shape, pad, layers)
    floor_work = 0
    if len(shapes) < min_nodes:   # the optimum without a floor has too few nodes: the floor layers decide
        needed = _floor_states(rest, min_nodes)
        floor_work = len(patterns) * sum(len(states) if at is None else len(at) for at in needed)
        if len(states) * len(patterns) + floor_work > limit:
            return None
        for at in needed:
            layers.append(_floor_layer(layers[-1][0], rest, at, pattern_usd, float(price[pad])))
        shapes, rows = _walk(states, take, rest, pattern_shape, pad, layers)
    shape = np.array(shapes, dtype=np.int64)
    floor_usd = [float(value[-1]) for value, _ in layers] + [float(layers[-1][0][-1])] * (min_nodes + 1 - len(layers))
    return ExactPacking(usd_per_hour=math.fsum(price[shape]), shape=shape,
                        counts=np.array(rows, dtype=np.int64).reshape(len(shapes), states.shape[1]),
                        work=len(states) * len(patterns) + floor_work,
                        floor_usd=tuple(floor_usd))


def _state_count(count: np.ndarray, most: int) -> int | None:
    total = 1
    for n in count:
        total *= int(n) + 1
        if total > most:
            return None
    return total


def _states(count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every state of the box in row-major order, and the strides that index them."""
    radix = tuple(int(n) + 1 for n in count)
    stride = np.array([math.prod(radix[g + 1:]) for g in range(len(radix))], dtype=np.int64)
    return np.indices(radix).reshape(len(radix), -1).T.astype(np.int64), stride


def _rest_index(count: np.ndarray, take: np.ndarray, stride: np.ndarray) -> np.ndarray:
    """(S, P): index of ``max(n - c, 0)`` for every state n (row-major in the box) and pattern c.

    The index is ``sum_g max(n_g - c_g, 0) * stride_g``, a sum of one small term per group,
    so the table is an outer sum over the box (patterns last) built by broadcasting: about
    one addition per entry, not one pass per group. The groups are added fewest counts
    first, so each partial sum before the last is as small as it can be (the same table:
    each group keeps its axis); with the box (5, 13, 9, 4, 3, 3) and 537 patterns, 8 ms
    against 13-19 ms in row order. The indices are stored in the narrowest unsigned type
    that holds them (16 bits up to 65,536 states, so at every limit here): the table is
    written once and read row by row at each level, at memory speed, and half of int32's
    bytes made the 19 largest solves of a 1,000-draw Monte Carlo 0.93 -> 0.80 s.
    """
    radix = [int(n) + 1 for n in count]
    index_type = np.min_scalar_type(math.prod(radix) - 1)
    rest = np.zeros((1,) * len(radix) + (len(take),), dtype=index_type)
    for g in sorted(range(len(radix)), key=lambda g: radix[g]):
        size = radix[g]
        term = np.maximum(np.arange(size)[:, None] - take[None, :, g], 0) * stride[g]           # (size, P)
        rest = rest + term.astype(index_type).reshape((1,) * g + (size,) + (1,) * (len(radix) - g - 1) + (len(take),))
    return rest.reshape(-1, len(take))


#: State-pattern pairs solved at once within a level of :func:`_cover` or a floor layer: 2 MB of
#: float temporaries, which stay in cache (a level of 2,500 states x 600 patterns took 2.3 ms in
#: slices of 512 states, 3.8 ms whole; a solve of 9,450 states x 690 patterns with three floor
#: layers 121 -> 33 ms).
LEVEL_SLICE_PAIRS: int = 1 << 18


def _cover(states: np.ndarray, rest: np.ndarray, pattern_usd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """f and its arg-min pattern per state, solved by increasing total replica count.

    A pattern that places nothing of a state leads back to the state itself, whose value is
    still infinite while its level is solved, so it is never chosen. A level's states depend
    only on lower levels, so a wide level is solved in slices (see :class:`_Slices`).
    """
    value = np.full(len(states), np.inf)
    value[0] = 0.0
    choice = np.full(len(states), -1, dtype=np.int64)
    level = states.sum(axis=1)
    order = np.argsort(level, kind="stable")
    ends = np.cumsum(np.bincount(level)).tolist()
    rows = max(1, LEVEL_SLICE_PAIRS // rest.shape[1])
    cuts = [cut for low, high in itertools.pairwise(ends) for cut in range(low, high, rows)] + ends[-1:]
    slices = _Slices(rest, int(np.diff(cuts).max(initial=0)))
    for start, end in itertools.pairwise(cuts):
        idx = order[start:end]
        value[idx], choice[idx] = slices.best(value, idx, pattern_usd)
    return value, choice


class _Slices:
    """min over patterns of ``pattern_usd + value[rest[n]]`` and its arg-min, a slice of states at a time.

    A slice has at most ``LEVEL_SLICE_PAIRS`` state-pattern pairs, so its temporaries stay in the
    processor's cache, and its tables are written into buffers sized for the widest slice: no
    fresh temporaries (large ones are mapped and page-faulted anew on every allocation). The
    indices are valid by construction, so "clip" only skips take's buffered bounds check.
    """

    def __init__(self, rest: np.ndarray, widest: int) -> None:
        self.rest = rest
        self.rest_buffer = np.empty((widest, rest.shape[1]), dtype=rest.dtype)
        self.usd_buffer = np.empty((widest, rest.shape[1]))
        self.row = np.arange(widest)

    def best(self, value: np.ndarray, idx: np.ndarray, pattern_usd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        width = len(idx)
        total = value.take(self.rest.take(idx, axis=0, out=self.rest_buffer[:width], mode="clip"),
                           out=self.usd_buffer[:width], mode="clip")
        total += pattern_usd
        best = total.argmin(axis=1)
        return total[self.row[:width], best], best   # the value at the arg-min: a gather, not another pass


def _floor_states(rest: np.ndarray, min_nodes: int) -> list[np.ndarray | None]:
    """The states each floor layer j = 1..``min_nodes`` is needed at (None: all of them).

    Layer j is read at the whole workload (its optimum with at least j nodes) and, through
    layer j + 1, at every state one node away from where that layer is needed: the last
    layer at the whole workload alone, the one before at it and its ``rest`` row, and so on.
    Those few rows give the same values as the whole table (each row is computed on its
    own), so a floor of three nodes costs about one full layer instead of three. Once the
    rows are half the states or more, the whole table is computed (gathering most rows
    costs about what the whole does).
    """
    needed: list[np.ndarray | None] = []
    rows: np.ndarray | None = np.array([len(rest) - 1])
    for _ in range(min_nodes):
        needed.append(rows)
        if rows is not None:
            mark = np.zeros(len(rest), dtype=bool)
            mark[rows] = True
            mark[rest[rows].ravel()] = True
            rows = np.flatnonzero(mark)
            rows = None if 2 * len(rows) >= len(rest) else rows
    return needed[::-1]


#: The choice at a state a floor layer did not compute (-1 is a pad node).
UNREAD: int = -2


def _floor_layer(previous: np.ndarray, rest: np.ndarray, rows: np.ndarray | None, pattern_usd: np.ndarray,
                 pad_usd: float) -> tuple[np.ndarray, np.ndarray]:
    """One more required node: a pattern or an empty pad node, then the previous layer (pad = -1).

    Computed at ``rows`` only (None: every state), in slices (see :class:`_Slices`); other
    states are left at infinity with the choice ``UNREAD``, which :func:`_walk` refuses to follow.
    """
    value, best = np.full(len(rest), np.inf), np.full(len(rest), UNREAD, dtype=np.int64)
    at = np.arange(len(rest)) if rows is None else rows
    step = max(1, LEVEL_SLICE_PAIRS // rest.shape[1])
    slices = _Slices(rest, min(step, len(at)))
    for start in range(0, len(at), step):
        idx = at[start:start + step]
        found, pattern = slices.best(previous, idx, pattern_usd)
        padded = previous[idx] + pad_usd
        use_pad = padded < found
        value[idx] = np.where(use_pad, padded, found)
        best[idx] = np.where(use_pad, -1, pattern)
    return value, best


def _walk(states: np.ndarray, take: np.ndarray, rest: np.ndarray, pattern_shape: np.ndarray, pad: int,
          layers: list[tuple[np.ndarray, np.ndarray]]) -> tuple[list[int], list[np.ndarray]]:
    """Follow the arg-min choices from the full workload back to nothing, one node per step."""
    shapes: list[int] = []
    rows: list[np.ndarray] = []
    state = len(states) - 1
    layer = len(layers) - 1
    while state or layer:
        p = int(layers[layer][1][state])
        assert p != UNREAD, "a floor layer is read at a state _floor_states did not reach"
        if p < 0:
            shapes.append(pad)
            rows.append(np.zeros(states.shape[1], dtype=np.int64))
        else:
            shapes.append(int(pattern_shape[p]))
            rows.append(np.minimum(take[p], states[state]))
            state = int(rest[state, p])
        layer = max(layer - 1, 0)
    return shapes, rows
