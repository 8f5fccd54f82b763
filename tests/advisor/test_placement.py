"""Tests for advisor.capacity.placement: hand-checkable packings, errors, and hypothesis invariants."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from advisor.capacity.placement import NodeShape, Placement, PodGroup, exact_packing, place
from advisor.errors import AdvisorError, InvalidWorkload, PlacementError

GIB = 1024.0


def shape(name: str, vcpu: float, memory_gib: float, usd: float, *, pods: int = 110,
          arch: str = "x86_64") -> NodeShape:
    """A node whose allocatable equals its capacity, so expected counts are plain arithmetic."""
    return NodeShape(instance_type=name, architecture=arch, capacity_vcpu=vcpu, capacity_memory_mib=memory_gib * GIB,
                     allocatable_vcpu=vcpu, allocatable_memory_mib=memory_gib * GIB, max_pods=pods, usd_per_hour=usd)


def group(name: str, vcpu: float, memory_gib: float, count: int, arch: str = "x86_64") -> PodGroup:
    return PodGroup(name=name, vcpu=vcpu, memory_mib=memory_gib * GIB, count=count, architecture=arch)


def replicas(placement: Placement) -> Counter[str]:
    counts: Counter[str] = Counter()
    for node in placement.nodes:
        for name, n in node.pods:
            counts[name] += n
    return counts


def assert_valid(placement: Placement, groups: list[PodGroup], min_nodes: int = 0, u: float = 1.0) -> None:
    """Every replica placed once, on its architecture, within (scaled) allocatable; prices add up."""
    assert replicas(placement) == Counter({g.name: g.count for g in groups if g.count})
    arch = {g.name: g.architecture for g in groups}
    by_name = {g.name: g for g in groups}
    for node in placement.nodes:
        assert all(arch[name] == node.shape.architecture for name, _ in node.pods)
        assert node.used_vcpu == pytest.approx(sum(by_name[n].vcpu * k for n, k in node.pods))
        assert node.used_vcpu <= node.shape.allocatable_vcpu * u * (1 + 1e-9)
        assert node.used_memory_mib <= node.shape.allocatable_memory_mib * u * (1 + 1e-9)
        assert node.used_pods == sum(k for _, k in node.pods)
        assert node.used_slots == sum(by_name[n].slots * k for n, k in node.pods) <= node.shape.max_pods
    assert placement.usd_per_hour == pytest.approx(sum(n.shape.usd_per_hour for n in placement.nodes))
    assert placement.usd_per_hour >= placement.lower_bound_usd_per_hour * (1 - 1e-9)
    if any(g.count for g in groups):
        assert placement.node_count >= min_nodes


@pytest.fixture
def heuristic_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Turn the exact solver off, so that small hand-checkable cases exercise the heuristic and its LP bounds."""
    monkeypatch.setattr(exact_packing, "EXACT_MAX_STATES", 0)


# --- hand-checkable cases -------------------------------------------------------------------


def test_ten_one_vcpu_pods_need_three_four_vcpu_nodes(heuristic_only):
    """10 x (1 vCPU, 2 GiB) on 4 vCPU / 16 GiB: CPU binds, 4 per node -> 3 nodes; the LP needs 2.5."""
    groups = [group("api", 1, 2, 10)]
    p = place(groups, [shape("m.xlarge", 4, 16, 0.2)])
    assert_valid(p, groups)
    assert p.node_count == 3
    assert sorted(n.used_pods for n in p.nodes) == [2, 4, 4]
    assert p.usd_per_hour == pytest.approx(0.6)
    assert p.lower_bound_usd_per_hour == pytest.approx(0.5)
    assert p.gap_ratio == pytest.approx(1.2)
    assert not p.exact
    assert p.idle_share_vcpu == pytest.approx(2 / 12)
    assert p.idle_share_memory == pytest.approx(1 - 20 / 48)


def test_small_workloads_are_solved_exactly_and_their_bound_is_the_optimum():
    """The same 10 pods, exactly: 3 nodes are optimal, so the bound is $0.6 and the gap 1.0."""
    groups = [group("api", 1, 2, 10)]
    p = place(groups, [shape("m.xlarge", 4, 16, 0.2)])
    assert_valid(p, groups)
    assert p.exact
    assert p.usd_per_hour == pytest.approx(0.6)
    assert p.lower_bound_usd_per_hour == pytest.approx(p.usd_per_hour)


def test_pod_slots_limit_the_node(heuristic_only):
    """Tiny pods, 4 slots per node: 10 replicas need ceil(10 / 4) = 3 nodes although CPU and memory are idle."""
    groups = [group("sidecarish", 0.1, 0.125, 10)]
    p = place(groups, [shape("m.xlarge", 4, 16, 0.2, pods=4)])
    assert_valid(p, groups)
    assert p.node_count == 3
    assert p.idle_share_pods == pytest.approx(2 / 12)
    assert p.lower_bound_usd_per_hour == pytest.approx(0.5)   # 10 slots / 4 per node x $0.2


def test_replicas_that_take_no_slot_leave_the_slots_free():
    """ECS tasks in bridge mode take no task slot (``slots=0``): 10 of them on a 4-slot node leave all 4 free."""
    groups = [PodGroup(name="bridge", vcpu=0.1, memory_mib=128, count=10, slots=0)]
    p = place(groups, [shape("m.xlarge", 4, 16, 0.2, pods=4)])
    assert_valid(p, groups)
    assert p.node_count == 1 and p.nodes[0].used_pods == 10 and p.nodes[0].used_slots == 0
    assert p.idle_share_pods == 1.0


def test_memory_bound_workload():
    """6 x (0.5 vCPU, 6 GiB) on 4 vCPU / 16 GiB: memory binds, 2 per node -> 3 nodes."""
    groups = [group("cache", 0.5, 6, 6)]
    p = place(groups, [shape("m.xlarge", 4, 16, 0.2)])
    assert_valid(p, groups)
    assert p.node_count == 3
    assert all(n.utilization_memory == pytest.approx(0.75) for n in p.nodes)
    assert all(n.utilization_vcpu == pytest.approx(0.25) for n in p.nodes)


def test_grid_requests_fill_a_node_exactly():
    """40 x 0.1 vCPU is exactly 4 vCPU: integer micro-vCPU arithmetic, no float surprise."""
    groups = [group("w", 0.1, 0.1, 40)]
    p = place(groups, [shape("m.xlarge", 4, 16, 0.2)])
    assert p.node_count == 1
    assert p.nodes[0].used_pods == 40


def test_cpu_and_memory_heavy_groups_go_to_matching_families():
    """8 x (1 vCPU, 2 GiB) fill 2 compute nodes; 8 x (0.5 vCPU, 8 GiB) fill 2 memory nodes: $0.84.

    One family alone costs more: general purpose needs 80 GiB / 16 = 5 nodes ($0.95).
    """
    shapes = [shape("c.xlarge", 4, 8, 0.17), shape("m.xlarge", 4, 16, 0.19), shape("r.xlarge", 4, 32, 0.25)]
    groups = [group("cpu", 1, 2, 8), group("mem", 0.5, 8, 8)]
    p = place(groups, shapes)
    assert_valid(p, groups)
    assert p.count_by_type == {"c.xlarge": 2, "r.xlarge": 2}
    assert p.usd_per_hour == pytest.approx(0.84)
    single = place(groups, shapes, max_types_in_mix=1)
    assert_valid(single, groups)
    assert len(single.count_by_type) == 1
    assert single.usd_per_hour > p.usd_per_hour


def test_larger_nodes_when_cheaper_and_tail_on_a_smaller_size(heuristic_only):
    """Linear prices: 9 vCPU of 1-vCPU pods -> one 8-vCPU node plus the cheapest node for the last pod."""
    shapes = [shape("m.large", 2, 8, 0.1), shape("m.xlarge", 4, 16, 0.2), shape("m.2xlarge", 8, 32, 0.4)]
    groups = [group("api", 1, 1, 9)]
    p = place(groups, shapes)
    assert_valid(p, groups)
    assert p.usd_per_hour == pytest.approx(0.5)
    assert p.lower_bound_usd_per_hour == pytest.approx(0.45)


def test_type_limit_yields_when_no_single_type_holds_every_group():
    """Only the compute node holds the CPU hog and only the memory node holds the memory hog:
    one type cannot do, so the limit of 1 is exceeded rather than failing (documented)."""
    shapes = [shape("c.big", 16, 16, 0.6), shape("r.big", 2, 64, 0.5)]
    groups = [group("cpu-hog", 12, 4, 2), group("mem-hog", 1, 48, 2)]
    p = place(groups, shapes, max_types_in_mix=1)
    assert_valid(p, groups)
    assert p.count_by_type == {"c.big": 2, "r.big": 2}


def test_mixed_architectures_stay_on_their_own_nodes(heuristic_only):
    shapes = [shape("m.xlarge", 4, 16, 0.2), shape("mg.xlarge", 4, 16, 0.16, arch="arm64")]
    groups = [group("web", 1, 2, 6), group("worker", 1, 2, 5, arch="arm64")]
    p = place(groups, shapes)
    assert_valid(p, groups)
    assert p.count_by_type == {"m.xlarge": 2, "mg.xlarge": 2}
    assert p.usd_per_hour == pytest.approx(0.72)
    # Bound: 1.5 x86 nodes + 1.25 arm nodes.
    assert p.lower_bound_usd_per_hour == pytest.approx(1.5 * 0.2 + 1.25 * 0.16)


def test_too_big_pod_raises_naming_group_size_and_largest_shape():
    shapes = [shape("m.xlarge", 4, 16, 0.2), shape("m.2xlarge", 8, 32, 0.4)]
    with pytest.raises(PlacementError) as err:
        place([group("small", 1, 1, 3), group("huge", 16, 8, 1)], shapes)
    message = str(err.value)
    assert "'huge'" in message
    assert "16 vCPU" in message
    assert "m.2xlarge (8 vCPU, 32768 MiB, 110 pod slots)" in message
    assert isinstance(err.value, AdvisorError)


def test_group_with_no_node_of_its_architecture_raises():
    with pytest.raises(PlacementError, match=r"'worker'.*needs arm64 nodes.*offered: x86_64"):
        place([group("worker", 1, 1, 2, arch="arm64")], [shape("m.xlarge", 4, 16, 0.2)])


def test_target_utilization_is_checked_against_the_scaled_capacity():
    """A 3-vCPU replica fits a 4-vCPU node, but not at 50 % target utilization (2 vCPU)."""
    with pytest.raises(PlacementError, match=r"0\.5 target utilization"):
        place([group("api", 3, 1, 1)], [shape("m.xlarge", 4, 16, 0.2)], target_utilization=0.5)


def test_empty_and_zero_count_groups_give_an_empty_placement():
    for groups in ([], [group("idle", 1, 1, 0)]):
        p = place(groups, [shape("m.xlarge", 4, 16, 0.2)], min_nodes=3)
        assert p.nodes == ()
        assert p.usd_per_hour == 0.0
        assert p.lower_bound_usd_per_hour == 0.0
        assert p.gap_ratio == 1.0
        assert p.exact   # no nodes for nothing to place: optimal, as every view says it (never "cost / 0")


def test_min_nodes_pads_with_the_cheapest_shape():
    """One replica and min_nodes=3 (one per AZ): two empty nodes of the (only) shape."""
    groups = [group("api", 1, 2, 1)]
    p = place(groups, [shape("m.xlarge", 4, 16, 0.2)], min_nodes=3)
    assert_valid(p, groups, min_nodes=3)
    assert p.node_count == 3
    assert p.padded_nodes == 2
    assert sum(1 for n in p.nodes if not n.pods) == 2
    assert p.usd_per_hour == pytest.approx(0.6)
    assert p.lower_bound_usd_per_hour == pytest.approx(0.6)   # 3 x the cheapest usable shape


def test_min_nodes_spreads_over_smaller_nodes_when_cheaper():
    """6 x 1 vCPU fit one 8-vCPU node, but three nodes are required: 3 x 2-vCPU nodes beat 3 x 8-vCPU ones."""
    shapes = [shape("m.large", 2, 8, 0.1), shape("m.2xlarge", 8, 32, 0.4)]
    groups = [group("api", 1, 1, 6)]
    p = place(groups, shapes, min_nodes=3)
    assert_valid(p, groups, min_nodes=3)
    assert p.count_by_type == {"m.large": 3}
    assert p.padded_nodes == 0


def test_target_utilization_keeps_headroom():
    groups = [group("api", 1, 1, 4)]
    full = place(groups, [shape("m.xlarge", 4, 16, 0.2)])
    roomy = place(groups, [shape("m.xlarge", 4, 16, 0.2)], target_utilization=0.8)
    assert full.node_count == 1
    assert roomy.node_count == 2   # 3.2 vCPU per node holds 3 replicas
    assert_valid(roomy, groups, u=0.8)
    assert roomy.target_utilization == 0.8
    assert max(n.utilization_vcpu for n in roomy.nodes) <= 0.8


def test_placement_is_deterministic_whatever_the_input_order():
    shapes = [shape("c.xlarge", 4, 8, 0.17), shape("m.xlarge", 4, 16, 0.19), shape("r.xlarge", 4, 32, 0.25),
              shape("m.2xlarge", 8, 32, 0.38)]
    groups = [group(f"svc{i}", 0.25 * (1 + i % 5), 0.5 * (1 + i % 7), 1 + i % 9) for i in range(12)]
    first = place(groups, shapes)
    rng = random.Random(5)
    for _ in range(3):
        rng.shuffle(groups)
        rng.shuffle(shapes)
        assert place(groups, shapes) == first


def test_largest_replica_bound():
    """One replica that only the big node holds: no placement is cheaper than that node."""
    shapes = [shape("m.large", 2, 8, 0.1), shape("m.4xlarge", 16, 64, 0.8)]
    p = place([group("batch", 12, 8, 1)], shapes)
    assert p.lower_bound_usd_per_hour == pytest.approx(0.8)
    assert p.gap_ratio == pytest.approx(1.0)


def test_invalid_inputs_are_rejected():
    with pytest.raises(InvalidWorkload):
        group("neg", -1, 1, 1)
    with pytest.raises(InvalidWorkload):
        PodGroup(name="frac", vcpu=1, memory_mib=1, count=1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidWorkload):
        shape("free", 4, 16, 0.0)
    with pytest.raises(InvalidWorkload):
        NodeShape(instance_type="x", architecture="x86_64", capacity_vcpu=2, capacity_memory_mib=1024,
                  allocatable_vcpu=3, allocatable_memory_mib=1024, max_pods=10, usd_per_hour=0.1)
    shapes = [shape("m.xlarge", 4, 16, 0.2)]
    for kwargs in ({"target_utilization": 0.0}, {"target_utilization": 1.5}, {"max_types_in_mix": 0},
                   {"min_nodes": -1}):
        with pytest.raises(InvalidWorkload):
            place([group("a", 1, 1, 1)], shapes, **kwargs)
    with pytest.raises(InvalidWorkload, match="unique"):
        place([group("a", 1, 1, 1), group("a", 2, 1, 1)], shapes)
    with pytest.raises(InvalidWorkload, match="unique"):
        place([group("a", 1, 1, 1)], shapes * 2)


def test_two_hundred_services_on_many_shapes():
    """The stated size: 200 services x up to 50 replicas; every replica placed, near the bound."""
    rng = random.Random(2)
    shapes = [shape(f"{fam}{gen}.{size}x", 2 * k, 2 * k * ratio, round(2 * k * per_vcpu * (1 + 0.05 * gen), 4),
                    pods=110 if k <= 15 else 250)
              for fam, ratio, per_vcpu in (("c", 2, 0.0425), ("m", 4, 0.048), ("r", 8, 0.063))
              for gen in range(5) for size, k in enumerate((1, 2, 4, 8, 16, 24, 32))]
    groups = [group(f"svc{i:03d}", rng.choice((0.1, 0.25, 0.5, 1, 2)), rng.choice((0.25, 0.5, 1, 2, 4, 8)),
                    rng.randint(1, 50)) for i in range(200)]
    p = place(groups, shapes)
    assert_valid(p, groups)
    assert p.gap_ratio < 1.05
