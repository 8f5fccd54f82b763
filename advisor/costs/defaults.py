"""Costs the user did not type: money a default decides, shown where it is decided.

A blank workload gets one NAT gateway per Availability Zone (the AWS high-availability
advice, ``Traffic.nat_gateway_count``): three gateways and their public IPv4 addresses,
about $110 a month in us-east-1, that nobody asked for.  Each :class:`DefaultedCost` says
which field decided it, what it costs a month (the exact difference of the shared line
items with the default and with the field switched off), and the value that switches it off.
"""

from __future__ import annotations

from dataclasses import dataclass

from advisor.costs.prices import PriceLookup
from advisor.costs.shared_items import shared_items
from advisor.workload.scenario import Scenario
from advisor.workload.units import HOURS_PER_MONTH


@dataclass(frozen=True, slots=True, kw_only=True)
class DefaultedCost:
    """A cost a default decided: the field (dotted path), what it is, its monthly cost and how to switch it off."""

    field: str
    what: str
    monthly_usd: float
    formula: str
    off_value: int


def _shared_usd(scenario: Scenario, prices: PriceLookup) -> float:
    return sum(li.monthly_usd for index, env in enumerate(scenario.environments)
               for li in shared_items(scenario, prices, env, first=index == 0))


def defaulted_costs(scenario: Scenario, prices: PriceLookup) -> tuple[DefaultedCost, ...]:
    """The scenario's defaulted costs (the same on every platform: they are shared line items)."""
    traffic = scenario.traffic
    if traffic.nat_gateways is not None or traffic.nat_gateway_count == 0:
        return ()
    off = scenario.model_copy(update={"traffic": traffic.model_copy(update={"nat_gateways": 0})})
    count, environments = traffic.nat_gateway_count, len(scenario.environments)
    hour = prices.price("nat.hour", scenario.region).usd_per_unit
    ipv4 = prices.price("vpc.public_ipv4_hour", scenario.region).usd_per_unit
    per = f" × {environments} environments" if environments > 1 else ""
    return (DefaultedCost(
        field="traffic.nat_gateways",
        what=f"{count} NAT gateways, one per Availability Zone",
        monthly_usd=_shared_usd(scenario, prices) - _shared_usd(off, prices),
        formula=f"({count} gateways × {HOURS_PER_MONTH} h × ${hour:g} + {count} public IPv4 addresses × "
                f"{HOURS_PER_MONTH} h × ${ipv4:g}){per}",
        off_value=0),)
