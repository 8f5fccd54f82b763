"""A candidate packing by rounding the group LP: whole nodes as the LP says, the rest re-packed.

The group LP (:func:`advisor.capacity.placement.bounds._group_lp`) buys ``x_t`` nodes of a
few shapes and gives each its share of every size. Rounding it down gives ``floor(x_t)``
nodes per shape, each holding its share ``s = assigned / x_t`` of each size, rounded with
the fractions carried from node to node (:func:`_staggered`), built in one step however
many nodes there are; what is left first fills the spare
room of those nodes (first fit) and then new nodes, packed exactly when that rest is small
(:mod:`.exact_packing`) and by first-fit decreasing when not. The rest is
at most a few replicas per size and shape, so for large workloads this candidate is within
a node or two of the LP, in time that does not grow with the number of nodes.
"""

from __future__ import annotations

import math

import numpy as np

from advisor.capacity.placement.bounds import _Mix
from advisor.capacity.placement.deal import _PHASE_STEP
from advisor.capacity.placement.first_fit import _allowed, _concat, _first_fit, _pack_new
from advisor.capacity.placement.mix import _round_split
from advisor.capacity.placement.problem import _UNLIMITED, _Packing, _Problem
from advisor.capacity.placement.resolve import _exact

#: State-pattern pairs the exact solve of the rest may evaluate (a small share of the exact limit).
REST_EXACT_WORK: int = 1_000_000


def _lp_round(prob: _Problem, restricted: _Mix, limit: int, min_nodes: int) -> _Packing:
    """The group LP (restricted to ``limit`` types, :func:`advisor.capacity.placement.mix._restricted`)
    rounded down to whole nodes, the rest re-packed."""
    assigned = _round_split(prob.count, restricted.split)
    parts = []
    for t in np.flatnonzero(assigned.any(axis=0)):
        nodes = math.floor(restricted.nodes[t] + 1e-9)
        if nodes == 0:
            continue
        parts.append(_Packing(shape=np.full(nodes, t), counts=_staggered(prob, t, assigned[:, t] / restricted.nodes[t],
                                                                          nodes)))
    whole = _concat(prob, parts)
    left = prob.count - whole.counts.sum(axis=0)
    counts = whole.counts.copy()
    _first_fit(prob, prob.cap[whole.shape] - counts @ prob.req, counts, left)
    return _concat(prob, [_Packing(shape=whole.shape, counts=counts), _rest(prob, left, whole.shape, limit,
                                                                           max(0, min_nodes - len(whole.shape)))])


def _staggered(prob: _Problem, t: int, share: np.ndarray, nodes: int) -> np.ndarray:
    """(nodes, K) replicas: each node ``share`` (fractional, per size) with the fractions carried.

    Node j holds ``floor((j + 1) s + phase) - floor(j s + phase)`` of a size with share s, so
    the nodes together hold all but the last fraction and each holds floor(s) or ceil(s);
    sizes carry from different phases (the golden-ratio steps of :mod:`.deal`), so no node
    gets every size's extra replica. A node that then exceeds its capacity gives back
    replicas of the smallest size in its fullest dimension (small ones are the easiest to
    place elsewhere), one size at a time.
    """
    phase = (np.arange(len(share)) * _PHASE_STEP) % 1.0
    edges = np.floor(np.arange(nodes + 1)[:, None] * share[None, :] + phase[None, :] + 1e-9)
    counts = np.diff(edges, axis=0).astype(np.int64)
    scale = np.maximum(prob.cap[t], 1).astype(float)
    while True:
        over = (counts @ prob.req > prob.cap[t]).any(axis=1)
        if not over.any():
            return counts
        rows = np.flatnonzero(over)
        used = counts[rows] @ prob.req
        d = np.argmax(used / scale, axis=1)
        worst = np.argmin(np.where((counts[rows] > 0) & (prob.req[:, d].T > 0), prob.req[:, d].T, _UNLIMITED), axis=1)
        excess = used[np.arange(len(rows)), d] - prob.cap[t, d]
        per = prob.req[worst, d]
        counts[rows, worst] -= np.minimum(counts[rows, worst], -(-excess // per))


def _rest(prob: _Problem, left: np.ndarray, used: np.ndarray, limit: int, min_nodes: int) -> _Packing:
    """New nodes for the replicas the rounded nodes could not hold: exactly when small, else by FFD."""
    if not left.any():
        return _concat(prob, [])
    allowed = _allowed(prob, used, limit)
    solved = _exact(prob, left, allowed, min_nodes, REST_EXACT_WORK)
    if solved is not None and len(np.unique(np.concatenate([used, solved.packing.shape]))) <= limit:
        return solved.packing
    return _pack_new(prob, left, allowed)
