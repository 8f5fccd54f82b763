"""Import the full shared aws-price-data offers folder and check it against its PROVENANCE.

This is the only test module that reads ``<repo>/../shared/aws-price-data`` at run time;
it is skipped when that folder is not there.  It checks:

* record counts per offer and Region against PROVENANCE §6.2 (all 34 commercial Regions),
  and the normalized row counts they imply;
* the "spot facts" of PROVENANCE §6.6/§6.7, read through the importer and the PriceBook;
* each price's own date (EC2 instances 2025-04-04, EBS 2024-07-18: not the offer's newest);
* that the committed snapshot in ``pricing/data/snapshot`` is exactly a fresh import of
  those files with the inputs ``make snapshot`` names (same rows; ``created_at`` ignored).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from pricing.active import SNAPSHOT_DIR
from pricing.ecs_fee_entries import MATCH_KEY
from pricing.importer import import_snapshot_inputs
from pricing.offer_json import OfferProduct, OfferTerms, iter_offer_file
from pricing.pricebook import PriceBook
from pricing.regions import known_region_codes
from pricing.store import read_store

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared" / "aws-price-data"
OFFERS = SHARED / "offers"

pytestmark = pytest.mark.skipif(not OFFERS.is_dir(), reason=f"shared price data not found at {OFFERS}")

#: The inputs of ``make snapshot`` (test_the_makefile_builds_the_snapshot_from_these_inputs keeps them in step).
SNAPSHOT_INPUTS = {
    "spot_advisor_file": SHARED / "spot" / "spot_advisor_linux_allregions_2025-06-28.json",
    "instance_info_dir": SHARED / "instance-info",
    "transfer_file": SHARED / "network" / "datatransfer_pricing_page_2025-06-05_allregions.csv",
    "ec2_reference_file": SHARED / "ec2" / "ec2_linux_ondemand_28regions_2026-02-07.csv",
    "ecs_fee_feed_file": SHARED / "fargate" / "ecs_pricing_page_feed_2025-10-27_allregions.csv",
}

# PROVENANCE §6.2, per Region: EC2 (products, OnDemand terms, Reserved terms), EC2 Compute Instance
# products, EC2 Storage products, AmazonECS products.  AmazonEKS 4, AmazonVPC 2, AmazonCloudWatch 2 and
# AWSELB 4 products (no AWSELB file in ap-southeast-6) everywhere; every product has one OnDemand term.
PROVENANCE_6_2 = {
    "us-east-1": ((874, 874, 3161), 870, 2, 9), "us-west-2": ((871, 871, 3153), 867, 2, 9),
    "eu-west-1": ((806, 806, 2990), 802, 2, 9), "eu-central-1": ((805, 805, 2962), 801, 2, 9),
    "ap-northeast-1": ((794, 794, 2913), 790, 2, 9), "ap-northeast-2": ((525, 525, 1934), 521, 2, 9),
    "af-south-1": ((250, 250, 966), 246, 2, 9), "ap-east-1": ((258, 258, 998), 254, 2, 9),
    "ap-east-2": ((2, 2, 0), 0, 0, 5), "ap-northeast-3": ((281, 281, 1090), 277, 2, 9),
    "ap-south-1": ((583, 583, 2221), 579, 2, 9), "ap-south-2": ((245, 245, 964), 241, 2, 9),
    "ap-southeast-1": ((674, 674, 2482), 670, 2, 9), "ap-southeast-2": ((693, 693, 2541), 689, 2, 9),
    "ap-southeast-3": ((259, 259, 1016), 255, 2, 9), "ap-southeast-4": ((151, 151, 588), 147, 2, 9),
    "ap-southeast-5": ((271, 271, 1076), 269, 0, 9), "ap-southeast-6": ((2, 2, 0), 0, 0, 5),
    "ap-southeast-7": ((234, 234, 928), 232, 0, 8), "ca-central-1": ((534, 534, 2077), 530, 2, 9),
    "ca-west-1": ((185, 185, 724), 181, 2, 9), "eu-central-2": ((249, 249, 980), 245, 2, 8),
    "eu-north-1": ((521, 521, 2049), 517, 2, 9), "eu-south-1": ((325, 325, 1266), 321, 2, 9),
    "eu-south-2": ((388, 388, 1532), 384, 2, 9), "eu-west-2": ((535, 535, 2041), 531, 2, 9),
    "eu-west-3": ((434, 434, 1702), 430, 2, 9), "il-central-1": ((237, 237, 932), 233, 2, 9),
    "me-central-1": ((207, 207, 812), 203, 2, 9), "me-south-1": ((238, 238, 918), 234, 2, 9),
    "mx-central-1": ((230, 230, 912), 228, 0, 8), "sa-east-1": ((520, 520, 1963), 516, 2, 9),
    "us-east-2": ((796, 796, 3005), 792, 2, 9), "us-west-1": ((527, 527, 1941), 523, 2, 9),
}
REGIONS = tuple(PROVENANCE_6_2)
#: Regions where an EC2 On-Demand price × 12% matches an unnamed ECS feed entry: all but the two without
#: EC2 instance prices in the data (ap-east-2, ap-southeast-6: PROVENANCE §6.2).
MATCHED_REGIONS = set(REGIONS) - {"ap-east-2", "ap-southeast-6"}
SMALL_OFFERS = {"AmazonEKS": 4, "AmazonVPC": 2, "AmazonCloudWatch": 2, "AWSELB": 4}

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
    # PROVENANCE §6.7, the Regions added in 2026-12
    ("m5.large OnDemand, us-east-2", "ec2.instance_hour", "us-east-2", {"instance_type": "m5.large"}, 0.096),
    ("m5.large OnDemand, us-west-1", "ec2.instance_hour", "us-west-1", {"instance_type": "m5.large"}, 0.112),
    ("m5.large OnDemand, sa-east-1", "ec2.instance_hour", "sa-east-1", {"instance_type": "m5.large"}, 0.153),
    ("m5.large OnDemand, ap-south-1", "ec2.instance_hour", "ap-south-1", {"instance_type": "m5.large"}, 0.101),
    ("m5.large OnDemand, ap-southeast-1", "ec2.instance_hour", "ap-southeast-1", {"instance_type": "m5.large"},
     0.12),
    ("m5.large OnDemand, eu-north-1", "ec2.instance_hour", "eu-north-1", {"instance_type": "m5.large"}, 0.102),
    ("m5.large OnDemand, me-south-1", "ec2.instance_hour", "me-south-1", {"instance_type": "m5.large"}, 0.118),
    ("Fargate x86 vCPU-h, us-east-2", "fargate.vcpu_hour", "us-east-2", {}, 0.04048),
    ("Fargate x86 vCPU-h, ap-south-1", "fargate.vcpu_hour", "ap-south-1", {}, 0.04256),
    ("Fargate x86 vCPU-h, eu-north-1", "fargate.vcpu_hour", "eu-north-1", {}, 0.0445),
    ("Fargate x86 vCPU-h, sa-east-1", "fargate.vcpu_hour", "sa-east-1", {}, 0.0696),
    ("Fargate x86 vCPU-h, ap-southeast-1", "fargate.vcpu_hour", "ap-southeast-1", {}, 0.05056),
    ("Fargate x86 vCPU-h, ap-east-2", "fargate.vcpu_hour", "ap-east-2", {}, 0.045504),
    ("NAT hour, us-east-2", "nat.hour", "us-east-2", {}, 0.045),
    ("NAT hour, sa-east-1", "nat.hour", "sa-east-1", {}, 0.093),
    ("NAT hour, ap-southeast-6", "nat.hour", "ap-southeast-6", {}, 0.06195),
    ("ALB hour, ap-south-1", "elb.alb_hour", "ap-south-1", {}, 0.0239),
    ("EKS cluster hour, us-east-2", "eks.cluster_hour", "us-east-2", {}, 0.10),
    ("m5.large 1yr standard No Upfront RI, us-east-2", "ec2.instance_hour", "us-east-2",
     {"instance_type": "m5.large", "term": "Reserved", "lease_contract_length": "1yr",
      "offering_class": "standard", "purchase_option": "No Upfront"}, 0.060),
]


@pytest.fixture(scope="module")
def fresh():
    return import_snapshot_inputs(OFFERS, **SNAPSHOT_INPUTS)


@pytest.fixture(scope="module")
def snapshot():
    return read_store(SNAPSHOT_DIR)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def test_the_provenance_table_covers_every_commercial_region():
    assert sorted(REGIONS) == sorted(known_region_codes())
    assert sorted(p.name for p in (OFFERS / "AmazonEC2").iterdir() if p.is_dir()) == sorted(REGIONS)


def test_the_makefile_builds_the_snapshot_from_these_inputs():
    recipe = re.search(r"^snapshot:.*?(?=^\S|\Z)", (REPO / "Makefile").read_text(), re.M | re.S).group(0)
    assert "--region" not in recipe  # every region of offers/
    for path in (OFFERS, *SNAPSHOT_INPUTS.values()):
        assert "$(PRICE_DATA)/" + path.relative_to(SHARED).as_posix() in recipe


@pytest.mark.parametrize("region", REGIONS)
def test_record_counts_match_provenance(region):
    (ec2, instances, storage, ecs) = PROVENANCE_6_2[region]
    expected = {"AmazonEC2": ec2, "AmazonECS": (ecs, ecs, 0),
                **{offer: (n, n, 0) for offer, n in SMALL_OFFERS.items()}}
    for offer, counts in expected.items():
        path = OFFERS / offer / region / "index.json"
        if offer == "AWSELB" and region == "ap-southeast-6":
            assert not path.exists()
            continue
        families: Counter = Counter()
        terms: Counter = Counter()
        with path.open("rb") as stream:
            for record in iter_offer_file(stream, str(path)):
                if isinstance(record, OfferProduct):
                    families[record.product.get("productFamily", "")] += 1
                elif isinstance(record, OfferTerms):
                    terms[record.term_type] += len(record.offers)  # one offer term per code
        assert (sum(families.values()), terms["OnDemand"], terms["Reserved"]) == counts, (offer, region)
        if offer == "AmazonEC2":
            assert +families == +Counter({"Compute Instance": instances, "Storage": storage, "NAT Gateway": 2})


def test_row_counts_per_offer_and_region(fresh):
    tables, _ = fresh
    offers = tables.prices[tables.prices["price_key"] != MATCH_KEY]
    counts = offers.groupby(["offer_code", "region"]).size().to_dict()
    # ECS Managed Instances fee entries matched to instance types (pricing.ecs_fee_entries), per Region
    matches = tables.prices[tables.prices["price_key"] == MATCH_KEY].groupby("region").size().to_dict()
    assert matches["us-east-1"] == 602 and set(matches) == MATCHED_REGIONS
    for region, ((products, _, reserved), _, _, ecs) in PROVENANCE_6_2.items():
        # every EC2 product is kept, with one OnDemand dimension and one per (No Upfront) Reserved term
        assert counts[("AmazonEC2", region)] == products + reserved
        # ECS Anywhere (the 9th product where present) is not selected
        assert counts[("AmazonECS", region)] == min(ecs, 8)
        assert counts[("AmazonEKS", region)] == 4
        assert counts.get(("AWSELB", region), 0) == (0 if region == "ap-southeast-6" else 4)
        assert counts[("AmazonVPC", region)] == 1  # in-use address; the idle-address product is not selected
        assert counts[("AmazonCloudWatch", region)] == 2
    assert len(offers) == 69977 and len(tables.prices) == 69977 + sum(matches.values())


def test_each_price_carries_its_own_publication_date(fresh):
    """EC2 instances from the 2025-04-04 feed, EBS 2024-07-18, NAT 2025-10-28: one AmazonEC2 file."""
    tables, _ = fresh
    book = PriceBook(tables, fresh[1], origin="fresh import")
    assert book.price("ec2.instance_hour", "us-east-2", instance_type="m5.large").publication_date[:10] == "2025-04-04"
    assert book.price("ebs.gp3_gb_month", "us-east-2").publication_date[:10] == "2024-07-18"
    assert book.price("nat.hour", "us-east-2").publication_date[:10] == "2025-10-28"
    assert book.price("fargate.vcpu_hour", "us-east-2").publication_date[:10] == "2025-10-27"


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
    assert sorted(snap_meta.regions) == sorted(REGIONS)
    pd.testing.assert_frame_equal(_sorted(snap_tables.prices), _sorted(fresh_tables.prices))
    assert snap_meta.regions == fresh_meta.regions
    assert snap_meta.sources == fresh_meta.sources


def test_snapshot_transfer_and_reference_tables_equal_a_fresh_import(fresh, snapshot):
    fresh_tables, _ = fresh
    snap_tables, _ = snapshot
    for name in ("transfer", "ec2_reference"):
        pd.testing.assert_frame_equal(_sorted(getattr(snap_tables, name)), _sorted(getattr(fresh_tables, name)),
                                      check_dtype=False)
    # every region of the data-transfer table (it has no ap-southeast-6), four tiers each
    assert snap_tables.transfer.groupby("region").size().to_dict() == dict.fromkeys(
        sorted(set(REGIONS) - {"ap-southeast-6"}), 4)
    assert snap_tables.ec2_reference["region"].nunique() == 28


def test_snapshot_spot_and_limits_equal_a_fresh_import(fresh, snapshot):
    fresh_tables, _ = fresh
    snap_tables, _ = snapshot
    pd.testing.assert_frame_equal(_sorted(snap_tables.spot), _sorted(fresh_tables.spot), check_dtype=False)
    assert len(snap_tables.instance_limits) == len(fresh_tables.instance_limits)
    assert snap_tables.instance_limits["instance_type"].tolist() == fresh_tables.instance_limits[
        "instance_type"].tolist()
    for col in ("max_enis", "ipv4_per_eni", "eks_max_pods"):
        assert snap_tables.instance_limits[col].tolist() == fresh_tables.instance_limits[col].tolist()
