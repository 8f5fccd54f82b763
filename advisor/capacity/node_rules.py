"""Which instance types each EC2-backed platform may use, and what one node leaves for the workload.

ECS on EC2 and ECS Managed Instances register the ECS agent's memory and limit ``awsvpc``
tasks by ENIs (or the ENI-trunking table); EKS subtracts kube-reserved and the eviction
threshold and caps pods by the VPC CNI's max pods, EKS Auto Mode at 110; system
DaemonSets and the user's per-node agents take their share of every node they run on.

Sources
-------
- Amazon EKS User Guide, "Create a Node Class for Amazon EKS", section "Considerations":
  "EKS limits the maximum number of Pods on a node to 110. This limit is applied after the
  existing max Pods calculation." https://docs.aws.amazon.com/eks/latest/userguide/create-node-class.html
  (2026 copy, quoted in aws-price-data PROVENANCE §8.5).
- Amazon EKS User Guide, "Enable or Disable Built-in NodePools": both built-in NodePools "Use only
  on-demand EC2 capacity", "Use the C, M, and R EC2 instance families", "Require generation 5 or
  newer EC2 instances"; the general-purpose pool "Uses only amd64 architecture".
  https://docs.aws.amazon.com/eks/latest/userguide/set-builtin-node-pools.html (read 2026-12-03).
- Amazon ECS Developer Guide, "Architect for Amazon ECS Managed Instances": AWS "automatically
  selects the most cost-optimized general-purpose Amazon EC2 instance types"; and "Amazon ECS task
  networking for Amazon ECS Managed Instances": ``awsvpc`` (with ENI trunking for density) and
  ``host`` network modes. https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ManagedInstances.html
  (read 2026-12-03).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from advisor.capacity.max_pods import prefix_delegation_max_pods
from advisor.capacity.nodes import (
    ecs_awsvpc_task_limit,
    ecs_registered_memory_mib,
    eks_node_allocatable,
    os_visible_memory_mib,
)
from advisor.workload.platforms import Platform
from advisor.workload.scenario import Scenario
from advisor.workload.units import MIB_PER_GIB

#: EKS system DaemonSets on managed node groups: aws-node (VPC CNI, requests 25m CPU) and
#: kube-proxy (requests 100m CPU), as the EKS add-on manifests set them.  Auto Mode runs
#: these as node processes, not pods (EKS User Guide, "EKS Auto Mode").
EKS_SYSTEM_DAEMONSETS: tuple[tuple[str, float, float], ...] = (("aws-node", 0.025, 0.0), ("kube-proxy", 0.1, 0.0))

#: EKS Auto Mode's ceiling on pods per node, applied after the ENI-based max pods (see module sources).
AUTO_MODE_MAX_PODS: int = 110

# Families left out of the automatic choice: accelerators (GPU, Inferentia, Trainium,
# FPGA, video), Mac hosts, the multi-TB u-* hosts, burstable t* types whose CPU
# baseline is below a sustained request, and the previous-generation families of the
# EC2 "Previous generation instances" page (m1-m4, c1-c4, r3-r4, i2, d2, cr1, hs1,
# x1/x1e), which newer EKS and ECS AMIs and ENI trunking do not all support.  Naming a
# family in ``instance_families`` brings it back.
EXCLUDED_FAMILY = re.compile(
    r"^(p\d|g\d|gr\d|inf\d|trn\d|dl\d|f\d|vt\d|mac|u-|u\d|t\d|m[1-4]|c[1-4]|r[34]|i2|d2|cr1|hs1|x1e?)[a-z]*$")

#: The built-in Auto Mode NodePools: C, M and R families of generation 5 or newer (c5, m6i, r7a, m7i-flex...).
AUTO_MODE_BUILT_IN_FAMILY = re.compile(r"^[cmr]([5-9]|[1-9]\d)[a-z]*(-flex)?$")


def family(instance_type: str) -> str:
    """The family of an instance type (``m7i-flex.large`` -> ``m7i-flex``)."""
    return instance_type.split(".", 1)[0]


def builtin_auto_mode_pool(scenario: Scenario, platform: Platform) -> bool:
    """True when EKS Auto Mode runs on its built-in general-purpose NodePool (the default)."""
    return platform is Platform.EKS_AUTO and scenario.ec2.auto_mode_node_pool == "built-in"


def family_allowed(scenario: Scenario, platform: Platform, name: str) -> bool:
    """Whether ``platform`` may place nodes of this family under the scenario's options."""
    if builtin_auto_mode_pool(scenario, platform):
        return AUTO_MODE_BUILT_IN_FAMILY.match(name) is not None
    allowed = set(scenario.ec2.instance_families)
    return name in allowed if allowed else EXCLUDED_FAMILY.match(name) is None


def architectures_allowed(scenario: Scenario, platform: Platform) -> frozenset[str]:
    """CPU architectures the platform's nodes can have (the built-in Auto Mode pool is amd64 only)."""
    if builtin_auto_mode_pool(scenario, platform):
        return frozenset({"x86_64"})
    return frozenset({"x86_64", "arm64"})


def runs_user_daemons(platform: Platform) -> bool:
    """ECS Managed Instances has no per-node agents of yours: AWS runs what each instance needs."""
    return platform is not Platform.ECS_MANAGED


def _trunk_limit(limits: Mapping[str, Any]) -> int | None:
    trunk = limits.get("ecs_tasks_with_trunking")
    valid = isinstance(trunk, int | float) and trunk == trunk and trunk > 0   # NaN: no published limit
    return int(trunk) if valid else None


def allocatable(platform: Platform, scenario: Scenario, vcpu: int, memory_mib: int,
                limits: Mapping[str, Any]) -> tuple[float, float, int]:
    """(vCPU, MiB, pod or ``awsvpc`` task slots) one node leaves for workload replicas."""
    daemons = scenario.daemons if runs_user_daemons(platform) else ()
    daemons_vcpu = sum(d.vcpu for d in daemons)
    daemons_mib = sum(d.memory_gib for d in daemons) * MIB_PER_GIB
    if platform in (Platform.ECS_EC2, Platform.ECS_MANAGED):
        trunk_limit = _trunk_limit(limits)
        # ECS Managed Instances uses ENI trunking for density (ECS Developer Guide, "Amazon ECS task
        # networking for Amazon ECS Managed Instances"); on ECS on EC2 it is the account setting.
        wants_trunk = platform is Platform.ECS_MANAGED or scenario.ec2.ecs_eni_trunking
        use_trunk = wants_trunk and trunk_limit is not None
        slots = ecs_awsvpc_task_limit(int(limits["max_enis"]), trunk_limit, use_trunk)
        return vcpu - daemons_vcpu, ecs_registered_memory_mib(memory_mib) - daemons_mib, slots
    max_pods = int(limits["eks_max_pods"])
    if scenario.ec2.eks_prefix_delegation:
        max_pods = prefix_delegation_max_pods(int(limits["default_card_max_enis"]),
                                              int(limits["ipv4_per_eni"]), vcpu)
    system: tuple[tuple[str, float, float], ...] = EKS_SYSTEM_DAEMONSETS
    if platform is Platform.EKS_AUTO:
        max_pods, system = min(max_pods, AUTO_MODE_MAX_PODS), ()
    alloc = eks_node_allocatable(vcpu, os_visible_memory_mib(memory_mib), max_pods)
    slots = alloc.pods - len(system) - len(daemons)
    cpu = alloc.vcpu - daemons_vcpu - sum(s[1] for s in system)
    return cpu, alloc.memory_mib - daemons_mib - sum(s[2] for s in system), slots
