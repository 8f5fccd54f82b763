"""Placement's LPs: HiGHS called directly gives linprog(method="highs")'s answers, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse
from scipy.optimize import linprog

from advisor.capacity.placement import lp


def _linprog(cost, a_ub, b_ub, a_eq=None, b_eq=None):
    res = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
    return res if res.status == 0 else None


def _covering(rng: np.random.Generator):
    """A covering LP like the bounds' and the pattern LP's: min price . x, capacity x >= demand."""
    shapes, dims = rng.integers(3, 40), rng.integers(2, 6)
    cap = rng.integers(0, 50, size=(dims, shapes)).astype(float)
    return rng.uniform(0.01, 3.0, size=shapes), -cap, -rng.uniform(1, 200, size=dims)


def _grouped(rng: np.random.Generator):
    """A group LP like :func:`advisor.capacity.placement.bounds._group_lp`: sparse, with equalities."""
    groups, shapes = rng.integers(1, 8), rng.integers(2, 30)
    load = rng.uniform(0, 2, size=(groups * shapes, 3))
    rows, cols, vals = [], [], []
    for v in range(groups * shapes):
        t = v % shapes
        for d in range(3):
            rows.append(t * 3 + d), cols.append(v), vals.append(load[v, d])
    for t in range(shapes):
        for d in range(3):
            rows.append(t * 3 + d), cols.append(groups * shapes + t), vals.append(-1.0)
    n = groups * shapes + shapes
    a_ub = sparse.csr_matrix((vals, (rows, cols)), shape=(3 * shapes, n))
    a_eq = sparse.csr_matrix((np.ones(groups * shapes), (np.arange(groups * shapes) // shapes,
                                                          np.arange(groups * shapes))), shape=(groups, n))
    cost = np.concatenate([np.zeros(groups * shapes), rng.uniform(0.01, 3.0, size=shapes)])
    return cost, a_ub, np.zeros(3 * shapes), a_eq, np.ones(groups)


@pytest.mark.parametrize("seed", range(40))
def test_the_direct_call_is_linprog_vertex_for_vertex(seed):
    rng = np.random.default_rng(seed)
    for problem in (_covering(rng), _grouped(rng)):
        ours, theirs = lp.minimize(*problem), _linprog(*problem)
        assert (ours is None) == (theirs is None)
        if ours is not None:
            assert ours.x.tolist() == theirs.x.tolist()
            assert ours.ineq_marginals.tolist() == theirs.ineqlin.marginals.tolist()
            if len(problem) > 3:
                assert ours.eq_marginals.tolist() == theirs.eqlin.marginals.tolist()


def test_infeasible_and_unbounded_programmes_have_no_solution():
    assert lp.minimize(np.ones(2), np.array([[1.0, 1.0]]), np.array([-1.0])) is None        # x >= 0, x1 + x2 <= -1
    assert lp.minimize(-np.ones(2), np.array([[-1.0, 0.0]]), np.array([0.0])) is None       # unbounded below


def test_without_scipys_highs_module_linprog_answers_the_same(monkeypatch):
    problem = _grouped(np.random.default_rng(7))
    direct = lp.minimize(*problem)
    monkeypatch.setattr(lp, "_core", lambda: None)
    fallback = lp.minimize(*problem)
    assert direct is not None and fallback is not None
    assert direct.x.tolist() == fallback.x.tolist()
    assert direct.eq_marginals.tolist() == fallback.eq_marginals.tolist()


@pytest.mark.parametrize("seed", range(20))
def test_the_group_lps_columns_are_the_matrix_scipy_builds_from_its_entries(seed):
    """The group LP writes its CSC arrays itself; they are scipy's for the same entries, array for array
    (so HiGHS gets the same model, and the same vertex, as when scipy converted them)."""
    from advisor.capacity.placement.bounds import _group_matrix

    rng = np.random.default_rng(seed)
    sizes, shapes, dims = rng.integers(1, 8), rng.integers(1, 30), rng.integers(2, 4)
    gi, ti = np.nonzero(rng.random((sizes, shapes)) < 0.7)
    load = rng.uniform(0, 2, size=(len(gi), dims))
    n_var, rows = len(gi), np.arange(dims * shapes)
    a_ub = sparse.csr_matrix(
        (np.concatenate([load.ravel(), -np.ones(dims * shapes)]),
         (np.concatenate([(ti[:, None] * dims + np.arange(dims)).ravel(), rows]),
          np.concatenate([np.repeat(np.arange(n_var), dims), n_var + rows // dims]))),
        shape=(dims * shapes, n_var + shapes))
    a_eq = sparse.csr_matrix((np.ones(n_var), (gi, np.arange(n_var))), shape=(sizes, n_var + shapes))
    theirs = sparse.csc_array(sparse.vstack([a_ub, a_eq]))
    ours = _group_matrix(load, gi, ti, shapes, sizes)
    assert ours.shape == theirs.shape
    for field in ("indptr", "indices", "data"):
        assert getattr(ours, field).tolist() == getattr(theirs, field).tolist()


def _assert_optimal(solution: lp.LpSolution, cost, a_ub, b_ub, a_eq, b_eq) -> None:
    """Primal feasible, dual feasible (reduced costs >= 0 for x >= 0) and no duality gap: optimal, whichever vertex."""
    a_ub, a_eq = sparse.csr_matrix(a_ub), sparse.csr_matrix(a_eq)
    scale = 1 + np.abs(cost).sum()
    assert (a_ub @ solution.x <= b_ub + 1e-9 * scale).all()
    assert np.allclose(a_eq @ solution.x, b_eq, atol=1e-9 * scale)
    assert (solution.x >= -1e-9).all()
    reduced = cost - a_ub.T @ solution.ineq_marginals - a_eq.T @ solution.eq_marginals
    assert (reduced >= -1e-9 * scale).all()
    assert (solution.ineq_marginals <= 1e-12).all()
    dual_value = solution.ineq_marginals @ b_ub + solution.eq_marginals @ b_eq
    assert cost @ solution.x == pytest.approx(dual_value, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("seed", range(40))
def test_a_like_lp_started_from_an_optimal_basis_is_solved_to_its_own_optimum(seed):
    """The group LP's start (:func:`advisor.capacity.placement.bounds._group_lp`): an optimal basis with one
    replica per size, for other counts (the equality rows and the share columns scaled): each solve started
    there is optimal for its own LP, at the value a cold solve finds."""
    rng = np.random.default_rng(seed)
    cost, a_ub, b_ub, a_eq, b_eq = _grouped(rng)
    stacked = sparse.csc_array(sparse.vstack([a_ub, a_eq]))
    start = lp.optimal_basis(cost, stacked, b_ub, b_eq)
    assert start is not None
    groups, shares = len(b_eq), a_eq.shape[1] - a_ub.shape[0] // 3
    for _ in range(5):
        count = rng.integers(1, 60, size=groups).astype(float)
        scale = np.concatenate([count[np.arange(shares) * groups // shares], np.ones(a_ub.shape[1] - shares)])
        scaled_ub = sparse.csr_matrix(a_ub @ sparse.diags(scale))
        warm = lp.minimize_stacked(cost, sparse.csc_array(sparse.vstack([scaled_ub, a_eq])), b_ub, b_eq, start)
        cold = lp.minimize(cost, scaled_ub, b_ub, a_eq, b_eq)
        assert warm is not None and cold is not None
        _assert_optimal(warm, cost, scaled_ub, b_ub, a_eq, b_eq)
        assert cost @ warm.x == pytest.approx(cost @ cold.x, rel=1e-9, abs=1e-12)


def test_without_an_optimum_there_is_no_basis_to_start_from():
    infeasible = sparse.csc_array(np.array([[1.0, 1.0]]))
    assert lp.optimal_basis(np.ones(2), infeasible, np.array([-1.0]), np.zeros(0)) is None


def test_an_lp_not_solved_from_its_start_is_solved_from_scratch(monkeypatch):
    cost, a_ub, b_ub, a_eq, b_eq = _grouped(np.random.default_rng(3))
    stacked = sparse.csc_array(sparse.vstack([a_ub, a_eq]))
    start = lp.optimal_basis(cost, stacked, b_ub, b_eq)
    cold = lp.minimize_stacked(cost, stacked, b_ub, b_eq)
    real = lp._run
    monkeypatch.setattr(lp, "_run", lambda highs, *args: None if args[-1] is not None else real(highs, *args))
    started = lp.minimize_stacked(cost, stacked, b_ub, b_eq, start)
    assert started is not None and cold is not None
    assert started.x.tolist() == cold.x.tolist()
