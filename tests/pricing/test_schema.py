"""pricing.schema: the normalized price table's columns, dtypes and validation floors."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pandas as pd
import pytest

from pricing.errors import ValidationFailed
from pricing.importer import import_offer_folder
from pricing.schema import (
    MIN_INSTANCE_TYPES_PER_REGION,
    PRICE_COLUMNS,
    PRICE_IDENTITY,
    REQUIRED_KEYS_PER_REGION,
    PriceRow,
    coerce_types,
    rows_to_frame,
    term_label,
    validate_price_table,
)
from pricing.selectors import SELECTORS

OFFERS = Path(__file__).resolve().parent.parent / "fixtures" / "offers"
REGIONS = ("us-east-1", "eu-west-1")
FLOATS = ("vcpu", "memory_gib", "price_usd", "begin_range", "end_range")


@pytest.fixture(scope="module")
def fixture_table() -> pd.DataFrame:
    frame, _ = import_offer_folder(OFFERS, REGIONS)
    return frame


def row(**changes) -> PriceRow:
    base = {"price_key": "ec2.instance_hour", "offer_code": "AmazonEC2", "region": "us-east-1",
            "usage_type": "BoxUsage:m5.large", "operation": "RunInstances", "product_family": "Compute Instance",
            "instance_type": "m5.large", "vcpu": 2.0, "memory_gib": 8.0, "architecture": "x86_64",
            "operating_system": "Linux", "unit": "Hrs", "price_usd": 0.096, "term": "OnDemand",
            "lease_contract_length": "", "offering_class": "", "purchase_option": "", "begin_range": 0.0,
            "end_range": math.inf, "sku": "6C86BEPQVG73ZGGR", "rate_code": "6C86BEPQVG73ZGGR.JRTCKXETXF.6YS6EN2CT7",
            "description": "", "effective_date": "", "publication_date": "2025-10-28T17:54:55Z", "source": "test"}
    return PriceRow(**{**base, **changes})


def test_columns_are_the_dataclass_fields_in_order():
    assert tuple(f.name for f in dataclasses.fields(PriceRow)) == PRICE_COLUMNS
    assert set(PRICE_IDENTITY) <= set(PRICE_COLUMNS)
    assert PRICE_COLUMNS[0] == "price_key"
    for needed in ("offer_code", "region", "usage_type", "unit", "price_usd", "sku", "term", "publication_date"):
        assert needed in PRICE_COLUMNS


def test_required_keys_are_selector_keys():
    keys = {s.price_key for s in SELECTORS}
    assert set(REQUIRED_KEYS_PER_REGION) <= keys
    assert MIN_INSTANCE_TYPES_PER_REGION == 100


def test_price_row_is_frozen_and_keyword_only():
    r = row()
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.price_usd = 1.0  # type: ignore[misc]
    with pytest.raises(TypeError):
        PriceRow("ec2.instance_hour")  # type: ignore[misc]


def test_rows_to_frame_columns_and_dtypes():
    frame = rows_to_frame([row(), row(vcpu=math.nan, instance_type="", price_key="nat.hour")])
    assert tuple(frame.columns) == PRICE_COLUMNS
    for col in PRICE_COLUMNS:
        if col in FLOATS:
            assert frame[col].dtype == "float64", col
        else:
            assert pd.api.types.is_string_dtype(frame[col]), col
    assert math.isnan(frame["vcpu"].iloc[1])
    assert frame["end_range"].iloc[0] == math.inf


def test_rows_to_frame_empty_has_every_column():
    frame = rows_to_frame([])
    assert tuple(frame.columns) == PRICE_COLUMNS
    assert len(frame) == 0


def test_coerce_types_turns_text_numbers_and_blanks_into_dtypes():
    raw = pd.DataFrame([dict.fromkeys(PRICE_COLUMNS)])
    raw.loc[0, "price_usd"] = "0.5"
    raw.loc[0, "end_range"] = "inf"
    out = coerce_types(raw)
    assert out["price_usd"].iloc[0] == 0.5
    assert out["end_range"].iloc[0] == math.inf
    assert out["sku"].iloc[0] == ""
    assert math.isnan(out["vcpu"].iloc[0])


def test_fixture_table_passes_with_its_own_floor(fixture_table):
    validate_price_table(fixture_table, regions=REGIONS, min_instance_types=6)


def test_too_few_instance_types(fixture_table):
    with pytest.raises(ValidationFailed) as info:
        validate_price_table(fixture_table, regions=REGIONS)
    assert info.value.problems == [
        "us-east-1: only 6 EC2 instance types with an On-Demand price (at least 100 expected)",
        "eu-west-1: only 6 EC2 instance types with an On-Demand price (at least 100 expected)",
    ]
    assert str(info.value).startswith("price table rejected: us-east-1: only 6 EC2 instance types")


def test_missing_required_key(fixture_table):
    frame = fixture_table[~((fixture_table["region"] == "eu-west-1")
                            & (fixture_table["price_key"] == "nat.gb_processed"))]
    with pytest.raises(ValidationFailed) as info:
        validate_price_table(frame, regions=REGIONS, min_instance_types=6)
    assert info.value.problems == ["eu-west-1: no nat.gb_processed price"]


def test_region_with_no_prices_lists_every_required_key(fixture_table):
    with pytest.raises(ValidationFailed) as info:
        validate_price_table(fixture_table, regions=("eu-central-1",), min_instance_types=6)
    assert info.value.problems == [f"eu-central-1: no {key} price" for key in REQUIRED_KEYS_PER_REGION]


def test_custom_required_keys(fixture_table):
    validate_price_table(fixture_table, regions=REGIONS, required_keys=("vpc.public_ipv4_hour",),
                         min_instance_types=1)
    with pytest.raises(ValidationFailed, match=r"us-east-1: no eks\.auto_mode_instance_hour price"):
        validate_price_table(fixture_table, regions=REGIONS, required_keys=("eks.auto_mode_instance_hour",),
                             min_instance_types=1)


def test_negative_and_unparsable_prices(fixture_table):
    frame = fixture_table.copy()
    frame.loc[frame["sku"] == "M2YSHUBETB3JX4M4", "price_usd"] = -0.045
    frame.loc[frame["sku"] == "JG3KUJMBRGHV3N8G", "price_usd"] = math.nan
    with pytest.raises(ValidationFailed) as info:
        validate_price_table(frame, regions=REGIONS, min_instance_types=6)
    assert "unparsable or negative price -0.045 for sku M2YSHUBETB3JX4M4" in info.value.problems
    assert "unparsable or negative price nan for sku JG3KUJMBRGHV3N8G" in info.value.problems


def test_two_skus_for_one_price_is_a_collision(fixture_table):
    twin = fixture_table[fixture_table["sku"] == "6C86BEPQVG73ZGGR"].copy()
    twin["sku"] = "TWINSKU000000000"
    frame = pd.concat([fixture_table, twin], ignore_index=True)
    with pytest.raises(ValidationFailed) as info:
        validate_price_table(frame, regions=REGIONS, min_instance_types=6)
    assert any(p == "ec2.instance_hour in us-east-1 matches several SKUs: 6C86BEPQVG73ZGGR, TWINSKU000000000"
               for p in info.value.problems)


def test_upfront_fee_and_hourly_rate_of_one_term_do_not_collide():
    hourly = row(term="Reserved", lease_contract_length="1yr", offering_class="standard",
                 purchase_option="Partial Upfront", price_usd=0.029)
    fee = dataclasses.replace(hourly, unit="Quantity", price_usd=252.0, rate_code="x.2TG2D8R56U")
    validate_price_table(rows_to_frame([row(), hourly, fee]), regions=("us-east-1",), required_keys=(),
                         min_instance_types=1)


def test_missing_columns():
    frame = rows_to_frame([row()]).drop(columns=["sku", "unit"])
    with pytest.raises(ValidationFailed, match=r"missing columns \['unit', 'sku'\]"):
        validate_price_table(frame, regions=("us-east-1",))


@pytest.mark.parametrize(("values", "label"), [
    ({"term": "OnDemand"}, "OnDemand"),
    ({"term": "Reserved", "lease_contract_length": "1yr", "offering_class": "standard",
      "purchase_option": "No Upfront"}, "Reserved 1yr standard No Upfront"),
    ({"term": "Reserved", "lease_contract_length": "3yr", "offering_class": "convertible",
      "purchase_option": "All Upfront"}, "Reserved 3yr convertible All Upfront"),
    ({"term": "Reserved", "lease_contract_length": "1yr", "offering_class": "", "purchase_option": ""},
     "Reserved 1yr"),
])
def test_term_label(values, label):
    assert term_label({"lease_contract_length": "", "offering_class": "", "purchase_option": "", **values}) == label
