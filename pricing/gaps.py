"""Prices the bundled Price List data lacks, and how the model treats each.

Each gap becomes a dated, sourced, user-overridable assumption: never a silent zero.
The model reads these through :meth:`pricing.pricebook.PriceBook.assumption`, which
labels the quote ``source="assumption"`` so every line item built on one says so.
``advisor prices status`` and the README list them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True, slots=True, kw_only=True)
class KnownGap:
    """A price the snapshot cannot take from the Price List, with its stand-in."""

    key: str
    what: str
    treatment: str
    unit: str
    source: str
    as_of: str
    #: Region -> value; ``"*"`` applies to every Region.
    values: Mapping[str, float]

    def value(self, region: str) -> float | None:
        """The stand-in for ``region`` (its own or the ``*`` default), or None."""
        return self.values.get(region, self.values.get("*"))


def _values(**kwargs: float) -> Mapping[str, float]:
    return MappingProxyType({k.replace("_", "-"): v for k, v in kwargs.items()})


KNOWN_GAPS: tuple[KnownGap, ...] = (
    KnownGap(
        key="eks.auto_mode_fee_fraction",
        what="EKS Auto Mode management fee per instance (AmazonEKS, eksproducttype=AutoMode)",
        treatment="12% of the instance's EC2 On-Demand price per hour, whatever the purchase option",
        unit="fraction of EC2 On-Demand",
        source="AWS EKS pricing feed 2025-10-28: 775 of 862 us-east-1 Auto Mode fees equal 12% of an "
               "EC2 Linux On-Demand price (aws-price-data PROVENANCE §4); a Price List with Auto Mode "
               "records replaces this",
        as_of="2025-10-28", values=_values(**{"*": 0.12}),
    ),
    KnownGap(
        key="fargate.spot_discount",
        what="Fargate Spot rates (not in the Price List; published in a separate Fargate Spot feed)",
        treatment="Fargate On-Demand rate × (1 − discount); the discount is an assumption",
        unit="fraction off On-Demand",
        source="AWS Fargate pricing page: Fargate Spot runs tasks 'at up to a 70% discount'; "
               "the typical observed discount is about 70% in these Regions",
        as_of="2025-10-27", values=_values(**{"*": 0.70}),
    ),
    KnownGap(
        key="savings_plans.compute_fargate_discount_1yr",
        what="Compute Savings Plans rates for Fargate (AmazonComputeSavingsPlan offer files not bundled)",
        treatment="Fargate On-Demand × (1 − discount), 1-year No Upfront",
        unit="fraction off On-Demand",
        source="AWS Savings Plans pricing page, Fargate rates in us-east-1: about 20% off for "
               "1-year No Upfront Compute Savings Plans",
        as_of="2025-10-27", values=_values(**{"*": 0.20}),
    ),
    KnownGap(
        key="savings_plans.compute_fargate_discount_3yr",
        what="Compute Savings Plans rates for Fargate, 3-year",
        treatment="Fargate On-Demand × (1 − discount), 3-year No Upfront",
        unit="fraction off On-Demand",
        source="AWS Savings Plans pricing page: about 45% off for 3-year No Upfront on Fargate "
               "(up to 52% All Upfront)",
        as_of="2025-10-27", values=_values(**{"*": 0.45}),
    ),
    KnownGap(
        key="savings_plans.compute_ec2",
        what="Compute Savings Plans rates for EC2 instances",
        treatment="the instance's Convertible Reserved Instance (No Upfront) rate of the same term, "
                  "which AWS prices Compute Savings Plans in line with",
        unit="USD per hour (from the RI rows of the price table)",
        source="AWS Savings Plans FAQ: Compute Savings Plans offer savings like Convertible RIs",
        as_of="2025-04-04", values=_values(),
    ),
    KnownGap(
        key="transfer.internet_out_gb",
        what="Data transfer out to the internet (AWSDataTransfer offer not bundled; table has no SKUs)",
        treatment="tiered per-GB rates per Region from the dated pricing-page table in the price store "
                  "(first 10 TB, next 40 TB, next 100 TB, over 150 TB; the 100 GB free tier not applied)",
        unit="USD per GB",
        source="AWS EC2 pricing page data-transfer table, 2025-06-05 "
               "(network/datatransfer_pricing_page_2025-06-05_allregions.csv)",
        as_of="2025-06-05", values=_values(),
    ),
    KnownGap(
        key="ecr.storage_gb_month",
        what="Amazon ECR image storage (AmazonECR offer not bundled)",
        treatment="USD 0.10 per GB-month in every Region",
        unit="USD per GB-month",
        source="Amazon ECR pricing page: storage $0.10 per GB-month",
        as_of="2025-10-01", values=_values(**{"*": 0.10}),
    ),
    KnownGap(
        key="cloudmap.resource_month",
        what="AWS Cloud Map service discovery (AWSCloudMap offer not bundled)",
        treatment="USD 0.10 per registered instance per month; DNS queries priced separately "
                  "by Route 53 and not modelled",
        unit="USD per registered instance per month",
        source="AWS Cloud Map pricing page: $0.10 per registered resource per month",
        as_of="2025-10-01", values=_values(**{"*": 0.10}),
    ),
    KnownGap(
        key="ecs.managed_instances_fee_fraction",
        what="Amazon ECS Managed Instances management fee per instance (the AmazonECS feed has only "
             "unnamed per-instance entries)",
        treatment="12% of the instance's EC2 On-Demand price per hour, whatever the purchase option; "
                  "marked confirmed for a type when 12% of its On-Demand price equals one of the feed's "
                  "entries (that entry's SKU is cited); a named Price List record replaces it",
        unit="fraction of EC2 On-Demand",
        source="Amazon ECS pricing page (Managed Instances example: $0.037/hour for a c6a.2xlarge, 12% of "
               "$0.306); AmazonECS pricing feed 2025-10-27: 692 of 892 us-east-1 unnamed entries equal 12% "
               "of an EC2 On-Demand price (aws-price-data PROVENANCE §4)",
        as_of="2025-10-27", values=_values(**{"*": 0.12}),
    ),
    KnownGap(
        key="transfer.inter_az_gb",
        what="Data transfer between Availability Zones in one Region (AWSDataTransfer offer not bundled)",
        treatment="USD 0.01 per GB in each direction, so each GB that crosses AZs is billed twice",
        unit="USD per GB per direction",
        source="Amazon EC2 On-Demand pricing page, 'Data transfer within the same AWS Region': $0.01/GB in "
               "each direction across Availability Zones (the page was not in the stored documentation on "
               "2026-12-03; the rate is quoted the same by several 2024-2026 write-ups of it)",
        as_of="2026-12-03", values=_values(**{"*": 0.01}),
    ),
    KnownGap(
        key="ec2.windows_instance_hour",
        what="EC2 Windows instance prices (the bundled EC2 data is Linux only)",
        treatment="Windows services on ECS/EKS with EC2 nodes are flagged as unpriced; "
                  "import or refresh a full AmazonEC2 offer to price them",
        unit="-", source="aws-price-data PROVENANCE §6.4", as_of="2025-04-04", values=_values(),
    ),
)

GAPS_BY_KEY: Mapping[str, KnownGap] = MappingProxyType({g.key: g for g in KNOWN_GAPS})
