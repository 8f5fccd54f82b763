"""Streamlit front end of the ECS vs EKS cost advisor (``make run``).

A thin layer: it reads widgets, calls library functions and renders what they return
(:mod:`presentation.result_views` shapes every table and figure).  This script sets the page up,
loads the prices, restores the session's workspace of scenarios (from the URL on a first
visit), draws the sidebar (which scenario is open, the display currency) and runs the page
chosen in the navigation; the pages are in ``app_pages/``.  ``ADVISOR_CACHE_DIR`` is read by
:func:`pricing.locations.default_cache_dir`, as for the command line.
"""

from __future__ import annotations

import streamlit as st

from app_pages import cached, session
from app_pages.basis import basis_picker
from app_pages.currency import currency_picker
from app_pages.scenarios import scenario_picker
from app_pages.shown import shown

TITLE = "ECS vs EKS cost advisor"
#: The browser-tab icon (an emoji: Streamlit draws it as an inline SVG, nothing is fetched).
PAGE_ICON = "⚖️"
PAGES = (
    st.Page("app_pages/compare.py", title="Compare", icon=":material/compare_arrows:", default=True),
    st.Page("app_pages/workload.py", title="Workload", icon=":material/edit_note:", url_path="workload"),
    st.Page("app_pages/workspace.py", title="Workspace", icon=":material/view_column:", url_path="workspace"),
    st.Page("app_pages/analyse.py", title="Analyse", icon=":material/insights:", url_path="analyse"),
    st.Page("app_pages/exchange.py", title="Import & export", icon=":material/swap_vert:", url_path="exchange"),
    st.Page("app_pages/prices.py", title="Prices", icon=":material/sell:", url_path="prices"),
)


def main() -> None:
    # A page icon of our own: without one, Streamlit makes each page's Material icon the browser-tab icon and
    # fetches it from fonts.gstatic.com; the app loads nothing from the internet.
    st.set_page_config(page_title=TITLE, page_icon=PAGE_ICON, layout="wide")
    st.sidebar.title(TITLE)
    try:
        book = cached.active_pricebook()
    except cached.LOAD_ERRORS as exc:
        st.error(f"The prices could not be loaded: {shown(exc)}. Reinstall the advisor to restore the bundled "
                 "snapshot, or run 'advisor prices refresh'.")
        return
    session.init_session()
    page = st.navigation(PAGES)
    scenario_picker()
    scenario = session.current_scenario()
    st.sidebar.caption(f"{shown(scenario.region)} · prices {book.prices_as_of(scenario.region)[:10] or 'unknown'} · "
                       f"{len(session.workspace().scenarios)} in the workspace")
    currency_picker()
    basis_picker()
    for warning in book.warnings:  # the prices fell back to the snapshot: say so, on every page, in one line
        st.warning(shown(" ".join(warning.split())), icon=":material/warning:")
    page.run()
    session.sync_url()


main()
