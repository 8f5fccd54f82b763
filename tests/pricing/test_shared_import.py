"""Import the full shared aws-price-data offers folder and check it against its PROVENANCE.

This is the only test module that reads ``<repo>/../shared/aws-price-data`` at run time;
it is skipped when that folder is not there.  It checks:

* record counts per offer and Region against PROVENANCE §6.2, and the normalized row
  counts they imply;
* the 16 "spot facts" of PROVENANCE §6.6, read through the importer and the PriceBook;
* that the committed snapshot in ``pricing/data/snapshot`` is exactly a fresh import of
  those files (same price rows; ``created_at`` ignored).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from pricing.active import SNAPSHOT_DIR
from pricing.ecs_fee_entries import MATCH_KEY
from pricing.importer import import_snapshot_inputs
from pricing.offer_json import OfferProduct, OfferTerms, iter_offer_file
from pricing.pricebook import PriceBook
from pricing.regions import SNAPSHOT_REGIONS
from pricing.store import read_store

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "aws-price-data"
OFFERS = SHARED / "offers"

pytestmark = pytest.mark.skipif(not OFFERS.is_dir(), reason=f"shared price data not found at {OFFERS}")

REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-northeast-1", "ap-northeast-2")

# PROVENANCE §6.2: products / OnDemand terms / Reserved terms, per offer and Region.
RECORD_COUNTS = {
    "AmazonECS": dict.fromkeys(REGIONS, (9, 9, 0)),
    "AmazonEKS": dict.fromkeys(REGIONS, (4, 4, 0)),
    "AmazonEC2": {"us-east-1": (874, 874, 3161), "us-west-2": (871, 871, 3153), "eu-west-1": (806, 806, 2990),
                  "eu-central-1": (805, 805, 2962), "ap-northeast-1": (794, 794, 2913),
                  "ap-northeast-2": (525, 525, 1934)},
    "AWSELB": dict.fromkeys(REGIONS, (4, 4, 0)),
    "AmazonVPC": dict.fromkeys(REGIONS, (2, 2, 0)),
    "AmazonCloudWatch": dict.fromkeys(REGIONS, (2, 2, 0)),
}
# PROVENANCE §6.2: AmazonEC2 products by family.
EC2_FAMILIES = {"us-east-1": 870, "us-west-2": 867, "eu-west-1": 802, "eu-central-1": 801, "ap-northeast-1": 790,
                "ap-northeast-2": 521}

# PROVENANCE §6.6: (fact, price_key, region, lookup options, value)
SPOT_FACTS = [
    ("Fargate x86 vCPU-h, us-east-1", "fargate.vcpu_hour", "us-east-1", {}, 0.04048),
    ("Fargate x86 GB-h, us-east-1", "fargate.gb_hour", "us-east-1", {}, 0.004445),
    ("Fargate ARM vCPU-h, us-east-1", "fargate.arm_vcpu_hour", "us-east-1", {}, 0.03238),
    ("Fargate x86 vCPU-h, eu-central-1", "fargate.vcpu_hour", "eu-central-1", {}, 0.04656),
    ("m5.large OnDemand, us-east-1", "ec2.instance_hour", "us-east-1", {"instance_type": "m5.large"}, 0.096),
    ("m5.large 1yr standard No Upfront RI, us-east-1", "ec2.instance_hour", "us-east-1",
     {"instance_type": "m5.large", "term": "Reserved", "lease_contract_length": "1yr",
      "offering_class": "standard", "purchase_option": "No Upfront"}, 0.060),
    ("ALB hour, us-east-1", "elb.alb_hour", "us-east-1", {}, 0.0225),
    ("ALB LCU-hour, us-east-1", "elb.alb_lcu_hour", "us-east-1", {}, 0.008),
    ("NAT hour, us-east-1", "nat.hour", "us-east-1", {}, 0.045),
    ("NAT GB processed, us-east-1", "nat.gb_processed", "us-east-1", {}, 0.045),
    ("EKS cluster hour, us-east-1", "eks.cluster_hour", "us-east-1", {}, 0.10),
    ("EKS extended support hour, us-east-1", "eks.extended_support_hour", "us-east-1", {}, 0.50),
    ("Logs ingestion per GB, us-east-1", "logs.ingestion_gb", "us-east-1", {}, 0.50),
    ("Logs storage per GB-month, us-east-1", "logs.storage_gb_month", "us-east-1", {}, 0.03),
    ("gp3 per GB-month, us-east-1", "ebs.gp3_gb_month", "us-east-1", {}, 0.08),
    ("public IPv4 in-use hour, us-east-1", "vpc.public_ipv4_hour", "us-east-1", {}, 0.005),
]


ECS_FEED = "ecs_pricing_page_feed_2025-10-27_allregions.csv"


@pytest.fixture(scope="module")
def fresh():
    return import_snapshot_inputs(OFFERS, SNAPSHOT_REGIONS,
                                  spot_advisor_file=SHARED / "spot" / "spot_advisor_linux_6regions_2025-06-28.json",
                                  instance_info_dir=SHARED / "instance-info",
                                  ecs_fee_feed_file=SHARED / "fargate" / ECS_FEED)


@pytest.fixture(scope="module")
def snapshot():
    return read_store(SNAPSHOT_DIR)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def test_snapshot_regions_are_the_shared_regions():
    assert set(SNAPSHOT_REGIONS) == set(REGIONS)


@pytest.mark.parametrize("offer", sorted(RECORD_COUNTS))
def test_record_counts_match_provenance(offer):
    for region, (n_products, n_on_demand, n_reserved) in RECORD_COUNTS[offer].items():
        path = OFFERS / offer / region / "index.json"
        families: Counter = Counter()
        terms: Counter = Counter()
        with path.open("rb") as stream:
            for record in iter_offer_file(stream, str(path)):
                if isinstance(record, OfferProduct):
                    families[record.product.get("productFamily", "")] += 1
                elif isinstance(record, OfferTerms):
                    terms[record.term_type] += len(record.offers)  # one offer term per code
        assert (sum(families.values()), terms["OnDemand"], terms["Reserved"]) == (
            n_products, n_on_demand, n_reserved), (offer, region)
        if offer == "AmazonEC2":
            assert families == {"Compute Instance": EC2_FAMILIES[region], "Storage": 2, "NAT Gateway": 2}


def test_row_counts_per_offer_and_region(fresh):
    tables, _ = fresh
    offers = tables.prices[tables.prices["price_key"] != MATCH_KEY]
    counts = offers.groupby(["offer_code", "region"]).size().to_dict()
    # ECS Managed Instances fee entries matched to instance types (pricing.ecs_fee_entries), per Region
    matches = tables.prices[tables.prices["price_key"] == MATCH_KEY].groupby("region").size().to_dict()
    assert matches["us-east-1"] == 602 and set(matches) == set(SNAPSHOT_REGIONS)
    for region in REGIONS:
        products, _, reserved = RECORD_COUNTS["AmazonEC2"][region]
        # every EC2 product is kept, with one OnDemand dimension and one per (No Upfront) Reserved term
        assert counts[("AmazonEC2", region)] == products + reserved
        assert counts[("AmazonECS", region)] == 8  # the 9th product is ECS Anywhere, not selected
        assert counts[("AmazonEKS", region)] == 4
        assert counts[("AWSELB", region)] == 4
        assert counts[("AmazonVPC", region)] == 1  # in-use address; the idle-address product is not selected
        assert counts[("AmazonCloudWatch", region)] == 2
    assert len(offers) == 21902 and len(tables.prices) == 21902 + sum(matches.values())


@pytest.mark.parametrize(("fact", "key", "region", "options", "value"), SPOT_FACTS,
                         ids=[f[0] for f in SPOT_FACTS])
def test_spot_facts(fresh, fact, key, region, options, value):
    tables, meta = fresh
    book = PriceBook(tables, meta, origin="fresh import")
    quote = book.price(key, region, **options)
    assert quote.usd_per_unit == pytest.approx(value, abs=1e-12), fact
    assert quote.sku and quote.rate_code.startswith(quote.sku)
    assert quote.source == f"bulk:{tables.prices.loc[tables.prices['sku'] == quote.sku, 'offer_code'].iloc[0]}/" \
                           f"{region}/index.json"


def test_spot_facts_in_the_snapshot(snapshot):
    tables, meta = snapshot
    book = PriceBook(tables, meta, origin="snapshot")
    for fact, key, region, options, value in SPOT_FACTS:
        assert book.price(key, region, **options).usd_per_unit == pytest.approx(value, abs=1e-12), fact


def test_snapshot_prices_equal_a_fresh_import(fresh, snapshot):
    fresh_tables, fresh_meta = fresh
    snap_tables, snap_meta = snapshot
    pd.testing.assert_frame_equal(_sorted(snap_tables.prices), _sorted(fresh_tables.prices))
    assert snap_meta.regions == fresh_meta.regions
    assert snap_meta.sources == fresh_meta.sources


def test_snapshot_spot_and_limits_equal_a_fresh_import(fresh, snapshot):
    fresh_tables, _ = fresh
    snap_tables, _ = snapshot
    pd.testing.assert_frame_equal(_sorted(snap_tables.spot), _sorted(fresh_tables.spot), check_dtype=False)
    assert len(snap_tables.instance_limits) == len(fresh_tables.instance_limits)
    assert snap_tables.instance_limits["instance_type"].tolist() == fresh_tables.instance_limits[
        "instance_type"].tolist()
    for col in ("max_enis", "ipv4_per_eni", "eks_max_pods"):
        assert snap_tables.instance_limits[col].tolist() == fresh_tables.instance_limits[col].tolist()
