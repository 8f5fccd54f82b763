"""ECS task definitions and services, as `aws ecs describe-*` prints them and `register-*`/`create-*` accept them."""

import json
from pathlib import Path

import pytest

from importers import import_texts
from importers.ecs import fargate_spot_tasks
from importers.report import Action, Origin, WorkloadImportError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "importers" / "ecs"
ALL = sorted(p.name for p in FIXTURES.glob("*.json"))


def _import(*names, region=None):
    return import_texts("ecs", [(n, (FIXTURES / n).read_text()) for n in names], scenario_name="t", region=region)


def _json(*documents, region=None):
    return import_texts("ecs", [(f"in{i}.json", json.dumps(d)) for i, d in enumerate(documents, start=1)],
                        scenario_name="t", region=region)


def _task(**overrides):
    base = {"family": "app", "containerDefinitions": [{"name": "app", "image": "app", "cpu": 256, "memory": 512}]}
    return {**base, **overrides}


def _messages(result, action):
    return [e.message for e in result.report.of(action)]


def test_services_task_definitions_and_scalable_targets_together():
    result = _import(*ALL)
    s = result.scenario
    by_name = {x.name: x for x in s.services}
    assert list(by_name) == ["worker", "web", "api"] and s.region == "eu-west-1"
    web = by_name["web"]
    # task 1024 units / 2048 MiB; sidecars envoy 256 u / 128 MiB and xray 32 u / 256 MiB (essential: false)
    assert (web.vcpu, web.memory_gib) == (pytest.approx(1 - 0.25 - 0.03125), pytest.approx((2048 - 384) / 1024))
    assert [(c.name, c.vcpu, c.memory_gib) for c in web.sidecars] == [("envoy", 0.25, 0.125),
                                                                     ("xray-daemon", 0.03125, 0.25)]
    assert web.total_vcpu == pytest.approx(1.0) and web.total_memory_gib == pytest.approx(2.0)
    assert (web.architecture, web.ephemeral_storage_gib, web.replicas.min, web.replicas.max) == ("arm64", 40, 2, 8)
    api = by_name["api"]
    assert (api.vcpu, api.memory_gib, api.replicas.max, api.architecture) == (0.5, 1.0, 2, "x86_64")
    worker = by_name["worker"]
    # EC2, no task size: memoryReservation 768 (not the 1024 hard limit); the cpu-less log router joins it
    assert (worker.vcpu, worker.memory_gib, worker.sidecars) == (0.5, pytest.approx((768 + 50) / 1024), ())
    (hint,) = result.report.of(Action.HINT)
    # web: 8 tasks, base 1 on FARGATE, the other 7 split 1:3 -> 5.25 on Spot; api 2 and worker 3 on demand
    assert "5.25 of 13 tasks" in hint.message and "0.40" in hint.message
    assert s.purchase.spot_share == 0
    assert any("MISSING" in m for m in _messages(result, Action.SKIPPED))
    assert any("runs arn:aws:ecs:eu-west-1:123456789012:task-definition/api:3, but the input has api" in m
               for m in _messages(result, Action.ASSUMED))


def test_describe_task_definition_alone_is_one_task():
    result = _import("describe-task-definition-web.json")
    (svc,) = result.scenario.services
    assert (svc.name, svc.replicas.max, result.scenario.region) == ("web", 1, "eu-west-1")
    assert any("no service definition in the input" in m for m in _messages(result, Action.ASSUMED))


def test_register_input_in_vcpu_and_gb_forms():
    (svc,) = _import("register-task-definition-api.json", region="us-west-2").scenario.services
    assert (svc.vcpu, svc.memory_gib) == (0.5, 1.0)


@pytest.mark.parametrize(("strategy", "tasks", "spot"), [
    ([{"capacityProvider": "FARGATE", "base": 1, "weight": 1}, {"capacityProvider": "FARGATE_SPOT", "weight": 3}],
     9, 6.0),
    ([{"capacityProvider": "FARGATE_SPOT", "base": 2, "weight": 1}, {"capacityProvider": "FARGATE", "weight": 1}],
     6, 4.0),
    ([{"capacityProvider": "FARGATE_SPOT", "weight": 1}], 5, 5.0),
    ([{"capacityProvider": "FARGATE", "base": 10, "weight": 1}, {"capacityProvider": "FARGATE_SPOT", "weight": 1}],
     4, 0.0),
    ([{"capacityProvider": "FARGATE_SPOT", "weight": 0}, {"capacityProvider": "FARGATE", "weight": 0}], 3, 0.0),
])
def test_fargate_spot_share_base_then_weights(strategy, tasks, spot):
    """CapacityProviderStrategyItem: base tasks first, the rest split by weight."""
    assert fargate_spot_tasks(strategy, tasks, Origin("x")) == pytest.approx(spot)


def test_daemon_service_and_skipped_services():
    services = {"services": [
        {"serviceName": "agent", "taskDefinition": "app", "schedulingStrategy": "DAEMON"},
        {"serviceName": "idle", "taskDefinition": "app", "desiredCount": 0},
        {"serviceName": "gone", "taskDefinition": "app", "desiredCount": 2, "status": "INACTIVE"},
        {"serviceName": "orphan", "taskDefinition": "missing:4", "desiredCount": 2},
        {"serviceName": "live", "taskDefinition": "app:1", "desiredCount": 2},
    ]}
    result = _json(_task(revision=1), services)
    s = result.scenario
    assert [(d.name, d.vcpu, d.memory_gib) for d in s.daemons] == [("agent", 0.25, 0.5)]
    assert [x.name for x in s.services] == ["live"]
    skipped = {e.origin.name: e.message for e in result.report.of(Action.SKIPPED)}
    assert set(skipped) == {"idle", "gone", "orphan"} and "not in the input" in skipped["orphan"]


def test_unreferenced_task_definitions_are_skipped_when_services_exist():
    result = _json([_task(), _task(family="old")], {"serviceName": "app", "taskDefinition": "app", "desiredCount": 1})
    assert [x.name for x in result.scenario.services] == ["app"]
    assert [(e.origin.name, e.message) for e in result.report.of(Action.SKIPPED)] == [
        ("old", "no service in the input runs it")]
    assert [e.origin.item for e in result.report.entries if e.origin.name == "old"] == [2]


def test_container_level_defaults_and_windows():
    task = {"family": "legacy", "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
            "containerDefinitions": [{"name": "iis", "image": "iis"}]}
    result = _json(task)
    (svc,) = result.scenario.services
    assert (svc.os, svc.vcpu, svc.memory_gib) == ("windows", 0.1, pytest.approx(200 / 1024))
    assert sum("stand-in" in m for m in _messages(result, Action.ASSUMED)) == 2


def test_sidecars_that_fill_the_task_are_folded():
    task = _task(cpu="256", memory="512", containerDefinitions=[
        {"name": "app", "image": "a"}, {"name": "proxy", "image": "p", "cpu": 256, "memoryReservation": 128}])
    (svc,) = _json(task).scenario.services
    assert (svc.vcpu, svc.memory_gib, svc.sidecars) == (0.25, 0.5, ())


def test_unknown_fields_are_reported():
    task = _task(containerDefinitions=[{"name": "app", "image": "a", "cpu": 256, "memoryReservaton": 512,
                                        "memory": 1024}], cpuu="1 vCPU")
    result = _json(task)
    fields = {e.field for e in result.report.of(Action.SKIPPED)}
    assert fields == {"cpuu", "containerDefinitions[0].memoryReservaton"}
    assert result.scenario.services[0].memory_gib == 1.0


@pytest.mark.parametrize(("task", "field", "message"), [
    (_task(cpu="1 core"), "cpu", "is not CPU units"),
    (_task(memory="2 GiB"), "memory", "is not MiB"),
    (_task(cpu="2000 vCPU"), "cpu", "more than 1000 vCPU"),
    (_task(memory=20_000_000), "memory", "more than 10 TiB"),
    (_task(containerDefinitions=[{"name": "a", "cpu": 2_000_000}]), "containerDefinitions[0]", "more than 1000 vCPU"),
    (_task(containerDefinitions=[{"name": "a", "memory": 0.5}]), "containerDefinitions[0]", "ECS memory is in MiB"),
    (_task(containerDefinitions=[]), "containerDefinitions", "at least one container"),
    (_task(containerDefinitions={"name": "x"}), "containerDefinitions", "expected a list"),
    (_task(runtimePlatform={"cpuArchitecture": "RISCV"}), "runtimePlatform.cpuArchitecture", "allowed: X86_64, ARM64"),
    (_task(ephemeralStorage={"sizeInGiB": 500}), "scenario services.ephemeral_storage_gib", "less than or equal"),
])
def test_bad_task_definitions_name_the_field(task, field, message):
    with pytest.raises(WorkloadImportError) as err:
        _json(task)
    assert str(err.value).startswith(f"in1.json, document 1 (task definition app), field {field}: ")
    assert message in str(err.value)


def test_regions_and_nothing_importable():
    east = _task(taskDefinitionArn="arn:aws:ecs:us-east-1:1:task-definition/app:1")
    west = _task(family="b", taskDefinitionArn="arn:aws:ecs:us-west-2:1:task-definition/b:1")
    with pytest.raises(WorkloadImportError, match="several Regions"):
        _json(east, west)
    assert _json(east, west, region="eu-central-1").scenario.region == "eu-central-1"
    with pytest.raises(WorkloadImportError, match="nothing importable") as err:
        import_texts("ecs", [("k8s.yaml", "apiVersion: v1\nkind: ConfigMap\n")], scenario_name="t")
    assert "k8s.yaml" in str(err.value)


def test_scalable_targets_for_other_dimensions_are_skipped():
    target = {"ServiceNamespace": "dynamodb", "ResourceId": "table/orders",
              "ScalableDimension": "dynamodb:table:ReadCapacityUnits", "MinCapacity": 5, "MaxCapacity": 50}
    result = _json(_task(), {"serviceName": "app", "taskDefinition": "app", "desiredCount": 2}, target)
    assert result.scenario.services[0].replicas.max == 2
    assert any("not an ECS service" in m for m in _messages(result, Action.SKIPPED))


def test_network_mode_is_read_from_the_task_definition():
    """ECS ``networkMode`` (awsvpc, bridge, host, none) decides task density on EC2 (ECS Developer Guide,
    "Amazon ECS task networking options for the EC2 launch type"); ``none`` has no ENI, like bridge."""
    by_name = {s.name: s for s in _import(*ALL).scenario.services}
    assert (by_name["worker"].network_mode, by_name["web"].network_mode) == ("bridge", "awsvpc")
    for mode, expected in (("host", "host"), ("none", "bridge")):
        (svc,) = _json(_task(networkMode=mode)).scenario.services
        assert svc.network_mode == expected
    (svc,) = _json(_task()).scenario.services
    assert svc.network_mode == "awsvpc"
    with pytest.raises(WorkloadImportError, match="networkMode"):
        _json(_task(networkMode="nat"))
