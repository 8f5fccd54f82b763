"""Docker Compose services: deploy.replicas, deploy.resources reservations and limits, global mode."""

from pathlib import Path

import pytest

from importers import import_texts
from importers.report import Action, WorkloadImportError

FIXTURE = Path(__file__).parents[1] / "fixtures" / "importers" / "compose" / "compose.yaml"


def _inline(text):
    return import_texts("compose", [("compose.yaml", text)], scenario_name="t")


def test_compose_file():
    result = import_texts("compose", [("compose.yaml", FIXTURE.read_text())], scenario_name="t")
    s = result.scenario
    got = [(x.name, x.vcpu, x.memory_gib, x.replicas.max, x.architecture) for x in s.services]
    assert got == [("web", 0.5, 0.5, 3, "arm64"),          # reservations, not limits
                   ("worker", 2.0, 2.0, 2, "x86_64"),      # limits when there is no reservation
                   ("redis", 0.25, 0.25, 1, "x86_64")]     # legacy cpus / mem_limit, default 1 replica
    assert [(d.name, d.vcpu, d.memory_gib) for d in s.daemons] == [("node-exporter", 0.05, 0.03125)]
    assumed = {(e.origin.name, e.field) for e in result.report.of(Action.ASSUMED)}
    assert {("worker", "deploy.resources.limits.cpus"), ("redis", "mem_limit"), ("redis", "deploy.replicas")} <= assumed
    assert not result.report.of(Action.SKIPPED)    # x-defaults and the merged keys are valid Compose


def test_defaults_unknown_keys_profiles_and_gpus():
    result = _inline("services:\n  app:\n    image: a\n    profiles: [debug]\n    deploy:\n      replica: 2\n"
                     "      resources:\n        reservations:\n          devices: [{capabilities: [gpu]}]\n"
                     "    x-note: fine\n")
    (svc,) = result.scenario.services
    assert (svc.vcpu, svc.memory_gib, svc.replicas.max) == (0.1, pytest.approx(200 / 1024), 1)
    skipped = {e.field for e in result.report.of(Action.SKIPPED)}
    assert skipped == {"deploy.replica", "deploy.resources.reservations.devices"}
    assert any(e.field == "profiles" for e in result.report.of(Action.ASSUMED))


@pytest.mark.parametrize(("service", "field", "message"), [
    ("deploy: {resources: {limits: {memory: 1 gigabyte}}}", "deploy.resources.limits.memory", "not bytes"),
    ("deploy: {resources: {limits: {cpus: '${CPUS}'}}}", "deploy.resources.limits.cpus", "docker compose config"),
    ("cpus: 4000", "deploy.resources", "more than 1000 vCPU"),
    ("mem_limit: 512", "deploy.resources", "write '512m'"),
    ("deploy: {mode: replicated-job}", "deploy.mode", "allowed: replicated, global"),
    ("deploy: {replicas: many}", "deploy.replicas", "not a whole number"),
])
def test_bad_services_name_the_field(service, field, message):
    with pytest.raises(WorkloadImportError) as err:
        _inline(f"services:\n  app:\n    image: a\n    {service}\n")
    assert str(err.value).startswith(f"compose.yaml, document 1 (Compose service app), field {field}: ")
    assert message in str(err.value)


def test_not_a_compose_file():
    with pytest.raises(WorkloadImportError, match="nothing importable"):
        _inline("apiVersion: v1\nkind: ConfigMap\n")


def test_scaled_to_zero_and_platforms():
    result = _inline("services:\n  off: {image: a, scale: 0}\n  win: {image: w, platform: windows/amd64}\n"
                     "  odd: {image: o, platform: linux/s390x}\n")
    assert [(x.name, x.os, x.architecture) for x in result.scenario.services] == [
        ("win", "windows", "x86_64"), ("odd", "linux", "x86_64")]
    assert any("s390x" in e.message for e in result.report.of(Action.ASSUMED))
