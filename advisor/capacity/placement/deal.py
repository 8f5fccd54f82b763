"""Candidate packings by sequential proportional deal onto node plans.

A node plan is n nodes of one shape, or n nodes plus one or two smaller nodes for the
fractional rest. Each planned node gets its share of every group, so its mix of CPU- and
memory-heavy replicas matches the workload's; that is what lets nodes fill on every
dimension at once, which FFD (group by group) does not (Panigrahy et al. 2011, "Heuristics
for Vector Bin Packing", Microsoft Research).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from advisor.capacity.placement.first_fit import _allowed, _concat, _cost, _first_fit, _pack_new
from advisor.capacity.placement.problem import _UNLIMITED, _Packing, _Problem

# Node plans (shape, count, tail) actually dealt per part, of those with the best
# estimated cost: the estimate is rough, so the runner-up sometimes packs better.
LAYOUT_TRIALS: int = 4

# Share of a replica's size that a node typically strands in its binding dimension.
GRANULARITY_LOSS: float = 0.5

# A dealt node is repeated for up to this share of the nodes the pool still needs.
REPEAT_SHARE: float = 0.1

# Phase step for the proportional deal: the golden-ratio conjugate spreads each group's
# rounding remainder over different nodes, so no node collects every group's "extra".
_PHASE_STEP: float = (math.sqrt(5.0) - 1.0) / 2.0


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
