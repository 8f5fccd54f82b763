"""AWS Region codes, Price List location names and usage-type prefixes.

The Price List identifies a Region three ways: ``regionCode`` (newer records),
``location`` (every record; the only one in old records) and the prefix of
``usagetype`` (``USE1-BoxUsage:m5.large``).  Normalization needs all three: the
prefix must be stripped before a selector's usage-type pattern is matched.

References
----------
AWS Billing User Guide, "Understanding your usage types"; prefixes as they appear in
the Price List offer files (for example ``USE1``, ``EU``, ``APN2``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RegionInfo:
    """One commercial AWS Region as the Price List names it."""

    code: str
    location: str
    usage_prefix: str


REGIONS: tuple[RegionInfo, ...] = (
    RegionInfo("us-east-1", "US East (N. Virginia)", "USE1"),
    RegionInfo("us-east-2", "US East (Ohio)", "USE2"),
    RegionInfo("us-west-1", "US West (N. California)", "USW1"),
    RegionInfo("us-west-2", "US West (Oregon)", "USW2"),
    RegionInfo("ca-central-1", "Canada (Central)", "CAN1"),
    RegionInfo("eu-west-1", "EU (Ireland)", "EU"),
    RegionInfo("eu-west-2", "EU (London)", "EUW2"),
    RegionInfo("eu-west-3", "EU (Paris)", "EUW3"),
    RegionInfo("eu-central-1", "EU (Frankfurt)", "EUC1"),
    RegionInfo("eu-north-1", "EU (Stockholm)", "EUN1"),
    RegionInfo("ap-northeast-1", "Asia Pacific (Tokyo)", "APN1"),
    RegionInfo("ap-northeast-2", "Asia Pacific (Seoul)", "APN2"),
    RegionInfo("ap-northeast-3", "Asia Pacific (Osaka)", "APN3"),
    RegionInfo("ap-southeast-1", "Asia Pacific (Singapore)", "APS1"),
    RegionInfo("ap-southeast-2", "Asia Pacific (Sydney)", "APS2"),
    RegionInfo("ap-south-1", "Asia Pacific (Mumbai)", "APS3"),
    RegionInfo("sa-east-1", "South America (Sao Paulo)", "SAE1"),
)

#: The Regions whose prices the embedded snapshot carries.
SNAPSHOT_REGIONS: tuple[str, ...] = (
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-northeast-1",
    "ap-northeast-2",
)

_BY_CODE = {r.code: r for r in REGIONS}
_BY_LOCATION = {r.location: r for r in REGIONS}


def known_region_codes() -> tuple[str, ...]:
    """All Region codes this module can map, in declaration order."""
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
