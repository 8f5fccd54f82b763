"""Placement over D >= 3 resources: per-node limits (ECS ``host`` network mode) and tasks without a pod slot."""

from __future__ import annotations

from collections import Counter

import pytest

from advisor.capacity.placement import PodGroup, exact_packing, place
from advisor.errors import InvalidWorkload
from advisor.memo import scope
from tests.advisor.test_placement import GIB, assert_valid, group, shape


def web(count: int, limit: int | None = 1) -> PodGroup:
    """A service in ECS ``host`` network mode: its port is the node's, so one replica per node."""
    return PodGroup(name="web", vcpu=0.5, memory_mib=512, count=count, per_node_limit=limit)


def per_node(placement, name: str) -> list[int]:
    return [dict(n.pods).get(name, 0) for n in placement.nodes]


@pytest.fixture(params=["exact", "heuristic"])
def solver(request, monkeypatch):
    if request.param == "heuristic":
        monkeypatch.setattr(exact_packing, "EXACT_MAX_STATES", 0)
    return request.param


def test_one_replica_per_node_under_a_limit_of_one(solver):
    """Three host-mode replicas would fit one large node by CPU and memory; the port allows one each."""
    shapes = [shape("m.xlarge", 4, 16, 0.2), shape("m.large", 2, 8, 0.1)]
    groups = [web(3), group("api", 1, 2, 2)]
    p = place(groups, shapes)
    assert_valid(p, groups)
    assert max(per_node(p, "web")) == 1
    assert p.node_count >= 3
    # Without the limit, the same workload fits fewer nodes: the extra dimension is what spreads it.
    plain = place([web(3, None), group("api", 1, 2, 2)], shapes)
    assert plain.node_count < p.node_count


def test_a_limit_of_two_and_the_memo_tells_limits_apart(solver):
    """Placements are remembered by their inputs; the limit is one of them (limit 1 and 2 differ)."""
    shapes = [shape("m.xlarge", 4, 16, 0.2)]
    with scope():
        one, two = place([web(4, 1)], shapes), place([web(4, 2)], shapes)
    assert Counter(per_node(one, "web")) == Counter({1: 4})
    assert Counter(per_node(two, "web")) == Counter({2: 2})


def test_a_task_without_a_pod_slot_is_not_held_back_by_max_pods(solver):
    """An ECS ``bridge`` task (slots=0) uses the instance's network interface, not a trunk branch."""
    shapes = [shape("m.xlarge", 4, 16, 0.2, pods=1)]
    bridge = PodGroup(name="bridge", vcpu=0.5, memory_mib=0.5 * GIB, count=4, slots=0)
    p = place([bridge], shapes)
    assert p.node_count == 1
    assert place([group("awsvpc", 0.5, 0.5, 4)], shapes).node_count == 4


def test_limits_and_slots_are_validated():
    with pytest.raises(InvalidWorkload, match="per_node_limit"):
        PodGroup(name="x", vcpu=1, memory_mib=1, count=1, per_node_limit=0)
    with pytest.raises(InvalidWorkload, match="slots"):
        PodGroup(name="x", vcpu=1, memory_mib=1, count=1, slots=-1)
