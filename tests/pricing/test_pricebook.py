"""pricing.pricebook and pricing.active: price lookups with provenance, never a silent zero.

The book is built from the fixture offers tree, with the us-east-1 m5.large rows
replaced by the genuine 2021 GetProducts record's (OnDemand and all 12 Reserved terms,
so Partial and All Upfront fees exist), the trimmed Spot Advisor data and the trimmed
network-limits tables.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pricing.active import SNAPSHOT_DIR, cache_store_dir, load_pricebook
from pricing.errors import PriceNotFound, PricingError
from pricing.gaps import KNOWN_GAPS
from pricing.importer import import_offer_folder
from pricing.instance_info import parse_instance_limits
from pricing.normalize import rows_for_terms
from pricing.pricebook import InstanceOffer, PriceBook, PriceQuote
from pricing.reference_prices import parse_reference_prices
from pricing.schema import rows_to_frame
from pricing.spot_advisor import parse_spot_advisor
from pricing.status import price_status, region_price_dates
from pricing.store import PriceTables, StoreMetadata, write_store
from pricing.transfer_table import parse_transfer_table

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SIDE_TABLES = FIXTURES / "side-tables"
TRANSFER_CSV = SIDE_TABLES / "datatransfer_pricing_page_2025-06-05_sample.csv"
REFERENCE_CSV = SIDE_TABLES / "ec2_linux_ondemand_sample_2026-02-07.csv"
REGIONS = ("us-east-1", "eu-west-1")


def _m5_genuine_rows() -> pd.DataFrame:
    item = json.loads((FIXTURES / "getproducts" / "ec2_m5.large_us-east-1_2021-02-05.json").read_text())
    rows = []
    for term_type in ("OnDemand", "Reserved"):
        rows += rows_for_terms(offer_code="AmazonEC2", sku=item["product"]["sku"], product=item["product"],
                               term_type=term_type, offers=item["terms"][term_type],
                               publication_date=item["publicationDate"], source="getproducts:m5.large")
    return rows_to_frame(rows)


@pytest.fixture(scope="module")
def tables() -> PriceTables:
    prices, _ = import_offer_folder(FIXTURES / "offers", REGIONS)
    prices = prices[~((prices["region"] == "us-east-1") & (prices["instance_type"] == "m5.large"))]
    prices = pd.concat([prices, _m5_genuine_rows()], ignore_index=True)
    spot = parse_spot_advisor((FIXTURES / "spot" / "spot_advisor_sample.json").read_bytes(), source="spot")
    limits = parse_instance_limits((FIXTURES / "instance-info" / "instance_network_limits.csv").read_text(),
                                   (FIXTURES / "instance-info" / "ecs_eni_trunking_limits.csv").read_text(),
                                   source="limits")
    transfer = parse_transfer_table(TRANSFER_CSV.read_text(), source=TRANSFER_CSV.name, as_of="2025-06-05")
    reference = parse_reference_prices(REFERENCE_CSV.read_text(), source=REFERENCE_CSV.name, as_of="2026-02-07")
    return PriceTables(prices=prices, spot=spot, instance_limits=limits, transfer=transfer, ec2_reference=reference)


@pytest.fixture(scope="module")
def meta() -> StoreMetadata:
    _, per_region = import_offer_folder(FIXTURES / "offers", REGIONS)
    return StoreMetadata(created_at="2025-11-05T00:00:00Z", regions=per_region, sources={"offers": "fixtures"})


@pytest.fixture(scope="module")
def book(tables, meta) -> PriceBook:
    return PriceBook(tables, meta, origin="test")


# --- On-Demand and Reserved lookups ----------------------------------------------------------
def test_on_demand_instance_price(book):
    q = book.price("ec2.instance_hour", "us-east-1", instance_type="m5.large")
    assert q == PriceQuote(price_key="ec2.instance_hour", region="us-east-1", usd_per_unit=0.096, unit="Hrs",
                           sku="6C86BEPQVG73ZGGR", rate_code="6C86BEPQVG73ZGGR.JRTCKXETXF.6YS6EN2CT7",
                           publication_date="2021-02-05T20:45:00Z", source="getproducts:m5.large",
                           term="OnDemand", instance_type="m5.large",
                           description="$0.096 per On Demand Linux m5.large Instance Hour")
    assert q.reference == "6C86BEPQVG73ZGGR @ 2021-02-05"


@pytest.mark.parametrize(("length", "klass", "option", "hourly", "fee"), [
    ("1yr", "standard", "No Upfront", 0.06, None),
    ("1yr", "standard", "Partial Upfront", 0.029, 252.0),
    ("1yr", "standard", "All Upfront", 0.0, 494.0),
    ("1yr", "convertible", "No Upfront", 0.071, None),
    ("3yr", "standard", "Partial Upfront", 0.019, 505.0),
    ("3yr", "convertible", "All Upfront", 0.0, 1161.0),
])
def test_reserved_terms(book, length, klass, option, hourly, fee):
    q = book.price("ec2.instance_hour", "us-east-1", instance_type="m5.large", term="Reserved",
                   lease_contract_length=length, offering_class=klass, purchase_option=option)
    assert (q.usd_per_unit, q.unit, q.sku) == (hourly, "Hrs", "6C86BEPQVG73ZGGR")
    assert q.term == f"Reserved {length} {klass} {option}"
    upfront = book.upfront_fee("ec2.instance_hour", "us-east-1", instance_type="m5.large",
                               lease_contract_length=length, offering_class=klass, purchase_option=option)
    if fee is None:
        assert upfront is None
    else:
        assert (upfront.usd_per_unit, upfront.unit, upfront.description) == (fee, "Quantity", "Upfront Fee")
        assert upfront.rate_code.endswith(".2TG2D8R56U")


def test_reserved_from_the_offer_file(book):
    q = book.price("ec2.instance_hour", "eu-west-1", instance_type="m6g.large", term="Reserved",
                   lease_contract_length="3yr", offering_class="convertible", purchase_option="No Upfront")
    assert q.sku == "3UDAZ9CTTHWHQJWZ" and q.usd_per_unit > 0
    od = book.price("ec2.instance_hour", "eu-west-1", instance_type="m6g.large")
    assert q.usd_per_unit < od.usd_per_unit


@pytest.mark.parametrize(("key", "region", "usd", "unit"), [
    ("fargate.vcpu_hour", "us-east-1", 0.04048, "hours"),
    ("fargate.gb_hour", "us-east-1", 0.004445, "hours"),
    ("fargate.arm_vcpu_hour", "us-east-1", 0.03238, "hours"),
    ("eks.cluster_hour", "eu-west-1", 0.10, "Hours"),
    ("elb.alb_hour", "us-east-1", 0.0225, "Hrs"),
    ("elb.alb_lcu_hour", "us-east-1", 0.008, "LCU-Hrs"),
    ("nat.hour", "us-east-1", 0.045, "Hrs"),
    ("nat.gb_processed", "us-east-1", 0.045, "GB"),
    ("ebs.gp3_gb_month", "us-east-1", 0.08, "GB-Mo"),
    ("logs.ingestion_gb", "us-east-1", 0.50, "GB"),
    ("vpc.public_ipv4_hour", "us-east-1", 0.005, "Hrs"),
])
def test_service_prices(book, key, region, usd, unit):
    q = book.price(key, region)
    assert (q.usd_per_unit, q.unit, q.region, q.term) == (usd, unit, region, "OnDemand")
    assert q.sku and q.rate_code.startswith(q.sku + ".")
    assert q.source == f"bulk:{q.source.split(':', 1)[1]}" and q.source.endswith(f"/{region}/index.json")
    assert q.publication_date.startswith("2024-07-18" if key.startswith("ebs.") else "2025-")


def test_tier_lookup_within_open_range(book):
    assert book.price("nat.gb_processed", "us-east-1", tier_gb=1e9).usd_per_unit == 0.045


# --- PriceNotFound ---------------------------------------------------------------------------
def test_unknown_key(book):
    with pytest.raises(PriceNotFound, match=r"^the active price data has no ec2\.gpu_hour price in any region$"):
        book.price("ec2.gpu_hour", "us-east-1")


def test_unknown_instance_type_names_key_type_and_region(book):
    with pytest.raises(PriceNotFound, match=r"^the active price data has no ec2\.instance_hour \[Linux instance-hours "
                                            r"for ECS/EKS nodes \(On-Demand and Reserved terms\)\] m9\.huge price "
                                            r"in us-east-1$"):
        book.price("ec2.instance_hour", "us-east-1", instance_type="m9.huge")


def test_region_without_prices(book):
    with pytest.raises(PriceNotFound, match=r"^the active price data has no fargate\.vcpu_hour \[.*\] price in "
                                            r"ap-south-1$"):
        book.price("fargate.vcpu_hour", "ap-south-1")


def test_missing_reserved_term_names_the_term(book):
    # a1.large has no Reserved offering in the data
    with pytest.raises(PriceNotFound, match=r"^the active price data has no ec2\.instance_hour \[.*\] a1\.large "
                                            r"Reserved 1yr standard No Upfront price in us-east-1$"):
        book.price("ec2.instance_hour", "us-east-1", instance_type="a1.large", term="Reserved",
                   lease_contract_length="1yr", offering_class="standard", purchase_option="No Upfront")


def test_price_not_found_is_a_pricing_error():
    assert issubclass(PriceNotFound, PricingError)


def test_upfront_fee_of_unknown_key_is_none(book):
    assert book.upfront_fee("ec2.gpu_hour", "us-east-1", instance_type="m5.large", lease_contract_length="1yr",
                            offering_class="standard", purchase_option="All Upfront") is None


# --- assumptions ---------------------------------------------------------------------------
def test_assumption_quotes_are_labelled(book):
    quoted = 0
    for gap in KNOWN_GAPS:
        if gap.key == "transfer.internet_out_gb":
            continue  # from the store's table: test_transfer_tiers_come_from_the_store
        if gap.value("us-east-1") is None:
            with pytest.raises(PriceNotFound, match=rf"has no {gap.key} assumption for us-east-1"):
                book.assumption(gap.key, "us-east-1")
            continue
        q = book.assumption(gap.key, "us-east-1")
        quoted += 1
        assert q.sku == "" and q.rate_code == ""
        assert q.source.startswith("assumption")
        assert q.price_key == gap.key and q.unit == gap.unit
        assert q.publication_date == gap.as_of
        assert q.reference == f"{gap.key} @ {gap.as_of[:10]}"
        assert q.usd_per_unit == gap.value("us-east-1")
    assert quoted >= 5


def test_named_assumptions(book):
    assert book.assumption("fargate.spot_discount", "eu-west-1").usd_per_unit == 0.70
    assert book.assumption("eks.auto_mode_fee_fraction", "eu-west-1").usd_per_unit == 0.12
    with pytest.raises(PriceNotFound, match=r"has no no\.such_gap assumption for us-east-1"):
        book.assumption("no.such_gap", "us-east-1")


@pytest.mark.parametrize(("tier_gb", "price", "end"), [
    (0, 0.09, 10240), (10239.9, 0.09, 10240), (10240, 0.085, 51200), (51200, 0.07, 153600), (1e9, 0.05, math.inf)])
def test_transfer_tiers_come_from_the_store(book, tier_gb, price, end):
    q = book.assumption("transfer.internet_out_gb", "eu-west-1", tier_gb=tier_gb)
    assert (q.usd_per_unit, q.end_range, q.publication_date, q.sku) == (price, end, "2025-06-05", "")
    assert q.source.startswith("assumption: ") and "datatransfer" in q.source


def test_a_region_without_a_transfer_table_has_no_egress_price(book):
    with pytest.raises(PriceNotFound, match=r"has no transfer\.internet_out_gb assumption for ap-south-1"):
        book.assumption("transfer.internet_out_gb", "ap-south-1")


# --- instance offers, spot, limits -------------------------------------------------------------
def test_instance_offers_sorted_by_price(book):
    offers = book.instance_offers("us-east-1")
    assert {o.instance_type for o in offers} == {"a1.large", "c7i.large", "g4dn.xlarge", "m5.large", "m6g.large",
                                                 "t4g.small"}
    prices = [o.usd_per_hour for o in offers]
    assert prices == sorted(prices)
    m5 = next(o for o in offers if o.instance_type == "m5.large")
    assert m5 == InstanceOffer("m5.large", 2.0, 8.0, "x86_64", 0.096)
    assert next(o for o in offers if o.instance_type == "t4g.small").architecture == "arm64"
    assert offers[0].instance_type == "t4g.small"


def test_instance_offers_other_region_and_os(book):
    eu = book.instance_offers("eu-west-1")
    assert [o.usd_per_hour for o in eu] == sorted(o.usd_per_hour for o in eu)
    assert len(eu) == 6
    assert book.instance_offers("ap-south-1") == ()
    assert book.instance_offers("us-east-1", operating_system="Windows") == ()


def test_spot_savings(book):
    assert book.spot_savings("us-east-1", "m5.large") == (66.0, "15-20%")
    assert book.spot_savings("eu-west-1", "m6g.large") == (53.0, "5-10%")
    assert book.spot_savings("us-east-1", "m9.huge") is None


def test_instance_limits(book):
    limits = book.instance_limits("m5.large")
    assert (limits["eks_max_pods"], limits["max_enis"], limits["ipv4_per_eni"]) == (29, 3, 10)
    assert book.instance_limits("m9.huge") is None


# --- what is there ---------------------------------------------------------------------------
def test_regions_dates_and_copies(book):
    assert book.regions == ("eu-west-1", "us-east-1")
    assert book.prices_as_of("us-east-1") == "2025-11-04T01:26:50Z"
    table = book.table()
    table["price_usd"] = 0.0
    assert book.price("fargate.vcpu_hour", "us-east-1").usd_per_unit == 0.04048


def test_version_follows_the_data(tables, meta):
    a = PriceBook(tables, meta, origin="x")
    b = PriceBook(tables, meta, origin="y")
    changed = StoreMetadata(created_at="2025-12-01T00:00:00Z", regions=meta.regions, sources=meta.sources)
    assert a.version == b.version
    assert PriceBook(tables, changed, origin="x").version != a.version


# --- pricing.active: cache or snapshot ---------------------------------------------------------
def test_snapshot_when_no_cache(tmp_path):
    book = load_pricebook(tmp_path / "cache")
    assert book.origin == "bundled snapshot"
    assert book.warnings == ()
    assert book.price("ec2.instance_hour", "us-east-1", instance_type="m5.large").usd_per_unit == 0.096
    assert not (tmp_path / "cache").exists()  # loading never writes


def test_good_cache_is_used(tmp_path, tables, meta):
    cache = tmp_path / "cache"
    write_store(cache_store_dir(cache), tables, meta)
    book = load_pricebook(cache)
    assert book.origin.startswith("cache (")
    assert book.regions == ("eu-west-1", "us-east-1")


def test_corrupted_cache_falls_back_to_snapshot_with_a_warning(tmp_path, tables, meta):
    cache = tmp_path / "cache"
    write_store(cache_store_dir(cache), tables, meta)
    (cache_store_dir(cache) / "prices.csv.gz").write_bytes(b"garbage")
    book = load_pricebook(cache)
    assert book.origin == "bundled snapshot"
    (warning,) = book.warnings
    assert warning.startswith("using the bundled snapshot because the price cache is corrupted or unreadable")
    assert "checksum mismatch" in warning
    assert "advisor prices refresh" in warning


def test_price_status(book):
    status = price_status(book)
    assert status["active_source"] == "test"
    us = status["regions"]["us-east-1"]
    assert us["prices_as_of"] == "2025-11-04T01:26:50Z"
    # the 2021 m5.large record replaced the fixture's m5.large: the oldest price of us-east-1
    assert us["oldest_price"] == "2021-02-05T20:45:00Z"
    ec2 = status["regions"]["eu-west-1"]["offers"]["AmazonEC2"]
    assert ec2["published"] == "2025-10-28T17:54:55Z"
    assert ec2["price_dates"]["ec2.instance_hour"] == "2025-04-04T22:41:22Z"  # each price's own date
    assert ec2["price_dates"]["ebs.gp3_gb_month"] == "2024-07-18T13:53:37Z"
    assert (ec2["oldest_price"], ec2["newest_price"]) == ("2024-07-18T13:53:37Z", "2025-10-28T17:54:55Z")
    assert status["regions"]["eu-west-1"]["missing"] == []
    assert [g["key"] for g in status["known_gaps"]] == [g.key for g in KNOWN_GAPS]
    assert all(set(g) == {"key", "what", "treatment", "source", "as_of"} for g in status["known_gaps"])
    json.dumps(status)  # JSON-serializable as printed by 'prices status --format json'


def test_status_compares_the_newer_sku_less_ec2_prices(book):
    reference = price_status(book)["ec2_reference"]
    assert (reference["source"], reference["as_of"]) == (REFERENCE_CSV.name, "2026-02-07")
    # 12 pairs priced in both, all equal; c8i.large is only in the newer table
    assert (reference["compared"], reference["differ"], reference["only_in_reference"]) == (12, 0, 1)


def test_status_lists_a_changed_price_with_its_change(tables, meta):
    reference = tables.ec2_reference.copy()
    reference.loc[(reference["region"] == "eu-west-1") & (reference["instance_type"] == "g4dn.xlarge"),
                  "usd_per_hour"] = 0.44025  # a 25% cut
    changed = PriceBook(PriceTables(prices=tables.prices, spot=tables.spot, instance_limits=tables.instance_limits,
                                    ec2_reference=reference), meta, origin="test")
    (row,) = price_status(changed)["ec2_reference"]["differences"]
    assert (row["region"], row["instance_type"], row["usd_per_hour"], row["reference_usd_per_hour"]) == (
        "eu-west-1", "g4dn.xlarge", 0.587, 0.44025)
    assert row["change"] == pytest.approx(-0.25, abs=1e-9)
    assert (row["publication_date"], row["reference_as_of"]) == ("2025-04-04", "2026-02-07")


def test_a_region_lacking_what_others_have_is_listed(tables, meta):
    prices = tables.prices[~((tables.prices["region"] == "eu-west-1")
                             & tables.prices["price_key"].isin(["ebs.gp3_gb_month", "ebs.gp2_gb_month"]))]
    book = PriceBook(PriceTables(prices=prices, spot=tables.spot, instance_limits=tables.instance_limits), meta,
                     origin="test")
    status = price_status(book)
    assert status["regions"]["eu-west-1"]["missing"] == ["ebs.gp2_gb_month", "ebs.gp3_gb_month"]
    assert status["regions"]["us-east-1"]["missing"] == []


def test_region_price_dates_are_each_offers_oldest(book):
    assert region_price_dates(book, "eu-west-1") == {
        "AWSELB": "2025-06-05T17:55:45Z", "AmazonCloudWatch": "2025-09-23T22:01:00Z",
        "AmazonEC2": "2024-07-18T13:53:37Z", "AmazonECS": "2025-10-27T20:58:28Z",
        "AmazonEKS": "2025-10-28T18:47:40Z", "AmazonVPC": "2025-11-04T01:26:50Z"}


def test_regions_and_instance_types(book):
    assert book.regions == ("eu-west-1", "us-east-1")
    assert book.instance_types() == {"a1.large", "c7i.large", "g4dn.xlarge", "m5.large", "m6g.large", "t4g.small"}


def test_snapshot_dir_can_be_passed_in(tmp_path):
    copy = tmp_path / "snap"
    shutil.copytree(SNAPSHOT_DIR, copy)
    book = load_pricebook(None, snapshot_dir=copy)
    assert book.origin == "bundled snapshot"
    assert math.isclose(book.price("fargate.vcpu_hour", "us-east-1").usd_per_unit, 0.04048)
