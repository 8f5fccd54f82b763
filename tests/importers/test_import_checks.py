"""Imports check what the target can run, report every problem with file, document and field, and name
what a file was expected to hold when it holds nothing importable."""

from __future__ import annotations

import json

import pytest

from advisor.workload import limits
from importers import import_texts
from importers.report import WorkloadImportError, WorkloadImportErrors


def _error(kind: str, *files: tuple[str, str]) -> WorkloadImportError:
    with pytest.raises(WorkloadImportError) as err:
        import_texts(kind, list(files), scenario_name="t")
    return err.value


def _task(**overrides: object) -> dict:
    return {"family": "app", "containerDefinitions": [{"name": "app", "image": "app", "cpu": 256, "memory": 512}],
            **overrides}


def _deployment(name: str, resources: dict, replicas: int = 1) -> str:
    return json.dumps({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
                       "spec": {"replicas": replicas, "template": {"spec": {"containers": [
                           {"name": name, "image": name, "resources": resources}]}}}})


# --- sizes against what the target can run -------------------------------------------------------------------

def test_a_fargate_only_task_definition_that_no_fargate_size_fits_is_an_error() -> None:
    error = _error("ecs", ("td.json", json.dumps(_task(requiresCompatibilities=["FARGATE"], cpu="99999",
                                                       memory="8192"))))
    assert str(error).startswith("td.json, document 1 (task definition app), field cpu: 97.6553 vCPU ('99999') "
                                 "fits no Fargate size, and the task definition requires FARGATE; allowed: <= ")


def test_a_fargate_only_task_definition_with_too_much_memory_names_memory() -> None:
    error = _error("ecs", ("td.json", json.dumps(_task(requiresCompatibilities=["FARGATE"], cpu="4096",
                                                       memory="250000"))))
    assert error.field == "memory" and "fits no Fargate size" in str(error)


def test_a_task_definition_that_may_run_on_ec2_is_not_held_to_fargate_sizes() -> None:
    result = import_texts("ecs", [("td.json", json.dumps(_task(requiresCompatibilities=["EC2", "FARGATE"],
                                                                cpu="40960", memory="81920")))], scenario_name="t")
    assert result.scenario.services[0].vcpu == 40


def test_a_memory_reservation_above_the_hard_limit_is_an_error() -> None:
    task = _task(containerDefinitions=[{"name": "app", "image": "app", "memory": 512, "memoryReservation": 1024}])
    error = _error("ecs", ("td.json", json.dumps(task)))
    assert error.field == "containerDefinitions[0].memoryReservation"
    assert "1024 MiB is above the hard limit memory 512 MiB" in str(error)


def test_a_kubernetes_request_above_its_limit_is_an_error() -> None:
    error = _error("k8s", ("d.yaml", _deployment("web", {"requests": {"cpu": "2"}, "limits": {"cpu": "1"}})))
    assert str(error).startswith("d.yaml, document 1 (Deployment web), field "
                                 "spec.template.spec.containers[0].resources.requests.cpu: request '2' is above the "
                                 "limit '1'")


def test_an_invalid_limit_beside_a_valid_request_is_an_error() -> None:
    error = _error("k8s", ("d.yaml", _deployment("web", {"requests": {"memory": "1Gi"},
                                                         "limits": {"memory": "lots"}})))
    assert error.field == "spec.template.spec.containers[0].resources.limits.memory"
    assert "'lots' is not a Kubernetes quantity" in str(error)


def test_a_compose_reservation_above_its_limit_and_an_invalid_limit_are_errors() -> None:
    web = {"reservations": {"memory": "2g"}, "limits": {"memory": "1g"}}
    api = {"reservations": {"cpus": "0.5"}, "limits": {"cpus": "x"}}
    compose = {"services": {"web": {"image": "web", "deploy": {"resources": web}},
                            "api": {"image": "api", "deploy": {"resources": api}}}}
    error = _error("compose", ("compose.yaml", json.dumps(compose)))
    assert isinstance(error, WorkloadImportErrors)
    assert {e.field for e in error.errors} == {"deploy.resources.reservations.memory", "deploy.resources.limits.cpus"}


def test_replicas_over_the_scenario_limit_are_named_at_their_object() -> None:
    error = _error("k8s", ("d.yaml", _deployment("web", {}, replicas=10**9)))
    assert ("d.yaml, document 1 (Deployment web), field scenario services.replicas.max: Input should be less than "
            "or equal to 10000 (got 1000000000)") in str(error)


def test_more_services_than_a_scenario_holds_is_an_error_naming_the_limit() -> None:
    text = "---\n" + "\n---\n".join(_deployment(f"s{i}", {}) for i in range(limits.MAX_SERVICES + 1))
    error = _error("k8s", ("many.yaml", text))
    assert (f"many.yaml: services: {limits.MAX_SERVICES + 1:,} entries is over the limit of "
            f"{limits.MAX_SERVICES:,} (a scenario's limit)") in str(error)


# --- every problem, not only the first --------------------------------------------------------------------------

def test_every_bad_object_in_a_file_is_reported() -> None:
    text = "---\n" + "\n---\n".join([_deployment("a", {"requests": {"cpu": "bad"}}), _deployment("ok", {}),
                           _deployment("b", {"requests": {"memory": "2"}}),
                           _deployment("c", {"requests": {"cpu": "2"}, "limits": {"cpu": "1"}})])
    error = _error("k8s", ("three.yaml", text))
    assert isinstance(error, WorkloadImportErrors)
    assert [(e.origin.document, e.origin.name) for e in error.errors] == [(1, "a"), (3, "b"), (4, "c")]
    lines = str(error).splitlines()
    assert lines[0] == "3 problems in the input:"
    assert all(line.startswith("  three.yaml, document ") for line in lines[1:])


def test_every_bad_resource_of_one_container_is_reported() -> None:
    error = _error("k8s", ("d.yaml", _deployment("web", {"requests": {"cpu": "x", "memory": "y"}})))
    assert isinstance(error, WorkloadImportErrors)
    assert [e.field.rsplit(".", 1)[-1] for e in error.errors] == ["cpu", "memory"]


def test_every_file_that_cannot_be_read_is_reported() -> None:
    error = _error("ecs", ("a.json", "{"), ("b.yaml", "x: [1"), ("c.json", json.dumps(_task())))
    assert isinstance(error, WorkloadImportErrors)
    assert [e.origin.source for e in error.errors] == ["a.json", "b.yaml"]


def test_every_value_the_scenario_refuses_is_reported() -> None:
    services = {"services": [{"serviceName": n, "taskDefinition": "app", "desiredCount": 10**9} for n in ("x", "y")]}
    error = _error("ecs", ("td.json", json.dumps(_task())), ("svc.json", json.dumps(services)))
    assert isinstance(error, WorkloadImportErrors)
    assert {e.origin.name for e in error.errors} == {"x", "y"}


# --- empty, comments-only, wrong kind, missing task definitions -------------------------------------------------

@pytest.mark.parametrize(("kind", "expected"), [("ecs", "an ECS task definition"), ("k8s", "a Kubernetes manifest"),
                                                ("compose", "a Docker Compose file")])
@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n---\n"])
def test_an_empty_or_comments_only_file_is_named_with_what_was_expected(kind, expected, text) -> None:
    message = str(_error(kind, ("empty.yaml", text)))
    assert message.startswith("empty.yaml: the file holds no document (it is empty or only comments); expected "
                              + expected)
    assert "(no input)" not in message


@pytest.mark.parametrize(("kind", "text", "expected"), [
    ("ecs", _deployment("web", {}), "a Kubernetes Deployment, not an ECS task definition, service or scalable "
                                    "target (import it with `advisor import k8s`)"),
    ("k8s", json.dumps(_task()), "an ECS task definition, not a Kubernetes manifest (import it with "
                                 "`advisor import ecs`)"),
    ("compose", _deployment("web", {}), "a Kubernetes Deployment, not a Docker Compose file"),
    ("k8s", json.dumps({"services": {"web": {"image": "web"}}}), "a Docker Compose file, not a Kubernetes manifest"),
    ("k8s", json.dumps({"name": "x", "services": [{"name": "a", "vcpu": 1, "memory_gib": 1, "replicas": 1}]}),
     "an advisor scenario file (open it as it is: `advisor estimate FILE`)"),
])
def test_a_document_of_another_kind_says_what_it_is_and_what_reads_it(kind, text, expected) -> None:
    message = str(_error(kind, ("in.yaml", text)))
    assert message.startswith("in.yaml: nothing importable: no service or job found; a scenario needs at least one. "
                              "Skipped: in.yaml, document 1")
    assert expected in message
    assert "skipped: none" not in message


def test_services_whose_task_definition_is_missing_are_named() -> None:
    services = {"services": [{"serviceName": "web", "taskDefinition": "web:7", "desiredCount": 2}]}
    message = str(_error("ecs", ("svc.json", json.dumps(services))))
    assert ("Skipped: svc.json, document 1, item 1 (ECS service web) · taskDefinition: runs 'web:7', which is not "
            "in the input; add its describe-task-definition output to size it") in message


def test_a_long_ecs_container_name_is_shortened_not_refused() -> None:
    long_name = "sidecar-" + "x" * 200   # ECS allows 255 characters
    task = _task(containerDefinitions=[{"name": "app", "image": "app", "cpu": 256, "memory": 512},
                                       {"name": long_name, "image": "s", "cpu": 128, "memory": 128}])
    result = import_texts("ecs", [("td.json", json.dumps(task))], scenario_name="t")
    assert result.scenario.services[0].sidecars[0].name == long_name[:limits.MAX_NAME_CHARS]
