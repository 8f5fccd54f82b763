"""pricing.importer (with pricing.offer_index): a folder in the Bulk API layout -> validated tables."""

from __future__ import annotations

import functools
import json
import math
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

import pricing.importer as importer
from pricing.errors import OfferFormatError, ValidationFailed
from pricing.importer import (
    WANTED_OFFERS,
    import_offer_folder,
    import_snapshot_inputs,
    iter_offer_path,
    merge_regions,
)
from pricing.instance_info import LIMIT_COLUMNS
from pricing.offer_index import local_relative_path, parse_offers_index, parse_region_index
from pricing.schema import PRICE_COLUMNS, validate_price_table
from pricing.spot_advisor import SPOT_COLUMNS
from pricing.store import PriceTables, StoreMetadata

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
OFFERS = FIXTURES / "offers"
REGIONS = ("us-east-1", "eu-west-1")
FIXTURE_TYPES = 6  # instance types in the trimmed AmazonEC2 files


@pytest.fixture
def offers_copy(tmp_path) -> Path:
    root = tmp_path / "offers"
    shutil.copytree(OFFERS, root)
    return root


@pytest.fixture
def small_floor(monkeypatch):
    """import_snapshot_inputs validates with the default floors; the fixture has 6 instance types."""
    monkeypatch.setattr(importer, "validate_price_table",
                        functools.partial(validate_price_table, min_instance_types=FIXTURE_TYPES))


# --- indexes ---------------------------------------------------------------------------------
def test_offers_index_of_fixture():
    offers = parse_offers_index((OFFERS / "index.json").read_bytes(), "index.json")
    assert set(offers) == {"AmazonECS", "AmazonEKS", "AmazonEC2", "AWSELB", "AmazonVPC", "AmazonCloudWatch"}
    assert offers["AmazonECS"] == "/offers/v1.0/aws/AmazonECS/current/region_index.json"
    assert set(WANTED_OFFERS) - set(offers) == {"AWSDataTransfer"}  # not in the bulk data (PROVENANCE 6.4)


def test_region_index_of_fixture():
    published, urls = parse_region_index((OFFERS / "AmazonEC2" / "region_index.json").read_bytes(), "ri")
    assert published == "2025-10-28T17:54:55Z"
    assert urls == {"us-east-1": "/offers/v1.0/aws/AmazonEC2/20251028175455/us-east-1/index.json",
                    "eu-west-1": "/offers/v1.0/aws/AmazonEC2/20251028175455/eu-west-1/index.json"}


def test_real_service_index_sample_shape():
    """The genuine offers index (242 offers) has extra keys per offer; only currentRegionIndexUrl is read."""
    doc = {"formatVersion": "v1.0", "disclaimer": "x", "publicationDate": "2025-09-12T23:25:36Z",
           "offers": {"AmazonECS": {"offerCode": "AmazonECS",
                                    "versionIndexUrl": "/offers/v1.0/aws/AmazonECS/index.json",
                                    "currentVersionUrl": "/offers/v1.0/aws/AmazonECS/current/index.json",
                                    "currentRegionIndexUrl": "/offers/v1.0/aws/AmazonECS/current/region_index.json",
                                    "savingsPlanVersionIndexUrl": None, "currentSavingsPlanIndexUrl": None}}}
    assert parse_offers_index(json.dumps(doc), "s") == {
        "AmazonECS": "/offers/v1.0/aws/AmazonECS/current/region_index.json"}


@pytest.mark.parametrize(("text", "message"), [
    ("{", r"^i\.json: line 1 column 2: expected JSON"),
    ("[]", r"^i\.json: top level: expected a JSON object"),
    ('{"formatVersion": "v1.0"}', r"^i\.json: top level: expected keys \['offers'\] \(is this a Price List index"),
    ('{"formatVersion": "v1.0", "offers": {"AmazonECS": {}}}', r"offer AmazonECS: expected a currentRegionIndexUrl"),
])
def test_bad_offers_index(text, message):
    with pytest.raises(OfferFormatError, match=message):
        parse_offers_index(text, "i.json")


def test_bad_region_index():
    with pytest.raises(OfferFormatError, match=r"region us-east-1: expected a currentVersionUrl"):
        parse_region_index('{"formatVersion": "v1.0", "regions": {"us-east-1": {"regionCode": "us-east-1"}}}', "r")


@pytest.mark.parametrize(("url", "path"), [
    ("/offers/v1.0/aws/AmazonECS/20251027205828/us-east-1/index.json", "AmazonECS/us-east-1/index.json"),
    ("/offers/v1.0/aws/AmazonECS/current/region_index.json", "AmazonECS/region_index.json"),
    ("/offers/v1.0/aws/AmazonEC2/current/eu-west-1/index.csv", "AmazonEC2/eu-west-1/index.csv"),
])
def test_local_relative_path(url, path):
    assert local_relative_path(url) == path


def test_local_relative_path_rejects_other_urls():
    with pytest.raises(OfferFormatError, match=r"^https://example\.com/x\.json: URL: expected /offers/v1\.0/aws/"):
        local_relative_path("https://example.com/x.json")


# --- importing the fixture tree --------------------------------------------------------------
def test_import_fixture_tree():
    frame, per_region = import_offer_folder(OFFERS, REGIONS)
    assert tuple(frame.columns) == PRICE_COLUMNS
    counts = frame.groupby(["region", "offer_code"]).size().to_dict()
    for region in REGIONS:
        # ECS: 9 products less ECS Anywhere; VPC: in-use address only; EC2: 6 OnDemand + 5 x 4 No Upfront RIs
        # (a1.large has none) + gp3, gp2, NAT hours, NAT GB
        assert counts[(region, "AmazonECS")] == 8
        assert counts[(region, "AmazonEKS")] == 4
        assert counts[(region, "AWSELB")] == 4
        assert counts[(region, "AmazonVPC")] == 1
        assert counts[(region, "AmazonCloudWatch")] == 2
        assert counts[(region, "AmazonEC2")] == 6 + 20 + 4
        assert per_region[region] == {"source": "bulk offer files (offers)", "offers": {
            "AmazonECS": "2025-10-27T20:58:28Z", "AmazonEKS": "2025-10-28T18:47:40Z",
            "AmazonEC2": "2025-10-28T17:54:55Z", "AWSELB": "2025-06-05T17:55:45Z",
            "AmazonVPC": "2025-11-04T01:26:50Z", "AmazonCloudWatch": "2025-09-23T22:01:00Z"}}
    # sources are relative to the folder: no machine path is baked into a store
    assert set(frame["source"]) == {f"bulk:{o}/{r}/index.json" for o in
                                    ("AmazonECS", "AmazonEKS", "AmazonEC2", "AWSELB", "AmazonVPC",
                                     "AmazonCloudWatch") for r in REGIONS}
    validate_price_table(frame, regions=REGIONS, min_instance_types=FIXTURE_TYPES)


def test_import_fixture_prices():
    frame, _ = import_offer_folder(OFFERS, ("us-east-1",))
    assert set(frame["region"]) == {"us-east-1"}

    def one(**where):
        sel = frame
        for k, v in where.items():
            sel = sel[sel[k] == v]
        assert len(sel) == 1, where
        return sel.iloc[0]

    assert one(price_key="fargate.vcpu_hour")["price_usd"] == 0.04048
    m5 = one(instance_type="m5.large", term="OnDemand")
    assert (m5["price_usd"], m5["sku"], m5["unit"]) == (0.096, "6C86BEPQVG73ZGGR", "Hrs")
    ri = one(instance_type="m5.large", term="Reserved", lease_contract_length="1yr", offering_class="standard")
    assert (ri["price_usd"], ri["purchase_option"]) == (0.06, "No Upfront")
    assert one(price_key="elb.alb_hour")["usage_type"] == "LoadBalancerUsage"  # no prefix in us-east-1
    assert one(price_key="vpc.public_ipv4_hour")["usage_type"] == "USE1-PublicIPv4:InUseAddress"
    assert one(price_key="vpc.public_ipv4_hour")["product_family"] == ""  # genuine products have none
    assert math.isinf(one(price_key="nat.hour")["end_range"])


def test_offer_missing_from_folder_is_skipped_and_validation_names_it(offers_copy):
    index = json.loads((offers_copy / "index.json").read_text())
    del index["offers"]["AWSELB"]
    (offers_copy / "index.json").write_text(json.dumps(index))
    frame, per_region = import_offer_folder(offers_copy, REGIONS)
    assert "AWSELB" not in set(frame["offer_code"])
    assert "AWSELB" not in per_region["us-east-1"]["offers"]
    with pytest.raises(ValidationFailed) as info:
        validate_price_table(frame, regions=REGIONS, min_instance_types=FIXTURE_TYPES)
    assert info.value.problems == ["us-east-1: no elb.alb_hour price", "us-east-1: no elb.alb_lcu_hour price",
                                   "eu-west-1: no elb.alb_hour price", "eu-west-1: no elb.alb_lcu_hour price"]


def test_region_missing_from_an_offer_is_logged(offers_copy, caplog):
    ri_path = offers_copy / "AmazonCloudWatch" / "region_index.json"
    ri = json.loads(ri_path.read_text())
    del ri["regions"]["eu-west-1"]
    ri_path.write_text(json.dumps(ri))
    frame, per_region = import_offer_folder(offers_copy, REGIONS)
    assert "AmazonCloudWatch has no eu-west-1 file" in caplog.text
    assert "AmazonCloudWatch" not in per_region["eu-west-1"]["offers"]
    assert "AmazonCloudWatch" in per_region["us-east-1"]["offers"]
    with pytest.raises(ValidationFailed, match=r"eu-west-1: no logs\.ingestion_gb price"):
        validate_price_table(frame, regions=REGIONS, min_instance_types=FIXTURE_TYPES)


def test_missing_region_file(offers_copy):
    (offers_copy / "AmazonEKS" / "eu-west-1" / "index.json").unlink()
    with pytest.raises(OfferFormatError, match=r"AmazonEKS/eu-west-1/index\.json: region offer file: expected the "
                                               r"file the region index points to"):
        import_offer_folder(offers_copy, REGIONS)


def test_csv_twin_is_read_when_json_is_absent(offers_copy):
    ecs = offers_copy / "AmazonECS" / "eu-west-1"
    (ecs / "index.json").unlink()
    shutil.copyfile(FIXTURES / "csv" / "AmazonECS_eu-west-1_ligoj.csv", ecs / "index.csv")
    frame, per_region = import_offer_folder(offers_copy, ("eu-west-1",))
    fargate = frame[frame["offer_code"] == "AmazonECS"]
    assert len(fargate) == 8
    assert set(fargate["publication_date"]) == {"2020-12-14T22:37:55Z"}
    assert fargate["source"].str.startswith("bulk:AmazonECS/eu-west-1/index.csv line ").all()
    assert per_region["eu-west-1"]["offers"]["AmazonECS"] == "2020-12-14T22:37:55Z"


def test_iter_offer_path_picks_reader_by_extension():
    json_rows = list(iter_offer_path(OFFERS / "AmazonECS" / "eu-west-1" / "index.json", "j"))
    csv_rows = list(iter_offer_path(FIXTURES / "csv" / "AmazonECS_eu-west-1_ligoj.csv", "c"))
    assert {r.price_key for r in json_rows} == {r.price_key for r in csv_rows}
    assert {r.sku for r in json_rows} == {r.sku for r in csv_rows}  # the 2020 SKUs are the 2025 SKUs
    assert all(r.source == "j" for r in json_rows)


def test_damaged_region_file_fails_the_import(offers_copy):
    path = offers_copy / "AmazonEC2" / "us-east-1" / "index.json"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(OfferFormatError) as info:
        import_offer_folder(offers_copy, REGIONS)
    assert info.value.source == "bulk:AmazonEC2/us-east-1/index.json"


# --- import_snapshot_inputs ------------------------------------------------------------------
def test_import_snapshot_inputs_rejects_the_small_fixture_with_default_floors():
    with pytest.raises(ValidationFailed, match=r"us-east-1: only 6 EC2 instance types with an On-Demand price "
                                               r"\(at least 100 expected\)"):
        import_snapshot_inputs(OFFERS, REGIONS)


def test_import_snapshot_inputs(small_floor):
    now = datetime(2025, 11, 5, 12, 0, tzinfo=UTC)
    tables, meta = import_snapshot_inputs(OFFERS, REGIONS, spot_advisor_file=FIXTURES / "spot" /
                                          "spot_advisor_sample.json", instance_info_dir=FIXTURES / "instance-info",
                                          now=now)
    assert meta.created_at == "2025-11-05T12:00:00Z"
    assert meta.sources == {"offers": "offers", "spot_advisor": "spot_advisor_sample.json",
                            "instance_info": ["instance_network_limits.csv", "ecs_eni_trunking_limits.csv"]}
    assert meta.prices_as_of("us-east-1") == "2025-11-04T01:26:50Z"
    assert len(tables.prices) == 2 * 49
    assert tuple(tables.spot.columns) == SPOT_COLUMNS
    assert set(tables.spot["region"]) == set(REGIONS)
    assert tuple(tables.instance_limits.columns) == LIMIT_COLUMNS
    assert len(tables.instance_limits) == FIXTURE_TYPES


def test_import_snapshot_inputs_without_optional_inputs(small_floor):
    tables, meta = import_snapshot_inputs(OFFERS, ("eu-west-1",))
    assert tables.spot.empty and tuple(tables.spot.columns) == SPOT_COLUMNS
    assert tables.instance_limits.empty and tuple(tables.instance_limits.columns) == LIMIT_COLUMNS
    assert meta.sources == {"offers": "offers"}


# --- merge_regions ------------------------------------------------------------------------------
def test_merge_regions_replaces_only_refreshed_pairs():
    both, per_region = import_offer_folder(OFFERS, REGIONS)
    base = PriceTables(prices=both, spot=pd.DataFrame(columns=list(SPOT_COLUMNS)),
                       instance_limits=pd.DataFrame(columns=list(LIMIT_COLUMNS)))
    base_meta = StoreMetadata(created_at="2025-11-01T00:00:00Z", regions=per_region, sources={"offers": "offers"})
    fresh = both[(both["region"] == "eu-west-1") & (both["offer_code"] == "AmazonECS")].copy()
    fresh["price_usd"] = fresh["price_usd"] * 2
    fresh_regions = {"eu-west-1": {"source": "Query API", "offers": {"AmazonECS": "2025-12-01T00:00:00Z"}}}
    tables, meta = merge_regions(base, base_meta, fresh, fresh_regions, ["AmazonECS"], "2025-12-02T00:00:00Z")
    assert len(tables.prices) == len(both)
    new = tables.prices
    eu_ecs = new[(new["region"] == "eu-west-1") & (new["offer_code"] == "AmazonECS")]
    assert sorted(eu_ecs["price_usd"]) == sorted(fresh["price_usd"])
    us_ecs = new[(new["region"] == "us-east-1") & (new["offer_code"] == "AmazonECS")]
    assert 0.04048 in set(us_ecs["price_usd"])
    assert meta.created_at == "2025-12-02T00:00:00Z"
    assert meta.regions["eu-west-1"]["source"] == "Query API"
    assert meta.regions["eu-west-1"]["offers"]["AmazonECS"] == "2025-12-01T00:00:00Z"
    assert meta.regions["eu-west-1"]["offers"]["AmazonEC2"] == "2025-10-28T17:54:55Z"  # kept
    assert meta.regions["us-east-1"] == per_region["us-east-1"]
    assert base_meta.regions["eu-west-1"]["offers"]["AmazonECS"] == "2025-10-27T20:58:28Z"  # input not mutated
