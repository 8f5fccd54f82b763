"""``advisor estimate`` as a user runs it: formats, platform filter, errors."""

import csv
import io
import json
from pathlib import Path

import pytest

from advisor.workload.platforms import Platform
from advisor_cli.main import main

EXAMPLE = str(Path(__file__).parents[1] / "examples" / "small-api.yaml")


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))


def test_json_has_the_documented_shape(capsys):
    assert main(["estimate", EXAMPLE, "--platform", "ecs-fargate", "--platform", "eks-auto", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["region"] == "eu-west-1" and doc["prices_as_of"].startswith("2025-")
    assert [p["platform"] for p in doc["platforms"]] == ["ecs-fargate", "eks-auto"]
    for plat in doc["platforms"]:
        assert plat["monthly_usd"] == pytest.approx(sum(li["monthly_usd"] for li in plat["line_items"]))
        assert set(plat) >= {"platform", "monthly_usd", "line_items", "warnings"}


def test_csv_one_row_per_line_item(capsys):
    assert main(["estimate", EXAMPLE, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["platform"] for r in rows} == {p.value for p in Platform}
    assert all(r["formula"] and r["price_ref"] for r in rows)


def test_table_lists_every_platform(capsys):
    assert main(["estimate", EXAMPLE]) == 0
    out = capsys.readouterr().out
    assert "USD/month" in out and "bundled snapshot" in out
    assert "amounts: the AWS bill only, without engineer time" in out  # never mistaken for the TCO


def test_an_off_peak_scaled_to_zero_reads_as_no_nodes(tmp_path, capsys):
    """A service scaled to zero replicas off-peak: its off-peak placement has no nodes, and is optimal
    (the text view divided its cost by a lower bound of 0 and ended in a traceback)."""
    scenario = tmp_path / "zero.yaml"
    scenario.write_text("name: zero-off-peak\nservices:\n  - {name: web, vcpu: 0.5, memory_gib: 1,\n"
                        "     replicas: {min: 0, max: 2, schedule: business-hours}}\n")
    assert main(["estimate", str(scenario), "--platform", "ecs-ec2"]) == 0
    out = capsys.readouterr().out
    assert "placement [prod off-peak, 512.738 h]: no nodes; optimal (nothing to place)" in out


def test_bad_scenario_is_one_line_error(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nservices:\n - {name: a, vcpu: -1, memory_gib: 1, replicas: 1}\n")
    assert main(["estimate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "services[0].vcpu" in err and "bad.yaml" in err
    assert "Traceback" not in err


def test_missing_file(capsys):
    assert main(["estimate", "does-not-exist.yaml"]) == 2
    assert "does-not-exist.yaml" in capsys.readouterr().err
