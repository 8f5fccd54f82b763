"""Importing then exporting a scenario round-trips; generated manifests keep the scheduler's totals."""

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.workload.spec_io import dump_scenario, parse_scenario
from importers import import_texts

FIXTURES = Path(__file__).parents[1] / "fixtures" / "importers"
CASES = [("ecs", sorted((FIXTURES / "ecs").glob("*.json"))), ("k8s", [FIXTURES / "k8s" / "helm-shop.yaml"]),
         ("k8s", [FIXTURES / "k8s" / "kubectl-list.yaml"]), ("k8s", [FIXTURES / "k8s" / "mixed-kinds.yaml"]),
         ("compose", [FIXTURES / "compose" / "compose.yaml"])]


@pytest.mark.parametrize(("kind", "paths"), CASES, ids=lambda c: c if isinstance(c, str) else c[0].name)
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_imported_fixtures_round_trip(kind, paths, fmt):
    scenario = import_texts(kind, [(p.name, p.read_text()) for p in paths], scenario_name="imported").scenario
    text = dump_scenario(scenario, fmt)
    assert parse_scenario(text) == scenario
    assert dump_scenario(parse_scenario(text), fmt) == text


millicores = st.integers(1, 4000)
mebibytes = st.integers(1, 16384)


@st.composite
def cpu_text(draw):
    m = draw(millicores)
    return draw(st.sampled_from([f"{m}m", str(Decimal(m) / 1000), f"{m}e-3"])), Decimal(m) / 1000


@st.composite
def memory_text(draw):
    n = draw(mebibytes)
    return draw(st.sampled_from([f"{n}Mi", f"{n * 1024}Ki", str(n * 2**20), f"{n * 2**20}e0"])), n * 2**20


@st.composite
def container(draw, name):
    cpu, cores = draw(cpu_text())
    memory, memory_bytes = draw(memory_text())
    return {"name": name, "image": "x", "resources": {"requests": {"cpu": cpu, "memory": memory}}}, cores, memory_bytes


@st.composite
def deployments(draw):
    regular = [draw(container(f"c{i}")) for i in range(draw(st.integers(1, 3)))]
    init = []
    for i in range(draw(st.integers(0, 3))):
        spec, cores, memory = draw(container(f"i{i}"))
        if draw(st.booleans()):
            spec["restartPolicy"] = "Always"
        init.append((spec, cores, memory))
    replicas = draw(st.integers(1, 50))
    arch = draw(st.sampled_from([None, "amd64", "arm64"]))
    pod = {"containers": [c for c, _, _ in regular], "initContainers": [c for c, _, _ in init]}
    if arch:
        pod["nodeSelector"] = {"kubernetes.io/arch": arch}
    manifest = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "gen"},
                "spec": {"replicas": replicas, "template": {"spec": pod}}}
    return manifest, regular, init, replicas, arch


def _reference(regular, init, index):
    """The scheduler's effective request, written out independently of the importer."""
    sidecars = [c[index] for c in init if c[0].get("restartPolicy") == "Always"]
    steady = sum(c[index] for c in regular) + sum(sidecars)
    peaks, started = [], 0
    for spec, *amounts in init:
        if spec.get("restartPolicy") == "Always":
            started += amounts[index - 1]
        else:
            peaks.append(amounts[index - 1] + started)
    return max([steady, *peaks])


@settings(max_examples=60, deadline=None)
@given(deployments(), st.sampled_from(["yaml", "json"]))
def test_generated_manifests_import_exactly_and_round_trip(generated, fmt):
    manifest, regular, init, replicas, arch = generated
    text = yaml.safe_dump(manifest) if fmt == "yaml" else json.dumps(manifest)
    scenario = import_texts("k8s", [(f"gen.{fmt}", text)], scenario_name="gen").scenario
    (svc,) = scenario.services
    assert svc.total_vcpu == pytest.approx(float(_reference(regular, init, 1)), rel=1e-9)
    assert svc.total_memory_gib == pytest.approx(float(_reference(regular, init, 2)) / 2**30, rel=1e-9)
    assert svc.replicas.max == replicas
    assert svc.architecture == ("arm64" if arch == "arm64" else "x86_64")
    assert parse_scenario(dump_scenario(scenario)) == scenario
    assert parse_scenario(dump_scenario(scenario, "json")) == scenario


@st.composite
def task_definitions(draw):
    task_units = draw(st.sampled_from([256, 512, 1024, 2048, 4096]))
    task_mib = draw(st.integers(512, 30720))
    sidecars = [{"name": f"s{i}", "image": "s", "cpu": draw(st.integers(1, task_units // 8)),
                 "memoryReservation": draw(st.integers(1, task_mib // 8))} for i in range(draw(st.integers(0, 3)))]
    cpu = draw(st.sampled_from([str(task_units), f"{task_units / 1024:g} vCPU", task_units]))
    memory = draw(st.sampled_from([str(task_mib), task_mib] + ([f"{task_mib // 1024} GB"] if task_mib % 1024 == 0
                                                               else [])))
    body = {"family": "gen", "cpu": cpu, "memory": memory,
            "containerDefinitions": [{"name": "main", "image": "m"}, *sidecars]}
    return body, task_units, task_mib, len(sidecars)


@settings(max_examples=60, deadline=None)
@given(task_definitions(), st.booleans())
def test_generated_task_definitions_keep_the_task_size(generated, wrapped):
    body, units, mib, n_sidecars = generated
    document = {"taskDefinition": body, "tags": []} if wrapped else body
    scenario = import_texts("ecs", [("td.json", json.dumps(document))], scenario_name="gen").scenario
    (svc,) = scenario.services
    assert svc.total_vcpu == pytest.approx(units / 1024) and svc.total_memory_gib == pytest.approx(mib / 1024)
    assert len(svc.sidecars) == n_sidecars
    assert parse_scenario(dump_scenario(scenario)) == scenario
