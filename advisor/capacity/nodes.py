"""EC2 node capacity rules: what an instance really offers to pods (EKS) or tasks (ECS).

An instance type's advertised vCPU and memory is not what the scheduler can hand out.
EKS nodes lose memory and CPU to ``kube-reserved`` and the kubelet's hard-eviction
threshold, and are capped by a pod count that the VPC CNI derives from the instance's
network interfaces. ECS container instances register less memory than installed, and in
``awsvpc`` mode every task needs its own network interface. Comparing EKS-on-EC2 with
ECS-on-EC2 fairly means applying both sets of rules, each from its AWS source.

Sources
-------
- awslabs/amazon-eks-ami, ``eni-max-pods.txt`` (header states the formula),
  ``max-pods-calculator.sh`` (prefix delegation and the 110/250 ceiling),
  AL2 ``bootstrap.sh`` and AL2023 ``nodeadm/internal/kubelet/config.go``
  (``kubeReserved``, ``evictionHard``).
- aws/karpenter-provider-aws, ``pkg/providers/instancetype/types.go`` (same formulas).
- Amazon ECS Developer Guide, "Reserving Amazon ECS Linux container instance memory",
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/memory-management.html
- Amazon ECS Developer Guide, "Supported instances for increased Amazon ECS container
  network interfaces" (ENI trunking),
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/eni-trunking-supported-instance-types.html
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.capacity.max_pods import check_positive_int
from advisor.errors import InvalidWorkload
from advisor.workload.units import MILLICORES_PER_VCPU

# --- EKS: kube-reserved and eviction -------------------------------------------------

# kubeReserved memory = 11 MiB per pod + 255 MiB: amazon-eks-ami
# ``get_memory_mebibytes_to_reserve`` (AL2) and ``GetMemoryMebibytesToReserve``
# (nodeadm, AL2023); Karpenter's ``kubeReservedResources`` uses the same numbers.
KUBE_RESERVED_MEMORY_MIB_PER_POD: int = 11
KUBE_RESERVED_MEMORY_BASE_MIB: int = 255

# kubeReserved CPU, taken by the EKS AMI from GKE's node-allocatable table: 6 % of the
# first core, 1 % of the second, 0.5 % of cores 3-4, 0.25 % of every further core.
# (start_millicores, end_millicores or None for "the rest", basis points reserved).
KUBE_RESERVED_CPU_TIERS: tuple[tuple[int, int | None, int], ...] = (
    (0, 1000, 600),
    (1000, 2000, 100),
    (2000, 4000, 50),
    (4000, None, 25),
)

# The EKS AMIs set ``evictionHard: {"memory.available": "100Mi", ...}`` (AL2
# bootstrap.sh, AL2023 nodeadm ``defaultKubeletSubConfig``); Karpenter's
# ``evictionThreshold`` uses the same 100Mi default. Pods can never use this memory.
EVICTION_HARD_MEMORY_AVAILABLE_MIB: int = 100

# Neither AMI sets ``systemReserved`` values by default (nodeadm only names the
# ``/system`` cgroup), so system-reserved defaults to zero.
DEFAULT_SYSTEM_RESERVED_CPU_MILLICORES: int = 0
DEFAULT_SYSTEM_RESERVED_MEMORY_MIB: int = 0

# --- ECS: registered capacity ---------------------------------------------------------

# "Because of platform memory overhead and memory occupied by the system kernel" the
# ECS agent registers less memory than the instance type advertises. The docs' example:
# an m4.large (8 GiB = 8192 MiB installed) reports 8373026816 bytes to the OS, "which
# translates to 7985 MiB available for tasks" (ECS Developer Guide, "Reserving Amazon
# ECS Linux container instance memory"; the same example is in the AWS Batch User Guide,
# "Compute resource memory management"). We scale every instance by that one ratio,
# 7985/8192 (about 2.5 % overhead). It is an approximation: the real overhead depends on
# the AMI and kernel. Karpenter, for the same problem on EKS, assumes a more cautious
# 7.5 % (``VM_MEMORY_OVERHEAD_PERCENT`` default 0.075).
ECS_EXAMPLE_REGISTERED_MEMORY_MIB: int = 7985
ECS_EXAMPLE_INSTALLED_MEMORY_MIB: int = 8192

# ECS_RESERVED_MEMORY, the agent setting that holds memory back for system processes,
# defaults to 0 MiB (ECS Developer Guide, "Amazon ECS container agent configuration").
ECS_RESERVED_MEMORY_DEFAULT_MIB: int = 0

# ECS expresses CPU in CPU units: 1024 units = 1 vCPU (ECS Developer Guide, "Amazon ECS
# task definition parameters", ``cpu``). The agent registers all of them.
ECS_CPU_UNITS_PER_VCPU: int = 1024


@dataclass(frozen=True, slots=True)
class NodeAllocatable:
    """Capacity the Kubernetes scheduler can hand out on one node.

    Attributes
    ----------
    vcpu : float
        Allocatable CPU [vCPU].
    memory_mib : int
        Allocatable memory [MiB].
    pods : int
        Maximum pods on the node (includes DaemonSet pods).
    """

    vcpu: float
    memory_mib: int
    pods: int


def kube_reserved_memory_mib(max_pods: int) -> int:
    """Memory the EKS AMIs reserve for Kubernetes daemons, as a function of pod density.

    Parameters
    ----------
    max_pods : int
        The node's ``maxPods`` [pods].

    Returns
    -------
    int
        ``11 * max_pods + 255`` [MiB]; 574 MiB for an m5.large with 29 pods.

    References
    ----------
    awslabs/amazon-eks-ami, ``get_memory_mebibytes_to_reserve`` (AL2 bootstrap.sh) and
    ``GetMemoryMebibytesToReserve`` (nodeadm); Karpenter ``types.go``.
    """
    check_positive_int("max_pods", max_pods)
    return KUBE_RESERVED_MEMORY_MIB_PER_POD * max_pods + KUBE_RESERVED_MEMORY_BASE_MIB


def kube_reserved_cpu_millicores(vcpu: int) -> int:
    """CPU the EKS AMIs reserve for Kubernetes daemons, tiered by core count.

    Each tier's share is floored to a whole millicore before summing, as nodeadm's
    integer arithmetic does.

    Parameters
    ----------
    vcpu : int
        vCPUs of the instance type.

    Returns
    -------
    int
        Reserved CPU [millicores]: 70m for 2 vCPU, 80m for 4, 90m for 8, 310m for 96.

    References
    ----------
    awslabs/amazon-eks-ami, nodeadm ``getCPUMillicoresToReserve`` /
    ``getResourceToReserveInRange`` and AL2 ``get_cpu_millicores_to_reserve`` (ranges
    from GKE's node-allocatable documentation); Karpenter ``types.go``.
    """
    check_positive_int("vcpu", vcpu)
    total_millicores = vcpu * MILLICORES_PER_VCPU
    reserved = 0
    for start, end, basis_points in KUBE_RESERVED_CPU_TIERS:
        if total_millicores <= start:
            break
        upper = total_millicores if end is None else min(total_millicores, end)
        reserved += (upper - start) * basis_points // 10_000
    return reserved


def eks_node_allocatable(
    vcpu: int,
    memory_mib: int,
    max_pods: int,
    *,
    system_reserved_cpu_millicores: int = DEFAULT_SYSTEM_RESERVED_CPU_MILLICORES,
    system_reserved_memory_mib: int = DEFAULT_SYSTEM_RESERVED_MEMORY_MIB,
) -> NodeAllocatable:
    """Allocatable capacity of an EKS node built from an EKS-optimized AMI.

    Kubernetes defines allocatable as capacity - kube-reserved - system-reserved -
    hard-eviction threshold. The eviction threshold only applies to memory.

    Parameters
    ----------
    vcpu : int
        vCPUs of the instance type.
    memory_mib : int
        Memory capacity the kubelet reports [MiB]. This is the OS-visible memory, a
        little below the EC2-advertised figure; :func:`os_visible_memory_mib` gives the
        same estimate the ECS model uses, so the two platforms stay comparable.
    max_pods : int
        The node's ``maxPods`` (see :mod:`advisor.capacity.max_pods`); it also drives kube-reserved memory.
    system_reserved_cpu_millicores : int, default 0
        Extra ``systemReserved`` CPU [millicores]. Zero because the EKS AMIs set none.
    system_reserved_memory_mib : int, default 0
        Extra ``systemReserved`` memory [MiB]. Zero because the EKS AMIs set none.

    Returns
    -------
    NodeAllocatable
        Allocatable vCPU, memory [MiB] and pod slots.

    Raises
    ------
    InvalidWorkload
        If the reservations leave no CPU or memory for pods.

    References
    ----------
    Kubernetes, "Reserve Compute Resources for System Daemons"; awslabs/amazon-eks-ami
    nodeadm ``config.go`` (kubeReserved, evictionHard 100Mi, no systemReserved values).
    """
    reserved_millicores = kube_reserved_cpu_millicores(vcpu) + system_reserved_cpu_millicores
    allocatable_millicores = vcpu * MILLICORES_PER_VCPU - reserved_millicores
    if allocatable_millicores <= 0:
        raise InvalidWorkload("vcpu", vcpu, f"more than {reserved_millicores}m of reserved CPU")
    reserved_mib = kube_reserved_memory_mib(max_pods) + system_reserved_memory_mib + EVICTION_HARD_MEMORY_AVAILABLE_MIB
    if memory_mib <= reserved_mib:
        raise InvalidWorkload("memory_mib", memory_mib, f"> {reserved_mib} (reserved for {max_pods} pods)")
    return NodeAllocatable(
        vcpu=allocatable_millicores / MILLICORES_PER_VCPU,
        memory_mib=memory_mib - reserved_mib,
        pods=max_pods,
    )


def os_visible_memory_mib(instance_memory_mib: int) -> int:
    """Estimate the memory the OS reports for an instance, below the advertised size.

    Scales the advertised memory by the ECS documentation's m4.large example,
    7985 MiB registered out of 8192 MiB installed. This is an approximation (kernel and
    firmware overhead vary by AMI), chosen because it is the only figure AWS publishes.

    Parameters
    ----------
    instance_memory_mib : int
        Memory advertised for the instance type [MiB].

    Returns
    -------
    int
        Estimated OS-visible memory [MiB], rounded down.

    References
    ----------
    Amazon ECS Developer Guide, "Reserving Amazon ECS Linux container instance memory";
    AWS Batch User Guide, "Compute resource memory management".
    """
    check_positive_int("instance_memory_mib", instance_memory_mib)
    return instance_memory_mib * ECS_EXAMPLE_REGISTERED_MEMORY_MIB // ECS_EXAMPLE_INSTALLED_MEMORY_MIB


def ecs_registered_memory_mib(instance_memory_mib: int, reserved_mib: int = ECS_RESERVED_MEMORY_DEFAULT_MIB) -> int:
    """Memory an ECS container instance registers for tasks.

    Parameters
    ----------
    instance_memory_mib : int
        Memory advertised for the instance type [MiB].
    reserved_mib : int, default 0
        ``ECS_RESERVED_MEMORY`` [MiB]; 0 is the agent's default.

    Returns
    -------
    int
        Registered memory available to tasks [MiB]; 7985 MiB for an m4.large.

    Raises
    ------
    InvalidWorkload
        If ``reserved_mib`` is negative or leaves no memory for tasks.

    References
    ----------
    Amazon ECS Developer Guide, "Reserving Amazon ECS Linux container instance memory":
    with ``ECS_RESERVED_MEMORY=256`` "the agent registers the total memory minus 256 MiB".
    """
    if reserved_mib < 0:
        raise InvalidWorkload("reserved_mib", reserved_mib, ">= 0")
    registered = os_visible_memory_mib(instance_memory_mib) - reserved_mib
    if registered <= 0:
        raise InvalidWorkload("reserved_mib", reserved_mib, f"< {os_visible_memory_mib(instance_memory_mib)}")
    return registered


def ecs_registered_cpu_units(vcpu: int) -> int:
    """CPU units an ECS container instance registers (all of them; ECS reserves none).

    Parameters
    ----------
    vcpu : int
        vCPUs of the instance type.

    Returns
    -------
    int
        ``vcpu * 1024`` [CPU units].

    References
    ----------
    Amazon ECS Developer Guide, "Amazon ECS task definition parameters" (``cpu``).
    """
    check_positive_int("vcpu", vcpu)
    return vcpu * ECS_CPU_UNITS_PER_VCPU


def ecs_awsvpc_task_limit(max_enis: int, trunking_limit: int | None, trunking: bool) -> int:
    """Maximum ``awsvpc`` tasks on one ECS container instance.

    Every ``awsvpc`` task gets its own ENI. Without trunking the instance's primary ENI
    is unavailable, so the limit is ``max_enis - 1``. With ENI trunking enabled AWS
    publishes a per-instance-type limit (e.g. m5.large: 2 without, 10 with).

    Parameters
    ----------
    max_enis : int
        Maximum network interfaces of the instance type.
    trunking_limit : int or None
        The published "Task limit with ENI trunking" for the instance type, or None if
        the type does not support trunking.
    trunking : bool
        Whether the ``awsvpcTrunking`` account setting is on.

    Returns
    -------
    int
        Maximum ``awsvpc`` tasks [tasks].

    Raises
    ------
    InvalidWorkload
        If trunking is requested for a type without a published trunking limit.

    References
    ----------
    Amazon ECS Developer Guide, "Supported instances for increased Amazon ECS container
    network interfaces" (columns "Task limit without ENI trunking" and "Task limit with
    ENI trunking").
    """
    check_positive_int("max_enis", max_enis)
    if not trunking:
        return max_enis - 1
    if trunking_limit is None:
        raise InvalidWorkload("trunking_limit", None, "the instance type's published trunking task limit")
    check_positive_int("trunking_limit", trunking_limit)
    return trunking_limit
