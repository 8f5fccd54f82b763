"""``advisor compare`` as a user runs it: JSON shape, CSV rows, side by side, errors."""

import csv
import io
import json
from pathlib import Path

import pytest

from advisor_cli.main import main

EXAMPLE = Path(__file__).parents[1] / "examples" / "small-api.yaml"
TWO = ["--platform", "ecs-fargate", "--platform", "eks-auto"]


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def dearer(tmp_path):
    """small-api with a $150/h engineer and a team of three."""
    path = tmp_path / "dearer.yaml"
    path.write_text(EXAMPLE.read_text().replace("name: small-api", "name: small-api-dearer")
                    + "operations: {engineer_rate_usd_per_hour: 150, team_size: 3}\n")
    return str(path)


def test_json_has_the_documented_shape(capsys):
    assert main(["compare", str(EXAMPLE), *TWO, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"scenarios", "differences"} and doc["differences"] == []
    (scenario,) = doc["scenarios"]
    assert set(scenario) == {"scenario", "region", "prices_as_of", "clusters", "metric", "basis", "operations",
                             "platforms", "unavailable", "extended_support", "ranges", "recommendation",
                             "sensitivity", "optimal_commitments"}
    assert scenario["metric"] == "tco" and scenario["basis"].startswith("Compared on TCO = AWS bill + engineer")
    assert scenario["operations"]["engineer_rate_usd_per_hour"] == 90.0 and scenario["clusters"] == 1
    platforms = scenario["platforms"]
    assert [p["rank"] for p in platforms] == [1, 2]
    assert [p["platform"] for p in platforms] == scenario["recommendation"]["ranking"]
    for p in platforms:
        assert p["tco_monthly_usd"] == pytest.approx(p["aws_monthly_usd"] + p["operations_monthly_usd"])
        assert p["tco_annual_usd"] == pytest.approx(12 * p["tco_monthly_usd"])
        assert p["operations_monthly_usd"] == pytest.approx(sum(r["monthly_usd"] for r in p["operations_rows"]))
        assert p["operations_hours_per_month"] == pytest.approx(
            p["operations_fixed_hours_per_month"] + p["operations_per_node_hours_per_month"])
        assert p["operations_share_of_tco"] == pytest.approx(p["operations_monthly_usd"] / p["tco_monthly_usd"])
        assert all(r["tag"] and r["source"] and r["formula"] for r in p["operations_rows"])
        assert p["complexity"]["score"] == pytest.approx(sum(c["points"] for c in p["complexity"]["components"]))
    (trade,) = scenario["extended_support"]
    assert trade["platform"] == "eks-auto" and trade["fee_usd_per_year"] == pytest.approx(4380.0)
    rec = scenario["recommendation"]
    assert rec["choice"] == "ecs-fargate" and rec["confidence"] in {"high", "medium", "low"}
    assert {b["parameter"] for b in rec["break_evens"]} == {"engineer_rate_usd_per_hour", "replica_scale"}
    ranges = {r["platform"]: r for r in scenario["ranges"]["platforms"]}
    assert scenario["ranges"]["draws"] == 2000 and scenario["ranges"]["drawn"] == ["the operations activity ranges"]
    assert sum(r["probability_cheapest"] for r in ranges.values()) == pytest.approx(1.0)
    assert all(r["p10_usd"] <= r["p50_usd"] <= r["p90_usd"] for r in ranges.values())
    assert f"cheapest in {ranges['ecs-fargate']['probability_cheapest']:.0%}" in rec["confidence_reason"]
    indices = scenario["sensitivity"]["indices"]
    assert indices and [i["total"] for i in indices] == sorted((i["total"] for i in indices), reverse=True)
    assert scenario["sensitivity"]["best"] == "ecs-fargate" and scenario["sensitivity"]["runner_up"] == "eks-auto"


def test_several_scenarios_report_differences_against_the_first(capsys, dearer):
    assert main(["compare", str(EXAMPLE), dearer, *TWO, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (diff,) = doc["differences"]
    assert (diff["scenario"], diff["versus"]) == ("small-api-dearer", "small-api")
    assert {d["field"] for d in diff["inputs"]} == {"operations.engineer_rate_usd_per_hour", "operations.team_size"}
    first = {p["platform"]: p for p in doc["scenarios"][0]["platforms"]}
    for p in diff["platforms"]:
        assert p["aws_monthly_usd_vs_first"] == pytest.approx(0.0)
        base = first[p["platform"]]["tco_monthly_usd"]
        assert p["tco_monthly_usd_vs_first"] == pytest.approx(p["tco_monthly_usd"] - base)
        assert p["operations_monthly_usd_vs_first"] > 0


def test_csv_one_row_per_scenario_and_platform(capsys, dearer):
    assert main(["compare", str(EXAMPLE), dearer, *TWO, "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["scenario"], r["platform"]) for r in rows] == [
        ("small-api", "ecs-fargate"), ("small-api", "eks-auto"),
        ("small-api-dearer", "ecs-fargate"), ("small-api-dearer", "eks-auto")]
    assert rows[0]["tco_monthly_usd_vs_first"] == "" and float(rows[2]["tco_monthly_usd_vs_first"]) > 0
    for row in rows:
        assert float(row["p10_usd"]) <= float(row["p50_usd"]) <= float(row["p90_usd"])
        assert row["metric"] == "tco" and 0 <= float(row["operations_share_of_tco"]) <= 1
    assert sum(float(r["probability_cheapest"]) for r in rows[:2]) == pytest.approx(1.0)


def test_table_for_one_scenario(capsys):
    assert main(["compare", str(EXAMPLE), *TWO]) == 0
    out = capsys.readouterr().out
    for text in ("Compared on TCO = AWS bill + engineer time at $90/h", "AWS bill/mo", "eng share", "TCO USD/mo",
                 "ranges, USD/month, over 2,000 draws of the operations activity ranges", "% of draws",
                 "Recommendation: ecs-fargate", "What would flip it:", "Caveats:", "What decides it: Sobol indices",
                 "team maturity", "hours a month by activity", "of which per node", "version-upgrades",
                 "EKS version lifecycle", "Complexity = Σ value × weight", "bundled snapshot"):
        assert text in out, text


def test_table_side_by_side(capsys, dearer):
    assert main(["compare", str(EXAMPLE), dearer, *TWO]) == 0
    out = capsys.readouterr().out
    assert "Side by side, differences against small-api" in out
    assert "input operations engineer rate (USD per hour): 90 → 150" in out


def test_bad_operations_is_a_one_line_error(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLE.read_text() + "operations: {engineer_rate_usd_per_hour: -20}\n")
    assert main(["compare", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "operations.engineer_rate_usd_per_hour" in err and "-20" in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_bill_only_compares_the_aws_bills_alone(capsys):
    assert main(["compare", str(EXAMPLE), "--bill-only", "--format", "json"]) == 0
    (scenario,) = json.loads(capsys.readouterr().out)["scenarios"]
    assert scenario["metric"] == "aws" and scenario["basis"].startswith("Compared on the AWS bill alone")
    bills = [p["aws_monthly_usd"] for p in scenario["platforms"]]
    assert bills == sorted(bills) and [p["rank"] for p in scenario["platforms"]] == list(range(1, len(bills) + 1))
    rec = scenario["recommendation"]
    assert rec["metric"] == "aws" and rec["reasons"][0].startswith("ecs-fargate has the lowest AWS bill")
    assert scenario["ranges"]["drawn"] == [] and "nothing uncertain was drawn" in rec["confidence_reason"]
    assert scenario["sensitivity"]["indices"] == [] and "no operations range moves" in scenario["sensitivity"]["note"]
    assert main(["compare", str(EXAMPLE), "--bill-only"]) == 0
    out = capsys.readouterr().out
    assert "Compared on the AWS bill alone (--bill-only)" in out and "Ranges: nothing uncertain is drawn" in out


def test_input_ranges_are_drawn_with_the_operations_ranges(capsys):
    assert main(["compare", str(EXAMPLE), *TWO, "--range", "operations.engineer_rate_usd_per_hour=65:150",
                 "--dist", "replicas_scale=triangular:0.8:1:1.5", "--draws", "40", "--sensitivity-samples", "8",
                 "--format", "json"]) == 0
    (scenario,) = json.loads(capsys.readouterr().out)["scenarios"]
    ranges = scenario["ranges"]
    assert ranges["draws"] == 40 and ranges["drawn"] == [
        "operations.engineer_rate_usd_per_hour, replicas_scale", "the operations activity ranges"]
    assert set(ranges["inputs"]) == {"operations.engineer_rate_usd_per_hour", "replicas_scale"}
    names = {i["input"] for i in scenario["sensitivity"]["indices"]}
    assert {"operations.engineer_rate_usd_per_hour", "replicas_scale", "team.effort"} <= names
    assert "of 40 draws of operations.engineer_rate_usd_per_hour, replicas_scale and the operations activity " \
           "ranges" in scenario["recommendation"]["confidence_reason"]


def test_a_bad_range_is_a_one_line_error(capsys):
    assert main(["compare", str(EXAMPLE), "--range", "replicas_scale=2:1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "replicas_scale" in err and err.count("\n") == 1
