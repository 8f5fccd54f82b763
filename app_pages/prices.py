"""Page: which prices are in force, how old they are, the known gaps, a price table, and refresh.

A refresh fetches from AWS into the per-user cache with progress shown as it goes; a
failed one changes nothing (``pricing.refresh`` is all or nothing) and the page says
why and which prices stay in force.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from app_pages import cached, notices, session
from app_pages.tables import show_table
from pricing.active import price_status
from pricing.bulk_http import DEFAULT_TIMEOUT_SECONDS
from pricing.errors import PricingError
from pricing.locations import default_cache_dir
from pricing.price_views import SHOW_COLUMNS, SHOW_TABLE_COLUMNS, price_rows
from pricing.pricebook import PriceBook
from pricing.refresh import RefreshResult, refresh_prices
from pricing.selectors import SERVICES

ALL_SERVICES = "all"
DEFAULT_REGION = "us-east-1"
#: The columns ``advisor prices show`` prints first, then the rest of the provenance.
COLUMN_ORDER = (*SHOW_TABLE_COLUMNS, *(c for c in SHOW_COLUMNS if c not in SHOW_TABLE_COLUMNS))
REFRESH_SOURCES = {
    "bulk": "Bulk API (no credentials; downloads the offer files, AmazonEC2 alone is hundreds of MB per Region)",
    "query": "Query API (needs AWS credentials allowed pricing:GetProducts)",
}


def _region_table(status: dict) -> pd.DataFrame:
    rows = [{"region": region, "prices as of": (info["prices_as_of"] or "")[:10], "age (days)": info["age_days"],
             "source": info["source"], **{f"{offer} published": date[:10] for offer, date in info["offers"].items()}}
            for region, info in status["regions"].items()]
    return pd.DataFrame(rows)


def _show_source(book: PriceBook) -> None:
    status = price_status(book, datetime.now(UTC))
    st.markdown(f"**Active prices:** {status['active_source']} · built {status['created_at'][:10]} · "
                f"version `{status['version']}`")
    for warning in status["warnings"]:
        st.warning(warning)
    show_table(_region_table(status), "price_regions")
    gaps = status["known_gaps"]
    with st.expander(f"Known gaps: {len(gaps)} prices the data lacks, priced by dated assumptions (never as zero)"):
        show_table(pd.DataFrame(gaps), "known_gaps")


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
            st.error(f"The refresh failed: {exc}. The app keeps the prices it has ({book.origin}).")
            return
        if not result.ok:
            st.error(f"The refresh failed: {result.reason}. The app keeps using the last good prices "
                     f"({result.origin}, as of {result.prices_as_of()}).")
            return
    session.notify("success", f"Refreshed {', '.join(result.regions)}: the active prices are now {result.origin}, "
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
        st.error(f"Cannot list prices: {exc}")
        return
    count, as_of = st.columns(2)
    count.metric("Prices shown", f"{len(frame):,}")
    as_of.metric("Prices as of", book.prices_as_of(region)[:10] or "unknown")
    if frame.empty and instance:
        st.info(f"No prices for instance type {instance!r} in {region}. Type a full name such as m5.large.")
    show_table(frame, "price_table", column_order=COLUMN_ORDER)


def main() -> None:
    st.header("Prices")
    notices.show_notice()
    book = cached.active_pricebook()
    _show_source(book)
    _refresh(book)
    _show_prices(book)


main()
