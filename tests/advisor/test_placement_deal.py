"""Tests for the proportional deal's top-up choice: Python scores, numpy's choice."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.capacity.placement.deal import _best_match


def numpy_choice(cand: list[int], reqs: list[list[int]], room: list[int], scale: list[float]) -> int:
    """The choice as numpy made it before the deal moved to Python integers: the first largest product."""
    relative = np.array(reqs)[cand] / np.array(scale)
    return cand[int(np.argmax(relative @ (np.array(room) / np.array(scale))))]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 4_000_000), st.integers(0, 16_000_000), st.integers(1, 3)),
                min_size=2, max_size=7, unique=True),
       st.tuples(st.integers(0, 8_000_000), st.integers(0, 32_000_000), st.integers(0, 29)),
       st.tuples(st.integers(1, 8_000_000), st.integers(1, 32_000_000), st.integers(1, 29)))
def test_best_match_is_numpys_choice(reqs, room, cap):
    reqs = [list(r) for r in reqs]
    scale = [float(c) for c in cap]
    cand = list(range(len(reqs)))
    assert _best_match(cand, reqs, list(room), scale) == numpy_choice(cand, reqs, list(room), scale)


def test_tied_scores_go_to_the_first_candidate_as_numpy_did():
    # Mirror-image sizes in a square room score exactly alike: the first of them, as numpy's argmax says.
    reqs = [[3, 1, 1], [1, 3, 1], [2, 2, 1]]
    room, scale = [8, 8, 4], [8.0, 8.0, 4.0]
    assert _best_match([1, 0, 2], reqs, room, scale) == numpy_choice([1, 0, 2], reqs, room, scale) == 1
    assert _best_match([0, 1], reqs, room, scale) == 0
