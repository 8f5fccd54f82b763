"""Rows for ``advisor prices show`` and the app's price table: filtering and derived views.

Presentation over the price book, shared by the command line and the app (so neither
imports the other): it joins the Spot Advisor savings onto On-Demand prices and lists the
gap assumptions next to real prices, labelled. Pure: no I/O.
"""

from __future__ import annotations

import pandas as pd

from pricing.pricebook import PriceBook
from pricing.schema import term_label
from pricing.selectors import SELECTORS, SERVICES

#: The columns a compact price table shows (``advisor prices show --format table``, the app's first columns).
SHOW_TABLE_COLUMNS: tuple[str, ...] = ("price_key", "instance_type", "unit", "price_usd", "term", "sku",
                                       "publication_date")
SHOW_COLUMNS: tuple[str, ...] = (
    "offer_code", "region", "price_key", "usage_type", "operation", "instance_type", "vcpu", "memory_gib",
    "architecture", "unit", "price_usd", "term", "begin_range", "end_range", "sku", "rate_code",
    "publication_date", "effective_date", "source", "description",
)
_SERVICE_OF = {s.price_key: s.service for s in SELECTORS}


def price_rows(book: PriceBook, region: str, service: str | None = None,
               instance_type: str | None = None) -> pd.DataFrame:
    """The price table of a Region, optionally one service group, with readable terms."""
    if region not in book.regions:
        raise ValueError(f"no prices for region {region!r}; available: {', '.join(book.regions)}")
    if service is not None and service not in SERVICES:
        raise ValueError(f"unknown service {service!r}; allowed: {', '.join(SERVICES)}")
    if service == "spot":
        frame = spot_rows(book, region)
    else:
        frame = book.table()
        frame = frame[frame["region"] == region]
        if service is not None:
            frame = frame[frame["price_key"].map(_SERVICE_OF) == service]
        frame = frame.assign(term=[term_label(r) for r in frame.to_dict("records")])
        if service in (None, "transfer") and not (frame["price_key"] == "transfer.internet_out_gb").any():
            frame = pd.concat([frame, transfer_assumption_rows(book, region)], ignore_index=True)
    if instance_type:
        frame = frame[frame["instance_type"] == instance_type]
    return frame[list(SHOW_COLUMNS)].sort_values(["price_key", "instance_type", "term", "begin_range"],
                                                 kind="stable").reset_index(drop=True)


def spot_rows(book: PriceBook, region: str) -> pd.DataFrame:
    """Estimated Spot prices: On-Demand × (1 − Spot Advisor savings %), labelled as estimates."""
    prices = book.table()
    od = prices[(prices["region"] == region) & (prices["price_key"] == "ec2.instance_hour")
                & (prices["term"] == "OnDemand")]
    spot = book.spot_table()
    spot = spot[spot["region"] == region]
    joined = od.merge(spot[["instance_type", "savings_pct", "interruption_label"]], on="instance_type")
    return joined.assign(
        price_key="ec2.spot_instance_hour",
        price_usd=joined["price_usd"] * (1 - joined["savings_pct"] / 100.0),
        term="Spot (estimate: On-Demand less " + joined["savings_pct"].map("{:g}".format)
             + "%, interruptions " + joined["interruption_label"] + ")",
        source="Spot Advisor savings applied to " + joined["source"],
    )


def transfer_assumption_rows(book: PriceBook, region: str) -> pd.DataFrame:
    """Internet egress tiers from the dated pricing-page table, marked as assumptions (no SKU)."""
    tiers = book.transfer_table()
    tiers = tiers[tiers["region"] == region]
    rows = [{"offer_code": "AWSDataTransfer", "region": region, "price_key": "transfer.internet_out_gb",
             "usage_type": "DataTransfer-Out-Bytes", "operation": "", "instance_type": "", "vcpu": float("nan"),
             "memory_gib": float("nan"), "architecture": "", "unit": "GB", "price_usd": t.usd_per_gb,
             "term": "OnDemand", "begin_range": t.begin_gb, "end_range": t.end_gb, "sku": "", "rate_code": "",
             "publication_date": t.as_of, "effective_date": t.as_of,
             "source": f"assumption: pricing-page data-transfer table, no SKU ({t.source})",
             "description": f"Internet egress {t.begin_gb:g}-{t.end_gb:g} GB/month"}
            for t in tiers.itertuples(index=False)]
    return pd.DataFrame(rows, columns=list(SHOW_COLUMNS))
