"""Tests of pricing.query_api against botocore's Stubber on a real boto3 ``pricing`` client.

The entries are real GetProducts records (tests/fixtures/query_api/README.md says which)
plus synthetic EC2 instance products cut from the real m5.large record, so that a
us-east-1 refresh passes the real validation floors (100+ instance types).  Nothing here
reaches the network: Stubber answers every call, and the two connection tests point the
client at a closed port on 127.0.0.1.

The helpers at the top are also used by test_bulk_http.py and test_refresh.py.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.loaders import create_loader
from botocore.stub import Stubber

from pricing.errors import FetchError, OfferFormatError
from pricing.importer import WANTED_OFFERS
from pricing.query_api import (
    PAGE_SIZE,
    QUERY_API_ENDPOINT_REGIONS,
    ProductQuery,
    fetch_offer_rows,
    fetch_query_rows,
    make_pricing_client,
    queries_for,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "query_api"
REGION = "us-east-1"
M5_FILE = "AmazonEC2_compute_m5.large_us-east-1_2021-02-05.json"
ECS_FILE = "AmazonECS_us-east-1_2022-11-21.json"
_EC2_FILES = {"NAT Gateway": "AmazonEC2_nat_gateway_us-east-1_reconstructed.json",
              "gp3": "AmazonEC2_storage_gp3_us-east-1_reconstructed.json",
              "gp2": "AmazonEC2_storage_gp2_us-east-1_reconstructed.json"}
_OFFER_FILES = {"AmazonECS": ECS_FILE, "AmazonEKS": "AmazonEKS_us-east-1_reconstructed.json",
                "AWSELB": "AWSELB_us-east-1_reconstructed.json", "AmazonVPC": "AmazonVPC_us-east-1_reconstructed.json",
                "AmazonCloudWatch": "AmazonCloudWatch_us-east-1_reconstructed.json"}
# 12 families x 9 sizes = 108 synthetic types, plus the real m5.large: above the floor of 100.
_FAMILIES = {"c5": 2, "c6i": 2, "c7i": 2, "m6i": 4, "m7i": 4, "r5": 8, "r6i": 8, "r7i": 8,
             "c6g": 2, "m6g": 4, "r6g": 8, "m7g": 4}
_SIZES = {"large": 2, "xlarge": 4, "2xlarge": 8, "4xlarge": 16, "8xlarge": 32, "12xlarge": 48,
          "16xlarge": 64, "24xlarge": 96, "metal": 96}


# --- fixture data (shared with the other test modules) ----------------------------------
def load_entries(name: str) -> list[dict[str, Any]]:
    """The decoded PriceList entries of one stored GetProducts response."""
    response = json.loads((FIXTURES / name).read_text())
    return [json.loads(text) for text in response["PriceList"]]


def synthetic_instance_entries() -> list[dict[str, Any]]:
    """EC2 Linux instance products with the real m5.large record's shape and attribute set.

    Only the type-specific attributes, the SKU, rate codes and price change; the
    Reserved terms are dropped to keep the data small.
    """
    (template,) = load_entries(M5_FILE)
    template["terms"].pop("Reserved")
    entries = []
    for family, gib_per_vcpu in _FAMILIES.items():
        for size, vcpu in _SIZES.items():
            entries.append(_instance_entry(template, f"{family}.{size}", vcpu, vcpu * gib_per_vcpu))
    return entries


def _instance_entry(template: dict[str, Any], instance_type: str, vcpu: int, memory_gib: int) -> dict[str, Any]:
    entry = copy.deepcopy(template)
    sku = hashlib.sha256(instance_type.encode()).hexdigest()[:16].upper()
    graviton = instance_type.split(".")[0].endswith("g")
    price = f"{vcpu * (0.034 if graviton else 0.0425):.10f}"
    product = entry["product"]
    product["sku"] = sku
    product["attributes"].update(
        instanceType=instance_type, usagetype=f"BoxUsage:{instance_type}", vcpu=str(vcpu),
        memory=f"{memory_gib} GiB",
        physicalProcessor="AWS Graviton2 Processor" if graviton else "Intel Xeon Platinum 8375C (Ice Lake)")
    ((_, term),) = entry["terms"]["OnDemand"].items()
    ((_, dimension),) = term["priceDimensions"].items()
    term["sku"] = sku
    dimension.update(rateCode=f"{sku}.JRTCKXETXF.6YS6EN2CT7", pricePerUnit={"USD": price},
                     description=f"${float(price):g} per On Demand Linux {instance_type} Instance Hour")
    term["priceDimensions"] = {dimension["rateCode"]: dimension}
    entry["terms"]["OnDemand"] = {f"{sku}.JRTCKXETXF": term}
    return entry


def entries_for_query(query: ProductQuery) -> list[dict[str, Any]]:
    """What the stored responses hold for one of the queries ``queries_for`` makes."""
    filters = dict(query.filters)
    if query.service_code != "AmazonEC2":
        name = _OFFER_FILES.get(query.service_code)
        return load_entries(name) if name else []  # AWSDataTransfer: nothing region-coded
    if filters.get("operatingSystem") == "Linux":
        return load_entries(M5_FILE) + synthetic_instance_entries()
    key = filters.get("volumeApiName") or filters["productFamily"]
    return load_entries(_EC2_FILES[key]) if key in _EC2_FILES else []  # Windows: none stored


def entries_by_offer() -> dict[str, list[dict[str, Any]]]:
    """Every stored entry for a complete us-east-1 refresh, grouped by offer."""
    return {offer: [e for q in queries_for(offer, REGION) for e in entries_for_query(q)] for offer in WANTED_OFFERS}


def add_pages(stub: Stubber, query: ProductQuery, entries: list[dict[str, Any]], page_size: int = PAGE_SIZE) -> None:
    """Queue the answers to ``query`` as pages of ``page_size`` linked by NextToken."""
    chunks = [entries[i:i + page_size] for i in range(0, len(entries), page_size)] or [[]]
    for number, chunk in enumerate(chunks):
        response: dict[str, Any] = {"FormatVersion": "aws_v1", "PriceList": [json.dumps(e) for e in chunk]}
        if number + 1 < len(chunks):
            response["NextToken"] = f"token-{number + 1}"
        stub.add_response("get_products", response, expected_params(query, number))


def expected_params(query: ProductQuery, page_index: int) -> dict[str, Any]:
    """The exact GetProducts parameters of a page (the first has no NextToken)."""
    params = {**query.parameters(), "MaxResults": PAGE_SIZE}
    return params | ({"NextToken": f"token-{page_index}"} if page_index else {})


def isolate_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, *, credentials: bool) -> None:
    """No AWS configuration from this machine, no instance metadata; dummy keys if asked."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("BOTO_CONFIG", str(tmp_path / "no-boto-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    if credentials:
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")


def closed_port_url() -> str:
    """An http URL on 127.0.0.1 where nothing listens (connections are refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class SleepRecorder:
    """An injected ``sleep`` that records the backoff delays instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


# --- fixtures -----------------------------------------------------------------------------
@pytest.fixture
def stubbed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[tuple[Any, Stubber]]:
    isolate_aws_env(monkeypatch, tmp_path, credentials=True)
    client = boto3.client("pricing", region_name="us-east-1")
    with Stubber(client) as stub:
        yield client, stub
        stub.assert_no_pending_responses()


@pytest.fixture
def sleep() -> SleepRecorder:
    return SleepRecorder()


LINUX = queries_for("AmazonEC2", REGION)[0]
ECS = queries_for("AmazonECS", REGION)[0]


# --- endpoints and the client -------------------------------------------------------------
def test_endpoint_regions_match_botocores_endpoint_table():
    data = create_loader().load_data("endpoints")
    aws = next(p for p in data["partitions"] if p["partition"] == "aws")
    assert set(QUERY_API_ENDPOINT_REGIONS) == set(aws["services"]["api.pricing"]["endpoints"])
    assert QUERY_API_ENDPOINT_REGIONS[0] == "us-east-1"


def test_make_pricing_client_owns_retries_and_timeouts(monkeypatch, tmp_path):
    isolate_aws_env(monkeypatch, tmp_path, credentials=True)
    client = make_pricing_client("eu-central-1", timeout=7.5)
    assert client.meta.region_name == "eu-central-1"
    assert client.meta.service_model.service_name == "pricing"
    assert client.meta.config.read_timeout == 7.5 and client.meta.config.connect_timeout == 7.5
    assert client.meta.config.retries["total_max_attempts"] == 1


def test_make_pricing_client_rejects_a_region_without_endpoint():
    with pytest.raises(ValueError, match=r"no endpoint in 'eu-west-1'; allowed: us-east-1, eu-central-1, ap-south-1"):
        make_pricing_client("eu-west-1")


def test_partial_credentials_are_a_fetch_error_saying_how_to_fix_them(monkeypatch, tmp_path):
    isolate_aws_env(monkeypatch, tmp_path, credentials=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    with pytest.raises(FetchError, match=r"AWS credentials are incomplete .*AWS_SECRET_ACCESS_KEY.*--source bulk"):
        make_pricing_client()


def test_missing_credentials_are_a_fetch_error_saying_how_to_provide_them(monkeypatch, tmp_path, sleep):
    isolate_aws_env(monkeypatch, tmp_path, credentials=False)
    client = make_pricing_client(endpoint_url=closed_port_url())
    with pytest.raises(FetchError, match=r"AWS credentials are missing \(Unable to locate credentials\); "
                                         r"set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE"):
        fetch_query_rows(client, ECS, sleep=sleep)
    assert sleep.delays == []


def test_connection_errors_are_retried_then_reported(monkeypatch, tmp_path, sleep):
    isolate_aws_env(monkeypatch, tmp_path, credentials=True)
    url = closed_port_url()
    client = make_pricing_client(endpoint_url=url, timeout=5)
    with pytest.raises(FetchError) as info:
        fetch_query_rows(client, ECS, sleep=sleep, max_attempts=3)
    assert str(info.value).startswith("Price List Query API GetProducts for AmazonECS us-east-1 failed on page 1 "
                                      "after 3 attempts: connection error (Could not connect to the endpoint URL")
    assert url in str(info.value)
    assert sleep.delays == [1.0, 2.0]


# --- queries --------------------------------------------------------------------------------
def test_ec2_is_narrowed_to_what_the_selectors_keep():
    instance = [("regionCode", REGION), ("productFamily", "Compute Instance"), ("tenancy", "Shared"),
                ("preInstalledSw", "NA"), ("capacitystatus", "Used")]
    assert [q.filters for q in queries_for("AmazonEC2", REGION)] == [
        (*instance, ("operatingSystem", "Linux")),
        (*instance, ("operatingSystem", "Windows")),
        (("regionCode", REGION), ("productFamily", "NAT Gateway")),
        (("regionCode", REGION), ("productFamily", "Storage"), ("volumeApiName", "gp3")),
        (("regionCode", REGION), ("productFamily", "Storage"), ("volumeApiName", "gp2")),
    ]
    assert LINUX.parameters()["Filters"][0] == {"Type": "TERM_MATCH", "Field": "regionCode", "Value": REGION}


@pytest.mark.parametrize("offer", [o for o in WANTED_OFFERS if o != "AmazonEC2"])
def test_other_offers_are_fetched_whole_for_the_region(offer):
    (query,) = queries_for(offer, "eu-west-1")
    assert query.parameters() == {"ServiceCode": offer, "FormatVersion": "aws_v1",
                                  "Filters": [{"Type": "TERM_MATCH", "Field": "regionCode", "Value": "eu-west-1"}]}


# --- pages and normalization -----------------------------------------------------------------
def test_two_pages_are_followed_by_next_token(stubbed):
    client, stub = stubbed
    entries = load_entries(M5_FILE) + synthetic_instance_entries()
    add_pages(stub, LINUX, entries)
    rows = fetch_query_rows(client, LINUX)
    on_demand = {r.instance_type: r for r in rows if r.term == "OnDemand"}
    assert len(on_demand) == 109 and len(entries) > PAGE_SIZE
    m5 = on_demand["m5.large"]
    assert (m5.price_usd, m5.sku, m5.unit, m5.vcpu, m5.memory_gib) == (0.096, "6C86BEPQVG73ZGGR", "Hrs", 2.0, 8.0)
    assert (m5.publication_date, m5.source) == ("2021-02-05T20:45:00Z", "query-api:AmazonEC2/us-east-1")
    assert m5.architecture == "x86_64"
    assert on_demand["m6g.large"].architecture == "arm64"
    fee = next(r for r in rows if r.unit == "Quantity" and r.purchase_option == "Partial Upfront")
    assert (fee.price_usd, fee.lease_contract_length, fee.offering_class) == (294.0, "1yr", "convertible")


def test_real_ecs_response_keeps_fargate_and_drops_what_no_selector_wants(stubbed):
    client, stub = stubbed
    add_pages(stub, ECS, load_entries(ECS_FILE))
    rows = {r.price_key: r for r in fetch_query_rows(client, ECS)}
    assert rows["fargate.vcpu_hour"].price_usd == 0.04048
    assert rows["fargate.gb_hour"].price_usd == 0.004445
    assert rows["fargate.arm_vcpu_hour"].sku == "XSZATS4VYMDC9CYN"
    assert len(rows) == 8  # ECS Anywhere (tiered, no selector) is dropped


def test_an_offer_runs_every_query_in_order(stubbed):
    client, stub = stubbed
    for query in queries_for("AmazonEC2", REGION):
        add_pages(stub, query, entries_for_query(query), page_size=60)
    keys = {r.price_key for r in fetch_offer_rows(client, "AmazonEC2", REGION)}
    assert keys == {"ec2.instance_hour", "nat.hour", "nat.gb_processed", "ebs.gp3_gb_month", "ebs.gp2_gb_month"}


# --- throttling and refusals -------------------------------------------------------------------
def test_throttling_is_retried_with_exponential_backoff(stubbed, sleep):
    client, stub = stubbed
    for _ in range(2):
        stub.add_client_error("get_products", service_error_code="ThrottlingException",
                              service_message="Rate exceeded", http_status_code=400,
                              expected_params=expected_params(ECS, 0))
    add_pages(stub, ECS, load_entries(ECS_FILE))
    assert len(fetch_query_rows(client, ECS, sleep=sleep)) == 8
    assert sleep.delays == [1.0, 2.0]


def test_throttling_mid_listing_resumes_from_the_last_next_token(stubbed, sleep):
    client, stub = stubbed
    entries = load_entries(M5_FILE) + synthetic_instance_entries()
    stub.add_response("get_products", {"FormatVersion": "aws_v1", "NextToken": "token-1",
                                       "PriceList": [json.dumps(e) for e in entries[:PAGE_SIZE]]},
                      expected_params(LINUX, 0))
    stub.add_client_error("get_products", service_error_code="TooManyRequestsException", http_status_code=429,
                          expected_params=expected_params(LINUX, 1))
    stub.add_response("get_products", {"FormatVersion": "aws_v1",
                                       "PriceList": [json.dumps(e) for e in entries[PAGE_SIZE:]]},
                      expected_params(LINUX, 1))
    rows = fetch_query_rows(client, LINUX, sleep=sleep)
    assert len({r.instance_type for r in rows}) == 109
    assert sleep.delays == [1.0]


@pytest.mark.parametrize("code", ["ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"])
def test_throttling_that_never_ends_is_a_fetch_error(stubbed, sleep, code):
    client, stub = stubbed
    for _ in range(4):
        stub.add_client_error("get_products", service_error_code=code, service_message="Rate exceeded",
                              http_status_code=400, expected_params=expected_params(ECS, 0))
    with pytest.raises(FetchError) as info:
        fetch_query_rows(client, ECS, sleep=sleep, max_attempts=4)
    assert str(info.value) == (f"Price List Query API GetProducts for AmazonECS us-east-1 failed on page 1 after "
                               f"4 attempts: throttled ({code}: Rate exceeded); wait a few minutes, or use "
                               "'--source bulk'")
    assert sleep.delays == [1.0, 2.0, 4.0]


def test_a_refusal_is_not_retried(stubbed, sleep):
    client, stub = stubbed
    stub.add_client_error("get_products", service_error_code="AccessDeniedException",
                          service_message="not authorized to perform: pricing:GetProducts", http_status_code=400)
    with pytest.raises(FetchError, match=r"failed on page 1: AccessDeniedException: not authorized to perform: "
                                         r"pricing:GetProducts$"):
        fetch_query_rows(client, ECS, sleep=sleep)
    assert sleep.delays == []


# --- malformed entries -------------------------------------------------------------------------
def _second_page_with(stub: Stubber, bad_entry: str) -> None:
    good = [json.dumps(e) for e in load_entries(ECS_FILE)]
    stub.add_response("get_products", {"FormatVersion": "aws_v1", "PriceList": good[:3], "NextToken": "token-1"},
                      expected_params(ECS, 0))
    stub.add_response("get_products", {"FormatVersion": "aws_v1", "PriceList": [good[3], bad_entry]},
                      expected_params(ECS, 1))


def _without(key: str) -> str:
    entry = load_entries(ECS_FILE)[0]
    del entry[key]
    return json.dumps(entry)


def _bad_price() -> str:
    entry = load_entries(ECS_FILE)[1]  # Fargate vCPU, sku 8CESGAFWKAJ98PME
    ((_, term),) = entry["terms"]["OnDemand"].items()
    ((_, dimension),) = term["priceDimensions"].items()
    dimension["pricePerUnit"]["USD"] = "0.04O48"
    return json.dumps(entry)


@pytest.mark.parametrize(("bad_entry", "message"), [
    ('{"product": {"sku": "X"', r"PriceList\[1\]: entry: expected a JSON document \(Expecting"),
    ("[1, 2]", r"PriceList\[1\]: entry: expected a JSON object"),
    (_without("product"), r"PriceList\[1\]: product: expected an object with a 'sku'"),
    (_without("terms"), r"PriceList\[1\]: terms of sku 7KPDPTDSCT4J3Z64: expected an object of term objects"),
    (_without("publicationDate"), r"PriceList\[1\]: sku 7KPDPTDSCT4J3Z64: expected a 'publicationDate' string"),
    (_bad_price(), r"PriceList\[1\]: sku 8CESGAFWKAJ98PME rate 8CESGAFWKAJ98PME.JRTCKXETXF.6YS6EN2CT7: "
                   r"expected a decimal USD price, found '0.04O48'"),
])
def test_a_malformed_entry_names_service_page_and_index(stubbed, bad_entry, message):
    client, stub = stubbed
    _second_page_with(stub, bad_entry)
    with pytest.raises(OfferFormatError, match=r"^query-api:AmazonECS/us-east-1 page 2 " + message):
        fetch_query_rows(client, ECS)
