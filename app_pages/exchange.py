"""Page: import and export: open a workspace or scenario file, import a workload, download files and reports,
share a link.

Uploads are parsed and validated by the library like files on the command line; a bad
one changes nothing and its problems are listed.  Reports are the ``reports`` package's
CSV / Excel / JSON / HTML / PDF of the current scenario, rendered when a button is
clicked (a PDF with charts takes seconds), so a file carries the numbers the screen shows.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path, PurePath
from urllib.parse import urlencode, urlsplit, urlunsplit

import pandas as pd
import streamlit as st

from advisor.errors import AdvisorError
from advisor.workload.spec_io import MAX_DOCUMENT_BYTES, ScenarioError, dump_scenario, parse_scenario
from advisor.workload.workspace import Workspace, dump_workspace, parse_workspace
from app_pages import cached, notices, session
from app_pages.currency import selected_currency
from app_pages.scenarios import ADD, KEEP_SETTINGS, REPLACE_ALL, REPLACE_OPEN
from app_pages.share import SHARE_PARAM, encode_workspace
from app_pages.shown import shown
from app_pages.tables import show_table
from importers import MAX_SOURCE_BYTES, Action, ImportResult, WorkloadImportErrors, import_texts
from importers.report import MAX_LISTED_ERRORS
from presentation.money import plural
from reports import FORMATS
from reports.analysis import analysis_from_assessment
from reports.export import MIME_TYPES, SUMMARY_CSV, default_file_name, render, summary_csv_path
from reports.json_export import is_report_json, load_report_json
from reports.model import ReportModel, build_report
from reports.safety import sanitize_file_name

#: What each report format is for (the button's help).
REPORT_FORMATS: dict[str, str] = {
    "csv": "Line items of every platform, one row each",
    SUMMARY_CSV: "Per platform: AWS bill, operations, TCO and its range; reconciles the line-item CSV with the "
                 "headline",
    "xlsx": "Excel: summary, workload, line items, placements, assumptions and prices used, one sheet each; "
            "totals are live formulas with their values stored",
    "json": "The full scenario and its results; open it here again to reopen the scenario exactly",
    "html": "One self-contained page with the interactive charts and the tables",
    "pdf": "Executive summary, the workload, then charts, tables, price dates and assumptions, for print",
}
REPORT_LABELS = {"csv": "CSV", SUMMARY_CSV: "Summary CSV", "xlsx": "Excel", "json": "JSON", "html": "HTML",
                 "pdf": "PDF"}
IMPORT_SOURCES = {"ecs": "ECS task / service definitions (JSON or YAML)",
                  "k8s": "Kubernetes manifests (multi-document YAML, helm template output)",
                  "compose": "Docker Compose file"}


def _text(data: bytes, name: str, limit: int) -> str:
    """An upload as text, or ScenarioError naming the file."""
    if len(data) > limit:
        raise ScenarioError(name, [f"file larger than {limit:,} bytes"])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ScenarioError(name, ["not a text file (UTF-8 YAML or JSON expected)"]) from None


def _opened(text: str, name: str) -> Workspace:
    """An uploaded file's scenarios: a workspace file, a scenario file or a JSON report (one scenario)."""
    if is_report_json(text):
        return Workspace((load_report_json(text, name),))
    return parse_workspace(text, name)


def _open_scenario() -> None:
    st.subheader("Open a file")
    upload = st.file_uploader("Workspace or scenario file (YAML or JSON, as the command line reads it) or a "
                              "JSON report", type=["yaml", "yml", "json"], key="upload_scenario")
    if upload is None:
        return
    several = st.radio("Its scenarios", (ADD, REPLACE_OPEN, REPLACE_ALL), key="open_mode", horizontal=True,
                       help="A workspace file holds several scenarios; a scenario file or a report holds one.")
    if not st.button(f"Open {shown(upload.name)}", key="open_upload"):
        return
    try:
        found = _opened(_text(upload.getvalue(), upload.name, MAX_DOCUMENT_BYTES), upload.name)
        _use(found, several, f"Opened {shown(upload.name)}.")
    except ScenarioError as exc:
        st.error(f"{shown(upload.name)} was not opened; the workspace is unchanged.")
        for problem in exc.problems:
            st.error(shown(f"{exc.source}: {problem}"))
        return
    except AdvisorError as exc:
        st.error(f"{shown(upload.name)} was not opened; the workspace is unchanged: {shown(exc)}")
        return
    st.rerun()


def _use(found: Workspace, mode: str, notice: str) -> None:
    """Put a file's scenarios in the workspace: added, in place of the open one, or instead of them all."""
    if mode == REPLACE_ALL:
        session.set_workspace(found, notice)
    elif mode == REPLACE_OPEN and len(found.scenarios) == 1:
        session.set_scenario(found.current, notice)
    else:
        ws = session.workspace()
        for scenario in found.scenarios:
            ws = ws.add(scenario)
        session.set_workspace(ws, notice)


def _imported(kind: str, files: list) -> ImportResult | None:
    """The import of ``files``, named after the first file and described by where it came from."""
    try:
        texts = [(f.name, _text(f.getvalue(), f.name, MAX_SOURCE_BYTES)) for f in files]
        result = import_texts(kind, texts, scenario_name=PurePath(files[0].name).stem or "imported")
    except ScenarioError as exc:
        st.error(shown(exc))
    except WorkloadImportErrors as exc:
        st.error(f"Nothing was imported: {len(exc.errors)} problems in the files.")
        for error in exc.errors[:MAX_LISTED_ERRORS]:
            st.error(shown(error))
    except AdvisorError as exc:
        st.error(f"Nothing was imported: {shown(exc)}")
    else:
        description = f"Imported from {', '.join(f.name for f in files)} ({IMPORT_SOURCES[kind]})"
        return replace(result, scenario=result.scenario.model_copy(update={"description": description}))
    return None


def _import_workload() -> None:
    st.subheader("Import a workload")
    kind = st.radio("From", list(IMPORT_SOURCES), format_func=IMPORT_SOURCES.__getitem__, key="import_kind")
    files = st.file_uploader("Files", type=["json", "yaml", "yml"], accept_multiple_files=True,
                             key=f"import_files_{kind}")
    if not files:
        return
    result = _imported(kind, files)
    if result is None:
        return
    found = result.scenario
    st.success(f"Found {plural(len(found.services), 'service')}, {plural(len(found.jobs), 'job')} and "
               f"{plural(len(found.daemons), 'per-node agent')} in {plural(len(files), 'file')}.")
    entries = pd.DataFrame([e.to_document() for e in result.report.entries])
    with st.expander(f"What the import did ({plural(len(entries), 'entry', 'entries')}: mapped, assumed, skipped, "
                     "hints)", expanded=bool(result.report.of(Action.SKIPPED))):
        show_table(entries, "import_report")
    mode = st.radio("Use it", (ADD, KEEP_SETTINGS, REPLACE_OPEN), key="import_mode",
                    help="Replacing the open scenario replaces its name and description too; keeping its "
                         "settings keeps its name.")
    if not st.button("Use the imported workload", key="use_import", type="primary"):
        return
    notice = f"Imported {plural(len(found.services), 'service')} and {plural(len(found.jobs), 'job')}."
    try:
        if mode == KEEP_SETTINGS:  # with the current environments and settings, it may pass a limit the
            current = session.current_document()  # import alone did not
            imported = found.model_dump(mode="json")
            session.set_scenario(parse_scenario(json.dumps({**current, **{k: imported[k] for k in (
                "services", "jobs", "daemons")}}), "the imported workload with the current settings"), notice)
        else:
            _use(Workspace((found,)), mode, notice)
    except ScenarioError as exc:
        st.error("The imported workload was not used; the workspace is unchanged.")
        for problem in exc.problems:
            st.error(shown(f"{exc.source}: {problem}"))
        return
    st.rerun()


def _report(model: ReportModel, fmt: str) -> Callable[[], bytes]:
    """The report's bytes, rendered only when its button is clicked (a PDF takes seconds)."""
    def build() -> bytes:
        return render(model, fmt)
    return build


def _downloads() -> None:
    st.subheader("Save and download")
    scenario = session.current_scenario()
    left, right = st.columns([1, 2])
    left.markdown("**Files that reopen here** (and in `advisor compare`)")
    ws = session.workspace()
    # Downloads never rerun the page (on_click="ignore"): see the reports' buttons below.
    left.download_button(f"Workspace ({plural(len(ws.scenarios), 'scenario')}, YAML)", dump_workspace(ws),
                         "workspace.yaml", "application/yaml", key="download_workspace", icon=":material/save:",
                         on_click="ignore")
    for fmt, mime in (("yaml", "application/yaml"), ("json", "application/json")):
        left.download_button(f"Open scenario ({fmt.upper()})", dump_scenario(scenario, fmt),
                             sanitize_file_name(f"{scenario.name}.{fmt}"), mime, key=f"download_{fmt}",
                             icon=":material/save:", on_click="ignore")
    right.markdown(f"**Reports** of {shown(scenario.name)}: every platform, with operations, TCO and the "
                   "recommendation")
    book = cached.active_pricebook()
    try:
        result = cached.scenario_tco(scenario, book)
    except AdvisorError as exc:
        right.error(f"No report: this scenario cannot be priced ({shown(exc)}).")
        return
    currency = selected_currency()
    if currency is not None:
        right.caption(f"Amounts in USD with a {currency.code} column at {currency.rate_text} (your rate).")
    analysis = analysis_from_assessment(cached.scenario_assessment(scenario, book))
    model = build_report(result.estimate, book, analysis=analysis, currency=currency, scenario=scenario,
                         generated_at=datetime.now(UTC).isoformat(timespec="seconds"))
    files = {fmt: (default_file_name(model, fmt), MIME_TYPES[fmt]) for fmt in FORMATS}
    summary = (summary_csv_path(Path(files["csv"][0])).name, MIME_TYPES["csv"])
    files = {"csv": files.pop("csv"), SUMMARY_CSV: summary, **files}
    for column, (fmt, (name, mime)) in zip(right.columns(len(files)), files.items(), strict=True):
        # No rerun on click: a rerun would replace the deferred files of the other buttons while the
        # browser may still hold their old ids ("Deferred file ... not found" in the server log).
        column.download_button(REPORT_LABELS[fmt], _report(model, fmt), name, mime, key=f"report_{fmt}",
                               help=REPORT_FORMATS[fmt], icon=":material/download:", on_click="ignore")


def _share() -> None:
    st.subheader("Share")
    scheme, netloc, path, _, _ = urlsplit(st.context.url or "")
    params = {**st.query_params.to_dict(), SHARE_PARAM: encode_workspace(session.workspace())}
    link = urlunsplit((scheme, netloc, path.rsplit("/", 1)[0] + "/", urlencode(params), ""))
    st.markdown("This link opens the whole workspace (every scenario, the open one first on the Compare page, and "
                "the display currency); the address bar holds the same workspace on every page.")
    st.code(link, language=None, wrap_lines=True)
    st.caption(f"The workspace takes {len(params[SHARE_PARAM]):,} characters of the link (compressed, base64url).")


def main() -> None:
    st.header("Import & export")
    notices.show_notice()
    _downloads()
    _open_scenario()
    _import_workload()
    _share()


main()
