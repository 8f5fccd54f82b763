"""CSV read back with the csv module: the line items with the estimate's exact numbers, the summary that
reconciles them with the headline, and inert text."""

import csv
import io

import pytest

from presentation.csv_text import FORMULA_TRIGGERS
from presentation.estimate_tables import LINE_ITEM_COLUMNS
from reports.csv_export import SUMMARY_COLUMNS, summary_csv, to_csv

from .conftest import HOSTILE_NAMES


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_every_line_item_with_its_exact_numbers(small_model, small_result):
    rows = _rows(to_csv(small_model))
    items = [(e.platform.value, li) for e in small_result.estimates for li in e.line_items]
    assert len(rows) == len(items)
    for row, (platform, li) in zip(rows, items, strict=True):
        assert row["platform"] == platform and row["name"] == li.name
        assert float(row["quantity"]) == li.quantity
        assert float(row["usd_per_unit"]) == li.usd_per_unit
        assert float(row["monthly_usd"]) == li.monthly_usd
        assert row["price_ref"] == li.price_ref and row["publication_date"] == li.publication_date
    for est in small_result.estimates:
        # Same terms in the same order: the sum is bit-for-bit the estimate's total.
        assert sum(float(r["monthly_usd"]) for r in rows if r["platform"] == est.platform.value) == est.monthly_usd


def test_columns_match_advisor_estimate_csv_plus_the_converted_amount(eur_model):
    rows = _rows(to_csv(eur_model))
    assert list(rows[0]) == [*LINE_ITEM_COLUMNS, "monthly_eur"]
    for row in rows:
        assert float(row["monthly_eur"]) == pytest.approx(float(row["monthly_usd"]) * 0.92, rel=1e-12)


def test_numbers_are_unquoted_and_text_is_quoted(small_model):
    """QUOTE_NONNUMERIC: a spreadsheet reads numbers as numbers and every text cell as text."""
    first = to_csv(small_model).decode("utf-8-sig").splitlines()[1]
    assert first.startswith('"ecs-ec2","prod","control-plane","ECS control plane (no charge)",730,"hours",0.0,0.0,')


def test_the_summary_reconciles_the_line_items_with_the_headline(tco_model):
    lines = _rows(to_csv(tco_model))
    summary = _rows(summary_csv(tco_model))
    assert list(summary[0]) == list(SUMMARY_COLUMNS)
    assert [r["platform"] for r in summary] == [s.platform for s in tco_model.summaries]
    assert [r["recommended"] for r in summary].count("True") == 1
    assert summary[0]["recommended"] == "True" and tco_model.recommendation.best == summary[0]["platform"]
    for row, s in zip(summary, tco_model.summaries, strict=True):
        mine = [float(r["monthly_usd"]) for r in lines if r["platform"] == row["platform"]]
        assert int(row["line_items"]) == len(mine)
        assert sum(mine) == float(row["aws_monthly_usd"]) == s.aws_monthly_usd  # bit for bit
        hours, rate = float(row["operations_hours_per_month"]), float(row["engineer_rate_usd_per_hour"])
        assert hours * rate == pytest.approx(float(row["operations_monthly_usd"]), abs=0.005)
        aws, ops, tco = (float(row[k]) for k in ("aws_monthly_usd", "operations_monthly_usd", "tco_monthly_usd"))
        assert aws + ops == pytest.approx(tco, abs=1e-9) and tco == pytest.approx(s.tco_monthly_usd, rel=1e-15)
        assert float(row["tco_annual_usd"]) == pytest.approx(12 * tco, rel=1e-15)
        assert float(row["tco_low_monthly_usd"]) <= tco <= float(row["tco_high_monthly_usd"])
        assert "draws of the operations activity ranges" in row["tco_range_basis"] and row["prices_as_of"]


def test_the_summary_without_tco_and_with_an_unavailable_platform(book):
    from advisor.costs.estimate import estimate
    from advisor.workload.scenario import Scenario
    from reports.model import build_report

    scenario = Scenario.model_validate({"name": "win", "platforms": ["ecs-fargate", "eks-fargate"], "services": [
        {"name": "legacy", "vcpu": 1, "memory_gib": 2, "replicas": 1, "os": "windows"}]})
    rows = _rows(summary_csv(build_report(estimate(scenario, book), book)))
    assert [(r["platform"], bool(r["aws_monthly_usd"]), r["tco_monthly_usd"]) for r in rows] == [
        ("ecs-fargate", True, ""), ("eks-fargate", False, "")]
    assert rows[1]["note"].startswith("not priced: EKS on Fargate runs only Linux")


@pytest.mark.parametrize("render", [to_csv, summary_csv])
def test_hostile_names_come_out_inert(hostile_model, render):
    rows = _rows(render(hostile_model))
    cells = [v for row in rows for v in row.values()]
    assert not [c for c in cells if c.startswith(FORMULA_TRIGGERS)]
    if render is to_csv:
        assert {r["environment"] for r in rows} == {"'" + HOSTILE_NAMES[2]}
        names = " ".join(r["name"] for r in rows)
        assert all(n in names for n in HOSTILE_NAMES)  # still readable inside the text
