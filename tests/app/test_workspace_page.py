"""AppTest tests of the workspace: scenarios added, duplicated, renamed, deleted, compared; live totals;
defaulted costs; autoscaling at maximum."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.costs.defaults import defaulted_costs
from advisor.decision.recommend import recommend
from advisor.decision.tco import Metric, tco
from advisor.decision.uncertainty import tco_ranges
from advisor.workload.scenario import Scenario
from advisor.workload.workspace import dump_workspace
from advisor_cli.main import main as cli
from presentation.comparison import cheapest_frame, comparison_frame, difference_sentences
from presentation.labels import PLATFORM_LABELS, platform_label
from presentation.money import format_usd
from tests.app.helpers import DEFAULT_EXAMPLE, example, goto, link, rendered, run_app, shared, submit_edit


def _live(at) -> dict[str, str]:
    labels = set(PLATFORM_LABELS.values())
    return {m.label: m.value for m in at.metric if m.label in labels}


def _expected_live(scenario: Scenario, book, metric: Metric = Metric.TCO) -> dict[str, str]:
    return {PLATFORM_LABELS[p.platform]: format_usd(p.monthly_usd(metric)) for p in tco(scenario, book).ranked(metric)}


def _table(at, column: str):
    """The first table the page shows with ``column`` (its frame, machine column names)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_duplicate_rename_edit_and_compare(cache_dir: Path, book, tmp_path: Path, capsys) -> None:
    at = goto(run_app(), "workspace")
    at.text_input(key=f"copy_name_{at.session_state['scenario_revision']}").set_value("small-api on Graviton")
    at.button(key="duplicate").click().run()
    assert shared(at).names == ("small-api", "small-api on Graviton") and shared(at).current.name.endswith("Graviton")
    goto(at, "workload")
    submit_edit(at, "services", {0: {"architecture": "arm64", "replicas": 4}})
    graviton = shared(at).current
    assert graviton.services[0].architecture == "arm64" and graviton.services[0].replicas.max == 4
    assert _live(at) == _expected_live(graviton, book)  # the totals beside the editor are the new ones

    goto(at, "workspace")
    assert at.header[0].value == "Workspace: 2 scenarios"
    results = [tco(example(DEFAULT_EXAMPLE), book), tco(graviton, book)]
    names = ["small-api", "small-api on Graviton"]
    ranges = [tco_ranges(r) for r in results]  # the recommendation's draws, as on the Compare page
    cheapest = _table(at, "cheapest")
    expected = cheapest_frame(results, names, Metric.TCO, ranges)
    assert cheapest["monthly_usd"].tolist() == pytest.approx(expected["monthly_usd"].tolist())
    assert cheapest["vs_first_annual_usd"].tolist()[1] == pytest.approx(expected["vs_first_annual_usd"].tolist()[1])
    assert cheapest["probability_cheapest_pct"].tolist() == pytest.approx(
        expected["probability_cheapest_pct"].tolist())
    every = _table(at, "is_cheapest")
    columns = ["monthly_usd", "p10_usd", "p50_usd", "p90_usd", "probability_cheapest_pct"]
    assert every[columns].to_numpy() == pytest.approx(comparison_frame(results, names, Metric.TCO, ranges)[columns]
                                                      .to_numpy())
    differences = "\n".join(rendered(m.value) for m in at.markdown)
    for sentence in difference_sentences(example(DEFAULT_EXAMPLE), graviton):
        assert sentence in differences
    assert "service api, architecture: x86_64 → arm64" in differences
    assert len(at.get("plotly_chart")) == 2  # costs per scenario, and the differences from the baseline

    # the CLI on the workspace file shows the same figures, ranges included
    path = tmp_path / "workspace.yaml"
    path.write_text(dump_workspace(shared(at)))
    assert cli(["compare", str(path), "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    for name, scenario_doc, result in zip(names, doc["scenarios"], results, strict=True):
        assert scenario_doc["recommendation"]["choice"] == recommend(result).choice.value
        by_cli = {p["platform"]: p["tco_monthly_usd"] for p in scenario_doc["platforms"]}
        assert by_cli == pytest.approx({p.platform.value: p.tco_monthly_usd for p in result.platforms})
        shown = every[every["scenario"] == name].set_index("label")
        for drawn in scenario_doc["ranges"]["platforms"]:
            row = shown.loc[platform_label(drawn["platform"])]
            assert (row["p10_usd"], row["p90_usd"], row["probability_cheapest_pct"]) == pytest.approx(
                (drawn["p10_usd"], drawn["p90_usd"], 100 * drawn["probability_cheapest"]))


def test_rename_delete_and_names_stay_distinct(cache_dir: Path) -> None:
    at = goto(run_app(), "workspace")
    at.selectbox(key="add_from").select("microservices.yaml").run()
    at.button(key="add_scenario").click().run()
    assert shared(at).names == ("small-api", "microservices-shop")
    at.text_input(key=f"rename_{at.session_state['scenario_revision']}").set_value("small-api").run()
    at.button(key="rename").click().run()
    assert rendered(at.error[0].value) == "Could not rename it: name: another scenario is already named 'small-api'"
    at.text_input(key=f"rename_{at.session_state['scenario_revision']}").set_value("shop").run()
    at.button(key="rename").click().run()
    assert shared(at).names == ("small-api", "shop")
    at.button(key="delete").click().run()
    assert shared(at).names == ("small-api",)
    assert at.button(key="delete").disabled  # the last scenario stays


def test_a_link_reopens_the_whole_workspace(cache_dir: Path) -> None:
    shop = example("microservices.yaml")
    at = run_app(link(example(DEFAULT_EXAMPLE), shop, active=1))
    assert at.success[0].value == "Opened the workspace from the link: 2 scenarios."
    assert rendered(at.header[0].value) == "Compare: microservices-shop"  # the open scenario is the one that was open
    assert shared(at).names == ("small-api", "microservices-shop")


def test_a_defaulted_cost_is_a_line_the_user_can_switch_off(cache_dir: Path, book) -> None:
    at = goto(run_app(), "workload")
    at.selectbox(key="start_from").select("blank workload").run()
    at.button(key="load_example").click().run()
    (nat,) = defaulted_costs(shared(at).current, book)
    assert nat.monthly_usd == pytest.approx(3 * 730 * (0.045 + 0.005))  # us-east-1: gateway + its IPv4 address
    shown = [m.value for m in at.markdown]
    line = f"3 NAT gateways, one per Availability Zone: **{format_usd(nat.monthly_usd)}/month** on every platform"
    assert line in shown
    at.toggle(key=f"keep_traffic.nat_gateways_{at.session_state['scenario_revision']}").set_value(False).run()
    assert shared(at).current.traffic.nat_gateways == 0
    assert not any("NAT gateways, one per" in m.value for m in at.markdown)
    assert _live(at) == _expected_live(shared(at).current, book)


def test_autoscaling_at_maximum_is_a_warning_with_a_schedule_to_choose(cache_dir: Path, book) -> None:
    doc = example(DEFAULT_EXAMPLE).model_dump(mode="json")
    doc["services"][0]["replicas"] = {"min": 2, "max": 8}
    imported = Scenario.model_validate(doc)
    at = run_app(link(imported))
    warning = next(w.value for w in at.warning if "maximum replica count all month" in w.value)
    assert "1 autoscaled service (api) is priced" in warning
    goto(at, "workspace")
    assert any("maximum replica count all month" in w.value for w in at.warning)
    at.selectbox(key="schedule_workspace_0").select("business-hours").run()
    at.button(key="apply_schedule_workspace_0").click().run()
    replicas = shared(at).current.services[0].replicas
    assert (replicas.schedule.hours_per_day, replicas.schedule.days_per_week) == (10, 5)
    assert not any("maximum replica count all month" in w.value for w in at.warning)


def test_the_sidebar_basis_compares_bills_in_the_workspace_and_beside_the_editor(cache_dir: Path, book) -> None:
    small, shop = example(DEFAULT_EXAMPLE), example("microservices.yaml")
    results = [tco(small, book), tco(shop, book)]
    at = goto(run_app({**link(small, shop), "basis": "bill"}), "workspace")  # a shared link on the bill basis
    cheapest = _table(at, "cheapest")
    assert cheapest["monthly_usd"].tolist() == pytest.approx([r.ranked(Metric.AWS)[0].aws_monthly_usd
                                                              for r in results])
    assert cheapest["p10_usd"].isna().all()  # nothing uncertain moves a bill
    assert any("AWS bill alone" in c.value for c in at.caption)
    assert not any(r.key == "workspace_metric" for r in at.radio)  # one basis control: the sidebar's
    goto(at, "workload")
    assert _live(at) == _expected_live(small, book, Metric.AWS)

    at.sidebar.radio(key="comparison_basis").set_value("tco").run()
    assert "basis" not in at.query_params
    assert _live(at) == _expected_live(small, book)
    goto(at, "workspace")
    cheapest = _table(at, "cheapest")
    assert cheapest["monthly_usd"].tolist() == pytest.approx([r.ranked()[0].tco_monthly_usd for r in results])
    assert cheapest["p10_usd"].notna().all()
