"""Exact solves inside placement: the whole workload when small, a few nodes at a time when not.

The problem is already over distinct pod sizes (:mod:`.problem`), so :func:`_exact` hands
its counts to :mod:`.exact_packing` as they are. :func:`_exact_repack` is a
large-neighbourhood search after the heuristic: it re-solves exactly what a few nodes hold
and keeps the answer when it is cheaper.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from advisor.capacity.placement.exact_packing import _state_count, solve_exact
from advisor.capacity.placement.problem import _Packing, _Problem

# Exact re-solves after the heuristic (see _exact_repack): the largest set of least-filled
# nodes re-solved together, the most solves per placement, and the state-pattern pairs
# they may evaluate in all (about 0.1 s of numpy work).
EXACT_REPACK_NODES: int = 8

EXACT_REPACK_SOLVES: int = 40

EXACT_REPACK_WORK: int = 3_000_000

#: Re-solves of more states (the box of the neighbourhood's replica counts) are declined before their
#: patterns are enumerated: within ``EXACT_REPACK_WORK`` none of more than 8,000 states succeeded in the
#: 100-point sweep's or the 1,000-draw Monte Carlo's searches, nor of more than 12,000 in 60 packing-bench
#: workloads, and enumerating the patterns of those above 12,000 before declining took 0.42 s of the
#: sweep's 10 s of placement.
EXACT_REPACK_STATES: int = 12_000


@dataclass(frozen=True, slots=True)
class _Solved:
    """An exact answer in this module's terms (see :class:`advisor.capacity.placement.exact_packing.ExactPacking`)."""

    packing: _Packing
    usd_per_hour: float
    work: int
    floor_usd: tuple[float, ...]


def _exact(prob: _Problem, counts: np.ndarray, shapes: np.ndarray, min_nodes: int,
           max_work: int | None = None, upper_usd: float | None = None) -> _Solved | None:
    """The optimal packing of ``counts`` (replicas per size) on the shapes ``shapes`` (indices), or
    None when :func:`advisor.capacity.placement.exact_packing.solve_exact` declines (too large for
    ``max_work``, or a size fits none of the shapes). Sizes with no replicas are left out of the solve;
    ``upper_usd`` is the cost of a known packing (see ``solve_exact``).
    """
    live = np.flatnonzero(counts)
    solved = solve_exact(prob.req[live], counts[live], prob.cap[shapes], prob.price[shapes], min_nodes, max_work,
                         upper_usd)
    if solved is None:
        return None
    full = np.zeros((len(solved.shape), len(counts)), dtype=np.int64)
    full[:, live] = solved.counts
    return _Solved(packing=_Packing(shape=shapes[solved.shape], counts=full), usd_per_hour=solved.usd_per_hour,
                   work=solved.work, floor_usd=solved.floor_usd)


def _exact_repack(prob: _Problem, pk: _Packing, max_types_in_mix: int | None, min_nodes: int,
                  seen: dict[tuple[bytes, bytes, int], tuple[_Solved | None, int]] | None = None) -> _Packing:
    """Large-neighbourhood search: re-solve exactly what a few nodes hold; keep what is cheaper.

    Neighbourhoods: the 2..``EXACT_REPACK_NODES`` least-filled nodes, and all the nodes of one
    instance type, largest first. Each is small enough for :mod:`advisor.capacity.placement.exact_packing`
    far more often than the whole workload, and its optimum can never cost more than the nodes
    it replaces. A neighbourhood inside one whose re-solve found nothing cheaper is skipped: a
    cheaper re-packing of it, beside the rest of the larger set as it is, would have been a
    cheaper re-packing of that set (with the shapes that re-solve allowed). Largest first, the
    search takes the larger set's optimum where the smaller ones would have taken a step of it
    (against smallest first: of the sweep's 397 placements 12 cheaper and 3 dearer, of the Monte
    Carlo's 172 4 and 1, of 60 packing-bench workloads 5 and none; the replays 1-3 % faster).
    Without a type limit any shape may be used; with one, only shapes already in use, so the
    limit still holds. At most ``EXACT_REPACK_SOLVES`` solves and
    ``EXACT_REPACK_WORK`` state-pattern pairs in all, so the time is bounded (by counts, so
    the answer is the same on every machine). ``seen`` remembers the solves of earlier
    searches of the same placement (see :func:`_remembered`).
    """
    solves, work = 0, EXACT_REPACK_WORK
    improved = True
    while improved and solves < EXACT_REPACK_SOLVES and work > 0:
        improved = False
        shapes = np.arange(len(prob.price)) if max_types_in_mix is None else np.unique(pk.shape)
        proven: list[set[int]] = []
        for subset in sorted(_neighbourhoods(prob, pk), key=len, reverse=True):
            if solves >= EXACT_REPACK_SOLVES or work <= 0:
                break
            members = set(subset.tolist())
            if any(members <= p for p in proven):
                continue
            solves += 1
            kept = np.ones(len(pk.shape), dtype=bool)
            kept[subset] = False
            keep = np.flatnonzero(kept)
            # A cheaper replacement uses no node dearer than the nodes it replaces together.
            spent = math.fsum(prob.price[pk.shape[subset]])
            cheaper = shapes[prob.price[shapes] < spent - 1e-9]
            held = pk.counts[subset].sum(axis=0)
            if not len(cheaper):
                continue
            solved = _remembered(seen, prob, held, cheaper, max(0, min_nodes - len(keep)), work)
            work -= solved.work if solved else 0
            if solved is not None and solved.usd_per_hour >= spent - 1e-9:
                proven.append(members)
            if solved is not None and solved.usd_per_hour < spent - 1e-9:
                pk = _Packing(shape=np.concatenate([pk.shape[keep], solved.packing.shape]),
                              counts=np.vstack([pk.counts[keep], solved.packing.counts]))
                improved = True
                break
    return pk


def _remembered(seen: dict[tuple[bytes, bytes, int], tuple[_Solved | None, int]] | None, prob: _Problem,
                counts: np.ndarray, shapes: np.ndarray, min_nodes: int, work: int) -> _Solved | None:
    """:func:`_exact` through ``seen`` (the re-solves of one placement, from several starts, meet the
    same node contents again): an answer is reused as it is, a refusal only within a smaller budget.
    More than ``EXACT_REPACK_STATES`` states is a refusal before anything is enumerated."""
    if _state_count(counts, EXACT_REPACK_STATES) is None:
        return None
    if seen is None:
        return _exact(prob, counts, shapes, min_nodes, work)
    key = (counts.tobytes(), shapes.tobytes(), min_nodes)
    if key in seen:
        solved, budget = seen[key]
        if solved is not None or work <= budget:
            return solved
    solved = _exact(prob, counts, shapes, min_nodes, work)
    seen[key] = (solved, work)
    return solved


def _neighbourhoods(prob: _Problem, pk: _Packing) -> list[np.ndarray]:
    """Node subsets for :func:`_exact_repack`: growing sets of the least-filled nodes, then each type's nodes."""
    fill = ((pk.counts @ prob.req) / np.maximum(prob.cap[pk.shape], 1)).max(axis=1)
    order = np.lexsort((np.arange(len(fill)), fill))
    subsets = [order[:k] for k in range(2, min(EXACT_REPACK_NODES, len(order)) + 1)]
    subsets += [np.flatnonzero(pk.shape == t) for t in np.unique(pk.shape) if np.count_nonzero(pk.shape == t) > 1]
    return subsets
