"""Newer EC2 On-Demand prices without SKUs: a yardstick for how stale the active prices are.

The shared price data has a table of Linux On-Demand prices for 28 Regions taken from the
Price List API on 2026-02-07 (``ec2/ec2_linux_ondemand_28regions_<date>.csv``, PROVENANCE
§8.1), newer than the 2025-04-04 feed behind the snapshot but with **no SKU, vCPU or
memory**.  A line item must name its SKU, so these prices never price anything: they are
kept beside the store and compared with the active prices in ``advisor prices status``
(GPU price cuts, a few families), so a user sees what a refresh would change.
"""

from __future__ import annotations

import io
import math

import pandas as pd

from pricing.errors import OfferFormatError

REFERENCE_COLUMNS: tuple[str, ...] = ("region", "instance_type", "usd_per_hour", "as_of", "source")
DIFFERENCE_COLUMNS: tuple[str, ...] = ("region", "instance_type", "usd_per_hour", "reference_usd_per_hour",
                                       "change", "publication_date", "reference_as_of")
_NEEDED = ("region", "instance_type", "price_usd_per_hour")
#: Prices closer than this (relative) are the same price printed with other rounding.
_SAME_PRICE = 1e-9


def parse_reference_prices(text: str, *, source: str, as_of: str,
                           regions: tuple[str, ...] | None = None) -> pd.DataFrame:
    """The table as (region, instance type, USD per hour, as of, source) rows."""
    try:
        raw = pd.read_csv(io.StringIO(text), dtype={"region": str, "instance_type": str})
    except (ValueError, pd.errors.ParserError) as exc:
        raise OfferFormatError(source, "table", f"CSV ({exc})") from None
    missing = [c for c in _NEEDED if c not in raw.columns]
    if missing:
        raise OfferFormatError(source, "header", f"columns {missing}")
    prices = pd.to_numeric(raw["price_usd_per_hour"], errors="coerce")
    bad = raw[~prices.map(lambda v: math.isfinite(v) and v >= 0)]
    if not bad.empty:
        row = bad.iloc[0]
        raise OfferFormatError(source, f"{row['region']} {row['instance_type']}",
                               f"a finite non-negative price, found {row['price_usd_per_hour']!r}")
    frame = pd.DataFrame({"region": raw["region"], "instance_type": raw["instance_type"], "usd_per_hour": prices,
                          "as_of": as_of, "source": source}, columns=list(REFERENCE_COLUMNS))
    if regions is not None:
        frame = frame[frame["region"].isin(regions)]
    return frame.sort_values(["region", "instance_type"], kind="stable").reset_index(drop=True)


def reference_differences(prices: pd.DataFrame, reference: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """Active Linux On-Demand instance prices that differ from the reference, and counts.

    Returns the differing rows (largest relative change first) and ``{"compared": n,
    "differ": n, "only_in_reference": n}``: Region/type pairs priced in both, differing, and
    listed only by the reference (newer types, or Regions without active instance prices).
    """
    active = prices[(prices["price_key"] == "ec2.instance_hour") & (prices["term"] == "OnDemand")]
    active = active[["region", "instance_type", "price_usd", "publication_date"]]
    joined = reference.merge(active, on=["region", "instance_type"], how="left")
    both = joined[joined["price_usd"].notna()].assign(change=lambda f: f["usd_per_hour"] / f["price_usd"] - 1.0)
    differ = both[both["change"].abs() > _SAME_PRICE]
    table = (differ.assign(publication_date=differ["publication_date"].str[:10])
             .rename(columns={"usd_per_hour": "reference_usd_per_hour", "price_usd": "usd_per_hour",
                              "as_of": "reference_as_of"})
             .sort_values("change", key=abs, ascending=False, kind="stable"))[list(DIFFERENCE_COLUMNS)]
    counts = {"compared": len(both), "differ": len(table), "only_in_reference": int(joined["price_usd"].isna().sum())}
    return table.reset_index(drop=True), counts
