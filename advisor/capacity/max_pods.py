"""EKS pods per node: what the VPC CNI's IP supply and EKS's ceiling allow on each instance type.

Sources
-------
- awslabs/amazon-eks-ami, ``eni-max-pods.txt`` (header states the formula) and
  ``max-pods-calculator.sh`` (prefix delegation and the 110/250 ceiling).
- aws/karpenter-provider-aws, ``pkg/providers/instancetype/types.go`` (same formulas).
"""

from __future__ import annotations

from advisor.errors import InvalidWorkload

# Prefix delegation assigns /28 IPv4 prefixes (16 addresses) instead of single
# secondary IPs (max-pods-calculator.sh, ``IPS_PER_PREFIX=16``).
PREFIX_DELEGATION_IPS_PER_PREFIX: int = 16

# max-pods-calculator.sh caps its *recommended* max pods: 110 for instances with at most
# 30 vCPUs, 250 above (``if [ "$CPU_COUNT" -gt 30 ]``), following Kubernetes' scalability
# guidance rather than IP supply.
MAX_PODS_CEILING_LOW_CPU: int = 110
MAX_PODS_CEILING_HIGH_CPU: int = 250
MAX_PODS_HIGH_CPU_ABOVE_VCPU: int = 30


def check_positive_int(field: str, value: int) -> None:
    """Reject a count below 1, naming the field (ENIs, IPs per ENI and vCPUs are all >= 1)."""
    if value < 1:
        raise InvalidWorkload(field, value, "an integer >= 1")


def eni_max_pods(max_enis: int, ipv4_per_eni: int) -> int:
    """Pods per node with the VPC CNI's default secondary-IP mode.

    The first IP of each ENI belongs to the ENI itself, and two host-network pods
    (aws-node and kube-proxy) need no pod IP, hence ``ENIs * (IPs - 1) + 2``.

    Parameters
    ----------
    max_enis : int
        Maximum network interfaces on the instance's default network card.
    ipv4_per_eni : int
        IPv4 addresses per interface.

    Returns
    -------
    int
        Maximum pods [pods].

    References
    ----------
    awslabs/amazon-eks-ami, ``eni-max-pods.txt`` header: "# of ENI * (# of IPv4 per ENI
    - 1) + 2"; e.g. m5.large (3 ENIs x 10 IPs) = 29.
    """
    check_positive_int("max_enis", max_enis)
    check_positive_int("ipv4_per_eni", ipv4_per_eni)
    return max_enis * (ipv4_per_eni - 1) + 2


def max_pods_ceiling(vcpu: int) -> int:
    """EKS's recommended upper bound on pods per node, independent of IP supply.

    Parameters
    ----------
    vcpu : int
        vCPUs of the instance type.

    Returns
    -------
    int
        110 for instances with at most 30 vCPUs, otherwise 250 [pods].

    References
    ----------
    awslabs/amazon-eks-ami, ``max-pods-calculator.sh`` (``MAX_POD_CEILING_FOR_LOW_CPU``,
    ``MAX_POD_CEILING_FOR_HIGH_CPU``, ``CPU_COUNT -gt 30``).
    """
    check_positive_int("vcpu", vcpu)
    return MAX_PODS_CEILING_HIGH_CPU if vcpu > MAX_PODS_HIGH_CPU_ABOVE_VCPU else MAX_PODS_CEILING_LOW_CPU


def prefix_delegation_max_pods(max_enis: int, ipv4_per_eni: int, vcpu: int) -> int:
    """Recommended max pods per node with VPC CNI prefix delegation enabled.

    Each secondary-IP slot holds a /28 prefix (16 addresses), so IP supply stops being
    the limit and the 110/250 ceiling takes over on almost every instance type.

    Parameters
    ----------
    max_enis : int
        Maximum network interfaces on the default network card.
    ipv4_per_eni : int
        IPv4 addresses (prefix slots) per interface.
    vcpu : int
        vCPUs of the instance type, which selects the ceiling.

    Returns
    -------
    int
        ``min(ENIs * (IPs - 1) * 16 + 2, ceiling)`` [pods].

    References
    ----------
    awslabs/amazon-eks-ami, ``max-pods-calculator.sh``
    (``calculate_max_ip_addresses_prefix_delegation`` and the ceiling); Amazon EKS User
    Guide, "Assign more IP addresses to Amazon EKS nodes with prefixes".
    """
    check_positive_int("max_enis", max_enis)
    check_positive_int("ipv4_per_eni", ipv4_per_eni)
    ip_limited = max_enis * (ipv4_per_eni - 1) * PREFIX_DELEGATION_IPS_PER_PREFIX + 2
    return min(ip_limited, max_pods_ceiling(vcpu))
