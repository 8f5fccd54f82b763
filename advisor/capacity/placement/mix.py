"""Candidate packings guided by the group LP: CPU-heavy groups on compute nodes, memory-heavy on memory nodes.

The group LP's split of groups over its 2..``HEURISTIC_TYPES_IN_MIX`` (or
``max_types_in_mix``) costliest types; each part is dealt as in :mod:`.deal` and is free
to change size within the part. A part that overflows its plan first fills the spare
room of the other parts' nodes; the per-part plans are chosen together (coordinate
descent) for the pooled cost.
"""

from __future__ import annotations

import numpy as np

from advisor.capacity.placement.bounds import _group_lp, _Mix
from advisor.capacity.placement.deal import _absorb, _Option, _part_options
from advisor.capacity.placement.first_fit import _concat, _cost
from advisor.capacity.placement.problem import _Packing, _Problem


def _round_split(counts: np.ndarray, split: np.ndarray) -> np.ndarray:
    """Integer replicas per (group, shape) summing to ``counts``: largest remainders win."""
    exact = split * counts[:, None]
    whole = np.floor(exact + 1e-9).astype(np.int64)
    for g in np.flatnonzero(whole.sum(axis=1) < counts):
        short = counts[g] - whole[g].sum()
        order = np.lexsort((np.arange(split.shape[1]), -(exact[g] - whole[g])))
        whole[g, order[:short]] += 1
    return whole


def _restricted(prob: _Problem, mix: _Mix, kinds: int) -> _Mix | None:
    """The group LP over at most ``kinds`` of the types it uses (those it spends most on), re-solved;
    None when those types cannot hold every size."""
    used = np.flatnonzero(_round_split(prob.count, mix.split).any(axis=0))
    if len(used) <= kinds:
        return mix
    keep = used[np.lexsort((used, -(mix.nodes[used] * prob.price[used])))[:kinds]]
    if not prob.fits[prob.count > 0][:, keep].any(axis=1).all():
        return None
    solved = _group_lp(prob, keep)
    if solved is None:
        return None
    split = np.zeros((len(prob.count), len(prob.price)))
    split[:, keep] = solved[0].split
    nodes = np.zeros(len(prob.price))
    nodes[keep] = solved[0].nodes
    return _Mix(split=split, nodes=nodes, replica_usd=solved[0].replica_usd)


def _lp_mix(prob: _Problem, restricted: _Mix, limit: int, min_nodes: int = 0) -> _Packing | None:
    """Split sizes as the group LP restricted to a few types says (:func:`_restricted`), then place each part.

    Each part may change size (the LP is indifferent between m.4xlarge and m.16xlarge
    when prices are linear, the integer packing is not) and take a smaller tail node
    while the mix stays within ``limit`` types. Using fewer LP types than ``limit`` leaves
    room for such tails, so :func:`_solve` tries every restriction up to the limit.
    """
    assigned = _round_split(prob.count, restricted.split)
    used = np.flatnonzero(assigned.any(axis=0))
    spare = limit - len(used) + 1   # types each part may use if the others use one each
    menus = [_part_options(prob, assigned[:, t], spare) + (_part_options(prob, assigned[:, t], 1) if spare > 1 else [])
             for t in used]
    return _choose_options(prob, menus, limit, min_nodes) if all(menus) else None


def _choose_options(prob: _Problem, menus: list[list[_Option]], limit: int, min_nodes: int) -> _Packing | None:
    """One option per part, chosen coordinate-wise to minimise the pooled cost within ``limit`` types.

    Pooling matters: one part's leftovers often fit the spare room of another part's nodes
    (a compute part that overflows by one replica next to memory nodes with CPU to spare).
    Starts from each part's best single-type option, then changes one part at a time while
    that lowers the cost.
    """
    def pooled(choice: tuple[int, ...]) -> _Packing | None:
        picked = [menu[c] for menu, c in zip(menus, choice, strict=True)]
        pk = _absorb(prob, _concat(prob, [o.planned for o in picked]), sum(o.left for o in picked), limit)
        return pk if len(np.unique(pk.shape)) <= limit else None

    planned = [[_cost(prob, o.planned) for o in menu] for menu in menus]
    choice = tuple(_cheapest_single_type(prob, menu, limit) for menu in menus)
    best = pooled(choice)
    improved = True
    while improved:
        improved = False
        for i, menu in enumerate(menus):
            for c in range(len(menu)):
                trial = (*choice[:i], c, *choice[i + 1:])
                # The planned nodes alone are a floor on the pooled cost: skip hopeless trials.
                floor = sum(planned[k][x] for k, x in enumerate(trial))
                if c == choice[i] or (best is not None and floor >= _cost(prob, best, min_nodes, limit)):
                    continue
                pk = pooled(trial)
                if pk is not None and (best is None
                                       or _cost(prob, pk, min_nodes, limit) < _cost(prob, best, min_nodes, limit)):
                    best, choice, improved = pk, trial, True
    return best


def _cheapest_single_type(prob: _Problem, menu: list[_Option], limit: int) -> int:
    """Index of the option whose nodes (leftovers included) are cheapest, preferring one type."""
    packed = [_absorb(prob, o.planned, o.left, limit) for o in menu]
    return min(range(len(menu)), key=lambda i: (len(np.unique(packed[i].shape)) > 1, _cost(prob, packed[i]), i))
