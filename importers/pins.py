"""Workloads pinned to EC2 instance types (or Spot capacity): read from the input, checked against the prices.

A Kubernetes pod may select nodes by ``node.kubernetes.io/instance-type`` (nodeSelector or
required node affinity, "Well-Known Labels, Annotations and Taints"), and an ECS task
definition or service by a ``memberOf`` placement constraint on ``attribute:ecs.instance-type``
("Amazon ECS task placement constraints": ``attribute:ecs.instance-type == t2.small`` or
``attribute:ecs.instance-type in [t2.small, t2.medium]``).  The advisor chooses node types
itself, so a pin is reported as an assumption; a pinned type that no Region of the active
price data lists (``m99.huge``) is an import error naming the type and the closest ones,
before a scenario is written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from advisor.workload.catalog import PriceCatalog, instance_type_problem
from importers.report import Origin, ReportLog, WorkloadImportError

#: Node labels naming the instance type (the ``beta.`` form is deprecated but still seen).
K8S_INSTANCE_TYPE_LABELS = ("node.kubernetes.io/instance-type", "beta.kubernetes.io/instance-type")
_ECS_INSTANCE_TYPE = re.compile(r"^\s*attribute:ecs\.instance-type\s*(?:==\s*(?P<one>[^\s\[\]]+)|"
                                r"in\s*\[(?P<many>[^\]]*)\])\s*$")

#: Node labels that pin pods to Spot capacity (Karpenter; EKS managed node groups).
SPOT_NODE_LABELS = {"karpenter.sh/capacity-type": "spot", "eks.amazonaws.com/capacityType": "SPOT"}

#: (field path, instance type) pairs of one workload.
Pins = tuple[tuple[str, str], ...]


def ecs_pins(constraints: object, path: str) -> Pins:
    """Instance types a ``placementConstraints`` list pins to (``memberOf`` expressions)."""
    if not isinstance(constraints, Sequence) or isinstance(constraints, str):
        return ()
    out = []
    for index, constraint in enumerate(constraints):
        if not isinstance(constraint, Mapping) or constraint.get("type") != "memberOf":
            continue
        match = _ECS_INSTANCE_TYPE.match(str(constraint.get("expression", "")))
        if match:
            types = [match["one"]] if match["one"] else [t.strip() for t in match["many"].split(",") if t.strip()]
            out += [(f"{path}[{index}].expression", t) for t in types]
    return tuple(out)


def check_pins(pins: Pins, origin: Origin, catalog: PriceCatalog | None, log: ReportLog) -> None:
    """Report each pin as an assumption; an instance type the price data does not know is an error."""
    for field, instance_type in pins:
        problem = instance_type_problem(field, instance_type, catalog) if catalog is not None else None
        if problem is not None:
            raise WorkloadImportError(origin, field, f"instance type {instance_type!r} is not an EC2 instance type "
                                                     f"of the active price data ({problem.allowed.split('; ', 1)[-1]})")
        family = instance_type.split(".", 1)[0]
        log.assumed(origin, field, f"pinned to {instance_type}: the estimate chooses node types itself; "
                                   f"ec2.instance_families: [{family}] limits it to that family")


def spot_hint(pod_spec: Mapping[str, Any], origin: Origin, path: str, log: ReportLog) -> None:
    """A pod pinned to Spot capacity by a nodeSelector is a hint to set ``purchase.spot_share``."""
    selector = pod_spec.get("nodeSelector")
    for label, value in SPOT_NODE_LABELS.items():
        if isinstance(selector, Mapping) and selector.get(label) == value:
            log.hint(origin, f"{path}.nodeSelector.{label}", "pinned to Spot capacity: consider purchase.spot_share")
