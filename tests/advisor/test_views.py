"""presentation.result_views: editor tables round-trip, result views agree with the estimate, currency."""

import json
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.analysis.evaluator import CostEvaluator
from advisor.analysis.montecarlo import Triangular, Uniform, simulate
from advisor.analysis.parameters import InvalidAnalysis, ParameterSpace
from advisor.analysis.projection import project
from advisor.analysis.sensitivity import sensitivity
from advisor.analysis.sweep import sweep
from advisor.costs.line_items import Category
from advisor.decision.tco import tco
from advisor.workload.scenario import Platform, Scenario
from advisor.workload.spec_io import ScenarioError, parse_scenario, scenario_document
from presentation.analysis_views import (
    breakeven_figure,
    commitments_view,
    cost_range_figure,
    cost_range_view,
    crossings_view,
    default_sweep_range,
    distributions_from_table,
    projection_figure,
    tornado_figure,
    tornado_view,
)
from presentation.money import format_converted, format_money, with_converted
from presentation.result_views import (
    OPERATIONS_SEGMENT,
    category_breakdown,
    complexity_view,
    cost_breakdown_figure,
    extended_support_view,
    line_items_view,
    operations_view,
    placements_view,
    platform_summary,
)
from presentation.workload_tables import CHOICES, apply_editor_tables, editor_tables, locate_problem
from pricing.active import load_pricebook
from reports.currency import make_currency

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.*"))


@pytest.fixture(scope="module")
def book():
    return load_pricebook(None)


@pytest.fixture(scope="module")
def shop(book):
    """TCO of the microservices example: two environments, autoscaling, a job, EC2 placements."""
    return tco(parse_scenario((ROOT / "examples" / "microservices.yaml").read_text()), book)


def _validate(doc) -> Scenario:
    return parse_scenario(json.dumps(doc), "edited")


# --- workload tables ----------------------------------------------------------------

@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_unedited_tables_give_back_the_same_scenario(path):
    scenario = parse_scenario(path.read_text(), path.name)
    doc = scenario_document(scenario)
    assert _validate(apply_editor_tables(doc, editor_tables(doc))) == scenario


services = st.lists(st.fixed_dictionaries({
    "vcpu": st.sampled_from([0.25, 0.5, 1.0, 2.0, 4.0]),
    "memory_gib": st.sampled_from([0.5, 1.0, 3.0, 8.0]),
    "replicas": st.one_of(st.integers(1, 50), st.tuples(st.integers(0, 10), st.integers(0, 40)).map(
        lambda t: {"min": t[0], "max": t[0] + t[1] + 1,
                   "schedule": {"hours_per_day": 10.0, "days_per_week": 5.0}})),
    "architecture": st.sampled_from(CHOICES["architecture"]),
    "ephemeral_storage_gib": st.sampled_from([20.0, 21.5, 100.0]),
}), min_size=1, max_size=6)


@settings(max_examples=60)
@given(services)
def test_any_service_list_round_trips(items):
    """Fixed and autoscaled replicas, architectures, storage: table and back is the identity."""
    scenario = Scenario.model_validate({"name": "p", "services": [{"name": f"s{i}", **s} for i, s in enumerate(items)]})
    doc = scenario_document(scenario)
    assert _validate(apply_editor_tables(doc, editor_tables(doc))) == scenario


def test_editing_replicas_changes_a_fixed_service_and_keeps_an_autoscaled_minimum():
    scenario = parse_scenario((ROOT / "examples" / "microservices.yaml").read_text())
    doc = scenario_document(scenario)
    tables = editor_tables(doc)
    frame = tables["services"]
    assert frame.loc[frame["name"] == "cart", "min_replicas"].isna().all()  # fixed: min is blank
    frame.loc[frame["name"] == "cart", "replicas"] = 7
    frame.loc[frame["name"] == "web", "replicas"] = 12
    edited = _validate(apply_editor_tables(doc, {"services": frame}))
    by_name = {s.name: s for s in edited.services}
    assert (by_name["cart"].replicas.min, by_name["cart"].replicas.max) == (7, 7)
    assert (by_name["web"].replicas.min, by_name["web"].replicas.max) == (3, 12)
    assert by_name["web"].replicas.schedule == scenario.services[0].replicas.schedule
    assert edited.jobs == scenario.jobs  # tables not passed keep their section


def test_sidecars_follow_the_service_name():
    scenario = Scenario.model_validate({"name": "s", "services": [
        {"name": "web", "vcpu": 1, "memory_gib": 2, "replicas": 2,
         "sidecars": [{"name": "envoy", "vcpu": 0.125, "memory_gib": 0.125}]}]})
    doc = scenario_document(scenario)
    frame = editor_tables(doc)["services"]
    assert frame["sidecars"].tolist() == ["envoy (0.125 vCPU, 0.125 GiB)"]
    added = pd.concat([frame, pd.DataFrame([{"name": "worker", "vcpu": 0.5, "memory_gib": 1.0, "replicas": 1}])],
                      ignore_index=True)
    edited = _validate(apply_editor_tables(doc, {"services": added}))
    assert [len(s.sidecars) for s in edited.services] == [1, 0]


def test_blank_rows_are_dropped_and_blank_cells_are_named_errors():
    doc = scenario_document(Scenario.model_validate({"name": "b", "services": [
        {"name": "api", "vcpu": 1, "memory_gib": 2, "replicas": 2}]}))
    frame = editor_tables(doc)["services"]
    frame = pd.concat([frame, pd.DataFrame([{}, {"name": "half", "vcpu": 1.0}])], ignore_index=True)
    edited = apply_editor_tables(doc, {"services": frame})
    assert [s["name"] for s in edited["services"]] == ["api", "half"]  # the all-blank row is gone
    with pytest.raises(ScenarioError) as err:
        _validate(edited)
    located = [locate_problem(p, edited) for p in err.value.problems]
    assert located == [("services", "services row 2 (half), memory_gib: Field required"),
                       ("services", "services row 2 (half), replicas: Field required")]


def test_operations_overrides_are_a_table():
    scenario = Scenario.model_validate({"name": "o", "services": [{"name": "a", "vcpu": 1, "memory_gib": 2,
                                                                   "replicas": 1}],
                                        "operations": {"overrides": [{"activity": "incidents", "platform": "eks-ec2",
                                                                      "hours_per_occurrence": 4}]}})
    doc = scenario_document(scenario)
    frame = editor_tables(doc)["overrides"]
    assert frame.to_dict("records")[0]["activity"] == "incidents"
    assert _validate(apply_editor_tables(doc, {"overrides": frame})) == scenario
    added = pd.concat([frame, pd.DataFrame([{"activity": "incidents", "frequency_per_year": 2.0}])],
                      ignore_index=True)
    edited = _validate(apply_editor_tables(doc, {"overrides": added}))
    assert [o.platform for o in edited.operations.overrides] == ["eks-ec2", None]
    bad = pd.concat([frame, pd.DataFrame([{"activity": "incidents", "platform": "eks-ec2",
                                           "frequency_per_year": 1.0}])], ignore_index=True)
    with pytest.raises(ScenarioError) as err:
        _validate(apply_editor_tables(doc, {"overrides": bad}))
    assert locate_problem(err.value.problems[0])[0] == "operations"


def test_empty_tables_keep_their_column_types():
    doc = scenario_document(Scenario.model_validate({"name": "e", "services": [
        {"name": "api", "vcpu": 1, "memory_gib": 2, "replicas": 2}]}))
    jobs = editor_tables(doc)["jobs"]
    assert jobs.empty
    assert jobs["vcpu"].dtype == "float64" and str(jobs["parallelism"].dtype) == "Int64"


@pytest.mark.parametrize(("problem", "expected"), [
    ("services[2].vcpu: Input should be greater than 0 (got -1.0)",
     ("services", "services row 3, vcpu: Input should be greater than 0 (got -1.0)")),
    ("traffic.load_balancers[0].count: Input should be greater than or equal to 0 (got -1)",
     ("load_balancers", "traffic, load_balancers row 1, count: Input should be greater than or equal to 0 (got -1)")),
    ("purchase.spot_share: Input should be less than or equal to 1 (got 2.0)",
     ("purchase", "purchase, spot_share: Input should be less than or equal to 1 (got 2.0)")),
    ("(document): Value error, a scenario needs at least one service or job",
     ("", "(document): Value error, a scenario needs at least one service or job")),
    ("not a located problem", ("", "not a located problem")),
])
def test_problems_are_located_and_numbered_from_one(problem, expected):
    assert locate_problem(problem) == expected


# --- results --------------------------------------------------------------------------

def test_summary_is_lowest_tco_first_with_the_gap(shop):
    summary = platform_summary(shop)
    assert summary["platform"].tolist() == [p.platform.value for p in shop.ranked()]
    for row in summary.itertuples():
        p = shop.by_platform(Platform(row.platform))
        assert row.tco_monthly_usd == pytest.approx(p.aws.monthly_usd + p.operations.monthly_usd)
        assert row.aws_monthly_usd == p.aws.monthly_usd
        assert row.tco_annual_usd == pytest.approx(12 * row.tco_monthly_usd)
    first = summary["tco_monthly_usd"].iloc[0]
    assert summary["vs_cheapest_usd"].tolist() == pytest.approx([t - first for t in summary["tco_monthly_usd"]])
    assert summary["vs_cheapest_pct"].iloc[0] == 0 and (summary["vs_cheapest_usd"] >= 0).all()
    assert summary["label"].iloc[0] in {"ECS on EC2", "ECS on Fargate", "EKS on EC2", "EKS on Fargate",
                                        "ECS Managed Instances",
                                        "EKS Auto Mode"}


def test_breakdown_stacks_to_each_tco(shop):
    table = category_breakdown(shop.estimate)
    assert set(table.columns) <= {c.value for c in Category}
    for est in shop.estimate.estimates:
        assert table.loc[est.platform.value].sum() == pytest.approx(est.monthly_usd)
    figure = cost_breakdown_figure(shop)
    bars = [t for t in figure.data if t.type == "bar"]
    assert [b.name for b in bars] == [*table.columns, OPERATIONS_SEGMENT]
    stacked = [sum(b.y[i] for b in bars) for i in range(len(table))]
    assert stacked == pytest.approx([p.tco_monthly_usd for p in shop.ranked()])
    assert figure.layout.barmode == "stack"


def test_line_items_view_sums_to_the_platform_total(shop):
    for est in shop.estimate.estimates:
        view = line_items_view(shop.estimate, est.platform)
        assert len(view) == len(est.line_items)
        assert view["monthly_usd"].sum() == pytest.approx(est.monthly_usd)
        assert {"formula", "price_ref", "publication_date"} <= set(view.columns)


def test_operations_and_complexity_views_match_the_model(shop):
    for p in shop.platforms:
        ops = operations_view(shop, p.platform)
        assert ops["monthly_usd"].sum() == pytest.approx(p.operations_monthly_usd)
        assert ops["monthly_hours"].sum() == pytest.approx(p.operations.monthly_hours)
        assert set(ops["tag"]) <= {"sourced", "derived", "assumption", "user"}
    scores = complexity_view(shop)
    assert scores["score"].is_monotonic_increasing
    assert (scores.drop(columns=["platform", "score"]).sum(axis="columns") == scores["score"]).all()
    trades = extended_support_view(shop)
    assert set(trades["platform"]) == {"EKS on EC2", "EKS on Fargate", "EKS Auto Mode"}
    assert trades["net_usd_per_year"].tolist() == pytest.approx(
        (trades["upgrade_usd_per_year"] - trades["fee_usd_per_year"]).tolist())


def test_placements_view_has_a_row_per_placement(shop):
    view = placements_view(shop.estimate)
    placements = [p for e in shop.estimate.estimates for p in e.placements]
    assert len(view) == len(placements) > 0
    assert view["idle_usd_per_month"].tolist() == pytest.approx([p.idle_usd_per_month for p in placements])
    assert view["node_count"].tolist() == [sum(n for _, n in p.node_counts) for p in placements]
    assert (view["vs_lower_bound"] >= 1 - 1e-9).all()
    assert not view["platform"].isin(["ECS on Fargate", "EKS on Fargate"]).any()


def test_no_priced_platform_gives_empty_views(book):
    windows = parse_scenario((ROOT / "examples" / "windows-legacy.yaml").read_text())
    result = tco(windows, book, (Platform.EKS_FARGATE,))
    assert not result.platforms
    assert platform_summary(result).empty


# --- analysis ---------------------------------------------------------------------------

def linear(scenario: Scenario) -> dict[Platform, float]:
    """A known answer: ECS Fargate costs 100 × replicas, ECS on EC2 a flat 400 (they cross at 4)."""
    replicas = scenario.services[0].replicas.max
    return {Platform.ECS_FARGATE: 100.0 * replicas, Platform.ECS_EC2: 400.0}


@pytest.fixture(scope="module")
def small():
    return Scenario.model_validate({"name": "s", "services": [{"name": "api", "vcpu": 1, "memory_gib": 2,
                                                               "replicas": {"min": 1, "max": 2}}]})


def test_breakeven_marks_the_crossing(small):
    result = sweep(small, linear, "services.api.replicas.max", [1, 2, 3, 5, 6, 8])
    figure = breakeven_figure(result, current=2)
    marked = next(t for t in figure.data if t.name == "break-even")
    assert list(marked.x) == [pytest.approx(4.0)] and list(marked.y) == [pytest.approx(400.0)]
    assert marked.text[0] == "ECS on Fargate → ECS on EC2 at 4"
    assert [a.text for a in figure.layout.annotations if a.x == marked.x[0]] == [marked.text[0]]
    table = crossings_view(result)
    assert table.to_dict("records") == [{"cheaper_below": "ECS on Fargate", "cheaper_above": "ECS on EC2",
                                         "value": pytest.approx(4.0), "monthly_usd": pytest.approx(400.0),
                                         "changes_cheapest": True, "is_refined": False}]


def test_tornado_bars_start_at_the_base_gap(small):
    tornado = sensitivity(small, linear, {"replicas_scale": (0.5, 3.0)})
    figure = tornado_figure(tornado)
    low, high = figure.data
    assert low.base == high.base == pytest.approx(tornado.base_gap_usd) == 200.0
    assert low.base + low.x[0] == pytest.approx(tornado.bars[0].low_gap_usd) == 300.0
    assert high.base + high.x[0] == pytest.approx(tornado.bars[0].high_gap_usd) == -200.0
    assert tornado_view(tornado)["flips"].tolist() == [True]


def test_cost_ranges_show_the_percentiles(small):
    sim = simulate(small, linear, {"services.api.replicas.max": Uniform(1, 8)}, samples=400, seed=3)
    view = cost_range_view(sim)
    assert view["probability_cheapest_pct"].sum() == pytest.approx(100.0)
    fargate = next(r for r in sim.ranges if r.platform is Platform.ECS_FARGATE)
    markers = next(t for t in cost_range_figure(sim).data if t.type == "scatter" and t.x[0] == "ECS on Fargate")
    assert list(markers.y) == pytest.approx([fargate.p10_usd, fargate.p50_usd, fargate.p90_usd])


def test_projection_views(book, small):
    projection = project(small, CostEvaluator(book), months=12, growth_per_month=0.05)
    figure = projection_figure(projection)
    assert {t.name for t in figure.data} == {"ECS on EC2", "ECS on Fargate", "EKS on EC2", "EKS on Fargate",
                                             "ECS Managed Instances",
                                             "EKS Auto Mode"}
    assert all(list(t.y) == sorted(t.y) for t in figure.data)  # cumulative
    table = commitments_view(projection)
    on_demand = table[table["option"] == "on-demand"]
    assert (on_demand["saving_usd"] == 0).all()
    assert set(table["option"]) >= {"on-demand", "reserved-1yr", "savings-plan-1yr"}


def test_default_sweep_ranges(small):
    space = ParameterSpace(small)
    assert default_sweep_range(space.parameter("purchase.spot_share")) == (0.0, 1.0)
    assert default_sweep_range(space.parameter("replicas_scale")) == (0.25, 4.0)
    assert default_sweep_range(space.parameter("traffic.nat_processed_gb_per_month")) == (0.0, 10.0)
    start, stop = default_sweep_range(space.parameter("operations.engineer_rate_usd_per_hour"))
    assert (start, stop) == (22.5, 360.0)


def test_distribution_table():
    frame = pd.DataFrame([{"parameter": "replicas_scale", "distribution": "triangular", "low": 0.8, "mode": 1.0,
                           "high": 1.5},
                          {"parameter": "purchase.spot_share", "distribution": "uniform", "low": 0, "high": 0.5},
                          {}])
    assert distributions_from_table(frame) == (("replicas_scale", Triangular(0.8, 1.0, 1.5)),
                                               ("purchase.spot_share", Uniform(0.0, 0.5)))


@pytest.mark.parametrize(("row", "message"), [
    ({"parameter": "replicas_scale", "distribution": "uniform", "low": 2.0, "high": 1.0},
     "row 1 (replicas_scale) uniform: (2.0, 1.0) is not allowed"),
    ({"parameter": "replicas_scale", "distribution": "triangular", "low": 1.0, "high": 2.0},
     "row 1 (replicas_scale): 'mode' is not allowed; allowed: a value in every one of"),
    ({"distribution": "uniform", "low": 1.0, "high": 2.0}, "row 1 (no parameter): 'parameter' is not allowed"),
    ({"parameter": "replicas_scale", "distribution": "normal", "low": 1.0, "high": 2.0},
     "row 1 (replicas_scale) distribution: 'normal' is not allowed; allowed: uniform, triangular"),
])
def test_bad_distribution_rows_are_named(row, message):
    with pytest.raises(InvalidAnalysis) as err:
        distributions_from_table(pd.DataFrame([row]))
    assert str(err.value).startswith(message)


# --- money -------------------------------------------------------------------------------

def test_money_in_usd_and_a_display_currency():
    assert format_money(1234.5) == "$1,234.50"
    assert format_money(-5) == "\u2212$5.00"
    assert format_money(1234.5, digits=0) == "$1,234"
    assert format_money(100, make_currency("EUR", 0.92)) == "$100.00 · €92.00"
    # KRW has no minor unit (ISO 4217): no decimals
    assert format_converted(1234.56, make_currency("KRW", 1380)) == "₩1,703,693"
    assert format_converted(-10, make_currency("EUR", 0.5)) == "\u2212€5.00"


def test_converted_columns_follow_their_usd_columns():
    frame = pd.DataFrame({"name": ["a", "b"], "monthly_usd": [10.0, 2.5], "formula": ["x", "y"]})
    out = with_converted(frame, ["monthly_usd"], make_currency("KRW", 1000))
    assert out.columns.tolist() == ["name", "monthly_usd", "monthly_krw", "formula"]
    assert out["monthly_krw"].tolist() == [10000.0, 2500.0]
    assert with_converted(frame, ["monthly_usd"], None) is frame
