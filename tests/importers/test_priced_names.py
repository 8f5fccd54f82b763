"""Imports check Regions and pinned instance types against the active prices (issue 14).

An import that finds a Region the prices lack (an ARN in ``mars-east-1``, or in ``eu-south-2``
before the snapshot covered it) says so at import time, with the choice of a priced Region or
a refresh, and writes nothing; a pinned instance type no Region lists (``m99.huge``) is an
error naming it and the closest types.  A known pin is reported as an assumption.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.workload.catalog import PriceCatalog
from advisor_cli.main import main
from importers import WorkloadImportError, import_texts

SIX_REGIONS = ("ap-northeast-1", "ap-northeast-2", "eu-central-1", "eu-west-1", "us-east-1", "us-west-2")
#: The prices before this issue: six Regions, a few instance types.
OLD_CATALOG = PriceCatalog(SIX_REGIONS, frozenset({"m5.large", "m5.xlarge", "m6g.large", "c5.large"}))


def task_definition(region: str = "eu-south-2", pinned: str | None = None) -> str:
    body = {"family": "web", "revision": 3, "cpu": "512", "memory": "1024",
            "taskDefinitionArn": f"arn:aws:ecs:{region}:123456789012:task-definition/web:3",
            "containerDefinitions": [{"name": "web", "image": "nginx", "cpu": 512, "memory": 1024}]}
    if pinned:
        body["placementConstraints"] = [{"type": "memberOf", "expression": f"attribute:ecs.instance-type == {pinned}"}]
    return json.dumps({"taskDefinition": body})


def deployment(instance_type: str) -> str:
    return ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n  template:\n"
            "    spec:\n      nodeSelector: {node.kubernetes.io/instance-type: " + instance_type + "}\n"
            "      containers: [{name: a, resources: {requests: {cpu: 500m, memory: 1Gi}}}]\n")


def test_a_region_from_an_arn_without_prices_fails_the_import_with_both_ways_out():
    with pytest.raises(WorkloadImportError) as info:
        import_texts("ecs", [("td.json", task_definition("eu-south-2"))], scenario_name="s", catalog=OLD_CATALOG)
    message = str(info.value)
    assert message.startswith("td.json, field region: 'eu-south-2' has no prices in the active price data (")
    assert "import with --region set to a priced region" in message
    assert "advisor prices refresh --source bulk --region eu-south-2" in message


def test_an_explicit_region_overrides_the_arn_and_is_checked_too():
    result = import_texts("ecs", [("td.json", task_definition("eu-south-2"))], scenario_name="s",
                          region="eu-west-1", catalog=OLD_CATALOG)
    assert result.scenario.region == "eu-west-1"


def test_without_a_catalog_nothing_is_checked():
    """Library use without prices: the importer still works."""
    assert import_texts("ecs", [("td.json", task_definition("mars-east-1"))], scenario_name="s").scenario.region \
        == "mars-east-1"


@pytest.mark.parametrize(("source", "text", "field"), [
    ("ecs", task_definition("eu-west-1", "m99.huge"), "placementConstraints[0].expression"),
    ("k8s", deployment("m99.huge"), "spec.template.spec.nodeSelector"),
])
def test_an_unknown_pinned_instance_type_names_it_and_the_closest(source, text, field):
    with pytest.raises(WorkloadImportError) as info:
        import_texts(source, [("in.yaml", text)], scenario_name="s", region="eu-west-1", catalog=OLD_CATALOG)
    message = str(info.value)
    assert f"field {field}: instance type 'm99.huge' is not an EC2 instance type of the active price data (" in message
    assert "m5.large" in message


@pytest.mark.parametrize(("source", "text"), [("ecs", task_definition("eu-west-1", "m5.large")),
                                              ("k8s", deployment("m5.large"))])
def test_a_known_pin_is_reported_as_an_assumption(source, text):
    result = import_texts(source, [("in.yaml", text)], scenario_name="s", region="eu-west-1", catalog=OLD_CATALOG)
    messages = [e.message for e in result.report.entries]
    assert any(m.startswith("pinned to m5.large: the estimate chooses node types itself; "
                            "ec2.instance_families: [m5]") for m in messages)


# --- through the command line, on the bundled prices (every commercial Region) ------------------------
@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))


def test_cli_import_of_eu_south_2_now_succeeds_and_estimates(tmp_path, capsys):
    source, out = tmp_path / "td.json", tmp_path / "s.yaml"
    source.write_text(task_definition("eu-south-2"))
    assert main(["import", "ecs", str(source), "-o", str(out)]) == 0
    assert "region eu-south-2" in capsys.readouterr().out
    assert main(["estimate", str(out), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["region"] == "eu-south-2"


@pytest.mark.parametrize(("text", "expected"), [
    (task_definition("mars-east-1"), "field region: 'mars-east-1' has no prices in the active price data (nearest: "),
    (task_definition("eu-west-1", "m99.huge"), "instance type 'm99.huge' is not an EC2 instance type of the active "
                                               "price data (closest: m5.large"),
])
def test_cli_import_refuses_what_estimate_would_refuse_and_writes_nothing(tmp_path, capsys, text, expected):
    source, out = tmp_path / "td.json", tmp_path / "s.yaml"
    source.write_text(text)
    assert main(["import", "ecs", str(source), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1
    assert not out.exists()


def test_cli_import_region_option_names_the_nearest(tmp_path, capsys):
    out = tmp_path / "s.yaml"
    source = Path(tmp_path / "td.json")
    source.write_text(task_definition("eu-west-1"))
    assert main(["import", "ecs", str(source), "--region", "eu-wets-1", "-o", str(out)]) == 2
    assert capsys.readouterr().err.startswith("error: region: 'eu-wets-1' is not allowed; allowed: a region of the "
                                              "active price data; nearest: eu-west-1")
    assert not out.exists()
