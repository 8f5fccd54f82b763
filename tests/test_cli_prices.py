"""``advisor prices ...``: show, status and import, through advisor_cli.main.main.

Every call passes ``--cache-dir`` with a temporary directory, so the user's own price
cache is never read (an empty cache dir means the bundled snapshot is used).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pytest

import pricing.importer as importer
from advisor_cli.main import main
from pricing.gaps import KNOWN_GAPS
from pricing.regions import known_region_codes
from pricing.schema import validate_price_table

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHOW_FIELDS = ("offer_code", "region", "usage_type", "unit", "price_usd", "sku", "term", "publication_date")


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    # a stray environment variable must not matter either: --cache-dir wins
    monkeypatch.setenv("ADVISOR_CACHE_DIR", str(tmp_path / "not-this-one"))
    return tmp_path / "cache"


def run(capsys, cache_dir: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--cache-dir", str(cache_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_show_fargate_json(capsys, cache_dir):
    code, out, err = run(capsys, cache_dir, "prices", "show", "--region", "us-east-1", "--service", "fargate",
                         "--format", "json")
    assert (code, err) == (0, "")
    rows = json.loads(out)
    by_key = {r["price_key"]: r for r in rows}
    assert set(by_key) == {"fargate.vcpu_hour", "fargate.gb_hour", "fargate.arm_vcpu_hour", "fargate.arm_gb_hour",
                           "fargate.windows_vcpu_hour", "fargate.windows_gb_hour",
                           "fargate.windows_license_vcpu_hour", "fargate.ephemeral_storage_gb_hour"}
    for row in rows:
        for field in SHOW_FIELDS:
            assert row[field] not in (None, ""), (row["price_key"], field)
        assert row["offer_code"] == "AmazonECS"
        assert row["region"] == "us-east-1"
        assert row["usage_type"].startswith("USE1-Fargate-")
        assert row["term"] == "OnDemand"
        assert row["end_range"] == "Inf"
        assert row["publication_date"] == "2025-10-27T20:58:28Z"
    assert err == ""
    vcpu = by_key["fargate.vcpu_hour"]
    assert (vcpu["price_usd"], vcpu["unit"], vcpu["usage_type"]) == (0.04048, "hours", "USE1-Fargate-vCPU-Hours:perCPU")
    assert by_key["fargate.gb_hour"]["price_usd"] == 0.004445
    assert by_key["fargate.arm_vcpu_hour"]["price_usd"] == 0.03238
    assert not (cache_dir / "prices").exists()


def test_show_instance_with_reserved_terms(capsys, cache_dir):
    code, out, _ = run(capsys, cache_dir, "prices", "show", "--region", "us-east-1", "--service", "ec2",
                       "--instance-type", "m5.large", "--format", "json")
    assert code == 0
    terms = {r["term"]: r["price_usd"] for r in json.loads(out)}
    assert terms["OnDemand"] == 0.096
    assert terms["Reserved 1yr standard No Upfront"] == 0.06
    assert len(terms) == 5  # OnDemand + 1yr/3yr x standard/convertible (No Upfront only in the bundled data)


def test_show_table_and_csv(capsys, cache_dir):
    code, out, _ = run(capsys, cache_dir, "prices", "show", "--region", "eu-west-1", "--service", "eks")
    assert code == 0
    assert "eks.cluster_hour" in out
    assert out.rstrip().splitlines()[-1].startswith("4 prices · source: bundled snapshot · prices as of 2025-")
    code, out, _ = run(capsys, cache_dir, "prices", "show", "--region", "eu-west-1", "--service", "elb",
                       "--format", "csv")
    assert code == 0
    header, *lines = out.strip().splitlines()
    assert header.startswith("offer_code,region,price_key,usage_type,")
    assert len(lines) == 4


def test_unknown_region_is_one_line_naming_the_nearest_regions(capsys, cache_dir):
    code, out, err = run(capsys, cache_dir, "prices", "show", "--region", "us-est-2", "--service", "fargate",
                         "--format", "json")
    assert (code, out) == (2, "")
    assert err == ("error: region: 'us-est-2' is not allowed; allowed: a region of the active price data; "
                   "nearest: us-west-2, us-east-2, us-west-1, us-east-1\n")


def test_unknown_instance_type_is_an_error_naming_close_matches(capsys, cache_dir):
    """It was '(no rows)' with exit status 0."""
    code, out, err = run(capsys, cache_dir, "prices", "show", "--region", "us-east-1", "--instance-type", "m99.huge")
    assert (code, out) == (2, "")
    assert err.startswith("error: --instance-type: 'm99.huge' is not allowed; allowed: an EC2 instance type of the "
                          "active price data (one of ")
    assert "closest: m5.large" in err and err.count("\n") == 1
    code, _, err = run(capsys, cache_dir, "prices", "show", "--region", "us-east-1", "--instance-type", "m5.lage")
    assert code == 2 and "nearest: m5.large" in err


def test_every_commercial_region_has_prices(capsys, cache_dir):
    code, out, _ = run(capsys, cache_dir, "prices", "status", "--format", "json")
    assert code == 0
    assert sorted(json.loads(out)["regions"]) == sorted(known_region_codes())
    assert len(known_region_codes()) == 34


def test_unknown_service_is_a_usage_error(capsys, cache_dir):
    with pytest.raises(SystemExit) as info:
        main(["--cache-dir", str(cache_dir), "prices", "show", "--region", "us-east-1", "--service", "lambda"])
    assert info.value.code == 2
    assert "invalid choice: 'lambda'" in capsys.readouterr().err


def test_status_json_lists_known_gaps(capsys, cache_dir):
    code, out, err = run(capsys, cache_dir, "prices", "status", "--format", "json")
    assert (code, err) == (0, "")
    status = json.loads(out)
    assert status["active_source"] == "bundled snapshot"
    assert status["warnings"] == []
    assert status["regions"]["us-east-1"]["offers"]["AmazonECS"]["published"] == "2025-10-27T20:58:28Z"
    ec2 = status["regions"]["us-east-2"]["offers"]["AmazonEC2"]
    assert ec2["price_dates"]["ec2.instance_hour"][:10] == "2025-04-04"
    assert ec2["oldest_price"][:10] == "2024-07-18"  # EBS
    assert ec2["age_days"] > 90 and status["max_price_age_days"] == 90
    assert "Refresh them with: advisor prices refresh --source bulk --all-regions" in status["stale_notice"]
    assert status["regions"]["ap-east-2"]["missing"][:3] == ["ebs.gp2_gb_month", "ebs.gp3_gb_month",
                                                             "ec2.instance_hour"]
    reference = status["ec2_reference"]
    assert (reference["as_of"], reference["compared"], reference["differ"]) == ("2026-02-07", 13467, 68)
    keys = [g["key"] for g in status["known_gaps"]]
    assert keys == [g.key for g in KNOWN_GAPS]
    assert "eks.auto_mode_fee_fraction" in keys and "transfer.internet_out_gb" in keys
    for gap in status["known_gaps"]:
        assert gap["what"] and gap["treatment"] and gap["source"] and gap["as_of"]


def test_status_table(capsys, cache_dir):
    code, out, _ = run(capsys, cache_dir, "prices", "status")
    assert code == 0
    assert out.startswith("Active prices: bundled snapshot")
    assert out.splitlines()[1].startswith("note: prices older than 90 days: 2024-07-18 (")
    assert "34 regions; age in days of each offer's oldest price" in out
    assert "ap-east-2: ebs.gp2_gb_month, ebs.gp3_gb_month, ec2.instance_hour" in out
    assert "68 of 13,467 region/instance prices differ from the active ones" in out
    assert "Known gaps" in out
    for gap in KNOWN_GAPS:
        assert gap.what in out


def test_corrupted_cache_warns_and_uses_snapshot(capsys, cache_dir):
    store = cache_dir / "prices"
    store.mkdir(parents=True)
    (store / "metadata.json").write_text("{not json")
    code, out, err = run(capsys, cache_dir, "prices", "show", "--region", "us-east-1", "--service", "nat",
                         "--format", "json")
    assert code == 0
    assert err.startswith("warning: using the bundled snapshot because the price cache is corrupted or unreadable (")
    assert err.count("\n") == 1
    assert {r["price_key"] for r in json.loads(out)} == {"nat.hour", "nat.gb_processed"}


def test_import_rejected_by_floors_writes_nothing(capsys, cache_dir, tmp_path):
    target = tmp_path / "store"
    code, out, err = run(capsys, cache_dir, "prices", "import", str(FIXTURES / "offers"), "--region", "us-east-1",
                         "--output", str(target))
    assert code == 2
    assert out == ""
    assert err == ("error: price table rejected: us-east-1: only 6 EC2 instance types with an On-Demand price "
                   "(at least 100 expected)\n")
    assert not target.exists()


def test_import_into_cache_then_show_reads_the_cache(capsys, cache_dir, monkeypatch):
    monkeypatch.setattr(importer, "validate_price_table",
                        functools.partial(validate_price_table, min_instance_types=6))
    code, out, err = run(capsys, cache_dir, "prices", "import", str(FIXTURES / "offers"), "--region", "eu-west-1",
                         "--spot-advisor", str(FIXTURES / "spot" / "spot_advisor_sample.json"),
                         "--instance-info", str(FIXTURES / "instance-info"))
    assert (code, err) == (0, "")
    assert out.splitlines()[0] == f"imported 49 prices for 1 regions into {cache_dir / 'prices'}"
    assert "eu-west-1: prices published 2024-07-18 to 2025-11-04" in out
    code, out, err = run(capsys, cache_dir, "prices", "show", "--region", "eu-west-1", "--service", "spot",
                         "--format", "json")
    assert (code, err) == (0, "")
    spot = {r["instance_type"]: r for r in json.loads(out)}
    assert set(spot) == {"a1.large", "c7i.large", "g4dn.xlarge", "m5.large", "m6g.large", "t4g.small"}
    assert spot["m5.large"]["term"].startswith("Spot (estimate: On-Demand less 57%")
    code, out, _ = run(capsys, cache_dir, "prices", "status", "--format", "json")
    assert json.loads(out)["active_source"].startswith("cache (")
    # the snapshot's other Regions are not in this cache
    code, out, err = run(capsys, cache_dir, "prices", "show", "--region", "us-east-1")
    assert code == 2 and "allowed: a region of the active price data: eu-west-1" in err
