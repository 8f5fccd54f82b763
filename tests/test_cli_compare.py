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
    assert set(scenario) == {"scenario", "region", "prices_as_of", "clusters", "operations", "platforms",
                             "unavailable", "extended_support", "recommendation"}
    assert scenario["operations"]["engineer_rate_usd_per_hour"] == 90.0 and scenario["clusters"] == 1
    platforms = scenario["platforms"]
    assert [p["rank"] for p in platforms] == [1, 2]
    assert [p["platform"] for p in platforms] == scenario["recommendation"]["ranking"]
    for p in platforms:
        assert p["tco_monthly_usd"] == pytest.approx(p["aws_monthly_usd"] + p["operations_monthly_usd"])
        assert p["tco_annual_usd"] == pytest.approx(12 * p["tco_monthly_usd"])
        assert p["operations_monthly_usd"] == pytest.approx(sum(r["monthly_usd"] for r in p["operations_rows"]))
        assert all(r["tag"] and r["source"] and r["formula"] for r in p["operations_rows"])
        assert p["complexity"]["score"] == pytest.approx(sum(c["points"] for c in p["complexity"]["components"]))
    (trade,) = scenario["extended_support"]
    assert trade["platform"] == "eks-auto" and trade["fee_usd_per_year"] == pytest.approx(4380.0)
    rec = scenario["recommendation"]
    assert rec["choice"] == "ecs-fargate" and rec["confidence"] in {"high", "medium", "low"}
    assert {b["parameter"] for b in rec["break_evens"]} == {"engineer_rate_usd_per_hour", "replica_scale"}
    assert [c["level"] for c in rec["level_checks"]] == ["low", "default", "high"]


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


def test_table_for_one_scenario(capsys):
    assert main(["compare", str(EXAMPLE), *TWO]) == 0
    out = capsys.readouterr().out
    for text in ("TCO USD/mo", "Recommendation: ecs-fargate", "What would flip it:", "Caveats:",
                 "engineer-hours a month by activity", "version-upgrades", "EKS version lifecycle",
                 "Complexity = Σ value × weight", "bundled snapshot"):
        assert text in out


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
