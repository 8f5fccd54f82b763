"""Sidebar component: compare TCO (AWS bill + engineer time) or the AWS bill alone.

One switch for every page: the Compare page ranks by it and the Analyse page starts from
it.  The choice is part of the URL (``basis=bill``; TCO, the default, leaves it out), so a
shared link compares the same thing.
"""

from __future__ import annotations

import streamlit as st

from advisor.decision.tco import DEFAULT_METRIC, Metric

BASIS_PARAM = "basis"
#: URL value of the bill-only basis.
BILL = "bill"
_KEY = "comparison_basis"
#: The choice under a plain key.  At a page switch Streamlit drops the state of widgets the browser did not
#: report with it, and the switch clears the URL's parameters: a session opened from a bill-only link came
#: back to TCO on its next page (the browser test saw it under load).  This copy survives and gives the
#: switch its value back.
_CHOICE = "comparison_basis_choice"
CHOICES = {Metric.TCO.value: "TCO: AWS bill + engineer time", Metric.AWS.value: "AWS bill only"}


def _from_url() -> None:
    """On a session's first run, take the basis from the URL (anything but ``bill`` means TCO); on any run,
    give the switch back the session's choice when Streamlit dropped its state."""
    if _CHOICE not in st.session_state:
        st.session_state[_CHOICE] = (Metric.AWS.value if st.query_params.get(BASIS_PARAM) == BILL
                                     else DEFAULT_METRIC.value)
    if _KEY not in st.session_state:
        st.session_state[_KEY] = st.session_state[_CHOICE]


def basis_picker() -> None:
    """The sidebar switch; read the choice anywhere with :func:`selected_metric`."""
    _from_url()
    choice = st.sidebar.radio("Compare on", list(CHOICES), format_func=CHOICES.__getitem__, key=_KEY,
                              help="TCO adds the engineer time each platform needs (hours × your rate) to its AWS "
                                   "bill; 'AWS bill only' compares what AWS charges, as a pricing calculator does.")
    st.session_state[_CHOICE] = choice
    if choice == Metric.AWS.value:
        st.query_params[BASIS_PARAM] = BILL
    else:
        st.query_params.pop(BASIS_PARAM, None)


def selected_metric() -> Metric:
    """What the pages compare: ``Metric.TCO`` or ``Metric.AWS``."""
    return Metric(st.session_state.get(_CHOICE, DEFAULT_METRIC.value))
