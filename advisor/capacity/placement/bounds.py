"""Lower bounds on any placement's cost: no packing of the workload can be cheaper.

The largest of three valid bounds is reported beside the cost:

- the covering LP: fractional nodes whose summed capacity covers the summed vCPU,
  memory and slots (HiGHS, as :func:`scipy.optimize.linprog` runs it: :mod:`.lp`);
- the group LP: each group's replicas are split fractionally over the shapes that fit
  one of them, and each shape's nodes must hold their share on every dimension. A
  replica cannot be cut into a vCPU part on a compute node and a memory part on a
  memory node, so this bound is tighter (it can be ~5-15 % higher for mixed
  workloads); it is also the guide for the LP-guided mixes (:mod:`.mix`);
- the price of the cheapest shape that holds the largest replica.

Both LP values are recomputed from their duals, scaled to be exactly feasible, so by
weak duality they are lower bounds whatever the solver's tolerances did.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import sparse

from advisor.capacity.placement.lp import minimize, minimize_stacked, optimal_basis
from advisor.capacity.placement.problem import _Problem
from advisor.memo import Memo

#: Optimal bases of the group LP with one replica per size, by sizes and shapes (see :func:`_group_lp`):
#: an analysis meets a handful (the sizes of each architecture on each platform), and one basis is a few KB.
_BASES = Memo(64)


@dataclass(frozen=True, slots=True)
class _Mix:
    """The group LP's answer: fractional share of each size per shape, nodes per shape, and
    what the LP pays for one replica of each size (its dual price, USD/h)."""

    split: np.ndarray  # (K, T) float, rows sum to 1
    nodes: np.ndarray  # (T,) float
    replica_usd: np.ndarray  # (K,) float >= 0


def _covering_bound(prob: _Problem) -> float:
    """LP bound: fractional nodes whose summed capacity covers the summed requests [USD/h].

    The duals are scaled down until every shape satisfies ``duals . capacity <= price``; by
    weak duality ``duals . demand`` is then a lower bound on any placement, whatever the
    solver's tolerances did. Pareto-dominated shapes need no check: they offer less
    capacity at a higher price, so they satisfy the inequality whenever their dominator does.
    """
    demand = (prob.count @ prob.req).astype(float)
    rows = np.flatnonzero(demand > 0)
    coeff = prob.cap[:, rows].T.astype(float) / demand[rows, None]   # rows scaled to rhs 1
    res = minimize(prob.price, -coeff, -np.ones(len(rows)))
    duals = np.zeros(prob.cap.shape[1])
    if res is not None:
        duals[rows] = np.maximum(-res.ineq_marginals, 0.0) / demand[rows]
    worst = float(((prob.cap @ duals) / prob.price).max())
    return float(duals @ demand) / max(worst, 1.0)


def _group_lp(prob: _Problem, cands: np.ndarray) -> tuple[_Mix, float] | None:
    """Group LP over ``cands``: each group's replicas split (fractionally) over shapes that fit them.

    minimise sum_t price_t x_t  s.t.  sum_g n_g req_g,d z_g,t <= cap_t,d x_t (each t, d) and
    sum_t z_g,t = 1 (each g), with z only where one replica fits shape t. Unlike the
    covering LP, a replica cannot be cut into a vCPU part for one node and a memory part
    for another, so the bound is tighter; over all (Pareto) shapes it is still a
    relaxation of every placement. Returns the solution and a certified bound (see
    :func:`_certified_group_bound`).

    Over every shape, the LP starts from its optimal basis with one replica per size (kept in
    ``_BASES``): the counts scale only the share columns, so that basis is a few dual simplex
    iterations from the optimum (0.5 ms against 3.3 ms a solve). The start depends only on the
    sizes and shapes, so the answer is the same in every process and in any order.
    """
    gi, ti = np.nonzero(prob.fits[:, cands])
    cap = prob.cap[cands].astype(float)
    replica = prob.req[gi] / np.where(cap[ti] > 0, cap[ti], 1.0)   # node units of one replica
    load = prob.count[gi, None] * replica
    n_var, n_cand, n_size, dims = len(gi), len(cands), len(prob.count), prob.cap.shape[1]
    cost = np.concatenate([np.zeros(n_var), prob.price[cands]])
    start = None
    if len(cands) == len(prob.price) and prob.count.all():
        key = (prob.req.tobytes(), prob.req.shape, prob.cap.tobytes(), prob.price.tobytes())
        start = _BASES.lookup(key, lambda: optimal_basis(cost, _group_matrix(replica, gi, ti, n_cand, n_size),
                                                         np.zeros(dims * n_cand), np.ones(n_size)))
    res = minimize_stacked(cost, _group_matrix(load, gi, ti, n_cand, n_size), np.zeros(dims * n_cand),
                           np.ones(n_size), start)
    if res is None:
        return None
    split = np.zeros((n_size, n_cand))
    split[gi, ti] = res.x[:n_var]
    duals = np.maximum(-res.ineq_marginals, 0.0).reshape(n_cand, dims)
    bound = _certified_group_bound(prob, cands, duals, gi, ti, load)
    replica_usd = np.maximum(res.eq_marginals, 0.0) / np.maximum(prob.count, 1)
    return _Mix(split=split, nodes=res.x[n_var:], replica_usd=replica_usd), bound


def _group_matrix(load: np.ndarray, gi: np.ndarray, ti: np.ndarray, n_cand: int, n_size: int) -> sparse.csc_array:
    """The group LP's constraints by columns: ``dims`` capacity rows per shape, then one equality row per size.

    A share z_g,t loads its shape's capacity rows and sits in its size's equality row (after every
    capacity row, so each column's rows ascend); a shape's nodes x_t are -1 on its capacity rows.
    Written directly: scipy's COO -> CSR -> stacked -> CSC conversions of the same entries took
    longer than the LP's other preparation together (0.11 s of a 100-point sweep's 350 group LPs, 0.02 s so).
    """
    n_var, dims = load.shape
    index = np.concatenate([np.hstack([ti[:, None] * dims + np.arange(dims), dims * n_cand + gi[:, None]]).ravel(),
                            np.arange(dims * n_cand)])
    value = np.concatenate([np.hstack([load, np.ones((n_var, 1))]).ravel(), np.full(dims * n_cand, -1.0)])
    start = np.concatenate([np.arange(n_var + 1) * (dims + 1), n_var * (dims + 1) + dims * np.arange(1, n_cand + 1)])
    return sparse.csc_array((value, index.astype(np.int32), start.astype(np.int32)),
                            shape=(dims * n_cand + n_size, n_var + n_cand))


def _certified_group_bound(prob: _Problem, cands: np.ndarray, duals: np.ndarray, gi: np.ndarray,
                           ti: np.ndarray, load: np.ndarray) -> float:
    """Weak-duality bound from the group LP's capacity duals u (T, D).

    Scaling each shape's u so that sum_d u_t,d <= price_t and setting
    w_g = min over fitting t of sum_d u_t,d load_g,t,d gives a feasible dual, whose
    objective sum_g w_g bounds the LP (and so every placement) from below.
    """
    per_shape = duals.sum(axis=1)
    duals = duals / np.maximum(per_shape / prob.price[cands], 1.0)[:, None]
    value = (duals[ti] * load).sum(axis=1)
    best = np.full(len(prob.count), np.inf)
    np.minimum.at(best, gi, value)
    return float(best.sum())


def _largest_replica_bound(prob: _Problem) -> float:
    """Some node must hold the largest replica: the cheapest shape that fits each group, maximised."""
    return max(float(prob.price[prob.fits[k]].min()) for k in range(len(prob.count)) if prob.count[k])
