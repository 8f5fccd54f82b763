"""`advisor import` as a user runs it: the scenario is written whole or not at all."""

import io
import json
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from advisor.workload.spec_io import parse_scenario
from advisor_cli.main import main
from importers.safe_yaml import MAX_SOURCE_BYTES

FIXTURES = Path(__file__).parents[1] / "fixtures" / "importers"
HELM = str(FIXTURES / "k8s" / "helm-shop.yaml")
PREVIOUS = "name: previous\nservices:\n - {name: a, vcpu: 1, memory_gib: 1, replicas: 1}\n"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))


def test_writes_the_scenario_and_prints_the_report(tmp_path, capsys):
    out = tmp_path / "shop.yaml"
    assert main(["import", "k8s", HELM, "--region", "eu-west-1", "-o", str(out)]) == 0
    scenario = parse_scenario(out.read_text(), str(out))
    assert (scenario.name, scenario.region, len(scenario.services), len(scenario.jobs)) == ("shop", "eu-west-1", 1, 2)
    printed = capsys.readouterr().out
    assert "mapped (" in printed and "assumed (" in printed and "skipped (" in printed
    assert f"wrote {out}: 1 services, 2 jobs, 1 daemons, region eu-west-1" in printed
    assert [p.name for p in tmp_path.iterdir() if p.name != "cache"] == ["shop.yaml"]


def test_json_output_and_json_report(tmp_path, capsys):
    out = tmp_path / "ecs.json"
    files = [str(p) for p in sorted((FIXTURES / "ecs").glob("*.json"))]
    assert main(["import", "ecs", *files, "--name", "shop-ecs", "-o", str(out), "--report", "json"]) == 0
    assert json.loads(out.read_text())["name"] == "shop-ecs"
    report = json.loads(capsys.readouterr().out)
    assert {e["action"] for e in report["entries"]} == {"mapped", "assumed", "skipped", "hint"}
    assert all(set(e) == {"action", "source", "document", "item", "kind", "name", "field", "message"}
               for e in report["entries"])


def test_compose_from_standard_input(tmp_path, monkeypatch, capsys):
    class Stdin:
        buffer = io.BytesIO((FIXTURES / "compose" / "compose.yaml").read_bytes())

    monkeypatch.setattr("sys.stdin", Stdin)
    out = tmp_path / "compose.yaml"
    assert main(["import", "compose", "-", "-o", str(out)]) == 0
    assert len(parse_scenario(out.read_text()).services) == 3


BAD_INPUTS = {
    "bad-quantity.yaml": ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n"
                          "    spec:\n      containers: [{name: a, resources: {requests: {cpu: lots}}}]\n",
                          "bad-quantity.yaml, document 1 (Deployment web), field "
                          "spec.template.spec.containers[0].resources.requests.cpu: 'lots' is not"),
    "bomb.yaml": ("a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(7)),
        "bomb.yaml, document 1: expanding its aliases would add"),
    "object.yaml": ("kind: Pod\nmetadata: {name: !!python/object/apply:os.system ['touch /tmp/pwned']}\n",
                    "object.yaml, document 1: tag '!!python/object/apply:os.system' (line 2) is not plain data"),
    "malformed.yaml": ("kind: Deployment\nspec: [\n", "malformed.yaml, document 1: not valid YAML"),
    "only-config.yaml": ("kind: ConfigMap\nmetadata: {name: c}\n", "only-config.yaml: nothing importable"),
    "latin1.yaml": (b"kind: Pod\nmetadata: {name: caf\xe9}\n", "latin1.yaml: not UTF-8 text"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_failed_import_writes_nothing(tmp_path, capsys, name):
    content, expected = BAD_INPUTS[name]
    source = tmp_path / name
    source.write_bytes(content if isinstance(content, bytes) else content.encode())
    out = tmp_path / "scenario.yaml"
    out.write_text(PREVIOUS)
    assert main(["import", "k8s", str(source), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {tmp_path}/{expected}"), err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert out.read_text() == PREVIOUS
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "cache") == sorted([name, "scenario.yaml"])


def test_file_over_the_size_limit(tmp_path, capsys):
    big = tmp_path / "big.yaml"
    big.write_text("#" * (MAX_SOURCE_BYTES + 1))
    assert main(["import", "k8s", str(big), "-o", str(tmp_path / "s.yaml")]) == 2
    assert "over the 5,242,880-byte limit" in capsys.readouterr().err
    assert not (tmp_path / "s.yaml").exists()


def test_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, capsys):
    out = tmp_path / "scenario.yaml"
    out.write_text(PREVIOUS)

    def fail(self, target):
        raise OSError("disk full")

    monkeypatch.setattr(Path, "replace", fail)
    assert main(["import", "k8s", HELM, "-o", str(out)]) == 2
    assert "disk full" in capsys.readouterr().err
    assert out.read_text() == PREVIOUS
    assert [p.name for p in tmp_path.iterdir() if p.name != "cache"] == ["scenario.yaml"]


@mock_aws
def test_aws_source(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    ecs = boto3.Session(region_name="us-west-2").client("ecs")
    ecs.create_cluster(clusterName="c")
    ecs.register_task_definition(family="api", cpu="512", memory="1024",
                                 containerDefinitions=[{"name": "api", "image": "api"}])
    ecs.create_service(cluster="c", serviceName="api", taskDefinition="api", desiredCount=2)
    out = tmp_path / "live.yaml"
    assert main(["import", "aws", "--region", "us-west-2", "-o", str(out)]) == 0
    scenario = parse_scenario(out.read_text())
    assert (scenario.region, scenario.services[0].vcpu, scenario.services[0].replicas.max) == ("us-west-2", 0.5, 2)
    assert main(["import", "aws", "--profile", "missing", "--region", "us-west-2", "-o", str(out)]) == 2
    assert "profile 'missing'" in capsys.readouterr().err
