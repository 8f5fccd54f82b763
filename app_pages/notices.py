"""Component: problems and one-time notices, shown in words where they belong."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from advisor.costs.estimate import ScenarioEstimate
from app_pages import session
from app_pages.shown import shown
from presentation.price_age import estimate_notice
from presentation.workload_tables import locate_problem


def show_problems(problems: Sequence[str], section: str, doc: Mapping[str, Any]) -> None:
    """One ``st.error`` per problem of ``section`` (``""``: those that name no section) of ``doc``."""
    for problem in problems:
        where, text = locate_problem(problem, doc)
        if where == section:
            st.error(shown(text))


def show_price_age(result: ScenarioEstimate) -> None:
    """A warning when prices this estimate used are older than 90 days, with the refresh command."""
    notice = estimate_notice([result], datetime.now(UTC))
    if notice:
        st.warning(notice[:1].upper() + notice[1:], icon=":material/history:")


def show_notice() -> None:
    """The message the previous action left for this run (a loaded file, a refreshed price list).

    Notices are Markdown written where they are left, with what came from outside already
    passed through :func:`app_pages.shown.shown`.
    """
    notice = session.pop_notice()
    if notice is None:
        return
    kind, text = notice
    (st.error if kind == "error" else st.success)(text)
