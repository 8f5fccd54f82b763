"""Purchase options, applied the same way on every platform.

The steady part of compute is bought On-Demand, with Reserved Instances (EC2 only;
Fargate has none, so its closest commitment, a Compute Savings Plan of the same
term, is used and said), or with Compute Savings Plans; ``spot_share`` of the hours
run on Spot (EC2) or Fargate Spot.  Rates the Price List lacks come from the price
book's dated assumptions unless the scenario overrides them.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.costs.prices import PriceLookup, Quote
from advisor.workload.scenario import Platform, PurchaseOption, Scenario

_TERM = {PurchaseOption.RESERVED_1YR: "1yr", PurchaseOption.RESERVED_3YR: "3yr",
         PurchaseOption.SAVINGS_PLAN_1YR: "1yr", PurchaseOption.SAVINGS_PLAN_3YR: "3yr"}


def base_segment_name(option: PurchaseOption) -> str:
    """Display name of the non-Spot segment (``on-demand``, ``savings plan 1yr``...)."""
    return option.value.replace("-", " ")


@dataclass(frozen=True, slots=True, kw_only=True)
class FargateRates:
    """Fargate vCPU and GB rates for one architecture/OS, per purchase segment."""

    vcpu_quote: Quote
    gb_quote: Quote
    segments: tuple[tuple[str, float], ...]
    factors: dict[str, float]
    notes: dict[str, str]
    warnings: tuple[str, ...]

    def vcpu_usd(self, segment: str) -> float:
        return self.vcpu_quote.usd_per_unit * self.factors[segment]

    def gb_usd(self, segment: str) -> float:
        return self.gb_quote.usd_per_unit * self.factors[segment]

    def note(self, segment: str) -> str:
        return self.notes.get(segment, "")


#: Name of the On-Demand segment: hours above a commitment's steady baseline are bought On-Demand.
ON_DEMAND_SEGMENT = base_segment_name(PurchaseOption.ON_DEMAND)


def fargate_spot_supported(platform: Platform, os: str) -> bool:
    """Fargate Spot runs ECS Linux tasks on x86_64 and arm64; not Windows, not EKS pods.

    "FARGATE_SPOT supports Linux tasks with the X86_64 architecture on platform version 1.3.0
    or later. FARGATE_SPOT supports Linux tasks with the ARM64 architecture on platform version
    1.4.0 or later" -- Amazon ECS API Reference, "CapacityProviderStrategyItem",
    https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html
    (read 2026-12-03; older copies of the Developer Guide page "AWS Fargate capacity providers"
    still say x86_64 only).  EKS runs no pod on Fargate Spot (EKS User Guide, "AWS Fargate
    considerations"), and "Windows containers on Fargate don't support the Fargate Spot capacity
    provider" (ECS Developer Guide, "AWS Fargate capacity providers").
    """
    return platform is Platform.ECS_FARGATE and os == "linux"


def _fargate_keys(platform: Platform, architecture: str, os: str) -> tuple[str, str]:
    if platform is Platform.EKS_FARGATE:
        return "eks.fargate_vcpu_hour", "eks.fargate_gb_hour"
    if os == "windows":
        return "fargate.windows_vcpu_hour", "fargate.windows_gb_hour"
    if architecture == "arm64":
        return "fargate.arm_vcpu_hour", "fargate.arm_gb_hour"
    return "fargate.vcpu_hour", "fargate.gb_hour"


def _fraction(scenario: Scenario, prices: PriceLookup, key: str, override: float | None) -> tuple[float, str]:
    if override is not None:
        return override, f"{key} {override:g} (scenario override)"
    quote = prices.assumption(key, scenario.region)
    return quote.usd_per_unit, f"{key} {quote.usd_per_unit:g} (assumption as of {quote.publication_date})"


def fargate_rates(scenario: Scenario, platform: Platform, prices: PriceLookup, architecture: str,
                  os: str) -> FargateRates:
    """Rates and segment shares for Fargate tasks of one architecture/OS."""
    vcpu_key, gb_key = _fargate_keys(platform, architecture, os)
    option, spot = scenario.purchase.option, scenario.purchase.spot_share
    warnings: list[str] = []
    base = base_segment_name(option)
    factors, notes = {base: 1.0, ON_DEMAND_SEGMENT: 1.0}, {}
    if option is not PurchaseOption.ON_DEMAND:
        term = _TERM[option]
        if option in (PurchaseOption.RESERVED_1YR, PurchaseOption.RESERVED_3YR):
            warnings.append(f"Fargate has no Reserved Instances: {option.value} is priced as a {term} "
                            "Compute Savings Plan for Fargate tasks")
        discount, note = _fraction(scenario, prices, f"savings_plans.compute_fargate_discount_{term}",
                                   scenario.assumptions.savings_plan_fargate_discount)
        factors[base], notes[base] = 1 - discount, f"Compute Savings Plan: {note}"
    if spot > 0 and not fargate_spot_supported(platform, os):
        warnings.append(f"Fargate Spot is not available for {platform.value} {os}/{architecture} tasks; "
                        "they run entirely at the non-Spot rate")
        spot = 0.0
    segments = [(base, 1 - spot)]
    if spot > 0:
        discount, note = _fraction(scenario, prices, "fargate.spot_discount",
                                   scenario.assumptions.fargate_spot_discount)
        factors["fargate spot"], notes["fargate spot"] = 1 - discount, f"Fargate Spot: {note}"
        segments.append(("fargate spot", spot))
    region = scenario.region
    return FargateRates(vcpu_quote=prices.price(vcpu_key, region), gb_quote=prices.price(gb_key, region),
                        segments=tuple(segments), factors=factors, notes=notes, warnings=tuple(warnings))


@dataclass(frozen=True, slots=True, kw_only=True)
class NodePrice:
    """What one node-hour of an instance type costs under the scenario's purchase options."""

    base_quote: Quote
    base_segment: str
    #: The On-Demand rate: hours above the steady baseline are not covered by a commitment.
    on_demand_quote: Quote
    spot_usd_per_hour: float | None
    spot_note: str
    spot_share: float

    @property
    def effective_usd_per_hour(self) -> float:
        """Blended hourly price used to choose instance types."""
        spot = self.spot_usd_per_hour if self.spot_usd_per_hour is not None else self.base_quote.usd_per_unit
        return (1 - self.spot_share) * self.base_quote.usd_per_unit + self.spot_share * spot


def node_price(scenario: Scenario, prices: PriceLookup, instance_type: str) -> NodePrice | None:
    """Node price under the purchase options, or None when the type lacks the needed rate.

    Compute Savings Plans for EC2 are priced at the Convertible No Upfront RI rate of the
    same term (the documented assumption ``savings_plans.compute_ec2``).
    """
    region, option, share = scenario.region, scenario.purchase.option, scenario.purchase.spot_share
    try:
        if option is PurchaseOption.ON_DEMAND:
            base = prices.price("ec2.instance_hour", region, instance_type=instance_type)
        else:
            cls = "standard" if option in (PurchaseOption.RESERVED_1YR, PurchaseOption.RESERVED_3YR) else "convertible"
            base = prices.price("ec2.instance_hour", region, instance_type=instance_type, term="Reserved",
                                lease_contract_length=_TERM[option], offering_class=cls,
                                purchase_option="No Upfront")
        on_demand = prices.price("ec2.instance_hour", region, instance_type=instance_type)
    except LookupError:
        return None
    spot_usd, note = None, ""
    if share > 0:
        savings = prices.spot_savings(region, instance_type)
        if savings is None:
            return None
        spot_usd = on_demand.usd_per_unit * (1 - savings[0] / 100)
        note = f"Spot estimate: On-Demand less {savings[0]:g}% (Spot Advisor), interruptions {savings[1]}"
    return NodePrice(base_quote=base, base_segment=base_segment_name(option), on_demand_quote=on_demand,
                     spot_usd_per_hour=spot_usd,
                     spot_note=note, spot_share=share)
