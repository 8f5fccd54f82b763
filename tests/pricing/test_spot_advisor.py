"""pricing.spot_advisor: the EC2 Spot Instance Advisor data (trimmed real file, 2025-06-28)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pricing.errors import OfferFormatError
from pricing.spot_advisor import SPOT_COLUMNS, parse_spot_advisor

SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "spot" / "spot_advisor_sample.json"


@pytest.fixture
def doc() -> dict:
    return json.loads(SAMPLE.read_text())


def parse(doc: dict, **kwargs):
    return parse_spot_advisor(json.dumps(doc), source="spot-advisor-data.json", **kwargs)


def test_parse_real_sample():
    frame = parse_spot_advisor(SAMPLE.read_bytes(), source=str(SAMPLE))
    assert tuple(frame.columns) == SPOT_COLUMNS
    assert len(frame) == 12
    by_key = {(r.region, r.instance_type): r for r in frame.itertuples(index=False)}
    m5 = by_key[("us-east-1", "m5.large")]
    assert (m5.savings_pct, m5.interruption_band, m5.interruption_label) == (66.0, 3, "15-20%")
    assert by_key[("eu-west-1", "m5.large")].interruption_label == "5-10%"
    assert by_key[("us-east-1", "a1.large")].savings_pct == 0.0
    assert set(frame["interruption_label"]) <= {"<5%", "5-10%", "10-15%", "15-20%", ">20%"}


def test_region_filter(doc):
    frame = parse(doc, regions=("eu-west-1",))
    assert set(frame["region"]) == {"eu-west-1"}
    assert parse(doc, regions=("ap-northeast-2",)).empty


def test_other_operating_system_is_absent(doc):
    frame = parse(doc, operating_system="Windows")
    assert frame.empty
    assert tuple(frame.columns) == SPOT_COLUMNS


@pytest.mark.parametrize(("entry", "expected"), [
    ({"r": 1}, r"numeric 's' \(savings %\) and 'r' \(band index\)"),
    ({"s": "most", "r": 1}, r"numeric 's'"),
    ({"s": 50, "r": None}, r"numeric 's'"),
    ({"s": 100, "r": 1}, r"-1000 <= s < 100 and r in \[0, 1, 2, 3, 4\]"),
    ({"s": -1001, "r": 1}, r"-1000 <= s < 100"),
    ({"s": 50, "r": 7}, r"r in \[0, 1, 2, 3, 4\]"),
])
def test_malformed_entry_names_region_and_type(doc, entry, expected):
    doc["spot_advisor"]["eu-west-1"]["Linux"]["m5.large"] = entry
    with pytest.raises(OfferFormatError, match=rf"^spot-advisor-data\.json: eu-west-1 Linux m5\.large: "
                                               rf"expected .*{expected}"):
        parse(doc)


def test_a_spot_price_above_on_demand_is_a_negative_saving(doc):
    """The Advisor publishes them (ca-central-1 p5.48xlarge s=-62 in the 2025-06-28 data)."""
    doc["spot_advisor"]["eu-west-1"]["Linux"]["m5.large"] = {"s": -62, "r": 0}
    row = parse(doc).set_index(["region", "instance_type"]).loc[("eu-west-1", "m5.large")]
    assert row.savings_pct == -62.0


def test_malformed_entry_outside_requested_regions_is_ignored(doc):
    doc["spot_advisor"]["eu-west-1"]["Linux"]["m5.large"] = {"s": "bad"}
    assert len(parse(doc, regions=("us-east-1",))) == 6


@pytest.mark.parametrize(("text", "expected"), [
    ("{", r"line 1: expected JSON"),
    ("[]", r"top level: expected keys 'spot_advisor' and 'ranges'"),
    ('{"spot_advisor": {}}', r"top level: expected keys 'spot_advisor' and 'ranges'"),
])
def test_not_spot_advisor_data(text, expected):
    with pytest.raises(OfferFormatError, match=rf"^x\.json: {expected}"):
        parse_spot_advisor(text, source="x.json")
