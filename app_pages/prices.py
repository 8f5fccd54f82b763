"""Page: which prices are in force, how old they are, the known gaps, a price table, and refresh.

A refresh fetches from AWS into the per-user cache with progress shown as it goes; a
failed one changes nothing (``pricing.refresh`` is all or nothing) and the page says
why and which prices stay in force.  It is offered only where the operator allows it
(:mod:`app_pages.operator`).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from advisor.workload.catalog import PriceCatalog, instance_type_problem
from app_pages import cached, notices, session
from app_pages.operator import REFRESH_VARIABLE, refresh_allowed
from app_pages.shown import shown
from app_pages.tables import show_table
from presentation.price_age import status_region_rows, status_with_ages
from pricing.bulk_http import DEFAULT_TIMEOUT_SECONDS
from pricing.errors import PricingError
from pricing.locations import default_cache_dir
from pricing.price_views import SHOW_COLUMNS, SHOW_TABLE_COLUMNS, price_rows
from pricing.pricebook import PriceBook
from pricing.refresh import RefreshResult, refresh_prices
from pricing.selectors import SERVICES
from pricing.status import price_status

ALL_SERVICES = "all"
DEFAULT_REGION = "us-east-1"
#: The columns ``advisor prices show`` prints first, then the rest of the provenance.
COLUMN_ORDER = (*SHOW_TABLE_COLUMNS, *(c for c in SHOW_COLUMNS if c not in SHOW_TABLE_COLUMNS))
REFRESH_SOURCES = {
    "bulk": "Bulk API (no credentials; downloads the offer files, AmazonEC2 alone is hundreds of MB per Region)",
    "query": "Query API (needs AWS credentials allowed pricing:GetProducts)",
}


def _show_source(book: PriceBook) -> None:
    status = status_with_ages(price_status(book), datetime.now(UTC))
    st.markdown(f"**Active prices:** {shown(status['active_source'])} · built {status['created_at'][:10]} · "
                f"version `{status['version']}`")
    if status["stale_notice"]:
        st.warning(status["stale_notice"][:1].upper() + status["stale_notice"][1:])
    st.caption(f"Age in days of each offer's oldest price per region (over {status['max_price_age_days']} days: "
               "refresh); 'missing' lists prices other regions have and this one lacks.")
    show_table(pd.DataFrame(status_region_rows(status)), "price_regions")
    _reference(status["ec2_reference"])
    gaps = status["known_gaps"]
    with st.expander(f"Known gaps: {len(gaps)} prices the data lacks, priced by dated assumptions (never as zero)"):
        show_table(pd.DataFrame(gaps), "known_gaps")


def _reference(reference: dict) -> None:
    if not reference["source"]:
        return
    with st.expander(f"Newer EC2 On-Demand prices ({reference['as_of']}, no SKUs, never used in estimates): "
                     f"{reference['differ']:,} of {reference['compared']:,} differ from the active ones"):
        st.caption(f"{reference['source']}: {reference['only_in_reference']:,} region/instance pairs are listed "
                   "only there. A refresh brings the current prices with their SKUs.")
        differences = pd.DataFrame(reference["differences"])
        if not differences.empty:  # the change as a percentage, read like every other percent column
            differences = differences.assign(change=differences["change"] * 100).rename(
                columns={"change": "change_pct"})
        show_table(differences, "price_reference")


def _run_refresh(source: str, regions: list[str]) -> RefreshResult:
    """Fetch with progress lines in an ``st.status``; the result says whether it worked."""
    from pricing.fetchers import make_fetcher  # boto3 is imported only when refreshing

    with st.status(f"Refreshing prices for {', '.join(regions)}…", expanded=True) as status:
        fetch_rows, label = make_fetcher(source, None, DEFAULT_TIMEOUT_SECONDS)
        result = refresh_prices(source=label, regions=regions, cache_dir=default_cache_dir(), fetch_rows=fetch_rows,
                                now=datetime.now(UTC), progress=status.write)
        status.update(label="Prices refreshed" if result.ok else "The refresh failed",
                      state="complete" if result.ok else "error")
    return result


def _refresh(book: PriceBook) -> None:
    if not refresh_allowed():
        st.caption(f"Refreshing prices is an operator action and is off on this deployment: the operator runs "
                   f"'advisor prices refresh' on the server, or starts the app with {REFRESH_VARIABLE}=on "
                   "('make run' does, for one user on their own machine).")
        return
    with st.expander("Refresh prices from AWS"):
        source = st.radio("Source", list(REFRESH_SOURCES), format_func=REFRESH_SOURCES.__getitem__,
                          key="refresh_source")
        regions = st.multiselect("Regions", list(book.regions), default=[session.current_scenario().region]
                                 if session.current_scenario().region in book.regions else None, key="refresh_regions")
        if not st.button("Refresh prices", key="refresh", disabled=not regions):
            return
        try:
            result = _run_refresh(source, regions)
        except PricingError as exc:
            st.error(f"The refresh failed: {shown(exc)}. The app keeps the prices it has ({shown(book.origin)}).")
            return
        if not result.ok:
            st.error(f"The refresh failed: {shown(result.reason)}. The app keeps using the last good prices "
                     f"({shown(result.origin)}, as of {result.prices_as_of()}).")
            return
    session.notify("success", f"Refreshed {', '.join(result.regions)}: the active prices are now "
                              f"{shown(result.origin)}, "
                              f"as of {result.prices_as_of()}.")
    st.rerun()


def _price_filters(book: PriceBook) -> tuple[str, str | None, str | None]:
    regions = list(book.regions)
    left, middle, right = st.columns(3)
    region = left.selectbox("Region", regions, key="region",
                            index=regions.index(DEFAULT_REGION) if DEFAULT_REGION in regions else 0)
    service = middle.selectbox("Service", [ALL_SERVICES, *SERVICES], key="service")
    instance = right.text_input("Instance type (exact name)", key="instance_filter", placeholder="e.g. m5.large")
    return region, None if service == ALL_SERVICES else service, instance.strip() or None


def _show_prices(book: PriceBook) -> None:
    st.subheader("Price table")
    region, service, instance = _price_filters(book)
    try:
        frame = price_rows(book, region, service, instance)
    except ValueError as exc:
        st.error(f"Cannot list prices: {shown(exc)}")
        return
    count, as_of = st.columns(2)
    count.metric("Prices shown", f"{len(frame):,}")
    as_of.metric("Prices as of", book.prices_as_of(region)[:10] or "unknown")
    problem = instance_type_problem("instance type", instance, PriceCatalog(book.regions, book.instance_types())) \
        if instance else None
    if problem is not None:
        st.error(f"{shown(repr(instance))} is not an EC2 instance type of the active price data "
                 f"({problem.allowed.split('; ', 1)[-1]}).")
    elif frame.empty and instance:
        st.info(f"No {service or ''} prices for {shown(instance)} in {region}.")
    show_table(frame, "price_table", column_order=COLUMN_ORDER)


def main() -> None:
    st.header("Prices")
    notices.show_notice()
    book = cached.active_pricebook()
    _show_source(book)
    _refresh(book)
    _show_prices(book)


main()
