"""The normalized price table: its columns, and the validation every import must pass.

One row is one price: a price dimension of one term of one Price List product, kept
because a selector in :mod:`pricing.selectors` matched the product.  Every import path
(bulk JSON, bulk CSV, Query API) produces exactly these columns, so the rest of the
project never sees the Price List's own layout.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields

import pandas as pd

from pricing.errors import ValidationFailed


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceRow:
    """One normalized price.

    ``term`` is ``OnDemand``, ``Reserved`` or ``Spot`` (the last derived from the Spot
    Advisor savings, never from the Price List).  For Reserved terms,
    ``lease_contract_length`` (``1yr``/``3yr``), ``offering_class`` (``standard``/
    ``convertible``) and ``purchase_option`` (``No Upfront``, ``Partial Upfront``,
    ``All Upfront``) say which; an upfront fee is its own row with unit ``Quantity``.
    ``begin_range``/``end_range`` carry tiers (``inf`` for an open end).
    """

    price_key: str
    offer_code: str
    region: str
    usage_type: str
    operation: str
    product_family: str
    instance_type: str
    vcpu: float
    memory_gib: float
    architecture: str
    operating_system: str
    unit: str
    price_usd: float
    term: str
    lease_contract_length: str
    offering_class: str
    purchase_option: str
    begin_range: float
    end_range: float
    sku: str
    rate_code: str
    description: str
    effective_date: str
    publication_date: str
    source: str


PRICE_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(PriceRow))
#: Numeric columns (float64, NaN where a row has no value); every other column is text ("" when empty).
FLOAT_COLUMNS = frozenset({"vcpu", "memory_gib", "price_usd", "begin_range", "end_range"})

#: Columns that make a price unique; two rows equal on all of them are a collision.
PRICE_IDENTITY: tuple[str, ...] = (
    "price_key",
    "region",
    "instance_type",
    "operating_system",
    "unit",
    "term",
    "lease_contract_length",
    "offering_class",
    "purchase_option",
    "begin_range",
)

#: Keys every imported Region must have; an import missing one is rejected.
REQUIRED_KEYS_PER_REGION: tuple[str, ...] = (
    "fargate.vcpu_hour",
    "fargate.gb_hour",
    "eks.cluster_hour",
    "ec2.instance_hour",
    "elb.alb_hour",
    "elb.alb_lcu_hour",
    "nat.hour",
    "nat.gb_processed",
    "logs.ingestion_gb",
    "ebs.gp3_gb_month",
)

#: Sanity floor: a Region offering fewer Linux On-Demand instance types than this is
#: a truncated or filtered download (the smallest of the six snapshot Regions has 521).
MIN_INSTANCE_TYPES_PER_REGION = 100


def rows_to_frame(rows: Iterable[PriceRow]) -> pd.DataFrame:
    """Build a price table with exactly :data:`PRICE_COLUMNS`, in order."""
    frame = pd.DataFrame([asdict(r) for r in rows], columns=list(PRICE_COLUMNS))
    return coerce_types(frame)


def coerce_types(frame: pd.DataFrame) -> pd.DataFrame:
    """Give every column its dtype: floats for numbers, plain strings for the rest.

    A column that already has its dtype (a store read with them, :mod:`pricing.store`) is
    kept as it is: converting 80,000 rows of text again would cost a quarter of a second.
    """
    out = frame.copy(deep=False)  # columns are replaced, never changed in place
    for col in PRICE_COLUMNS:
        values = out[col]
        if col in FLOAT_COLUMNS:
            if values.dtype != "float64":
                out[col] = pd.to_numeric(values, errors="coerce").astype("float64")
        elif values.dtype != "str" or values.hasnans:
            # An all-empty column reads back as float NaN; make it text without fillna on floats.
            values = values.astype(object)
            out[col] = values.where(values.notna(), "").astype(str)
    return out


def validate_price_table(
    frame: pd.DataFrame,
    *,
    regions: Iterable[str],
    required_keys: Iterable[str] = REQUIRED_KEYS_PER_REGION,
    min_instance_types: int = MIN_INSTANCE_TYPES_PER_REGION,
    absent_ok: Mapping[str, Iterable[str]] | None = None,
) -> None:
    """Reject a table that looks wrong; raises :class:`ValidationFailed` listing every problem.

    ``absent_ok`` names, per Region, required keys whose absence is documented (the
    bundled public data's holes, :data:`pricing.coverage.DOCUMENTED_ABSENCES`).

    The floors follow ec2instances.info's ``validateMaxPodsCount`` idea: a download
    that parsed but is too small, or lacks a price the model cannot work without, is
    more dangerous than a failed one, because it would silently replace good data.
    """
    problems: list[str] = []
    missing_cols = [c for c in PRICE_COLUMNS if c not in frame.columns]
    if missing_cols:
        raise ValidationFailed([f"missing columns {missing_cols}"])
    prices = frame["price_usd"]
    bad = frame[~prices.map(lambda v: isinstance(v, float) and math.isfinite(v) and v >= 0)]
    for _, row in bad.head(5).iterrows():
        problems.append(f"unparsable or negative price {row['price_usd']!r} for sku {row['sku']}")
    dupes = frame[frame.duplicated(list(PRICE_IDENTITY), keep=False)]
    for _, group in list(dupes.groupby(list(PRICE_IDENTITY), dropna=False))[:5]:
        problems.append(
            f"{group['price_key'].iloc[0]} in {group['region'].iloc[0]} "
            f"matches several SKUs: {', '.join(sorted(group['sku']))}"
        )
    required = tuple(required_keys)
    by_region = dict(iter(frame.groupby("region", sort=False)))
    for region in regions:
        excused = set((absent_ok or {}).get(region, ()))
        problems.extend(_region_problems(by_region.get(region, frame.iloc[:0]), region,
                                         [k for k in required if k not in excused], min_instance_types))
    if problems:
        raise ValidationFailed(problems)


def _region_problems(
    frame: pd.DataFrame, region: str, required_keys: Iterable[str], min_instance_types: int
) -> list[str]:
    present = set(frame["price_key"])
    problems = [f"{region}: no {key} price" for key in required_keys if key not in present]
    on_demand = frame[(frame["price_key"] == "ec2.instance_hour") & (frame["term"] == "OnDemand")]
    n_types = on_demand["instance_type"].nunique()
    if "ec2.instance_hour" in present and n_types < min_instance_types:
        problems.append(
            f"{region}: only {n_types} EC2 instance types with an On-Demand price "
            f"(at least {min_instance_types} expected)"
        )
    return problems


def term_label(row: Mapping[str, object]) -> str:
    """Human term name: ``OnDemand`` or ``Reserved 1yr standard No Upfront``."""
    if row["term"] != "Reserved":
        return str(row["term"])
    parts = [row["lease_contract_length"], row["offering_class"], row["purchase_option"]]
    return " ".join(["Reserved", *[str(p) for p in parts if p]])
