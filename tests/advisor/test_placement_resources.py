"""Placement over D >= 3 resources: per-group and per-node extra resources (e.g. ECS ``host`` network mode)."""

from __future__ import annotations

from collections import Counter

import pytest

from advisor.capacity.placement import NodeShape, PodGroup, exact_packing, place
from advisor.errors import InvalidWorkload, PlacementError
from tests.advisor.test_placement import assert_valid, group, shape

HOST_WEB = "host-port:web"


def web(count: int) -> PodGroup:
    """A service in ECS ``host`` network mode: its port is the node's, so one replica per node."""
    return PodGroup(name="web", vcpu=0.5, memory_mib=512, count=count, extra=((HOST_WEB, 1),))


def per_node(placement, name: str) -> list[int]:
    return [dict(n.pods).get(name, 0) for n in placement.nodes]


@pytest.fixture(params=["exact", "heuristic"])
def solver(request, monkeypatch):
    if request.param == "heuristic":
        monkeypatch.setattr(exact_packing, "EXACT_MAX_STATES", 0)
    return request.param


def test_one_replica_per_node_when_every_node_offers_one_unit(solver):
    """Three host-mode replicas would fit one large node by CPU and memory; the port allows one each."""
    shapes = [shape("m.xlarge", 4, 16, 0.2), shape("m.large", 2, 8, 0.1)]
    groups = [web(3), group("api", 1, 2, 2)]
    p = place(groups, shapes, node_resources={HOST_WEB: 1})
    assert_valid(p, groups)
    assert max(per_node(p, "web")) == 1
    assert p.node_count >= 3
    assert sum(per_node(p, "web")) == 3
    # Without the resource, the same workload fits fewer nodes: the extra dimension is what spreads it.
    plain = place([group("web", 0.5, 0.5, 3), group("api", 1, 2, 2)], shapes)
    assert plain.node_count < p.node_count


def test_a_shape_can_offer_its_own_amount(solver):
    """A shape's extra_capacity overrides the per-node default: here one shape offers two units."""
    double = NodeShape(instance_type="d.xlarge", architecture="x86_64", capacity_vcpu=4, capacity_memory_mib=16384,
                       allocatable_vcpu=4, allocatable_memory_mib=16384, max_pods=110, usd_per_hour=0.2,
                       extra_capacity=((HOST_WEB, 2),))
    p = place([web(4)], [double], node_resources={HOST_WEB: 1})
    assert Counter(per_node(p, "web")) == Counter({2: 2})


def test_a_node_without_the_resource_takes_no_such_replica():
    with pytest.raises(PlacementError, match=r"web.*host-port:web"):
        place([web(1)], [shape("m.large", 2, 8, 0.1)])


def test_extra_resources_are_validated():
    with pytest.raises(InvalidWorkload, match="extra"):
        PodGroup(name="x", vcpu=1, memory_mib=1, count=1, extra=(("", 1),))
    with pytest.raises(InvalidWorkload, match="extra"):
        PodGroup(name="x", vcpu=1, memory_mib=1, count=1, extra=((HOST_WEB, -1),))
    with pytest.raises(InvalidWorkload, match="once"):
        PodGroup(name="x", vcpu=1, memory_mib=1, count=1, extra=((HOST_WEB, 1), (HOST_WEB, 2)))
    with pytest.raises(InvalidWorkload, match="node_resources"):
        place([web(1)], [shape("m.large", 2, 8, 0.1)], node_resources={HOST_WEB: -1})
    assert PodGroup(name="x", vcpu=1, memory_mib=1, count=1, extra={"b": 1, "a": 2}).extra == (("a", 2), ("b", 1))
