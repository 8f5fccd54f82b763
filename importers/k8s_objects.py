"""A Kubernetes object of the input, and the reads every kind shares: its spec, pod template and sizes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from importers import fields
from importers.k8s_pods import ContainerRequest
from importers.quantities import K8S_MEMORY_HINT, QuantityError, checked_memory_gib, checked_vcpu
from importers.report import Origin, ReportLog
from importers.schemas import K8S_OBJECT_FIELDS, K8S_WORKLOAD_SPEC_FIELDS


@dataclass(frozen=True, slots=True)
class K8sObject:
    """One object of the input, with its place, identity and controlling owner."""

    origin: Origin
    kind: str
    name: str
    namespace: str
    body: dict[str, Any]
    owner: tuple[str, str] | None

    @property
    def key(self) -> tuple[str, str, str]:
        """(namespace, kind, name), the identity owners and autoscalers refer to."""
        return self.namespace, self.kind, self.name


def spec_of(obj: K8sObject, log: ReportLog) -> dict[str, Any]:
    """``spec`` of an object the importer reads, with unknown fields reported."""
    fields.report_unknown(obj.body, K8S_OBJECT_FIELDS, obj.origin, "", log, "a Kubernetes object")
    spec = fields.mapping(obj.body, "spec", obj.origin, "")
    if obj.kind in K8S_WORKLOAD_SPEC_FIELDS:
        fields.report_unknown(spec, K8S_WORKLOAD_SPEC_FIELDS[obj.kind], obj.origin, "spec", log,
                              f"a Kubernetes {obj.kind}Spec")
    return spec


def pod_spec_of(obj: K8sObject, spec: dict[str, Any], path: str = "spec") -> tuple[dict[str, Any], str]:
    template = fields.mapping(spec, "template", obj.origin, path)
    return fields.mapping(template, "spec", obj.origin, f"{path}.template"), f"{path}.template.spec"


def request_size(request: ContainerRequest, origin: Origin, path: str) -> dict[str, float]:
    """``vcpu`` and ``memory_gib`` of a request, refusing absurd amounts."""
    try:
        return {"vcpu": checked_vcpu(request.cores),
                "memory_gib": checked_memory_gib(request.memory_bytes, K8S_MEMORY_HINT)}
    except QuantityError as exc:
        raise fields.quantity_error(origin, path, exc) from None
