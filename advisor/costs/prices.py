"""What the model needs from a price book: a narrow Protocol, so ``advisor`` never imports ``pricing``.

``pricing.pricebook.PriceBook`` satisfies it; tests can pass any object that does.
"""

from __future__ import annotations

from typing import Any, Protocol


class Quote(Protocol):
    """One price with its provenance (see ``pricing.pricebook.PriceQuote``)."""

    price_key: str
    usd_per_unit: float
    unit: str
    sku: str
    publication_date: str
    source: str
    term: str
    end_range: float


class InstanceOfferLike(Protocol):
    """An EC2 instance type with its On-Demand price."""

    instance_type: str
    vcpu: float
    memory_gib: float
    architecture: str
    usd_per_hour: float


class PriceLookup(Protocol):
    """Read-only price questions the cost builders ask."""

    @property
    def regions(self) -> tuple[str, ...]:
        """The Regions the prices cover."""
        ...

    def instance_types(self) -> frozenset[str]:
        """Every EC2 instance type of the prices, in any Region."""
        ...

    def price(self, price_key: str, region: str, *, instance_type: str = "", term: str = "OnDemand",
              lease_contract_length: str = "", offering_class: str = "", purchase_option: str = "",
              tier_gb: float = 0.0) -> Quote: ...

    def assumption(self, key: str, region: str, *, tier_gb: float = 0.0) -> Quote: ...

    def prices_as_of(self, region: str) -> str: ...

    def instance_offers(self, region: str, *, operating_system: str = "Linux") -> tuple[InstanceOfferLike, ...]: ...

    def spot_savings(self, region: str, instance_type: str) -> tuple[float, str] | None: ...

    def instance_limits(self, instance_type: str) -> dict[str, Any] | None: ...
