"""Tests for exact packing: optimal against an independent MILP, monotone, and what place() makes of it."""

from __future__ import annotations

from unittest.mock import patch

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from advisor.capacity.placement import NodeShape, PodGroup, exact_packing, patterns, place
from advisor.capacity.placement.exact_packing import solve_exact
from tests.advisor.test_placement import assert_valid, group, shape

REQUESTS = [(1, 1, 1), (2, 1, 1), (1, 3, 1), (3, 2, 1), (2, 5, 1)]
CAPACITIES = [(4, 4, 3), (6, 8, 8), (3, 10, 2), (8, 6, 5), (1, 1, 1), (1, 0, 4)]   # the last fits no request


def arrays(groups, shapes):
    """(req, count, cap, price) of drawn groups and shapes, with a last shape that holds every request."""
    return (np.array([r for r, _ in groups], dtype=np.int64), np.array([n for _, n in groups], dtype=np.int64),
            np.array([c for c, _ in shapes] + [(8, 10, 8)], dtype=np.int64), np.array([p for _, p in shapes] + [4.0]))


def milp_optimum(req: np.ndarray, count: np.ndarray, cap: np.ndarray, price: np.ndarray, min_nodes: int) -> float:
    """The same problem as an assignment MILP (HiGHS): node slots y[t, k], replicas x[g, t, k].

    Independent of the dynamic programme: it knows nothing of patterns, states or levels.
    """
    groups, shapes, slots = len(count), len(price), int(max(count.sum(), min_nodes))
    ny = shapes * slots
    nx = groups * ny
    cost = np.concatenate([np.repeat(price, slots), np.zeros(nx)])
    rows, lo, hi = [], [], []
    for g in range(groups):                      # every replica placed
        row = np.zeros(ny + nx)
        row[ny + g * ny: ny + (g + 1) * ny] = 1
        rows.append(row), lo.append(count[g]), hi.append(count[g])
    for t in range(shapes):                      # capacity of each opened node, per dimension
        for k in range(slots):
            y = t * slots + k
            for d in range(req.shape[1]):
                row = np.zeros(ny + nx)
                row[y] = -cap[t, d]
                row[[ny + g * ny + y for g in range(groups)]] = req[:, d]
                rows.append(row), lo.append(-np.inf), hi.append(0)
    floor = np.zeros(ny + nx)
    floor[:ny] = 1
    rows.append(floor), lo.append(min_nodes), hi.append(np.inf)
    res = milp(cost, constraints=LinearConstraint(np.array(rows), lo, hi), integrality=np.ones(ny + nx),
               bounds=Bounds(0, np.concatenate([np.ones(ny), np.full(nx, np.inf)])), options={"mip_rel_gap": 0})
    assert res.status == 0
    return float(res.fun)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(REQUESTS), st.integers(1, 4)), min_size=1, max_size=2),
       st.lists(st.tuples(st.sampled_from(CAPACITIES), st.sampled_from([0.6, 1.0, 1.7, 2.5, 3.0])),
                min_size=1, max_size=3),
       st.integers(0, 3))
def test_dynamic_programme_matches_an_assignment_milp(groups, shapes, min_nodes):
    req, count, cap, price = arrays(groups, shapes)
    exact = solve_exact(req, count, cap, price, min_nodes)
    assert exact is not None
    assert exact.usd_per_hour == pytest.approx(milp_optimum(req, count, cap, price, min_nodes), abs=1e-9)
    # The packing it returns is that cheap and valid: every replica once, every node within capacity.
    assert exact.counts.sum(axis=0).tolist() == count.tolist()
    assert ((exact.counts @ req) <= cap[exact.shape]).all()
    assert len(exact.shape) >= min_nodes
    assert exact.usd_per_hour == pytest.approx(price[exact.shape].sum())
    # The floor layers are computed only where they are read; each optimum with at least j nodes is still the MILP's.
    for j, usd in enumerate(exact.floor_usd):
        assert usd == pytest.approx(milp_optimum(req, count, cap, price, j), abs=1e-9)


def plain_maximal_patterns(states, stride, count, load, cap, price):
    """The maximal patterns as first written: one boolean per (state, shape), no bit packing."""
    feasible = (load[:, None, :] <= cap[None, :, :]).all(axis=2)
    index = np.arange(len(states))
    maximal = feasible.copy()
    for g in range(len(count)):
        room = states[:, g] < count[g]
        maximal &= ~(feasible[np.where(room, index + stride[g], index)] & room[:, None])
    maximal[0] = False
    chosen = np.flatnonzero(maximal.any(axis=1))
    pattern_price = np.where(feasible[chosen], price[None, :], np.inf)
    return chosen, pattern_price.argmin(axis=1), pattern_price.min(axis=1)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(REQUESTS), st.integers(1, 6)), min_size=1, max_size=3),
       st.integers(1, 140), st.integers(0, 2**32 - 1))
@example([((1, 1, 1), 3), ((2, 5, 1), 2)], 64, 1)
@example([((1, 1, 1), 3), ((2, 5, 1), 2)], 65, 2)
@example([((1, 3, 1), 4)], 128, 3)
def test_packed_maximality_is_the_plain_one(groups, shapes, seed):
    """Fitting shapes as bit sets, 64 to a word (one, two or three words), give the plain boolean answer."""
    rng = np.random.default_rng(seed)
    req = np.array([r for r, _ in groups], dtype=np.int64)
    count = np.array([n for _, n in groups], dtype=np.int64)
    cap = rng.integers(0, 12, size=(shapes, 3))
    # Half the draws price shapes from three values: ties go to the lower shape index, as argmin's do.
    price = rng.uniform(0.1, 5.0, size=shapes) if seed % 2 else rng.choice([0.5, 1.0, 2.0], size=shapes)
    states, stride = exact_packing._states(count)
    load = states @ req
    found = patterns.maximal_patterns(states, stride, count, load, cap, price)
    for got, want in zip(found, plain_maximal_patterns(states, stride, count, load, cap, price), strict=True):
        np.testing.assert_array_equal(got, want)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(REQUESTS), st.integers(1, 6)), min_size=1, max_size=3),
       st.lists(st.tuples(st.sampled_from(CAPACITIES), st.sampled_from([0.6, 1.0, 1.7, 2.5])), min_size=1, max_size=3),
       st.integers(0, 2), st.integers(1, 40))
def test_levels_solved_in_slices_give_the_same_packing(groups, shapes, min_nodes, slice_pairs):
    """A wide level is solved a few states at a time (LEVEL_SLICE_PAIRS): the same values, choices and nodes."""
    req, count, cap, price = arrays(groups, shapes)
    whole = solve_exact(req, count, cap, price, min_nodes)
    with patch.object(exact_packing, "LEVEL_SLICE_PAIRS", slice_pairs):
        sliced = solve_exact(req, count, cap, price, min_nodes)
    assert whole is not None and sliced is not None
    assert (sliced.usd_per_hour, sliced.floor_usd, sliced.work) == (whole.usd_per_hour, whole.floor_usd, whole.work)
    np.testing.assert_array_equal(sliced.shape, whole.shape)
    np.testing.assert_array_equal(sliced.counts, whole.counts)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(REQUESTS), st.integers(1, 5)), min_size=1, max_size=3),
       st.lists(st.tuples(st.sampled_from(CAPACITIES), st.sampled_from([0.6, 1.0, 1.7, 2.5])), min_size=1, max_size=3),
       st.integers(0, 6))
def test_the_work_limit_is_the_work_reported(groups, shapes, min_nodes):
    """A solve succeeds with the limit at the work it reports, with the same nodes, and declines one pair below:
    the floor layers are counted by the rows they compute, as they are computed only when read."""
    req, count, cap, price = arrays(groups, shapes)
    solved = solve_exact(req, count, cap, price, min_nodes)
    assert solved is not None
    with patch.object(exact_packing, "EXACT_MAX_WORK", solved.work):
        again = solve_exact(req, count, cap, price, min_nodes)
    with patch.object(exact_packing, "EXACT_MAX_WORK", solved.work - 1):
        assert solve_exact(req, count, cap, price, min_nodes) is None
    assert again is not None and (again.work, again.floor_usd) == (solved.work, solved.floor_usd)
    assert again.shape.tolist() == solved.shape.tolist() and again.counts.tolist() == solved.counts.tolist()


def test_a_floor_above_the_optimums_nodes_costs_its_rows_not_whole_tables():
    """Six nodes required where the optimum needs four: the floor layers are read at a few states (35 states x
    5 patterns, 510 pairs in all against 7 x 175 for whole tables), so a limit of 600 still solves it exactly."""
    req, count = np.array([[1, 1, 1], [2, 5, 1]]), np.array([6, 4])
    cap, price = np.array([[4, 4, 3], [6, 8, 8], [8, 10, 8]]), np.array([0.6, 1.0, 4.0])
    assert len(solve_exact(req, count, cap, price).shape) == 4
    with patch.object(exact_packing, "EXACT_MAX_WORK", 600):
        solved = solve_exact(req, count, cap, price, min_nodes=6)
    assert solved is not None and solved.work == 510 and len(solved.shape) == 6
    assert solved.usd_per_hour == pytest.approx(milp_optimum(req, count, cap, price, 6), abs=1e-9)


def test_declines_beyond_its_limits():
    req = np.array([[1, 1, 1]], dtype=np.int64)
    cap = np.array([[4, 4, 4]], dtype=np.int64)
    price = np.array([1.0])
    assert solve_exact(req, np.array([exact_packing.EXACT_MAX_STATES]), cap, price) is None
    assert solve_exact(req, np.array([exact_packing.EXACT_MAX_STATES - 1]), cap, price) is not None
    with patch.object(exact_packing, "EXACT_MAX_WORK", 10):
        assert solve_exact(req, np.array([20]), cap, price) is None


def test_groups_that_fit_none_of_the_shapes_are_declined_not_an_error():
    """The large-neighbourhood search asks for a few nodes' replicas on only the shapes cheaper than those
    nodes; when none of them holds a replica there is nothing to enumerate, and the answer is None."""
    req = np.array([[5, 1, 1], [6, 1, 1]], dtype=np.int64)
    cap = np.array([[4, 4, 4], [2, 8, 8]], dtype=np.int64)
    assert solve_exact(req, np.array([1, 2]), cap, np.array([1.0, 2.0])) is None
    assert solve_exact(req, np.array([1, 2]), cap, np.array([1.0, 2.0]), upper_usd=9.0) is None


def test_floor_of_nodes_uses_the_cheapest_mix_not_padding_with_the_used_shape():
    """6 small tasks, 3 AZs: one big node + 2 empty big ones ($0.9) loses to small nodes ($0.3):
    two hold the tasks (4 + 2) and the third, empty, is the cheapest shape."""
    groups = [group("api", 0.25, 0.5, 6)]
    p = place(groups, [shape("c.large", 2, 4, 0.3), shape("c.medium", 1, 2, 0.1)], min_nodes=3)
    assert_valid(p, groups, min_nodes=3)
    assert p.exact
    assert p.count_by_type == {"c.medium": 3}
    assert p.padded_nodes == 1
    assert p.usd_per_hour == pytest.approx(0.3)


def test_same_sized_services_are_packed_as_one_size_and_handed_back_by_name():
    groups = [group("a", 1, 2, 3), group("b", 1, 2, 4), group("c", 2, 2, 1)]
    p = place(groups, [shape("m.xlarge", 4, 16, 0.2), shape("m.large", 2, 8, 0.1)])
    assert_valid(p, groups)
    assert p.exact
    assert p.usd_per_hour == pytest.approx(0.5)   # 9 vCPU of requests on 4+4+2 vCPU


def test_an_optimum_with_more_types_than_the_limit_gives_way_to_the_heuristic():
    """14 x 1 vCPU with volume discounts: one node of each size (8 + 4 + 2 vCPU, $0.65) is optimal.
    Limited to one type, the heuristic answers ($0.70 for 7 x m.large) and the optimum stays the bound."""
    shapes = [shape("m.large", 2, 8, 0.1), shape("m.xlarge", 4, 16, 0.19), shape("m.2xlarge", 8, 32, 0.36)]
    groups = [group("api", 1, 1, 14)]
    free = place(groups, shapes)
    single = place(groups, shapes, max_types_in_mix=1)
    assert free.exact and not single.exact
    assert len(free.count_by_type) == 3 and len(single.count_by_type) == 1
    assert single.lower_bound_usd_per_hour == pytest.approx(free.usd_per_hour)   # the optimum is still a bound
    assert free.usd_per_hour == pytest.approx(0.65)
    assert single.usd_per_hour == pytest.approx(0.70)


@st.composite
def small_workloads(draw: st.DrawFn) -> list[PodGroup]:
    n = draw(st.integers(1, 3))
    return [PodGroup(name=f"g{i}", vcpu=draw(st.sampled_from([0.1, 0.25, 0.5, 1.0, 2.0])),
                     memory_mib=draw(st.sampled_from([128, 512, 1024, 2048, 4096])), count=draw(st.integers(1, 12)),
                     architecture=draw(st.sampled_from(["x86_64", "x86_64", "arm64"])))
            for i in range(n)]


@st.composite
def priced_shapes(draw: st.DrawFn) -> list[NodeShape]:
    """1-5 sizes per architecture (arm64 a little cheaper) and a big node of each that holds any group."""
    shapes = []
    for arch, discount in (("x86_64", 1.0), ("arm64", 0.8)):
        sizes = draw(st.lists(st.tuples(st.sampled_from([1, 2, 4, 8]), st.sampled_from([2, 4, 8]),
                                        st.floats(0.02, 0.08)), min_size=1, max_size=5))
        shapes += [shape(f"{arch}-{i}", v, v * ratio, round(v * per_vcpu * discount, 4),
                         pods=draw(st.sampled_from([4, 29, 110])), arch=arch)
                   for i, (v, ratio, per_vcpu) in enumerate(sizes)]
        shapes.append(shape(f"{arch}-big", 16, 64, discount, arch=arch))
    return shapes


def test_a_floor_shared_by_two_architectures_is_split_at_least_cost():
    """3 AZs, 4 x86 replicas and 1 arm64 one. Each architecture's own optimum (one m.xlarge,
    one mg.large) needs a third, empty node ($0.35); two half-size x86 nodes meet the floor for $0.28."""
    shapes = [shape("m.xlarge", 4, 16, 0.19), shape("m.large", 2, 8, 0.1), shape("mg.large", 2, 8, 0.08, arch="arm64")]
    groups = [group("web", 1, 1, 4), group("worker", 1, 1, 1, arch="arm64")]
    p = place(groups, shapes, min_nodes=3)
    assert_valid(p, groups, min_nodes=3)
    assert p.exact
    assert p.count_by_type == {"m.large": 2, "mg.large": 1}
    assert p.padded_nodes == 0
    assert p.usd_per_hour == pytest.approx(0.28)


@settings(max_examples=80, deadline=None)
@given(small_workloads(), priced_shapes(), st.integers(0, 2), st.integers(1, 6), st.integers(0, 3))
def test_more_replicas_never_cost_less(groups, shapes, index, extra, min_nodes):
    """Strict monotonicity wherever the optimum is computed (here: always, the workloads are small)."""
    small = place(groups, shapes, min_nodes=min_nodes)
    g = groups[index % len(groups)]
    more = [PodGroup(name=h.name, vcpu=h.vcpu, memory_mib=h.memory_mib, count=h.count + extra * (h is g),
                     architecture=h.architecture) for h in groups]
    large = place(more, shapes, min_nodes=min_nodes)
    assert small.exact and large.exact
    assert large.usd_per_hour >= small.usd_per_hour - 1e-12
    assert small.gap_ratio == pytest.approx(1.0)


@settings(max_examples=40, deadline=None)
@given(small_workloads(), priced_shapes(), st.integers(0, 3))
def test_the_exact_answer_is_never_dearer_than_the_heuristic(groups, shapes, min_nodes):
    exact = place(groups, shapes, min_nodes=min_nodes)
    with patch.object(exact_packing, "EXACT_MAX_STATES", 0):
        heuristic = place(groups, shapes, min_nodes=min_nodes)
    assert not heuristic.exact
    assert exact.usd_per_hour <= heuristic.usd_per_hour + 1e-12
    assert heuristic.usd_per_hour >= exact.lower_bound_usd_per_hour - 1e-12


def test_nothing_to_place_is_pad_nodes_only():
    """A neighbourhood of empty pad nodes asks for nothing but the floor (hypothesis found the crash)."""
    req = np.array([[100, 64]], dtype=np.int64)
    cap = np.array([[1000, 1024], [16000, 65536]], dtype=np.int64)
    price = np.array([1.0, 0.8])
    for count in (np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64)):
        solved = solve_exact(req[:len(count)], count, cap, price, min_nodes=2)
        assert solved is not None and solved.shape.tolist() == [1, 1] and solved.usd_per_hour == 1.6
        assert solved.counts.shape == (2, len(count)) and not solved.counts.any()
        assert solved.floor_usd == (0.0, 0.8, 1.6)
    assert solve_exact(req, np.zeros(1, dtype=np.int64), cap, price).shape.tolist() == []
