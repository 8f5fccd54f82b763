"""Page: every scenario of the workspace side by side: cost per platform, the cheapest, deltas, differences.

Each scenario is priced, and its ranges drawn, by the same cached library calls as the
Compare page (and as ``advisor compare`` on the workspace file), so the figures are the same
everywhere.  The comparison ranks by what the sidebar's basis switch chooses (the TCO, AWS
bill + engineer time, with its P10–P90 range and chance of being cheapest per platform; or
the AWS bill alone); every scenario is compared with the one chosen as the baseline.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from advisor.decision.tco import METRIC_WORDS, Metric, TcoResult
from advisor.errors import AdvisorError
from advisor.workload.scenario import Scenario
from app_pages import cached, notices, scenarios, session
from app_pages.autoscaling import autoscaling_warning
from app_pages.basis import selected_metric
from app_pages.shown import shown
from app_pages.tables import show_table
from presentation.comparison import (
    cheapest_frame,
    comparison_figure,
    comparison_frame,
    cost_matrix,
    delta_figure,
    delta_sentence,
    difference_sentences,
)
from presentation.labels import platform_label
from presentation.money import plural

#: Differences listed per scenario before "and N more".
MAX_DIFFERENCES_SHOWN = 15


def _priced(order: list[int]) -> list[tuple[int, TcoResult]]:
    """Each scenario's TCO (cached), in ``order``; a scenario the model cannot price is an error in words."""
    ws, book = session.workspace(), cached.active_pricebook()
    out = []
    for index in order:
        try:
            out.append((index, cached.scenario_tco(ws.scenarios[index], book)))
        except AdvisorError as exc:
            st.error(f"**{shown(ws.names[index])}** cannot be priced: {shown(exc)}. Open it on the Workload page "
                     "to change it.")
    return out


def _replacer(index: int) -> Callable[[Scenario, str], None]:
    """Replace scenario ``index`` (a schedule was chosen for it) and show the new figures."""
    def replace(scenario: Scenario, notice: str) -> None:
        session.replace_scenario(index, scenario, notice)
        st.rerun()
    return replace


def _differences(results: list[TcoResult]) -> None:
    first = results[0].scenario
    st.subheader(f"What differs from {shown(first.name)}")
    for result in results[1:]:
        sentences = difference_sentences(first, result.scenario)
        listed = [shown(s) for s in sentences[:MAX_DIFFERENCES_SHOWN]]
        hidden = len(sentences) - len(listed)
        more = [f"… and {plural(hidden, 'more difference')}"] if hidden else []
        body = "\n".join(f"- {s}" for s in [*listed, *more]) or "- nothing: the inputs are the same"
        st.markdown(f"**{shown(result.scenario.name)}**\n{body}")


def _comparison(results: list[TcoResult], metric: Metric) -> None:
    labels = [r.scenario.name for r in results]
    book = cached.active_pricebook()
    ranges = [cached.scenario_ranges(r.scenario, book, metric.value) for r in results]
    frame = comparison_frame(results, labels, metric, ranges)
    cheapest = cheapest_frame(results, labels, metric, ranges)
    st.subheader("The cheapest platform of each scenario")
    if metric is Metric.AWS:
        st.caption("Compared on the AWS bill alone (the sidebar's switch): engineer time is not counted, and "
                   "nothing uncertain moves a bill, so there are no ranges.")
    else:
        st.caption(f"{METRIC_WORDS[metric]}, at the most likely values; P10–P90 and the chance of being cheapest "
                   f"over {ranges[0].description}, as on the Compare page.")
    show_table(cheapest, "workspace_cheapest")
    lines = [delta_sentence(row.scenario, labels[0], row.vs_first_monthly_usd)
             for row in cheapest.itertuples(index=False)
             if row.scenario != labels[0] and pd.notna(row.vs_first_monthly_usd)]
    if lines:
        st.markdown("\n".join(f"- {line} (each at its cheapest platform)" for line in lines))
    st.plotly_chart(comparison_figure(frame, metric), key="workspace_chart")
    matrix = cost_matrix(frame)
    show_table(matrix, "workspace_matrix", column_config={
        c: platform_label(c.removesuffix("_usd")) for c in matrix.columns if c != "scenario"})
    if len(results) > 1:
        st.plotly_chart(delta_figure(frame, labels[0]), key="workspace_deltas")
    with st.expander("Every scenario × platform: monthly, annual, range and the difference from the baseline"):
        show_table(frame.drop(columns=["platform"]), "workspace_all")


def main() -> None:
    notices.show_notice()
    ws = session.workspace()
    st.header(f"Workspace: {plural(len(ws.scenarios), 'scenario')}")
    st.caption("Start from an example or a blank workload, or open or import one on the Import & export page; "
               "duplicate a scenario and change it (on Graviton, with a 3-year Savings Plan, sharing a cluster) "
               "to see what the change is worth. The link in the address bar and the workspace file carry them all.")
    scenarios.manage()
    metric = selected_metric()
    baseline = st.columns(2)[0].selectbox("Against", range(len(ws.scenarios)), format_func=ws.names.__getitem__,
                                          key="workspace_baseline",
                                          help="The scenario every other one is compared with")
    baseline = baseline if baseline is not None and baseline < len(ws.scenarios) else 0
    order = [baseline, *(i for i in range(len(ws.scenarios)) if i != baseline)]
    priced = _priced(order)
    for index, result in priced:
        autoscaling_warning(result.scenario, f"workspace_{index}", _replacer(index))
    results = [r for _, r in priced if r.platforms]
    if not results:
        return
    _comparison(results, metric)
    if len(results) > 1:
        _differences(results)


main()
