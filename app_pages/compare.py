"""Page: every platform side by side: cost cards with their ranges, the recommendation, the breakdown, the details.

Everything shown comes from :mod:`presentation.result_views` and :mod:`presentation.uncertainty_views`
over the cached TCO result of the current scenario (AWS bill + engineer time) and its
recommendation, whose ranges draw the operations ranges on the bill already priced (milliseconds).
The sidebar's basis switch compares TCO or the AWS bill alone; a scenario the model cannot
price shows the model's message, in words.
"""

from __future__ import annotations

import streamlit as st

from advisor.decision.recommend import Recommendation
from advisor.decision.tco import Metric, TcoResult
from advisor.errors import AdvisorError
from advisor.workload.scenario import Platform, Scenario
from app_pages import cached, notices, session
from app_pages.autoscaling import autoscaling_warning
from app_pages.basis import selected_metric
from app_pages.currency import selected_currency
from app_pages.shown import shown
from app_pages.tables import show_table
from presentation.labels import PLATFORM_LABELS
from presentation.money import (
    DisplayCurrency,
    format_converted,
    format_money,
    format_signed_usd,
    plural,
    with_converted,
)
from presentation.result_views import (
    complexity_items_view,
    complexity_view,
    cost_breakdown_figure,
    extended_support_view,
    line_items_view,
    operations_view,
    placements_view,
    platform_summary,
)
from presentation.uncertainty_views import basis_statement, ranges_figure, ranges_view

#: Platform cards per row on the Compare page: three keep a five-figure total and its delta whole.
CARDS_PER_ROW = 3


def _cards(result: TcoResult, rec: Recommendation, currency: DisplayCurrency | None) -> None:
    metric = rec.metric
    summary = platform_summary(result, metric)
    # Rows of CARDS_PER_ROW: six cards in one row cut the totals short ("$2,5…" at 1,400 px).
    rows = -(-max(len(summary), 1) // CARDS_PER_ROW)
    columns = [column for _ in range(rows) for column in st.columns(CARDS_PER_ROW)]
    lowest = "lowest AWS bill" if metric is Metric.AWS else "lowest TCO"
    rate = result.operations.engineer_rate_usd_per_hour
    for column, row in zip(columns, summary.itertuples(index=False), strict=False):
        first = row.vs_cheapest_usd == 0
        delta = lowest if first else f"{format_signed_usd(row.vs_cheapest_usd)} (+{row.vs_cheapest_pct:.0f}%)"
        amount = row.aws_monthly_usd if metric is Metric.AWS else row.tco_monthly_usd
        drawn = rec.ranges.of(Platform(row.platform)) if rec.ranges.drawn else None
        with column.container(border=True):
            st.metric(row.label, format_money(amount), delta=delta,
                      delta_color="off" if first else "inverse", delta_arrow="off" if first else "auto",
                      help="The AWS bill per month (730 hours)" if metric is Metric.AWS else
                      "TCO per month: the AWS bill (730 hours) plus the engineer time to operate it")
            lines = [f"AWS bill {format_money(row.aws_monthly_usd)} + engineer time "
                     f"{format_money(row.operations_monthly_usd)} ({row.operations_share_pct:.0f}% of TCO)",
                     f"{row.operations_hours_per_month:.1f} engineer-h/month at ${rate:g}/h ({row.fte:.2f} FTE) · "
                     f"complexity {row.complexity:g}"]
            if drawn is not None:
                lines.append(f"P10–P90 {format_money(drawn.p10_usd, digits=0)}–{format_money(drawn.p90_usd, digits=0)}"
                             f" · cheapest in {100 * drawn.probability_cheapest:.0f}% of draws")
            lines.append(f"{format_money(row.tco_annual_usd, digits=0)} TCO per year")
            if currency is not None:
                lines.append(f"{format_converted(amount, currency)} per month")
            st.caption("  \n".join(lines))
    for missing in result.unavailable:
        st.warning(f"**{PLATFORM_LABELS[missing.platform]}** cannot run this workload: {shown(missing.reason)}")


def _recommendation(rec: Recommendation) -> None:
    st.subheader("Recommendation")
    if rec.choice is None:
        st.warning(shown(rec.reasons[0]))
        return
    st.success(f"**{PLATFORM_LABELS[rec.choice]}** · confidence **{rec.confidence.value}**: "
               f"{shown(rec.confidence_reason)}.  \n{shown(rec.reasons[0])}")
    st.markdown("\n".join(f"- {shown(reason)}" for reason in rec.reasons[1:]))
    if rec.break_evens:
        st.markdown("**What would change it**\n" + "\n".join(f"- {shown(b.explanation)}" for b in rec.break_evens))
    with st.expander(f"Caveats ({len(rec.caveats)})"):
        st.markdown("\n".join(f"- {shown(caveat)}" for caveat in rec.caveats))


def _ranges(result: TcoResult, rec: Recommendation) -> None:
    if not rec.ranges.drawn or not rec.ranges.ranges:
        return
    st.subheader("How sure: cost ranges")
    st.caption(f"Each platform over {rec.ranges.description}: every activity's hours and frequency between its "
               "low and high end (a shared team factor moves all hours together), the AWS bill as priced. "
               "The diamond is the sum at the most likely values. The Analyse page ranks which of these "
               "ranges decide the recommendation, and draws your own inputs too.")
    st.plotly_chart(ranges_figure(rec.ranges, result), key="ranges_chart")
    show_table(ranges_view(rec.ranges, result).drop(columns=["platform"]), "ranges_table",
               column_config={"label": "Platform"})


def _details(result: TcoResult, currency: DisplayCurrency | None) -> None:
    st.subheader("Line items and operations")
    st.caption("Every AWS amount is quantity × unit price; the reference is the Price List SKU (or the named "
               "assumption) with its publication date.  Operations are engineer-hours × your rate, each activity "
               "tagged sourced, derived or assumption, with its sources (numbered as in the overhead sources doc).")
    ranked = result.ranked(selected_metric())
    # Only the open tab's tables are made (each costs Streamlit 6-10 ms to marshal and the browser a grid);
    # choosing another tab reruns the page on the cached result.
    tabs = st.tabs([PLATFORM_LABELS[p.platform] for p in ranked], key="details_platform", on_change="rerun")
    for tab, row in zip(tabs, ranked, strict=True):
        if not tab.open:
            continue
        with tab:
            items = with_converted(line_items_view(result.estimate, row.platform), ["monthly_usd"], currency)
            show_table(items, f"items_{row.platform.value}", currency=currency)
            for warning in row.aws.warnings:
                st.warning(shown(warning))
            if row.aws.assumptions:
                with st.expander(f"{len(row.aws.assumptions)} assumptions behind these amounts"):
                    st.markdown("\n".join(f"- {shown(a)}" for a in row.aws.assumptions))
            work = row.operations
            st.markdown(f"**Engineer time** · {work.monthly_hours:.1f} h/month ({work.fixed_monthly_hours:.1f} fixed "
                        f"+ {work.per_node_monthly_hours:.1f} for {plural(work.nodes, 'node')}) at "
                        f"{shown(f'${work.usd_per_hour:g}/h')} = "
                        f"{shown(format_money(row.operations_monthly_usd, currency))}")
            ops = with_converted(operations_view(result, row.platform), ["monthly_usd"], currency)
            show_table(ops, f"operations_{row.platform.value}", currency=currency)


def _placements(result: TcoResult, currency: DisplayCurrency | None) -> None:
    frame = placements_view(result.estimate)
    if frame.empty:
        return
    st.subheader("Placement on EC2 nodes")
    st.caption("The cheapest mix of instance types found for each environment and phase (peak / off-peak). "
               "Small workloads are solved exactly (optimal); larger ones show their cost against a proven "
               "lower bound. Idle cost is the unrequested share of the binding resource.")
    show_table(with_converted(frame, ["idle_usd_per_month"], currency), "placements", currency=currency,
               column_config={"optimal": st.column_config.CheckboxColumn(
                   "Optimal", help="Proven optimal: solved exactly, so its cost equals the lower bound")})


def _complexity(result: TcoResult) -> None:
    # Closed expanders make no tables; opening one reruns the page on the cached result.
    owned = st.expander("Complexity: what the team owns, learns and must upgrade", key="complexity_open",
                        on_change="rerun")
    if owned.open:
        with owned:
            show_table(complexity_view(result), "complexity")
            show_table(complexity_items_view(result), "complexity_items")
    trades = extended_support_view(result)
    if not trades.empty:
        lifecycle = st.expander("EKS version lifecycle: extended-support fees against deferred upgrade work",
                                key="lifecycle_open", on_change="rerun")
        if lifecycle.open:
            with lifecycle:
                show_table(trades, "extended_support")


def _context(scenario: Scenario, result: TcoResult | None, book_label: str) -> None:
    ops = scenario.operations
    st.caption(f"{shown(scenario.region)} · {plural(len(scenario.services), 'service')}, "
               f"{plural(len(scenario.jobs), 'job')}, {plural(len(scenario.environments), 'environment')} · "
               f"{shown(book_label)} · operations at \\${ops.engineer_rate_usd_per_hour:g}/h, team of {ops.team_size}, "
               f"{ops.overhead_level.value} overhead"
               + (f" · {plural(result.clusters, 'cluster')} per platform" if result else ""))


def _apply_schedule(scenario: Scenario, notice: str) -> None:
    session.set_scenario(scenario, notice)
    st.rerun()


def main() -> None:
    notices.show_notice()
    scenario = session.current_scenario()
    book = cached.active_pricebook()
    st.header(f"Compare: {shown(scenario.name)}")
    book_label = f"prices as of {book.prices_as_of(scenario.region)[:10] or 'unknown'} ({book.origin})"
    try:
        result = cached.scenario_tco(scenario, book)
    except AdvisorError as exc:
        _context(scenario, None, book_label)
        st.error(f"This scenario cannot be priced: {shown(exc)}. Change it on the Workload page.")
        return
    _context(scenario, result, book_label)
    notices.show_price_age(result.estimate)
    autoscaling_warning(scenario, "compare", _apply_schedule)
    metric = selected_metric()
    st.info(basis_statement(result, metric))
    rec = cached.scenario_recommendation(scenario, book, metric.value)
    currency = selected_currency()
    _cards(result, rec, currency)
    if not result.platforms:
        return
    _recommendation(rec)
    _ranges(result, rec)
    st.plotly_chart(cost_breakdown_figure(result, metric), key="breakdown")
    _details(result, currency)
    _placements(result, currency)
    _complexity(result)


main()
