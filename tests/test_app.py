"""AppTest tests of the Streamlit app (app.py and app_pages/): page logic, not the model.

Every test points ADVISOR_CACHE_DIR at its own tmp dir, so the real user cache is
never read and the app's ``st.cache_resource`` entry is fresh per test.  Expected
amounts come from the library (``advisor.decision.tco`` + ``presentation.result_views``), so these tests
check that the app shows the library's numbers, not the numbers themselves.
"""

from __future__ import annotations

import base64
import zlib
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import app_pages.cached
import pricing.active
from advisor.analysis.evaluator import CostEvaluator
from advisor.analysis.parameters import ParameterSpace
from advisor.analysis.sensitivity import sensitivity
from advisor.analysis.sweep import sweep, sweep_values
from advisor.decision.tco import tco
from advisor.workload.scenario import Scenario
from advisor.workload.spec_io import MAX_DOCUMENT_BYTES, ScenarioError, dump_scenario, parse_scenario
from app_pages.share import SHARE_PARAM, decode_scenario, encode_scenario
from presentation.analysis_views import crossings_view, tornado_view
from presentation.labels import PLATFORM_LABELS
from presentation.money import format_converted, format_money
from pricing.active import SNAPSHOT_DIR, cache_store_dir, load_pricebook
from pricing.errors import StoreCorrupted
from pricing.gaps import KNOWN_GAPS
from pricing.store import read_store, write_store
from reports.currency import make_currency
from reports.export import render
from reports.model import build_report

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
EXAMPLES = ROOT / "examples"
DEFAULT_EXAMPLE = "small-api.yaml"  # app_pages.session.DEFAULT_EXAMPLE


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def book():
    return load_pricebook(None)


def example(name: str) -> Scenario:
    return parse_scenario((EXAMPLES / name).read_text(), name)


def run_app(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params.update(query or {})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def goto(at: AppTest, page: str) -> AppTest:
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def cards(at: AppTest) -> dict[str, str]:
    """The Compare page's platform cards: label -> monthly TCO as shown, in the order shown."""
    labels = set(PLATFORM_LABELS.values())
    return {m.label: m.value for m in at.metric if m.label in labels}


def expected_cards(scenario: Scenario, book) -> dict[str, str]:
    """Monthly TCO (AWS bill + operations) per platform, lowest first, as the library computes it."""
    return {PLATFORM_LABELS[p.platform]: format_money(p.tco_monthly_usd) for p in tco(scenario, book).ranked()}


def editor(at: AppTest, table: str) -> str:
    """The widget key of a workload table's editor (it carries the session's revision)."""
    return next(d.key for d in at.data_editor if d.key.startswith(f"editor_{table}_"))


def submit_edit(at: AppTest, table: str, edited_rows: dict, added_rows: list | None = None) -> AppTest:
    """Edit cells as a user would in the browser, then press "Apply changes"."""
    at.session_state[editor(at, table)] = {"edited_rows": edited_rows, "added_rows": added_rows or [],
                                           "deleted_rows": []}
    at.button(key="apply").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


# --- pages ------------------------------------------------------------------------

def test_every_page_loads_without_errors(cache_dir: Path) -> None:
    at = run_app()
    assert at.sidebar.title[0].value == "ECS vs EKS cost advisor"
    assert at.header[0].value == "Compare: small-api"
    for page, header in [("workload", "Workload"), ("analyse", "Analyse"), ("exchange", "Import & export"),
                         ("prices", "Prices"), ("compare", "Compare: small-api")]:
        goto(at, page)
        assert at.header[0].value == header
        assert not at.error, [e.value for e in at.error]


def test_compare_shows_the_library_totals_and_the_breakdown(cache_dir: Path, book) -> None:
    at = run_app()
    shown = cards(at)
    assert shown == expected_cards(example(DEFAULT_EXAMPLE), book)
    assert list(shown) == list(expected_cards(example(DEFAULT_EXAMPLE), book))  # ranked by TCO
    deltas = [m.delta for m in at.metric if m.label in shown]
    assert deltas[0] == "lowest TCO" and all(d.startswith("+$") for d in deltas[1:])
    result = tco(example(DEFAULT_EXAMPLE), book)
    first = result.ranked()[0]
    assert any(c.value.startswith(f"AWS {format_money(first.aws_monthly_usd)} + operations "
                                  f"{format_money(first.operations_monthly_usd)}") for c in at.caption)
    assert "confidence" in at.success[0].value and PLATFORM_LABELS[first.platform] in at.success[0].value
    assert len(at.get("plotly_chart")) == 1
    items = [d.value for d in at.dataframe if {"price_ref", "quantity"} <= set(d.value.columns)]
    assert len(items) == len(shown)  # a line-item table per platform
    assert {"formula", "publication_date", "quantity", "unit"} <= set(items[0].columns)
    assert items[0]["monthly_usd"].sum() == pytest.approx(first.aws_monthly_usd)
    operations = [d.value for d in at.dataframe if "activity" in d.value.columns and "tag" in d.value.columns]
    assert operations[0]["monthly_usd"].sum() == pytest.approx(first.operations_monthly_usd)
    placements = next(d.value for d in at.dataframe if "idle_usd_per_month" in d.value.columns)
    assert set(placements["platform"]) == {"ECS on EC2", "EKS on EC2", "EKS Auto Mode"}


def test_unavailable_platforms_say_why(cache_dir: Path) -> None:
    at = run_app()
    goto(at, "workload")
    at.selectbox(key="start_from").select("windows-legacy.yaml").run()
    at.button(key="load_example").click().run()
    assert at.success[0].value == "Loaded windows-legacy.yaml."
    goto(at, "compare")
    assert list(cards(at)) == ["ECS on Fargate"]
    reasons = [w.value for w in at.warning]
    assert any("ECS on EC2" in r and "cannot run this workload" in r for r in reasons)


def test_picking_an_example_replaces_the_scenario(cache_dir: Path, book) -> None:
    at = run_app()
    goto(at, "workload")
    at.selectbox(key="start_from").select("microservices.yaml").run()
    at.button(key="load_example").click().run()
    services = at.data_editor[0].value
    assert services["name"].tolist() == [s.name for s in example("microservices.yaml").services]
    goto(at, "compare")
    assert at.header[0].value == "Compare: microservices-shop"
    assert cards(at) == expected_cards(example("microservices.yaml"), book)


def test_blank_workload_starts_with_one_service(cache_dir: Path) -> None:
    at = run_app()
    goto(at, "workload")
    assert at.button(key="load_example").disabled  # nothing chosen yet
    at.selectbox(key="start_from").select("blank workload").run()
    assert at.button(key="load_example").disabled is False
    at.button(key="load_example").click().run()
    assert at.data_editor[0].value["name"].tolist() == ["service-1"]
    assert at.text_input(key=f"name_{at.session_state['scenario_revision']}").value == "new-workload"


def test_changing_replicas_changes_the_totals(cache_dir: Path, book) -> None:
    at = run_app()
    before = cards(at)
    goto(at, "workload")
    submit_edit(at, "services", {0: {"replicas": 6}})
    assert "Changes applied" in at.success[0].value
    goto(at, "compare")
    after = cards(at)
    grown = Scenario.model_validate({**example(DEFAULT_EXAMPLE).model_dump(mode="json"),
                                     "services": [{"name": "api", "vcpu": 0.5, "memory_gib": 1, "replicas": 6}]})
    assert after == expected_cards(grown, book)
    assert all(after[p] != before[p] for p in before)


def test_operations_settings_change_the_tco(cache_dir: Path, book) -> None:
    at = run_app()
    goto(at, "workload")
    revision = at.session_state["scenario_revision"]
    at.number_input(key=f"engineer_rate_{revision}").set_value(150)
    at.selectbox(key=f"overhead_level_{revision}").select("high")
    at.button(key="apply").click().run()
    goto(at, "compare")
    doc = example(DEFAULT_EXAMPLE).model_dump(mode="json")
    costly = Scenario.model_validate({**doc, "operations": {**doc["operations"], "engineer_rate_usd_per_hour": 150,
                                                            "overhead_level": "high"}})
    assert cards(at) == expected_cards(costly, book)


def test_a_setting_outside_the_tables_is_applied(cache_dir: Path, book) -> None:
    at = run_app()
    goto(at, "workload")
    revision = at.session_state["scenario_revision"]
    at.slider(key=f"spot_{revision}").set_value(0.5)
    at.button(key="apply").click().run()
    goto(at, "compare")
    spot = Scenario.model_validate({**example(DEFAULT_EXAMPLE).model_dump(mode="json"),
                                    "purchase": {"option": "on-demand", "spot_share": 0.5}})
    assert cards(at) == expected_cards(spot, book)


def test_bad_input_is_an_error_next_to_the_table_and_nothing_is_lost(cache_dir: Path, book) -> None:
    at = run_app()
    before = cards(at)
    goto(at, "workload")
    submit_edit(at, "services", {0: {"vcpu": -1}}, added_rows=[{"name": "worker", "vcpu": 1}])
    errors = [e.value for e in at.error]
    assert "Your last change was not applied: 3 problem(s)" in errors[0]
    assert errors[1:] == ["services row 1 (api), vcpu: Input should be greater than 0 (got -1.0)",
                          "services row 2 (worker), memory_gib: Field required",
                          "services row 2 (worker), replicas: Field required"]
    assert at.tabs[0].label == "Services ⚠ 3"
    # the user's values are still in the editor, and results stay on the last valid scenario
    shown = at.data_editor[0].value
    assert shown["vcpu"].tolist()[0] == -1 and shown["name"].tolist() == ["api", "worker"]
    goto(at, "compare")
    assert cards(at) == before
    goto(at, "workload")
    assert at.data_editor[0].value["name"].tolist() == ["api", "worker"]  # kept across pages
    at.button(key="discard").click().run()
    assert at.data_editor[0].value["name"].tolist() == ["api"]
    assert not at.error


def test_a_scenario_the_model_cannot_price_is_an_error_in_words(cache_dir: Path) -> None:
    at = run_app()
    goto(at, "workload")
    submit_edit(at, "jobs", {}, added_rows=[{"name": "etl", "vcpu": 1, "memory_gib": 2, "runs_per_month": 100,
                                             "duration_minutes": 600}])
    assert any("jobs row 1 (etl)" in e.value and "more than the 730 hours of a month" in e.value for e in at.error)


# --- analysis --------------------------------------------------------------------------

def frame_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_breakeven_runs_on_request_and_shows_the_library_crossings(cache_dir: Path, book) -> None:
    at = goto(run_app(), "analyse")
    assert not at.get("plotly_chart")  # nothing runs unasked
    assert at.selectbox(key="sweep_parameter").value == "replicas_scale"
    at.number_input(key="sweep_points").set_value(5)
    at.button(key="run_breakeven").click().run()
    assert not at.exception and not at.error
    assert at.status[0].label.startswith("Pricing 5 values of replicas_scale on every platform: done in ")
    assert len(at.get("plotly_chart")) == 1
    scenario = example(DEFAULT_EXAMPLE)
    values = sweep_values(ParameterSpace(scenario).parameter("replicas_scale"), 0.25, 4.0, 5)
    expected = crossings_view(sweep(scenario, CostEvaluator(book), "replicas_scale", values, refine=True))
    shown = frame_with(at, "cheaper_below") if not expected.empty else pd.DataFrame(columns=expected.columns)
    pd.testing.assert_frame_equal(shown.reset_index(drop=True), expected, check_dtype=False)

    goto(at, "prices")
    goto(at, "analyse")  # the result comes back from the cache, without a new run
    assert len(at.get("plotly_chart")) == 1 and not at.status


def test_sensitivity_and_a_changed_scenario(cache_dir: Path, book) -> None:
    at = goto(run_app(), "analyse")
    at.button(key="run_sensitivity").click().run()
    assert not at.error
    expected = tornado_view(sensitivity(example(DEFAULT_EXAMPLE), CostEvaluator(book)))
    pd.testing.assert_frame_equal(frame_with(at, "swing_usd"), expected, check_dtype=False)

    goto(at, "workload")
    submit_edit(at, "services", {0: {"replicas": 3}})
    goto(at, "analyse")
    assert "The scenario changed since this analysis ran" in at.info[0].value
    assert not any(d.value.columns.isin(["swing_usd"]).any() for d in at.dataframe)


def test_cost_ranges_and_projection(cache_dir: Path) -> None:
    at = goto(run_app(), "analyse")
    at.number_input(key="ranges_samples").set_value(20)
    at.button(key="run_ranges").click().run()
    assert not at.error
    ranges = frame_with(at, "probability_cheapest_pct")
    assert ranges["probability_cheapest_pct"].sum() == pytest.approx(100.0)
    assert (ranges["p10_usd"] <= ranges["p50_usd"]).all() and (ranges["p50_usd"] <= ranges["p90_usd"]).all()

    at.button(key="run_projection").click().run()
    assert not at.error
    commitments = frame_with(at, "payback_month")
    assert set(commitments["option"]) >= {"on-demand", "reserved-1yr", "savings-plan-1yr"}
    assert len(at.get("plotly_chart")) == 2


def test_an_empty_sweep_range_is_an_error_in_words(cache_dir: Path) -> None:
    at = goto(run_app(), "analyse")
    at.number_input(key="sweep_from_replicas_scale").set_value(5.0)
    at.number_input(key="sweep_to_replicas_scale").set_value(1.0)
    at.button(key="run_breakeven").click().run()
    assert at.error[0].value == ("The analysis could not run: from: 5.0 is not allowed; allowed: a value below "
                                 "'to' (1): the range is empty")
    assert not at.get("plotly_chart")


def test_a_bad_range_is_an_error_in_words(cache_dir: Path) -> None:
    at = goto(run_app(), "analyse")
    at.session_state["ranges_inputs"] = {"edited_rows": {0: {"low": 2.0}}, "added_rows": [], "deleted_rows": []}
    at.button(key="run_ranges").click().run()
    assert at.error[0].value.startswith("row 1 (replicas_scale) triangular: (2.0, 1.0, 1.5) is not allowed")


def test_a_region_without_prices_is_an_error_in_words(cache_dir: Path) -> None:
    elsewhere = example(DEFAULT_EXAMPLE).model_copy(update={"region": "sa-east-1"})
    at = run_app({SHARE_PARAM: encode_scenario(elsewhere)})
    assert at.error[0].value.startswith("This scenario cannot be priced: region: 'sa-east-1' is not allowed; "
                                        "allowed: a region of the active price data")
    assert not cards(at)
    goto(at, "workload")  # the region is shown as it is, for the user to change
    assert at.selectbox(key=f"region_{at.session_state['scenario_revision']}").value == "sa-east-1"


# --- share, files, currency -------------------------------------------------------------

def test_the_url_reproduces_the_view(cache_dir: Path) -> None:
    at = run_app()
    goto(at, "workload")
    submit_edit(at, "services", {0: {"replicas": 9}})
    goto(at, "compare")
    token = at.query_params[SHARE_PARAM]
    assert decode_scenario(token).services[0].replicas.max == 9
    shown = cards(at)

    other = run_app({SHARE_PARAM: token})  # a new session opening the link
    assert other.success[0].value == "Opened the scenario from the link."
    assert cards(other) == shown
    assert other.query_params[SHARE_PARAM] == token


def test_a_damaged_link_says_so_and_opens_the_default(cache_dir: Path, book) -> None:
    at = run_app({SHARE_PARAM: "not-a-scenario"})
    assert "could not be opened" in at.error[0].value and "damaged" in at.error[0].value
    assert cards(at) == expected_cards(example(DEFAULT_EXAMPLE), book)


def test_currency_is_shown_next_to_usd_and_kept_in_the_url(cache_dir: Path, book) -> None:
    at = run_app()
    at.sidebar.selectbox(key="display_currency").select("KRW").run()
    assert "how many KRW" in at.sidebar.info[0].value  # no rate yet: USD only
    at.sidebar.number_input(key="exchange_rate_KRW").set_value(1400).run()
    krw = make_currency("KRW", 1400)
    first = tco(example(DEFAULT_EXAMPLE), book).ranked()[0]
    captions = [c.value for c in at.caption]
    assert any(f"{format_converted(first.tco_monthly_usd, krw)} per month" in c for c in captions)
    assert "1 USD → 1400 KRW (your rate)" in [c.value for c in at.sidebar.caption]
    items = next(d.value for d in at.dataframe if {"price_ref", "quantity"} <= set(d.value.columns))
    assert items["monthly_krw"].tolist() == pytest.approx((items["monthly_usd"] * 1400).tolist())
    assert (at.query_params["currency"], at.query_params["rate"]) == ("KRW", "1400")

    shared = run_app({SHARE_PARAM: at.query_params[SHARE_PARAM], "currency": "KRW", "rate": "1400"})
    assert shared.sidebar.selectbox(key="display_currency").value == "KRW"
    assert any("₩" in c.value for c in shared.caption)


def test_a_bad_exchange_rate_is_an_error_in_words(cache_dir: Path) -> None:
    at = run_app()
    at.sidebar.selectbox(key="display_currency").select("EUR").run()
    at.sidebar.number_input(key="exchange_rate_EUR").set_value(0).run()
    assert at.sidebar.error[0].value.startswith("usd_rate: 0.0 is not allowed; allowed: a number of EUR per USD")
    assert not any("€" in c.value for c in at.caption)


def test_upload_opens_a_scenario_and_a_bad_file_changes_nothing(cache_dir: Path, book) -> None:
    at = goto(run_app(), "exchange")
    bad = b"name: broken\nservices:\n  - {name: api, vcpu: 0, memory_gib: 1, replicas: 1}\n"
    at.file_uploader(key="upload_scenario").set_value(("broken.yaml", bad, "application/yaml")).run()
    at.button(key="open_upload").click().run()
    errors = [e.value for e in at.error]
    assert errors[0] == "broken.yaml was not opened; the current scenario is unchanged."
    assert errors[1] == "broken.yaml: services[0].vcpu: Input should be greater than 0 (got 0)"

    good = dump_scenario(example("batch-arm-spot.json")).encode()
    at.file_uploader(key="upload_scenario").set_value(("batch.yaml", good, "application/yaml")).run()
    at.button(key="open_upload").click().run()
    assert at.success[0].value == "Opened batch.yaml."
    goto(at, "compare")
    assert cards(at) == expected_cards(example("batch-arm-spot.json"), book)


def test_downloads_are_offered(cache_dir: Path) -> None:
    at = goto(run_app(), "exchange")
    labels = {b.key: b.label for b in at.download_button}
    assert labels == {"download_yaml": "Scenario (YAML)", "download_json": "Scenario (JSON)",
                      "report_csv": "CSV", "report_xlsx": "Excel", "report_json": "JSON", "report_html": "HTML",
                      "report_pdf": "PDF"}
    link = at.code[0].value  # AppTest serves no URL, so the link is relative here (the browser test opens one)
    assert link.startswith(f"/?{SHARE_PARAM}=")
    assert decode_scenario(link.split(f"{SHARE_PARAM}=")[1]) == example(DEFAULT_EXAMPLE)


def test_a_json_report_reopens_its_scenario(cache_dir: Path, book) -> None:
    shop = example("microservices.yaml")
    report = render(build_report(tco(shop, book).estimate, book), "json")
    at = goto(run_app(), "exchange")
    at.file_uploader(key="upload_scenario").set_value(("shop-report.json", report, "application/json")).run()
    at.button(key="open_upload").click().run()
    assert at.success[0].value == "Opened shop-report.json."
    assert decode_scenario(at.query_params[SHARE_PARAM]) == shop


MANIFEST = b"""apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: 4
  template:
    spec:
      containers:
        - name: web
          image: nginx
          resources: {requests: {cpu: 500m, memory: 1Gi}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
"""


def test_kubernetes_manifests_import_into_the_current_scenario(cache_dir: Path) -> None:
    at = goto(run_app(), "exchange")
    at.radio(key="import_kind").set_value("k8s").run()
    at.file_uploader(key="import_files_k8s").set_value([("shop.yaml", MANIFEST, "application/yaml")]).run()
    assert at.success[0].value == "Found 1 services, 0 jobs and 0 per-node agents in 1 file(s)."
    report = next(d.value for d in at.dataframe if "action" in d.value.columns)
    assert "skipped" in set(report["action"])  # the ConfigMap is reported, not dropped silently
    at.button(key="use_import").click().run()
    scenario = decode_scenario(at.query_params[SHARE_PARAM])
    assert [(s.name, s.vcpu, s.memory_gib, s.replicas.max) for s in scenario.services] == [("web", 0.5, 1.0, 4)]
    assert scenario.region == example(DEFAULT_EXAMPLE).region  # settings kept
    assert scenario.traffic == example(DEFAULT_EXAMPLE).traffic


def test_a_bad_manifest_is_an_error_in_words(cache_dir: Path) -> None:
    at = goto(run_app(), "exchange")
    at.radio(key="import_kind").set_value("k8s").run()
    bad = MANIFEST.replace(b"cpu: 500m", b"cpu: lots")
    at.file_uploader(key="import_files_k8s").set_value([("shop.yaml", bad, "application/yaml")]).run()
    assert at.error[0].value.startswith("Nothing was imported: ")
    assert "shop.yaml" in at.error[0].value and "cpu" in at.error[0].value
    assert not any(b.key == "use_import" for b in at.button)


def test_results_are_cached_by_scenario_and_prices(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = app_pages.cached.tco

    def counting(scenario, book, platforms=None):
        calls.append(scenario.name)
        return real(scenario, book, platforms)

    monkeypatch.setattr(app_pages.cached, "tco", counting)
    unique = example(DEFAULT_EXAMPLE).model_copy(update={"name": f"cache-probe-{id(calls)}"})
    at = run_app({SHARE_PARAM: encode_scenario(unique)})
    goto(at, "workload")
    goto(at, "exchange")
    goto(at, "compare")
    at.run()
    assert calls == [unique.name]


# --- the share token --------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.*")))
def test_share_token_round_trips(name: str) -> None:
    scenario = example(name)
    token = encode_scenario(scenario)
    assert decode_scenario(token) == scenario
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_share_token_refuses_a_decompression_bomb() -> None:
    bomb = base64.urlsafe_b64encode(zlib.compress(b" " * (MAX_DOCUMENT_BYTES * 4), 9)).decode().rstrip("=")
    with pytest.raises(ScenarioError, match="larger than"):
        decode_scenario(bomb)


@pytest.mark.parametrize("token", ["", "!!!", encode_scenario(example(DEFAULT_EXAMPLE))[:-12]])
def test_share_token_damage_is_an_error_in_words(token: str) -> None:
    with pytest.raises(ScenarioError, match="damaged"):
        decode_scenario(token)


# --- prices -----------------------------------------------------------------------------

def price_table(at: AppTest) -> pd.DataFrame:
    """The price table: the only dataframe with a price_key column."""
    frames = [d.value for d in at.dataframe if "price_key" in d.value.columns]
    assert len(frames) == 1
    return frames[0]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def source_text(at: AppTest) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("**Active prices:**"))


def test_price_page_shows_the_snapshot_source(cache_dir: Path) -> None:
    at = goto(run_app(), "prices")
    assert "bundled snapshot" in source_text(at)
    assert not at.warning and not at.error
    book = load_pricebook(cache_dir)
    regions = next(d.value for d in at.dataframe if "age (days)" in d.value.columns)
    assert regions["region"].tolist() == list(book.regions)
    assert regions["prices as of"].tolist() == [book.prices_as_of(r)[:10] for r in book.regions]
    assert (regions["age (days)"] >= 0).all()
    gaps = next(d.value for d in at.dataframe if "treatment" in d.value.columns)
    assert gaps["key"].tolist() == [g.key for g in KNOWN_GAPS]
    assert metric(at, "Prices as of") == book.prices_as_of(at.selectbox(key="region").value)[:10]


def test_price_filters_change_the_rows(cache_dir: Path) -> None:
    at = goto(run_app(), "prices")
    everything = price_table(at)
    assert set(everything["region"]) == {at.selectbox(key="region").value}
    assert metric(at, "Prices shown") == f"{len(everything):,}"

    at.selectbox(key="service").select("fargate").run()
    fargate = price_table(at)
    assert 0 < len(fargate) < len(everything)
    assert all(key.startswith("fargate.") for key in fargate["price_key"])
    assert metric(at, "Prices shown") == f"{len(fargate):,}"

    other = next(r for r in at.selectbox(key="region").options if r != at.selectbox(key="region").value)
    at.selectbox(key="region").select(other).run()
    assert set(price_table(at)["region"]) == {other}

    at.selectbox(key="service").select("ec2").run()
    at.text_input(key="instance_filter").input("m5.large").run()
    rows = price_table(at)
    assert len(rows) > 0 and set(rows["instance_type"]) == {"m5.large"}


def test_unknown_instance_type_shows_no_rows_and_a_hint(cache_dir: Path) -> None:
    at = goto(run_app(), "prices")
    at.text_input(key="instance_filter").input("m5").run()
    assert price_table(at).empty
    assert "m5.large" in at.info[0].value


def test_a_valid_cache_is_the_active_source(cache_dir: Path) -> None:
    tables, meta = read_store(SNAPSHOT_DIR)
    write_store(cache_store_dir(cache_dir), tables, meta)
    at = goto(run_app(), "prices")
    assert f"cache ({cache_store_dir(cache_dir)})" in source_text(at)
    assert not at.warning


def test_corrupted_cache_is_warned_about_and_skipped(cache_dir: Path) -> None:
    tables, meta = read_store(SNAPSHOT_DIR)
    store = cache_store_dir(cache_dir)
    write_store(store, tables, meta)
    prices = store / "prices.csv.gz"
    data = bytearray(prices.read_bytes())
    data[len(data) // 2] ^= 0xFF
    prices.write_bytes(bytes(data))

    at = goto(run_app(), "prices")
    assert len(at.warning) == 1
    assert "corrupted" in at.warning[0].value
    assert "bundled snapshot" in source_text(at)
    assert len(price_table(at)) > 0


def test_load_failure_is_an_error_in_words(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise StoreCorrupted("snapshot/metadata.json: missing")

    monkeypatch.setattr(pricing.active, "load_pricebook", broken)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert "could not be loaded" in at.error[0].value
    assert "metadata.json: missing" in at.error[0].value


def test_a_failed_refresh_keeps_the_last_good_prices(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No credentials (and no network): the Query API refresh fails, and nothing changes."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(cache_dir / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(cache_dir / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    at = goto(run_app(), "prices")
    rows = len(price_table(at))
    at.radio(key="refresh_source").set_value("query")
    at.multiselect(key="refresh_regions").set_value(["us-east-1"])
    at.button(key="refresh").click().run()
    assert not at.exception
    message = at.error[0].value
    assert message.startswith("The refresh failed: ") and "credentials" in message
    assert "keeps using the last good prices (bundled snapshot, as of 2025-" in message
    assert at.status[0].label == "The refresh failed"
    assert "bundled snapshot" in source_text(at)
    assert len(price_table(at)) == rows
    assert not cache_store_dir(cache_dir).exists()
    goto(at, "compare")  # the rest of the app works on
    assert cards(at)
