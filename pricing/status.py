"""What ``advisor prices status`` and the app's Prices page show: sources, dates, holes, staleness.

Per Region: where its prices came from, each offer's publication date and the range of its
prices' own dates (one AmazonEC2 file can hold 2024 EBS and 2025 instance prices), and the
price keys other Regions have and this one lacks.  Beside that, how the active EC2 prices
compare with the newer SKU-less reference table (:mod:`pricing.reference_prices`).  Dates
only: ages depend on "now" and are added by the views (``presentation.price_age``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pricing.coverage import missing_keys
from pricing.gaps import KNOWN_GAPS
from pricing.pricebook import PriceBook
from pricing.reference_prices import reference_differences


def _offer_dates(prices: pd.DataFrame) -> dict[tuple[str, str], dict[str, Any]]:
    """(Region, offer) -> oldest and newest price date, and each price key's oldest date."""
    dates = prices.groupby(["region", "offer_code"])["publication_date"].agg(["min", "max"])
    by_key = prices.groupby(["region", "offer_code", "price_key"])["publication_date"].min()
    out = {pair: {"oldest_price": row["min"], "newest_price": row["max"], "price_dates": {}}
           for pair, row in dates.iterrows()}
    for (region, offer, key), day in by_key.items():
        out[(region, offer)]["price_dates"][key] = day
    return out


def price_status(book: PriceBook) -> dict[str, Any]:
    """Source, dates and holes per Region and offer, the EC2 reference comparison, the known gaps."""
    prices = book.table()
    dates = _offer_dates(prices)
    missing = missing_keys(prices)
    regions = {}
    for region, info in sorted(book.metadata.regions.items()):
        offers = {offer: {"published": published, **dates.get((region, offer), {})}
                  for offer, published in sorted(info.get("offers", {}).items())}
        oldest = min((o["oldest_price"] for o in offers.values() if "oldest_price" in o), default="")
        regions[region] = {"source": info.get("source", ""), "prices_as_of": book.metadata.prices_as_of(region),
                           "oldest_price": oldest, "offers": offers, "missing": list(missing.get(region, ()))}
    return {
        "active_source": book.origin,
        "created_at": book.metadata.created_at,
        "version": book.version,
        "warnings": list(book.warnings),
        "regions": regions,
        "inputs": book.metadata.sources,
        "ec2_reference": reference_status(book),
        "known_gaps": [{"key": g.key, "what": g.what, "treatment": g.treatment, "source": g.source,
                        "as_of": g.as_of} for g in KNOWN_GAPS],
    }


def reference_status(book: PriceBook) -> dict[str, Any]:
    """How the active EC2 On-Demand prices differ from the newer SKU-less reference table."""
    reference = book.reference_table()
    if reference.empty:
        return {"source": "", "as_of": "", "compared": 0, "differ": 0, "only_in_reference": 0, "differences": []}
    differences, counts = reference_differences(book.table(), reference)
    return {"source": str(reference["source"].iloc[0]), "as_of": str(reference["as_of"].iloc[0]), **counts,
            "differences": differences.to_dict("records")}


def region_price_dates(book: PriceBook, region: str) -> dict[str, str]:
    """Offer -> the oldest price date in one Region (what a view of that Region's costs rests on)."""
    prices = book.table()
    return prices[prices["region"] == region].groupby("offer_code")["publication_date"].min().to_dict()
