"""Page: describe the open scenario's workload, with its totals per platform beside the editor.

All inputs sit in one form, so editing a cell does not rerun anything; "Apply changes"
validates the whole scenario.  A valid one replaces the open scenario (the totals beside
the editor, the other pages and the URL follow); an invalid one is kept as a draft and every
problem is shown, in words, under the table or field it concerns, while the totals stay on
the last valid scenario.
"""

from __future__ import annotations

import json
from typing import Any

import streamlit as st

from advisor.workload.catalog import PriceCatalog
from advisor.workload.spec_io import ScenarioError, parse_scenario
from app_pages import cached, notices, session, settings
from app_pages.editors import table_editor
from app_pages.live_totals import live_totals
from app_pages.shown import shown
from presentation.money import plural
from presentation.workload_tables import apply_editor_tables, editor_tables, locate_problem

BLANK = "blank workload"
#: The form's tabs: (label, sections whose problems it shows).
_TABS = (
    ("Services", ("services",)),
    ("Jobs", ("jobs",)),
    ("Environments & daemons", ("environments", "daemons")),
    ("Traffic", ("traffic", "load_balancers")),
    ("Purchase & EC2", ("purchase", "ec2")),
    ("Operations", ("operations", "overrides")),
    ("Assumptions", ("assumptions",)),
)


def _start_from() -> None:
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    choice = left.selectbox("Start from", [*session.example_names(), BLANK], index=None, key="start_from",
                            placeholder="an example, or a blank workload",
                            help="Replaces the open scenario; to keep it, add a new scenario on the Workspace page "
                                 "instead.")
    if not right.button("Load", key="load_example", disabled=choice is None) or choice is None:
        return
    try:
        session.set_scenario(session.blank_scenario() if choice == BLANK else session.read_example(choice),
                             notice=f"Loaded {shown(choice)}.")
    except ScenarioError as exc:  # a broken example, or its name is another scenario's
        st.error(shown(exc))
        return
    st.rerun()


def _tab_label(label: str, sections: tuple[str, ...], problems: list[str]) -> str:
    count = sum(1 for p in problems if locate_problem(p)[0] in sections)
    return f"{label} ⚠ {count}" if count else label


def _form(doc: dict[str, Any], problems: list[str], revision: int) -> dict[str, Any] | None:
    """The form; returns the submitted document (not yet validated), or None until submitted."""
    tables = editor_tables(doc)
    with st.form("workload", border=False):
        basics = settings.basics(doc, cached.active_pricebook().regions, revision)
        for section in ("name", "description", "region", "platforms", ""):
            notices.show_problems(problems, section, doc)
        tabs = st.tabs([_tab_label(label, sections, problems) for label, sections in _TABS])
        edited = {}
        with tabs[0]:
            edited["services"] = table_editor("services", tables["services"], revision)
            notices.show_problems(problems, "services", doc)
        with tabs[1]:
            edited["jobs"] = table_editor("jobs", tables["jobs"], revision)
            notices.show_problems(problems, "jobs", doc)
        with tabs[2]:
            st.markdown("**Environments** (each its own cluster unless shared)")
            edited["environments"] = table_editor("environments", tables["environments"], revision)
            notices.show_problems(problems, "environments", doc)
            st.markdown("**Daemons**: per-node agents (DaemonSets, ECS daemon tasks)")
            edited["daemons"] = table_editor("daemons", tables["daemons"], revision)
            notices.show_problems(problems, "daemons", doc)
        with tabs[3]:
            traffic = settings.traffic(doc, revision)
            notices.show_problems(problems, "traffic", doc)
            st.markdown("**Load balancers**")
            edited["load_balancers"] = table_editor("load_balancers", tables["load_balancers"], revision)
            notices.show_problems(problems, "load_balancers", doc)
        with tabs[4]:
            purchase = settings.purchase(doc, revision)
            notices.show_problems(problems, "purchase", doc)
            ec2 = settings.ec2(doc, revision)
            notices.show_problems(problems, "ec2", doc)
        with tabs[5]:
            operations = settings.operations(doc, revision)
            notices.show_problems(problems, "operations", doc)
            st.markdown("**Your own numbers** for an activity (blank cells keep the default; the Compare page "
                        "lists every activity with its default, tag and reason)")
            edited["overrides"] = table_editor("overrides", tables["overrides"], revision)
            notices.show_problems(problems, "overrides", doc)
        with tabs[6]:
            assumptions = settings.assumptions(doc, revision)
            notices.show_problems(problems, "assumptions", doc)
        # Streamlit's table editor hands a cell's edit to the form 150 ms after it ends (a debounce
        # in its frontend): a click on Apply sooner sends the form without that edit.
        st.caption("Finish a table cell with Enter or Tab before applying: a cell still being typed in is not sent.")
        if not st.form_submit_button("Apply changes", type="primary", key="apply"):
            return None
    base = {**doc, **basics, "traffic": traffic, "purchase": purchase, "ec2": ec2, "operations": operations,
            "assumptions": assumptions}
    return apply_editor_tables(base, edited)


def _apply(document: dict[str, Any]) -> None:
    book = cached.active_pricebook()
    try:
        session.set_scenario(parse_scenario(json.dumps(document), "workload",
                                            PriceCatalog(book.regions, book.instance_types())),
                             notice="Changes applied: the totals beside the editor are the new ones.")
    except ScenarioError as exc:  # the model's problems, a Region or type the prices lack, or a name taken
        session.set_draft(document, exc.problems)
    st.rerun()


def main() -> None:
    st.header(f"Workload: {shown(session.current_scenario().name)}")
    notices.show_notice()
    editor, totals = st.columns([3, 1], gap="medium")
    with totals:
        live_totals(session.current_scenario(), cached.active_pricebook())
    with editor:
        _start_from()
        problems = session.draft_problems()
        if problems:
            st.error(f"Your last change was not applied: {plural(len(problems), 'problem')}, shown next to their "
                     "fields below. The totals still show the last valid scenario.")
            if st.button("Discard my changes", key="discard"):
                session.discard_draft()
                st.rerun()
        submitted = _form(session.editing_document(), problems, session.revision())
    if submitted is not None:
        _apply(submitted)


main()
