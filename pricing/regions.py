"""AWS Region codes, Price List location names and usage-type prefixes.

The Price List identifies a Region three ways: ``regionCode`` (newer records),
``location`` (every record; the only one in old records) and the prefix of
``usagetype`` (``USE1-BoxUsage:m5.large``).  Normalization needs all three: the
prefix must be stripped before a selector's usage-type pattern is matched.

References
----------
AWS documentation, "AWS Region billing codes" (prefixes such as ``USE1``, ``EU``, ``APN2``);
AWS Billing User Guide, "Understanding your usage types".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RegionInfo:
    """One commercial AWS Region as the Price List names it."""

    code: str
    location: str
    usage_prefix: str


#: Every commercial Region: code, Price List location and usage-type prefix.  Source of the
#: prefixes: AWS documentation, "AWS Region billing codes",
#: https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-region-billing-codes.html
#: (all 34 commercial Regions; cross-checked in aws-price-data PROVENANCE §6.3).  Locations are
#: the Price List's own spelling ("EU (Ireland)", not the newer "Europe (Ireland)").  This
#: table only maps names: which Regions have prices is decided by the price data
#: (``PriceBook.regions``), never by this list.
REGIONS: tuple[RegionInfo, ...] = (
    RegionInfo("us-east-1", "US East (N. Virginia)", "USE1"),
    RegionInfo("us-east-2", "US East (Ohio)", "USE2"),
    RegionInfo("us-west-1", "US West (N. California)", "USW1"),
    RegionInfo("us-west-2", "US West (Oregon)", "USW2"),
    RegionInfo("ca-central-1", "Canada (Central)", "CAN1"),
    RegionInfo("ca-west-1", "Canada West (Calgary)", "CAN2"),
    RegionInfo("mx-central-1", "Mexico (Central)", "MXC1"),
    RegionInfo("sa-east-1", "South America (Sao Paulo)", "SAE1"),
    RegionInfo("af-south-1", "Africa (Cape Town)", "AFS1"),
    RegionInfo("eu-west-1", "EU (Ireland)", "EU"),
    RegionInfo("eu-west-2", "EU (London)", "EUW2"),
    RegionInfo("eu-west-3", "EU (Paris)", "EUW3"),
    RegionInfo("eu-central-1", "EU (Frankfurt)", "EUC1"),
    RegionInfo("eu-central-2", "EU (Zurich)", "EUC2"),
    RegionInfo("eu-north-1", "EU (Stockholm)", "EUN1"),
    RegionInfo("eu-south-1", "EU (Milan)", "EUS1"),
    RegionInfo("eu-south-2", "EU (Spain)", "EUS2"),
    RegionInfo("il-central-1", "Israel (Tel Aviv)", "ILC1"),
    RegionInfo("me-central-1", "Middle East (UAE)", "MEC1"),
    RegionInfo("me-south-1", "Middle East (Bahrain)", "MES1"),
    RegionInfo("ap-east-1", "Asia Pacific (Hong Kong)", "APE1"),
    RegionInfo("ap-east-2", "Asia Pacific (Taipei)", "APE2"),
    RegionInfo("ap-northeast-1", "Asia Pacific (Tokyo)", "APN1"),
    RegionInfo("ap-northeast-2", "Asia Pacific (Seoul)", "APN2"),
    RegionInfo("ap-northeast-3", "Asia Pacific (Osaka)", "APN3"),
    RegionInfo("ap-south-1", "Asia Pacific (Mumbai)", "APS3"),
    RegionInfo("ap-south-2", "Asia Pacific (Hyderabad)", "APS5"),
    RegionInfo("ap-southeast-1", "Asia Pacific (Singapore)", "APS1"),
    RegionInfo("ap-southeast-2", "Asia Pacific (Sydney)", "APS2"),
    RegionInfo("ap-southeast-3", "Asia Pacific (Jakarta)", "APS4"),
    RegionInfo("ap-southeast-4", "Asia Pacific (Melbourne)", "APS6"),
    RegionInfo("ap-southeast-5", "Asia Pacific (Malaysia)", "APS7"),
    RegionInfo("ap-southeast-6", "Asia Pacific (New Zealand)", "APS8"),
    RegionInfo("ap-southeast-7", "Asia Pacific (Thailand)", "APS9"),
)

_BY_CODE = {r.code: r for r in REGIONS}
_BY_LOCATION = {r.location: r for r in REGIONS}


def known_region_codes() -> tuple[str, ...]:
    """Every commercial Region code AWS publishes prices for, in declaration order.

    What a refresh may ask for; what can be *priced* is ``PriceBook.regions``.
    """
    return tuple(r.code for r in REGIONS)


def region_info(code: str) -> RegionInfo:
    """Look up a Region by code; the error lists the codes that are allowed."""
    try:
        return _BY_CODE[code]
    except KeyError:
        allowed = ", ".join(known_region_codes())
        raise ValueError(f"unknown region {code!r}; allowed: {allowed}") from None


def region_from_attributes(attributes: dict[str, str]) -> str | None:
    """The Region code of a Price List product, from ``regionCode`` or ``location``."""
    code = attributes.get("regionCode")
    if code:
        return code
    info = _BY_LOCATION.get(attributes.get("location", ""))
    return info.code if info else None


def strip_usage_prefix(usage_type: str, region: str) -> str:
    """Remove the Region prefix from a usage type (``USE1-Fargate-GB-Hours`` -> ``Fargate-GB-Hours``).

    Only the prefix of *this* Region is removed: a generic ``[A-Z]+-`` rule would also
    eat the ``ECS-`` of ``ECS-Anywhere-Instance-hours``.  us-east-1 EC2 and ELB usage
    types have no prefix at all, which this handles by leaving them unchanged.
    """
    info = _BY_CODE.get(region)
    if info and usage_type.startswith(info.usage_prefix + "-"):
        return usage_type[len(info.usage_prefix) + 1 :]
    return usage_type
