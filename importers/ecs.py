"""Import Amazon ECS task definitions and services, as the AWS CLI prints or accepts them.

Documents recognised (a JSON/YAML file may hold one, or a list of them):

- ``aws ecs describe-task-definition`` output (``{"taskDefinition": {...}, "tags": [...]}``)
  or a ``register-task-definition`` input (``{"family": ..., "containerDefinitions": [...]}``);
- ``aws ecs describe-services`` output (``{"services": [...], "failures": [...]}``) or a
  ``create-service`` input (``{"serviceName": ..., "taskDefinition": ..., ...}``);
- ``aws application-autoscaling describe-scalable-targets`` output
  (``{"ScalableTargets": [...]}``) or a ``register-scalable-target`` input, whose
  ``MinCapacity``/``MaxCapacity`` become the service's replica range.

Each service is sized by the task definition it names (``family``, ``family:revision``
or an ARN).  A ``DAEMON`` service becomes a per-node agent.  Task definitions that no
service in the input runs are skipped, unless the input has no service at all, in which
case each is imported as a one-task service (reported).  The Region comes from the
ARNs when they carry one.

Fargate Spot
------------
A ``capacityProviderStrategy`` places the first ``base`` tasks on the provider that
has a base, and splits the rest by ``weight`` (ECS API Reference,
``CapacityProviderStrategyItem``).  The resulting ``FARGATE_SPOT`` share of each
service, and the task-weighted share over all services, are reported as a hint for
``purchase.spot_share``: that setting applies to every platform of the scenario, so
the importer does not set it on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from advisor.workload.catalog import PriceCatalog
from importers import fields
from importers.assemble import Draft, build_result
from importers.ecs_tasks import TaskShape, task_shape
from importers.kinds import not_readable
from importers.pins import ecs_pins
from importers.report import ImportResult, Origin, ReportLog, WorkloadImportError
from importers.safe_yaml import SourceDocument
from importers.schemas import ECS_SCALABLE_TARGET_FIELDS, ECS_SERVICE_FIELDS

_ARN = re.compile(r"^arn:aws[a-z-]*:(?:ecs|application-autoscaling):([a-z0-9-]+):\d*:")
_TASK_DEF_REF = re.compile(r"^(?:arn:[^:]+:ecs:[^:]*:[^:]*:task-definition/)?([^:/]+)(?::(\d+))?$")
#: ECS's cluster when a request names none ("If you do not specify a cluster, the default cluster is assumed").
DEFAULT_CLUSTER = "default"
DESIRED_COUNT_DIMENSION = "ecs:service:DesiredCount"


@dataclass(frozen=True, slots=True)
class _TaskDefinition:
    origin: Origin
    family: str
    revision: int | None
    body: dict[str, Any]


@dataclass
class _Inputs:
    task_definitions: list[_TaskDefinition] = field(default_factory=list)
    services: list[tuple[Origin, dict[str, Any]]] = field(default_factory=list)
    targets: list[tuple[Origin, dict[str, Any]]] = field(default_factory=list)
    regions: dict[str, Origin] = field(default_factory=dict)


def import_ecs(documents: Sequence[SourceDocument], *, scenario_name: str, region: str | None = None,
               log: ReportLog | None = None, catalog: PriceCatalog | None = None) -> ImportResult:
    """Import ECS services (or bare task definitions) from parsed documents.

    Parameters
    ----------
    documents : sequence of SourceDocument
        From :func:`importers.safe_yaml.load_documents` or :mod:`importers.aws_account`.
    scenario_name : str
        Name of the scenario.
    region : str, optional
        Overrides the Region found in the ARNs.
    log : ReportLog, optional
        Entries recorded before (the live-account importer's EKS findings).
    catalog : PriceCatalog, optional
        The active price data's Regions and instance types, checked before a scenario is made.

    Raises
    ------
    WorkloadImportError
        Malformed documents, absurd sizes, several Regions, or nothing importable.
    """
    log = log if log is not None else ReportLog()
    inputs = _Inputs()
    for doc in documents:
        log.attempt(lambda doc=doc: _collect(doc.data, doc.origin, inputs, log))
    targets = _targets_by_service(inputs, log)
    drafts, used, spot = [], set(), _SpotTally()
    for origin, body in inputs.services:
        draft, task_definition = log.attempt(lambda o=origin, b=body: _service(o, b, inputs, targets, spot, log)) \
            or (None, None)
        if draft is not None:
            drafts.append(draft)
            used.add(id(task_definition))
    drafts += _unused_task_definitions(inputs, used, log)
    spot.report(log)
    sources = list(dict.fromkeys(d.source for d in documents))
    found_region = log.attempt(lambda: _region(region, inputs, sources, log))
    return build_result(drafts, scenario_name=scenario_name, region=found_region, sources=sources, log=log,
                        catalog=catalog)


def _collect(data: object, origin: Origin, inputs: _Inputs, log: ReportLog) -> None:
    if isinstance(data, list):
        for i, item in enumerate(data, start=1):
            _collect(item, Origin(origin.source, origin.document, item=i), inputs, log)
        return
    if not isinstance(data, dict):
        if data is not None:
            log.skipped(origin, "", not_readable(data, "ecs"))
        return
    if isinstance(data.get("taskDefinition"), dict):
        _collect(data["taskDefinition"], origin, inputs, log)
    elif "containerDefinitions" in data:
        _add_task_definition(data, origin, inputs)
    elif isinstance(data.get("services"), list):
        for i, service in enumerate(fields.mappings(data, "services", origin, ""), start=1):
            _collect(service, Origin(origin.source, origin.document, item=i), inputs, log)
        for failure in fields.mappings(data, "failures", origin, ""):
            log.skipped(origin, "failures", f"{failure.get('arn')}: {failure.get('reason')} (reported by ECS)")
    elif "serviceName" in data:
        name = fields.text(data, "serviceName", origin, "")
        inputs.services.append((origin.named("ECS service", name), data))
        _note_region(data, ("serviceArn", "clusterArn"), origin, inputs)
    elif isinstance(data.get("ScalableTargets"), list):
        for i, target in enumerate(fields.mappings(data, "ScalableTargets", origin, ""), start=1):
            _collect(target, Origin(origin.source, origin.document, item=i), inputs, log)
    elif "ResourceId" in data and "ScalableDimension" in data:
        inputs.targets.append((origin.named("scalable target", str(data["ResourceId"])), data))
    else:
        log.skipped(origin, "", not_readable(data, "ecs"))


def _add_task_definition(data: dict[str, Any], origin: Origin, inputs: _Inputs) -> None:
    family = fields.text(data, "family", origin, "")
    arn = fields.text(data, "taskDefinitionArn", origin, "")
    if not family and (match := _TASK_DEF_REF.match(arn)):
        family = match.group(1)
    if not family:
        raise WorkloadImportError(origin, "family", "a task definition needs a family (its name)")
    revision = fields.count(data, "revision", origin, "", None)
    label = f"{family}:{revision}" if revision else family
    inputs.task_definitions.append(_TaskDefinition(origin.named("task definition", label), family, revision, data))
    _note_region(data, ("taskDefinitionArn",), origin, inputs)


def _note_region(data: Mapping[str, Any], keys: tuple[str, ...], origin: Origin, inputs: _Inputs) -> None:
    for key in keys:
        if isinstance(data.get(key), str) and (match := _ARN.match(data[key])):
            inputs.regions.setdefault(match.group(1), origin)


def _region(explicit: str | None, inputs: _Inputs, sources: list[str], log: ReportLog) -> str | None:
    if explicit:
        return explicit
    if len(inputs.regions) > 1:
        raise WorkloadImportError(Origin(", ".join(sources)), "", f"the ARNs name several Regions "
                                  f"({', '.join(sorted(inputs.regions))}); import one Region at a time or pass "
                                  "--region")
    for found, origin in inputs.regions.items():
        log.mapped(origin, "arn", f"Region {found} (from the ARN)")
        return found
    return None


def _cluster(body: Mapping[str, Any]) -> str:
    for key in ("clusterArn", "cluster"):
        value = body.get(key)
        if isinstance(value, str) and value:
            return value.rsplit("/", 1)[-1]
    return DEFAULT_CLUSTER


def _targets_by_service(inputs: _Inputs, log: ReportLog) -> dict[tuple[str, str], tuple[Origin, int, int]]:
    """``service/<cluster>/<service>`` -> (origin, MinCapacity, MaxCapacity)."""
    out: dict[tuple[str, str], tuple[Origin, int, int]] = {}
    for origin, body in inputs.targets:
        found = log.attempt(lambda o=origin, b=body: _target(o, b, log))
        if found is not None:
            out[found[0]] = found[1]
    return out


def _target(origin: Origin, body: dict[str, Any], log: ReportLog) -> tuple[tuple[str, str],
                                                                          tuple[Origin, int, int]] | None:
    fields.report_unknown(body, ECS_SCALABLE_TARGET_FIELDS, origin, "", log, "an Application Auto Scaling target")
    parts = str(body.get("ResourceId", "")).split("/")
    if body.get("ServiceNamespace") != "ecs" or body.get("ScalableDimension") != DESIRED_COUNT_DIMENSION \
            or len(parts) != 3 or parts[0] != "service":
        log.skipped(origin, "ScalableDimension", f"not an ECS service's {DESIRED_COUNT_DIMENSION}; ignored")
        return None
    low = fields.count(body, "MinCapacity", origin, "", None)
    high = fields.count(body, "MaxCapacity", origin, "", None)
    if low is None or high is None or low > high or high < 1:
        raise WorkloadImportError(origin, "MaxCapacity", f"MinCapacity {low!r}, MaxCapacity {high!r}: both are "
                                                         "required, MaxCapacity >= 1 and >= MinCapacity")
    return (parts[1], parts[2]), (origin, low, high)


def _find_task_definition(ref: str, inputs: _Inputs, origin: Origin, log: ReportLog) -> _TaskDefinition | None:
    match = _TASK_DEF_REF.match(ref)
    if not match:
        raise WorkloadImportError(origin, "taskDefinition", f"{ref!r} is not family, family:revision or a task "
                                                            "definition ARN")
    family, revision = match.group(1), int(match.group(2)) if match.group(2) else None
    same_family = [t for t in inputs.task_definitions if t.family == family]
    exact = [t for t in same_family if revision is None or t.revision == revision]
    chosen = max(exact or same_family, key=lambda t: t.revision or 0, default=None)
    if chosen is not None and not exact:
        log.assumed(origin, "taskDefinition", f"runs {ref}, but the input has {chosen.origin.name}; that one is used")
    return chosen


def _service(origin: Origin, body: dict[str, Any], inputs: _Inputs,
             targets: dict[tuple[str, str], tuple[Origin, int, int]], spot: _SpotTally,
             log: ReportLog) -> tuple[Draft | None, _TaskDefinition | None]:
    fields.report_unknown(body, ECS_SERVICE_FIELDS, origin, "", log, "an ECS service")
    if body.get("status") == "INACTIVE":
        log.skipped(origin, "status", "INACTIVE (deleted) service")
        return None, None
    ref = fields.text(body, "taskDefinition", origin, "")
    task_definition = _find_task_definition(ref, inputs, origin, log) if ref else None
    if task_definition is None:
        log.skipped(origin, "taskDefinition", f"runs {ref or 'no task definition'!r}, which is not in the input; "
                                              "add its describe-task-definition output to size it")
        return None, None
    shape = task_shape(task_definition.body, task_definition.origin, log)
    log.mapped(origin, "taskDefinition", f"sized by {task_definition.origin.label()}")
    name, cluster = origin.name, _cluster(body)
    if body.get("schedulingStrategy") == "DAEMON":
        log.mapped(origin, "schedulingStrategy", "DAEMON: one task on every EC2 container instance (a per-node agent)")
        return Draft("daemons", name, f"{cluster}.{name}", {"vcpu": shape.total_vcpu,
                                                            "memory_gib": shape.total_memory_gib}, origin), \
            task_definition
    replicas = _replicas(origin, body, targets.get((cluster, name)), log)
    if replicas is None:
        return None, None
    _launch(origin, body, replicas, shape, spot, log)
    pins = ecs_pins(body.get("placementConstraints"), "placementConstraints") + ecs_pins(
        task_definition.body.get("placementConstraints"), "taskDefinition.placementConstraints")
    return Draft("services", name, f"{cluster}.{name}", {**shape.service_fields(), "replicas": replicas},
                 origin, pins), task_definition


def _replicas(origin: Origin, body: Mapping[str, Any], target: tuple[Origin, int, int] | None,
              log: ReportLog) -> int | dict[str, int] | None:
    if target is not None:
        target_origin, low, high = target
        log.mapped(origin, "desiredCount", f"{low}-{high} tasks from {target_origin.label()}")
        if low == high:
            return high
        log.assumed(origin, "replicas.schedule", "when the service runs above its minimum is unknown: priced at the "
                                                 "maximum all month (schedule 'always'); set replicas.schedule")
        return {"min": low, "max": high}
    desired = fields.count(body, "desiredCount", origin, "", None)
    if desired is None:
        log.assumed(origin, "desiredCount", "not set; 1 task assumed")
        return 1
    if desired == 0:
        log.skipped(origin, "desiredCount", "0 tasks and no scalable target; nothing to price")
        return None
    log.mapped(origin, "desiredCount", f"{desired} tasks")
    return desired


@dataclass
class _SpotTally:
    """Fargate Spot tasks and all tasks over the services, for the spot_share hint."""

    spot_tasks: float = 0.0
    tasks: float = 0.0
    origins: list[Origin] = field(default_factory=list)

    def report(self, log: ReportLog) -> None:
        if self.spot_tasks > 0:
            log.hint(Origin(", ".join(dict.fromkeys(o.source for o in self.origins))), "purchase.spot_share",
                     f"{self.spot_tasks:g} of {self.tasks:g} tasks run on FARGATE_SPOT "
                     f"({self.spot_tasks / self.tasks:.0%}); set purchase.spot_share to "
                     f"{self.spot_tasks / self.tasks:.2f} to price that share on Spot (it applies to every platform)")


def _launch(origin: Origin, body: Mapping[str, Any], replicas: int | dict[str, int], shape: TaskShape,
            spot: _SpotTally, log: ReportLog) -> None:
    tasks = replicas if isinstance(replicas, int) else replicas["max"]
    strategy = fields.mappings(body, "capacityProviderStrategy", origin, "")
    if not strategy:
        launch = fields.text(body, "launchType", origin, "", "EC2 (the default)")
        log.mapped(origin, "launchType", f"{launch}: the advisor prices every platform for comparison")
        spot.tasks += tasks
        return
    spot_tasks = fargate_spot_tasks(strategy, tasks, origin)
    spot.tasks += tasks
    spot.spot_tasks += spot_tasks
    spot.origins.append(origin)
    providers = ", ".join(f"{s.get('capacityProvider')} (base {s.get('base', 0)}, weight {s.get('weight', 0)})"
                          for s in strategy)
    log.mapped(origin, "capacityProviderStrategy", f"{providers}: {spot_tasks:g} of {tasks} tasks on FARGATE_SPOT")
    if spot_tasks and shape.os != "linux":
        log.hint(origin, "capacityProviderStrategy", "FARGATE_SPOT runs Linux tasks only")


def fargate_spot_tasks(strategy: list[dict[str, Any]], tasks: int, origin: Origin) -> float:
    """Tasks a capacity provider strategy puts on FARGATE_SPOT.

    Parameters
    ----------
    strategy : list of dict
        ``capacityProviderStrategy`` items (``capacityProvider``, ``base``, ``weight``).
    tasks : int
        Tasks of the service.

    Returns
    -------
    float
        The provider with a ``base`` gets the first ``min(base, tasks)`` tasks; the rest
        are split by ``weight`` (fractional: an average over scaling states).
    """
    bases = [fields.count(s, "base", origin, f"capacityProviderStrategy[{i}]", 0) or 0 for i, s in enumerate(strategy)]
    weights = [fields.count(s, "weight", origin, f"capacityProviderStrategy[{i}]", 0) or 0
               for i, s in enumerate(strategy)]
    rest = tasks - min(sum(bases), tasks)
    spot = 0.0
    for item, base, weight in zip(strategy, bases, weights, strict=True):
        if item.get("capacityProvider") == "FARGATE_SPOT":
            spot += min(base, tasks) + (rest * weight / sum(weights) if sum(weights) else 0.0)
    return spot


def _unused_task_definitions(inputs: _Inputs, used: set[int], log: ReportLog) -> Iterator[Draft]:
    for task_definition in inputs.task_definitions:
        if id(task_definition) in used:
            continue
        if inputs.services:
            log.skipped(task_definition.origin, "", "no service in the input runs it")
            continue
        shape = log.attempt(lambda td=task_definition: task_shape(td.body, td.origin, log))
        if shape is None:
            continue
        log.assumed(task_definition.origin, "", "no service definition in the input: priced as one task running "
                                                "all month (add describe-services output for the real count)")
        yield Draft("services", task_definition.family, task_definition.origin.name,
                    {**shape.service_fields(), "replicas": 1}, task_definition.origin,
                    ecs_pins(task_definition.body.get("placementConstraints"), "placementConstraints"))
