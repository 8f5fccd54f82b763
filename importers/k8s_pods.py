"""A Kubernetes pod template's requests, as the scheduler counts them, and where it may run.

Rules
-----
**A container's request.** ``resources.requests`` is used.  A resource with a limit
but no request gets the limit as its request, as Kubernetes does ("If you specify a
limit for a resource, but do not specify any request, and no admission-time mechanism
has applied a default request for that resource, then Kubernetes copies the limit you
specified and uses it as the requested value", Kubernetes docs, "Resource Management
for Pods and Containers").  With neither, the kube-scheduler's own stand-ins for
request-less pods are used: 100m CPU and 200 MiB
(:data:`importers.quantities.DEFAULT_CPU_CORES`, ``DEFAULT_MEMORY_BYTES``).
Every default is reported as an assumption.  Both a request and a limit that are set are
read, and the pod is refused as the API server refuses it when either is not a quantity
or the request is above the limit ("must be less than or equal to ... limit",
``ValidateResourceRequirements`` in kubernetes/kubernetes ``pkg/apis/core/validation``).

**The pod's request** (Kubernetes docs, "Effective Pod requests and limits"): init
containers run one at a time, each alongside the sidecars (init containers with
``restartPolicy: Always``) listed before it; the *effective init request* is the
largest of (init container + earlier sidecars).  The pod's effective request is the
larger of that and the sum of all regular containers and sidecars.  The advisor's
service has a main container plus sidecars, so when initialization needs more than
the steady state, the difference is added to the main container (and reported).

**Architecture and OS** come from ``nodeSelector`` (``kubernetes.io/arch``,
``kubernetes.io/os`` and their ``beta.`` forms), required node affinity on the same
labels, and ``spec.os.name``; pinned instance types from the same places
(``node.kubernetes.io/instance-type``, see :mod:`importers.pins`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from importers import fields
from importers.pins import K8S_INSTANCE_TYPE_LABELS, Pins
from importers.quantities import (
    BYTES_PER_GIB,
    DEFAULT_CPU_CORES,
    DEFAULT_MEMORY_BYTES,
    K8S_MEMORY_HINT,
    QuantityError,
    checked_memory_gib,
    checked_vcpu,
    parse_k8s_quantity,
)
from importers.report import Origin, ReportLog, WorkloadImportError
from importers.schemas import K8S_CONTAINER_FIELDS, K8S_POD_SPEC_FIELDS, K8S_RESOURCES_FIELDS

#: Fargate's largest ephemeral storage, the scenario's upper bound for it [GiB].
MAX_EPHEMERAL_STORAGE_GIB = 200
ARCH_LABELS = ("kubernetes.io/arch", "beta.kubernetes.io/arch")
OS_LABELS = ("kubernetes.io/os", "beta.kubernetes.io/os")
#: Kubernetes (GOARCH) architecture names -> the scenario's.
ARCHITECTURES = {"amd64": "x86_64", "arm64": "arm64"}
_PRICED_RESOURCES = ("cpu", "memory", "ephemeral-storage")


@dataclass(frozen=True, slots=True)
class ContainerRequest:
    """One container's requests [cores, bytes, bytes]."""

    name: str
    cores: Decimal
    memory_bytes: Decimal
    storage_bytes: Decimal

    def plus(self, other: ContainerRequest) -> ContainerRequest:
        """Element-wise sum, keeping this container's name."""
        return replace(self, cores=self.cores + other.cores, memory_bytes=self.memory_bytes + other.memory_bytes,
                       storage_bytes=self.storage_bytes + other.storage_bytes)


@dataclass(frozen=True, slots=True)
class PodShape:
    """What the scenario needs from a pod template."""

    main: ContainerRequest
    sidecars: tuple[ContainerRequest, ...]
    architecture: str
    os: str
    #: Instance types the pod is pinned to (``node.kubernetes.io/instance-type``), with the field.
    pins: Pins = ()

    @property
    def total(self) -> ContainerRequest:
        """Main plus sidecars: the pod's effective request."""
        out = self.main
        for sidecar in self.sidecars:
            out = out.plus(sidecar)
        return out


def effective_request(regular: list[ContainerRequest], init: list[tuple[ContainerRequest, bool]],
                      resource: str) -> Decimal:
    """The pod's effective request of one resource (``cores``, ``memory_bytes`` or ``storage_bytes``).

    Parameters
    ----------
    regular : list of ContainerRequest
        ``spec.containers``.
    init : list of (ContainerRequest, bool)
        ``spec.initContainers`` in order, with True for sidecars (``restartPolicy: Always``).

    Returns
    -------
    Decimal
        max(largest init container + sidecars started before it, regular + all sidecars).
    """
    sidecars_running = Decimal(0)
    init_peak = Decimal(0)
    for container, is_sidecar in init:
        amount = getattr(container, resource)
        if is_sidecar:
            sidecars_running += amount
        else:
            init_peak = max(init_peak, amount + sidecars_running)
    steady = sum((getattr(c, resource) for c in regular), Decimal(0)) + sidecars_running
    return max(steady, init_peak)


def pod_shape(pod_spec: Mapping[str, Any], origin: Origin, path: str, log: ReportLog) -> PodShape:
    """Requests, architecture and OS of a pod spec (``spec`` of a Pod, ``spec.template.spec`` elsewhere).

    Raises
    ------
    WorkloadImportError
        No containers, a malformed quantity, or an absurd request (named by field).
    """
    fields.report_unknown(pod_spec, K8S_POD_SPEC_FIELDS, origin, path, log, "a Kubernetes PodSpec")
    containers = fields.mappings(pod_spec, "containers", origin, path)
    if not containers:
        raise WorkloadImportError(origin, fields.child(path, "containers"), "a pod needs at least one container")
    regular = [container_request(c, origin, fields.child(fields.child(path, "containers"), i), log)
               for i, c in enumerate(containers)]
    init = [(container_request(c, origin, fields.child(fields.child(path, "initContainers"), i), log),
             c.get("restartPolicy") == "Always")
            for i, c in enumerate(fields.mappings(pod_spec, "initContainers", origin, path))]
    if pod_spec.get("resources"):
        log.skipped(origin, fields.child(path, "resources"), "pod-level resources (a beta feature) are not read; "
                                                             "the containers' requests are used")
    main, sidecars = _fold_zero_sidecars(regular[0], [*regular[1:], *(c for c, side in init if side)], origin, log)
    main = _add_init_excess(main, sidecars, regular, init, origin, path, log)
    pinned = _selector_values(pod_spec, K8S_INSTANCE_TYPE_LABELS, origin, path)
    return PodShape(main, tuple(sidecars), _architecture(pod_spec, origin, path, log),
                    _operating_system(pod_spec, origin, path, log),
                    tuple((fields.child(path, "nodeSelector"), t) for t in sorted(pinned)))


def container_request(container: Mapping[str, Any], origin: Origin, path: str, log: ReportLog) -> ContainerRequest:
    """One container's requests, defaulted by the rules in the module docstring."""
    name = fields.text(container, "name", origin, path) or path
    fields.report_unknown(container, K8S_CONTAINER_FIELDS, origin, path, log, "a Kubernetes Container")
    resources = fields.mapping(container, "resources", origin, path)
    res_path = fields.child(path, "resources")
    fields.report_unknown(resources, K8S_RESOURCES_FIELDS, origin, res_path, log, "Kubernetes ResourceRequirements")
    requests = fields.mapping(resources, "requests", origin, res_path)
    limits = fields.mapping(resources, "limits", origin, res_path)
    for key in sorted({*requests, *limits} - set(_PRICED_RESOURCES)):
        if not str(key).startswith("hugepages-"):
            log.skipped(origin, fields.child(res_path, str(key)), f"resource {key!r} is not priced by the advisor "
                                                                  "(only CPU, memory and ephemeral storage are)")
    found = ReportLog()   # each resource's problem is reported, not only the first
    cores = found.attempt(lambda: _amount(requests, limits, "cpu", origin, res_path, log, DEFAULT_CPU_CORES))
    memory = found.attempt(lambda: _amount(requests, limits, "memory", origin, res_path, log, DEFAULT_MEMORY_BYTES))
    storage = found.attempt(lambda: _amount(requests, limits, "ephemeral-storage", origin, res_path, log, Decimal(0)))
    found.raise_errors()
    assert cores is not None and memory is not None and storage is not None
    try:
        checked_vcpu(cores)
        checked_memory_gib(memory, K8S_MEMORY_HINT)
    except QuantityError as exc:
        raise fields.quantity_error(origin, res_path, exc) from None
    return ContainerRequest(name, cores, memory, storage)


def _quantity(values: Mapping[str, Any], source: str, resource: str, origin: Origin, path: str) -> Decimal | None:
    """``values[resource]`` parsed (None when not set); the error names ``path.source.resource``."""
    if values.get(resource) is None:
        return None
    try:
        return parse_k8s_quantity(values[resource])
    except QuantityError as exc:
        raise fields.quantity_error(origin, fields.child(fields.child(path, source), resource), exc) from None


def _amount(requests: Mapping[str, Any], limits: Mapping[str, Any], resource: str, origin: Origin, path: str,
            log: ReportLog, default: Decimal) -> Decimal:
    request = _quantity(requests, "requests", resource, origin, path)
    limit = _quantity(limits, "limits", resource, origin, path)
    request_path = fields.child(fields.child(path, "requests"), resource)
    if request is not None and limit is not None and request > limit:
        raise WorkloadImportError(origin, request_path, f"request {requests[resource]!r} is above the limit "
                                  f"{limits[resource]!r}; Kubernetes refuses a request above its limit")
    if request is not None:
        log.mapped(origin, request_path, f"{resource} request {requests[resource]!r} = {_human(resource, request)}")
        return request
    if limit is not None:
        log.assumed(origin, fields.child(fields.child(path, "limits"), resource),
                    f"no {resource} request; the limit {limits[resource]!r} is the request (Kubernetes copies a lone "
                    "limit into the request)")
        return limit
    if default:
        log.assumed(origin, fields.child(fields.child(path, "requests"), resource),
                    f"no {resource} request or limit; {_human(resource, default)} assumed (kube-scheduler's "
                    "stand-in for request-less containers)")
    return default


def _human(resource: str, amount: Decimal) -> str:
    if resource == "cpu":
        return f"{amount.normalize():f} vCPU"
    return f"{float(amount / BYTES_PER_GIB):.4g} GiB"


def _fold_zero_sidecars(main: ContainerRequest, others: list[ContainerRequest], origin: Origin,
                        log: ReportLog) -> tuple[ContainerRequest, list[ContainerRequest]]:
    """Sidecars must request some CPU and memory; one that requests none of either joins the main container."""
    kept = []
    for sidecar in others:
        if sidecar.cores > 0 and sidecar.memory_bytes > 0:
            kept.append(sidecar)
        else:
            main = main.plus(sidecar)
            log.assumed(origin, "", f"container {sidecar.name!r} requests zero CPU or memory; counted with the "
                                    f"main container {main.name!r} (a scenario sidecar needs both)")
    return main, kept


def _add_init_excess(main: ContainerRequest, sidecars: list[ContainerRequest], regular: list[ContainerRequest],
                     init: list[tuple[ContainerRequest, bool]], origin: Origin, path: str,
                     log: ReportLog) -> ContainerRequest:
    """Raise the main container so that main + sidecars is the pod's effective request."""
    steady = main
    for sidecar in sidecars:
        steady = steady.plus(sidecar)
    for resource in ("cores", "memory_bytes", "storage_bytes"):
        extra = effective_request(regular, init, resource) - getattr(steady, resource)
        if extra > 0:
            main = replace(main, **{resource: getattr(main, resource) + extra})
            log.assumed(origin, fields.child(path, "initContainers"),
                        f"initialization needs more {resource.split('_')[0]} than the running containers; "
                        f"{_human('cpu' if resource == 'cores' else 'memory', extra)} added to {main.name!r} "
                        "(a pod's request is max(init peak, sum of containers))")
    return main


def _selector_values(pod_spec: Mapping[str, Any], labels: tuple[str, ...], origin: Origin, path: str) -> set[str]:
    """Values a label is pinned to by nodeSelector or required node affinity ('In')."""
    selector = fields.mapping(pod_spec, "nodeSelector", origin, path)
    values = {str(selector[k]) for k in labels if k in selector}
    affinity = fields.mapping(fields.mapping(pod_spec, "affinity", origin, path), "nodeAffinity", origin, path)
    required = fields.mapping(affinity, "requiredDuringSchedulingIgnoredDuringExecution", origin, path)
    for term in fields.mappings(required, "nodeSelectorTerms", origin, path):
        for expression in fields.mappings(term, "matchExpressions", origin, path):
            if expression.get("key") in labels and expression.get("operator") == "In":
                values.update(str(v) for v in fields.sequence(expression, "values", origin, path))
    return values


def _architecture(pod_spec: Mapping[str, Any], origin: Origin, path: str, log: ReportLog) -> str:
    values = _selector_values(pod_spec, ARCH_LABELS, origin, path)
    if not values:
        return "x86_64"
    known = sorted(ARCHITECTURES[v] for v in values if v in ARCHITECTURES)
    if len(values) == 1 and known:
        log.mapped(origin, fields.child(path, "nodeSelector"), f"architecture {values.pop()} -> {known[0]}")
        return known[0]
    log.assumed(origin, fields.child(path, "nodeSelector"), f"architecture may be any of {sorted(values)}; "
                                                            "priced as x86_64")
    return "x86_64"


def _operating_system(pod_spec: Mapping[str, Any], origin: Origin, path: str, log: ReportLog) -> str:
    values = _selector_values(pod_spec, OS_LABELS, origin, path)
    declared = fields.text(fields.mapping(pod_spec, "os", origin, path), "name", origin, fields.child(path, "os"))
    if declared:
        values.add(declared)
    if values == {"windows"}:
        log.mapped(origin, path, "runs on Windows nodes (os: windows)")
        return "windows"
    return "linux"
