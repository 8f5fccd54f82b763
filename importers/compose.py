"""Import Docker Compose services (the Compose Specification).

Each service becomes a scenario service with ``deploy.replicas`` replicas (else the
legacy ``scale``, else 1, the Compose default).  ``deploy.mode: global`` (one task per
node) becomes a per-node agent.

Sizes follow the Kubernetes rule, since a reservation is what a scheduler sets aside:
``deploy.resources.reservations`` first, then ``deploy.resources.limits``, then the
service-level ``cpus`` / ``mem_reservation`` / ``mem_limit``; with none of them, the
shared default (:data:`importers.quantities.DEFAULT_CPU_CORES` and
``DEFAULT_MEMORY_BYTES``), reported.  ``platform`` (``linux/arm64``, ``windows/amd64``)
gives architecture and OS.

Compose files may hold unresolved ``${VARIABLES}`` and be spread over several files
that merge; import the output of ``docker compose config``, which resolves both.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from advisor.workload.catalog import PriceCatalog
from importers import fields
from importers.assemble import Draft, build_result
from importers.kinds import not_readable
from importers.quantities import (
    BYTES_PER_GIB,
    COMPOSE_MEMORY_HINT,
    DEFAULT_CPU_CORES,
    DEFAULT_MEMORY_BYTES,
    QuantityError,
    checked_memory_gib,
    checked_vcpu,
    parse_compose_bytes,
    parse_compose_cpus,
)
from importers.report import ImportResult, Origin, ReportLog, WorkloadImportError
from importers.safe_yaml import SourceDocument
from importers.schemas import (
    COMPOSE_DEPLOY_FIELDS,
    COMPOSE_LIMITS_FIELDS,
    COMPOSE_RESERVATIONS_FIELDS,
    COMPOSE_RESOURCES_FIELDS,
    COMPOSE_SERVICE_FIELDS,
    COMPOSE_TOP_LEVEL_FIELDS,
)

#: Compose's default number of containers per service.
DEFAULT_REPLICAS = 1
#: ``platform`` architectures (Go's GOARCH names) -> the scenario's.
ARCHITECTURES = {"amd64": "x86_64", "arm64": "arm64"}
_EXTENSION = "x-"


def import_compose(documents: Sequence[SourceDocument], *, scenario_name: str,
                   region: str | None = None, catalog: PriceCatalog | None = None) -> ImportResult:
    """Import the services of parsed Compose files.

    Parameters
    ----------
    documents : sequence of SourceDocument
        From :func:`importers.safe_yaml.load_documents`.
    scenario_name : str
        Name of the scenario.
    region : str, optional
        AWS Region; None keeps the scenario default, reported.
    catalog : PriceCatalog, optional
        The active price data's Regions and instance types, checked before a scenario is made.

    Raises
    ------
    WorkloadImportError
        Malformed services or sizes, or nothing importable.
    """
    log = ReportLog()
    drafts: list[Draft] = []
    for doc in documents:
        data = doc.data
        if data is None:
            continue
        if not isinstance(data, dict) or not isinstance(data.get("services"), dict):
            log.skipped(doc.origin, "", not_readable(data, "compose"))
            continue
        fields.report_unknown(data, COMPOSE_TOP_LEVEL_FIELDS, doc.origin, "", log, "a Compose file", _EXTENSION)
        project = log.attempt(lambda doc=doc: fields.text(doc.data, "name", doc.origin, "")) \
            or doc.source.rsplit("/", 1)[-1].split(".")[0]
        for name, service in data["services"].items():
            origin = doc.origin.named("Compose service", str(name))
            if not isinstance(service, dict):
                log.errors.append(WorkloadImportError(origin, f"services.{name}",
                                                      "expected a mapping of service settings"))
            elif draft := log.attempt(lambda n=name, sv=service, o=origin, p=project: _service(str(n), sv, p, o, log)):
                drafts.append(draft)
    sources = list(dict.fromkeys(d.source for d in documents))
    return build_result(drafts, scenario_name=scenario_name, region=region, sources=sources, log=log,
                        catalog=catalog)


def _service(name: str, service: dict[str, Any], project: str, origin: Origin, log: ReportLog) -> Draft | None:
    fields.report_unknown(service, COMPOSE_SERVICE_FIELDS, origin, "", log, "a Compose service", _EXTENSION)
    deploy = fields.mapping(service, "deploy", origin, "")
    fields.report_unknown(deploy, COMPOSE_DEPLOY_FIELDS, origin, "deploy", log, "Compose deploy", _EXTENSION)
    resources = fields.mapping(deploy, "resources", origin, "deploy")
    fields.report_unknown(resources, COMPOSE_RESOURCES_FIELDS, origin, "deploy.resources", log,
                          "Compose deploy.resources", _EXTENSION)
    limits = fields.mapping(resources, "limits", origin, "deploy.resources")
    reservations = fields.mapping(resources, "reservations", origin, "deploy.resources")
    fields.report_unknown(limits, COMPOSE_LIMITS_FIELDS, origin, "deploy.resources.limits", log,
                          "Compose resource limits", _EXTENSION)
    fields.report_unknown(reservations, COMPOSE_RESERVATIONS_FIELDS, origin, "deploy.resources.reservations", log,
                          "Compose resource reservations", _EXTENSION)
    for path, value in (("gpus", service.get("gpus")), ("deploy.resources.reservations.devices",
                                                        reservations.get("devices"))):
        if value:
            log.skipped(origin, path, "devices (GPUs) are not priced by the advisor")
    cores = _amount(origin, log, parse_compose_cpus, DEFAULT_CPU_CORES, "cpu",
                    ("deploy.resources.reservations.cpus", reservations.get("cpus")),
                    ("deploy.resources.limits.cpus", limits.get("cpus")), ("cpus", service.get("cpus")))
    memory = _amount(origin, log, parse_compose_bytes, DEFAULT_MEMORY_BYTES, "memory",
                     ("deploy.resources.reservations.memory", reservations.get("memory")),
                     ("deploy.resources.limits.memory", limits.get("memory")),
                     ("mem_reservation", service.get("mem_reservation")), ("mem_limit", service.get("mem_limit")))
    try:
        size = {"vcpu": checked_vcpu(cores), "memory_gib": checked_memory_gib(memory, COMPOSE_MEMORY_HINT)}
    except QuantityError as exc:
        raise fields.quantity_error(origin, "deploy.resources", exc) from None
    if service.get("profiles"):
        log.assumed(origin, "profiles", f"started only with profile(s) {service['profiles']}; imported anyway")
    mode = fields.text(deploy, "mode", origin, "deploy", "replicated")
    if mode == "global":
        log.mapped(origin, "deploy.mode", "global: one container on every node (a per-node agent)")
        return Draft("daemons", name, f"{project}.{name}", size, origin)
    if mode != "replicated":
        raise WorkloadImportError(origin, "deploy.mode", f"{mode!r}; allowed: replicated, global")
    replicas = _replicas(service, deploy, origin, log)
    if replicas is None:
        return None
    return Draft("services", name, f"{project}.{name}", {**size, **_platform(service, origin, log),
                                                         "replicas": replicas}, origin)


def _amount(origin: Origin, log: ReportLog, parse: Callable[[object], Decimal], default: Decimal, what: str,
            *candidates: tuple[str, object]) -> Decimal:
    """The first candidate that is set (reservation, then limit, then legacy keys), else the default.

    Every candidate that is set must parse, and the reservation must not be above the limit
    (Docker refuses a memory reservation above the memory limit).
    """
    parsed: dict[str, Decimal] = {}
    for path, value in candidates:
        if value is not None:
            try:
                parsed[path] = parse(value)
            except QuantityError as exc:
                raise fields.quantity_error(origin, path, exc) from None
    (reservation_path, _), (limit_path, _) = candidates[:2]
    if reservation_path in parsed and limit_path in parsed and parsed[reservation_path] > parsed[limit_path]:
        raise WorkloadImportError(origin, reservation_path, f"{candidates[0][1]!r} is above the limit "
                                                            f"{candidates[1][1]!r} ({limit_path}); a reservation "
                                                            "cannot exceed its limit")
    for rank, (path, value) in enumerate(candidates):
        if path not in parsed:
            continue
        amount = parsed[path]
        shown = f"{amount.normalize():f} vCPU" if what == "cpu" else f"{float(amount / BYTES_PER_GIB):.4g} GiB"
        if rank == 0:
            log.mapped(origin, path, f"{what} reservation {value!r} = {shown}")
        else:
            log.assumed(origin, path, f"no {what} reservation; {value!r} = {shown} is used instead")
        return amount
    shown = f"{default} vCPU" if what == "cpu" else f"{default / 2**20:f} MiB"
    log.assumed(origin, candidates[0][0], f"no {what} reservation or limit; {shown} assumed (the kube-scheduler's "
                                          "stand-in for request-less containers)")
    return default


def _replicas(service: Mapping[str, Any], deploy: Mapping[str, Any], origin: Origin, log: ReportLog) -> int | None:
    replicas = fields.count(deploy, "replicas", origin, "deploy", None)
    path = "deploy.replicas"
    if replicas is None:
        replicas, path = fields.count(service, "scale", origin, "", None), "scale"
    if replicas is None:
        log.assumed(origin, "deploy.replicas", f"not set; {DEFAULT_REPLICAS} (the Compose default)")
        return DEFAULT_REPLICAS
    if replicas == 0:
        log.skipped(origin, path, "0 replicas; nothing to price")
        return None
    log.mapped(origin, path, f"{replicas} replicas")
    return replicas


def _platform(service: Mapping[str, Any], origin: Origin, log: ReportLog) -> dict[str, str]:
    platform = fields.text(service, "platform", origin, "")
    if not platform:
        return {}
    parts = platform.lower().split("/")
    os_name = "windows" if parts[0] == "windows" else "linux"
    arch = ARCHITECTURES.get(parts[1] if len(parts) > 1 else "")
    if arch is None:
        log.assumed(origin, "platform", f"{platform!r}: architecture not one of {sorted(ARCHITECTURES)}; priced as "
                                        "x86_64")
        arch = "x86_64"
    else:
        log.mapped(origin, "platform", f"{platform} -> {arch} {os_name}")
    return {"architecture": arch, "os": os_name}
