"""Which Price List records the advisor keeps, and why: one declarative table.

Each :class:`PriceSelector` names a canonical ``price_key`` and the product it stands
for (offer, product family, usage type without the Region prefix, exact attributes),
with the unit AWS bills it in and the reason it exists.  Normalization keeps a product
only when exactly one selector matches it; two matches are a bug in this table and
raise.  The usage-type patterns are anchored regular expressions, matched after the
Region prefix is stripped (infracost matches usage types the same way).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from pricing.regions import strip_usage_prefix


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceSelector:
    """A rule that keeps one kind of Price List product under a canonical key."""

    price_key: str
    service: str
    offer_code: str
    usage_type: str
    units: tuple[str, ...]
    reason: str
    #: One family, or several (AWS files ``*.metal`` types under "Compute Instance (bare metal)").
    product_family: str | tuple[str, ...] | None = None
    attributes: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def matches(self, offer_code: str, product_family: str, attributes: Mapping[str, str],
                region: str) -> bool:
        """True when the product is this selector's; the Region prefix is ignored."""
        if offer_code != self.offer_code:
            return False
        if self.product_family is not None:
            families = (self.product_family,) if isinstance(self.product_family, str) else self.product_family
            if product_family not in families:
                return False
        if any(attributes.get(k) != v for k, v in self.attributes.items()):
            return False
        bare = strip_usage_prefix(attributes.get("usagetype", ""), region)
        return re.fullmatch(self.usage_type, bare) is not None


def _attrs(**kwargs: str) -> Mapping[str, str]:
    return MappingProxyType(dict(kwargs))


# Karpenter's TERM_MATCH set for a plain Linux On-Demand instance: shared tenancy, no
# pre-installed software (SQL Server rows would overwrite the Linux price otherwise),
# capacitystatus Used (not the AllocatedCapacityReservation / UnusedCapacityReservation
# twins, which carry the same instance type and a different meaning).
_EC2_FAMILIES = ("Compute Instance", "Compute Instance (bare metal)")
_EC2_COMMON = {"tenancy": "Shared", "preInstalledSw": "NA", "capacitystatus": "Used"}

SELECTORS: tuple[PriceSelector, ...] = (
    # --- ECS on Fargate (AmazonECS) -------------------------------------------------
    PriceSelector(price_key="fargate.vcpu_hour", service="fargate", offer_code="AmazonECS",
                  usage_type=r"Fargate-vCPU-Hours:perCPU", units=("hours",),
                  reason="Fargate Linux/x86 task vCPU, billed per vCPU-hour"),
    PriceSelector(price_key="fargate.gb_hour", service="fargate", offer_code="AmazonECS",
                  usage_type=r"Fargate-GB-Hours", units=("hours",),
                  reason="Fargate Linux/x86 task memory, billed per GB-hour"),
    PriceSelector(price_key="fargate.arm_vcpu_hour", service="fargate", offer_code="AmazonECS",
                  usage_type=r"Fargate-ARM-vCPU-Hours:perCPU", units=("hours",),
                  reason="Fargate Linux/ARM (Graviton) vCPU, about 20% below x86"),
    PriceSelector(price_key="fargate.arm_gb_hour", service="fargate", offer_code="AmazonECS",
                  usage_type=r"Fargate-ARM-GB-Hours", units=("hours",),
                  reason="Fargate Linux/ARM (Graviton) memory"),
    PriceSelector(price_key="fargate.windows_vcpu_hour", service="fargate", offer_code="AmazonECS",
                  usage_type=r"Fargate-Windows-vCPU-Hours:perCPU", units=("hours",),
                  reason="Fargate Windows vCPU (the OS licence is a separate line)"),
    PriceSelector(price_key="fargate.windows_gb_hour", service="fargate", offer_code="AmazonECS",
                  usage_type=r"Fargate-Windows-GB-Hours", units=("hours",),
                  reason="Fargate Windows memory"),
    PriceSelector(price_key="fargate.windows_license_vcpu_hour", service="fargate",
                  offer_code="AmazonECS", usage_type=r"Fargate-Windows-OS-Hours:perCPU",
                  units=("hours",),
                  reason="Windows Server licence fee per vCPU-hour on Fargate (15-minute minimum)"),
    PriceSelector(price_key="fargate.ephemeral_storage_gb_hour", service="fargate",
                  offer_code="AmazonECS", usage_type=r"Fargate-EphemeralStorage-GB-Hours",
                  units=("GB-Hours", "hours"),
                  reason="Fargate ephemeral storage above the 20 GiB included with every task"),
    # --- EKS (AmazonEKS) --------------------------------------------------------------
    PriceSelector(price_key="eks.cluster_hour", service="eks", offer_code="AmazonEKS",
                  usage_type=r"AmazonEKS-Hours:perCluster", units=("Hours", "hours"),
                  reason="EKS control plane in standard support, per cluster-hour"),
    PriceSelector(price_key="eks.extended_support_hour", service="eks", offer_code="AmazonEKS",
                  usage_type=r"AmazonEKS-Hours:extendedSupport", units=("hours", "Hours"),
                  reason="EKS control plane on a Kubernetes version in extended support"),
    PriceSelector(price_key="eks.fargate_vcpu_hour", service="eks", offer_code="AmazonEKS",
                  usage_type=r"Fargate-vCPU-Hours:perCPU", units=("hours",),
                  reason="EKS pods on Fargate are billed under AmazonEKS, not AmazonECS"),
    PriceSelector(price_key="eks.fargate_gb_hour", service="eks", offer_code="AmazonEKS",
                  usage_type=r"Fargate-GB-Hours", units=("hours",),
                  reason="EKS pods on Fargate, memory"),
    # Auto Mode products carry eksproducttype=AutoMode and the EC2 type in `instancetype`
    # (the shape ec2instances.info reads); the usage type itself is not relied on.
    PriceSelector(price_key="eks.auto_mode_instance_hour", service="eks", offer_code="AmazonEKS",
                  usage_type=r".+", units=("Hrs", "hours", "Hours"),
                  attributes=_attrs(eksproducttype="AutoMode"),
                  reason="EKS Auto Mode management fee per instance-hour, on top of EC2"),
    # --- EC2 instances (AmazonEC2) ----------------------------------------------------
    PriceSelector(price_key="ec2.instance_hour", service="ec2", offer_code="AmazonEC2",
                  product_family=_EC2_FAMILIES, usage_type=r"BoxUsage:.+", units=("Hrs",),
                  attributes=_attrs(**_EC2_COMMON, operatingSystem="Linux",
                                    licenseModel="No License required"),
                  reason="Linux instance-hours for ECS/EKS nodes (On-Demand and Reserved terms)"),
    PriceSelector(price_key="ec2.windows_instance_hour", service="ec2", offer_code="AmazonEC2",
                  product_family=_EC2_FAMILIES, usage_type=r"BoxUsage:.+", units=("Hrs",),
                  attributes=_attrs(**_EC2_COMMON, operatingSystem="Windows",
                                    licenseModel="No License required"),
                  reason="Windows (licence included) instance-hours for Windows container nodes"),
    # --- EBS (AmazonEC2) --------------------------------------------------------------
    PriceSelector(price_key="ebs.gp3_gb_month", service="ebs", offer_code="AmazonEC2",
                  product_family="Storage", usage_type=r"EBS:VolumeUsage\.gp3", units=("GB-Mo",),
                  reason="gp3 root volume of every EC2 node (the EKS and ECS AMI default)"),
    PriceSelector(price_key="ebs.gp2_gb_month", service="ebs", offer_code="AmazonEC2",
                  product_family="Storage", usage_type=r"EBS:VolumeUsage\.gp2", units=("GB-Mo",),
                  reason="gp2 root volumes, still the default in older launch templates"),
    # --- NAT gateway (AmazonEC2, as AWS files it) -------------------------------------
    PriceSelector(price_key="nat.hour", service="nat", offer_code="AmazonEC2",
                  product_family="NAT Gateway", usage_type=r"NatGateway-Hours", units=("Hrs",),
                  reason="NAT gateway hours, one gateway per AZ for private subnets"),
    PriceSelector(price_key="nat.gb_processed", service="nat", offer_code="AmazonEC2",
                  product_family="NAT Gateway", usage_type=r"NatGateway-Bytes", units=("GB",),
                  reason="Data processed by NAT (image pulls, outbound calls from private subnets)"),
    # --- Elastic Load Balancing (AWSELB) ------------------------------------------------
    PriceSelector(price_key="elb.alb_hour", service="elb", offer_code="AWSELB",
                  product_family="Load Balancer-Application", usage_type=r"LoadBalancerUsage",
                  units=("Hrs",), reason="Application Load Balancer hours"),
    PriceSelector(price_key="elb.alb_lcu_hour", service="elb", offer_code="AWSELB",
                  product_family="Load Balancer-Application", usage_type=r"LCUUsage",
                  units=("LCU-Hrs",), reason="ALB capacity units (max of the four LCU dimensions)"),
    PriceSelector(price_key="elb.nlb_hour", service="elb", offer_code="AWSELB",
                  product_family="Load Balancer-Network", usage_type=r"LoadBalancerUsage",
                  units=("Hrs",), reason="Network Load Balancer hours"),
    PriceSelector(price_key="elb.nlb_nlcu_hour", service="elb", offer_code="AWSELB",
                  product_family="Load Balancer-Network", usage_type=r"NLCUUsage",
                  units=("NLCU-Hrs",), reason="NLB capacity units"),
    # --- Public IPv4 (AmazonVPC; genuine products have no productFamily) ----------------
    PriceSelector(price_key="vpc.public_ipv4_hour", service="vpc", offer_code="AmazonVPC",
                  usage_type=r"PublicIPv4:InUseAddress", units=("Hrs",),
                  reason="Every public IPv4 address in use (NAT gateways, public nodes, ALB nodes)"),
    # --- CloudWatch Logs (AmazonCloudWatch) ---------------------------------------------
    PriceSelector(price_key="logs.ingestion_gb", service="logs", offer_code="AmazonCloudWatch",
                  usage_type=r"DataProcessing-Bytes", units=("GB",),
                  attributes=_attrs(operation="PutLogEvents"),
                  reason="CloudWatch Logs standard-class ingestion of container logs"),
    PriceSelector(price_key="logs.storage_gb_month", service="logs", offer_code="AmazonCloudWatch",
                  usage_type=r"TimedStorage-ByteHrs", units=("GB-Mo",),
                  reason="CloudWatch Logs archived storage, per GB-month of retention"),
    # --- Data transfer (AWSDataTransfer) --------------------------------------------------
    PriceSelector(price_key="transfer.internet_out_gb", service="transfer",
                  offer_code="AWSDataTransfer", usage_type=r"DataTransfer-Out-Bytes",
                  units=("GB",), reason="Data transfer out to the internet, tiered per GB"),
)

#: The ``--service`` groups, in display order, each with the selectors' reasons.
SERVICES: tuple[str, ...] = (*dict.fromkeys(s.service for s in SELECTORS), "spot")


def select(offer_code: str, product_family: str, attributes: Mapping[str, str],
           region: str) -> PriceSelector | None:
    """The one selector that keeps this product, or None; two matches raise ValueError."""
    hits = [s for s in SELECTORS if s.matches(offer_code, product_family, attributes, region)]
    if len(hits) > 1:
        keys = ", ".join(s.price_key for s in hits)
        raise ValueError(f"selectors overlap on usagetype {attributes.get('usagetype')!r}: {keys}")
    return hits[0] if hits else None
