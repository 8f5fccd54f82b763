"""pricing.normalize (with pricing.selectors and pricing.regions): Price List records -> PriceRow.

The central fixture is the genuine GetProducts record of m5.large, Linux, shared
tenancy, us-east-1 (publication 2021-02-05): full attributes, the OnDemand term and
all 12 Reserved terms with their Upfront Fee dimensions.
"""

from __future__ import annotations

import copy
import dataclasses
import io
import json
import math
from pathlib import Path

import pytest

import pricing.selectors as selectors
from pricing.errors import OfferFormatError
from pricing.normalize import (
    is_selected,
    normalize_offer_records,
    rows_for_dimension,
    rows_for_terms,
)
from pricing.offer_json import OfferHeader, OfferProduct, OfferTerms, iter_offer_file
from pricing.selectors import SELECTORS, select

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
M5_ITEM = FIXTURES / "getproducts" / "ec2_m5.large_us-east-1_2021-02-05.json"
OFFERS = FIXTURES / "offers"
SELECTOR = {s.price_key: s for s in SELECTORS}


@pytest.fixture
def m5_item() -> dict:
    return json.loads(M5_ITEM.read_text())


def m5_rows(item: dict, term_type: str, offers: dict | None = None) -> list:
    return list(rows_for_terms(offer_code="AmazonEC2", sku=item["product"]["sku"], product=item["product"],
                               term_type=term_type, offers=item["terms"][term_type] if offers is None else offers,
                               publication_date=item["publicationDate"], source="getproducts:m5.large"))


# --- selectors --------------------------------------------------------------------------------
def test_selector_price_keys_are_unique():
    keys = [s.price_key for s in SELECTORS]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(("change", "kept"), [
    ({}, "ec2.instance_hour"),
    ({"operatingSystem": "Windows"}, "ec2.windows_instance_hour"),
    ({"tenancy": "Dedicated", "usagetype": "DedicatedUsage:m5.large"}, None),
    ({"preInstalledSw": "SQL Web"}, None),
    ({"capacitystatus": "UnusedCapacityReservation"}, None),
    ({"capacitystatus": "AllocatedCapacityReservation"}, None),
    ({"licenseModel": "Bring your own license"}, None),
    ({"operatingSystem": "RHEL"}, None),
])
def test_ec2_selector_filters_like_karpenter(m5_item, change, kept):
    attrs = {**m5_item["product"]["attributes"], **change}
    hit = select("AmazonEC2", "Compute Instance", attrs, "us-east-1")
    assert (hit.price_key if hit else None) == kept


def test_selector_overlap_is_detected(monkeypatch):
    dup = dataclasses.replace(SELECTOR["fargate.vcpu_hour"], price_key="fargate.vcpu_hour_twin")
    monkeypatch.setattr(selectors, "SELECTORS", (*SELECTORS, dup))
    attrs = {"usagetype": "USE1-Fargate-vCPU-Hours:perCPU", "regionCode": "us-east-1"}
    with pytest.raises(ValueError, match=r"selectors overlap on usagetype 'USE1-Fargate-vCPU-Hours:perCPU': "
                                         r"fargate\.vcpu_hour, fargate\.vcpu_hour_twin"):
        select("AmazonECS", "Compute", attrs, "us-east-1")
    with pytest.raises(OfferFormatError, match=r"^f\.json: product SKU1: expected one selector match \(selectors "
                                               r"overlap"):
        list(rows_for_terms(offer_code="AmazonECS", sku="SKU1", product={"productFamily": "Compute",
                                                                         "attributes": attrs},
                            term_type="OnDemand", offers={}, publication_date="p", source="f.json"))


def test_selector_overlap_in_an_offer_file_names_file_and_sku(monkeypatch):
    dup = dataclasses.replace(SELECTOR["fargate.vcpu_hour"], price_key="fargate.vcpu_hour_twin")
    monkeypatch.setattr(selectors, "SELECTORS", (*SELECTORS, dup))
    data = (OFFERS / "AmazonECS" / "us-east-1" / "index.json").read_bytes()
    with pytest.raises(OfferFormatError, match=r"product \w+: expected one selector match"):
        list(normalize_offer_records(iter_offer_file(io.BytesIO(data), "ecs.json"), "ecs.json"))


# --- the real GetProducts m5.large record ------------------------------------------------------
RESERVED_M5 = {
    # (LeaseContractLength, OfferingClass, PurchaseOption): (hourly USD, upfront USD or None)
    ("1yr", "standard", "No Upfront"): (0.06, None),
    ("1yr", "standard", "Partial Upfront"): (0.029, 252.0),
    ("1yr", "standard", "All Upfront"): (0.0, 494.0),
    ("1yr", "convertible", "No Upfront"): (0.071, None),
    ("1yr", "convertible", "Partial Upfront"): (0.034, 294.0),
    ("1yr", "convertible", "All Upfront"): (0.0, 577.0),
    ("3yr", "standard", "No Upfront"): (0.041, None),
    ("3yr", "standard", "Partial Upfront"): (0.019, 505.0),
    ("3yr", "standard", "All Upfront"): (0.0, 949.0),
    ("3yr", "convertible", "No Upfront"): (0.049, None),
    ("3yr", "convertible", "Partial Upfront"): (0.023, 592.0),
    ("3yr", "convertible", "All Upfront"): (0.0, 1161.0),
}


def test_m5_large_on_demand(m5_item):
    (row,) = m5_rows(m5_item, "OnDemand")
    assert row.price_key == "ec2.instance_hour"
    assert (row.region, row.instance_type, row.vcpu, row.memory_gib) == ("us-east-1", "m5.large", 2.0, 8.0)
    assert (row.architecture, row.operating_system, row.usage_type) == ("x86_64", "Linux", "BoxUsage:m5.large")
    assert (row.unit, row.price_usd, row.term) == ("Hrs", 0.096, "OnDemand")
    assert (row.sku, row.rate_code) == ("6C86BEPQVG73ZGGR", "6C86BEPQVG73ZGGR.JRTCKXETXF.6YS6EN2CT7")
    assert (row.lease_contract_length, row.offering_class, row.purchase_option) == ("", "", "")
    assert (row.begin_range, row.end_range) == (0.0, math.inf)
    assert row.effective_date == "2021-02-01T00:00:00Z"
    assert row.publication_date == "2021-02-05T20:45:00Z"
    assert row.description == "$0.096 per On Demand Linux m5.large Instance Hour"
    assert row.source == "getproducts:m5.large"


def test_m5_large_twelve_reserved_terms(m5_item):
    rows = m5_rows(m5_item, "Reserved")
    assert len(m5_item["terms"]["Reserved"]) == 12
    assert len(rows) == 20  # 12 hourly rows + 8 upfront fees (Partial and All Upfront)
    got: dict = {}
    for r in rows:
        assert r.term == "Reserved" and r.price_key == "ec2.instance_hour" and r.sku == "6C86BEPQVG73ZGGR"
        key = (r.lease_contract_length, r.offering_class, r.purchase_option)
        hourly, fee = got.get(key, (None, None))
        if r.unit == "Hrs":
            assert r.rate_code.endswith(".6YS6EN2CT7")
            hourly = r.price_usd
        else:
            assert (r.unit, r.description) == ("Quantity", "Upfront Fee")
            assert r.rate_code.endswith(".2TG2D8R56U")
            assert (r.begin_range, r.end_range) == (0.0, math.inf)  # no ranges on a fee
            fee = r.price_usd
        got[key] = (hourly, fee)
    assert got == RESERVED_M5


def test_m5_large_via_bulk_records_equals_getproducts(m5_item):
    """The same product through normalize_offer_records gives the same rows."""
    sku = m5_item["product"]["sku"]
    records = [OfferHeader("offerCode", "AmazonEC2"), OfferHeader("publicationDate", m5_item["publicationDate"]),
               OfferProduct(sku, m5_item["product"]),
               OfferTerms("OnDemand", sku, m5_item["terms"]["OnDemand"]),
               OfferTerms("Reserved", sku, m5_item["terms"]["Reserved"])]
    rows = list(normalize_offer_records(records, "getproducts:m5.large"))
    assert rows == m5_rows(m5_item, "OnDemand") + m5_rows(m5_item, "Reserved")


def test_m5_large_in_reconstructed_offer_file_matches_genuine_record(m5_item):
    """The reconstructed 2025 offer file's m5.large has the genuine SKU and the same No Upfront prices."""
    data = (OFFERS / "AmazonEC2" / "us-east-1" / "index.json").read_bytes()
    rows = [r for r in normalize_offer_records(iter_offer_file(io.BytesIO(data), "x"), "x")
            if r.instance_type == "m5.large"]
    genuine = {(r.term, r.lease_contract_length, r.offering_class, r.purchase_option, r.unit): r.price_usd
               for r in m5_rows(m5_item, "OnDemand") + m5_rows(m5_item, "Reserved")}
    for r in rows:
        assert r.sku == "6C86BEPQVG73ZGGR"
        assert genuine[(r.term, r.lease_contract_length, r.offering_class, r.purchase_option, r.unit)] == r.price_usd


# --- errors from records ----------------------------------------------------------------------
def test_bad_price_names_sku_and_rate_code(m5_item):
    offers = copy.deepcopy(m5_item["terms"]["Reserved"])
    offers["6C86BEPQVG73ZGGR.HU7G6KETJZ"]["priceDimensions"]["6C86BEPQVG73ZGGR.HU7G6KETJZ.2TG2D8R56U"][
        "pricePerUnit"]["USD"] = "two hundred"
    with pytest.raises(OfferFormatError, match=r"^getproducts:m5\.large: sku 6C86BEPQVG73ZGGR rate "
                                               r"6C86BEPQVG73ZGGR\.HU7G6KETJZ\.2TG2D8R56U: expected a decimal USD "
                                               r"price, found 'two hundred'"):
        m5_rows(m5_item, "Reserved", offers)


def test_missing_usd_price(m5_item):
    offers = copy.deepcopy(m5_item["terms"]["OnDemand"])
    dim = offers["6C86BEPQVG73ZGGR.JRTCKXETXF"]["priceDimensions"]["6C86BEPQVG73ZGGR.JRTCKXETXF.6YS6EN2CT7"]
    dim["pricePerUnit"] = {"CNY": "0.6"}
    with pytest.raises(OfferFormatError, match=r"sku 6C86BEPQVG73ZGGR rate 6C86BEPQVG73ZGGR\.JRTCKXETXF\."
                                               r"6YS6EN2CT7: expected pricePerUnit\.USD"):
        m5_rows(m5_item, "OnDemand", offers)


def test_unit_mismatch_is_a_schema_change(m5_item):
    offers = copy.deepcopy(m5_item["terms"]["OnDemand"])
    offers["6C86BEPQVG73ZGGR.JRTCKXETXF"]["priceDimensions"]["6C86BEPQVG73ZGGR.JRTCKXETXF.6YS6EN2CT7"][
        "unit"] = "Seconds"
    with pytest.raises(OfferFormatError) as info:
        m5_rows(m5_item, "OnDemand", offers)
    assert "schema change" in str(info.value)
    assert info.value.record == "sku 6C86BEPQVG73ZGGR rate 6C86BEPQVG73ZGGR.JRTCKXETXF.6YS6EN2CT7"
    assert info.value.expected == "unit Hrs for ec2.instance_hour, found 'Seconds' (schema change?)"


def test_term_without_price_dimensions(m5_item):
    offers = copy.deepcopy(m5_item["terms"]["OnDemand"])
    offers["6C86BEPQVG73ZGGR.JRTCKXETXF"]["priceDimensions"] = {}
    with pytest.raises(OfferFormatError, match=r"term 6C86BEPQVG73ZGGR\.JRTCKXETXF: expected priceDimensions"):
        m5_rows(m5_item, "OnDemand", offers)


@pytest.mark.parametrize("offers", [
    {"6C86BEPQVG73ZGGR.JRTCKXETXF": "not an object"},
    {"6C86BEPQVG73ZGGR.JRTCKXETXF": {"priceDimensions": {"6C86BEPQVG73ZGGR.JRTCKXETXF.6YS6EN2CT7": []}}},
])
def test_malformed_term_is_an_offer_format_error(m5_item, offers):
    with pytest.raises(OfferFormatError, match=r"^getproducts:m5\.large: term 6C86BEPQVG73ZGGR\.JRTCKXETXF"):
        m5_rows(m5_item, "OnDemand", offers)


def test_price_per_unit_not_an_object(m5_item):
    offers = {"6C86BEPQVG73ZGGR.JRTCKXETXF": {"priceDimensions": {
        "6C86BEPQVG73ZGGR.JRTCKXETXF.6YS6EN2CT7": {"rateCode": "6C86BEPQVG73ZGGR.JRTCKXETXF.6YS6EN2CT7",
                                                   "unit": "Hrs", "pricePerUnit": "0.096"}}}}
    with pytest.raises(OfferFormatError, match=r"sku 6C86BEPQVG73ZGGR rate 6C86BEPQVG73ZGGR\.JRTCKXETXF\.6YS6EN2CT7"):
        m5_rows(m5_item, "OnDemand", offers)


def test_product_without_region(m5_item):
    product = copy.deepcopy(m5_item["product"])
    product["attributes"]["location"] = "Somewhere New"
    with pytest.raises(OfferFormatError, match=r"product 6C86BEPQVG73ZGGR: expected a regionCode or known location"):
        list(rows_for_terms(offer_code="AmazonEC2", sku="6C86BEPQVG73ZGGR", product=product, term_type="OnDemand",
                            offers=m5_item["terms"]["OnDemand"], publication_date="p", source="s"))
    assert not is_selected("AmazonEC2", product)


def test_unselected_product_gives_no_rows(m5_item):
    product = copy.deepcopy(m5_item["product"])
    product["attributes"]["preInstalledSw"] = "SQL Ent"
    assert list(rows_for_terms(offer_code="AmazonEC2", sku="X", product=product, term_type="OnDemand",
                               offers={"bad": "never read"}, publication_date="p", source="s")) == []


# --- tiers ----------------------------------------------------------------------------------
def test_tiered_dimensions():
    """The genuine tier shape (ECS Anywhere 'WithFree': 0-2200 free, then 2200-Inf)."""
    base = {"unit": "hours", "appliesTo": []}
    dims = [{**base, "rateCode": "WDPEY7DSPNNEZWV6.JRTCKXETXF.4TES4JTS8Q", "beginRange": "0", "endRange": "2200",
             "pricePerUnit": {"USD": "0.0000000000"}},
            {**base, "rateCode": "WDPEY7DSPNNEZWV6.JRTCKXETXF.2A2Z7VTUXW", "beginRange": "2200", "endRange": "Inf",
             "pricePerUnit": {"USD": "0.0102500000"}}]
    rows = [rows_for_dimension(selector=SELECTOR["fargate.vcpu_hour"], sku="WDPEY7DSPNNEZWV6",
                               product_family="Compute", attributes={"usagetype": "EU-X"}, region="eu-west-1",
                               term_type="OnDemand", term_attributes={}, effective_date="e", dimension=d,
                               publication_date="p", source="s") for d in dims]
    assert [(r.begin_range, r.end_range, r.price_usd) for r in rows] == [(0.0, 2200.0, 0.0),
                                                                         (2200.0, math.inf, 0.01025)]


def test_missing_begin_range_is_zero():
    row = rows_for_dimension(selector=SELECTOR["nat.gb_processed"], sku="S", product_family="NAT Gateway",
                             attributes={}, region="us-east-1", term_type="OnDemand", term_attributes={},
                             effective_date="e", dimension={"unit": "GB", "pricePerUnit": {"USD": "0.045"}},
                             publication_date="p", source="s")
    assert (row.begin_range, row.end_range) == (0.0, math.inf)


# --- whole offer files ----------------------------------------------------------------------
@pytest.mark.parametrize(("offer", "region", "expected"), [
    ("AmazonECS", "us-east-1", {"fargate.vcpu_hour": 0.04048, "fargate.gb_hour": 0.004445,
                                "fargate.arm_vcpu_hour": 0.03238}),
    ("AmazonECS", "eu-west-1", {"fargate.vcpu_hour": 0.04048, "fargate.windows_vcpu_hour": 0.046552}),
    ("AmazonEKS", "us-east-1", {"eks.cluster_hour": 0.10, "eks.extended_support_hour": 0.50}),
    ("AWSELB", "us-east-1", {"elb.alb_hour": 0.0225, "elb.alb_lcu_hour": 0.008}),
    ("AmazonVPC", "us-east-1", {"vpc.public_ipv4_hour": 0.005}),
    ("AmazonCloudWatch", "us-east-1", {"logs.ingestion_gb": 0.50, "logs.storage_gb_month": 0.03}),
    ("AmazonEC2", "us-east-1", {"nat.hour": 0.045, "nat.gb_processed": 0.045, "ebs.gp3_gb_month": 0.08}),
])
def test_offer_files_normalize_to_known_prices(offer, region, expected):
    data = (OFFERS / offer / region / "index.json").read_bytes()
    rows = list(normalize_offer_records(iter_offer_file(io.BytesIO(data), "s"), "s"))
    by_key: dict = {}
    for r in rows:
        by_key.setdefault(r.price_key, []).append(r)
    for key, price in expected.items():
        (row,) = by_key[key]
        assert row.price_usd == price
        assert row.region == region
        assert row.offer_code == offer


def test_ec2_architectures_in_offer_file():
    data = (OFFERS / "AmazonEC2" / "eu-west-1" / "index.json").read_bytes()
    arch = {r.instance_type: r.architecture for r in normalize_offer_records(iter_offer_file(io.BytesIO(data), "s"),
                                                                             "s") if r.instance_type}
    assert arch == {"a1.large": "arm64", "c7i.large": "x86_64", "g4dn.xlarge": "x86_64", "m5.large": "x86_64",
                    "m6g.large": "arm64", "t4g.small": "arm64"}


def test_offer_header_must_precede_products():
    records = [OfferProduct("S", {"productFamily": "Compute", "attributes": {}})]
    with pytest.raises(OfferFormatError, match=r"^f: offer header: expected a 'offerCode' string before the "
                                               r"products"):
        list(normalize_offer_records(records, "f"))
