"""Tests for advisor.capacity.nodes, using values the EKS AMI and ECS docs publish."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.capacity.max_pods import eni_max_pods, max_pods_ceiling, prefix_delegation_max_pods
from advisor.capacity.nodes import (
    ECS_RESERVED_MEMORY_DEFAULT_MIB,
    EVICTION_HARD_MEMORY_AVAILABLE_MIB,
    NodeAllocatable,
    ecs_awsvpc_task_limit,
    ecs_registered_cpu_units,
    ecs_registered_memory_mib,
    eks_node_allocatable,
    kube_reserved_cpu_millicores,
    kube_reserved_memory_mib,
    os_visible_memory_mib,
)
from advisor.errors import InvalidWorkload

# --- max pods ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instance_type", "max_enis", "ipv4_per_eni", "expected"),
    [
        # (ENIs, IPv4 per ENI) from EC2 DescribeInstanceTypes; expected values are the
        # rows of awslabs/amazon-eks-ami eni-max-pods.txt.
        ("m5.large", 3, 10, 29),
        ("m5.xlarge", 4, 15, 58),
        ("m5.4xlarge", 8, 30, 234),
        ("m5.24xlarge", 15, 50, 737),
        ("t3.micro", 2, 2, 4),
        ("t3.small", 3, 4, 11),
        ("m4.large", 2, 10, 20),
    ],
)
def test_eni_max_pods_matches_eks_ami_table(instance_type, max_enis, ipv4_per_eni, expected):
    assert eni_max_pods(max_enis, ipv4_per_eni) == expected, instance_type


@pytest.mark.parametrize(("max_enis", "ipv4_per_eni"), [(0, 10), (3, 0)])
def test_eni_max_pods_rejects_impossible_instances(max_enis, ipv4_per_eni):
    with pytest.raises(InvalidWorkload):
        eni_max_pods(max_enis, ipv4_per_eni)


def test_max_pods_ceiling_switches_above_30_vcpu():
    """max-pods-calculator.sh: 250 only when CPU_COUNT -gt 30, else 110."""
    assert max_pods_ceiling(2) == 110
    assert max_pods_ceiling(30) == 110
    assert max_pods_ceiling(32) == 250


@pytest.mark.parametrize(
    ("instance_type", "max_enis", "ipv4_per_eni", "vcpu", "expected"),
    [
        ("t3.micro", 2, 2, 2, 34),  # 2 * 1 * 16 + 2: still IP-limited
        ("t3.small", 3, 4, 2, 110),  # 3 * 3 * 16 + 2 = 146 -> capped at 110
        ("m5.large", 3, 10, 2, 110),  # 434 -> 110
        ("m5.8xlarge", 8, 30, 32, 250),  # 3714 -> 250 (32 vCPU > 30)
        ("m5.24xlarge", 15, 50, 96, 250),
    ],
)
def test_prefix_delegation_max_pods(instance_type, max_enis, ipv4_per_eni, vcpu, expected):
    assert prefix_delegation_max_pods(max_enis, ipv4_per_eni, vcpu) == expected, instance_type


enis = st.integers(min_value=1, max_value=50)
ips = st.integers(min_value=1, max_value=50)


@given(enis, enis, ips)
def test_max_pods_monotone_in_enis(a, b, ipv4_per_eni):
    lo, hi = sorted((a, b))
    assert eni_max_pods(lo, ipv4_per_eni) <= eni_max_pods(hi, ipv4_per_eni)


@given(enis, ips, ips)
def test_max_pods_monotone_in_ips(max_enis, a, b):
    lo, hi = sorted((a, b))
    assert eni_max_pods(max_enis, lo) <= eni_max_pods(max_enis, hi)


@given(enis, ips, st.integers(min_value=1, max_value=448))
def test_prefix_delegation_never_below_secondary_ip_mode_or_above_ceiling(max_enis, ipv4_per_eni, vcpu):
    pods = prefix_delegation_max_pods(max_enis, ipv4_per_eni, vcpu)
    assert pods <= max_pods_ceiling(vcpu)
    assert pods >= min(eni_max_pods(max_enis, ipv4_per_eni), max_pods_ceiling(vcpu))


# --- kube-reserved ----------------------------------------------------------------------


def test_kube_reserved_memory_m5_large():
    """11 * 29 + 255 = 574 MiB for an m5.large at its default 29 pods."""
    assert kube_reserved_memory_mib(29) == 574
    assert kube_reserved_memory_mib(110) == 1465


@pytest.mark.parametrize(
    ("vcpu", "expected_millicores"),
    [
        (1, 60),  # 6 % of the first core
        (2, 70),  # + 1 % of the second (m5.large)
        (4, 80),  # + 0.5 % of cores 3-4
        (8, 90),  # + 0.25 % of cores 5-8
        (96, 310),  # 60 + 10 + 10 + 0.25 % of 92 cores (230)
    ],
)
def test_kube_reserved_cpu_tiers(vcpu, expected_millicores):
    assert kube_reserved_cpu_millicores(vcpu) == expected_millicores


@given(st.integers(min_value=1, max_value=447))
def test_kube_reserved_cpu_monotone_and_small(vcpu):
    assert kube_reserved_cpu_millicores(vcpu) <= kube_reserved_cpu_millicores(vcpu + 1)
    assert kube_reserved_cpu_millicores(vcpu) <= 0.06 * 1000 * vcpu


# --- allocatable ------------------------------------------------------------------------


def test_eks_allocatable_m5_large():
    """m5.large: 2 vCPU, 29 pods; memory is whatever the kubelet reports."""
    visible_mib = os_visible_memory_mib(8192)
    alloc = eks_node_allocatable(2, visible_mib, 29)
    assert alloc == NodeAllocatable(vcpu=1.93, memory_mib=visible_mib - 574 - 100, pods=29)
    assert EVICTION_HARD_MEMORY_AVAILABLE_MIB == 100


def test_eks_allocatable_system_reserved_is_opt_in():
    base = eks_node_allocatable(4, 16000, 58)
    extra = eks_node_allocatable(4, 16000, 58, system_reserved_cpu_millicores=100, system_reserved_memory_mib=100)
    assert base.vcpu - extra.vcpu == pytest.approx(0.1)
    assert base.memory_mib - extra.memory_mib == 100


def test_eks_allocatable_rejects_node_without_room():
    # t3.nano-like node forced to 110 pods: 1465 + 100 MiB reserved > 512 MiB.
    with pytest.raises(InvalidWorkload, match="memory_mib"):
        eks_node_allocatable(2, 512, 110)


@given(
    st.integers(min_value=1, max_value=192),
    st.integers(min_value=2048, max_value=1_572_864),
    st.integers(min_value=1, max_value=110),
)
def test_allocatable_never_exceeds_capacity(vcpu, memory_mib, max_pods):
    alloc = eks_node_allocatable(vcpu, memory_mib, max_pods)
    assert 0 < alloc.vcpu < vcpu
    assert 0 < alloc.memory_mib < memory_mib
    assert alloc.pods == max_pods


# --- ECS --------------------------------------------------------------------------------


def test_ecs_registered_memory_m4_large_doc_example():
    """ECS Developer Guide, "Reserving Amazon ECS Linux container instance memory":
    an m4.large (8 GiB) registers 7985 MiB."""
    assert ECS_RESERVED_MEMORY_DEFAULT_MIB == 0
    assert ecs_registered_memory_mib(8192) == 7985


def test_ecs_reserved_memory_is_subtracted():
    """Same page: ECS_RESERVED_MEMORY=256 registers "the total memory minus 256 MiB"."""
    assert ecs_registered_memory_mib(8192, reserved_mib=256) == 7985 - 256


@pytest.mark.parametrize("reserved_mib", [-1, 7985, 10_000])
def test_ecs_reserved_memory_out_of_range(reserved_mib):
    with pytest.raises(InvalidWorkload, match="reserved_mib"):
        ecs_registered_memory_mib(8192, reserved_mib=reserved_mib)


@given(st.integers(min_value=512, max_value=24_576 * 1024))
def test_ecs_registered_memory_below_installed(instance_memory_mib):
    registered = ecs_registered_memory_mib(instance_memory_mib)
    assert 0 < registered <= instance_memory_mib
    assert registered >= 0.97 * instance_memory_mib


def test_ecs_cpu_units():
    assert ecs_registered_cpu_units(2) == 2048


@pytest.mark.parametrize(
    ("instance_type", "max_enis", "trunking_limit", "without", "with_trunking"),
    [
        # ECS Developer Guide, "Supported instances for increased Amazon ECS container
        # network interfaces": "Task limit without / with ENI trunking".
        ("m5.large", 3, 10, 2, 10),
        ("m5.xlarge", 4, 20, 3, 20),
        ("m5.4xlarge", 8, 60, 7, 60),
        ("m5.16xlarge", 15, 120, 14, 120),
        ("a1.medium", 2, 10, 1, 10),
    ],
)
def test_ecs_awsvpc_task_limits(instance_type, max_enis, trunking_limit, without, with_trunking):
    assert ecs_awsvpc_task_limit(max_enis, trunking_limit, trunking=False) == without, instance_type
    assert ecs_awsvpc_task_limit(max_enis, trunking_limit, trunking=True) == with_trunking, instance_type


def test_ecs_trunking_needs_a_supported_instance_type():
    # t3 instances have no trunking row; without trunking a t3.small runs 2 tasks.
    assert ecs_awsvpc_task_limit(3, None, trunking=False) == 2
    with pytest.raises(InvalidWorkload, match="trunking_limit"):
        ecs_awsvpc_task_limit(3, None, trunking=True)
