"""Parsing of Price List attributes: memory, vCPU, architecture, prices, ranges and regions."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pricing.errors import OfferFormatError
from pricing.normalize import (
    instance_architecture,
    parse_memory_gib,
    parse_number,
    parse_price,
    parse_range,
)
from pricing.regions import region_from_attributes, region_info, strip_usage_prefix
from pricing.selectors import SELECTORS, select

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
M5_ITEM = FIXTURES / "getproducts" / "ec2_m5.large_us-east-1_2021-02-05.json"
OFFERS = FIXTURES / "offers"
SELECTOR = {s.price_key: s for s in SELECTORS}


# --- attribute parsing ------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "gib"), [
    ("8 GiB", 8.0), ("0.5 GiB", 0.5), ("1,952 GiB", 1952.0), ("16 GB", 16.0), ("512 MiB", 0.5),
    ("24 TiB", 24576.0), ("32", 32.0), (" 4 GiB ", 4.0), ("3.75 GiB", 3.75),
])
def test_parse_memory(text, gib):
    assert parse_memory_gib(text) == gib


@pytest.mark.parametrize("text", ["NA", "", "a lot", "8 PB", None])
def test_parse_memory_not_an_instance(text):
    assert math.isnan(parse_memory_gib(text))


@pytest.mark.parametrize(("text", "value"), [("2", 2.0), ("192", 192.0), ("1,024", 1024.0), ("0.25", 0.25)])
def test_parse_vcpu(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["NA", "", "Variable"])
def test_parse_vcpu_absent(text):
    assert math.isnan(parse_number(text))


@pytest.mark.parametrize("itype", ["m6g.large", "c7gn.xlarge", "a1.medium", "t4g.small", "is4gen.large",
                                   "r8gd.2xlarge", "x2gd.medium", "im4gn.large", "g5g.xlarge", "hpc7g.4xlarge"])
def test_graviton_families_are_arm64(itype):
    assert instance_architecture(itype, {}) == "arm64"


@pytest.mark.parametrize("itype", ["g4dn.xlarge", "m5.large", "inf2.xlarge", "c7i.large", "c6i.metal",
                                   "m7i-flex.large", "u-6tb1.112xlarge", "trn1.2xlarge", "p5.48xlarge", "t3a.nano"])
def test_x86_families(itype):
    assert instance_architecture(itype, {}) == "x86_64"


def test_processor_attribute_wins_over_family():
    assert instance_architecture("c6g.4xlarge", {"physicalProcessor": "AWS Graviton2 Processor"}) == "arm64"
    assert instance_architecture("m5.large", {"physicalProcessor": "Intel Xeon Platinum 8175 (Skylake)",
                                              "processorArchitecture": "64-bit"}) == "x86_64"
    assert instance_architecture("", {"physicalProcessor": "AWS Graviton2 Processor"}) == ""


# --- prices, ranges ---------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "value"), [("0.0960000000", 0.096), ("294", 294.0), ("0.0000000000", 0.0),
                                             ("0.0044450000", 0.004445)])
def test_parse_price(text, value):
    assert parse_price(text, source="s", record="r") == value


@pytest.mark.parametrize("text", ["", "n/a", "$0.096", None, "NaN", "Infinity", "-0.01"])
def test_parse_price_errors_name_source_and_record(text):
    with pytest.raises(OfferFormatError, match=r"^f\.json: sku ABC rate ABC\.X\.Y: expected a (decimal|finite)"):
        parse_price(text, source="f.json", record="sku ABC rate ABC.X.Y")


@given(st.decimals(min_value=0, max_value=100000, places=10, allow_nan=False))
def test_parse_price_keeps_full_precision(value):
    text = f"{value:.10f}"
    assert parse_price(text, source="s", record="r") == float(text)


@pytest.mark.parametrize(("text", "value"), [("0", 0.0), ("2200", 2200.0), ("Inf", math.inf), ("inf", math.inf),
                                             ("", math.inf), (None, math.inf), ("10240", 10240.0)])
def test_parse_range(text, value):
    assert parse_range(text) == value


# --- regions --------------------------------------------------------------------------------
@pytest.mark.parametrize(("usage", "region", "bare"), [
    ("USE1-Fargate-GB-Hours", "us-east-1", "Fargate-GB-Hours"),
    ("EU-BoxUsage:m5.large", "eu-west-1", "BoxUsage:m5.large"),
    ("BoxUsage:m5.large", "us-east-1", "BoxUsage:m5.large"),  # us-east-1 EC2 has no prefix
    ("LoadBalancerUsage", "us-east-1", "LoadBalancerUsage"),
    ("APN2-NatGateway-Hours", "ap-northeast-2", "NatGateway-Hours"),
    ("EUC1-EBS:VolumeUsage.gp3", "eu-central-1", "EBS:VolumeUsage.gp3"),
    ("USE1-ECS-Anywhere-Instance-hours", "us-east-1", "ECS-Anywhere-Instance-hours"),
    ("ECS-Anywhere-Instance-hours", "us-east-1", "ECS-Anywhere-Instance-hours"),  # ECS- is not a prefix
    ("EUW2-BoxUsage:m5.large", "eu-west-1", "EUW2-BoxUsage:m5.large"),  # another Region's prefix stays
    ("EU-BoxUsage:m5.large", "us-east-1", "EU-BoxUsage:m5.large"),
])
def test_strip_usage_prefix(usage, region, bare):
    assert strip_usage_prefix(usage, region) == bare


def test_region_from_attributes():
    assert region_from_attributes({"regionCode": "eu-west-1", "location": "US East (N. Virginia)"}) == "eu-west-1"
    assert region_from_attributes({"location": "US East (N. Virginia)"}) == "us-east-1"  # 2021 records
    assert region_from_attributes({"location": "EU (Ireland)"}) == "eu-west-1"
    assert region_from_attributes({"location": "Atlantis"}) is None
    assert region_from_attributes({}) is None


def test_region_info_lists_allowed_codes():
    assert region_info("eu-west-1").usage_prefix == "EU"
    with pytest.raises(ValueError, match=r"unknown region 'xx-west-9'; allowed: us-east-1, us-east-2, "):
        region_info("xx-west-9")


def test_same_product_selected_with_and_without_prefix():
    ec2 = {"tenancy": "Shared", "preInstalledSw": "NA", "capacitystatus": "Used", "operatingSystem": "Linux",
           "licenseModel": "No License required"}
    for region, usage in [("us-east-1", "BoxUsage:m5.large"), ("eu-west-1", "EU-BoxUsage:m5.large"),
                          ("us-west-2", "USW2-BoxUsage:m5.large")]:
        hit = select("AmazonEC2", "Compute Instance", {**ec2, "usagetype": usage}, region)
        assert hit is not None and hit.price_key == "ec2.instance_hour"


