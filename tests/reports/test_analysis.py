"""The TCO analysis in reports: operations rows, TCO totals, complexity and the recommendation, in every format."""

import io
import json
from html import escape as html_escape

import pytest
from openpyxl import load_workbook

from advisor.decision.recommend import recommend
from advisor.decision.tco import tco
from advisor.operations.sources import CITATIONS
from advisor.workload.scenario import Scenario
from reports.analysis import analysis_from_tco, analyze
from reports.html_export import to_html
from reports.json_export import load_report_json, to_json
from reports.model import build_report
from reports.static_charts import StaticCharts
from reports.xlsx_export import to_xlsx

from .test_pdf import _text
from .test_xlsx import _evaluate

NO_CHARTS = StaticCharts(images=(), renderer="none", note="charts left out in this test")


@pytest.fixture(scope="module")
def tco_result(small_result, book):
    return tco(small_result.scenario, book)


@pytest.fixture(scope="module")
def tco_model(tco_result, book):
    rec = recommend(tco_result, solve_replicas=False)
    return build_report(tco_result.estimate, book, analysis=analysis_from_tco(tco_result, rec))


def test_totals_equal_the_tco_result(tco_model, tco_result):
    by_platform = {p.platform.value: p for p in tco_result.platforms}
    assert tco_model.has_tco
    for s in tco_model.summaries:
        p = by_platform[s.platform]
        assert s.aws_monthly_usd == p.aws_monthly_usd and s.operations_monthly_usd == p.operations_monthly_usd
        assert s.tco_monthly_usd == p.tco_monthly_usd and s.complexity == p.complexity.total
    assert [s.platform for s in tco_model.summaries] == [p.platform.value for p in tco_result.ranked()]
    assert tco_model.recommendation.ranking == tuple(p.platform.value for p in tco_result.ranked())


def test_overhead_rows_carry_formula_tag_and_resolvable_sources(tco_model, tco_result):
    rows = tco_model.overhead
    assert len(rows) == sum(len(p.operations.rows) for p in tco_result.platforms)
    assert all(r.basis and r.tag in {"sourced", "derived", "assumption", "user"} for r in rows)
    cited = [a for a in tco_model.assumptions if a.group == "operations source"]
    assert cited and all(a.source == CITATIONS[a.item.strip("[]")] for a in cited)
    inputs = {a.item: a.value for a in tco_model.assumptions if a.group == "operations input"}
    assert inputs["engineer rate (USD per hour)"] == "90" and inputs["team size (engineers)"] == "2"


def test_excel_tco_formulas_reproduce_the_tco(tco_model):
    wb = load_workbook(io.BytesIO(to_xlsx(tco_model)))
    ws = wb["Summary"]
    header = [c.value for c in ws[1]]
    col = {h: chr(ord("A") + i) for i, h in enumerate(header)}
    for row, s in enumerate(tco_model.summaries, start=2):
        ops = _evaluate(wb, "Summary", f"{col['Operations monthly (USD)']}{row}")
        assert ops == pytest.approx(s.operations_monthly_usd, rel=1e-12)
        tco_monthly = _evaluate(wb, "Summary", f"{col['TCO monthly (USD)']}{row}")
        assert tco_monthly == pytest.approx(s.tco_monthly_usd, rel=1e-12)
        assert ws[f"{col['Complexity score']}{row}"].value == s.complexity
    overhead = wb["Operational overhead"]
    assert overhead["E2"].value == "=C2*D2"


def test_recommendation_appears_in_html_and_pdf(tco_model):
    from reports.pdf_export import to_pdf

    rec = tco_model.recommendation
    html = to_html(tco_model).decode()
    pdf = "".join(_text(to_pdf(tco_model, charts=NO_CHARTS)).split())
    for text in (rec.reasons[0], rec.confidence, rec.break_evens[0]):
        assert html_escape(text) in html
        assert "".join(text.split()) in pdf
    assert "Monthly TCO: AWS bill + operations" in html


def test_the_json_reopens_the_scenario_as_written_not_as_billed(book):
    """Deferring EKS upgrades bills extended support; the report still reopens the user's scenario."""
    scenario = Scenario.model_validate({
        "name": "defer", "platforms": ["eks-fargate"],
        "operations": {"eks_upgrade_strategy": "defer-to-extended-support"},
        "services": [{"name": "a", "vcpu": 0.5, "memory_gib": 1, "replicas": 1}]})
    result, analysis = analyze(scenario, book, solve_replicas=False)
    assert result.scenario != scenario  # the billed scenario turns on eks_extended_support
    model = build_report(result, book, analysis=analysis, scenario=scenario)
    assert load_report_json(to_json(model).decode()) == scenario
    doc = json.loads(to_json(model))
    assert doc["operational_overhead"] and doc["recommendation"]["ranking"] == ["eks-fargate"]
