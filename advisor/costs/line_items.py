"""Line items and estimates: the auditable vocabulary shared by every platform.

A line item is quantity × unit price, with the price's SKU (or assumption key), its
publication date and a human formula.  Totals are sums of line items and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple

from advisor.costs.prices import Quote
from advisor.workload.scenario import Platform
from advisor.workload.units import MONTHS_PER_YEAR


class Category(StrEnum):
    """OpenCost-style buckets; every line item has one."""

    COMPUTE = "compute"
    IDLE = "idle"
    CONTROL_PLANE = "control-plane"
    MANAGEMENT = "management"
    NETWORKING = "networking"
    STORAGE = "storage"
    OBSERVABILITY = "observability"


class LineItem(NamedTuple):
    """One priced quantity.  ``monthly_usd`` is derived, never stored separately.

    Immutable like the model's frozen dataclasses, but a named tuple: an estimate makes hundreds
    of line items, an analysis as many per variant, and a tuple is built in a third of the time
    (0.46 µs against 1.36 µs for the frozen dataclass; a 10,000-draw Monte Carlo makes about
    four million). Made by :func:`item` only.
    """

    category: Category
    name: str
    environment: str
    quantity: float
    unit: str
    usd_per_unit: float
    price_key: str
    price_ref: str
    publication_date: str
    formula: str
    is_assumption: bool = False

    @property
    def monthly_usd(self) -> float:
        return self.quantity * self.usd_per_unit


def item(quote: Quote, *, category: Category, name: str, environment: str, quantity: float, unit: str,
         formula: str, usd_per_unit: float | None = None, assumption_note: str = "") -> LineItem:
    """A line item priced from ``quote`` (or a derived unit price, still referencing the quote).

    ``usd_per_unit`` overrides the quote's price when the unit price is derived from it
    (a Spot estimate, a Savings Plans discount); the reference then stays the quote's,
    and ``assumption_note`` says what was applied.
    """
    ref = quote.sku or quote.price_key
    if assumption_note:
        ref = f"{ref}; {assumption_note}"
    return LineItem(
        category=category, name=name, environment=environment, quantity=quantity, unit=unit,
        usd_per_unit=quote.usd_per_unit if usd_per_unit is None else usd_per_unit,
        price_key=quote.price_key, price_ref=ref, publication_date=quote.publication_date[:10],
        formula=formula, is_assumption=quote.source.startswith("assumption") or bool(assumption_note),
    )


def usd(value: float) -> str:
    """Display a unit price with full significant digits (``$0.04048``)."""
    return f"${value:.10g}"


def num(value: float) -> str:
    """Display a quantity compactly (``3``, ``0.5``, ``2190``)."""
    return f"{value:.6g}"


@dataclass(frozen=True, slots=True, kw_only=True)
class NodeSummary:
    """Placement facts of one environment on an EC2-backed platform, for display."""

    environment: str
    phase: str
    node_counts: tuple[tuple[str, int], ...]
    utilization_vcpu: float
    utilization_memory: float
    usd_per_hour: float
    lower_bound_usd_per_hour: float
    hours: float
    #: The packing is proven optimal (solved exactly), so it equals its lower bound.
    exact: bool = False

    @property
    def idle_usd_per_month(self) -> float:
        """Cost of the unrequested share of the binding dimension, over this phase's hours."""
        used = max(self.utilization_vcpu, self.utilization_memory)
        return self.usd_per_hour * (1 - used) * self.hours


@dataclass(frozen=True, slots=True, kw_only=True)
class Estimate:
    """One platform's monthly estimate."""

    platform: Platform
    region: str
    prices_as_of: str
    line_items: tuple[LineItem, ...]
    warnings: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    placements: tuple[NodeSummary, ...] = field(default_factory=tuple)

    @property
    def monthly_usd(self) -> float:
        return sum(i.monthly_usd for i in self.line_items)

    @property
    def annual_usd(self) -> float:
        return MONTHS_PER_YEAR * self.monthly_usd
