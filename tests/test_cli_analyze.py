"""``advisor analyze`` as a user runs it: each subcommand's formats, reproducibility, one-line errors."""

import csv
import io
import json
from pathlib import Path

import pytest

from advisor_cli.main import main

EXAMPLE = str(Path(__file__).parents[1] / "examples" / "small-api.yaml")
EGRESS = "traffic.internet_egress_gb_per_month"


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "cache"))


def run(capsys, *argv: str) -> str:
    assert main(["analyze", *argv]) == 0
    return capsys.readouterr().out


def test_parameters_lists_names_values_and_bounds(capsys):
    rows = json.loads(run(capsys, "parameters", EXAMPLE, "--format", "json"))["parameters"]
    spot = next(r for r in rows if r["parameter"] == "purchase.spot_share")
    assert (spot["value"], spot["minimum"], spot["maximum"], spot["integer"]) == (0.0, 0.0, 1.0, False)
    assert rows[0]["parameter"] == "replicas_scale" and rows[0]["description"]


def test_sweep_json_has_curves_cheapest_and_crossings(capsys):
    doc = json.loads(run(capsys, "sweep", EXAMPLE, "--param", EGRESS, "--from", "0", "--to", "20000",
                         "--points", "3", "--metric", "aws", "--format", "json"))
    assert (doc["parameter"], doc["metric"], doc["values"]) == (EGRESS, "aws", [0.0, 10000.0, 20000.0])
    assert set(doc["monthly_usd"]) == {"ecs-ec2", "ecs-fargate", "eks-ec2", "eks-fargate", "eks-auto", "ecs-managed"}
    assert all(len(curve) == 3 for curve in doc["monthly_usd"].values())
    assert doc["cheapest"] == ["ecs-fargate"] * 3 and doc["crossings"] == [] and doc["winner_changes"] == []


def test_sweep_csv_and_table(capsys):
    rows = list(csv.DictReader(io.StringIO(run(capsys, "sweep", EXAMPLE, "--param", EGRESS, "--values", "0,500",
                                               "--format", "csv"))))
    assert [r[EGRESS] for r in rows] == ["0.0", "500.0"] and {"ecs-fargate", "cheapest"} <= set(rows[0])
    table = run(capsys, "sweep", EXAMPLE, "--param", EGRESS, "--values", "0,500")
    assert table.startswith("tco USD/month by traffic.internet_egress_gb_per_month")
    assert "cheapest platform never changes" in table and "ecs-fargate" in table


def test_sensitivity_bars_sorted_by_swing(capsys):
    doc = json.loads(run(capsys, "sensitivity", EXAMPLE, "--input", "traffic.logs_ingested_gb_per_month=0:100",
                         "--input", "operations.engineer_rate_usd_per_hour=50:150", "--format", "json"))
    assert doc["best"] == "ecs-fargate" and doc["base_gap_usd"] > 0
    assert [b["parameter"] for b in doc["bars"]] == ["operations.engineer_rate_usd_per_hour",
                                                     "traffic.logs_ingested_gb_per_month"]
    assert doc["bars"][1]["swing_usd"] == pytest.approx(0, abs=1e-6)   # logs cost the same on every platform


def test_simulate_is_reproducible_with_a_seed(capsys):
    argv = ("simulate", EXAMPLE, "--samples", "30", "--seed", "1", "--range", f"{EGRESS}=0:5000",
            "--dist", "operations.engineer_rate_usd_per_hour=triangular:65:90:150", "--format", "json")
    first, again = run(capsys, *argv), run(capsys, *argv)
    assert first == again
    doc = json.loads(first)
    assert (doc["samples"], doc["seed"]) == (30, 1)
    assert sum(p["probability_cheapest"] for p in doc["platforms"]) == pytest.approx(1)
    assert all(p["p10_usd"] <= p["p50_usd"] <= p["p90_usd"] for p in doc["platforms"])
    assert doc["operations_ranges"] is True


def test_simulate_draws_the_operations_ranges_unless_held_fixed(capsys):
    alone = json.loads(run(capsys, "simulate", EXAMPLE, "--samples", "50", "--format", "json"))
    spread = {p["platform"]: p["p90_usd"] - p["p10_usd"] for p in alone["platforms"]}
    assert alone["inputs"] == {} and all(width > 0 for width in spread.values())  # the hours alone move the TCO
    fixed = json.loads(run(capsys, "simulate", EXAMPLE, "--samples", "20", "--range", f"{EGRESS}=0:5000",
                           "--fixed-operations", "--metric", "operations", "--format", "json"))
    assert fixed["operations_ranges"] is False
    assert all(p["p10_usd"] == p["p90_usd"] for p in fixed["platforms"])  # egress never moves engineer time


def test_project_twelve_months(capsys):
    doc = json.loads(run(capsys, "project", EXAMPLE, "--months", "12", "--metric", "aws", "--format", "json"))
    assert len(doc["monthly"]) == 12 and len(doc["skipped"]) == 2
    reserved = [c for c in doc["commitments"] if c["option"] == "reserved-1yr"]
    # Fargate has no Reserved Instances (Compute Savings Plans cover it: AWS Savings Plans User Guide); No Upfront
    # commitments have no payback month but a break-even utilization (their rate over On-Demand's).
    assert reserved and not [c for c in reserved if c["platform"] in ("ecs-fargate", "eks-fargate")]
    assert all(c["payback_month"] is None and 0 < c["break_even_utilization"] < 1 and c["saving_usd"] >= 0
               for c in reserved)
    plans = [c for c in doc["commitments"] if c["option"] == "savings-plan-1yr"]
    assert {"ecs-fargate"} <= {c["platform"] for c in plans}
    assert all(0 < c["break_even_utilization"] < 1 for c in plans)
    assert "reserved-1yr" in run(capsys, "project", EXAMPLE, "--months", "12", "--metric", "aws")


@pytest.mark.parametrize(("argv", "expected"), [
    (("sweep", EXAMPLE, "--param", "replica_scale", "--from", "1", "--to", "2"),
     "parameter: 'replica_scale' is not allowed; allowed: replicas_scale"),
    (("sweep", EXAMPLE, "--param", "replicas_scale", "--from", "2", "--to", "1"), "from: 2.0 is not allowed"),
    (("sweep", EXAMPLE, "--param", "replicas_scale", "--from", "1"), "both --from and --to, or --values"),
    (("sweep", EXAMPLE, "--param", "replicas_scale", "--values", "1,x"), "values: 'x' is not allowed"),
    (("simulate", EXAMPLE, "--samples", "-1", "--range", f"{EGRESS}=0:1"), "samples: -1 is not allowed"),
    (("simulate", EXAMPLE, "--range", f"{EGRESS}=5:5"), "LOW < HIGH (the range is empty otherwise)"),
    (("simulate", EXAMPLE, "--fixed-operations"), "inputs: {} is not allowed"),
    (("simulate", EXAMPLE, "--range", "oops"), "range: 'oops' is not allowed; allowed: NAME=LOW:HIGH"),
    (("simulate", EXAMPLE, "--dist", f"{EGRESS}=gamma:1:2"), "dist: "),
    (("sensitivity", EXAMPLE, "--input", f"{EGRESS}=9:1"), "LOW < HIGH"),
    (("project", EXAMPLE, "--months", "0"), "months: 0 is not allowed"),
])
def test_bad_input_is_a_one_line_error(capsys, argv, expected):
    assert main(["analyze", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and expected in err and err.count("\n") == 1 and "Traceback" not in err
