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

    Python lists, not arrays: a deal works on a handful of sizes and resources one node at
    a time, where numpy's per-call cost was most of the time. ``reqs`` and ``caps`` are the
    problem's requests and capacities as integers, converted once per deal.
    """

    reqs: list[list[int]]
    caps: list[list[int]]
    kinds: list[int]
    rows: list[list[int]]
    left: list[int]
    carry: list[float]


def _deal_node(deal: _Deal, t: int, most: int = 1) -> int:
    """Fill nodes of shape ``t`` with their share of what is left (see :func:`_part_options`).

    The filled node is repeated, up to ``most`` nodes in all, while the pool allows and at
    most for ``REPEAT_SHARE`` of the nodes the pool still needs: identical shares of a
    large pool are nearly identical nodes, so this saves time without drifting the pool.
    Returns the number of nodes filled.
    """
    left, reqs, cap = deal.left, deal.reqs, deal.caps[t]
    if not any(left):
        return 0
    demand = [sum(n * req[d] for n, req in zip(left, reqs, strict=True)) for d in range(len(cap))]
    share = min(c / float(need) for c, need in zip(cap, demand, strict=True) if need > 0)
    if share >= 1.0:
        take = list(left)
    else:
        target = [n * share + c for n, c in zip(left, deal.carry, strict=True)]
        take = [math.floor(x) for x in target]
        deal.carry = [x - k for x, k in zip(target, take, strict=True)]
        rem = [c - sum(k * req[d] for k, req in zip(take, reqs, strict=True)) for d, c in enumerate(cap)]
        rem = _evict(deal, take, rem)
        _top_up(reqs, cap, take, rem, [n - k for n, k in zip(left, take, strict=True)])
    if not any(take):
        return 0
    room_for = min(n // k for n, k in zip(left, take, strict=True) if k > 0)   # repeats the pool still holds
    repeat = min(most, max(1, math.floor(REPEAT_SHARE / share)), room_for)
    deal.kinds += [t] * repeat
    deal.rows += [take] * repeat
    deal.left = [n - repeat * k for n, k in zip(left, take, strict=True)]
    return repeat


def _top_up(reqs: list[list[int]], cap: list[int], take: list[int], rem: list[int], spare: list[int]) -> None:
    """Add replicas one at a time, each the one whose shape best matches the room left (updates ``take``).

    "Best matches" is the largest dot product of the replica's size with the room left,
    both relative to the node's capacity ``cap`` (the DotProduct rule of Panigrahy et al.):
    it fills whichever dimension has the most room. A group that does not fit now never
    will, since room only shrinks, so the candidate list shrinks as it goes; once one is
    left, it takes all that fits at once (what adding it one at a time ends with).
    """
    scale = [float(max(c, 1)) for c in cap]
    cand = [g for g in range(len(spare)) if spare[g] > 0]
    while cand:
        # A replica fits while it needs no more than the room left on every resource it uses
        # (room is never negative here: _evict ran first).
        cand = [g for g in cand if spare[g] > 0 and all(r <= m or r == 0 for r, m in zip(reqs[g], rem, strict=True))]
        if not cand:
            return
        if len(cand) == 1:
            g = cand[0]
            k = min([spare[g], *(m // r for r, m in zip(reqs[g], rem, strict=True) if r > 0)])
        else:
            g, k = _best_match(cand, reqs, rem, scale), 1
        take[g] += k
        spare[g] -= k
        rem = [m - k * r for r, m in zip(reqs[g], rem, strict=True)]


#: Two top-up scores closer than this share of the larger are re-scored by numpy (see :func:`_best_match`);
#: far above the few units in the last place by which two ways of summing three products can differ.
_TIE_SHARE: float = 1e-9


def _best_match(cand: list[int], reqs: list[list[int]], room: list[int], scale: list[float]) -> int:
    """The candidate whose size, relative to the node, has the largest dot product with the room left.

    A dot product summed in another order, or with fused multiply-adds, can differ in its
    last bits; when the two best scores are that close, they are taken from numpy's
    product, so the choice (the first of the largest) is always the one numpy makes.
    """
    room_share = [m / s for m, s in zip(room, scale, strict=True)]
    scores = [sum((r / s) * m for r, s, m in zip(reqs[g], scale, room_share, strict=True)) for g in cand]
    first, second = sorted(scores, reverse=True)[:2]
    if first - second > _TIE_SHARE * first:
        return cand[scores.index(first)]
    relative = np.array([reqs[g] for g in cand]) / np.array(scale)
    return cand[int(np.argmax(relative @ np.array(room_share)))]


def _evict(deal: _Deal, take: list[int], rem: list[int]) -> list[int]:
    """Remove replicas from an over-full node; updates ``take`` and returns the room left.

    The largest contributor to the node's worst dimension goes first, worst relative to the
    largest capacity of any shape.
    """
    if min(rem) >= 0:
        return rem
    scale = [float(max(max(column), 1)) for column in zip(*deal.caps, strict=True)]
    reqs = deal.reqs
    while min(rem) < 0:
        d = min(range(len(rem)), key=lambda x: rem[x] / scale[x])
        g = max(range(len(take)), key=lambda x: reqs[x][d] if take[x] > 0 else -1)
        k = min(take[g], -(rem[d] // reqs[g][d]))
        take[g] -= k
        rem = [m + k * r for m, r in zip(rem, reqs[g], strict=True)]
    return rem


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
    reqs, caps = prob.req.tolist(), prob.cap.tolist()
    carry = ((np.arange(len(counts)) * _PHASE_STEP) % 1.0).tolist()
    for plan in _layouts(prob, counts, limit, min_nodes):
        head = int(np.argmax(plan != plan[0])) or len(plan)   # leading nodes of the main shape
        deal = _Deal(reqs=reqs, caps=caps, kinds=[], rows=[], left=counts.tolist(), carry=carry)
        while len(deal.kinds) < head and _deal_node(deal, int(plan[0]), head - len(deal.kinds)):
            pass
        for t in plan[head:]:
            _deal_node(deal, int(t))
        planned = _Packing(shape=np.array(deal.kinds, dtype=np.int64),
                           counts=np.array(deal.rows, dtype=np.int64).reshape(-1, len(counts)))
        options.append(_Option(planned=planned, left=np.array(deal.left, dtype=np.int64)))
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
