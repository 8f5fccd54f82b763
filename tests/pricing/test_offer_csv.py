"""pricing.offer_csv: the bulk offer file in CSV form, on real AWS CSV files.

Fixtures (see tests/fixtures/README.md): the ligoj AmazonECS eu-west-1 regional CSV
(2020 prices), a trimmed copy of a real 2025 AmazonEC2 global CSV whose rows are all
Windows/SQL/RHEL/Dedicated/capacity-reservation products, and a file of m5.large rows
written in the same column layout from the genuine 2021 GetProducts record.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pytest

from pricing.errors import OfferFormatError
from pricing.offer_csv import attribute_name, iter_offer_csv, read_metadata_rows

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "csv"
ECS_LIGOJ = FIXTURES / "AmazonECS_eu-west-1_ligoj.csv"
EC2_GLOBAL = FIXTURES / "AmazonEC2_global_sample_2025-09-12_trimmed.csv"
EC2_M5 = FIXTURES / "AmazonEC2_m5.large_linux_partial_upfront.csv"


def rows_of(data: bytes, source: str = "index.csv") -> list:
    return list(iter_offer_csv(io.BytesIO(data), source))


# --- metadata rows and header ------------------------------------------------------------
def test_metadata_rows_and_header_of_real_files():
    for path, offer, published in [(ECS_LIGOJ, "AmazonECS", "2020-12-14T22:37:55Z"),
                                   (EC2_GLOBAL, "AmazonEC2", "2025-09-12T22:53:08Z")]:
        reader = csv.reader(io.StringIO(path.read_text()))
        meta, header = read_metadata_rows(reader, str(path))
        assert meta["OfferCode"] == offer
        assert meta["Publication Date"] == published
        assert meta["FormatVersion"] == "v1.0"
        assert header[:4] == ["SKU", "OfferTermCode", "RateCode", "TermType"]
        # the reader is left on the first price row
        assert next(reader)[0] == ("C2JZ54VTCJX2FV4Z" if offer == "AmazonECS" else "2223B6PCG6QAUYY6")


def test_no_header_row_is_an_error():
    text = '"FormatVersion","v1.0"\n"OfferCode","AmazonECS"\n' + "\n".join(f'"k{i}","v"' for i in range(30))
    with pytest.raises(OfferFormatError, match=r"^x\.csv: header: expected metadata rows followed by a column row"):
        read_metadata_rows(csv.reader(io.StringIO(text)), "x.csv")


def test_metadata_without_offer_code_is_an_error():
    data = ECS_LIGOJ.read_bytes().replace(b'"OfferCode","AmazonECS"\r\n', b"")  # the file has CRLF line ends
    assert b"OfferCode" not in data
    with pytest.raises(OfferFormatError, match=r"metadata rows: expected 'OfferCode' and 'Publication Date'"):
        rows_of(data)


@pytest.mark.parametrize("column", ["TermType", "Unit", "PricePerUnit", "Currency"])
def test_missing_required_column(column):
    lines = ECS_LIGOJ.read_text().splitlines(keepends=True)
    header_at = next(i for i, line in enumerate(lines) if line.startswith("SKU,"))
    lines[header_at] = lines[header_at].replace(f",{column},", ",Renamed,")
    with pytest.raises(OfferFormatError, match=rf"column row: expected a '{column}' column"):
        rows_of("".join(lines).encode())


# --- attribute names ------------------------------------------------------------------------
@pytest.mark.parametrize(("title", "attribute"), [
    ("Instance Type", "instanceType"),
    ("Operating System", "operatingSystem"),
    ("License Model", "licenseModel"),
    ("Tenancy", "tenancy"),
    ("Location", "location"),
    ("Location Type", "locationType"),
    ("Physical Processor", "physicalProcessor"),
    ("Processor Architecture", "processorArchitecture"),
    ("Memory", "memory"),
    ("vCPU", "vcpu"),
    ("usageType", "usagetype"),
    ("operation", "operation"),
    ("Pre Installed S/W", "preInstalledSw"),
    ("CapacityStatus", "capacitystatus"),
    ("MarketOption", "marketoption"),
    ("Product Family", "productFamily"),
    ("Region Code", "regionCode"),
    ("serviceCode", "servicecode"),
    ("CPU Architecture", "cpuArchitecture"),
    ("Normalization Size Factor", "normalizationSizeFactor"),
])
def test_attribute_name_mapping(title, attribute):
    assert attribute_name(title) == attribute


def test_csv_and_json_name_the_same_attributes():
    """Every attribute the selectors test is spelled the same way from both forms."""
    row = rows_of(EC2_M5.read_bytes())[0]
    assert (row.instance_type, row.operating_system, row.usage_type, row.operation) == (
        "m5.large", "Linux", "BoxUsage:m5.large", "RunInstances")
    assert (row.vcpu, row.memory_gib, row.region, row.product_family) == (2.0, 8.0, "us-east-1", "Compute Instance")


# --- the ligoj AmazonECS eu-west-1 file ---------------------------------------------------
LIGOJ_FARGATE = {
    # price_key: (SKU, USD, unit), eu-west-1, Publication Date 2020-12-14
    "fargate.vcpu_hour": ("K4EXFQ5YFQCP98EN", 0.04048, "hours"),
    "fargate.gb_hour": ("UP5ETC3QSW2QZGEY", 0.004445, "hours"),
    "fargate.arm_vcpu_hour": ("KXC9CEUQGJQPNZPY", 0.03238, "hours"),
    "fargate.arm_gb_hour": ("MGJ5EB5GSHR8QZDF", 0.00356, "hours"),
    "fargate.windows_vcpu_hour": ("3V9A5XTNJBY93V85", 0.09148, "hours"),
    "fargate.windows_gb_hour": ("73MS8DZJC4UENPS2", 0.01005, "hours"),
    "fargate.windows_license_vcpu_hour": ("C2JZ54VTCJX2FV4Z", 0.046, "hours"),
    "fargate.ephemeral_storage_gb_hour": ("3N9FHWEQ6PQF335G", 0.000122, "GB-Hours"),
}


def test_ligoj_ecs_fargate_prices():
    rows = rows_of(ECS_LIGOJ.read_bytes(), "AmazonECS/eu-west-1/index.csv")
    got = {r.price_key: (r.sku, r.price_usd, r.unit) for r in rows}
    assert got == LIGOJ_FARGATE  # ECS Anywhere and ECS-EC2 metering rows are not selected
    for r in rows:
        assert r.offer_code == "AmazonECS"
        assert r.region == "eu-west-1"
        assert r.usage_type.startswith("EU-Fargate-")
        assert r.term == "OnDemand"
        assert r.publication_date == "2020-12-14T22:37:55Z"
        assert r.effective_date == "01/01/2022"
        assert r.rate_code == f"{r.sku}.JRTCKXETXF.6YS6EN2CT7"
        assert (r.begin_range, r.end_range) == (0.0, math.inf)
        assert r.source.startswith("AmazonECS/eu-west-1/index.csv line ")
        assert r.instance_type == "" and math.isnan(r.vcpu)
    windows = {r.price_key for r in rows if r.operating_system == "Windows"}
    assert windows == {"fargate.windows_vcpu_hour", "fargate.windows_gb_hour", "fargate.windows_license_vcpu_hour"}


def test_rows_name_their_physical_line():
    rows = rows_of(ECS_LIGOJ.read_bytes(), "ecs.csv")
    lines = ECS_LIGOJ.read_text().splitlines()
    for r in rows:
        line_no = int(r.source.rsplit(" ", 1)[1])
        assert lines[line_no - 1].startswith(r.sku + ",")


# --- the real 2025 EC2 global CSV: nothing in it is a selected product ----------------------
def test_real_ec2_global_sample_keeps_nothing():
    data = EC2_GLOBAL.read_bytes()
    reader = csv.reader(io.StringIO(data.decode()))
    _, header = read_metadata_rows(reader, "x")
    body = list(reader)
    assert len(body) == 18 and all(len(r) == len(header) == 91 for r in body)
    oses = {r[header.index("Operating System")] for r in body}
    assert "Linux" in oses  # a Linux row exists (c6g.4xlarge) but on a Dedicated Host
    assert rows_of(data) == []


def test_real_ec2_rows_are_kept_once_linux_shared():
    """Proof the empty result above is the selectors' filter: relabel one row and it is kept."""
    text = EC2_GLOBAL.read_text()
    # c6g.4xlarge, Linux, tenancy Host -> Shared with its shared usage type
    relabelled = text.replace('"Host",,"Linux"', '"Shared",,"Linux"', 1).replace(
        '"USW2-HostBoxUsage:c6g.4xlarge"', '"USW2-BoxUsage:c6g.4xlarge"', 1)
    (row,) = rows_of(relabelled.encode())
    assert (row.price_key, row.sku, row.instance_type, row.region) == (
        "ec2.instance_hour", "2227U2PX8M4F95R6", "c6g.4xlarge", "us-west-2")
    assert row.architecture == "arm64"
    assert row.price_usd == 0.0 and row.unit == "Hrs"


# --- Partial Upfront: the Upfront Fee is its own row with unit Quantity ----------------------
def test_m5_large_partial_upfront_rows():
    rows = rows_of(EC2_M5.read_bytes(), "m5.csv")
    assert len(rows) == 3  # OnDemand, RI hourly, RI upfront fee; the Windows SQL Dedicated pair is dropped
    on_demand, hourly, fee = rows
    assert (on_demand.term, on_demand.unit, on_demand.price_usd) == ("OnDemand", "Hrs", 0.096)
    for r in (hourly, fee):
        assert r.term == "Reserved"
        assert (r.lease_contract_length, r.offering_class, r.purchase_option) == ("1yr", "standard", "Partial Upfront")
        assert r.sku == "6C86BEPQVG73ZGGR"
        assert r.price_key == "ec2.instance_hour"
    assert (hourly.unit, hourly.price_usd, hourly.rate_code) == ("Hrs", 0.029, "6C86BEPQVG73ZGGR.HU7G6KETJZ.6YS6EN2CT7")
    assert (fee.unit, fee.price_usd, fee.rate_code) == ("Quantity", 252.0, "6C86BEPQVG73ZGGR.HU7G6KETJZ.2TG2D8R56U")
    assert fee.description == "Upfront Fee"
    # the fee row has empty StartingRange/EndingRange in the CSV
    assert (fee.begin_range, fee.end_range) == (0.0, math.inf)
    assert {r.publication_date for r in rows} == {"2021-02-05T20:45:00Z"}


# --- damaged files --------------------------------------------------------------------------
@pytest.mark.parametrize("path", [ECS_LIGOJ, EC2_GLOBAL], ids=["ligoj", "ec2"])
def test_truncated_row(path):
    data = path.read_bytes().rstrip(b"\n")
    last_line = data.count(b"\n") + 1
    cut = data.rindex(b"\n") + 60  # in the middle of the last row's price columns
    with pytest.raises(OfferFormatError, match=rf"^index\.csv: line {last_line}: expected \d+ fields, found \d+ "
                                               r"\(truncated\?\)"):
        rows_of(data[:cut])


def test_rows_before_a_truncated_row_are_yielded_whole():
    data = ECS_LIGOJ.read_bytes().rstrip(b"\n")
    cut = data.rindex(b"\n") + 60
    got = []
    with pytest.raises(OfferFormatError):
        for row in iter_offer_csv(io.BytesIO(data[:cut]), "index.csv"):
            got.append(row)
    assert got == rows_of(ECS_LIGOJ.read_bytes())[: len(got)]
    assert len(got) == 8  # the truncated last row (ECS-EC2 metering) is not a selected product


def test_non_usd_rows_are_skipped():
    text = ECS_LIGOJ.read_text()
    # the China regions' offer files price in CNY; such a row must not become a USD price
    cny = text.replace("hours,0.0404800000,USD,", "hours,0.2960000000,CNY,", 1)
    assert cny != text
    keys = {r.price_key for r in rows_of(cny.encode())}
    assert "fargate.vcpu_hour" not in keys
    assert len(keys) == 7


def test_bad_price_names_sku_rate_and_line():
    text = ECS_LIGOJ.read_text().replace("hours,0.0404800000,USD,", "hours,n/a,USD,", 1)
    with pytest.raises(OfferFormatError,
                       match=r"^ecs\.csv line 17: sku K4EXFQ5YFQCP98EN rate K4EXFQ5YFQCP98EN\.JRTCKXETXF\.6YS6EN2CT7: "
                             r"expected a decimal USD price, found 'n/a'"):
        rows_of(text.encode(), "ecs.csv")


def test_unit_change_is_reported_as_schema_change():
    text = ECS_LIGOJ.read_text().replace("hours,0.0404800000,USD,", "vCPU-Seconds,0.0404800000,USD,", 1)
    with pytest.raises(OfferFormatError, match=r"unit hours for fargate\.vcpu_hour, found 'vCPU-Seconds' "
                                               r"\(schema change\?\)"):
        rows_of(text.encode())


def test_bare_metal_product_family_is_kept():
    text = EC2_GLOBAL.read_text()
    # i3en.metal, eu-west-1: SUSE / UnusedCapacityReservation -> Linux / Used, as its Linux twin is written
    line = next(x for x in text.splitlines(keepends=True) if x.startswith('"2228VZNAASRCHSES"'))
    twin = (line.replace('"SUSE"', '"Linux"').replace('"UnusedCapacityReservation"', '"Used"')
            .replace('"EU-UnusedBox:i3en.metal"', '"EU-BoxUsage:i3en.metal"'))
    assert '"Compute Instance (bare metal)"' in twin
    (row,) = rows_of(text.replace(line, twin).encode())
    assert (row.price_key, row.instance_type, row.region) == ("ec2.instance_hour", "i3en.metal", "eu-west-1")
