"""JSON report: the estimate's numbers, and the scenario reopened exactly (load_report_json)."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.costs.estimate import estimate
from advisor.workload.scenario import Platform, Scenario
from advisor.workload.spec_io import ScenarioError
from reports.errors import ReportError
from reports.json_export import REPORT_FORMAT, is_report_json, load_report_json, to_json
from reports.model import build_report


def test_numbers_equal_the_estimate(eur_model, small_result):
    doc = json.loads(to_json(eur_model))
    assert doc["format"] == REPORT_FORMAT and doc["currency"] == {"code": "EUR", "symbol": "€", "usd_rate": 0.92}
    assert doc["prices"]["prices_as_of"] == small_result.prices_as_of and doc["prices"]["offers"]
    by_platform = {p["platform"]: p for p in doc["estimate"]["platforms"]}
    for est in small_result.estimates:
        plat = by_platform[est.platform.value]
        assert plat["monthly_usd"] == est.monthly_usd
        assert [li["monthly_usd"] for li in plat["line_items"]] == [li.monthly_usd for li in est.line_items]
    summary = {s["platform"]: s for s in doc["summary"]}
    assert all(summary[e.platform.value]["aws_monthly_usd"] == e.monthly_usd for e in small_result.estimates)
    assert [s["rank"] for s in doc["summary"]] == list(range(1, len(doc["summary"]) + 1))
    assert sum(p["line_count"] for p in doc["prices_used"]) == sum(len(e.line_items) for e in small_result.estimates)


def test_reopened_scenario_is_equal_and_prices_the_same(small_model, small_result, book):
    text = to_json(small_model).decode()
    assert is_report_json(text)
    scenario = load_report_json(text)
    assert scenario == small_model.scenario
    again = estimate(scenario, book)
    assert [e.monthly_usd for e in again.estimates] == [e.monthly_usd for e in small_result.estimates]


def test_hostile_and_unicode_names_round_trip(hostile_model):
    assert load_report_json(to_json(hostile_model).decode()) == hostile_model.scenario


_NAMES = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=20)


@settings(max_examples=25)
@given(name=_NAMES, service=_NAMES, vcpu=st.floats(0.0001, 16), spot=st.floats(0, 1))
def test_any_valid_scenario_reopens_exactly(book, name, service, vcpu, spot):
    """Names with emoji, NEL, BOM or controls, and floats like 1e-05: YAML would bend some; JSON must not."""
    scenario = Scenario.model_validate({"name": name, "platforms": ["ecs-fargate"], "purchase": {"spot_share": spot},
                                        "services": [{"name": service, "vcpu": vcpu, "memory_gib": 2, "replicas": 1}]})
    model = build_report(estimate(scenario, book, (Platform.ECS_FARGATE,)), book)
    assert load_report_json(to_json(model).decode()) == scenario


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", "not valid JSON"),
    ('{"name": "a scenario file"}', "not a report document"),
    (json.dumps({"format": REPORT_FORMAT, "format_version": 99}), "format_version 99 is not supported"),
    (json.dumps({"format": REPORT_FORMAT, "format_version": 1, "scenario": []}), "'scenario' must be"),
])
def test_not_a_report_is_a_clear_error(text, message):
    with pytest.raises(ReportError, match=message):
        load_report_json(text, "r.json")


def test_an_invalid_scenario_names_the_field(small_model):
    doc = json.loads(to_json(small_model))
    doc["scenario"]["services"][0]["vcpu"] = -1
    with pytest.raises(ScenarioError, match=r"services\[0\]\.vcpu"):
        load_report_json(json.dumps(doc), "r.json")


def test_the_workload_section_and_the_tco_ranges_at_full_precision(tco_model):
    doc = json.loads(to_json(tco_model))
    workload = {t["title"]: t["rows"] for t in doc["workload"]}
    services = {r["name"]: r for r in workload["Services"]}
    assert set(services) == {s.name for s in tco_model.scenario.services}
    assert services["web"]["replicas"] == "3–8, peak 10 h × 5 d a week" and services["web"]["vcpu"] == 0.5
    assert [r["name"] for r in workload["Jobs"]] == ["nightly-etl"]
    assert {r["setting"]: r["value"] for r in workload["Traffic"]}["NAT processed (GB / month)"] == "300"
    assert {"Purchase options", "EC2 packing", "Operations settings", "Assumption overrides"} <= set(workload)
    for row, s in zip(doc["summary"], tco_model.summaries, strict=True):
        assert row["tco_monthly_usd"] == s.tco_monthly_usd  # unrounded
        assert row["tco_range_monthly_usd"] == {"low": s.tco_range_monthly_usd[0], "high": s.tco_range_monthly_usd[1]}
        assert row["operations_hours_per_month"] == s.operations_hours_per_month
    assert "draws of the operations activity ranges" in doc["tco_range_basis"]
