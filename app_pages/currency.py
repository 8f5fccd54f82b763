"""Sidebar component: an optional display currency at the user's own exchange rate.

Amounts are always in USD (the Price List's currency); with a currency set, pages show
the converted amount next to them and reports add a converted column.  The choice is
part of the URL (``currency`` and ``rate``), so a shared link shows the same amounts.
"""

from __future__ import annotations

import streamlit as st

from advisor.errors import AdvisorError
from reports.currency import CURRENCY_SYMBOLS, Currency, make_currency

USD_ONLY = "USD only"
#: The currencies offered: those with a known symbol, USD aside (amounts are USD already).
CHOICES = tuple(code for code in CURRENCY_SYMBOLS if code != "USD")
CURRENCY_PARAM = "currency"
RATE_PARAM = "rate"
_CODE_KEY = "display_currency"


def _rate_key(code: str) -> str:
    return f"exchange_rate_{code}"


def _from_url() -> None:
    """On a session's first run, take the currency and rate from the URL when both are valid."""
    if _CODE_KEY in st.session_state:
        return
    code, rate = st.query_params.get(CURRENCY_PARAM), st.query_params.get(RATE_PARAM)
    if code not in CHOICES or not rate:
        return
    try:
        st.session_state[_rate_key(code)] = make_currency(code, float(rate)).usd_rate
    except (AdvisorError, ValueError):
        return  # a hand-edited link: start in USD, the picker is there
    st.session_state[_CODE_KEY] = code


def currency_picker() -> None:
    """The sidebar widgets; read the choice anywhere with :func:`selected_currency`."""
    _from_url()
    code = st.sidebar.selectbox("Display currency", [USD_ONLY, *CHOICES], key=_CODE_KEY,
                                help="Amounts stay in USD, the currency of AWS prices; a second currency "
                                     "is shown next to them at the rate you enter.")
    if code == USD_ONLY:
        for param in (CURRENCY_PARAM, RATE_PARAM):
            st.query_params.pop(param, None)
        return
    st.sidebar.number_input(f"Exchange rate: {code} per 1 USD", value=None, key=_rate_key(code), format="%g",
                            placeholder="your rate, e.g. from your finance team",
                            help="Your own rate: the advisor never fetches exchange rates.")
    try:
        currency = _chosen()
    except AdvisorError as exc:
        st.sidebar.error(str(exc))
        return
    if currency is None:
        st.sidebar.info(f"Enter how many {code} one US dollar buys to see amounts in {code}.")
        return
    st.sidebar.caption(f"{currency.rate_text} (your rate)")
    st.query_params[CURRENCY_PARAM] = currency.code
    st.query_params[RATE_PARAM] = f"{currency.usd_rate:.12g}"


def selected_currency() -> Currency | None:
    """The display currency chosen in the sidebar, or None (USD only, no rate yet, or a bad rate)."""
    try:
        return _chosen()
    except AdvisorError:
        return None  # the sidebar shows the error next to the rate


def _chosen() -> Currency | None:
    code = st.session_state.get(_CODE_KEY, USD_ONLY)
    rate = st.session_state.get(_rate_key(code)) if code != USD_ONLY else None
    return None if rate is None else make_currency(code, float(rate))
