"""Packing primitives: first fit, First-Fit-Decreasing onto one shape, and packing costs.

The building blocks every candidate packing and repair uses. Replicas of a group are
identical, so first fit of a group is one cumulative sum over the nodes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from advisor.capacity.placement.problem import _UNLIMITED, _Packing, _Problem


def _fit(rem: np.ndarray, req: np.ndarray) -> np.ndarray:
    """Replicas of request ``req`` (D,) that fit in each row of ``rem`` (N, D)."""
    per_dim = np.where(req > 0, rem // np.maximum(req, 1), np.where(rem >= 0, _UNLIMITED, 0))
    return np.maximum(per_dim.min(axis=1), 0)


def _fit_sizes(prob: _Problem, t: int) -> np.ndarray:
    """Replicas of each size that fit an empty node of shape ``t`` (K,)."""
    cap = prob.cap[t]
    per_dim = np.where(prob.req > 0, cap // np.maximum(prob.req, 1), _UNLIMITED)
    return per_dim.min(axis=1)


def _first_fit(prob: _Problem, rem: np.ndarray, counts: np.ndarray, left: np.ndarray) -> None:
    """First-fit ``left`` replicas (largest sizes first) into nodes; updates all three in place."""
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
    alone = np.maximum(_fit_sizes(prob, t), 1)
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
        return _Packing(shape=np.zeros(0, dtype=np.int64), counts=np.zeros((0, len(prob.count)), dtype=np.int64))
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
        per_replica = prob.price[ok] / np.array([_fit_sizes(prob, int(t))[g] for t in ok])
        choice[g] = ok[np.lexsort((ok, per_replica))[0]]
    parts = []
    for t in np.unique(choice[choice >= 0]):
        pk = _ffd(prob, int(t), np.where(choice == t, counts, 0))
        assert pk is not None
        parts.append(pk)
    return _concat(prob, parts)
