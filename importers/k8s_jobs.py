"""Kubernetes Jobs and CronJobs as scenario jobs: runs per month, duration and parallel pods.

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
from datetime import datetime
from typing import Any

from advisor.workload.units import HOURS_PER_MONTH
from importers import fields
from importers.assemble import Draft
from importers.cron import CronError, runs_per_month
from importers.k8s_objects import K8sObject, pod_spec_of, request_size, spec_of
from importers.k8s_pods import pod_shape
from importers.report import Origin, ReportLog, WorkloadImportError
from importers.schemas import K8S_WORKLOAD_SPEC_FIELDS

#: No source can know a job's run time; a short placeholder, always reported, for the
#: user to replace with a measured value (``jobs[].duration_minutes``).
DEFAULT_JOB_DURATION_MINUTES = 10.0
_MINUTES_PER_MONTH = HOURS_PER_MONTH * 60

def observed_minutes(objects: list[K8sObject]) -> dict[tuple[str, str, str], list[float]]:
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


def job_draft(obj: K8sObject, observed: list[float], log: ReportLog) -> Draft | None:
    spec = spec_of(obj, log)
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
    pod_spec, pod_path = pod_spec_of(obj, job_spec, path)
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
    job = {**request_size(shape.total, obj.origin, pod_path), "architecture": shape.architecture, "os": shape.os,
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
