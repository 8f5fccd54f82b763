"""AppTest tests of the app's pages: Compare and Workload, edits and errors in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.decision.tco import tco
from advisor.workload.scenario import Scenario
from presentation.labels import PLATFORM_LABELS
from presentation.money import format_money
from tests.app.helpers import DEFAULT_EXAMPLE, cards, example, expected_cards, goto, rendered, run_app, submit_edit


def test_every_page_loads_without_errors(cache_dir: Path) -> None:
    at = run_app()
    assert at.sidebar.title[0].value == "ECS vs EKS cost advisor"
    assert rendered(at.header[0].value) == "Compare: small-api"
    for page, header in [("workload", "Workload: small-api"), ("workspace", "Workspace: 1 scenario"),
                         ("analyse", "Analyse"), ("exchange", "Import & export"),
                         ("prices", "Prices"), ("compare", "Compare: small-api")]:
        goto(at, page)
        assert rendered(at.header[0].value) == header
        assert not at.error, [e.value for e in at.error]


def test_compare_shows_the_library_totals_and_the_breakdown(cache_dir: Path, book) -> None:
    at = run_app()
    shown = cards(at)
    assert shown == expected_cards(example(DEFAULT_EXAMPLE), book)
    assert list(shown) == list(expected_cards(example(DEFAULT_EXAMPLE), book))  # ranked by TCO
    deltas = [m.delta for m in at.metric if m.label in shown]
    assert deltas[0] == "lowest TCO" and all(d.startswith("+$") for d in deltas[1:])
    card_columns = [c for c in at.columns if c.get("metric")]
    assert len(card_columns) == len(shown) == 6
    # app_pages.compare.CARDS_PER_ROW (a page module runs when imported): rows of three, not one row of six
    assert {round(c.weight, 3) for c in card_columns} == {round(1 / 3, 3)}
    result = tco(example(DEFAULT_EXAMPLE), book)
    first = result.ranked()[0]
    assert any(c.value.startswith(f"AWS bill {format_money(first.aws_monthly_usd)} + engineer time "
                                  f"{format_money(first.operations_monthly_usd)} "
                                  f"({100 * first.operations_share:.0f}% of TCO)") for c in at.caption)
    assert "confidence" in at.success[0].value and PLATFORM_LABELS[first.platform] in at.success[0].value
    assert len(at.get("plotly_chart")) == 2  # the ranges and the breakdown
    placements = next(d.value for d in at.dataframe if "idle_usd_per_month" in d.value.columns)
    assert set(placements["platform"]) == {"ECS on EC2", "EKS on EC2", "EKS Auto Mode", "ECS Managed Instances"}
    # The details: one tab per platform, ranked; only the open tab's tables are made, and choosing
    # another tab shows that platform's line items and engineer time.
    assert [t.label for t in at.tabs] == list(shown)
    for index, row in enumerate(result.ranked()):
        if index:
            at.session_state["details_platform"] = PLATFORM_LABELS[row.platform]
            at.run()
            assert not at.exception, [e.value for e in at.exception]
        items = [d.value for d in at.dataframe if {"price_ref", "quantity"} <= set(d.value.columns)]
        assert len(items) == 1
        assert {"formula", "publication_date", "quantity", "unit"} <= set(items[0].columns)
        assert items[0]["monthly_usd"].sum() == pytest.approx(row.aws_monthly_usd)
        operations = [d.value for d in at.dataframe if "activity" in d.value.columns and "tag" in d.value.columns]
        assert len(operations) == 1
        assert operations[0]["monthly_usd"].sum() == pytest.approx(row.operations_monthly_usd)
    # The complexity tables are made when their expander is opened.
    assert not [d for d in at.dataframe if "component" in d.value.columns]
    at.session_state["complexity_open"] = True
    at.run()
    assert set(next(d.value for d in at.dataframe if "component" in d.value.columns)["platform"]) == set(shown)


def test_unavailable_platforms_say_why(cache_dir: Path) -> None:
    at = run_app()
    goto(at, "workload")
    at.selectbox(key="start_from").select("windows-legacy.yaml").run()
    at.button(key="load_example").click().run()
    assert rendered(at.success[0].value) == "Loaded windows-legacy.yaml."
    goto(at, "compare")
    assert list(cards(at)) == ["ECS on Fargate"]
    reasons = [rendered(w.value) for w in at.warning]
    assert any("ECS on EC2" in r and "cannot run this workload" in r for r in reasons)


def test_picking_an_example_replaces_the_scenario(cache_dir: Path, book) -> None:
    at = run_app()
    goto(at, "workload")
    at.selectbox(key="start_from").select("microservices.yaml").run()
    at.button(key="load_example").click().run()
    services = at.data_editor[0].value
    assert services["name"].tolist() == [s.name for s in example("microservices.yaml").services]
    goto(at, "compare")
    assert rendered(at.header[0].value) == "Compare: microservices-shop"
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
    # Streamlit's table editor sends a cell to the form 150 ms after the edit ends: the page says so.
    assert any("Finish a table cell with Enter or Tab" in c.value for c in at.caption)
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
    errors = [rendered(e.value) for e in at.error]
    assert "Your last change was not applied: 3 problems, shown next to their fields" in errors[0]
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
    assert any("jobs row 1 (etl)" in rendered(e.value) and "more than the 730 hours of a month" in rendered(e.value)
               for e in at.error)
