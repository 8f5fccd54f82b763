"""Internet data transfer out, per Region and tier, from the pricing page's data-transfer table.

The Price List's AWSDataTransfer offer is not in the bundled data; the EC2 pricing page's
table is (``network/datatransfer_pricing_page_<date>_allregions.csv`` of the shared price
data, PROVENANCE §8.1: one row per Region, metric and tier, **no SKU**).  Its plain
``DataTransfer External Outbound <tier>`` rows are the four internet-egress tiers (first
10 TB, next 40 TB, next 100 TB, over 150 TB a month); the ``New`` and ``No Wavelength``
variants repeat them and are not read.  Pure: text in, table out.
"""

from __future__ import annotations

import csv
import io
import math

import pandas as pd

from pricing.errors import OfferFormatError

TRANSFER_COLUMNS: tuple[str, ...] = ("region", "begin_gb", "end_gb", "usd_per_gb", "as_of", "source")
_OUTBOUND = "DataTransfer External Outbound "
_VARIANTS = (" New", " No Wavelength")
_NEEDED = ("region", "metric", "starting_range_gb", "ending_range_gb", "price_usd_per_gb")


def parse_transfer_table(text: str, *, source: str, as_of: str,
                         regions: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Egress tiers of every Region (or of ``regions``), sorted by Region and tier start.

    Raises
    ------
    OfferFormatError
        A missing column, a bad number, or tiers of a Region that do not run from 0 GB to an
        open end without gaps (the model prices the month tier by tier, so a hole would be a
        silently unpriced range).
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in _NEEDED if c not in (reader.fieldnames or ())]
    if missing:
        raise OfferFormatError(source, "header", f"columns {missing}")
    rows = []
    for line, row in enumerate(reader, start=2):
        metric = row["metric"]
        if not metric.startswith(_OUTBOUND) or metric.endswith(_VARIANTS):
            continue
        if regions is not None and row["region"] not in regions:
            continue
        try:
            begin, end = float(row["starting_range_gb"]), float(row["ending_range_gb"])
            price = float(row["price_usd_per_gb"])
        except ValueError:
            raise OfferFormatError(source, f"line {line}", "numeric tier bounds and price") from None
        if not (math.isfinite(price) and price >= 0):
            raise OfferFormatError(source, f"line {line}", f"a finite non-negative price, found {price}")
        rows.append({"region": row["region"], "begin_gb": begin, "end_gb": end, "usd_per_gb": price,
                     "as_of": as_of, "source": source})
    frame = pd.DataFrame(rows, columns=list(TRANSFER_COLUMNS))
    frame = frame.sort_values(["region", "begin_gb"], kind="stable").reset_index(drop=True)
    for region, tiers in frame.groupby("region", sort=False):
        _check_tiers(region, tiers, source)
    return frame


def _check_tiers(region: str, tiers: pd.DataFrame, source: str) -> None:
    begins, ends = tiers["begin_gb"].tolist(), tiers["end_gb"].tolist()
    if begins[0] != 0 or not math.isinf(ends[-1]) or any(b != e for b, e in zip(begins[1:], ends[:-1], strict=True)):
        shown = ", ".join(f"{b:g}-{e:g}" for b, e in zip(begins, ends, strict=True))
        raise OfferFormatError(source, f"{region} outbound tiers",
                               f"tiers from 0 GB to Inf without gaps, found {shown}")
