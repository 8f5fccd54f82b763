"""Import Kubernetes manifests: what ``kubectl get -o yaml`` or ``helm template`` prints.

Kinds and what they become
--------------------------
- Deployment, StatefulSet, ReplicaSet, ReplicationController -> services
  (``spec.replicas``, default 1 as in the API);
- Pod -> a one-replica service (a bare pod runs until deleted);
- DaemonSet -> a daemon (per-node agent);
- Job -> a job run once a month; CronJob -> a job run as often as its schedule says
  (:mod:`importers.cron`);
- HorizontalPodAutoscaler -> the min/max replicas of the workload its
  ``scaleTargetRef`` names (same namespace);
- ``List`` (and typed ``...List``) objects are opened and their items read.

Objects managed by another object in the input (a ReplicaSet of a Deployment, the Pods
of a ReplicaSet, the Jobs of a CronJob) are counted through their owner, so a
``kubectl get all`` export is not double-counted; finished Jobs of a CronJob still
lend their observed durations.  CoreDNS, aws-node and kube-proxy in ``kube-system`` are
skipped because the advisor adds them itself.  Every other kind is skipped and
reported (Services of type LoadBalancer and Ingresses with a hint about
``traffic.load_balancers``).

Job duration
------------
Manifests do not say how long a run takes.  The median of finished runs found in the
input (``status.startTime`` to ``status.completionTime``) is used when there are any;
else ``activeDeadlineSeconds`` (an upper bound); else
:data:`DEFAULT_JOB_DURATION_MINUTES` per wave of pods.  Each choice is reported.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from advisor.workload.catalog import PriceCatalog
from advisor.workload.units import HOURS_PER_MONTH
from importers import fields
from importers.assemble import Draft, build_result
from importers.cron import CronError, runs_per_month
from importers.k8s_pods import MAX_EPHEMERAL_STORAGE_GIB, ContainerRequest, PodShape, pod_shape
from importers.pins import spot_hint
from importers.quantities import BYTES_PER_GIB, K8S_MEMORY_HINT, QuantityError, checked_memory_gib, checked_vcpu
from importers.report import ImportResult, Origin, ReportLog, WorkloadImportError
from importers.safe_yaml import SourceDocument
from importers.schemas import K8S_OBJECT_FIELDS, K8S_WORKLOAD_SPEC_FIELDS

SERVICE_KINDS = ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController")
#: DeploymentSpec/StatefulSetSpec/ReplicaSetSpec ``replicas``: "Defaults to 1".
DEFAULT_REPLICAS = 1
#: HorizontalPodAutoscalerSpec ``minReplicas``: "It defaults to 1 pod".
DEFAULT_HPA_MIN_REPLICAS = 1
#: No source can know a job's run time; a short placeholder, always reported, for the
#: user to replace with a measured value (``jobs[].duration_minutes``).
DEFAULT_JOB_DURATION_MINUTES = 10.0
#: Workloads the advisor prices on its own for every EKS cluster (README, "How each
#: platform is priced"); importing them would count them twice.
ADVISOR_MODELLED = frozenset({("kube-system", "coredns"), ("kube-system", "aws-node"), ("kube-system", "kube-proxy")})
_MINUTES_PER_MONTH = HOURS_PER_MONTH * 60


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


@dataclass(frozen=True, slots=True)
class _Autoscaler:
    low: int
    high: int
    origin: Origin


def import_kubernetes(documents: Sequence[SourceDocument], *, scenario_name: str,
                      region: str | None = None, catalog: PriceCatalog | None = None) -> ImportResult:
    """Import workloads from parsed manifest documents.

    Parameters
    ----------
    documents : sequence of SourceDocument
        From :func:`importers.safe_yaml.load_documents`, any number of files.
    scenario_name : str
        Name of the scenario.
    region : str, optional
        AWS Region (manifests do not say); None keeps the scenario default, reported.
    catalog : PriceCatalog, optional
        The active price data's Regions and instance types (checked).

    Raises
    ------
    WorkloadImportError
        Malformed objects, invalid quantities or schedules, or nothing importable.
    """
    log = ReportLog()
    objects = list(_objects(documents, log))
    present = {o.key for o in objects}
    autoscalers = _autoscalers(objects, present, log)
    observed = _observed_minutes(objects)
    drafts = [d for o in objects if o.kind != "HorizontalPodAutoscaler"
              and (d := _convert(o, present, autoscalers, observed, log)) is not None]
    sources = list(dict.fromkeys(d.source for d in documents))
    return build_result(drafts, scenario_name=scenario_name, region=region, sources=sources, log=log, catalog=catalog)


def _objects(documents: Sequence[SourceDocument], log: ReportLog) -> Iterator[K8sObject]:
    for doc in documents:
        data = doc.data
        if isinstance(data, dict) and isinstance(data.get("kind"), str) and data["kind"].endswith("List") \
                and "items" in data:
            item_kind = data["kind"].removesuffix("List")
            for i, item in enumerate(fields.sequence(data, "items", doc.origin, ""), start=1):
                yield from _object(item, Origin(doc.source, doc.index, item=i), log, item_kind)
        elif data is not None:
            yield from _object(data, doc.origin, log, "")


def _object(data: object, origin: Origin, log: ReportLog, default_kind: str) -> Iterator[K8sObject]:
    kind = (data.get("kind") or default_kind) if isinstance(data, dict) else ""
    if not isinstance(data, dict) or not isinstance(kind, str) or not kind:
        log.skipped(origin, "", "not a Kubernetes object (no kind); skipped")
        return
    meta = fields.mapping(data, "metadata", origin, "")
    name = (fields.text(meta, "name", origin, "metadata")
            or fields.text(meta, "generateName", origin, "metadata").rstrip("-"))
    if not name:
        name = f"{kind.lower()}-{origin.document}" + (f"-{origin.item}" if origin.item else "")
        log.assumed(origin.named(kind, name), "metadata.name", f"missing; named {name!r}")
    owners = [o for o in fields.mappings(meta, "ownerReferences", origin, "metadata") if o.get("controller")]
    owner = (str(owners[0].get("kind")), str(owners[0].get("name"))) if owners else None
    namespace = fields.text(meta, "namespace", origin, "metadata") or "default"
    yield K8sObject(origin.named(kind, name), kind, name, namespace, data, owner)


def _spec(obj: K8sObject, log: ReportLog) -> dict[str, Any]:
    """``spec`` of an object the importer reads, with unknown fields reported."""
    fields.report_unknown(obj.body, K8S_OBJECT_FIELDS, obj.origin, "", log, "a Kubernetes object")
    spec = fields.mapping(obj.body, "spec", obj.origin, "")
    if obj.kind in K8S_WORKLOAD_SPEC_FIELDS:
        fields.report_unknown(spec, K8S_WORKLOAD_SPEC_FIELDS[obj.kind], obj.origin, "spec", log,
                              f"a Kubernetes {obj.kind}Spec")
    return spec


def _autoscalers(objects: list[K8sObject], present: set[tuple[str, str, str]],
                 log: ReportLog) -> dict[tuple[str, str, str], _Autoscaler]:
    out: dict[tuple[str, str, str], _Autoscaler] = {}
    for obj in (o for o in objects if o.kind == "HorizontalPodAutoscaler"):
        spec = _spec(obj, log)
        ref = fields.mapping(spec, "scaleTargetRef", obj.origin, "spec")
        target = (obj.namespace, fields.text(ref, "kind", obj.origin, "spec.scaleTargetRef"),
                  fields.text(ref, "name", obj.origin, "spec.scaleTargetRef"))
        low = fields.count(spec, "minReplicas", obj.origin, "spec", DEFAULT_HPA_MIN_REPLICAS)
        high = fields.count(spec, "maxReplicas", obj.origin, "spec", None)
        if high is None or low is None or low > high or high < 1:
            raise WorkloadImportError(obj.origin, "spec.maxReplicas", f"{high!r} with minReplicas {low!r}: "
                                      "maxReplicas is required, at least 1 and at least minReplicas")
        if target not in present:
            log.skipped(obj.origin, "spec.scaleTargetRef", f"targets {target[1]} {target[2]!r}, which is not in the "
                                                           "input; ignored")
        elif target in out:
            log.skipped(obj.origin, "", f"{target[1]} {target[2]!r} already has an autoscaler "
                                        f"({out[target].origin.label()}); this one is ignored")
        else:
            out[target] = _Autoscaler(low, high, obj.origin)
            log.mapped(obj.origin, "spec", f"scales {target[1]} {target[2]!r} between {low} and {high} replicas")
    return out


def _observed_minutes(objects: list[K8sObject]) -> dict[tuple[str, str, str], list[float]]:
    """Durations of finished Jobs, by the Job itself and by the CronJob that made it [min]."""
    out: dict[tuple[str, str, str], list[float]] = {}
    for obj in (o for o in objects if o.kind == "Job"):
        status = obj.body.get("status")
        if not isinstance(status, dict):
            continue
        start, end = _timestamp(status.get("startTime")), _timestamp(status.get("completionTime"))
        if start is None or end is None or end < start:
            continue
        minutes = (end - start).total_seconds() / 60
        out.setdefault(obj.key, []).append(minutes)
        if obj.owner and obj.owner[0] == "CronJob":
            out.setdefault((obj.namespace, "CronJob", obj.owner[1]), []).append(minutes)
    return out


def _timestamp(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return None


def _convert(obj: K8sObject, present: set[tuple[str, str, str]], autoscalers: dict[tuple[str, str, str], _Autoscaler],
             observed: dict[tuple[str, str, str], list[float]], log: ReportLog) -> Draft | None:
    if (obj.namespace, obj.name) in ADVISOR_MODELLED:
        log.skipped(obj.origin, "", "the advisor adds this cluster component itself on every EKS platform")
        return None
    if obj.owner and (obj.namespace, *obj.owner) in present:
        log.skipped(obj.origin, "metadata.ownerReferences",
                    f"managed by {obj.owner[0]} {obj.owner[1]!r} in the input, which is imported instead")
        return None
    if obj.kind in SERVICE_KINDS or obj.kind == "Pod":
        return _service(obj, autoscalers, log)
    if obj.kind == "DaemonSet":
        return _daemon(obj, log)
    if obj.kind in ("Job", "CronJob"):
        return _job(obj, observed.get(obj.key, []), log)
    _skip_other(obj, log)
    return None


def _pod_spec(obj: K8sObject, spec: dict[str, Any], path: str = "spec") -> tuple[dict[str, Any], str]:
    template = fields.mapping(spec, "template", obj.origin, path)
    return fields.mapping(template, "spec", obj.origin, f"{path}.template"), f"{path}.template.spec"


def _service(obj: K8sObject, autoscalers: dict[tuple[str, str, str], _Autoscaler], log: ReportLog) -> Draft | None:
    spec = _spec(obj, log)
    if obj.kind == "Pod":
        pod_spec, path, replicas = spec, "spec", 1
        owner = f", owned by {obj.owner[0]} {obj.owner[1]!r} which is not in the input" if obj.owner else ""
        log.assumed(obj.origin, "", f"a Pod{owner}: priced as one replica running all month")
    else:
        pod_spec, path = _pod_spec(obj, spec)
        replicas = _replicas(obj, spec, autoscalers, log)
        if replicas is None:
            return None
    shape = pod_shape(pod_spec, obj.origin, path, log)
    if obj.kind == "StatefulSet" and spec.get("volumeClaimTemplates"):
        log.skipped(obj.origin, "spec.volumeClaimTemplates", "persistent volumes (EBS) are not priced by the advisor")
    spot_hint(pod_spec, obj.origin, path, log)
    return Draft("services", obj.name, f"{obj.namespace}.{obj.name}",
                 {**_service_fields(shape, obj.origin, path, log), "replicas": replicas}, obj.origin, shape.pins)


def _replicas(obj: K8sObject, spec: dict[str, Any], autoscalers: dict[tuple[str, str, str], _Autoscaler],
              log: ReportLog) -> int | dict[str, int] | None:
    if scaler := autoscalers.get(obj.key):
        log.mapped(obj.origin, "spec.replicas", f"{scaler.low}-{scaler.high} replicas from {scaler.origin.label()}")
        if scaler.low == scaler.high:
            return scaler.high
        log.assumed(obj.origin, "replicas.schedule", "when the autoscaler runs above its minimum is unknown: priced "
                                                     "at the maximum all month (schedule 'always'); set "
                                                     "replicas.schedule (e.g. business-hours) to refine")
        return {"min": scaler.low, "max": scaler.high}
    replicas = fields.count(spec, "replicas", obj.origin, "spec", None)
    if replicas is None:
        log.assumed(obj.origin, "spec.replicas", f"not set; {DEFAULT_REPLICAS} (the Kubernetes default)")
        return DEFAULT_REPLICAS
    if replicas == 0:
        log.skipped(obj.origin, "spec.replicas", "0 replicas (scaled to zero) and no autoscaler; nothing to price")
        return None
    log.mapped(obj.origin, "spec.replicas", f"{replicas} replicas")
    return replicas


def _size(request: ContainerRequest, origin: Origin, path: str) -> dict[str, float]:
    """``vcpu`` and ``memory_gib`` of a request, refusing absurd amounts."""
    try:
        return {"vcpu": checked_vcpu(request.cores),
                "memory_gib": checked_memory_gib(request.memory_bytes, K8S_MEMORY_HINT)}
    except QuantityError as exc:
        raise fields.quantity_error(origin, path, exc) from None


def _service_fields(shape: PodShape, origin: Origin, path: str, log: ReportLog) -> dict[str, Any]:
    out: dict[str, Any] = {**_size(shape.main, origin, path), "architecture": shape.architecture, "os": shape.os,
                           "sidecars": [{"name": s.name, **_size(s, origin, path)} for s in shape.sidecars]}
    storage_gib = float(shape.total.storage_bytes / BYTES_PER_GIB)
    if storage_gib > MAX_EPHEMERAL_STORAGE_GIB:
        log.assumed(origin, path, f"ephemeral storage {storage_gib:.4g} GiB is over Fargate's "
                                  f"{MAX_EPHEMERAL_STORAGE_GIB} GiB; {MAX_EPHEMERAL_STORAGE_GIB} GiB used")
        storage_gib = MAX_EPHEMERAL_STORAGE_GIB
    if storage_gib > 0:
        out["ephemeral_storage_gib"] = storage_gib
    return out


def _daemon(obj: K8sObject, log: ReportLog) -> Draft:
    pod_spec, path = _pod_spec(obj, _spec(obj, log))
    shape = pod_shape(pod_spec, obj.origin, path, log)
    if pod_spec.get("nodeSelector") or pod_spec.get("affinity") or pod_spec.get("tolerations"):
        log.assumed(obj.origin, f"{path}.nodeSelector", "priced on every node (which nodes it selects is not modelled)")
    log.mapped(obj.origin, "", "per-node agent: reserved on every EC2 node, added to each pod on EKS Fargate")
    return Draft("daemons", obj.name, f"{obj.namespace}.{obj.name}", _size(shape.total, obj.origin, path), obj.origin,
                 shape.pins)


def _job(obj: K8sObject, observed: list[float], log: ReportLog) -> Draft | None:
    spec = _spec(obj, log)
    if spec.get("suspend") is True:
        log.skipped(obj.origin, "spec.suspend", "suspended: creates no pods")
        return None
    if obj.kind == "Job":
        log.assumed(obj.origin, "", "a Job runs once: priced as 1 run per month")
        return _job_draft(obj, spec, "spec", 1.0, observed, log)
    schedule = fields.text(spec, "schedule", obj.origin, "spec")
    try:
        runs = runs_per_month(schedule)
    except CronError as exc:
        raise WorkloadImportError(obj.origin, "spec.schedule", str(exc)) from None
    log.mapped(obj.origin, "spec.schedule", f"{schedule!r}: {runs:.6g} runs per 730-hour month")
    if spec.get("timeZone"):
        log.mapped(obj.origin, "spec.timeZone", "time zone does not change the number of runs")
    job_spec = fields.mapping(fields.mapping(spec, "jobTemplate", obj.origin, "spec"), "spec", obj.origin,
                              "spec.jobTemplate")
    fields.report_unknown(job_spec, K8S_WORKLOAD_SPEC_FIELDS["Job"], obj.origin, "spec.jobTemplate.spec", log,
                          "a Kubernetes JobSpec")
    return _job_draft(obj, job_spec, "spec.jobTemplate.spec", runs, observed, log)


def _job_draft(obj: K8sObject, job_spec: dict[str, Any], path: str, runs: float, observed: list[float],
               log: ReportLog) -> Draft | None:
    pod_spec, pod_path = _pod_spec(obj, job_spec, path)
    shape = pod_shape(pod_spec, obj.origin, pod_path, log)
    if shape.sidecars:
        log.mapped(obj.origin, pod_path, "sidecars are added to the job's per-pod request")
    parallelism = fields.count(job_spec, "parallelism", obj.origin, path, None)
    completions = fields.count(job_spec, "completions", obj.origin, path, None)
    if parallelism == 0:
        log.skipped(obj.origin, f"{path}.parallelism", "0: the job runs no pods")
        return None
    width = parallelism or 1
    pods = min(width, completions) if completions else width
    waves = math.ceil(completions / width) if completions else 1
    minutes = _fit_in_month(_job_minutes(obj, job_spec, path, waves, observed, log), runs, obj.origin, path, log)
    job = {**_size(shape.total, obj.origin, pod_path), "architecture": shape.architecture, "os": shape.os,
           "runs_per_month": runs, "duration_minutes": minutes, "parallelism": pods}
    return Draft("jobs", obj.name, f"{obj.namespace}.{obj.name}", job, obj.origin, shape.pins)


def _job_minutes(obj: K8sObject, job_spec: dict[str, Any], path: str, waves: int, observed: list[float],
                 log: ReportLog) -> float:
    if observed:
        minutes = statistics.median(observed)
        log.mapped(obj.origin, "status", f"duration {minutes:.4g} min: the median of {len(observed)} finished "
                                         "run(s) in the input")
        return minutes
    deadline = fields.count(job_spec, "activeDeadlineSeconds", obj.origin, path, None)
    if deadline:
        log.assumed(obj.origin, f"{path}.activeDeadlineSeconds", f"run time unknown; {deadline / 60:.4g} min, the "
                                                                 "deadline (an upper bound), is used")
        return deadline / 60
    minutes = DEFAULT_JOB_DURATION_MINUTES * waves
    log.assumed(obj.origin, path, f"run time unknown; {DEFAULT_JOB_DURATION_MINUTES:g} min per pod × {waves} "
                                  f"wave(s) = {minutes:g} min assumed; set jobs[].duration_minutes")
    return minutes


def _fit_in_month(minutes: float, runs: float, origin: Origin, path: str, log: ReportLog) -> float:
    """A run cannot outlast the mean gap between runs (the scenario's one-month bound)."""
    limit = _MINUTES_PER_MONTH / max(runs, 1.0)
    if minutes > limit:
        log.assumed(origin, path, f"{minutes:.4g} min per run × {runs:.6g} runs is more than a month; capped at "
                                  f"{limit:.4g} min, the mean time between runs")
        return limit
    return minutes


def _skip_other(obj: K8sObject, log: ReportLog) -> None:
    spec = obj.body.get("spec") if isinstance(obj.body.get("spec"), dict) else {}
    if obj.kind == "Service" and spec.get("type") == "LoadBalancer":
        log.skipped(obj.origin, "", "a Service requests no compute")
        log.hint(obj.origin, "spec.type", "type LoadBalancer creates an AWS load balancer (an NLB with the AWS Load "
                                          "Balancer Controller): add it to traffic.load_balancers")
    elif obj.kind == "Ingress":
        log.skipped(obj.origin, "", "an Ingress requests no compute")
        log.hint(obj.origin, "", "with the AWS Load Balancer Controller an Ingress (group) is an ALB: add it to "
                                 "traffic.load_balancers")
    elif isinstance(spec.get("template"), dict):
        log.skipped(obj.origin, "", f"has a pod template, but {obj.kind} is not a kind the importer reads "
                                    "(Deployment, StatefulSet, DaemonSet, ReplicaSet, Pod, Job, CronJob); add it "
                                    "by hand")
    else:
        log.skipped(obj.origin, "", f"{obj.kind} is not a workload (it requests no compute)")
