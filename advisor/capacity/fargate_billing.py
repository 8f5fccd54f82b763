"""AWS Fargate billing rules: per-second billing with a minimum, and ephemeral storage above 20 GiB.

Sources
-------
- AWS Fargate Pricing, https://aws.amazon.com/fargate/pricing/
- Amazon ECS Developer Guide, "Fargate task ephemeral storage for Amazon ECS".
- Amazon EKS User Guide, "Understand Fargate Pod configuration details", section
  "Fargate storage".
"""

from __future__ import annotations

import math

from advisor.capacity.fargate_sizes import FargateOS, check_non_negative, check_os
from advisor.errors import InvalidWorkload
from advisor.workload.units import SECONDS_PER_MINUTE, seconds_to_hours

# "Pricing is calculated per second with a 1-minute minimum", measured "from the time
# you start to download your container image until the Amazon ECS Task or Amazon EKS
# Pod terminates, rounded up to the nearest second" -- AWS Fargate Pricing.
FARGATE_MINIMUM_BILLED_SECONDS: int = 1 * SECONDS_PER_MINUTE

# Windows tasks carry a longer minimum. Several independent write-ups quoting the AWS
# Fargate Pricing page give 5 minutes (the page's Windows text is rendered client-side,
# so the stored copy we could read does not show it). Check the live page before relying
# on short-lived Windows tasks.
FARGATE_WINDOWS_MINIMUM_BILLED_SECONDS: int = 5 * SECONDS_PER_MINUTE

# ECS tasks on Fargate get 20 GiB of ephemeral storage by default, and the task-level
# ``ephemeralStorage`` can raise it to at most 200 GiB (ECS Developer Guide, "Fargate
# task ephemeral storage for Amazon ECS"). The AWS Fargate Pricing page includes 20 GB
# for every task and pod and bills only storage configured above it.
FARGATE_INCLUDED_EPHEMERAL_STORAGE_GIB: int = 20

FARGATE_MAX_EPHEMERAL_STORAGE_GIB: int = 200

# EKS pods on Fargate have a lower ceiling: "You can increase the total amount of
# ephemeral storage up to a maximum of 175 GiB" (EKS User Guide, "Understand Fargate Pod
# configuration details", section "Fargate storage").
EKS_FARGATE_MAX_EPHEMERAL_STORAGE_GIB: int = 175


def minimum_billed_seconds(os: FargateOS = "linux") -> int:
    """Shortest duration Fargate bills for one task or pod.

    Parameters
    ----------
    os : {"linux", "windows"}, default "linux"
        Task operating system.

    Returns
    -------
    int
        Minimum billed duration [s].

    References
    ----------
    AWS Fargate Pricing, https://aws.amazon.com/fargate/pricing/
    """
    check_os(os)
    return FARGATE_WINDOWS_MINIMUM_BILLED_SECONDS if os == "windows" else FARGATE_MINIMUM_BILLED_SECONDS


def billed_seconds(duration_seconds: float, os: FargateOS = "linux") -> int:
    """Seconds Fargate bills for one task or pod run.

    Fargate rounds each run up to the next whole second and never bills less than the
    OS minimum, so many short runs cost more than their raw duration suggests.

    Parameters
    ----------
    duration_seconds : float
        Wall-clock time from image pull start to task/pod stop [s], >= 0. Zero means
        the task never ran and is billed nothing.
    os : {"linux", "windows"}, default "linux"
        Task operating system (the minimum differs).

    Returns
    -------
    int
        Billed duration [s].

    Raises
    ------
    InvalidWorkload
        If ``duration_seconds`` is negative or not finite.

    References
    ----------
    AWS Fargate Pricing: "rounded up to the nearest second", "per second with a
    1-minute minimum".
    """
    check_non_negative("duration_seconds", duration_seconds)
    minimum = minimum_billed_seconds(os)
    if duration_seconds == 0:
        return 0
    return max(math.ceil(duration_seconds), minimum)


def billed_hours(duration_seconds: float, os: FargateOS = "linux") -> float:
    """Hours Fargate bills for one task or pod run, ready to multiply by hourly rates.

    Parameters
    ----------
    duration_seconds : float
        Wall-clock run time [s], >= 0.
    os : {"linux", "windows"}, default "linux"
        Task operating system.

    Returns
    -------
    float
        Billed duration [h]; multiply by ``usd_per_vcpu_hour * vcpu`` and
        ``usd_per_gb_hour * memory_gib``.

    References
    ----------
    AWS Fargate Pricing, https://aws.amazon.com/fargate/pricing/
    """
    return seconds_to_hours(billed_seconds(duration_seconds, os))


def billable_ephemeral_storage_gib(
    requested_gib: float, *, maximum_gib: float = FARGATE_MAX_EPHEMERAL_STORAGE_GIB
) -> float:
    """Ephemeral storage that Fargate bills beyond the free 20 GiB.

    Parameters
    ----------
    requested_gib : float
        Total ephemeral storage configured for the task or pod [GiB], >= 0. Values up
        to 20 GiB are covered by the included allowance.
    maximum_gib : float, default 200
        Largest configurable size [GiB]. The default is the ECS limit; pass
        :data:`EKS_FARGATE_MAX_EPHEMERAL_STORAGE_GIB` (175) for EKS pods.

    Returns
    -------
    float
        Storage billed at the Fargate storage rate [GiB].

    Raises
    ------
    InvalidWorkload
        If ``requested_gib`` is negative or above ``maximum_gib``.

    Notes
    -----
    EKS provisions more storage than requested for system use ("a request of 100 GiB
    will provision a Fargate task with 115 GiB"); AWS does not say whether the extra is
    billed, so it is not modelled.

    References
    ----------
    AWS Fargate Pricing ("20 GB of ephemeral storage" included); ECS Developer Guide,
    "Fargate task ephemeral storage for Amazon ECS"; EKS User Guide, "Understand Fargate
    Pod configuration details".
    """
    check_non_negative("requested_gib", requested_gib)
    if requested_gib > maximum_gib:
        raise InvalidWorkload("requested_gib", requested_gib, f"<= {maximum_gib:g}")
    return max(0.0, requested_gib - FARGATE_INCLUDED_EPHEMERAL_STORAGE_GIB)
