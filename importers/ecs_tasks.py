"""An ECS task definition's size, sidecars, architecture and OS.

Rules (Amazon ECS API Reference, ``TaskDefinition`` and ``ContainerDefinition``)
--------------------------------------------------------------------------------
- **Task size.** Task-level ``cpu``/``memory`` (required on Fargate, optional on EC2)
  are what ECS reserves for the task, so when present they are the task's size.
  Otherwise the task's size is the sum of its containers'.
- **Container memory.** ``memoryReservation`` (the soft limit) is what ECS subtracts
  from an instance when placing the container, else ``memory`` (the hard limit): "If
  you specify memoryReservation, then that value is subtracted from the available
  memory resources for the container instance where the container is placed.
  Otherwise, the value of memory is used."
- **Container CPU** is in CPU units (1024 per vCPU); a container without one reserves
  none.
- **Main container and sidecars.** The first essential container (``essential``
  defaults to true) is the main one; every other container that reserves both CPU and
  memory is a sidecar.  Containers reserving neither share the task's size and are
  counted with the main container.  With task-level sizes, the main container gets
  the task size minus the sidecars, so the task's total is exactly the task size.
- **Defaults.** Without task-level sizes, a main container with no CPU or memory gets
  :data:`importers.quantities.DEFAULT_CPU_CORES` / ``DEFAULT_MEMORY_BYTES``, reported.
- **Limits ECS enforces.** "If you specify both, ``memory`` must be greater than
  ``memoryReservation``" (``ContainerDefinition``): a reservation above the hard limit is
  an error here too.  A task definition that requires Fargate only
  (``requiresCompatibilities: [FARGATE]``) must fit a Fargate size
  (:func:`advisor.capacity.fargate_sizes.round_up_to_fargate_size`); one that no size fits
  is an error naming ``cpu`` or ``memory``, not a platform the estimate finds unavailable.
- ``runtimePlatform.cpuArchitecture`` ``ARM64`` -> arm64 (default ``X86_64``);
  ``operatingSystemFamily`` ``WINDOWS_SERVER_*`` -> windows (default ``LINUX``);
  ``ephemeralStorage.sizeInGiB`` -> ephemeral storage (Fargate default 20 GiB).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from advisor.capacity.fargate_sizes import round_up_to_fargate_size
from advisor.errors import InvalidWorkload
from advisor.workload.limits import MAX_NAME_CHARS
from importers import fields
from importers.quantities import (
    BYTES_PER_MIB,
    DEFAULT_CPU_CORES,
    DEFAULT_MEMORY_BYTES,
    ECS_CPU_UNITS_PER_VCPU,
    QuantityError,
    checked_memory_gib,
    checked_vcpu,
    parse_ecs_cpu_units,
    parse_ecs_memory_mib,
)
from importers.report import Origin, ReportLog, WorkloadImportError
from importers.schemas import ECS_CONTAINER_DEFINITION_FIELDS, ECS_TASK_DEFINITION_FIELDS

ECS_MEMORY_HINT = "ECS memory is in MiB: write 512, not 0.5"
_MIB_PER_GIB = 1024


@dataclass(frozen=True, slots=True)
class _Container:
    name: str
    cores: Decimal
    memory_mib: Decimal
    essential: bool


@dataclass(frozen=True, slots=True)
class TaskShape:
    """The scenario's view of a task: main container, sidecars, platform."""

    vcpu: float
    memory_gib: float
    sidecars: tuple[dict[str, Any], ...]
    architecture: str
    os: str
    ephemeral_storage_gib: float | None
    network_mode: str = "awsvpc"

    @property
    def total_vcpu(self) -> float:
        """Main plus sidecars [vCPU]."""
        return self.vcpu + sum(s["vcpu"] for s in self.sidecars)

    @property
    def total_memory_gib(self) -> float:
        """Main plus sidecars [GiB]."""
        return self.memory_gib + sum(s["memory_gib"] for s in self.sidecars)

    def service_fields(self) -> dict[str, Any]:
        """The ``Service`` fields this shape fills in."""
        out: dict[str, Any] = {"vcpu": self.vcpu, "memory_gib": self.memory_gib, "sidecars": list(self.sidecars),
                               "architecture": self.architecture, "os": self.os}
        if self.ephemeral_storage_gib is not None:
            out["ephemeral_storage_gib"] = self.ephemeral_storage_gib
        if self.network_mode != "awsvpc":
            out["network_mode"] = self.network_mode
        return out


def task_shape(body: Mapping[str, Any], origin: Origin, log: ReportLog) -> TaskShape:
    """Size a task definition (the ``taskDefinition`` object or a register-task-definition input).

    Raises
    ------
    WorkloadImportError
        No containers, a malformed or absurd size, named by field.
    """
    fields.report_unknown(body, ECS_TASK_DEFINITION_FIELDS, origin, "", log, "an ECS task definition")
    containers = [_container(c, origin, f"containerDefinitions[{i}]", log)
                  for i, c in enumerate(fields.mappings(body, "containerDefinitions", origin, ""))]
    if not containers:
        raise WorkloadImportError(origin, "containerDefinitions", "a task definition needs at least one container")
    main_index = next((i for i, c in enumerate(containers) if c.essential), 0)
    main, others = containers[main_index], containers[:main_index] + containers[main_index + 1:]
    sidecars = [c for c in others if c.cores > 0 and c.memory_mib > 0]
    for folded in (c for c in others if c not in sidecars):
        log.assumed(origin, "containerDefinitions", f"container {folded.name!r} reserves no CPU or no memory of its "
                                                    f"own; counted with the main container {main.name!r}")
    main = _fold(main, [c for c in others if c not in sidecars])
    task_cores, task_mib = _task_size(body, origin, log)
    if (task_cores is not None and task_cores <= sum((c.cores for c in sidecars), Decimal(0))) or \
            (task_mib is not None and task_mib <= sum((c.memory_mib for c in sidecars), Decimal(0))):
        log.assumed(origin, "containerDefinitions", "the sidecars reserve the whole task size; all containers are "
                                                    f"counted as the main container {main.name!r}")
        main, sidecars = _fold(main, sidecars), []
    cores = _resource(task_cores, main.cores, sum((c.cores for c in sidecars), Decimal(0)), "cpu",
                      DEFAULT_CPU_CORES, f"{DEFAULT_CPU_CORES} vCPU", origin, main.name, log)
    memory_mib = _resource(task_mib, main.memory_mib, sum((c.memory_mib for c in sidecars), Decimal(0)), "memory",
                           DEFAULT_MEMORY_BYTES / BYTES_PER_MIB, f"{DEFAULT_MEMORY_BYTES / BYTES_PER_MIB:f} MiB",
                           origin, main.name, log)
    try:
        vcpu, memory_gib = checked_vcpu(cores), checked_memory_gib(memory_mib * BYTES_PER_MIB, ECS_MEMORY_HINT)
        sidecar_docs = tuple({"name": _sidecar_name(c.name, origin, log), "vcpu": checked_vcpu(c.cores),
                              "memory_gib": checked_memory_gib(c.memory_mib * BYTES_PER_MIB, ECS_MEMORY_HINT)}
                             for c in sidecars)
    except QuantityError as exc:
        raise fields.quantity_error(origin, "containerDefinitions", exc) from None
    architecture, os_name = _platform(body, origin, log)
    shape = TaskShape(vcpu, memory_gib, sidecar_docs, architecture, os_name, _ephemeral_gib(body, origin, log),
                      _network_mode(body, origin, log))
    _check_fargate_only(body, shape, origin)
    return shape


def _sidecar_name(name: str, origin: Origin, log: ReportLog) -> str:
    """A container name as a scenario sidecar's (ECS allows 255 characters, a scenario name 120)."""
    if len(name) <= MAX_NAME_CHARS:
        return name
    log.assumed(origin, "containerDefinitions", f"container name longer than {MAX_NAME_CHARS} characters; "
                                                f"shortened to {name[:MAX_NAME_CHARS]!r}")
    return name[:MAX_NAME_CHARS]


def _check_fargate_only(body: Mapping[str, Any], shape: TaskShape, origin: Origin) -> None:
    """A task definition that requires Fargate alone must fit a Fargate size (see the module docstring)."""
    compat = {str(c).upper() for c in fields.sequence(body, "requiresCompatibilities", origin, "")}
    if compat != {"FARGATE"}:
        return
    try:
        round_up_to_fargate_size(shape.total_vcpu, shape.total_memory_gib, os=shape.os)
    except InvalidWorkload as exc:
        key, amount = ("cpu", f"{shape.total_vcpu:g} vCPU") if exc.field == "vcpu" else (
            "memory", f"{shape.total_memory_gib:g} GiB")
        written = f" ({body[key]!r})" if body.get(key) is not None else ""
        raise WorkloadImportError(origin, key, f"{amount}{written} fits no Fargate size, and the task definition "
                                               f"requires FARGATE; allowed: {exc.allowed}") from None


def _container(data: Mapping[str, Any], origin: Origin, path: str, log: ReportLog) -> _Container:
    fields.report_unknown(data, ECS_CONTAINER_DEFINITION_FIELDS, origin, path, log, "an ECS container definition")
    name = fields.text(data, "name", origin, path) or path
    try:
        units = parse_ecs_cpu_units(data["cpu"]) if data.get("cpu") is not None else Decimal(0)
        reservation = _mib(data, "memoryReservation")
        hard = _mib(data, "memory")
    except QuantityError as exc:
        raise fields.quantity_error(origin, path, exc) from None
    memory = reservation or hard
    if reservation and hard and reservation > hard:
        raise WorkloadImportError(origin, f"{path}.memoryReservation", f"{reservation.normalize():f} MiB is above the "
                                  f"hard limit memory {hard.normalize():f} MiB; ECS requires memory to be greater "
                                  "than memoryReservation")
    try:
        _check(units / ECS_CPU_UNITS_PER_VCPU, memory)
    except QuantityError as exc:
        raise fields.quantity_error(origin, path, exc) from None
    if memory:
        used = "memoryReservation" if reservation else "memory"
        log.mapped(origin, f"{path}.{used}", f"{memory.normalize():f} MiB reserved for {name!r}")
    if units:
        log.mapped(origin, f"{path}.cpu", f"{units.normalize():f} CPU units = "
                                          f"{units / ECS_CPU_UNITS_PER_VCPU:.4g} vCPU for {name!r}")
    for i, req in enumerate(fields.mappings(data, "resourceRequirements", origin, path)):
        log.skipped(origin, f"{path}.resourceRequirements[{i}]", f"{req.get('type')} is not priced by the advisor")
    essential = data.get("essential", True) is not False
    return _Container(name, units / ECS_CPU_UNITS_PER_VCPU, memory, essential)


def _check(cores: Decimal | None, memory_mib: Decimal | None) -> None:
    """Refuse absurd sizes where they are written, so the error names that field."""
    if cores is not None:
        checked_vcpu(cores)
    if memory_mib is not None:
        checked_memory_gib(memory_mib * BYTES_PER_MIB, ECS_MEMORY_HINT)


def _mib(data: Mapping[str, Any], key: str) -> Decimal:
    return parse_ecs_memory_mib(data[key]) if data.get(key) is not None else Decimal(0)


def _fold(main: _Container, others: list[_Container]) -> _Container:
    return _Container(main.name, main.cores + sum((c.cores for c in others), Decimal(0)),
                      main.memory_mib + sum((c.memory_mib for c in others), Decimal(0)), main.essential)


def _task_size(body: Mapping[str, Any], origin: Origin, log: ReportLog) -> tuple[Decimal | None, Decimal | None]:
    """Task-level (cores, MiB), None where not set."""
    sizes: list[Decimal | None] = []
    for key, parse, unit in (("cpu", parse_ecs_cpu_units, ECS_CPU_UNITS_PER_VCPU), ("memory", parse_ecs_memory_mib, 1)):
        if not body.get(key):
            sizes.append(None)
            continue
        try:
            sizes.append(parse(body[key]) / unit)
            _check(sizes[-1] if key == "cpu" else None, sizes[-1] if key == "memory" else None)
        except QuantityError as exc:
            raise fields.quantity_error(origin, key, exc) from None
        log.mapped(origin, key, f"task-level {key} {body[key]!r} = {sizes[-1].normalize():f} "
                                f"{'vCPU' if key == 'cpu' else 'MiB'}: the task's size")
    return sizes[0], sizes[1]


def _resource(task: Decimal | None, main: Decimal, sidecars: Decimal, key: str, default: Decimal, shown: str,
              origin: Origin, main_name: str, log: ReportLog) -> Decimal:
    """The main container's share: task size minus sidecars, else its own reservation, else the default."""
    if task is not None:
        return task - sidecars
    if main > 0:
        return main
    log.assumed(origin, key, f"neither the task nor the main container {main_name!r} reserves {key}; {shown} "
                             "assumed (the kube-scheduler's stand-in for request-less containers)")
    return default


def _platform(body: Mapping[str, Any], origin: Origin, log: ReportLog) -> tuple[str, str]:
    runtime = fields.mapping(body, "runtimePlatform", origin, "")
    arch = fields.text(runtime, "cpuArchitecture", origin, "runtimePlatform", "X86_64").upper()
    family = fields.text(runtime, "operatingSystemFamily", origin, "runtimePlatform", "LINUX").upper()
    if arch not in ("X86_64", "ARM64"):
        raise WorkloadImportError(origin, "runtimePlatform.cpuArchitecture", f"{arch!r}; allowed: X86_64, ARM64")
    os_name = "windows" if family.startswith("WINDOWS") else "linux"
    if runtime:
        log.mapped(origin, "runtimePlatform", f"{arch} {family} -> {arch.lower()} {os_name}")
    compat = fields.sequence(body, "requiresCompatibilities", origin, "")
    if compat:
        log.mapped(origin, "requiresCompatibilities", f"{', '.join(map(str, compat))}: the advisor prices the task on "
                                                      "every platform for comparison")
    return arch.lower(), os_name


#: ECS ``networkMode`` values and the scenario's ``network_mode``: ``none`` has no ENI of its own,
#: like ``bridge`` (ECS Developer Guide, "Amazon ECS task networking options for the EC2 launch type").
_NETWORK_MODES = {"awsvpc": "awsvpc", "bridge": "bridge", "host": "host", "none": "bridge"}


def _network_mode(body: Mapping[str, Any], origin: Origin, log: ReportLog) -> str:
    """The task definition's ``networkMode`` as the scenario's ``network_mode`` (it decides EC2 task density)."""
    mode = fields.text(body, "networkMode", origin, "", "")
    if not mode:
        log.assumed(origin, "networkMode", "absent: priced as awsvpc, the advisor's default (ECS's own default on "
                                           "Linux EC2 is bridge; set network_mode if your tasks run in bridge)")
        return "awsvpc"
    if mode.lower() not in _NETWORK_MODES:
        raise WorkloadImportError(origin, "networkMode", f"{mode!r}; allowed: {', '.join(_NETWORK_MODES)}")
    log.mapped(origin, "networkMode", f"{mode} -> network_mode {_NETWORK_MODES[mode.lower()]}")
    return _NETWORK_MODES[mode.lower()]


def _ephemeral_gib(body: Mapping[str, Any], origin: Origin, log: ReportLog) -> float | None:
    storage = fields.mapping(body, "ephemeralStorage", origin, "")
    size = fields.count(storage, "sizeInGiB", origin, "ephemeralStorage", None)
    if size is None:
        return None
    log.mapped(origin, "ephemeralStorage.sizeInGiB", f"{size} GiB of ephemeral storage")
    return float(size)
