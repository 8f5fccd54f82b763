"""Line items every platform shares: load balancers, NAT, logs, egress, images, discovery, IPv4.

They do not depend on how containers are run, so they are built once per environment
with the same inputs on every platform; a comparison then differs only where the
platforms really differ.  Traffic drivers of an environment are scaled by its
``scale`` (a staging environment at 0.25 sees a quarter of prod's traffic).
"""

from __future__ import annotations

import math

from advisor.costs.line_items import Category, LineItem, item, num, usd
from advisor.costs.prices import PriceLookup, Quote
from advisor.errors import AdvisorError
from advisor.workload.scenario import Environment, LoadBalancer, Scenario
from advisor.workload.units import HOURS_PER_MONTH

# ALB capacity unit (LCU) dimensions; an LCU-hour is the largest of the four, not their sum.
# Source: Elastic Load Balancing pricing page, "Application Load Balancer" / LCU details.
ALB_NEW_CONNECTIONS_PER_SECOND_PER_LCU = 25.0
ALB_ACTIVE_CONNECTIONS_PER_MINUTE_PER_LCU = 3000.0
ALB_PROCESSED_GB_PER_HOUR_PER_LCU = 1.0  # EC2 instance, container and IP targets
ALB_RULE_EVALUATIONS_PER_SECOND_PER_LCU = 1000.0
ALB_FREE_RULES = 10  # the first 10 rules are not charged as rule evaluations
# NLB capacity unit (NLCU) dimensions for TCP traffic; same page, "Network Load Balancer".
NLB_NEW_CONNECTIONS_PER_SECOND_PER_NLCU = 800.0
NLB_ACTIVE_CONNECTIONS_PER_NLCU = 100_000.0
NLB_PROCESSED_GB_PER_HOUR_PER_NLCU = 1.0
# Inter-AZ data transfer is charged "in each direction" (Amazon EC2 On-Demand pricing page, "Data
# transfer within the same AWS Region"): a GB sent from one AZ to another is billed out and in.
INTER_AZ_BILLED_DIRECTIONS = 2


def alb_lcus(lb: LoadBalancer, scale: float = 1.0) -> dict[str, float]:
    """LCUs per hour on each ALB dimension; the billed LCU is the maximum.

    Rule evaluations are ``requests/s × (rules − 10 free)``, per the pricing page.
    """
    return {
        "new connections": lb.new_connections_per_second * scale / ALB_NEW_CONNECTIONS_PER_SECOND_PER_LCU,
        "active connections": lb.active_connections_per_minute * scale / ALB_ACTIVE_CONNECTIONS_PER_MINUTE_PER_LCU,
        "processed bytes": lb.processed_gb_per_month * scale / HOURS_PER_MONTH / ALB_PROCESSED_GB_PER_HOUR_PER_LCU,
        "rule evaluations": lb.requests_per_second * scale * max(lb.rules - ALB_FREE_RULES, 0)
        / ALB_RULE_EVALUATIONS_PER_SECOND_PER_LCU,
    }


def nlb_nlcus(lb: LoadBalancer, scale: float = 1.0) -> dict[str, float]:
    """NLCUs per hour on each NLB (TCP) dimension; the billed NLCU is the maximum."""
    return {
        "new connections": lb.new_connections_per_second * scale / NLB_NEW_CONNECTIONS_PER_SECOND_PER_NLCU,
        "active connections": lb.active_connections_per_minute * scale / NLB_ACTIVE_CONNECTIONS_PER_NLCU,
        "processed bytes": lb.processed_gb_per_month * scale / HOURS_PER_MONTH / NLB_PROCESSED_GB_PER_HOUR_PER_NLCU,
    }


def load_balancer_items(lb: LoadBalancer, prices: PriceLookup, region: str, env: Environment) -> list[LineItem]:
    """Hours plus capacity-unit-hours of one load-balancer entry (``count`` balancers)."""
    if lb.count == 0:
        return []
    kind = lb.type.upper()
    hour = prices.price(f"elb.{lb.type}_hour", region)
    cap_key = "elb.alb_lcu_hour" if lb.type == "alb" else "elb.nlb_nlcu_hour"
    dims = alb_lcus(lb, env.scale) if lb.type == "alb" else nlb_nlcus(lb, env.scale)
    binding = max(dims, key=lambda k: dims[k])
    units = dims[binding]
    unit_name = "LCU" if lb.type == "alb" else "NLCU"
    cap = prices.price(cap_key, region)
    hours = lb.count * HOURS_PER_MONTH
    items = [item(hour, category=Category.NETWORKING, name=f"Load balancer hours ({kind})", environment=env.name,
                  quantity=hours, unit="hours",
                  formula=f"{lb.count} {kind} × {HOURS_PER_MONTH} h × {usd(hour.usd_per_unit)}")]
    if units > 0:
        items.append(item(cap, category=Category.NETWORKING, name=f"Capacity units ({unit_name}, {kind})",
                          environment=env.name, quantity=hours * units, unit=f"{unit_name}-hours",
                          formula=f"{lb.count} {kind} × {HOURS_PER_MONTH} h × {num(units)} {unit_name} "
                                  f"(max dimension: {binding}) × {usd(cap.usd_per_unit)}"))
    return items


def nat_items(scenario: Scenario, prices: PriceLookup, env: Environment) -> list[LineItem]:
    """NAT gateway hours (one per AZ by default) and GB processed."""
    traffic, region = scenario.traffic, scenario.region
    count = traffic.nat_gateway_count
    items: list[LineItem] = []
    if count:
        hour = prices.price("nat.hour", region)
        items.append(item(hour, category=Category.NETWORKING, name="NAT gateway hours", environment=env.name,
                          quantity=count * HOURS_PER_MONTH, unit="hours",
                          formula=f"{count} gateways × {HOURS_PER_MONTH} h × {usd(hour.usd_per_unit)}"))
    gb = traffic.nat_processed_gb_per_month * env.scale
    if gb > 0:
        per_gb = prices.price("nat.gb_processed", region)
        items.append(item(per_gb, category=Category.NETWORKING, name="Data processed (NAT)", environment=env.name,
                          quantity=gb, unit="GB", formula=f"{num(gb)} GB × {usd(per_gb.usd_per_unit)}"))
    return items


def logs_items(scenario: Scenario, prices: PriceLookup, env: Environment) -> list[LineItem]:
    """CloudWatch Logs ingestion and the steady-state stored volume (ingest × retention)."""
    gb = scenario.traffic.logs_ingested_gb_per_month * env.scale
    if gb <= 0:
        return []
    ingest = prices.price("logs.ingestion_gb", scenario.region)
    items = [item(ingest, category=Category.OBSERVABILITY, name="Logs ingestion (CloudWatch)", environment=env.name,
                  quantity=gb, unit="GB", formula=f"{num(gb)} GB × {usd(ingest.usd_per_unit)}")]
    stored = gb * scenario.traffic.logs_retention_months
    if stored > 0:
        store = prices.price("logs.storage_gb_month", scenario.region)
        items.append(item(store, category=Category.OBSERVABILITY, name="Logs storage (CloudWatch)",
                          environment=env.name, quantity=stored, unit="GB-months",
                          formula=f"{num(gb)} GB/month × {num(scenario.traffic.logs_retention_months)} months "
                                  f"retained × {usd(store.usd_per_unit)}"))
    return items


def egress_items(scenario: Scenario, prices: PriceLookup, env: Environment) -> list[LineItem]:
    """Internet data transfer out, tier by tier (on AWS: first 10 TB, next 40 TB, next 100 TB, over 150 TB).

    Uses AWSDataTransfer Price List rows when the price book has them, else the dated
    pricing-page table (an assumption without SKU, labelled as such). Each quote says where
    its tier ends, so the boundaries come with the prices.
    """
    remaining = scenario.traffic.internet_egress_gb_per_month * env.scale
    items: list[LineItem] = []
    begin = 0.0
    while remaining > 0:
        quote = _transfer_quote(prices, scenario.region, begin)
        end = quote.end_range
        if not end > begin:
            raise AdvisorError(f"price data: the transfer.internet_out_gb tier that starts at {num(begin)} GB "
                               f"ends at {end} GB; a tier must end after it starts")
        gb = min(remaining, end - begin)
        items.append(item(quote, category=Category.NETWORKING,
                          name=f"Data transfer out to internet (tier from {num(begin)} GB)",
                          environment=env.name, quantity=gb, unit="GB",
                          formula=f"{num(gb)} GB × {usd(quote.usd_per_unit)}"))
        remaining -= gb
        begin = end
    return items


def inter_az_items(scenario: Scenario, prices: PriceLookup, env: Environment) -> list[LineItem]:
    """Traffic between Availability Zones: billed when it leaves one AZ and again when it enters the other."""
    gb = scenario.traffic.inter_az_gb_per_month * env.scale
    if gb <= 0:
        return []
    rate = prices.assumption("transfer.inter_az_gb", scenario.region)
    return [item(rate, category=Category.NETWORKING, name="Data transfer between Availability Zones",
                 environment=env.name, quantity=gb * INTER_AZ_BILLED_DIRECTIONS, unit="GB",
                 formula=f"{num(gb)} GB × {INTER_AZ_BILLED_DIRECTIONS} directions (out of one AZ, into the "
                         f"other) × {usd(rate.usd_per_unit)}")]


def _transfer_quote(prices: PriceLookup, region: str, begin_gb: float) -> Quote:
    try:
        return prices.price("transfer.internet_out_gb", region, tier_gb=begin_gb)
    except LookupError:
        return prices.assumption("transfer.internet_out_gb", region, tier_gb=begin_gb)


def fixed_items(scenario: Scenario, prices: PriceLookup, env: Environment, *, first: bool) -> list[LineItem]:
    """Image storage (ECR, once per scenario), service discovery and public IPv4 addresses."""
    region, traffic = scenario.region, scenario.traffic
    items: list[LineItem] = []
    if first and traffic.image_storage_gb > 0:
        ecr = prices.assumption("ecr.storage_gb_month", region)
        items.append(item(ecr, category=Category.STORAGE, name="Container images (ECR)", environment=env.name,
                          quantity=traffic.image_storage_gb, unit="GB-months",
                          formula=f"{num(traffic.image_storage_gb)} GB × {usd(ecr.usd_per_unit)}"))
    instances = math.ceil(traffic.service_discovery_instances * env.scale)
    if instances > 0:
        cloudmap = prices.assumption("cloudmap.resource_month", region)
        items.append(item(cloudmap, category=Category.NETWORKING, name="Service discovery (Cloud Map)",
                          environment=env.name, quantity=instances, unit="instance-months",
                          formula=f"{instances} registered instances × {usd(cloudmap.usd_per_unit)}"))
    addresses = traffic.nat_gateway_count + sum(lb.count for lb in traffic.load_balancers) * traffic.availability_zones
    if addresses > 0:
        ipv4 = prices.price("vpc.public_ipv4_hour", region)
        items.append(item(ipv4, category=Category.NETWORKING, name="Public IPv4 addresses", environment=env.name,
                          quantity=addresses * HOURS_PER_MONTH, unit="address-hours",
                          formula=f"({traffic.nat_gateway_count} NAT + load balancers × "
                                  f"{traffic.availability_zones} AZs) = {addresses} addresses × "
                                  f"{HOURS_PER_MONTH} h × {usd(ipv4.usd_per_unit)}"))
    return items


def shared_items(scenario: Scenario, prices: PriceLookup, env: Environment, *, first: bool) -> list[LineItem]:
    """All shared line items of one environment, in display order."""
    items: list[LineItem] = []
    for lb in scenario.traffic.load_balancers:
        items.extend(load_balancer_items(lb, prices, scenario.region, env))
    items.extend(nat_items(scenario, prices, env))
    items.extend(fixed_items(scenario, prices, env, first=first))
    items.extend(logs_items(scenario, prices, env))
    items.extend(egress_items(scenario, prices, env))
    items.extend(inter_az_items(scenario, prices, env))
    return items
