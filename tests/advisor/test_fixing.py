"""Reduced-cost fixing's duals by column generation: optimal for the whole pattern LP, and the packing is the same."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.capacity.placement import exact_packing, fixing
from advisor.capacity.placement.lp import minimize
from advisor.capacity.placement.patterns import maximal_patterns
from tests.advisor.test_exact_packing import CAPACITIES, REQUESTS, arrays

WORKLOADS = st.lists(st.tuples(st.sampled_from(REQUESTS), st.integers(1, 7)), min_size=2, max_size=4)
SHAPES = st.lists(st.tuples(st.sampled_from(CAPACITIES[:4]), st.sampled_from([0.6, 1.0, 1.7, 2.5, 3.0])),
                  min_size=1, max_size=4)


def _enumerated(groups, shapes):
    """A problem's states and maximal patterns as the exact solver enumerates them."""
    req, count, cap, price = arrays(groups, shapes)
    states, stride = exact_packing._states(count)
    return (count, price, states, stride, *maximal_patterns(states, stride, count, states @ req, cap, price))


def _patterns(groups, shapes):
    """(count, take, usd) of the pattern LP."""
    count, _, states, _, patterns, _, usd = _enumerated(groups, shapes)
    return count, states[patterns], usd


@settings(max_examples=60, deadline=None)
@given(WORKLOADS, SHAPES, st.sampled_from([1, 2, 5]))
def test_column_generation_reaches_the_whole_lps_optimum(groups, shapes, columns_per_round):
    """However few columns a round adds, the last duals are optimal: their value is the whole LP's."""
    count, take, usd = _patterns(groups, shapes)
    demand, columns = count.astype(float), take.T.astype(float)
    with patch.object(fixing, "FIRST_COLUMNS", columns_per_round), \
            patch.object(fixing, "ADDED_COLUMNS", columns_per_round):
        duals = fixing._pattern_duals(demand, columns, usd)
    whole = minimize(usd, -columns, -demand)
    assert duals is not None and whole is not None
    assert (usd - duals @ columns >= -1e-7).all()                  # dual feasible for every pattern
    assert duals @ demand == pytest.approx(float(usd @ whole.x), rel=1e-9)


@settings(max_examples=60, deadline=None)
@given(WORKLOADS, SHAPES, st.floats(1.0, 1.3))
def test_the_tighter_fixing_drops_what_the_whole_lp_drops(groups, shapes, slack):
    """The second set is within the first and within what the whole LP's duals keep: exact packing
    never declines a problem the whole LP's fixing would have let it solve."""
    count, take, usd = _patterns(groups, shapes)
    upper = float(usd.sum()) * slack
    sets = list(fixing.fixings(count, take, usd, upper))
    whole = minimize(usd, -take.T.astype(float), -count.astype(float))
    alone = fixing._kept(take.T.astype(float), count.astype(float), usd, upper,
                         np.maximum(-whole.ineq_marginals, 0.0))
    assert 1 <= len(sets) <= 2
    assert not (sets[-1] & ~sets[0]).any() and not (sets[-1] & ~alone).any()


@settings(max_examples=60, deadline=None)
@given(WORKLOADS, SHAPES, st.integers(0, 2), st.floats(1.0, 1.3))
def test_any_valid_fixing_gives_the_same_packing(groups, shapes, min_nodes, slack):
    """Every pattern of an optimal packing survives every valid fixing, and the recursion takes the
    first optimal pattern at each state: the same nodes, replica for replica, from either set."""
    count, price, states, stride, patterns, pattern_shape, usd = _enumerated(groups, shapes)
    full = exact_packing._solve(states, stride, patterns, pattern_shape, usd, price, min_nodes, 10 ** 9)
    assert full is not None
    for keep in fixing.fixings(count, states[patterns], usd, full.usd_per_hour * slack):
        fixed = exact_packing._solve(states, stride, patterns[keep], pattern_shape[keep], usd[keep], price,
                                     min_nodes, 10 ** 9)
        assert fixed is not None
        assert fixed.shape.tolist() == full.shape.tolist() and fixed.counts.tolist() == full.counts.tolist()
