"""ECS Managed Instances fees matched to instance types from unnamed AmazonECS feed entries (PROVENANCE §4)."""

import pytest

from pricing.ecs_fee_entries import MATCH_KEY, fee_match_rows, parse_unnamed_entries
from pricing.errors import OfferFormatError
from pricing.schema import PriceRow, rows_to_frame

HEADER = "feed_source,feed_publication_date,location,region_code,location_type,label,named,sku,offer_term_code," \
         "rate_code,price,regionless_rate_code\n"


def _entry(region, sku, price, named="false", label=""):
    return f"ecs,2025-10-27T20:58:28Z,X,{region},AWS Region,{label},{named},{sku},T,{sku}.T.R,{price},r\n"


def _ec2(region, itype, price):
    return PriceRow(price_key="ec2.instance_hour", offer_code="AmazonEC2", region=region, usage_type="BoxUsage",
                    operation="RunInstances", product_family="Compute Instance", instance_type=itype, vcpu=8.0,
                    memory_gib=16.0, architecture="x86_64", operating_system="Linux", unit="Hrs", price_usd=price,
                    term="OnDemand", lease_contract_length="", offering_class="", purchase_option="", begin_range=0.0,
                    end_range=float("inf"), sku=f"SKU-{itype}", rate_code="", description="", effective_date="",
                    publication_date="2025-04-04", source="t")


def test_an_entry_equal_to_12_percent_of_on_demand_confirms_the_type():
    """The pricing page's example: c6a.2xlarge at $0.306 On-Demand has a $0.037 (0.03672) management fee."""
    feed = HEADER + _entry("us-east-1", "FEE1", "0.0367200000") + _entry("us-east-1", "OTHER", "0.5") + \
        _entry("us-east-1", "NAMED", "0.04048", named="true", label="perCPU per hour")
    entries = parse_unnamed_entries(feed, source="t")
    assert list(entries["sku"]) == ["FEE1", "OTHER"]
    prices = rows_to_frame([_ec2("us-east-1", "c6a.2xlarge", 0.306), _ec2("us-east-1", "m9.large", 0.1)])
    (row,) = fee_match_rows(prices, entries, ("us-east-1",), "t")
    assert (row.price_key, row.instance_type, row.sku, row.price_usd) == (MATCH_KEY, "c6a.2xlarge", "FEE1", 0.03672)
    assert row.publication_date.startswith("2025-10-27") and "inferred" in row.description
    assert fee_match_rows(prices, entries, ("eu-west-1",), "t") == []


def test_a_feed_without_the_columns_is_refused():
    with pytest.raises(OfferFormatError, match="columns"):
        parse_unnamed_entries("a,b\n1,2\n", source="feed.csv")
