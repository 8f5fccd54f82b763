"""The large-neighbourhood search of placement: exact re-solves of a few nodes at a time."""

from __future__ import annotations

from itertools import combinations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.capacity.placement import resolve
from advisor.capacity.placement.first_fit import _cost, _pack_new
from advisor.capacity.placement.problem import _Packing, _problem
from tests.advisor.test_exact_packing import priced_shapes, small_workloads
from tests.advisor.test_placement import group, shape


def _start(groups, shapes):
    """One architecture's problem and a first-fit-decreasing packing of it (a start for the search)."""
    arch = groups[0].architecture
    prob, _ = _problem(arch, [g for g in groups if g.architecture == arch], shapes, 1.0)
    return prob, _pack_new(prob, prob.count, np.arange(len(prob.price)))


@settings(max_examples=60, deadline=None)
@given(small_workloads(), priced_shapes(), st.integers(0, 3), st.sampled_from([None, 1, 2]))
def test_the_search_keeps_every_replica_within_capacity_and_never_costs_more(groups, shapes, min_nodes, limit):
    prob, start = _start(groups, shapes)
    found = resolve._exact_repack(prob, start, limit, min_nodes)
    assert (found.counts.sum(axis=0) == prob.count).all()
    assert (found.counts @ prob.req <= prob.cap[found.shape]).all()
    assert _cost(prob, found, min_nodes) <= _cost(prob, start, min_nodes) + 1e-12
    if limit is not None:
        assert set(found.shape.tolist()) <= set(start.shape.tolist())


@settings(max_examples=40, deadline=None)
@given(small_workloads(), priced_shapes())
def test_no_part_of_a_set_of_nodes_that_cannot_be_repacked_cheaper_can_be(groups, shapes):
    """Why the search skips a neighbourhood inside one whose re-solve found nothing cheaper: a cheaper
    re-packing of the part, beside the rest of the set as it is, would be a cheaper re-packing of the set."""
    prob, pk = _start(groups, shapes)
    every = np.arange(len(prob.price))

    def cheaper(nodes: tuple[int, ...]) -> bool | None:
        spent = float(prob.price[pk.shape[list(nodes)]].sum())
        cheaper_shapes = every[prob.price < spent - 1e-9]
        if not len(cheaper_shapes):   # no shape is cheaper than these nodes together
            return False
        solved = resolve._exact(prob, pk.counts[list(nodes)].sum(axis=0), cheaper_shapes, 0)
        return None if solved is None else solved.usd_per_hour < spent - 1e-9

    whole = tuple(range(len(pk.shape)))
    if len(whole) < 2 or len(whole) > 6 or cheaper(whole) is not False:
        return
    for k in range(1, len(whole)):
        for part in combinations(whole, k):
            assert cheaper(part) is not True


def test_neighbourhoods_inside_one_that_found_nothing_cheaper_are_not_solved(monkeypatch):
    """An optimal packing of five nodes: the re-solve of all five finds nothing cheaper, and every other
    neighbourhood (the two to four least-filled nodes, each type's nodes) lies inside it."""
    shapes = [shape("small", 2, 8, 0.1), shape("large", 8, 32, 0.5)]
    groups = [group("a", 1.0, 2, 6), group("b", 0.5, 1, 4)]
    prob, _ = _problem("x86_64", groups, shapes, 1.0)
    solved = resolve._exact(prob, prob.count, np.arange(len(prob.price)), 0)
    assert solved is not None
    optimal = solved.packing
    five = _Packing(shape=np.concatenate([optimal.shape, np.zeros(5 - len(optimal.shape), dtype=np.int64)]),
                    counts=np.vstack([optimal.counts, np.zeros((5 - len(optimal.shape), len(prob.count)),
                                                               dtype=np.int64)]))
    assert len(optimal.shape) < 5 and _cost(prob, five) > _cost(prob, optimal)   # the search must drop empty nodes
    solves = []
    real = resolve._exact

    def counted(*args, **kwargs):
        solves.append(args[1].copy())
        return real(*args, **kwargs)

    monkeypatch.setattr(resolve, "_exact", counted)
    found = resolve._exact_repack(prob, five, None, 0)
    assert _cost(prob, found) == _cost(prob, optimal)
    # One re-solve of all five nodes (cheaper: the empty ones go), then one of what is left, which finds
    # nothing cheaper and holds every other neighbourhood.
    assert len(solves) == 2


def test_a_neighbourhood_of_more_states_than_the_search_solves_is_declined_before_it_is_enumerated(monkeypatch):
    shapes = [shape("small", 2, 8, 0.1), shape("large", 64, 256, 3.0)]
    groups = [group("a", 0.25, 0.5, 40), group("b", 0.5, 1, 30), group("c", 1.0, 2, 12)]
    prob, _ = _problem("x86_64", groups, shapes, 1.0)
    assert np.prod(prob.count + 1) > resolve.EXACT_REPACK_STATES   # 41 x 31 x 13 = 16,523 states
    asked = []
    monkeypatch.setattr(resolve, "_exact", lambda *args, **kwargs: asked.append(args))
    every = np.arange(len(prob.price))
    assert resolve._remembered({}, prob, prob.count, every, 0, resolve.EXACT_REPACK_WORK) is None
    assert resolve._remembered(None, prob, prob.count, every, 0, resolve.EXACT_REPACK_WORK) is None
    assert not asked
