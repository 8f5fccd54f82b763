"""TCO ranges, the chance of being cheapest and the Sobol ranking in every report format."""

import io
import json
from html import escape

import pytest
from openpyxl import load_workbook

from advisor.analysis.assessment import assess
from reports.analysis import analysis_from_assessment
from reports.html_export import to_html
from reports.json_export import to_json
from reports.model import build_report
from reports.static_charts import StaticCharts
from reports.uncertainty import RANGES_TITLE, SENSITIVITY_TITLE
from reports.xlsx_export import to_xlsx

from .test_pdf import _squeezed, _text

NO_CHARTS = StaticCharts(images=(), renderer="none", note="charts left out in this test")


@pytest.fixture(scope="module")
def assessment(small_result, book):
    return assess(small_result.scenario, book, solve_replicas=False, base_samples=128)


@pytest.fixture(scope="module")
def model(assessment, book):
    return build_report(assessment.result.estimate, book, analysis=analysis_from_assessment(assessment))


def test_rows_are_the_assessment_ranges_and_ranking(model, assessment):
    rows = model.analysis.ranges
    assert [r.platform for r in rows] == [p.platform.value for p in assessment.result.ranked()]
    for r in rows:
        drawn = assessment.ranges.of(next(p.platform for p in assessment.result.platforms
                                          if p.platform.value == r.platform))
        assert (r.p10_usd, r.p50_usd, r.p90_usd) == (drawn.p10_usd, drawn.p50_usd, drawn.p90_usd)
        assert r.p10_usd <= r.p50_usd <= r.p90_usd
    assert sum(r.probability_cheapest for r in rows) == pytest.approx(1.0)
    totals = [s.total for s in model.analysis.sensitivity]
    assert totals == sorted(totals, reverse=True) and len(totals) == len(assessment.sensitivity.indices)
    assert model.analysis.basis.startswith("Comparing TCO = AWS bill + engineer time at $90/h")
    assert "2,000 draws of the operations activity ranges" in model.analysis.range_basis
    assert model.summaries[0].tco_range_monthly_usd == (rows[0].p10_usd, rows[0].p90_usd)
    assert model.recommendation.confidence.startswith(f"{assessment.recommendation.confidence.value}: ")
    assert "% of 2,000 draws" in model.recommendation.confidence


def test_html_and_pdf_show_the_ranges_and_what_decides_it(model):
    from reports.pdf_export import to_pdf

    html = to_html(model).decode()
    pdf = _squeezed(_text(to_pdf(model, charts=NO_CHARTS)))
    top = model.analysis.sensitivity[0].label
    for text in (RANGES_TITLE, SENSITIVITY_TITLE, "Cheapest in (share of draws)", top, model.analysis.basis,
                 "Engineer time share of TCO"):
        assert escape(text) in html, text
        assert _squeezed(text) in pdf, text


def test_excel_has_a_sheet_for_each_and_json_carries_them(model):
    wb = load_workbook(io.BytesIO(to_xlsx(model)))
    assert wb.sheetnames[:5] == ["Summary", "Workload", "Recommendation", RANGES_TITLE, SENSITIVITY_TITLE]
    ranges = wb[RANGES_TITLE]
    assert [c.value for c in ranges[1]][:3] == ["Platform", "Most likely (USD / month)", "P10 (USD / month)"]
    assert ranges["F2"].value == model.analysis.ranges[0].probability_cheapest
    assert wb[SENSITIVITY_TITLE]["B2"].value == model.analysis.sensitivity[0].total
    doc = json.loads(to_json(model))
    assert doc["basis"] == model.analysis.basis
    assert [p["p50_usd"] for p in doc["ranges"]] == [r.p50_usd for r in model.analysis.ranges]
    assert doc["sensitivity"]["indices"][0]["label"] == model.analysis.sensitivity[0].label


def test_a_single_platform_says_why_there_is_no_ranking(book, small_result):
    from advisor.workload.scenario import Platform

    alone = assess(small_result.scenario, book, platforms=(Platform.ECS_FARGATE,), solve_replicas=False)
    model = build_report(alone.result.estimate, book, analysis=analysis_from_assessment(alone))
    assert not model.analysis.sensitivity
    assert "only one platform" in model.analysis.sensitivity_note
    assert "only one platform" in to_html(model).decode()
