"""AWS Fargate sizing rules, for both Amazon ECS and Amazon EKS (billing: :mod:`.fargate_billing`).

Fargate does not sell arbitrary sizes: a task (ECS) or pod (EKS) runs on one of a
fixed table of vCPU/memory combinations, and AWS bills the combination, not the
request. The difference between the two is real money, so the advisor must round the
way AWS rounds. Every number here comes from an AWS page named in its comment; where
the page gives a worked example, ``tests/advisor/test_fargate.py`` reproduces it.

Sources
-------
- Amazon ECS Developer Guide, "Troubleshoot Amazon ECS task definition invalid CPU or
  memory errors" (task CPU/memory table with supported OS per row),
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html
- Amazon ECS Developer Guide, "Architect for AWS Fargate for Amazon ECS", section
  "Task CPU and memory",
  https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html
- Amazon EKS User Guide, "Understand Fargate Pod configuration details",
  https://docs.aws.amazon.com/eks/latest/userguide/fargate-pod-configuration.html
- AWS Fargate Pricing, https://aws.amazon.com/fargate/pricing/
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

from advisor.errors import InvalidWorkload
from advisor.workload.units import MIB_PER_GIB, gib_to_mib

FargateOS = Literal["linux", "windows"]


def _gib_steps(first_gib: int, last_gib: int, step_gib: int) -> tuple[float, ...]:
    """Inclusive arithmetic range of memory sizes [GiB], as the docs phrase them."""
    return tuple(float(g) for g in range(first_gib, last_gib + 1, step_gib))


# Valid Fargate task sizes: vCPU -> allowed memory [GiB]. Transcribed from the table in
# the ECS Developer Guide, "Task CPU and memory" / "Troubleshoot Amazon ECS task
# definition invalid CPU or memory errors"; the EKS User Guide, "Understand Fargate Pod
# configuration details", publishes the same table for pods.
#   .25 vCPU: 0.5, 1, 2 GB       .5 vCPU: 1-4 GB (1 GB steps)   1 vCPU: 2-8 GB (1 GB steps)
#   2 vCPU: 4-16 GB (1 GB steps) 4 vCPU: 8-30 GB (1 GB steps)
#   8 vCPU: 16-60 GB (4 GB steps)   16 vCPU: 32-120 GB (8 GB steps)
# 8 and 16 vCPU need Linux platform version 1.4.0 or later, which is the default.
FARGATE_TASK_SIZES: Mapping[float, tuple[float, ...]] = MappingProxyType(
    {
        0.25: (0.5, 1.0, 2.0),
        0.5: _gib_steps(1, 4, 1),
        1.0: _gib_steps(2, 8, 1),
        2.0: _gib_steps(4, 16, 1),
        4.0: _gib_steps(8, 30, 1),
        8.0: _gib_steps(16, 60, 4),
        16.0: _gib_steps(32, 120, 8),
    }
)

# The 32 vCPU tier of ECS on Fargate: "32768 (32 vCPU) -- This option requires Linux platform
# 1.4.0 or later -- 60 GB, 120 GB, 244 GB -- Linux" (ECS Developer Guide, "Creating an Amazon ECS
# task definition using the console", task-size table,
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/create-task-definition.html, read
# 2026-12-03 in a 2026 Markdown mirror of the guide; the ECS API reference's ``memory`` text gives
# the same three values, 61440, 122880 and 249856 MiB).  The EKS User Guide, "Understand Fargate
# Pod configuration details", still tops out at 16 vCPU / 120 GB for pods (read 2026-12-03), so
# EKS on Fargate keeps the table above: a dated assumption until the EKS guide lists the tier.
FARGATE_ECS_LARGE_SIZES: Mapping[float, tuple[float, ...]] = MappingProxyType({32.0: (60.0, 120.0, 244.0)})

# Windows containers on Fargate only run the 1, 2 and 4 vCPU rows (the table's
# "Operating systems supported for AWS Fargate" column reads "Linux, Windows" only for
# those rows); the ECS API reference adds "The CPU units cannot be less than 1 vCPU when
# you use Windows containers on Fargate".
FARGATE_WINDOWS_VCPU: frozenset[float] = frozenset({1.0, 2.0, 4.0})

# "Fargate adds 256 MB to each Pod's memory reservation for the required Kubernetes
# components (kubelet, kube-proxy, and containerd)" -- EKS User Guide, "Understand
# Fargate Pod configuration details". Kubernetes memory units are binary, so MiB.
EKS_FARGATE_POD_OVERHEAD_MIB: int = 256


@dataclass(frozen=True, slots=True, order=True)
class FargateSize:
    """One valid Fargate compute configuration.

    Ordering is by ``(vcpu, memory_gib)``, which is the order in which AWS rounds a
    request up (see :func:`round_up_to_fargate_size`).

    Attributes
    ----------
    vcpu : float
        Provisioned vCPU [vCPU].
    memory_gib : float
        Provisioned memory [GiB]; AWS bills it as "GB".
    """

    vcpu: float
    memory_gib: float

    @property
    def memory_mib(self) -> int:
        """Provisioned memory [MiB], the unit ECS task definitions use."""
        return int(gib_to_mib(self.memory_gib))


def check_os(os: str) -> None:
    """Reject an operating system Fargate does not run (it runs Linux and Windows)."""
    if os not in ("linux", "windows"):
        raise InvalidWorkload("os", os, "'linux' or 'windows'")


def check_non_negative(field: str, value: float) -> None:
    """Reject a NaN, infinite or negative size or duration, naming the field."""
    if not math.isfinite(value) or value < 0:
        raise InvalidWorkload(field, value, "a finite number >= 0")


def fargate_sizes(os: FargateOS = "linux", *, ecs: bool = False) -> tuple[FargateSize, ...]:
    """List every Fargate size available to an operating system, smallest first.

    Parameters
    ----------
    os : {"linux", "windows"}, default "linux"
        Task operating system. Linux is the default because it is the only OS EKS
        supports on Fargate and the common case on ECS.
    ecs : bool, default False
        Include the ECS-only 32 vCPU tier (:data:`FARGATE_ECS_LARGE_SIZES`, Linux only).

    Returns
    -------
    tuple of FargateSize
        Sorted by ``(vcpu, memory_gib)``.

    References
    ----------
    Amazon ECS Developer Guide, "Troubleshoot Amazon ECS task definition invalid CPU or
    memory errors" (column "Operating systems supported for AWS Fargate").
    """
    check_os(os)
    table = {**FARGATE_TASK_SIZES, **(FARGATE_ECS_LARGE_SIZES if ecs and os == "linux" else {})}
    return tuple(
        FargateSize(vcpu=vcpu, memory_gib=memory_gib)
        for vcpu, memories in sorted(table.items())
        if os == "linux" or vcpu in FARGATE_WINDOWS_VCPU
        for memory_gib in memories
    )


def round_up_to_fargate_size(vcpu: float, memory_gib: float, *, os: FargateOS = "linux",
                             ecs: bool = False) -> FargateSize:
    """Smallest valid Fargate size that covers a request on both dimensions.

    AWS provisions (and bills) the next valid combination at or above the request:
    "Fargate rounds up to the following compute configuration that most closely
    matches the sum of vCPU and memory requests". Picking the smallest size in
    ``(vcpu, memory_gib)`` order is also the cheapest one for any positive vCPU and
    memory rates, because a lower vCPU row always offers memory at least as fine-grained
    as the rows above it.

    Parameters
    ----------
    vcpu : float
        Requested vCPU [vCPU], >= 0.
    memory_gib : float
        Requested memory [GiB], >= 0.
    os : {"linux", "windows"}, default "linux"
        Task operating system; Windows only offers the 1, 2 and 4 vCPU rows.
    ecs : bool, default False
        An ECS task (True) may use the 32 vCPU tier; an EKS pod may not.

    Returns
    -------
    FargateSize
        The provisioned size.

    Raises
    ------
    InvalidWorkload
        If a request is negative or not finite, or larger than the largest Fargate
        size (ECS: 32 vCPU / 244 GiB, EKS: 16 vCPU / 120 GiB on Linux; 4 vCPU / 30 GiB on
        Windows). The error names
        the field that does not fit and the largest allowed value.

    References
    ----------
    Amazon EKS User Guide, "Understand Fargate Pod configuration details";
    Amazon ECS Developer Guide, "Choosing Fargate task sizes for Amazon ECS" ("round the
    number up to the nearest Fargate size").
    """
    check_non_negative("vcpu", vcpu)
    check_non_negative("memory_gib", memory_gib)
    sizes = fargate_sizes(os, ecs=ecs)
    fitting = [s for s in sizes if s.vcpu >= vcpu and s.memory_gib >= memory_gib]
    if fitting:
        return min(fitting)
    largest_vcpu = max(s.vcpu for s in sizes)
    if vcpu > largest_vcpu:
        raise InvalidWorkload("vcpu", vcpu, f"<= {largest_vcpu:g} on Fargate ({os})")
    largest_memory_gib = max(s.memory_gib for s in sizes)
    raise InvalidWorkload("memory_gib", memory_gib, f"<= {largest_memory_gib:g} on Fargate ({os})")


def eks_pod_request(long_running: Sequence[float], init: Sequence[float] = ()) -> float:
    """Effective pod request on one dimension (vCPU or memory), as EKS Fargate sees it.

    Init containers run one after another before the app containers, so only the
    largest of them matters; app containers run together, so they add up. The pod needs
    whichever is larger.

    Parameters
    ----------
    long_running : sequence of float
        Requests of the regular (long-running) containers [vCPU or GiB].
    init : sequence of float, default ()
        Requests of the init containers, same unit.

    Returns
    -------
    float
        ``max(sum(long_running), max(init))`` in the input unit.

    References
    ----------
    Amazon EKS User Guide, "Understand Fargate Pod configuration details": "The maximum
    request out of any Init containers is used ... Requests for all long-running
    containers are added up ... The larger of the previous two values is chosen".
    """
    return max(math.fsum(long_running), max(init, default=0.0))


def eks_fargate_pod_size(vcpu: float, memory_gib: float) -> FargateSize:
    """Fargate size provisioned for an EKS pod.

    Fargate adds :data:`EKS_FARGATE_POD_OVERHEAD_MIB` (256 MiB for kubelet, kube-proxy
    and containerd) to the pod's memory request, then rounds up with the same table as
    ECS. That overhead can push a pod into the next vCPU row: the guide's own example is
    1 vCPU + 8 GB requested -> 2 vCPU + 9 GB provisioned.

    Parameters
    ----------
    vcpu : float
        Effective pod vCPU request [vCPU] (see :func:`eks_pod_request`). A pod with no
        requests gets the smallest size, 0.25 vCPU / 0.5 GB, as the guide states.
    memory_gib : float
        Effective pod memory request [GiB], before the 256 MiB overhead.

    Returns
    -------
    FargateSize
        Provisioned (and billed) size; always Linux, the only OS EKS runs on Fargate.

    Raises
    ------
    InvalidWorkload
        If the request plus overhead exceeds the largest Fargate size.

    References
    ----------
    Amazon EKS User Guide, "Understand Fargate Pod configuration details".
    """
    check_non_negative("memory_gib", memory_gib)
    overhead_gib = EKS_FARGATE_POD_OVERHEAD_MIB / MIB_PER_GIB
    try:
        return round_up_to_fargate_size(vcpu, memory_gib + overhead_gib)
    except InvalidWorkload as err:
        if err.field != "memory_gib":
            raise
        # Report the user's own request, not the request plus the hidden overhead.
        largest_gib = max(FARGATE_TASK_SIZES[max(FARGATE_TASK_SIZES)]) - overhead_gib
        allowed = f"<= {largest_gib:g} on EKS Fargate (256 MiB is added to every pod)"
        raise InvalidWorkload("memory_gib", memory_gib, allowed) from err


