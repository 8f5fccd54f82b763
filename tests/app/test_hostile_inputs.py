"""Hostile links, names and files in the app: refused in words, shown as text, no server paths, bounded."""

from __future__ import annotations

import base64
import json
import math
import re
import tomllib
import zlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from advisor.workload.spec_io import MAX_DOCUMENT_BYTES, MAX_PROBLEMS, ScenarioError
from advisor.workload.workspace import Workspace
from app_pages.scenarios import KEEP_SETTINGS
from app_pages.share import MAX_TOKEN_CHARS, SHARE_PARAM, decode_workspace, encode_workspace
from app_pages.shown import without_server_paths
from importers import MAX_SOURCE_BYTES
from pricing.active import SNAPSHOT_DIR, cache_store_dir
from pricing.store import read_store, write_store
from tests.app.helpers import ROOT, example, goto, rendered, run_app, shared

IMAGE = "![pixel](http://tracker.invalid/pixel.png)"
HTML = "<img src=http://tracker.invalid/img.png>"
MARKDOWN_ELEMENTS = ("markdown", "caption", "header", "subheader", "title", "error", "warning", "success", "info")


def _token(document: object) -> str:
    raw = document if isinstance(document, bytes) else json.dumps(document).encode()
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")


def _markdown_sources(at: AppTest) -> list[str]:
    return [str(e.value) for kind in MARKDOWN_ELEMENTS for e in at.get(kind)]


def _unescaped(markdown: str) -> str:
    """What Markdown may act on: the source without its backslash-escaped characters."""
    return re.sub(r"\\.", "", markdown)


# --- share links ---------------------------------------------------------------------------------------------

def test_a_deeply_nested_link_is_refused_in_words() -> None:
    with pytest.raises(ScenarioError, match="nested too deeply"):
        decode_workspace(_token(b'{"a":' * 50_000 + b"1" + b"}" * 50_000))


def test_a_link_that_is_not_a_json_object_is_refused_before_it_is_parsed() -> None:
    with pytest.raises(ScenarioError, match="does not hold a workspace the app made"):
        decode_workspace(_token(b"name: x\nservices: [" + b"{}, " * 100_000 + b"]"))


def test_an_enormous_link_is_refused_unread() -> None:
    with pytest.raises(ScenarioError, match=f"longer than {MAX_TOKEN_CHARS} characters"):
        decode_workspace("A" * (MAX_TOKEN_CHARS + 1))


def test_a_link_with_thousands_of_invalid_entries_is_refused_with_a_bounded_message() -> None:
    with pytest.raises(ScenarioError) as err:
        decode_workspace(_token({"name": "x", "services": [{}] * 900}))
    assert len(err.value.problems) == MAX_PROBLEMS + 1
    with pytest.raises(ScenarioError, match="services: 100,000 entries is over the limit of 1,000"):
        decode_workspace(_token({"name": "x", "services": [{}] * 100_000}))


@pytest.mark.parametrize("document", [b'{"a":' * 50_000 + b"1" + b"}" * 50_000, {"name": "x", "services": [{}] * 900}])
def test_the_app_shows_a_hostile_link_as_one_short_error(cache_dir: Path, document: object) -> None:
    at = run_app({SHARE_PARAM: _token(document)})
    assert not at.exception
    (error,) = at.error
    assert rendered(error.value).startswith("The link's scenarios could not be opened")
    assert len(error.value) < 4000
    assert rendered(at.header[0].value) == "Compare: small-api"


# --- names are text ------------------------------------------------------------------------------------------

def test_names_are_shown_as_text_never_as_markdown_or_html(cache_dir: Path) -> None:
    shop = example("small-api.yaml").model_dump(mode="json")
    shop["name"] = f"shop {IMAGE} {HTML} :red[alert] $x$"
    shop["services"] = [{**shop["services"][0], "name": f"api {IMAGE}"},
                        {"name": f"huge {IMAGE}", "vcpu": 900, "memory_gib": 4, "replicas": 1}]   # fits no node
    at = run_app({SHARE_PARAM: _token(shop)})
    assert not at.exception
    sources = _markdown_sources(at)
    # a platform that cannot place it names it in a warning
    assert any("huge" in rendered(w.value) and IMAGE in rendered(w.value) for w in at.warning)
    assert rendered(at.header[0].value) == f"Compare: {shop['name']}"
    sources += _markdown_sources(goto(run_app({SHARE_PARAM: _token(shop)}), "exchange"))  # 'Reports of <name>'
    for source in sources:
        active = _unescaped(source)
        assert not any(m in active for m in ("![", "](", "<img", ":red[", "$x$", "tracker.invalid")), source


# --- no server paths -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "shown"), [
    ("cache (/root/.cache/ecs-eks-advisor/prices)", "cache (…/prices)"),
    ("[Errno 13] Permission denied: '/home/app/.cache/prices/metadata.json'", "Permission denied: '…/metadata.json'"),
    (r"C:\Users\bob\AppData\Local\prices", "…/prices"),
    ("https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/index.json", "https://pricing.us-east-1.amazonaws.com"
                                                                           "/offers/v1.0/aws/index.json"),
    ("0.5 vCPU/GiB at $90/h, 30/70", "0.5 vCPU/GiB at $90/h, 30/70"),
])
def test_server_paths_are_cut_to_their_last_part(text: str, shown: str) -> None:
    assert shown in without_server_paths(text)


@pytest.mark.parametrize("page", ["compare", "prices"])
def test_no_page_shows_the_server_cache_path(cache_dir: Path, page: str) -> None:
    tables, meta = read_store(SNAPSHOT_DIR)
    write_store(cache_store_dir(cache_dir), tables, meta)
    at = run_app() if page == "compare" else goto(run_app(), page)
    shown = " ".join(_markdown_sources(at))
    assert "…/prices" in rendered(shown)
    assert str(cache_dir) not in shown and str(cache_dir) not in rendered(shown)


# --- uploads and imports -------------------------------------------------------------------------------------

def test_the_server_enforces_the_upload_limit() -> None:
    """Streamlit refuses larger uploads itself (``server.maxUploadSize``), whatever the browser sends."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == math.ceil(max(MAX_SOURCE_BYTES, MAX_DOCUMENT_BYTES) / 2**20)
    assert config["client"]["showErrorDetails"] == "type"   # a bug shows no traceback (server paths) to visitors


def test_the_app_refuses_a_file_over_what_it_reads(cache_dir: Path) -> None:
    """Within the server's limit the app checks the exact bytes itself: a scenario over 2 MB is refused by name."""
    at = goto(run_app(), "exchange")
    big = b"#" * (MAX_DOCUMENT_BYTES + 1)
    at.file_uploader(key="upload_scenario").set_value(("big.yaml", big, "application/yaml")).run()
    at.button(key="open_upload").click().run()
    assert not at.exception
    assert rendered(at.error[0].value) == "big.yaml was not opened; the workspace is unchanged."
    assert rendered(at.error[1].value) == f"big.yaml: file larger than {MAX_DOCUMENT_BYTES:,} bytes"


def test_every_import_problem_is_shown_on_its_own(cache_dir: Path) -> None:
    at = goto(run_app(), "exchange")
    at.radio(key="import_kind").set_value("k8s").run()
    container = {"name": "c", "resources": {"requests": {"cpu": "bad"}}}
    manifests = "---\n" + "\n---\n".join(
        json.dumps({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": n},
                    "spec": {"template": {"spec": {"containers": [container]}}}}) for n in ("a", f"b {IMAGE}"))
    at.file_uploader(key="import_files_k8s").set_value([("two.yaml", manifests.encode(), "application/yaml")]).run()
    assert not at.exception
    shown = [rendered(e.value) for e in at.error]
    assert shown[0] == "Nothing was imported: 2 problems in the files."
    assert [s.split(", field")[0] for s in shown[1:]] == ["two.yaml, document 1 (Deployment a)",
                                                          f"two.yaml, document 2 (Deployment b {IMAGE})"]
    assert not any("tracker.invalid" in _unescaped(e.value) for e in at.error)


def test_the_largest_scenario_fits_in_a_link() -> None:
    """A link carries any scenario the limits accept (a workspace of one): the largest document compresses far
    below the token limit."""
    from advisor.workload import limits
    from advisor.workload.scenario import Scenario

    sidecars = [{"name": f"sidecar-{k}", "vcpu": 0.125, "memory_gib": 0.25} for k in range(limits.MAX_SIDECARS)]
    services = [{"name": f"service-{i:04d}-with-a-long-name", "vcpu": 0.5 + i / 1000, "memory_gib": 1 + i / 500,
                 "replicas": 2, "sidecars": sidecars} for i in range(limits.MAX_SERVICES)]
    largest = Scenario.model_validate({"name": "largest", "services": services})
    token = encode_workspace(Workspace((largest,)))
    assert len(token) <= MAX_TOKEN_CHARS
    assert decode_workspace(token).current == largest


def test_an_import_that_passes_a_limit_with_the_current_environments_is_an_error_in_words(cache_dir: Path) -> None:
    staged = example("small-api.yaml").model_dump(mode="json")
    staged["environments"] = [{"name": f"env-{i}"} for i in range(10)]
    at = goto(run_app({SHARE_PARAM: _token(staged)}), "exchange")
    at.radio(key="import_kind").set_value("k8s").run()
    big = json.dumps({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                      "spec": {"replicas": 5000, "template": {"spec": {"containers": [{"name": "web"}]}}}})
    at.file_uploader(key="import_files_k8s").set_value([("big.json", big.encode(), "application/json")]).run()
    at.radio(key="import_mode").set_value(KEEP_SETTINGS).run()
    at.button(key="use_import").click().run()
    assert not at.exception
    shown = [rendered(e.value) for e in at.error]
    assert shown[0] == "The imported workload was not used; the workspace is unchanged."
    assert "50,000 replicas to place" in shown[1] and "over the limit of 20,000" in shown[1]
    assert len(shared(at).current.environments) == 10
