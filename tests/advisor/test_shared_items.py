"""Shared line items against AWS's published rules and worked examples."""

import math

import pytest

from advisor.costs.shared_items import alb_lcus, egress_items, load_balancer_items, nat_items, shared_items
from advisor.workload.scenario import Environment, LoadBalancer, Scenario, Service, Traffic
from pricing.active import load_pricebook
from pricing.pricebook import PriceQuote

PROD = Environment(name="prod")


@pytest.fixture(scope="module")
def book():
    return load_pricebook(None)


def _scenario(**traffic) -> Scenario:
    return Scenario(name="t", services=(Service(name="a", vcpu=1, memory_gib=2, replicas=1),),
                    traffic=Traffic(**traffic))


def test_alb_lcu_pricing_page_example(book):
    """ELB pricing page example: 1 new conn/s lasting 2 min, 5 req/s, 300 KB/s, 60 rules.

    New connections 0.04 LCU, active connections 0.04, processed bytes 1.08 GB/h = 1.08 LCU,
    rule evaluations 5 × (60 − 10) = 250/s = 0.25 LCU; billed LCU = max = 1.08.
    In us-east-1: 730 × ($0.0225 + 1.08 × $0.008) = $22.7322 per month.
    """
    lb = LoadBalancer(type="alb", new_connections_per_second=1, active_connections_per_minute=120,
                      processed_gb_per_month=1.08 * 730, requests_per_second=5, rules=60)
    dims = alb_lcus(lb)
    assert dims["new connections"] == pytest.approx(0.04)
    assert dims["active connections"] == pytest.approx(0.04)
    assert dims["processed bytes"] == pytest.approx(1.08)
    assert dims["rule evaluations"] == pytest.approx(0.25)
    items = load_balancer_items(lb, book, "us-east-1", PROD)
    assert [i.name for i in items] == ["Load balancer hours (ALB)", "Capacity units (LCU, ALB)"]
    assert items[1].quantity == pytest.approx(730 * 1.08)
    assert "max dimension: processed bytes" in items[1].formula
    assert sum(i.monthly_usd for i in items) == pytest.approx(22.7322)
    assert items[0].price_ref == "37CUWUT8GSNQEPUV"


def test_lcu_is_max_not_sum():
    lb = LoadBalancer(new_connections_per_second=25, active_connections_per_minute=3000,
                      processed_gb_per_month=730, requests_per_second=1000, rules=11)
    assert max(alb_lcus(lb).values()) == pytest.approx(1.0)


def test_nat_one_gateway_per_az_and_gb(book):
    items = nat_items(_scenario(availability_zones=3, nat_processed_gb_per_month=100), book, PROD)
    assert items[0].quantity == 3 * 730
    assert sum(i.monthly_usd for i in items) == pytest.approx(3 * 730 * 0.045 + 100 * 0.045)


def test_egress_tiers_split_at_10_tb(book):
    items = egress_items(_scenario(internet_egress_gb_per_month=20_000), book, PROD)
    assert [i.quantity for i in items] == [10240, 20_000 - 10240]
    assert items[0].usd_per_unit == 0.09 and items[1].usd_per_unit == 0.085
    assert all(i.is_assumption and i.price_ref == "transfer.internet_out_gb" for i in items)


class _TieredTransfer:
    """A price book whose egress comes as Price List rows with their own tier ends (a free first 100 GB)."""

    TIERS = ((100.0, 0.0), (10240.0, 0.09), (math.inf, 0.085))

    def price(self, price_key, region, *, tier_gb=0.0, **_):
        begin = 0.0
        for end, usd in self.TIERS:
            if begin <= tier_gb < end:
                return PriceQuote(price_key=price_key, region=region, usd_per_unit=usd, unit="GB",
                                  sku=f"SKU{int(begin)}", rate_code="", publication_date="2025-06-05",
                                  source="test", end_range=end)
            begin = end
        raise AssertionError(tier_gb)


def test_egress_tiers_come_from_the_prices_own_tier_ends():
    items = egress_items(_scenario(internet_egress_gb_per_month=20_000), _TieredTransfer(), PROD)
    assert [i.quantity for i in items] == [100, 10140, 20_000 - 10240]
    assert [i.price_ref for i in items] == ["SKU0", "SKU100", "SKU10240"]
    assert sum(i.monthly_usd for i in items) == pytest.approx(10140 * 0.09 + 9760 * 0.085)
    assert not any(i.is_assumption for i in items)


def test_environment_scale_scales_traffic_not_fixed_hours(book):
    staging = Environment(name="staging", scale=0.25)
    s = _scenario(nat_processed_gb_per_month=400, logs_ingested_gb_per_month=40,
                  load_balancers=(LoadBalancer(),))
    items = {i.name: i for i in shared_items(s, book, staging, first=False)}
    assert items["Data processed (NAT)"].quantity == 100
    assert items["Logs ingestion (CloudWatch)"].quantity == 10
    assert items["Load balancer hours (ALB)"].quantity == 730
    assert "Container images (ECR)" not in items


def test_every_shared_line_has_a_price_reference(book):
    s = _scenario(load_balancers=(LoadBalancer(type="nlb", new_connections_per_second=10),),
                  nat_processed_gb_per_month=1, logs_ingested_gb_per_month=1, internet_egress_gb_per_month=1,
                  image_storage_gb=1, service_discovery_instances=1)
    for line in shared_items(s, book, PROD, first=True):
        assert line.price_ref and line.publication_date and line.formula
        assert math.isfinite(line.monthly_usd) and line.monthly_usd > 0
