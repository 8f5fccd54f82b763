"""Component: the open scenario's totals per platform, beside the editor, and the costs defaults decided.

Drawn from the cached TCO of the applied scenario, so each applied change shows its new
totals on the Workload page itself, on the basis the sidebar's switch chooses (TCO, or the
AWS bill alone).  Defaulted costs (money no field the user typed asked
for, such as one NAT gateway per Availability Zone) are lines with a switch to turn them off.
"""

from __future__ import annotations

import streamlit as st

from advisor.costs.defaults import defaulted_costs
from advisor.decision.tco import METRIC_WORDS
from advisor.errors import AdvisorError
from advisor.workload.scenario import Scenario
from app_pages import cached, session
from app_pages.basis import selected_metric
from app_pages.shown import shown
from presentation.labels import platform_label
from presentation.money import format_signed_usd, format_usd
from pricing.pricebook import PriceBook


def _switch_off(scenario: Scenario, field: str, value: int) -> None:
    section, key = field.split(".")
    part = getattr(scenario, section).model_copy(update={key: value})
    session.set_scenario(scenario.model_copy(update={section: part}),
                         notice=f"Switched off: {field} is now {value}. Set it on the Traffic tab to bring it back.")


def _defaults(scenario: Scenario, book: PriceBook) -> None:
    found = defaulted_costs(scenario, book)
    if not found:
        return
    st.markdown("**Costs you did not type**")
    for cost in found:
        with st.container(border=True):
            st.markdown(f"{cost.what}: **{format_usd(cost.monthly_usd)}/month** on every platform")
            st.caption(f"{cost.formula}; `{cost.field}` is blank, so the default applies.")
            if not st.toggle("Keep them", value=True, key=f"keep_{cost.field}_{session.revision()}"):
                _switch_off(scenario, cost.field, cost.off_value)
                st.rerun()


def live_totals(scenario: Scenario, book: PriceBook) -> None:
    """Monthly cost per platform of ``scenario`` on the chosen basis, cheapest first, with the gap to the cheapest."""
    metric = selected_metric()
    st.markdown(f"**{shown(scenario.name)}: {METRIC_WORDS[metric]} per month**")
    try:
        result = cached.scenario_tco(scenario, book)
    except AdvisorError as exc:
        st.error(f"Cannot be priced: {shown(exc)}")
        return
    first = None
    for p in result.ranked(metric):
        cost = p.monthly_usd(metric)
        first = cost if first is None else first
        delta = "cheapest" if cost == first else format_signed_usd(cost - first)
        st.metric(platform_label(p.platform), format_usd(cost), delta=delta, delta_color="off" if cost == first
                  else "inverse", delta_arrow="off" if cost == first else "auto",
                  help=f"AWS bill {format_usd(p.aws_monthly_usd)} + operations {format_usd(p.operations_monthly_usd)}")
    for missing in result.unavailable:
        st.caption(f"{platform_label(missing.platform)}: cannot run it ({shown(missing.reason)})")
    _defaults(scenario, book)
