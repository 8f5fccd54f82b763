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
    b_eq = np.zeros(0) if b_eq is None else np.asarray(b_eq, dtype=float)
    highs = _core()
    if highs is None:
        return _by_linprog(cost, a_ub, b_ub, a_eq, b_eq)
    cost = np.asarray(cost, dtype=float)
    b_ub = np.asarray(b_ub, dtype=float)
    stacked = [a_ub] if a_eq is None else [a_ub, a_eq]
    a = sparse.csc_array(sparse.vstack(stacked) if any(sparse.issparse(m) for m in stacked) else np.vstack(stacked))
    lp = highs.HighsLp()
    lp.num_col_, lp.num_row_ = len(cost), len(b_ub) + len(b_eq)
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = lp.num_col_, lp.num_row_
    lp.a_matrix_.format_ = highs.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = a.indptr, a.indices, a.data
    lp.col_cost_ = cost
    lp.col_lower_ = np.zeros(len(cost))
    lp.col_upper_ = np.full(len(cost), highs.kHighsInf)
    lp.row_lower_ = np.concatenate([np.full(len(b_ub), -highs.kHighsInf), b_eq])
    lp.row_upper_ = np.concatenate([b_ub, b_eq])
    solver = highs._Highs()
    solver.passOptions(_options(highs))
    solver.passModel(lp)
    solver.run()
    if solver.getModelStatus() != highs.HighsModelStatus.kOptimal:
        return None
    solution = solver.getSolution()
    duals = np.array(solution.row_dual)
    return LpSolution(x=np.array(solution.col_value), ineq_marginals=duals[:len(b_ub)],
                      eq_marginals=duals[len(b_ub):])


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


def _options(highs: Any) -> Any:
    """The options linprog(method="highs") sets by default: presolve on, dual simplex, silent."""
    options = highs.HighsOptions()
    options.presolve = "on"
    options.highs_debug_level = int(highs.HighsDebugLevel.kHighsDebugLevelNone)
    options.log_to_console = False
    options.output_flag = False
    options.simplex_strategy = int(highs.simplex_constants.SimplexStrategy.kSimplexStrategyDual)
    return options


def _by_linprog(cost: np.ndarray, a_ub: np.ndarray | sparse.spmatrix, b_ub: np.ndarray,
                a_eq: np.ndarray | sparse.spmatrix | None, b_eq: np.ndarray) -> LpSolution | None:
    from scipy.optimize import linprog

    res = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq if a_eq is not None else None, bounds=(0, None),
                  method="highs")
    if res.status != 0:
        return None
    eq = res.eqlin.marginals if a_eq is not None else np.zeros(0)
    return LpSolution(x=res.x, ineq_marginals=res.ineqlin.marginals, eq_marginals=eq)
