"""ECS Managed Instances fees from the unnamed entries of the AmazonECS pricing-page feed.

The feed of 2025-10-27 lists the Managed Instances management fees without naming their
instance type (aws-price-data PROVENANCE §4).  Most of them are exactly 12% of an EC2 Linux
On-Demand price, which is also what AWS's pricing-page example shows ($0.037 for a
c6a.2xlarge).  For every instance type whose On-Demand price × 12% equals one of a Region's
entries, this module writes a row ``ecs.managed_instances_fee_match`` carrying that entry's
SKU and price: the model then cites a published price for the type, while the type itself
stays an inference (several types can share one price), and says so.
"""

from __future__ import annotations

import io

import pandas as pd

from pricing.errors import OfferFormatError
from pricing.schema import PriceRow

#: The price key of a matched entry; ``advisor.costs.management_fees`` reads it.
MATCH_KEY = "ecs.managed_instances_fee_match"
#: The ``source`` of every row built from a pricing-page feed.  A Price List refresh cannot
#: rebuild these rows, so it keeps them as they are (``pricing.importer.merge_regions``).
FEED_SOURCE_PREFIX = "pricing-page feed:"


def from_feed(prices: pd.DataFrame) -> pd.Series:
    """Which rows of a price table came from a pricing-page feed, not from the Price List."""
    return prices["source"].astype(str).str.startswith(FEED_SOURCE_PREFIX)
#: The fraction of On-Demand the entries are checked against (PROVENANCE §4; pricing-page example).
FEE_FRACTION = 0.12
#: The feed carries 10 decimals; a match must agree to within rounding of the 12% product.
_TOLERANCE_USD = 5e-7
_COLUMNS = ("region_code", "named", "sku", "rate_code", "price", "feed_publication_date")


def parse_unnamed_entries(feed_csv: str, *, source: str) -> pd.DataFrame:
    """The unnamed entries (region_code, sku, rate_code, price, feed_publication_date) of the feed CSV."""
    frame = pd.read_csv(io.StringIO(feed_csv), dtype=str, keep_default_na=False)
    missing = [c for c in _COLUMNS if c not in frame.columns]
    if missing:
        raise OfferFormatError(source, "header", f"columns {missing}")
    unnamed = frame[frame["named"].str.lower() == "false"].copy()
    unnamed["price"] = pd.to_numeric(unnamed["price"], errors="coerce")
    return unnamed[unnamed["price"] > 0][list(_COLUMNS[:1] + _COLUMNS[2:])].reset_index(drop=True)


def fee_match_rows(prices: pd.DataFrame, entries: pd.DataFrame, regions: list[str] | tuple[str, ...],
                   source: str) -> list[PriceRow]:
    """One row per (Region, instance type) whose On-Demand price × 12% equals an unnamed feed entry."""
    rows: list[PriceRow] = []
    on_demand = prices[(prices["price_key"] == "ec2.instance_hour") & (prices["term"] == "OnDemand")]
    for region in regions:
        feed = entries[entries["region_code"] == region].sort_values("price")
        if feed.empty:
            continue
        values = feed["price"].to_numpy()
        for _, od in on_demand[on_demand["region"] == region].iterrows():
            target = FEE_FRACTION * float(od["price_usd"])
            at = int(values.searchsorted(target - _TOLERANCE_USD))
            if at >= len(values) or abs(values[at] - target) > _TOLERANCE_USD:
                continue
            hit = feed.iloc[at]
            rows.append(PriceRow(
                price_key=MATCH_KEY, offer_code="AmazonECS", region=region, usage_type="", operation="",
                product_family="ECS Managed Instances (unnamed feed entry)", instance_type=od["instance_type"],
                vcpu=float(od["vcpu"]), memory_gib=float(od["memory_gib"]), architecture=od["architecture"],
                operating_system="Linux", unit="Hrs", price_usd=float(hit["price"]), term="OnDemand",
                lease_contract_length="", offering_class="", purchase_option="", begin_range=0.0,
                end_range=float("inf"), sku=hit["sku"], rate_code=hit["rate_code"],
                description=f"unnamed AmazonECS pricing-page entry equal to {FEE_FRACTION:g} × the EC2 On-Demand "
                            "price of this type (the type is inferred, not named by AWS)",
                effective_date="", publication_date=hit["feed_publication_date"], source=source))
    return rows
