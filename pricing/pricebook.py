"""PriceBook: the read-only price lookup the advisor model uses.

It answers narrow questions ("the On-Demand price of m5.large in us-east-1", "the
Fargate vCPU-hour in eu-west-1", "the Auto Mode fee assumption") with a
:class:`PriceQuote` that carries everything a line item must show to be auditable:
SKU or key, unit, publication date and source.  A missing price raises
:class:`PriceNotFound`; it is never zero.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pricing.coverage import describe_key
from pricing.errors import PriceNotFound
from pricing.gaps import GAPS_BY_KEY
from pricing.price_index import RegionIndex
from pricing.store import PriceTables, StoreMetadata


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceQuote:
    """One price with its provenance.  ``sku`` is empty for assumptions.

    ``end_range`` is where the tier this price covers ends, in the unit's quantity (e.g. GB
    of internet egress per month); ``inf`` for untiered prices. A tiered cost is built tier
    by tier from it, so the tier boundaries live with the prices and nowhere else.
    """

    price_key: str
    region: str
    usd_per_unit: float
    unit: str
    sku: str
    rate_code: str
    publication_date: str
    source: str
    term: str = "OnDemand"
    instance_type: str = ""
    description: str = ""
    end_range: float = math.inf

    @property
    def reference(self) -> str:
        """The SKU (or assumption key) and date, as a line item shows it."""
        ident = self.sku or self.price_key
        return f"{ident} @ {self.publication_date[:10]}"


@dataclass(frozen=True, slots=True)
class InstanceOffer:
    """An EC2 instance type available in a Region with its On-Demand price."""

    instance_type: str
    vcpu: float
    memory_gib: float
    architecture: str
    usd_per_hour: float


class PriceBook:
    """Immutable lookup over validated price tables (do not mutate the frames)."""

    def __init__(self, tables: PriceTables, metadata: StoreMetadata, *, origin: str,
                 warnings: tuple[str, ...] = ()) -> None:
        self._tables = tables
        self.metadata = metadata
        #: ``snapshot`` or ``cache`` (where the tables were read from).
        self.origin = origin
        self.warnings = warnings
        prices = tables.prices
        self._keys = frozenset(prices["price_key"].unique())
        self._limits = {r["instance_type"]: r for r in tables.instance_limits.to_dict("records")}
        self._offers: dict[tuple[str, str], tuple[InstanceOffer, ...]] = {}
        self._instance_types: frozenset[str] | None = None
        self._regions = tuple(sorted(prices["region"].unique()))
        self._indexes: dict[str, RegionIndex[PriceQuote]] = {}
        self._spot: dict[tuple[str, str], tuple[float, str]] | None = None
        self._transfer = {region: tuple(tiers.itertuples(index=False))
                          for region, tiers in tables.transfer.groupby("region", sort=False)}
        digest = json.dumps(metadata.to_json(), sort_keys=True).encode()
        #: Changes whenever the data changes; a cache key for derived results.
        self.version = hashlib.sha256(digest).hexdigest()[:16]

    # --- what is there -------------------------------------------------------------
    @property
    def regions(self) -> tuple[str, ...]:
        """The Regions with prices, sorted: the one list scenarios, importers and pickers use."""
        return self._regions

    def prices_as_of(self, region: str) -> str:
        return self.metadata.prices_as_of(region)

    def table(self) -> pd.DataFrame:
        """A copy of the full price table (for display and export)."""
        return self._tables.prices.copy()

    def spot_table(self) -> pd.DataFrame:
        return self._tables.spot.copy()

    def transfer_table(self) -> pd.DataFrame:
        """Internet-egress tiers per Region (no SKUs; see :mod:`pricing.transfer_table`)."""
        return self._tables.transfer.copy()

    def reference_table(self) -> pd.DataFrame:
        """Newer SKU-less EC2 prices, for comparison only (:mod:`pricing.reference_prices`)."""
        return self._tables.ec2_reference.copy()

    def instance_types(self) -> frozenset[str]:
        """Every EC2 instance type with a Linux price in some Region (computed once)."""
        if self._instance_types is None:
            prices = self._tables.prices
            types = prices.loc[prices["price_key"] == "ec2.instance_hour", "instance_type"].unique()
            self._instance_types = frozenset(types.tolist())
        return self._instance_types

    # --- lookups ---------------------------------------------------------------------
    def _index(self, region: str) -> RegionIndex[PriceQuote]:
        """Rows of one Region keyed by (price_key, instance_type, term, length, class, option).

        Built once per Region on first use: lookups then cost a dict access, which the
        placement needs (it prices hundreds of instance types per estimate).
        """
        index = self._indexes.get(region)
        if index is None:
            index = self._indexes[region] = RegionIndex(self._tables.prices, region, _quote)
        return index

    def price(self, price_key: str, region: str, *, instance_type: str = "", term: str = "OnDemand",
              lease_contract_length: str = "", offering_class: str = "", purchase_option: str = "",
              tier_gb: float = 0.0) -> PriceQuote:
        """The hourly/per-unit price of one key; raises :class:`PriceNotFound` naming the key."""
        if price_key not in self._keys:
            raise PriceNotFound(f"the active price data has no {price_key} price in any region")
        quote = self._index(region).quote(
            (price_key, instance_type, term, lease_contract_length, offering_class, purchase_option), tier_gb=tier_gb)
        if quote is not None:
            return quote
        what = " ".join(p for p in (describe_key(price_key), instance_type, "" if term == "OnDemand" else term,
                                    lease_contract_length, offering_class, purchase_option) if p)
        raise PriceNotFound(f"the active price data has no {what} price in {region}")

    def upfront_fee(self, price_key: str, region: str, *, instance_type: str,
                    lease_contract_length: str, offering_class: str, purchase_option: str) -> PriceQuote | None:
        """The one-time fee of a Partial/All Upfront Reserved term, or None for No Upfront."""
        return self._index(region).quote((price_key, instance_type, "Reserved", lease_contract_length,
                                          offering_class, purchase_option), upfront=True)

    def assumption(self, key: str, region: str, *, tier_gb: float = 0.0) -> PriceQuote:
        """A documented stand-in for a price the data lacks (see :mod:`pricing.gaps`).

        ``tier_gb`` picks the tier of tiered stand-ins (internet egress).
        """
        gap = GAPS_BY_KEY.get(key)
        if gap is not None and key == "transfer.internet_out_gb":
            tier = next((t for t in self._transfer.get(region, ()) if t.begin_gb <= tier_gb < t.end_gb), None)
            if tier is not None:
                return PriceQuote(price_key=key, region=region, usd_per_unit=float(tier.usd_per_gb), unit=gap.unit,
                                  sku="", rate_code="", publication_date=str(tier.as_of),
                                  source=f"assumption: {gap.source}", term="",
                                  description=gap.treatment, end_range=float(tier.end_gb))
        elif gap is not None and gap.value(region) is not None:
            return PriceQuote(price_key=key, region=region, usd_per_unit=float(gap.value(region)), unit=gap.unit,
                              sku="", rate_code="", publication_date=gap.as_of, source=f"assumption: {gap.source}",
                              term="", description=gap.treatment)
        raise PriceNotFound(f"the active price data has no {key} assumption for {region}")

    def instance_offers(self, region: str, *, operating_system: str = "Linux") -> tuple[InstanceOffer, ...]:
        """Every instance type with an On-Demand price in the Region, cheapest first (memoized)."""
        cached = self._offers.get((region, operating_system))
        if cached is None:
            cached = self._offers[(region, operating_system)] = self._instance_offers(region, operating_system)
        return cached

    def _instance_offers(self, region: str, operating_system: str) -> tuple[InstanceOffer, ...]:
        key = "ec2.instance_hour" if operating_system == "Linux" else "ec2.windows_instance_hour"
        prices = self._tables.prices
        sel = prices.loc[(prices["price_key"] == key) & (prices["region"] == region) & (prices["term"] == "OnDemand"),
                         ["instance_type", "vcpu", "memory_gib", "architecture", "price_usd"]]
        sel = sel[sel["vcpu"].notna() & sel["memory_gib"].notna()].sort_values(["price_usd", "instance_type"])
        return tuple(InstanceOffer(itype, float(vcpu), float(memory_gib), architecture, float(usd))
                     for itype, vcpu, memory_gib, architecture, usd in zip(*(sel[c].tolist() for c in sel.columns),
                                                                            strict=True))

    def spot_savings(self, region: str, instance_type: str) -> tuple[float, str] | None:
        """(savings % vs On-Demand, interruption band label) from the Spot Advisor, or None."""
        if self._spot is None:
            spot = self._tables.spot
            self._spot = {(r, t): (float(pct), str(label)) for r, t, pct, label in zip(
                spot["region"].tolist(), spot["instance_type"].tolist(), spot["savings_pct"].tolist(),
                spot["interruption_label"].tolist(), strict=True)}
        return self._spot.get((region, instance_type))

    def instance_limits(self, instance_type: str) -> dict[str, Any] | None:
        """Network limits of a type (ENIs, IPv4 per ENI, max pods, ECS trunking), or None."""
        row = self._limits.get(instance_type)
        return None if row is None else dict(row)


def _quote(row: Mapping[str, Any]) -> PriceQuote:
    term = row["term"]
    if term == "Reserved":
        term = " ".join(str(p) for p in ("Reserved", row["lease_contract_length"], row["offering_class"],
                                         row["purchase_option"]) if p)
    return PriceQuote(price_key=row["price_key"], region=row["region"], usd_per_unit=float(row["price_usd"]),
                      unit=row["unit"], sku=row["sku"], rate_code=row["rate_code"],
                      publication_date=row["publication_date"], source=row["source"], term=term,
                      instance_type=row["instance_type"] if isinstance(row["instance_type"], str) else "",
                      description=row["description"], end_range=float(row["end_range"]))
