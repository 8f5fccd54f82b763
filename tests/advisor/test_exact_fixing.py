"""Exact packing with a heuristic's cost: reduced-cost fixing keeps the optimum, and place() proves more."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.capacity.placement import exact_packing, place
from advisor.capacity.placement.exact_packing import solve_exact
from tests.advisor.test_exact_packing import CAPACITIES, REQUESTS, arrays
from tests.advisor.test_placement import assert_valid, group, shape


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(REQUESTS), st.integers(1, 6)), min_size=1, max_size=3),
       st.lists(st.tuples(st.sampled_from(CAPACITIES), st.sampled_from([0.6, 1.0, 1.7, 2.5, 3.0])),
                min_size=1, max_size=3),
       st.integers(0, 3), st.floats(1.0, 1.5))
def test_fixed_patterns_give_the_same_optimum(groups, shapes, min_nodes, slack):
    """With the work limit too small for every pattern, the patterns a packing cheaper than a
    known one could use still give the optimum (the full solve, itself checked against a MILP)."""
    req, count, cap, price = arrays(groups, shapes)
    full = solve_exact(req, count, cap, price, min_nodes)
    assert full is not None
    patterns = full.work // max(len(full.floor_usd), 1) // int(np.prod(count + 1))
    # Below half of states x patterns: neither the layered nor the single-layer solve of every pattern fits.
    limit = max(1, int(np.prod(count + 1)) * patterns // (2 * exact_packing.FIXED_SCALE) - 1)
    with patch.object(exact_packing, "EXACT_MAX_WORK", limit):
        assert solve_exact(req, count, cap, price, min_nodes) is None or patterns < 2
        fixed = solve_exact(req, count, cap, price, min_nodes, upper_usd=full.usd_per_hour * slack)
    if fixed is not None:
        assert fixed.usd_per_hour == pytest.approx(full.usd_per_hour, abs=1e-9)
        assert fixed.counts.sum(axis=0).tolist() == count.tolist()
        assert ((fixed.counts @ req) <= cap[fixed.shape]).all()
        assert len(fixed.shape) >= min_nodes


def test_a_mid_sized_workload_is_proven_optimal_after_the_heuristic():
    """Four sizes of 9-14 replicas on three AZs: too many patterns for the plain solve (the
    heuristic answers first), few enough once its cost rules most of them out."""
    shapes = [shape(f"m.{k}x", 2 * k, 8 * k, 0.1 * k * (1 - 0.01 * k)) for k in (1, 2, 4, 8)]
    shapes += [shape(f"c.{k}x", 2 * k, 4 * k, 0.085 * k) for k in (1, 2, 4, 8)]
    groups = [group("a", 0.5, 1, 9), group("b", 1, 4, 14), group("c", 0.25, 0.5, 11), group("d", 2, 3, 13)]
    placed = place(groups, shapes, min_nodes=3)
    assert_valid(placed, groups, min_nodes=3)
    with patch.object(exact_packing, "FIXED_SCALE", 0):   # no second, bounded attempt: the heuristic's answer
        heuristic = place(groups, shapes, min_nodes=3)
    assert placed.exact and not heuristic.exact
    assert placed.usd_per_hour <= heuristic.usd_per_hour + 1e-12
    assert placed.lower_bound_usd_per_hour == pytest.approx(placed.usd_per_hour)
