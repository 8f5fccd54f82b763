"""Per-instance management fees: EKS Auto Mode and Amazon ECS Managed Instances.

Both platforms bill the EC2 instance plus a fee per instance-hour that AWS publishes per
instance type.  Where the price book has the named Price List record it is used; otherwise
the fee is a dated, sourced, overridable fraction of the instance's On-Demand price.

Sources
-------
- EKS Auto Mode: the 2025-10-28 AmazonEKS pricing feed's Auto Mode fees are 12% of EC2 Linux
  On-Demand prices (775 of 862 in us-east-1; aws-price-data PROVENANCE §4).
- ECS Managed Instances (GA 2025-09-30): "a management fee per instance-hour ... billed per
  second with a one-minute minimum"; the Amazon ECS pricing page's example is $0.037 an hour for
  a c6a.2xlarge (12% of its $0.306 On-Demand price).  The AmazonECS pricing-page feed of
  2025-10-27 carries these fees only as unnamed entries; 692 of 892 in us-east-1 equal 12% of an
  EC2 On-Demand price (PROVENANCE §4).  Where 12% of a type's On-Demand price is one of the
  feed's entries, the snapshot records the match (``ecs.managed_instances_fee_match``, built by
  ``pricing.ecs_fee_entries``) and the line item cites that entry's SKU: the type is confirmed,
  though the mapping stays an inference.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.costs.line_items import usd
from advisor.costs.prices import PriceLookup, Quote
from advisor.workload.platforms import Platform
from advisor.workload.scenario import Scenario

#: Price keys of each platform's fee: the named Price List record, the feed-entry match, the assumption.
_KEYS: dict[Platform, tuple[str, str, str]] = {
    Platform.EKS_AUTO: ("eks.auto_mode_instance_hour", "", "eks.auto_mode_fee_fraction"),
    Platform.ECS_MANAGED: ("ecs.managed_instance_hour", "ecs.managed_instances_fee_match",
                           "ecs.managed_instances_fee_fraction"),
}
_LABELS: dict[Platform, str] = {Platform.EKS_AUTO: "EKS Auto Mode fee",
                                Platform.ECS_MANAGED: "ECS Managed Instances fee"}

#: Tolerance when checking that a feed entry equals fraction × On-Demand (the feed has 10 decimals).
_MATCH_TOLERANCE_USD = 5e-7


@dataclass(frozen=True, slots=True)
class ManagementFee:
    """One instance type's fee per hour, the quote it cites and how it was obtained."""

    label: str
    quote: Quote
    usd_per_hour: float
    note: str
    formula: str


def has_management_fee(platform: Platform) -> bool:
    """EKS Auto Mode and ECS Managed Instances bill a fee per instance-hour on top of EC2."""
    return platform in _KEYS


def _override(scenario: Scenario, platform: Platform) -> float | None:
    if platform is Platform.EKS_AUTO:
        return scenario.assumptions.auto_mode_fee_fraction
    return scenario.assumptions.ecs_managed_fee_fraction


def management_fee(scenario: Scenario, platform: Platform, prices: PriceLookup, itype: str) -> ManagementFee:
    """The fee of one instance-hour of ``itype`` on ``platform`` (Auto Mode or ECS Managed Instances)."""
    region, label = scenario.region, _LABELS[platform]
    named, match_key, fraction_key = _KEYS[platform]
    try:
        fee = prices.price(named, region, instance_type=itype)
        return ManagementFee(label, fee, fee.usd_per_unit, "", usd(fee.usd_per_unit))
    except LookupError:
        pass
    on_demand = prices.price("ec2.instance_hour", region, instance_type=itype)
    fraction = _override(scenario, platform)
    if fraction is None:
        assumed = prices.assumption(fraction_key, region)
        fraction, source = assumed.usd_per_unit, f"assumption as of {assumed.publication_date[:10]}"
    else:
        source = "scenario override"
    usd_per_hour = fraction * on_demand.usd_per_unit
    formula = f"{fraction:g} × {usd(on_demand.usd_per_unit)}"
    if match_key:
        try:
            entry = prices.price(match_key, region, instance_type=itype)
        except LookupError:
            entry = None
        if entry is not None and abs(entry.usd_per_unit - usd_per_hour) <= _MATCH_TOLERANCE_USD:
            return ManagementFee(label, entry, usd_per_hour,
                                 f"{label} {fraction:g} × On-Demand ({source}), confirmed: equals an unnamed "
                                 f"AmazonECS feed entry of {entry.publication_date[:10]}", formula)
    return ManagementFee(label, on_demand, usd_per_hour, f"{label} {fraction:g} × On-Demand ({source})", formula)
