"""Streamlit front end of the ECS vs EKS cost advisor (``make run``).

A thin layer: it reads widgets, calls library functions and renders what they return.
For now one page: which prices are in force, how old they are, the known gaps, and a
filterable price table.  ``ADVISOR_CACHE_DIR`` is read by
:func:`advisor_cli.main.default_cache_dir`, as for the command line.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import streamlit as st  # noqa: TID251  (the UI is the one place streamlit belongs)

from advisor_cli.main import SHOW_TABLE_COLUMNS, default_cache_dir
from advisor_cli.prices_view import SHOW_COLUMNS, price_rows
from pricing.active import cache_store_dir, load_pricebook, price_status
from pricing.errors import PricingError
from pricing.pricebook import PriceBook
from pricing.selectors import SERVICES
from pricing.store import METADATA_FILE

TITLE = "ECS vs EKS cost advisor"
ALL_SERVICES = "all"
DEFAULT_REGION = "us-east-1"
_LOAD_ERRORS = (PricingError, ValueError, OSError)
#: The columns ``advisor prices show`` prints first, then the rest of the provenance.
COLUMN_ORDER = (*SHOW_TABLE_COLUMNS, *(c for c in SHOW_COLUMNS if c not in SHOW_TABLE_COLUMNS))


@st.cache_resource(show_spinner="Loading prices…", max_entries=4)
def _cached_pricebook(cache_dir: str, cache_stamp: int) -> PriceBook:
    """The active PriceBook, shared by every session (read-only: never mutate it).

    ``cache_stamp`` is part of the key only, so a refreshed cache is picked up.
    """
    return load_pricebook(Path(cache_dir))


def _cache_stamp(cache_dir: Path) -> int:
    """When the cache's metadata last changed (0 when there is no cache)."""
    try:
        return (cache_store_dir(cache_dir) / METADATA_FILE).stat().st_mtime_ns
    except OSError:
        return 0


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
    st.dataframe(_region_table(status), hide_index=True)
    gaps = status["known_gaps"]
    with st.expander(f"Known gaps: {len(gaps)} prices the data lacks, priced by dated assumptions (never as zero)"):
        st.dataframe(pd.DataFrame(gaps), hide_index=True)


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
    st.dataframe(frame, hide_index=True, column_order=COLUMN_ORDER,
                 column_config={"price_usd": st.column_config.NumberColumn("price_usd", format="%.6f")})


def main() -> None:
    st.set_page_config(page_title=TITLE, layout="wide")
    st.title(TITLE)
    cache_dir = default_cache_dir()
    try:
        book = _cached_pricebook(str(cache_dir), _cache_stamp(cache_dir))
    except _LOAD_ERRORS as exc:
        st.error(f"The prices could not be loaded: {exc}. Reinstall the advisor to restore the bundled "
                 "snapshot, or run 'advisor prices refresh'.")
        return
    _show_source(book)
    _show_prices(book)


main()
