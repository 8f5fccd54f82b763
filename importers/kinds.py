"""What a document is, so that a file given to the wrong importer, or an empty one, is named for what it is.

Each importer reads one format (:data:`EXPECTED`).  A document it cannot read is skipped
with a message that says what it looks like instead (a Kubernetes Deployment given to the
ECS importer, a Compose file given to the Kubernetes one, an advisor scenario file) and
which command reads it; a file with no document at all is an error saying what was
expected.
"""

from __future__ import annotations

from typing import Any

#: What each importer reads, in the words of the tools that print it.
EXPECTED: dict[str, str] = {
    "ecs": "an ECS task definition, service or scalable target (as `aws ecs describe-task-definition`, "
           "`aws ecs describe-services` or `aws application-autoscaling describe-scalable-targets` print them)",
    "k8s": "a Kubernetes manifest (objects with apiVersion and kind, as `kubectl get -o yaml` or "
           "`helm template` print them)",
    "compose": "a Docker Compose file (a mapping with a 'services' mapping)",
}


def looks_like(data: Any) -> tuple[str, str | None] | None:
    """(what ``data`` looks like, the ``advisor import`` source that reads it or None), when recognisable."""
    if not isinstance(data, dict):
        return None
    services = data.get("services")
    if isinstance(data.get("kind"), str) and "apiVersion" in data:
        return f"a Kubernetes {data['kind']}", "k8s"
    if "containerDefinitions" in data or isinstance(data.get("taskDefinition"), dict):
        return "an ECS task definition", "ecs"
    if "serviceName" in data or isinstance(data.get("ScalableTargets"), list):
        return "an ECS service or scalable target", "ecs"
    if isinstance(services, list) and services and all(isinstance(s, dict) for s in services):
        if all("vcpu" in s for s in services):
            return "an advisor scenario file (open it as it is: `advisor estimate FILE`)", None
        if all("serviceName" in s or "serviceArn" in s for s in services):
            return "ECS describe-services output", "ecs"
    if isinstance(services, dict):
        return "a Docker Compose file", "compose"
    return None


def not_readable(data: Any, source: str) -> str:
    """The skip message of a document the ``source`` importer does not read."""
    found = looks_like(data)
    if found is None:
        return f"not {EXPECTED[source]}"
    what, reader = found
    command = f" (import it with `advisor import {reader}`)" if reader and reader != source else ""
    return f"{what}, not {EXPECTED[source].split(' (')[0]}{command}"


def empty_file(source: str) -> str:
    """The error for a file with no document (blank, or comments only)."""
    return f"the file holds no document (it is empty or only comments); expected {EXPECTED[source]}"
