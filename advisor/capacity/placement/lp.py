"""Linear programmes of placement, solved by HiGHS exactly as ``scipy.optimize.linprog(method="highs")`` does.

Why this exists
---------------
Placement solves small LPs (the covering and group bounds, the LP-guided mixes, the pattern
LP of reduced-cost fixing): hundreds of variables, solved in about 2.5 ms, thousands of
times in an analysis.  ``linprog`` spends longer than that around each solve: parsing and
checking its inputs, validating a dozen options one by one, and packing a result object
(measured on a 100-point sweep: 784 LPs, 4.7 s in ``linprog`` of which 2.0 s in HiGHS).
This module hands the same model, with the same options, to the same HiGHS build
(scipy's, ``scipy.optimize._highspy``), so the answers are the ones ``linprog`` gives,
vertex for vertex (``tests/advisor/test_placement_lp.py`` compares them), without the
wrapping.  Where that private module is missing (another scipy), ``linprog`` itself is used.

An LP solved many times with other right-hand sides (the group LP of every placement of an
analysis) can start from an optimal basis of one of them (:func:`optimal_basis`): the dual
simplex then needs a handful of iterations instead of hundreds (the 172 group LPs of a
1,000-draw Monte Carlo: about 44,000 iterations in all from scratch, 1,200 so started). The
value is the same; where the optimum is not unique, the vertex may be another one.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse


@dataclass(frozen=True, slots=True)
class LpSolution:
    """An optimal solution: the variables and the constraints' dual values (linprog's ``marginals``)."""

    x: np.ndarray
    ineq_marginals: np.ndarray   # one per row of A_ub, <= 0 for a minimisation
    eq_marginals: np.ndarray     # one per row of A_eq


def minimize(cost: np.ndarray, a_ub: np.ndarray | sparse.spmatrix, b_ub: np.ndarray,
             a_eq: np.ndarray | sparse.spmatrix | None = None, b_eq: np.ndarray | None = None) -> LpSolution | None:
    """``min cost . x`` s.t. ``a_ub x <= b_ub``, ``a_eq x = b_eq``, ``x >= 0``; None unless solved to optimality."""
    stacked = [a_ub] if a_eq is None else [a_ub, a_eq]
    a = sparse.csc_array(sparse.vstack(stacked) if any(sparse.issparse(m) for m in stacked) else np.vstack(stacked))
    return minimize_stacked(cost, a, b_ub, np.zeros(0) if b_eq is None else b_eq)


def minimize_stacked(cost: np.ndarray, a: sparse.csc_array, b_ub: np.ndarray, b_eq: np.ndarray,
                     start: Any = None) -> LpSolution | None:
    """:func:`minimize` with the constraint matrix already stacked by columns: the first ``len(b_ub)`` rows
    of ``a`` are the inequalities, the rest the equalities.

    A caller whose matrix has a known layout (the group LP) writes its columns directly: scipy's
    COO -> CSR -> stacked -> CSC conversions cost more than building the model did. ``start`` is
    an optimal basis of a like LP (:func:`optimal_basis`: the same matrix and costs, other
    right-hand sides), from which the dual simplex needs a few iterations instead of hundreds.
    """
    highs = _core()
    if highs is None:
        return _by_linprog(np.asarray(cost, dtype=float), a, np.asarray(b_ub, dtype=float),
                           np.asarray(b_eq, dtype=float))
    solver = _run(highs, cost, a, b_ub, b_eq, start)
    if solver is None and start is not None:   # not solved from the start given: from scratch, as linprog would
        solver = _run(highs, cost, a, b_ub, b_eq, None)
    if solver is None:
        return None
    solution = solver.getSolution()
    duals = np.array(solution.row_dual)
    return LpSolution(x=np.array(solution.col_value), ineq_marginals=duals[:len(b_ub)],
                      eq_marginals=duals[len(b_ub):])


def optimal_basis(cost: np.ndarray, a: sparse.csc_array, b_ub: np.ndarray, b_eq: np.ndarray) -> Any:
    """An optimal basis of the LP of :func:`minimize_stacked`, to ``start`` like LPs from (None: no
    optimum, or no HiGHS to start from)."""
    highs = _core()
    solver = None if highs is None else _run(highs, cost, a, b_ub, b_eq, None)
    return None if solver is None else solver.getBasis()


def _run(highs: Any, cost: np.ndarray, a: sparse.csc_array, b_ub: np.ndarray, b_eq: np.ndarray,
         start: Any) -> Any:
    """A HiGHS solver that has solved the LP to optimality (from the basis ``start``, if any), or None."""
    cost = np.asarray(cost, dtype=float)
    b_ub = np.asarray(b_ub, dtype=float)
    b_eq = np.asarray(b_eq, dtype=float)
    n_col = len(cost)
    # The model by arrays (one copy each), not a HighsLp's attributes (a Python sequence each, element by
    # element): the same LP, as HiGHS's own passModel(lp) of the arrays builds it.
    solver = highs._Highs()
    solver.passOptions(_options(highs))
    solver.passModel(n_col, len(b_ub) + len(b_eq), a.nnz, int(highs.MatrixFormat.kColwise),
                     int(highs.ObjSense.kMinimize), 0.0, cost, np.zeros(n_col), np.full(n_col, highs.kHighsInf),
                     np.concatenate([np.full(len(b_ub), -highs.kHighsInf), b_eq]), np.concatenate([b_ub, b_eq]),
                     a.indptr.astype(np.int32, copy=False), a.indices.astype(np.int32, copy=False),
                     a.data.astype(float, copy=False), np.zeros(n_col, dtype=np.int32))
    if start is not None:
        solver.setBasis(start)
    solver.run()
    return solver if solver.getModelStatus() == highs.HighsModelStatus.kOptimal else None


def load_solver() -> None:
    """Load HiGHS now, in a process about to fork workers that will place (:func:`advisor.pool.parallel_map`).

    Forked workers inherit what their parent has loaded, but load on their own what it has
    not: scipy.optimize, HiGHS's package, costs about 0.18 s, paid again by every worker of
    every fork. An app that has placed nothing in its own process yet (its first scenario was
    large enough for the workers) forks twice or more per analysis: measured in such a
    process, a 12-point replica sweep of the microservices example took 1.64-1.84 s with the
    parent's HiGHS against 2.18-2.33 s without.
    """
    _core()


@functools.cache
def _core() -> Any:
    """The HiGHS build linprog(method="highs") uses (scipy >= 1.15), or None in another scipy.

    Imported on first use (8 ms): a one-service estimate may solve no LP at all. Remembered,
    as an import statement that finds the module loaded still costs about 30 µs a solve.
    """
    try:
        from scipy.optimize._highspy import _core as core
    except ImportError:   # another scipy layout: linprog itself answers
        return None
    return core


@functools.cache
def _options(highs: Any) -> Any:
    """The options linprog(method="highs") sets by default: presolve on, dual simplex, silent (made once:
    HiGHS copies them into each solver)."""
    options = highs.HighsOptions()
    options.presolve = "on"
    options.highs_debug_level = int(highs.HighsDebugLevel.kHighsDebugLevelNone)
    options.log_to_console = False
    options.output_flag = False
    options.simplex_strategy = int(highs.simplex_constants.SimplexStrategy.kSimplexStrategyDual)
    return options


def _by_linprog(cost: np.ndarray, a: sparse.csc_array, b_ub: np.ndarray, b_eq: np.ndarray) -> LpSolution | None:
    from scipy.optimize import linprog

    n_ub = len(b_ub)
    equalities = len(b_eq) > 0
    res = linprog(cost, A_ub=a[:n_ub], b_ub=b_ub, A_eq=a[n_ub:] if equalities else None,
                  b_eq=b_eq if equalities else None, bounds=(0, None), method="highs")
    if res.status != 0:
        return None
    eq = res.eqlin.marginals if equalities else np.zeros(0)
    return LpSolution(x=res.x, ineq_marginals=res.ineqlin.marginals, eq_marginals=eq)
