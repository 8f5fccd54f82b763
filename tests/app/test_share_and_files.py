"""AppTest tests of share links, uploads, downloads, imports and display currency."""

from __future__ import annotations

from pathlib import Path

import pytest

import app_pages.cached
from advisor.decision.tco import tco
from advisor.workload.spec_io import dump_scenario
from app_pages.share import SHARE_PARAM, decode_workspace
from presentation.money import format_converted
from reports.currency import make_currency
from reports.export import render
from reports.model import build_report
from tests.app.helpers import (
    DEFAULT_EXAMPLE,
    cards,
    example,
    exchange_modes,
    expected_cards,
    goto,
    link,
    rendered,
    run_app,
    shared,
    submit_edit,
)


def test_the_url_reproduces_the_view(cache_dir: Path) -> None:
    at = run_app()
    goto(at, "workload")
    submit_edit(at, "services", {0: {"replicas": 9}})
    goto(at, "compare")
    token = at.query_params[SHARE_PARAM]
    assert decode_workspace(token).current.services[0].replicas.max == 9
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
    errors = [rendered(e.value) for e in at.error]
    assert errors[0] == "broken.yaml was not opened; the workspace is unchanged."
    assert errors[1] == "broken.yaml: services[0].vcpu: Input should be greater than 0 (got 0)"

    good = dump_scenario(example("batch-arm-spot.json")).encode()
    at.file_uploader(key="upload_scenario").set_value(("batch.yaml", good, "application/yaml")).run()
    at.button(key="open_upload").click().run()
    assert rendered(at.success[0].value) == "Opened batch.yaml."
    goto(at, "compare")
    assert cards(at) == expected_cards(example("batch-arm-spot.json"), book)


def test_downloads_are_offered(cache_dir: Path) -> None:
    at = goto(run_app(), "exchange")
    labels = {b.key: b.label for b in at.download_button}
    assert labels == {"download_workspace": "Workspace (1 scenario, YAML)",
                      "download_yaml": "Open scenario (YAML)", "download_json": "Open scenario (JSON)",
                      "report_csv": "CSV", "report_summary-csv": "Summary CSV", "report_xlsx": "Excel",
                      "report_json": "JSON", "report_html": "HTML", "report_pdf": "PDF"}
    link = at.code[0].value  # AppTest serves no URL, so the link is relative here (the browser test opens one)
    assert link.startswith(f"/?{SHARE_PARAM}=")
    assert decode_workspace(link.split(f"{SHARE_PARAM}=")[1]).current == example(DEFAULT_EXAMPLE)


def test_a_json_report_reopens_its_scenario(cache_dir: Path, book) -> None:
    shop = example("microservices.yaml")
    report = render(build_report(tco(shop, book).estimate, book), "json")
    at = goto(run_app(), "exchange")
    at.file_uploader(key="upload_scenario").set_value(("shop-report.json", report, "application/json")).run()
    at.button(key="open_upload").click().run()
    assert rendered(at.success[0].value) == "Opened shop-report.json."
    assert shared(at).current == shop


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
    assert at.success[0].value == "Found 1 service, 0 jobs and 0 per-node agents in 1 file."
    report = next(d.value for d in at.dataframe if "action" in d.value.columns)
    assert "skipped" in set(report["action"])  # the ConfigMap is reported, not dropped silently
    at.radio(key="import_mode").set_value(exchange_modes()["keep"]).run()
    at.button(key="use_import").click().run()
    assert len(shared(at).scenarios) == 1
    scenario = shared(at).current
    assert scenario.name == example(DEFAULT_EXAMPLE).name
    assert [(s.name, s.vcpu, s.memory_gib, s.replicas.max) for s in scenario.services] == [("web", 0.5, 1.0, 4)]
    assert scenario.region == example(DEFAULT_EXAMPLE).region  # settings kept
    assert scenario.traffic == example(DEFAULT_EXAMPLE).traffic


def test_an_import_added_or_replacing_the_scenario_brings_its_name_and_description(cache_dir: Path) -> None:
    at = goto(run_app(), "exchange")
    at.radio(key="import_kind").set_value("k8s").run()
    at.file_uploader(key="import_files_k8s").set_value([("shop.yaml", MANIFEST, "application/yaml")]).run()
    at.button(key="use_import").click().run()  # default: added to the workspace, and opened
    workspace = shared(at)
    assert workspace.names == (example(DEFAULT_EXAMPLE).name, "shop") and workspace.current.name == "shop"
    assert workspace.current.description == ("Imported from shop.yaml (Kubernetes manifests (multi-document YAML, "
                                             "helm template output))")
    at.sidebar.selectbox(key=f"open_scenario_{at.session_state['scenario_revision']}").select(0).run()
    goto(at, "exchange")
    at.radio(key="import_kind").set_value("k8s").run()
    at.file_uploader(key="import_files_k8s").set_value([("web.yaml", MANIFEST, "application/yaml")]).run()
    at.radio(key="import_mode").set_value(exchange_modes()["open"]).run()
    at.button(key="use_import").click().run()
    workspace = shared(at)
    assert workspace.names == ("web", "shop")  # the example was replaced: its name and description too
    assert workspace.current.description.startswith("Imported from web.yaml")


def test_a_bad_manifest_is_an_error_in_words(cache_dir: Path) -> None:
    at = goto(run_app(), "exchange")
    at.radio(key="import_kind").set_value("k8s").run()
    bad = MANIFEST.replace(b"cpu: 500m", b"cpu: lots")
    at.file_uploader(key="import_files_k8s").set_value([("shop.yaml", bad, "application/yaml")]).run()
    assert rendered(at.error[0].value).startswith("Nothing was imported: ")
    assert "shop.yaml" in rendered(at.error[0].value) and "cpu" in rendered(at.error[0].value)
    assert not any(b.key == "use_import" for b in at.button)


def test_results_are_cached_by_scenario_and_prices(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = app_pages.cached.tco

    def counting(scenario, book, platforms=None, *, workers=1):
        calls.append(scenario.name)
        return real(scenario, book, platforms, workers=workers)

    monkeypatch.setattr(app_pages.cached, "tco", counting)
    unique = example(DEFAULT_EXAMPLE).model_copy(update={"name": f"cache-probe-{id(calls)}"})
    at = run_app(link(unique))
    goto(at, "workload")
    goto(at, "exchange")
    goto(at, "compare")
    at.run()
    assert calls == [unique.name]
