"""A live account, mocked with moto: ECS services and task definitions, autoscaling, EKS hints; read-only."""

import logging

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from advisor.workload.spec_io import dump_scenario
from importers.aws_account import READ_ONLY_OPERATIONS, import_aws_account, open_session
from importers.report import Action, WorkloadImportError

REGION = "eu-west-1"
KEY_ID = "AKIAIMPORTTESTKEY000"
SECRET = "import-test-secret-never-to-be-shown/0123456789"


@pytest.fixture
def credentials(monkeypatch, tmp_path):
    """Dummy credentials only, and no config files or instance metadata to fall back on."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)


def _populate():
    setup = boto3.Session(region_name=REGION)
    ecs = setup.client("ecs")
    for cluster in ("prod", "batch"):
        ecs.create_cluster(clusterName=cluster)
    ecs.register_task_definition(
        family="web", requiresCompatibilities=["FARGATE"], networkMode="awsvpc", cpu="1024", memory="2048",
        runtimePlatform={"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
        containerDefinitions=[{"name": "web", "image": "web", "essential": True},
                              {"name": "envoy", "image": "envoy", "cpu": 256, "memoryReservation": 128}])
    ecs.register_task_definition(family="agent", containerDefinitions=[
        {"name": "agent", "image": "agent", "cpu": 128, "memory": 256}])
    ecs.register_task_definition(family="worker", containerDefinitions=[
        {"name": "worker", "image": "worker", "cpu": 512, "memoryReservation": 768}])
    ecs.create_service(cluster="prod", serviceName="web", taskDefinition="web:1", desiredCount=3,
                       launchType="FARGATE")
    ecs.create_service(cluster="prod", serviceName="agent", taskDefinition="agent:1", schedulingStrategy="DAEMON",
                       launchType="EC2")
    for i in range(12):  # more than one DescribeServices batch of 10
        ecs.create_service(cluster="batch", serviceName=f"worker-{i:02d}", taskDefinition="worker:1",
                           desiredCount=1, launchType="EC2")
    setup.client("application-autoscaling").register_scalable_target(
        ServiceNamespace="ecs", ResourceId="service/prod/web", ScalableDimension="ecs:service:DesiredCount",
        MinCapacity=2, MaxCapacity=10)
    eks = setup.client("eks")
    eks.create_cluster(name="platform", version="1.31", roleArn="arn:aws:iam::123456789012:role/eks",
                       resourcesVpcConfig={"subnetIds": ["subnet-1"]})
    eks.create_nodegroup(clusterName="platform", nodegroupName="spot-arm", nodeRole="arn:aws:iam::123456789012:role/n",
                         subnets=["subnet-1"], instanceTypes=["m7g.large", "c7g.xlarge"], capacityType="SPOT",
                         amiType="AL2023_ARM_64_STANDARD", scalingConfig={"minSize": 2, "maxSize": 6,
                                                                          "desiredSize": 3})


def _record_calls(session):
    calls = []

    def record(model, **_):
        calls.append(f"{model.service_model.service_name}:{model.name}")

    session.events.register("before-call", record)
    return calls


@mock_aws
def test_imports_services_daemons_autoscaling_and_eks_hints(credentials, caplog):
    _populate()
    session = boto3.Session(region_name=REGION)
    calls = _record_calls(session)
    with caplog.at_level(logging.DEBUG):
        result = import_aws_account(session, scenario_name="live")
    s = result.scenario
    web = s.services[0]
    assert (web.name, web.vcpu, web.memory_gib, web.architecture) == ("web", 0.75, 1.875, "arm64")
    assert (web.replicas.min, web.replicas.max) == (2, 10)
    assert [x.name for x in s.services[1:]] == [f"worker-{i:02d}" for i in range(12)]
    assert [(d.name, d.vcpu, d.memory_gib) for d in s.daemons] == [("agent", 0.125, 0.25)]
    assert s.region == REGION
    hints = result.report.of(Action.HINT)
    node_group = [e.message for e in hints if e.origin.kind == "EKS node group"]
    assert node_group and "SPOT" in node_group[0] and "['c7g', 'm7g']" in node_group[0]
    assert any("kubectl get" in e.message for e in hints if e.origin.kind == "EKS cluster")
    # read-only: every call is a List/Describe operation from the documented set
    assert calls and set(calls) <= READ_ONLY_OPERATIONS
    assert calls.count("ecs:DescribeServices") == 3          # prod (2), batch (10 + 2)
    # credentials appear nowhere: not in the report, the scenario or the logs
    shown = result.report.to_text() + dump_scenario(s) + caplog.text + repr(result.report.entries)
    assert KEY_ID not in shown and SECRET not in shown


@mock_aws
def test_account_with_only_eks_is_nothing_importable_with_the_export_command(credentials):
    boto3.Session(region_name=REGION).client("eks").create_cluster(
        name="k8s", version="1.31", roleArn="arn:aws:iam::123456789012:role/eks",
        resourcesVpcConfig={"subnetIds": ["subnet-1"]})
    with pytest.raises(WorkloadImportError) as err:
        import_aws_account(boto3.Session(region_name=REGION), scenario_name="x")
    assert "no ECS services" in str(err.value) and "k8s" in str(err.value) and "kubectl get" in str(err.value)


def test_no_region(credentials, monkeypatch):
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    with pytest.raises(WorkloadImportError, match="--region"):
        import_aws_account(boto3.Session(), scenario_name="x")


def test_no_credentials_is_a_clear_error(credentials, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    with pytest.raises(WorkloadImportError, match=r"no usable AWS credentials.*ecs:ListClusters"):
        import_aws_account(boto3.Session(region_name=REGION), scenario_name="x")


def test_access_denied_names_the_operation(credentials):
    client = boto3.Session(region_name=REGION).client("ecs")
    stubber = Stubber(client)
    stubber.add_client_error("list_clusters", "AccessDeniedException",
                             "User: arn:aws:iam::123456789012:user/ro is not authorized to perform: ecs:ListClusters")

    class OneClientSession:
        region_name = REGION

        def client(self, *_, **__):
            return client

    with stubber, pytest.raises(WorkloadImportError) as err:
        import_aws_account(OneClientSession(), scenario_name="x")
    assert "field ListClusters: AccessDeniedException: User: " in str(err.value)


def test_unknown_profile(credentials):
    with pytest.raises(WorkloadImportError, match="profile 'nope' is not in the AWS config files"):
        open_session("nope", REGION)
