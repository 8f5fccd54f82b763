"""The README's finance-review walkthrough is true for examples/microservices.yaml: its figures and cells."""

import io
import re
from pathlib import Path

from openpyxl import load_workbook

from advisor.decision.fargate_agents import agent_sidecar_notes
from advisor.decision.tco import tco
from presentation.money import format_usd
from reports.xlsx_export import to_xlsx

README = Path(__file__).parents[2] / "README.md"


def _walkthrough() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("### Finance review walkthrough")
    return text[start:text.index("\n## ", start)]


def test_the_figures_are_the_reports(tco_model, book):
    text = _walkthrough()
    first = tco_model.summaries[0]
    assert tco_model.recommendation.best == first.platform == "ecs-managed"
    assert "Recommended: ECS Managed Instances (ecs-managed)" in text
    low, high = first.tco_range_monthly_usd
    for amount in (first.tco_monthly_usd, first.aws_monthly_usd, first.operations_monthly_usd, low, high):
        assert f"**{format_usd(amount)}**" in text, amount
    assert f"{first.operations_hours_per_month:.1f} engineer-hours" in text
    assert f"{first.operations_hours_per_month:.4f} h × 90 = {first.operations_monthly_usd:g}" in text
    assert tco_model.provenance.prices_as_of[:10] in text
    breaks = tco_model.recommendation.break_evens
    rate = re.search(r"engineer rate above (\$[\d,.]+/h)", next(b for b in breaks if "engineer rate" in b)).group(1)
    assert rate == "$362.91/h" and f"engineer rate above {rate}" in text
    result = tco(tco_model.scenario, book)  # the sidecar note `advisor report` adds (with the replica search)
    (cost, note), = agent_sidecar_notes(result, tuple(p.platform for p in result.ranked()))
    assert "ecs-fargate would be first" in note and f"fluent-bit sidecar (in every task: ${cost:,.0f} a month)" in text
    assert "is cheapest in 100% of 2,000 draws" in tco_model.recommendation.confidence
    assert "cheapest in 100% of the draws" in text and tco_model.recommendation.confidence.startswith("high")
    lines = [r.item for r in tco_model.line_items if r.platform == "ecs-managed"]
    assert f"{len(lines)} line items of ecs-managed" in text and f"{len(lines)} `ecs-managed` rows" in text
    second, fee = lines[1], lines[3]
    assert f"{second.quantity:.2f}" in text and f"${second.usd_per_unit:g}" in text and second.price_ref in text
    assert "m5a.2xlarge" in second.name and "peak" in second.name
    assert fee.name == "ECS Managed Instances fee (m5a.2xlarge, peak)" and fee.quantity == second.quantity
    assert f"${fee.usd_per_unit:g} an hour: 12% of ${second.usd_per_unit:g}" in text

def test_the_cells_are_the_workbooks(tco_model):
    text = _walkthrough()
    wb = load_workbook(io.BytesIO(to_xlsx(tco_model)))
    summary = wb["Summary"]
    for ref in ("C2", "E2"):
        formula = summary[ref].value
        assert f"`{formula}`" in text, (ref, formula)
    assert summary["F2"].value.endswith(re.search(r"…(E\d+:E\d+)\)?`", text).group(1) + ")")
    assert summary["G2"].value == "=C2+F2" and wb["Line items"]["G376"].value == "=E376*F376"
    assert "`=E376*F376`" in text  # the second line item of the recommended platform
    assert "services (`web` autoscales 3–8 replicas, peak 10 h × 5 d a week)" in text
