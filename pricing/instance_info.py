"""Parse per-instance network limits: ENIs, IPv4 per ENI, EKS max pods, ECS trunking.

The Price List carries none of these, yet they decide how many pods (EKS, VPC CNI) or
awsvpc tasks (ECS) fit on a node, so they travel in the snapshot next to the prices.
Sources: the tables AWS's own projects generate from EC2 ``DescribeInstanceTypes``
(amazon-vpc-cni-k8s, karpenter-provider-aws, amazon-eks-ami ``eni-max-pods.txt``) and
the ECS Developer Guide's ENI-trunking table; see ``pricing/data/README.md``.
"""

from __future__ import annotations

import io

import pandas as pd

from pricing.errors import OfferFormatError

LIMIT_COLUMNS: tuple[str, ...] = (
    "instance_type", "max_enis", "default_card_max_enis", "ipv4_per_eni", "eks_max_pods",
    "vcpu", "memory_mib", "cpu_arch", "bare_metal", "ecs_trunking_supported",
    "ecs_tasks_without_trunking", "ecs_tasks_with_trunking",
)
_REQUIRED = ("instance_type", "max_enis", "default_card_max_enis", "ipv4_per_eni", "eks_max_pods")


def parse_instance_limits(network_csv: str, trunking_csv: str, *, source: str) -> pd.DataFrame:
    """Join ``instance_network_limits.csv`` and ``ecs_eni_trunking_limits.csv`` into one table."""
    net = pd.read_csv(io.StringIO(network_csv), dtype={"instance_type": str})
    missing = [c for c in _REQUIRED if c not in net.columns]
    if missing:
        raise OfferFormatError(source, "header", f"columns {missing}")
    for col in ("max_enis", "default_card_max_enis", "ipv4_per_eni", "eks_max_pods"):
        bad = net[pd.to_numeric(net[col], errors="coerce").isna()]
        if not bad.empty:
            raise OfferFormatError(source, f"instance {bad['instance_type'].iloc[0]}",
                                   f"an integer {col}")
        net[col] = net[col].astype(int)
    trunk = pd.read_csv(io.StringIO(trunking_csv), dtype={"instance_type": str})
    trunk = trunk.rename(columns={
        "trunking_supported": "ecs_trunking_supported",
        "task_limit_without_trunking": "ecs_tasks_without_trunking",
        "task_limit_with_trunking": "ecs_tasks_with_trunking",
    })[["instance_type", "ecs_trunking_supported", "ecs_tasks_without_trunking",
        "ecs_tasks_with_trunking"]]
    out = net.merge(trunk, on="instance_type", how="left")
    out["bare_metal"] = out["bare_metal"].astype(str).str.lower() == "true"
    out["ecs_trunking_supported"] = out["ecs_trunking_supported"].astype(str).str.lower() == "true"
    out["cpu_arch"] = out["cpu_arch"].fillna("").astype(str)
    return out[list(LIMIT_COLUMNS)].sort_values("instance_type").reset_index(drop=True)
