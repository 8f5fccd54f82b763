"""Import from a live AWS account: ECS services and task definitions, EKS clusters and node groups.

Read-only by construction: the only calls made are the list/describe operations in
:data:`READ_ONLY_OPERATIONS`.  The boto3 ``Session`` is injected (tests pass one under
moto); this module never reads, stores, logs or returns credentials: it only asks the
session for clients, and reports carry resource names and ARNs, nothing else.

The ECS responses have the same shape as ``aws ecs describe-*`` prints, so they go
through :func:`importers.ecs.import_ecs` like files do.  EKS workloads live in the
Kubernetes API, not in the AWS one; clusters and node groups are reported as hints
(instance types, Spot, versions) with the ``kubectl`` command that exports the
workloads for ``advisor import k8s``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError, PartialCredentialsError, ProfileNotFound

from advisor.workload.catalog import PriceCatalog
from importers.ecs import import_ecs
from importers.report import ImportResult, Origin, ReportLog, WorkloadImportError
from importers.safe_yaml import SourceDocument

#: Every AWS operation this module calls; none of them changes anything.
READ_ONLY_OPERATIONS = frozenset({
    "ecs:ListClusters", "ecs:ListServices", "ecs:DescribeServices", "ecs:DescribeTaskDefinition",
    "application-autoscaling:DescribeScalableTargets",
    "eks:ListClusters", "eks:DescribeCluster", "eks:ListNodegroups", "eks:DescribeNodegroup"})
#: DescribeServices accepts at most 10 services per call (ECS API Reference).
DESCRIBE_SERVICES_BATCH = 10
KUBECTL_EXPORT = "kubectl get deploy,sts,ds,rs,job,cronjob,hpa -A -o yaml > workloads.yaml"
_CREDENTIALS_HELP = ("configure credentials (aws configure / aws sso login, or AWS_PROFILE) for an identity allowed "
                     "the read-only calls " + ", ".join(sorted(READ_ONLY_OPERATIONS)))


def open_session(profile: str | None, region: str | None) -> boto3.Session:
    """A boto3 session for ``profile`` (None: the default chain) and ``region``.

    Raises
    ------
    WorkloadImportError
        The profile does not exist in the AWS config files.
    """
    try:
        return boto3.Session(profile_name=profile, region_name=region)
    except ProfileNotFound:
        raise WorkloadImportError(Origin("aws"), "--profile", f"profile {profile!r} is not in the AWS config "
                                                              "files (~/.aws/config, ~/.aws/credentials)") from None


def import_aws_account(session: boto3.Session, *, scenario_name: str,
                       catalog: PriceCatalog | None = None) -> ImportResult:
    """Import the ECS services of the session's Region, and report its EKS clusters.

    Parameters
    ----------
    session : boto3.Session
        With a Region and credentials for the read-only calls.
    scenario_name : str
        Name of the scenario.
    catalog : PriceCatalog, optional
        The active price data's Regions and instance types, checked before a scenario is made.

    Raises
    ------
    WorkloadImportError
        No Region, no credentials, access denied, unreachable endpoint, or nothing
        importable (the message lists the EKS clusters found and how to export them).
    """
    region = session.region_name
    origin = Origin(f"aws ({region})")
    if not region:
        raise WorkloadImportError(Origin("aws"), "--region", "no Region: pass --region or set AWS_REGION")
    log = ReportLog()
    try:
        documents = list(_ecs_documents(session, region))
        clusters = _eks_hints(session, region, log)
    except (NoCredentialsError, PartialCredentialsError):
        raise WorkloadImportError(origin, "", f"no usable AWS credentials: {_CREDENTIALS_HELP}") from None
    except ClientError as exc:
        error = exc.response.get("Error", {})
        raise WorkloadImportError(origin, exc.operation_name, f"{error.get('Code')}: {error.get('Message')} "
                                                              f"({_CREDENTIALS_HELP})") from None
    except BotoCoreError as exc:
        raise WorkloadImportError(origin, "", f"AWS call failed: {exc}") from None
    if not documents:
        eks = f"; EKS clusters found: {', '.join(clusters)}: export their workloads with `{KUBECTL_EXPORT}` and " \
              "run `advisor import k8s workloads.yaml`" if clusters else ""
        raise WorkloadImportError(origin, "", f"nothing importable: no ECS services or task definitions in {region}"
                                  + eks)
    return import_ecs(documents, scenario_name=scenario_name, region=region, log=log, catalog=catalog)


def _pages(client: Any, operation: str, key: str, **params: Any) -> Iterator[Any]:
    for page in client.get_paginator(operation).paginate(**params):
        yield from page.get(key, [])


def _response(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "ResponseMetadata"}


def _ecs_documents(session: boto3.Session, region: str) -> Iterator[SourceDocument]:
    ecs = session.client("ecs", region_name=region)
    task_definitions: set[str] = set()
    for cluster_arn in _pages(ecs, "list_clusters", "clusterArns"):
        cluster = cluster_arn.rsplit("/", 1)[-1]
        arns = list(_pages(ecs, "list_services", "serviceArns", cluster=cluster_arn))
        for batch, start in enumerate(range(0, len(arns), DESCRIBE_SERVICES_BATCH), start=1):
            response = _response(ecs.describe_services(cluster=cluster_arn,
                                                       services=arns[start:start + DESCRIBE_SERVICES_BATCH]))
            task_definitions.update(s["taskDefinition"] for s in response.get("services", []) if "taskDefinition" in s)
            yield SourceDocument(f"aws ecs describe-services --cluster {cluster}", batch, response)
    for arn in sorted(task_definitions):
        response = _response(ecs.describe_task_definition(taskDefinition=arn))
        yield SourceDocument(f"aws ecs describe-task-definition {arn.rsplit('/', 1)[-1]}", 1, response)
    if task_definitions:
        scaling = session.client("application-autoscaling", region_name=region)
        targets = list(_pages(scaling, "describe_scalable_targets", "ScalableTargets", ServiceNamespace="ecs"))
        if targets:
            yield SourceDocument("aws application-autoscaling describe-scalable-targets", 1,
                                 {"ScalableTargets": targets})


def _eks_hints(session: boto3.Session, region: str, log: ReportLog) -> list[str]:
    eks = session.client("eks", region_name=region)
    names = list(_pages(eks, "list_clusters", "clusters"))
    for name in names:
        cluster = eks.describe_cluster(name=name)["cluster"]
        origin = Origin(f"aws eks describe-cluster {name}", kind="EKS cluster", name=name)
        log.hint(origin, "version", f"Kubernetes {cluster.get('version')}; its workloads are in the Kubernetes API: "
                                    f"export them with `{KUBECTL_EXPORT}` and run `advisor import k8s`")
        for group in _pages(eks, "list_nodegroups", "nodegroups", clusterName=name):
            node_group = eks.describe_nodegroup(clusterName=name, nodegroupName=group)["nodegroup"]
            scaling = node_group.get("scalingConfig", {})
            families = sorted({t.split(".")[0] for t in node_group.get("instanceTypes") or []})
            log.hint(origin.named("EKS node group", f"{name}/{group}"), "instanceTypes",
                     f"{node_group.get('capacityType', 'ON_DEMAND')} {node_group.get('instanceTypes')} "
                     f"({node_group.get('amiType')}), {scaling.get('minSize')}-{scaling.get('maxSize')} nodes: to "
                     f"price these families set ec2.instance_families: {families}"
                     + ("; a Spot node group suggests purchase.spot_share" if node_group.get("capacityType") == "SPOT"
                        else ""))
    return names
