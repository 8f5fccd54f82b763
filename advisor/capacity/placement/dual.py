"""A candidate packing by greedy nodes weighted with the group LP's dual prices.

The group LP prices one replica of each size at its dual value (what the LP would save if
that replica were gone): a fair price of the replica in dollars per hour. A node is worth
the sum of its replicas' values, so the greedy opens, one after the other, the node (shape
and contents) with the highest value per dollar of its price, filling each candidate shape
with the replicas of the highest value per share of its binding dimension. Identical
nodes come out in one step: a node stays the best choice for as long as its contents are
left, since taking replicas can only lower the other shapes' best value.

Why: the proportional deals fill nodes with a cross-section of the workload; this fills
them with what is cheapest to run on them. Measured on generated workloads, neither wins
always, so both are candidates (:func:`advisor.capacity.placement.place._solve`).
"""

from __future__ import annotations

import numpy as np

from advisor.capacity.placement.bounds import _Mix
from advisor.capacity.placement.first_fit import _concat
from advisor.capacity.placement.problem import _UNLIMITED, _Packing, _Problem


def _dual_greedy(prob: _Problem, mix: _Mix, allowed: np.ndarray) -> _Packing | None:
    """Greedy nodes of ``allowed`` shapes by value per dollar, replicas valued at the LP's dual prices."""
    value = _replica_values(prob, mix, allowed)
    cap = prob.cap[allowed]
    scale = np.maximum(cap, 1).astype(float)
    load = (prob.req[:, None, :] / scale[None, :, :]).max(axis=2)                     # (K, A): binding share
    density = np.where(prob.fits[:, allowed], value[:, None] / np.maximum(load, 1e-12), -np.inf)
    order = np.argsort(-density, axis=0, kind="stable")                               # (K, A): best first
    left = prob.count.copy()
    kinds: list[np.ndarray] = []
    rows: list[np.ndarray] = []
    while left.any():
        take = _fill(prob, cap, order, left)                                           # (A, K)
        worth = (take @ value) / prob.price[allowed]
        best = int(np.argmax(np.where(take.any(axis=1), worth, -np.inf)))
        if not take[best].any():
            return None   # some size fits none of the allowed shapes
        present = take[best] > 0
        repeat = int((left[present] // take[best][present]).min())
        kinds.append(np.full(repeat, allowed[best]))
        rows.append(np.tile(take[best], (repeat, 1)))
        left -= repeat * take[best]
    return _concat(prob, [_Packing(shape=k, counts=r) for k, r in zip(kinds, rows, strict=True)])


def _replica_values(prob: _Problem, mix: _Mix, allowed: np.ndarray) -> np.ndarray:
    """Dual price of one replica of each size, at least a small share of its cheapest node's price per replica.

    The floor keeps sizes that the LP happens to price at zero (degenerate duals) from never
    being packed first; it is far below any real dual price.
    """
    fit = np.where(prob.req[:, None, :] > 0, prob.cap[allowed][None, :, :] // np.maximum(prob.req[:, None, :], 1),
                   _UNLIMITED).min(axis=2)                                             # (K, A)
    per_replica = np.where(fit > 0, prob.price[allowed][None, :] / np.maximum(fit, 1), np.inf).min(axis=1)
    return np.maximum(mix.replica_usd, 1e-3 * np.where(np.isfinite(per_replica), per_replica, 0.0))


def _fill(prob: _Problem, cap: np.ndarray, order: np.ndarray, left: np.ndarray) -> np.ndarray:
    """(A, K): what one empty node of each allowed shape takes, sizes in that shape's ``order``.

    Only sizes with replicas left are visited (each shape's order kept), and the visit stops
    once no shape has room for the smallest of them on some dimension: the same nodes as
    visiting every size, found in a few steps when nodes hold a few large replicas (1,000
    distinct sizes made this loop 70 % of a 1,000-service estimate).
    """
    shapes = np.arange(cap.shape[0])
    rem = cap.copy()
    take = np.zeros((cap.shape[0], len(left)), dtype=np.int64)
    live = left > 0
    order = order.T[live[order].T].reshape(cap.shape[0], -1).T                       # (live K, A)
    smallest = prob.req[live].min(axis=0)                                             # (D,)
    for rank in range(order.shape[0]):
        k = order[rank]                                                                # (A,)
        req = prob.req[k]                                                              # (A, D)
        fit = np.where(req > 0, rem // np.maximum(req, 1), _UNLIMITED).min(axis=1)
        n = np.minimum(np.maximum(fit, 0), left[k])
        take[shapes, k] = n
        rem -= n[:, None] * req
        if not (rem >= smallest).all(axis=1).any():
            break
    return take
