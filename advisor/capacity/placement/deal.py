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
from advisor.capacity.placement.fit import fits_all
from advisor.capacity.placement.problem import _Packing, _Problem

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
    """A sequential deal in progress: nodes filled so far, replicas left, carried fractions.

    Arrays, not Python lists: a workload may have a thousand distinct pod sizes, and each node
    is dealt over all of them. A deal on lists (986c87d) was 3 % faster over the microservices
    sweep's handful of sizes, but took the limits' 1,000-size case from 15-17 s to 24-28 s of CPU.
    """

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
    relative = prob.req / scale
    cand = np.flatnonzero(spare > 0)
    while len(cand):
        # A replica fits while it needs no more than the room left on every resource it uses
        # (room is never negative here: _evict ran first).
        fit = ((prob.req[cand] <= rem) | (prob.req[cand] == 0)).all(axis=1) & (spare[cand] > 0)
        cand = cand[fit]
        if not len(cand):
            return
        g = int(cand[np.argmax(relative[cand] @ (rem / scale))])
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

    For every shape that fits all the sizes, with ``need`` the nodes a perfect deal would
    need and ``need+`` that grown by the expected granularity loss (see :func:`_need`):
    ceil(n) nodes, or floor(n) nodes plus one or two smaller nodes that hold the fractional
    rest (within ``limit`` types), for n in (need, need+). A plan's estimate is its price
    plus, when it holds less than need+, the price of the expected overflow; the best few
    plans are then dealt for real. Needs and tails are computed for every shape at once.
    """
    ok = np.flatnonzero(prob.fits[counts > 0].all(axis=0))
    if not len(ok):
        return []
    demand = (counts @ prob.req).astype(float)
    need, grown = _need(prob, counts, demand, ok)
    shape, size, worth = np.concatenate([ok, ok]), np.concatenate([need, grown]), np.concatenate([grown, grown])
    full = np.floor(size + 1e-9)
    rest = demand * ((size - full) / size)[:, None]
    # Tails are searched only where a plan with them could still be among the best few: a
    # tail costs at least its rest at the cheapest price per unit of any dimension.
    per_unit = (prob.price[:, None] / np.maximum(prob.cap, 1)).min(axis=0)
    whole = np.maximum(np.ceil(size - 1e-9), max(min_nodes, 1)).astype(np.int64)
    overflow = prob.price[shape] * np.maximum(worth - size, 0.0)
    # A plan is (main shape, nodes of it, tail shapes); estimates are kept per distinct plan.
    options: dict[tuple[int, int, tuple[int, ...]], float] = {}
    for key, usd_value in zip(zip(shape.tolist(), whole.tolist(), [()] * len(shape), strict=True),
                              (whole * prob.price[shape] + prob.price[shape] * np.maximum(worth - whole, 0.0)).tolist(),
                              strict=True):
        options[key] = min(usd_value, options.get(key, math.inf))
    cutoff = sorted(options.values())[LAYOUT_TRIALS - 1] if len(options) >= LAYOUT_TRIALS else np.inf
    floor_usd = full * prob.price[shape] + (rest * per_unit).max(axis=1) + overflow
    split = (limit > 1) & (full >= 1) & (size - full > 1e-9) & (floor_usd <= cutoff * (1 + 1e-9))
    one, two = np.full(len(size), -1), np.full((len(size), 2), -1)
    one[split], two[split] = _tails(prob, rest[split], limit - 1)
    price = prob.price.tolist()
    for row in np.flatnonzero(split).tolist():
        t, n = int(shape[row]), int(full[row])
        tails = ([(int(one[row]),)] if one[row] >= 0 else []) + (
            [(int(two[row, 0]), int(two[row, 1]))] if two[row, 0] >= 0 else [])
        for tail in tails:
            if n + len(tail) < min_nodes or len({t, *tail}) > limit:
                continue
            key = (t, n + len(tail), ()) if set(tail) == {t} else (t, n, tail)
            estimate = n * price[t] + sum(price[x] for x in tail) + float(overflow[row])
            options[key] = min(estimate, options.get(key, math.inf))
    ranked = sorted(options, key=lambda key: (options[key], key[0], key[1] + len(key[2])))
    return [np.array((t,) * n + tail, dtype=np.int64) for t, n, tail in ranked[:LAYOUT_TRIALS]]


def _need(prob: _Problem, counts: np.ndarray, demand: np.ndarray, shapes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nodes of each of ``shapes`` the demand needs: with a perfect fill, and allowing for granularity.

    A node filled with replicas of (capacity-relative) size s typically strands about s/2
    of its binding dimension, so big replicas on small nodes need proportionally more
    nodes; this is what makes the plans prefer larger nodes for large replicas.
    """
    cap = prob.cap[shapes].astype(float)
    share = np.where(demand > 0, demand / np.maximum(cap, 1.0), 0.0)                  # (S, D)
    binding = share.argmax(axis=1)
    need = share.max(axis=1)
    size = prob.req[:, binding] / cap[np.arange(len(shapes)), binding]                 # (K, S)
    mean_size = (counts[:, None] * size * size).sum(axis=0) / np.maximum((counts[:, None] * size).sum(axis=0), 1e-12)
    return need, need * (1.0 + GRANULARITY_LOSS * mean_size)


def _tails(prob: _Problem, rest: np.ndarray, kinds: int) -> tuple[np.ndarray, np.ndarray]:
    """For each row of ``rest`` (R, D): the cheapest one node (R,), and the cheapest pair of nodes
    (R, 2), whose capacity covers it; -1 where there is none (or ``kinds`` < 2 for pairs)."""
    price = prob.price
    covers = fits_all(np.ceil(rest)[:, None, :], prob.cap[None, :, :])                    # (R, T)
    single = np.where(covers, price[None, :], np.inf)
    one = np.where(np.isfinite(single.min(axis=1)), single.argmin(axis=1), -1)
    two = np.full((len(rest), 2), -1)
    if kinds < 2 or not len(rest):
        return one, two
    with np.errstate(divide="ignore", invalid="ignore"):
        holds = np.where(rest[:, None, :] > 0, prob.cap[None, :, :] / rest[:, None, :], np.inf).min(axis=2)   # (R, T)
    left = np.ceil((1 - np.minimum(holds, 1.0))[:, :, None] * rest[:, None, :])        # (R, T, D)
    second = fits_all(left[:, :, None, :], prob.cap[None, None, :, :])                  # (R, T, T)
    other = np.where(second, price[None, None, :], np.inf)
    cheapest = other.argmin(axis=2)
    total = np.where(holds < 1, price[None, :] + other.min(axis=2), np.inf)
    best = total.argmin(axis=1)
    found = np.isfinite(total.min(axis=1))
    rows = np.arange(len(rest))
    two[found, 0] = best[found]
    two[found, 1] = cheapest[rows, best][found]
    return one, two


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
