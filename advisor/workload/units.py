"""Unit conventions shared by every pricing and sizing rule.

Units live in names (``memory_mib``, ``usd_per_hour``). This module holds the few
conversion factors the rest of ``advisor`` needs, so a factor is defined once and
cited once.

A note on "GB": AWS Fargate prices memory "per GB per hour", but the ECS task
definition treats 1 GB as 1024 MiB ("You can convert the GB value to MiB by
multiplying the value by 1024", Amazon ECS Developer Guide, "Troubleshoot Amazon ECS
task definition invalid CPU or memory errors",
https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html).
So a Fargate "GB" is a GiB, and the advisor uses ``_gib`` for it.
"""

from __future__ import annotations

# AWS Pricing Calculator (https://calculator.aws) turns hourly rates into monthly
# estimates with 730 hours per month (24 h x 365 d / 12 months). Using the same
# convention keeps our monthly figures comparable with AWS's own estimates and with
# infracost's golden files.
HOURS_PER_MONTH: int = 730
#: Annual figures are 12 such months.
MONTHS_PER_YEAR: int = 12

MIB_PER_GIB: int = 1024
SECONDS_PER_MINUTE: int = 60
SECONDS_PER_HOUR: int = 3600

# Kubernetes expresses CPU in millicores: "1000m" is one vCPU.
MILLICORES_PER_VCPU: int = 1000


def gib_to_mib(gib: float) -> float:
    """Convert gibibytes to mebibytes.

    Parameters
    ----------
    gib : float
        Amount [GiB].

    Returns
    -------
    float
        Amount [MiB].
    """
    return gib * MIB_PER_GIB


def mib_to_gib(mib: float) -> float:
    """Convert mebibytes to gibibytes.

    Parameters
    ----------
    mib : float
        Amount [MiB].

    Returns
    -------
    float
        Amount [GiB].
    """
    return mib / MIB_PER_GIB


def seconds_to_hours(seconds: float) -> float:
    """Convert seconds to hours, the unit AWS quotes rates in.

    Parameters
    ----------
    seconds : float
        Duration [s].

    Returns
    -------
    float
        Duration [h].
    """
    return seconds / SECONDS_PER_HOUR
