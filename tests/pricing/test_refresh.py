"""Tests of pricing.refresh and ``advisor prices refresh``: all or nothing, and says why.

The orchestration is driven by an in-memory fetcher built from the stored GetProducts
entries (see test_query_api.py); the command-line tests go end to end, through the
loopback Bulk API server of test_bulk_http.py or a Stubber-wrapped Query API client.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from advisor_cli.main import main
from pricing.active import cache_store_dir, load_pricebook
from pricing.cache_store import active_store_dir
from pricing.ecs_fee_entries import FEED_SOURCE_PREFIX, MATCH_KEY
from pricing.errors import FetchError, OfferFormatError, StoreCorrupted
from pricing.importer import WANTED_OFFERS
from pricing.query_api import entry_rows, queries_for
from pricing.refresh import FetchRows, refresh_prices
from pricing.schema import PriceRow
from pricing.store import read_metadata
from tests.pricing.test_bulk_http import (
    copy_snapshot_into_cache,
    offers_tree,
    region_index_path,
    serve_offers,
    store_digests,
)
from tests.pricing.test_query_api import (
    REGION,
    add_pages,
    closed_port_url,
    entries_by_offer,
    entries_for_query,
    isolate_aws_env,
)

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SNAPSHOT_AS_OF = "2025-11-04T01:26:50Z"  # the snapshot's newest us-east-1 offer (AmazonVPC)


def fetch_from(entries: dict[str, list[dict[str, Any]]],
               fail: Callable[[str, str], None] = lambda _offer, _region: None) -> FetchRows:
    """A fetcher answering from stored entries; ``fail`` may raise for an (offer, Region)."""
    def fetch(offer: str, region: str) -> list[PriceRow]:
        fail(offer, region)
        return [row for index, entry in enumerate(entries.get(offer, []))
                for row in entry_rows(entry, service_code=offer, source=f"query-api:{offer}/{region}",
                                      where=f"page 1 PriceList[{index}]")]
    return fetch


def set_m5_price(entries: dict[str, list[dict[str, Any]]], usd: str) -> None:
    m5 = next(e for e in entries["AmazonEC2"] if e["product"]["attributes"].get("instanceType") == "m5.large")
    ((_, term),) = m5["terms"]["OnDemand"].items()
    ((_, dimension),) = term["priceDimensions"].items()
    dimension["pricePerUnit"]["USD"] = usd


def refresh(cache_dir: Path, fetch_rows: FetchRows, **kwargs: Any):
    return refresh_prices(source="query-api", regions=[REGION], cache_dir=cache_dir, fetch_rows=fetch_rows,
                          now=NOW, **kwargs)


@pytest.fixture(scope="module")
def stored() -> dict[str, list[dict[str, Any]]]:
    return entries_by_offer()


@pytest.fixture
def entries(stored: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    return copy.deepcopy(stored)


@pytest.fixture
def refreshed(tmp_path: Path, stored: dict[str, list[dict[str, Any]]]) -> Path:
    """A cache directory holding one successful us-east-1 refresh."""
    cache_dir = tmp_path / "cache"
    assert refresh(cache_dir, fetch_from(stored)).ok
    return cache_dir


# --- success ---------------------------------------------------------------------------------------
def test_a_refresh_writes_the_cache_and_the_cache_becomes_active(tmp_path, stored):
    cache_dir = tmp_path / "cache"
    lines: list[str] = []
    result = refresh(cache_dir, fetch_from(stored), progress=lines.append)
    assert (result.ok, result.reason) == (True, "")
    assert result.origin == f"cache ({cache_store_dir(cache_dir)})"
    book = load_pricebook(cache_dir)
    assert book.origin == result.origin and book.warnings == ()
    meta = book.metadata
    assert meta.created_at == "2026-11-25T12:00:00Z"
    assert meta.regions[REGION] == {"source": "query-api", "offers": {
        "AmazonECS": "2022-11-21T18:21:30Z", "AmazonEKS": "2025-10-28T18:47:40Z",
        "AmazonEC2": "2025-10-28T17:54:55Z", "AWSELB": "2025-06-05T17:55:45Z", "AmazonVPC": "2025-11-04T01:26:50Z",
        "AmazonCloudWatch": "2025-09-23T22:01:00Z"}}
    quote = book.price("fargate.vcpu_hour", REGION)
    assert (quote.usd_per_unit, quote.sku) == (0.04048, "8CESGAFWKAJ98PME")
    assert quote.source == "query-api:AmazonECS/us-east-1"
    assert len(book.instance_offers(REGION)) == 109
    assert "fetching AmazonEC2 prices for us-east-1 (query-api)" in lines
    assert "  AWSDataTransfer us-east-1: 0 prices (none the advisor uses)" in lines
    assert lines[-1].startswith("wrote ") and lines[-1].endswith(f"prices to {cache_store_dir(cache_dir)}")


def test_other_regions_keep_their_last_good_prices(refreshed):
    book = load_pricebook(refreshed)
    assert book.metadata.regions["eu-west-1"]["source"] == "bulk offer files (offers)"
    assert len(book.instance_offers("eu-west-1")) > 500
    assert book.spot_savings("eu-west-1", "m5.large") is not None  # spot and limits tables kept too


def test_a_second_refresh_replaces_rows_instead_of_adding_them(refreshed, entries):
    set_m5_price(entries, "0.1000000000")
    assert refresh(refreshed, fetch_from(entries)).ok
    table = load_pricebook(refreshed).table()
    m5 = table[(table["price_key"] == "ec2.instance_hour") & (table["instance_type"] == "m5.large")
               & (table["region"] == REGION) & (table["term"] == "OnDemand")]
    assert m5["price_usd"].tolist() == [0.1]


def test_a_refresh_keeps_the_rows_the_price_list_does_not_carry(refreshed):
    """The ECS Managed Instances fees come from a pricing-page feed: a Price List refresh keeps them."""
    table = load_pricebook(refreshed).table()
    fees = table[(table["price_key"] == MATCH_KEY) & (table["region"] == REGION)]
    assert len(fees) > 100 and fees["source"].str.startswith(FEED_SOURCE_PREFIX).all()


def test_the_validation_floors_can_be_lowered(tmp_path, entries):
    instances = [e for e in entries["AmazonEC2"] if e["product"]["productFamily"] == "Compute Instance"]
    entries["AmazonEC2"] = [e for e in entries["AmazonEC2"] if e not in instances] + instances[:5]
    assert not refresh(tmp_path, fetch_from(entries)).ok
    assert refresh(tmp_path, fetch_from(entries), min_instance_types=5).ok


# --- failure: nothing changes, and the reason is exact -------------------------------------------
def _raise(error: Exception, offer: str) -> Callable[[str, str], None]:
    def fail(failing_offer: str, _region: str) -> None:
        if failing_offer == offer:
            raise error
    return fail


@pytest.mark.parametrize(("error", "reason"), [
    (FetchError("Price List Query API GetProducts for AmazonEC2 us-east-1 failed on page 3 after 5 attempts: x"),
     "Price List Query API GetProducts for AmazonEC2 us-east-1 failed on page 3 after 5 attempts: x"),
    (OfferFormatError("query-api:AmazonEC2/us-east-1 page 2 PriceList[7]", "entry", "a JSON object"),
     "query-api:AmazonEC2/us-east-1 page 2 PriceList[7]: entry: expected a JSON object"),
    (OSError(28, "No space left on device"),
     "fetching AmazonEC2 prices for us-east-1: [Errno 28] No space left on device"),
], ids=["fetch", "format", "oserror"])
def test_a_failed_fetch_leaves_the_cache_byte_identical(refreshed, stored, error, reason):
    before = store_digests(refreshed)
    result = refresh(refreshed, fetch_from(stored, _raise(error, "AmazonEC2")))
    assert (result.ok, result.reason) == (False, reason)
    assert result.origin == f"cache ({cache_store_dir(refreshed)})"
    assert result.prices_as_of() == "2025-11-04T01:26:50Z"
    assert store_digests(refreshed) == before


def test_a_table_below_the_floors_is_rejected_and_nothing_is_written(tmp_path, entries):
    ec2 = entries["AmazonEC2"]
    instances = [e for e in ec2 if e["product"]["productFamily"] == "Compute Instance"]
    entries["AmazonEC2"] = [e for e in ec2 if e not in instances] + instances[:30]
    del entries["AWSELB"]
    result = refresh(tmp_path, fetch_from(entries))
    assert not result.ok
    assert result.reason == ("price table rejected: us-east-1: no elb.alb_hour price (the last good data has it); "
                             "us-east-1: no elb.alb_lcu_hour price (the last good data has it); us-east-1: no "
                             "elb.nlb_hour price (the last good data has it); us-east-1: no elb.nlb_nlcu_hour price "
                             "(the last good data has it); us-east-1: only 30 EC2 instance types with an On-Demand "
                             "price (at least 100 expected)")
    assert (result.origin, result.prices_as_of()) == ("bundled snapshot", SNAPSHOT_AS_OF)
    assert list(tmp_path.iterdir()) == []


def test_rows_of_another_region_are_rejected(tmp_path, stored):
    result = refresh_prices(source="query-api", regions=["eu-west-1"], cache_dir=tmp_path,
                            fetch_rows=fetch_from(stored), now=NOW)  # answers with us-east-1 rows
    assert not result.ok
    assert result.reason == ("query-api:AmazonECS/eu-west-1: sku 7KPDPTDSCT4J3Z64: expected a AmazonECS price in "
                             "eu-west-1, found AmazonECS in us-east-1")
    assert list(tmp_path.iterdir()) == []


def test_a_cache_that_cannot_be_written_is_reported(tmp_path, stored):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    result = refresh(blocker, fetch_from(stored))
    assert not result.ok
    assert str(blocker) in result.reason
    assert blocker.read_text() == ""


def test_a_corrupted_cache_falls_back_to_the_snapshot_with_a_warning(refreshed):
    prices = active_store_dir(cache_store_dir(refreshed)) / "prices.csv.gz"
    data = bytearray(prices.read_bytes())
    data[len(data) // 2] ^= 0xFF
    prices.write_bytes(bytes(data))
    book = load_pricebook(refreshed)
    assert book.origin == "bundled snapshot"
    (warning,) = book.warnings
    assert warning.startswith("using the bundled snapshot because the price cache") and "checksum mismatch" in warning


def test_a_refresh_over_a_corrupted_cache_rebuilds_it_on_the_snapshot(refreshed, stored):
    store = active_store_dir(cache_store_dir(refreshed))
    (store / "metadata.json").write_text("{")
    with pytest.raises(StoreCorrupted):
        read_metadata(store)
    lines: list[str] = []
    assert refresh(refreshed, fetch_from(stored), progress=lines.append).ok
    assert lines[0].startswith("warning: the price cache is corrupted (")
    assert lines[0].endswith("refreshing on top of the bundled snapshot")
    book = load_pricebook(refreshed)
    assert book.origin.startswith("cache (") and "eu-west-1" in book.metadata.regions


# --- the command line ----------------------------------------------------------------------------
@pytest.fixture
def bulk_server(stored):
    with serve_offers(offers_tree(stored)) as server:
        yield server


def _bulk_args(cache_dir: Path, url: str) -> list[str]:
    return ["--cache-dir", str(cache_dir), "prices", "refresh", "--source", "bulk", "--region", REGION,
            "--endpoint-url", url, "--timeout", "5"]


def test_cli_bulk_refresh_writes_the_cache(tmp_path, bulk_server, capsys):
    assert main(_bulk_args(tmp_path, bulk_server.url)) == 0
    out, err = capsys.readouterr()
    assert out == (f"refreshed us-east-1 from bulk-api {bulk_server.url}: active prices "
                   f"cache ({cache_store_dir(tmp_path)}), as of 2025-11-04T01:26:50Z\n")
    assert f"fetching AmazonECS prices for us-east-1 (bulk-api {bulk_server.url})" in err.splitlines()
    assert "  AmazonECS us-east-1: 8 prices, published 2022-11-21T18:21:30Z" in err.splitlines()
    assert load_pricebook(tmp_path).metadata.regions[REGION]["source"] == f"bulk-api {bulk_server.url}"


def test_cli_failure_keeps_the_snapshot_and_says_why(tmp_path, bulk_server, capsys):
    bulk_server.faults[region_index_path("AmazonEKS")] = ["404"]
    assert main(_bulk_args(tmp_path, bulk_server.url)) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == (f"error: refresh failed: {bulk_server.url}{region_index_path('AmazonEKS')}: HTTP 404 Not "
                       f"Found (no such Price List file); keeping the last good prices (bundled snapshot, as of "
                       f"{SNAPSHOT_AS_OF})")
    assert list(tmp_path.iterdir()) == []


def test_cli_failure_keeps_an_earlier_cache_byte_identical(tmp_path, bulk_server, capsys):
    before = copy_snapshot_into_cache(tmp_path)
    bulk_server.faults[region_index_path("AWSELB")] = ["html"]
    assert main(_bulk_args(tmp_path, bulk_server.url)) == 1
    err = capsys.readouterr().err.splitlines()
    assert re.fullmatch(rf"error: refresh failed: {bulk_server.url}{region_index_path('AWSELB')}: Content-Type "
                        rf"text/html, expected .*; keeping the last good prices \(cache \({cache_store_dir(tmp_path)}"
                        rf"\), as of {SNAPSHOT_AS_OF}\)", err[-1])
    assert store_digests(tmp_path) == before


@pytest.fixture
def stubbed_client(monkeypatch, tmp_path) -> Iterator[tuple[Any, Stubber, dict[str, Any]]]:
    """A Stubber-wrapped client that ``advisor prices refresh --source query`` will use."""
    isolate_aws_env(monkeypatch, tmp_path, credentials=True)
    client = boto3.client("pricing", region_name="us-east-1")
    made: dict[str, Any] = {}

    def make(**kwargs: Any) -> Any:
        made.update(kwargs)
        return client

    monkeypatch.setattr("pricing.query_api.make_pricing_client", make)
    with Stubber(client) as stub:
        yield client, stub, made
        stub.assert_no_pending_responses()


def test_cli_query_refresh_writes_the_cache(tmp_path, stubbed_client, capsys):
    _, stub, made = stubbed_client
    for offer in WANTED_OFFERS:
        for query in queries_for(offer, REGION):
            add_pages(stub, query, entries_for_query(query))
    cache_dir = tmp_path / "cache"
    args = ["--cache-dir", str(cache_dir), "prices", "refresh", "--source", "query", "--region", REGION,
            "--timeout", "9"]
    assert main(args) == 0
    assert made == {"endpoint_url": None, "timeout": 9.0}
    assert capsys.readouterr().out == (f"refreshed us-east-1 from query-api: active prices "
                                       f"cache ({cache_store_dir(cache_dir)}), as of 2025-11-04T01:26:50Z\n")
    assert load_pricebook(cache_dir).price("ec2.instance_hour", REGION, instance_type="m5.large").usd_per_unit == 0.096


def test_cli_query_refresh_without_credentials_says_how_to_provide_them(tmp_path, monkeypatch, capsys):
    isolate_aws_env(monkeypatch, tmp_path, credentials=False)
    cache_dir = tmp_path / "cache"
    args = ["--cache-dir", str(cache_dir), "prices", "refresh", "--source", "query", "--region", REGION,
            "--endpoint-url", closed_port_url()]
    assert main(args) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1].startswith("error: refresh failed: AWS credentials are missing (Unable to locate credentials); "
                              "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
    assert err[-1].endswith(f"; keeping the last good prices (bundled snapshot, as of {SNAPSHOT_AS_OF})")
    assert not cache_dir.exists()
