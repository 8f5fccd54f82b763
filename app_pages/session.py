"""The workspace in session state: the user's scenarios, never lost, always shareable.

Session state holds the *inputs* (results come from the cache):

- the workspace: every scenario's document, always valid, and which one is open (the
  Compare, Workload and Analyse pages work on it; the Workspace page compares them all);
- drafts: per scenario, the last submitted edit that did not validate, with its problems,
  so the editor shows the user's own values next to the errors instead of discarding them,
  even after a visit to another scenario;
- a revision number, bumped whenever a document is replaced or another scenario is opened,
  which is part of the editor widgets' keys so they start again from the new document.

The workspace is mirrored into the page URL (:mod:`app_pages.share`) on every run, so the
address bar is always a link that reproduces the view.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from advisor.workload.scenario import Scenario
from advisor.workload.spec_io import ScenarioError, parse_scenario, scenario_document
from advisor.workload.workspace import Workspace
from app_pages.share import SHARE_PARAM, decode_workspace, encode_workspace
from app_pages.shown import shown

EXAMPLES_DIR = Path(__file__).resolve().parents[1] / "examples"
EXAMPLE_SUFFIXES = (".yaml", ".yml", ".json")
#: The example a new session starts from (small, so the first page is quick).
DEFAULT_EXAMPLE = "small-api.yaml"
#: A blank workload: the model needs one service or job, so it starts with one small service.
BLANK_DOCUMENT: dict[str, Any] = {
    "name": "new-workload",
    "services": [{"name": "service-1", "vcpu": 0.5, "memory_gib": 1, "replicas": 2}],
}

_DOCS = "workspace_documents"
_ACTIVE = "workspace_active"
_DRAFTS = "scenario_drafts"
_REVISION = "scenario_revision"
_NOTICE = "scenario_notice"


def example_names() -> list[str]:
    """File names of the bundled examples (``examples/*.yaml|json``)."""
    return sorted(p.name for p in EXAMPLES_DIR.iterdir() if p.suffix in EXAMPLE_SUFFIXES)


def read_example(name: str) -> Scenario:
    """One bundled example, parsed (raises ScenarioError naming the file if it is broken)."""
    if name not in example_names():
        raise ScenarioError(name, [f"no such example; available: {', '.join(example_names())}"])
    return parse_scenario((EXAMPLES_DIR / name).read_text(encoding="utf-8"), f"examples/{name}")


def blank_scenario() -> Scenario:
    return Scenario.model_validate(BLANK_DOCUMENT)


def init_session() -> None:
    """On a session's first run: the workspace from the URL when there is one, else the default example."""
    if _DOCS in st.session_state:
        return
    token = st.query_params.get(SHARE_PARAM)
    workspace, notice = Workspace((read_example(DEFAULT_EXAMPLE),)), None
    if token:
        try:
            workspace = decode_workspace(token)
            notice = ("success", "Opened the scenario from the link." if len(workspace.scenarios) == 1 else
                      f"Opened the workspace from the link: {len(workspace.scenarios)} scenarios.")
        except ScenarioError as exc:
            notice = ("error", f"The link's scenarios could not be opened, so the example {DEFAULT_EXAMPLE} "
                               f"is shown instead: {shown(exc)}")
    set_workspace(workspace)
    if notice:
        notify(*notice)


def workspace() -> Workspace:
    """Every scenario of the session, and which one is open."""
    docs = st.session_state[_DOCS]
    return Workspace(tuple(Scenario.model_validate(d) for d in docs), st.session_state[_ACTIVE])


def current_scenario() -> Scenario:
    """The open (valid) scenario."""
    return Scenario.model_validate(current_document())


def current_document() -> dict[str, Any]:
    return st.session_state[_DOCS][st.session_state[_ACTIVE]]


def _drafts() -> dict[str, tuple[dict[str, Any], list[str]]]:
    return st.session_state.setdefault(_DRAFTS, {})


def editing_document() -> dict[str, Any]:
    """What the editor shows: the open scenario's rejected draft when there is one, else its document."""
    draft = _drafts().get(current_document()["name"])
    return draft[0] if draft else current_document()


def draft_problems() -> list[str]:
    """The problems of the open scenario's rejected draft (empty when its last edit was applied)."""
    draft = _drafts().get(current_document()["name"])
    return draft[1] if draft else []


def revision() -> int:
    return st.session_state.get(_REVISION, 0)


def _bump() -> None:
    st.session_state[_REVISION] = revision() + 1


def set_workspace(new: Workspace, notice: str = "") -> None:
    """Make ``new`` the session's workspace and restart the editors from its open scenario."""
    st.session_state[_DOCS] = [scenario_document(s) for s in new.scenarios]
    st.session_state[_ACTIVE] = new.active
    names = set(new.names)
    st.session_state[_DRAFTS] = {k: v for k, v in _drafts().items() if k in names}
    _bump()
    if notice:
        notify("success", notice)
    sync_url()


def set_scenario(scenario: Scenario, notice: str = "") -> None:
    """Replace the open scenario with ``scenario`` and drop its draft.

    Raises WorkspaceError (a ScenarioError) when its name is another scenario's.
    """
    replace_scenario(st.session_state[_ACTIVE], scenario, notice)


def replace_scenario(index: int, scenario: Scenario, notice: str = "") -> None:
    """Replace scenario ``index`` with ``scenario`` and drop its draft (WorkspaceError if the name is taken)."""
    old_name = st.session_state[_DOCS][index]["name"]
    new = workspace().replace(index, scenario)
    _drafts().pop(old_name, None)
    set_workspace(new, notice)


def add_scenario(scenario: Scenario, notice: str = "") -> None:
    """Add ``scenario`` to the workspace (renamed ``name 2`` if taken) and open it.

    Raises WorkspaceError when the workspace is full.
    """
    set_workspace(workspace().add(scenario), notice)


def open_scenario(index: int) -> None:
    """Open scenario ``index`` on the Compare, Workload and Analyse pages (its draft, if any, comes back)."""
    set_workspace(workspace().select(index))


def set_draft(document: dict[str, Any], problems: list[str]) -> None:
    """Keep a submitted edit that did not validate, with its problems; the open scenario stays as it was."""
    _drafts()[current_document()["name"]] = (document, problems)
    _bump()


def discard_draft() -> None:
    _drafts().pop(current_document()["name"], None)
    _bump()


def notify(kind: str, text: str) -> None:
    """Leave a message for the next run (``kind`` is ``success`` or ``error``), e.g. before ``st.rerun``."""
    st.session_state[_NOTICE] = (kind, text)


def pop_notice() -> tuple[str, str] | None:
    """A one-time message left for this run: ``("success" | "error", text)``, or None."""
    return st.session_state.pop(_NOTICE, None)


def sync_url() -> None:
    """Put the workspace in the URL (page switches clear query parameters)."""
    token = encode_workspace(workspace())
    if st.query_params.get(SHARE_PARAM) != token:
        st.query_params[SHARE_PARAM] = token
