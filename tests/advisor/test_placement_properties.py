"""Property tests of placement: every replica placed once, within allocatable, above the bound; monotone."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from advisor.capacity.placement import NodeShape, PlacedNode, Placement, PodGroup, place
from advisor.capacity.placement.bounds import _group_lp, _group_matrix
from advisor.capacity.placement.dual import _fill
from advisor.capacity.placement.problem import _problem
from advisor.errors import PlacementError
from tests.advisor.test_placement import assert_valid, replicas, shape

GIB = 1024.0


# --- properties -------------------------------------------------------------------------------

ARCHS = ("x86_64", "arm64")


@st.composite
def shape_sets(draw: st.DrawFn, big: bool = True) -> list[NodeShape]:
    """1-4 shapes per architecture plus (if ``big``) a 16 vCPU / 64 GiB node that every drawn group fits."""
    shapes = []
    for arch in ARCHS:
        for i in range(draw(st.integers(1, 4))):
            vcpu = draw(st.sampled_from([1, 2, 4, 8, 16]))
            gib = vcpu * draw(st.sampled_from([1, 2, 4, 8]))
            reserve = draw(st.sampled_from([0.0, 0.08]))
            shapes.append(NodeShape(
                instance_type=f"{arch}-{i}", architecture=arch, capacity_vcpu=vcpu, capacity_memory_mib=gib * GIB,
                allocatable_vcpu=vcpu * (1 - reserve), allocatable_memory_mib=gib * GIB * (1 - reserve),
                max_pods=draw(st.sampled_from([2, 4, 8, 29, 110])),
                usd_per_hour=draw(st.floats(0.01, 2.0, allow_nan=False)) * vcpu))
        if big:
            shapes.append(shape(f"{arch}-big", 16, 64, 0.8, arch=arch))
    return shapes


@st.composite
def workloads(draw: st.DrawFn) -> list[PodGroup]:
    n = draw(st.integers(1, 6))
    return [PodGroup(name=f"g{i}", vcpu=draw(st.sampled_from([0.1, 0.25, 0.5, 1.0, 1.5, 2.0])),
                     memory_mib=draw(st.sampled_from([64, 256, 512, 1000, 2048, 4096, 6000])),
                     count=draw(st.integers(0, 25)), architecture=draw(st.sampled_from(ARCHS)))
            for i in range(n)]


options = st.fixed_dictionaries({"min_nodes": st.integers(0, 4),
                                 "target_utilization": st.sampled_from([1.0, 0.85, 0.5]),
                                 "max_types_in_mix": st.none() | st.integers(1, 3)})


@settings(max_examples=150, deadline=None)
@given(workloads(), shape_sets(), options)
def test_every_replica_placed_once_within_allocatable_and_above_the_bound(groups, shapes, opts):
    p = place(groups, shapes, **opts)
    assert_valid(p, groups, min_nodes=opts["min_nodes"], u=opts["target_utilization"])
    for arch in ARCHS:
        kinds = {n.shape.instance_type for n in p.nodes if n.shape.architecture == arch}
        # The 16 vCPU node holds every drawn replica, so the limit is always attainable.
        assert len(kinds) <= (opts["max_types_in_mix"] or len(shapes))


@settings(max_examples=100, deadline=None)
@given(workloads(), shape_sets(big=False), options)
def test_placement_is_valid_or_names_a_group_that_fits_nowhere(groups, shapes, opts):
    """Without a node that holds everything, some groups may fit only some shapes (or none)."""
    u = opts["target_utilization"]
    try:
        p = place(groups, shapes, **opts)
    except PlacementError as err:
        unfit = [g for g in groups if g.count and not any(
            s.architecture == g.architecture and g.vcpu <= s.allocatable_vcpu * u
            and g.memory_mib <= s.allocatable_memory_mib * u for s in shapes)]
        assert any(f"pod group {g.name!r}" in str(err) for g in unfit), str(err)
        return
    assert_valid(p, groups, min_nodes=opts["min_nodes"], u=u)


def _with_more(groups: list[PodGroup], index: int, extra: int) -> list[PodGroup]:
    g = groups[index % len(groups)]
    bigger = PodGroup(name=g.name, vcpu=g.vcpu, memory_mib=g.memory_mib, count=g.count + extra,
                      architecture=g.architecture)
    return [bigger if h.name == g.name else h for h in groups]


def _restrict(placement: Placement, groups: list[PodGroup]) -> list[PlacedNode]:
    """The larger workload's nodes with surplus replicas removed and empty nodes dropped."""
    surplus = replicas(placement) - Counter({g.name: g.count for g in groups})
    by_name = {g.name: g for g in groups}
    nodes = []
    for node in placement.nodes:
        pods = []
        for name, n in node.pods:
            drop = min(n, surplus[name])
            surplus[name] -= drop
            if n - drop:
                pods.append((name, n - drop))
        if pods:
            nodes.append(PlacedNode(shape=node.shape, pods=tuple(pods),
                                    used_vcpu=sum(by_name[k].vcpu * c for k, c in pods),
                                    used_memory_mib=sum(by_name[k].memory_mib * c for k, c in pods),
                                    used_pods=sum(c for _, c in pods),
                                    used_slots=sum(by_name[k].slots * c for k, c in pods)))
    return nodes


@settings(max_examples=100, deadline=None)
@given(workloads(), shape_sets(), st.integers(0, 5), st.integers(1, 6))
def test_more_replicas_never_cost_less_than_the_smaller_workload_can(groups, shapes, index, extra):
    """Monotonicity, in the forms that hold by construction.

    - An exactly solved (optimal) placement is never dearer than any placement of a larger
      workload: strictly monotone.
    - Whatever the method, the larger workload never costs less than the smaller one's bound.
    - Removing the extra replicas from the larger workload's placement leaves a valid
      placement of the smaller workload that costs no more, which is why the optimum is monotone.
    """
    small = place(groups, shapes)
    more = _with_more(groups, index, extra)
    large = place(more, shapes)
    assert large.usd_per_hour >= small.lower_bound_usd_per_hour * (1 - 1e-9)
    if small.exact:
        assert large.usd_per_hour >= small.usd_per_hour * (1 - 1e-12)
    restricted = _restrict(large, groups)
    witness = Placement(nodes=tuple(restricted), usd_per_hour=sum(n.shape.usd_per_hour for n in restricted),
                        lower_bound_usd_per_hour=small.lower_bound_usd_per_hour)
    assert_valid(witness, groups)
    assert witness.usd_per_hour <= large.usd_per_hour + 1e-12


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([0.25, 0.5, 1.0, 2.0]), st.sampled_from([256, 1024, 4096]), st.integers(1, 60),
       st.integers(1, 10), shape_sets())
def test_more_replicas_of_one_group_on_one_shape_never_cost_less(vcpu, memory_mib, count, extra, shapes):
    """With a single shape and a single group the packing is exact (ceil(n / per node) nodes): strictly monotone."""
    x86 = [s for s in shapes if s.architecture == "x86_64"][:1]
    if vcpu > x86[0].allocatable_vcpu or memory_mib > x86[0].allocatable_memory_mib:
        x86 = [s for s in shapes if s.instance_type == "x86_64-big"]
    a = place([PodGroup(name="g", vcpu=vcpu, memory_mib=memory_mib, count=count)], x86)
    b = place([PodGroup(name="g", vcpu=vcpu, memory_mib=memory_mib, count=count + extra)], x86)
    assert b.usd_per_hour >= a.usd_per_hour


def _fill_every_size(prob, cap, order, left):
    """The dual greedy's node filling as first written: every size visited, in each shape's order."""
    shapes = np.arange(cap.shape[0])
    rem = cap.copy()
    take = np.zeros((cap.shape[0], len(left)), dtype=np.int64)
    for k in order:
        req = prob.req[k]
        fit = np.where(req > 0, rem // np.maximum(req, 1), np.iinfo(np.int64).max).min(axis=1)
        n = np.minimum(np.maximum(fit, 0), left[k])
        take[shapes, k] = n
        rem -= n[:, None] * req
    return take


@settings(max_examples=150, deadline=None)
@given(workloads(), shape_sets(), st.randoms(use_true_random=False))
def test_the_dual_greedy_fills_nodes_as_visiting_every_size_does(groups, shapes, rng):
    """Visiting only the sizes left, and stopping when no shape has room for the smallest, changes no node."""
    live = [g for g in groups if g.count > 0 and g.architecture == "x86_64"]
    if not live:
        return
    prob, _ = _problem("x86_64", live, shapes, 1.0)
    allowed = np.arange(len(prob.price))
    order = np.array([rng.sample(range(len(prob.count)), len(prob.count)) for _ in allowed]).T
    left = np.array([rng.randint(0, int(n)) for n in prob.count], dtype=np.int64)
    if not left.any():
        left[0] = 1
    assert np.array_equal(_fill(prob, prob.cap[allowed], order, left),
                          _fill_every_size(prob, prob.cap[allowed], order, left))


@settings(max_examples=100, deadline=None)
@given(workloads(), shape_sets())
def test_the_group_lp_started_from_one_replica_per_size_has_a_cold_solves_value(groups, shapes):
    """The group LP over every shape starts from its optimal basis with one replica per size (kept per sizes
    and shapes): for these counts, and for other counts of the same sizes, its value is linprog's."""
    live = [g for g in groups if g.count and g.architecture == "x86_64"]
    if not live:
        return
    prob, _ = _problem("x86_64", live, shapes, 1.0)
    every = np.arange(len(prob.price))
    for count in (prob.count, prob.count * 3 + 1, np.ones_like(prob.count)):
        variant = prob.with_count(count)
        mix, _ = _group_lp(variant, every)
        gi, ti = np.nonzero(variant.fits)
        cap = variant.cap.astype(float)
        load = (count[gi, None] * variant.req[gi]) / np.where(cap[ti] > 0, cap[ti], 1.0)
        a = _group_matrix(load, gi, ti, len(every), len(count))
        rows = variant.cap.shape[1] * len(every)
        cold = linprog(np.concatenate([np.zeros(len(gi)), variant.price]), A_ub=a[:rows], b_ub=np.zeros(rows),
                       A_eq=a[rows:], b_eq=np.ones(len(count)), bounds=(0, None), method="highs")
        assert float(mix.nodes @ variant.price) == pytest.approx(cold.fun, rel=1e-9, abs=1e-12)
        assert np.allclose(mix.split.sum(axis=1), 1.0)
