"""A refresh never loses or silently corrupts prices (issue 12): every key, plausible values.

A refresh whose result lacks any price key the last good data has for the refreshed Region
and offers (a renamed attribute, an empty offer, a schema drift) is rejected whole, whichever
the source (an in-memory fetcher, the Bulk API, the Query API through a Stubber).  A feed whose
prices are a thousand times lower than the last good data is refused unless forced.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from advisor_cli.main import main
from pricing.active import cache_store_dir, load_pricebook
from pricing.importer import WANTED_OFFERS
from pricing.query_api import queries_for
from tests.pricing.test_bulk_http import copy_snapshot_into_cache, store_digests
from tests.pricing.test_query_api import REGION, add_pages, entries_for_query
from tests.pricing.test_refresh import fetch_from, refresh, stubbed_client  # noqa: F401 (fixture)

SCALE = 1000.0


@pytest.fixture
def entries(stored) -> dict[str, list[dict[str, Any]]]:
    return copy.deepcopy(stored)


@pytest.fixture(scope="module")
def stored() -> dict[str, list[dict[str, Any]]]:
    from tests.pricing.test_query_api import entries_by_offer

    return entries_by_offer()


def drop(entries: dict[str, list[dict[str, Any]]], offer: str, usage_type: str) -> None:
    entries[offer] = [e for e in entries[offer] if usage_type not in e["product"]["attributes"].get("usagetype", "")]


def scale_instances(entries: dict[str, list[dict[str, Any]]], factor: float) -> None:
    for entry in entries["AmazonEC2"]:
        if entry["product"]["productFamily"] != "Compute Instance":
            continue
        for terms in entry["terms"].values():
            for term in terms.values():
                for dimension in term["priceDimensions"].values():
                    usd = float(dimension["pricePerUnit"]["USD"])
                    dimension["pricePerUnit"]["USD"] = f"{usd * factor:.12f}"


@pytest.mark.parametrize(("offer", "usage_type", "key"), [
    ("AWSELB", "NLCUUsage", "elb.nlb_nlcu_hour"),
    ("AmazonVPC", "PublicIPv4:InUseAddress", "vpc.public_ipv4_hour"),
    ("AmazonECS", "Fargate-Windows-OS-Hours", "fargate.windows_license_vcpu_hour"),
    ("AmazonCloudWatch", "TimedStorage-ByteHrs", "logs.storage_gb_month"),
])
def test_a_refresh_lacking_any_key_the_model_reads_is_rejected_whole(tmp_path, entries, offer, usage_type, key):
    """None of these keys is among the required few the floors knew; each one is read by the model."""
    before = copy_snapshot_into_cache(tmp_path)
    drop(entries, offer, usage_type)
    result = refresh(tmp_path, fetch_from(entries))
    assert not result.ok
    assert f"{REGION}: no {key} price (the last good data has it)" in result.reason
    assert store_digests(tmp_path) == before


def test_an_empty_offer_is_rejected(tmp_path, entries):
    entries["AmazonEKS"] = []
    result = refresh(tmp_path, fetch_from(entries))
    assert not result.ok and "no eks.cluster_hour price (the last good data has it)" in result.reason
    assert not cache_store_dir(tmp_path).exists()


def test_prices_a_thousand_times_lower_are_refused_unless_forced(tmp_path, entries):
    before = copy_snapshot_into_cache(tmp_path)
    scale_instances(entries, 1 / SCALE)
    result = refresh(tmp_path, fetch_from(entries))
    assert not result.ok
    assert re.match(r"price table rejected: AmazonEC2 in us-east-1: prices are [\d,]+× lower than the last good "
                    r"data \(median of \d+ prices; e\.g\. ec2\.instance_hour \S+ OnDemand \$0\.0000\d+, was \$0\.\d+\)",
                    result.reason), result.reason
    assert "refused as implausible; check the source, or refresh with --force to accept them" in result.reason
    assert store_digests(tmp_path) == before
    forced = refresh(tmp_path, fetch_from(entries), force=True)
    assert forced.ok, forced.reason
    book = load_pricebook(tmp_path)
    assert book.price("ec2.instance_hour", REGION, instance_type="m5.large").usd_per_unit == pytest.approx(0.096e-3)


def test_ordinary_price_changes_pass(tmp_path, entries):
    """A 44% GPU-style cut on one type is a real change, not an implausible feed."""
    copy_snapshot_into_cache(tmp_path)
    m5 = next(e for e in entries["AmazonEC2"] if e["product"]["attributes"].get("instanceType") == "m5.large")
    for term in m5["terms"]["OnDemand"].values():
        for dimension in term["priceDimensions"].values():
            dimension["pricePerUnit"]["USD"] = "0.0537600000"
    assert refresh(tmp_path, fetch_from(entries)).ok


def test_cli_query_api_refresh_missing_a_key_is_rejected(tmp_path, stubbed_client, capsys):  # noqa: F811
    """The same check whatever the source: GetProducts answers with no public IPv4 product."""
    _, stub, _ = stubbed_client
    for offer in WANTED_OFFERS:
        for query in queries_for(offer, REGION):
            add_pages(stub, query, [] if offer == "AmazonVPC" else entries_for_query(query))
    cache_dir = tmp_path / "cache"
    assert main(["--cache-dir", str(cache_dir), "prices", "refresh", "--source", "query", "--region", REGION]) == 1
    err = capsys.readouterr().err.splitlines()[-1]
    assert err.startswith("error: refresh failed: price table rejected: us-east-1: no vpc.public_ipv4_hour price "
                          "(the last good data has it)")
    assert not cache_dir.exists()


def test_cli_force_flag_is_offered(capsys):
    with pytest.raises(SystemExit):
        main(["prices", "refresh", "--help"])
    assert "--force" in capsys.readouterr().out
