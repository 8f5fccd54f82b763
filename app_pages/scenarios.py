"""Component: the workspace's scenarios: which one is open (sidebar), and adding, duplicating, renaming, deleting.

Every action goes through :mod:`app_pages.session` (pure workspace operations underneath),
so a name already taken or a full workspace is an error in words and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from advisor.workload.spec_io import ScenarioError
from app_pages import session
from app_pages.shown import shown

BLANK = "blank workload"
#: What an opened file or an import does to the workspace (the Import & export page offers these).
ADD = "Add to the workspace"
REPLACE_OPEN = "Replace the open scenario"
REPLACE_ALL = "Replace the whole workspace"
KEEP_SETTINGS = ("Replace the open scenario's services, jobs and daemons; keep its region, traffic, purchase "
                  "and operations")


def scenario_picker() -> None:
    """The sidebar's choice of the open scenario (the Compare, Workload and Analyse pages show it)."""
    ws = session.workspace()
    choice = st.sidebar.selectbox(
        "Open scenario", range(len(ws.scenarios)), index=ws.active, format_func=ws.names.__getitem__,
        key=f"open_scenario_{session.revision()}",
        help="The Compare, Workload and Analyse pages show this scenario; the Workspace page compares them all.")
    if choice != ws.active:
        session.open_scenario(choice)
        st.rerun()


def _act(action: str, run: Callable[[], None]) -> None:
    """Run a workspace action (a callable); its error, in words, changes nothing."""
    try:
        run()
    except ScenarioError as exc:
        st.error(f"Could not {action}: " + shown("; ".join(exc.problems)))
        return
    st.rerun()


def manage() -> None:
    """Add a scenario from an example or a blank workload; duplicate, rename or delete the open one."""
    ws = session.workspace()
    current = ws.current
    add, copy, rename, delete = st.columns(4, vertical_alignment="bottom")
    choice = add.selectbox("Add a scenario from", [*session.example_names(), BLANK], index=None, key="add_from",
                           placeholder="an example or a blank workload")
    if add.button("Add", key="add_scenario", disabled=choice is None) and choice is not None:
        _act("add it", lambda: session.add_scenario(
            session.blank_scenario() if choice == BLANK else session.read_example(choice),
            notice=f"Added {shown(choice)}: it is open on the Workload page."))
    copy_name = copy.text_input("Name of the copy", ws.free_name(current.name), key=f"copy_name_{session.revision()}")
    if copy.button(f"Duplicate {shown(current.name)}", key="duplicate", icon=":material/content_copy:"):
        _act("duplicate it", lambda: session.set_workspace(
            ws.duplicate(ws.active, copy_name.strip() or None),
            notice=f"Duplicated {shown(current.name)}: change the copy on the Workload page."))
    new_name = rename.text_input("Rename the open scenario", current.name, key=f"rename_{session.revision()}")
    if rename.button("Rename", key="rename", disabled=new_name.strip() == current.name):
        renamed = f"Renamed {shown(current.name)} to {shown(new_name.strip())}."
        _act("rename it", lambda: session.set_workspace(ws.rename(ws.active, new_name), notice=renamed))
    if delete.button(f"Delete {shown(current.name)}", key="delete", icon=":material/delete:",
                     disabled=len(ws.scenarios) == 1, help="The last scenario cannot be deleted."):
        _act("delete it", lambda: session.set_workspace(ws.delete(ws.active), notice=f"Deleted {shown(current.name)}."))
