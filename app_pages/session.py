"""The scenario document in session state: the user's input, never lost, always shareable.

Session state holds the *inputs* (results come from the cache):

- the current scenario document, always valid (results are computed from it);
- a draft: the last submitted edit that did not validate, with its problems, so the
  editor shows the user's own values next to the errors instead of discarding them;
- a revision number, bumped whenever the document is replaced, which is part of the
  editor widgets' keys so they start again from the new document.

The current scenario is mirrored into the page URL (:mod:`app_pages.share`) on every
run, so the address bar is always a link that reproduces the view.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit as st

from advisor.workload.scenario import Scenario
from advisor.workload.spec_io import ScenarioError, parse_scenario, scenario_document
from app_pages.share import SHARE_PARAM, decode_scenario, encode_scenario
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

_DOC = "scenario_document"
_DRAFT = "scenario_draft"
_PROBLEMS = "scenario_problems"
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
    """On a session's first run: the scenario from the URL when there is one, else the default example."""
    if _DOC in st.session_state:
        return
    token = st.query_params.get(SHARE_PARAM)
    scenario, notice = read_example(DEFAULT_EXAMPLE), None
    if token:
        try:
            scenario, notice = decode_scenario(token), ("success", "Opened the scenario from the link.")
        except ScenarioError as exc:
            notice = ("error", f"The link's scenario could not be opened, so the example {DEFAULT_EXAMPLE} "
                               f"is shown instead: {shown(exc)}")
    set_scenario(scenario)
    if notice:
        notify(*notice)


def current_scenario() -> Scenario:
    """The current (valid) scenario."""
    return Scenario.model_validate(st.session_state[_DOC])


def current_document() -> dict[str, Any]:
    return st.session_state[_DOC]


def editing_document() -> dict[str, Any]:
    """What the editor shows: the rejected draft when there is one, else the current document."""
    return st.session_state.get(_DRAFT) or st.session_state[_DOC]


def draft_problems() -> list[str]:
    """The problems of the rejected draft (empty when the last edit was applied)."""
    return st.session_state.get(_PROBLEMS, [])


def revision() -> int:
    return st.session_state.get(_REVISION, 0)


def set_scenario(scenario: Scenario, notice: str = "") -> None:
    """Make ``scenario`` current, drop any draft, and restart the editors from it."""
    st.session_state[_DOC] = scenario_document(scenario)
    st.session_state.pop(_DRAFT, None)
    st.session_state.pop(_PROBLEMS, None)
    st.session_state[_REVISION] = revision() + 1
    if notice:
        notify("success", notice)
    sync_url()


def set_draft(document: dict[str, Any], problems: list[str]) -> None:
    """Keep a submitted edit that did not validate, with its problems; the current scenario stays."""
    st.session_state[_DRAFT] = document
    st.session_state[_PROBLEMS] = problems
    st.session_state[_REVISION] = revision() + 1


def discard_draft() -> None:
    set_scenario(current_scenario())


def notify(kind: str, text: str) -> None:
    """Leave a message for the next run (``kind`` is ``success`` or ``error``), e.g. before ``st.rerun``."""
    st.session_state[_NOTICE] = (kind, text)


def pop_notice() -> tuple[str, str] | None:
    """A one-time message left for this run: ``("success" | "error", text)``, or None."""
    return st.session_state.pop(_NOTICE, None)


def sync_url() -> None:
    """Put the current scenario in the URL (page switches clear query parameters)."""
    token = encode_scenario(current_scenario())
    if st.query_params.get(SHARE_PARAM) != token:
        st.query_params[SHARE_PARAM] = token
