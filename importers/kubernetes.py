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
``traffic.load_balancers``).  Jobs and their durations: :mod:`importers.k8s_jobs`.

Every object that cannot be read is reported (file, document, object and field) and the
import goes on, so one run lists every problem of the input.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from advisor.workload.catalog import PriceCatalog
from importers import fields
from importers.assemble import Draft, build_result
from importers.k8s_jobs import job_draft, observed_minutes
from importers.k8s_objects import K8sObject, pod_spec_of, request_size, spec_of
from importers.k8s_pods import MAX_EPHEMERAL_STORAGE_GIB, PodShape, pod_shape
from importers.kinds import not_readable
from importers.pins import spot_hint
from importers.quantities import BYTES_PER_GIB
from importers.report import ImportResult, Origin, ReportLog, WorkloadImportError
from importers.safe_yaml import SourceDocument

SERVICE_KINDS = ("Deployment", "StatefulSet", "ReplicaSet", "ReplicationController")
#: DeploymentSpec/StatefulSetSpec/ReplicaSetSpec ``replicas``: "Defaults to 1".
DEFAULT_REPLICAS = 1
#: HorizontalPodAutoscalerSpec ``minReplicas``: "It defaults to 1 pod".
DEFAULT_HPA_MIN_REPLICAS = 1
#: Workloads the advisor prices on its own for every EKS cluster (README, "How each
#: platform is priced"); importing them would count them twice.
ADVISOR_MODELLED = frozenset({("kube-system", "coredns"), ("kube-system", "aws-node"), ("kube-system", "kube-proxy")})


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
    objects = [o for doc in documents for o in log.attempt(lambda doc=doc: list(_objects(doc, log))) or ()]
    present = {o.key for o in objects}
    autoscalers = _autoscalers(objects, present, log)
    observed = observed_minutes(objects)
    drafts = [d for o in objects if o.kind != "HorizontalPodAutoscaler"
              and (d := log.attempt(lambda o=o: _convert(o, present, autoscalers, observed, log))) is not None]
    sources = list(dict.fromkeys(d.source for d in documents))
    return build_result(drafts, scenario_name=scenario_name, region=region, sources=sources, log=log, catalog=catalog)


def _objects(doc: SourceDocument, log: ReportLog) -> Iterator[K8sObject]:
    """The objects of one document (the items of a ``List``)."""
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
        log.skipped(origin, "", not_readable(data, "k8s"))
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


def _autoscalers(objects: list[K8sObject], present: set[tuple[str, str, str]],
                 log: ReportLog) -> dict[tuple[str, str, str], _Autoscaler]:
    out: dict[tuple[str, str, str], _Autoscaler] = {}
    for obj in (o for o in objects if o.kind == "HorizontalPodAutoscaler"):
        log.attempt(lambda obj=obj: _autoscaler(obj, present, out, log))
    return out


def _autoscaler(obj: K8sObject, present: set[tuple[str, str, str]], out: dict[tuple[str, str, str], _Autoscaler],
                log: ReportLog) -> None:
    """Record one HorizontalPodAutoscaler's range for the workload it targets."""
    spec = spec_of(obj, log)
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
        return job_draft(obj, observed.get(obj.key, []), log)
    _skip_other(obj, log)
    return None


def _service(obj: K8sObject, autoscalers: dict[tuple[str, str, str], _Autoscaler], log: ReportLog) -> Draft | None:
    spec = spec_of(obj, log)
    if obj.kind == "Pod":
        pod_spec, path, replicas = spec, "spec", 1
        owner = f", owned by {obj.owner[0]} {obj.owner[1]!r} which is not in the input" if obj.owner else ""
        log.assumed(obj.origin, "", f"a Pod{owner}: priced as one replica running all month")
    else:
        pod_spec, path = pod_spec_of(obj, spec)
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


def _service_fields(shape: PodShape, origin: Origin, path: str, log: ReportLog) -> dict[str, Any]:
    out: dict[str, Any] = {**request_size(shape.main, origin, path), "architecture": shape.architecture,
                           "os": shape.os,
                           "sidecars": [{"name": s.name, **request_size(s, origin, path)} for s in shape.sidecars]}
    storage_gib = float(shape.total.storage_bytes / BYTES_PER_GIB)
    if storage_gib > MAX_EPHEMERAL_STORAGE_GIB:
        log.assumed(origin, path, f"ephemeral storage {storage_gib:.4g} GiB is over Fargate's "
                                  f"{MAX_EPHEMERAL_STORAGE_GIB} GiB; {MAX_EPHEMERAL_STORAGE_GIB} GiB used")
        storage_gib = MAX_EPHEMERAL_STORAGE_GIB
    if storage_gib > 0:
        out["ephemeral_storage_gib"] = storage_gib
    return out


def _daemon(obj: K8sObject, log: ReportLog) -> Draft:
    pod_spec, path = pod_spec_of(obj, spec_of(obj, log))
    shape = pod_shape(pod_spec, obj.origin, path, log)
    if pod_spec.get("nodeSelector") or pod_spec.get("affinity") or pod_spec.get("tolerations"):
        log.assumed(obj.origin, f"{path}.nodeSelector", "priced on every node (which nodes it selects is not modelled)")
    log.mapped(obj.origin, "", "per-node agent: reserved on every EC2 node, added to each pod on EKS Fargate")
    return Draft("daemons", obj.name, f"{obj.namespace}.{obj.name}", request_size(shape.total, obj.origin, path),
                 obj.origin, shape.pins)


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
