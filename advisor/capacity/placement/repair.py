"""Repairs of a candidate packing, each kept only when it is cheaper.

Empty the least-filled node into the others' spare room while that works; re-pack the
one to three emptiest nodes (spare room first, then the cheapest shape that holds the
rest); move each node to the cheapest shape that holds its contents; merge two lightly
filled nodes onto one shape that costs no more (equal cost still saves a root volume and
a set of DaemonSets).
"""

from __future__ import annotations

import functools

import numpy as np

from advisor.capacity.placement.first_fit import _allowed, _concat, _cost, _first_fit, _pack_new
from advisor.capacity.placement.fit import fits_all
from advisor.capacity.placement.problem import _Packing, _Problem

# Least-filled nodes considered, pairwise, for merging onto one node, and merge rounds.
MERGE_CANDIDATES: int = 12

MERGE_ROUNDS: int = 4

# Emptiest nodes re-packed by the tail repair (1, 2, then 3 together).
TAIL_REPACK_NODES: int = 3


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
    holds = fits_all(used[:, None, :], prob.cap[allowed][None, :, :])   # (N, allowed)
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
        i, j = (few[k] for k in _pairs(len(few)))
        holds = fits_all((used[i] + used[j])[:, None, :], prob.cap[None, :, :])
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


@functools.cache
def _pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (a < b) of n items, as two index arrays (made once per n: merges ask thousands of times)."""
    return np.triu_indices(n, k=1)


def _permitted(prob: _Problem, pk: _Packing, i: np.ndarray, j: np.ndarray, limit: int) -> np.ndarray:
    """(pairs, shapes): shapes that node pair (i, j) may merge onto within the type limit."""
    uses = np.bincount(pk.shape, minlength=len(prob.price))                     # nodes per shape
    a, b = pk.shape[i], pk.shape[j]
    left = np.repeat(uses[None, :], len(i), axis=0)                            # after the pair is gone
    pairs = np.arange(len(i))
    np.subtract.at(left, (pairs, a), 1)
    np.subtract.at(left, (pairs, b), 1)
    kept = left > 0
    return kept | (kept.sum(axis=1) < limit)[:, None]


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
