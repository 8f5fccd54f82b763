"""The README's finance-review walkthrough is true for examples/microservices.yaml: its figures and cells."""

import io
import re
from pathlib import Path

from openpyxl import load_workbook

from presentation.money import format_usd
from reports.xlsx_export import to_xlsx

README = Path(__file__).parents[2] / "README.md"


def _walkthrough() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("### Finance review walkthrough")
    return text[start:text.index("\n## ", start)]


def test_the_figures_are_the_reports(tco_model):
    text = _walkthrough()
    first = tco_model.summaries[0]
    assert tco_model.recommendation.best == first.platform == "ecs-fargate"
    assert "Recommended: ECS on Fargate (ecs-fargate)" in text
    low, high = first.tco_range_monthly_usd
    for amount in (first.tco_monthly_usd, first.aws_monthly_usd, first.operations_monthly_usd, low, high):
        assert f"**{format_usd(amount)}**" in text, amount
    assert f"{first.operations_hours_per_month:.1f} engineer-hours" in text
    assert f"{first.operations_hours_per_month:.4f} h × 90 = {first.operations_monthly_usd:g}" in text
    assert tco_model.provenance.prices_as_of[:10] in text
    assert any("engineer rate below $71.94/h" in b for b in tco_model.recommendation.break_evens)
    assert "is cheapest in 76% of 2,000 draws" in tco_model.recommendation.confidence
    assert "cheapest in 76% of the draws" in text and tco_model.recommendation.confidence.startswith("medium")
    lines = [r.item for r in tco_model.line_items if r.platform == "ecs-fargate"]
    assert f"{len(lines)} line items of ecs-fargate" in text and f"{len(lines)} `ecs-fargate` rows" in text
    second = lines[1]
    assert f"{second.quantity:.2f}" in text and f"${second.usd_per_unit:g}" in text and second.price_ref in text
    assert "Fargate vCPU" in second.name and "web" in second.name and "rounding waste" in lines[2].name


def test_the_cells_are_the_workbooks(tco_model):
    text = _walkthrough()
    wb = load_workbook(io.BytesIO(to_xlsx(tco_model)))
    summary = wb["Summary"]
    for ref in ("C2", "E2"):
        formula = summary[ref].value
        assert f"`{formula}`" in text, (ref, formula)
    assert summary["F2"].value.endswith(re.search(r"…(E\d+:E\d+)\)?`", text).group(1) + ")")
    assert summary["G2"].value == "=C2+F2" and wb["Line items"]["G50"].value == "=E50*F50"
    assert "`=E50*F50`" in text  # the second line item of the recommended platform
    assert "services (`web` autoscales 3–8 replicas, peak 10 h × 5 d a week)" in text
