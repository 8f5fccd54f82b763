"""pricing.store: atomic, checksummed price stores (the snapshot and the cache)."""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import math
import warnings
from pathlib import Path

import pandas as pd
import pytest

import pricing.store as store
from pricing.errors import StoreCorrupted, ValidationFailed
from pricing.importer import import_snapshot_inputs
from pricing.schema import validate_price_table
from pricing.store import SCHEMA_VERSION, PriceTables, StoreMetadata, read_metadata, read_store, write_store

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
REGIONS = ("us-east-1", "eu-west-1")


@pytest.fixture(scope="module")
def inputs() -> tuple[PriceTables, StoreMetadata]:
    with pytest.MonkeyPatch.context() as mp:
        import pricing.importer as importer

        mp.setattr(importer, "validate_price_table", functools.partial(validate_price_table, min_instance_types=6))
        side = FIXTURES / "side-tables"
        return import_snapshot_inputs(FIXTURES / "offers", REGIONS,
                                      spot_advisor_file=FIXTURES / "spot" / "spot_advisor_sample.json",
                                      instance_info_dir=FIXTURES / "instance-info",
                                      transfer_file=side / "datatransfer_pricing_page_2025-06-05_sample.csv",
                                      ec2_reference_file=side / "ec2_linux_ondemand_sample_2026-02-07.csv")


@pytest.fixture
def written(tmp_path, inputs) -> Path:
    target = tmp_path / "store"
    write_store(target, *inputs)
    return target


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def test_round_trip(tmp_path, inputs):
    tables, meta = inputs
    target = tmp_path / "cache" / "prices"
    final = write_store(target, tables, meta)
    assert sorted(p.name for p in target.iterdir()) == ["ec2_reference.csv.gz", "instance_limits.csv.gz",
                                                         "metadata.json", "prices.csv.gz", "spot.csv.gz",
                                                         "transfer.csv.gz"]
    back, back_meta = read_store(target)
    pd.testing.assert_frame_equal(back.prices, tables.prices)
    assert back.prices["end_range"].map(math.isinf).any()
    pd.testing.assert_frame_equal(back.spot, tables.spot, check_dtype=False)
    assert back.instance_limits["instance_type"].tolist() == tables.instance_limits["instance_type"].tolist()
    assert back.instance_limits["eks_max_pods"].tolist() == tables.instance_limits["eks_max_pods"].tolist()
    pd.testing.assert_frame_equal(back.transfer, tables.transfer, check_dtype=False)
    pd.testing.assert_frame_equal(back.ec2_reference, tables.ec2_reference, check_dtype=False)
    assert math.isinf(back.transfer["end_gb"].max()) and len(back.transfer) == 8
    assert back_meta == final
    assert back_meta.regions == meta.regions and back_meta.created_at == meta.created_at
    assert final.files["prices"]["rows"] == len(tables.prices)
    data = (target / "prices.csv.gz").read_bytes()
    assert final.files["prices"]["sha256"] == hashlib.sha256(data).hexdigest()


def test_same_tables_give_same_bytes(tmp_path, inputs):
    write_store(tmp_path / "a", *inputs)
    write_store(tmp_path / "b", *inputs)
    for name in ("prices.csv.gz", "spot.csv.gz", "instance_limits.csv.gz", "transfer.csv.gz", "ec2_reference.csv.gz",
                 "metadata.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_store_is_readable_csv(written):
    text = gzip.decompress((written / "prices.csv.gz").read_bytes()).decode()
    header = text.splitlines()[0]
    assert header.startswith("price_key,offer_code,region,")
    assert "inf" in text  # open-ended ranges
    meta = json.loads((written / "metadata.json").read_text())
    assert meta["schema_version"] == SCHEMA_VERSION
    assert set(meta["files"]) == {"prices", "spot", "instance_limits", "transfer", "ec2_reference"}


def test_overwrite_replaces_old_store(tmp_path, inputs):
    tables, meta = inputs
    target = tmp_path / "store"
    write_store(target, tables, meta)
    smaller = PriceTables(prices=tables.prices.head(10), spot=tables.spot, instance_limits=tables.instance_limits)
    write_store(target, smaller, meta)
    assert len(read_store(target)[0].prices) == 10
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]  # no temp or .old directory left


def test_checksum_mismatch(written):
    path = written / "spot.csv.gz"
    text = gzip.decompress(path.read_bytes()).replace(b"us-east-1", b"us-east-2", 1)
    path.write_bytes(gzip.compress(text, mtime=0))
    with pytest.raises(StoreCorrupted, match=r"spot\.csv\.gz: checksum mismatch \(file changed or truncated\)"):
        read_store(written)


def test_truncated_gzip_with_matching_checksum(written):
    """A truncated table whose checksum was also rewritten is still caught when decompressing."""
    path = written / "prices.csv.gz"
    data = path.read_bytes()[:-40]
    path.write_bytes(data)
    meta = json.loads((written / "metadata.json").read_text())
    meta["files"]["prices"]["sha256"] = hashlib.sha256(data).hexdigest()
    (written / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(StoreCorrupted, match=r"prices\.csv\.gz: unreadable"):
        read_store(written)


def test_truncated_gzip(written):
    path = written / "prices.csv.gz"
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(StoreCorrupted, match="checksum mismatch"):
        read_store(written)


def test_wrong_row_count(written):
    meta = json.loads((written / "metadata.json").read_text())
    meta["files"]["prices"]["rows"] += 1
    (written / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(StoreCorrupted, match=r"prices\.csv\.gz: expected columns \[.*\] and \d+ rows"):
        read_store(written)


@pytest.mark.parametrize("name", ["prices.csv.gz", "spot.csv.gz", "instance_limits.csv.gz"])
def test_missing_table_file(written, name):
    (written / name).unlink()
    with pytest.raises(StoreCorrupted, match=rf"{name}: "):
        read_store(written)


def test_missing_metadata(written):
    (written / "metadata.json").unlink()
    with pytest.raises(StoreCorrupted, match=r"metadata\.json: missing"):
        read_store(written)
    with pytest.raises(StoreCorrupted, match="missing"):
        read_metadata(written)


def test_missing_directory(tmp_path):
    with pytest.raises(StoreCorrupted, match="missing"):
        read_store(tmp_path / "nowhere")


@pytest.mark.parametrize(("text", "expected"), [
    ("{", "unreadable metadata"), ("", "unreadable metadata"), ("[]", r"metadata of the wrong shape \(not an object\)"),
    ('{"created_at": "x"}', r"metadata of the wrong shape \('schema_version' is not a int\)")])
def test_unreadable_metadata(written, text, expected):
    (written / "metadata.json").write_text(text)
    with pytest.raises(StoreCorrupted, match=rf"metadata\.json: {expected}"):
        read_store(written)


@pytest.mark.parametrize(("change", "expected"), [
    ({"regions": {"us-east-1": []}}, r"regions\['us-east-1'\] is not"),
    ({"regions": {"us-east-1": {"source": "x", "offers": {"AmazonEC2": 5}}}}, r"regions\['us-east-1'\] is not"),
    ({"files": {"prices": {"sha256": "x", "rows": "many"}}}, r"files\['prices'\] is not"),
    ({"created_at": None}, "'created_at' is not a str"), ({"schema_version": True}, "'schema_version' is not a int"),
])
def test_metadata_of_the_wrong_shape_is_a_corrupted_store(written, change, expected):
    """Valid JSON, wrong document: reported here, not as a traceback where a field is used."""
    meta = json.loads((written / "metadata.json").read_text()) | change
    (written / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(StoreCorrupted, match=rf"metadata of the wrong shape \({expected}"):
        read_store(written)


@pytest.mark.parametrize("version", [0, SCHEMA_VERSION - 1, SCHEMA_VERSION + 1])
def test_wrong_schema_version(written, version):
    meta = json.loads((written / "metadata.json").read_text())
    meta["schema_version"] = version
    (written / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(StoreCorrupted, match=rf"schema version {version}, this advisor reads {SCHEMA_VERSION}"):
        read_store(written)


def test_failed_verify_leaves_no_temp_dir_and_old_store_intact(tmp_path, inputs, monkeypatch):
    tables, meta = inputs
    target = tmp_path / "store"
    write_store(target, tables, meta)
    before = {p.name: p.read_bytes() for p in target.iterdir()}

    def broken_verify(directory):
        raise StoreCorrupted(f"{directory}: simulated failure while verifying")

    monkeypatch.setattr(store, "read_store", broken_verify)
    smaller = PriceTables(prices=tables.prices.head(3), spot=tables.spot, instance_limits=tables.instance_limits)
    with pytest.raises(StoreCorrupted, match="simulated failure"):
        write_store(target, smaller, meta)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"]  # the temp sibling was removed
    assert {p.name: p.read_bytes() for p in target.iterdir()} == before
    monkeypatch.undo()
    assert len(read_store(target)[0].prices) == len(tables.prices)


def test_failed_first_write_creates_nothing(tmp_path, inputs, monkeypatch):
    monkeypatch.setattr(store, "read_store", lambda d: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        write_store(tmp_path / "store", *inputs)
    assert list(tmp_path.iterdir()) == []


def test_table_missing_a_column_is_not_written(tmp_path, inputs):
    tables, meta = inputs
    broken = PriceTables(prices=tables.prices.drop(columns=["sku"]), spot=tables.spot,
                         instance_limits=tables.instance_limits)
    with pytest.raises(KeyError):
        write_store(tmp_path / "store", broken, meta)
    assert list(tmp_path.iterdir()) == []


def test_prices_as_of():
    meta = StoreMetadata(created_at="c", regions={"us-east-1": {"offers": {"AmazonECS": "2025-10-27T20:58:28Z",
                                                                           "AmazonVPC": "2025-11-04T01:26:50Z"}}})
    assert meta.prices_as_of("us-east-1") == "2025-11-04T01:26:50Z"
    assert meta.prices_as_of("eu-west-1") == ""


def test_bundled_snapshot_verifies():
    tables, meta = read_store(Path(store.__file__).parent / "data" / "snapshot")
    assert meta.schema_version == SCHEMA_VERSION
    assert len(tables.prices) == meta.files["prices"]["rows"] > 0
    assert set(tables.prices["region"]) == set(meta.regions)


def test_validation_failure_is_not_a_store_error():
    # the two error kinds stay distinct: a rejected import never looks like a corrupted cache
    assert not issubclass(ValidationFailed, StoreCorrupted)


def test_on_demand_only_store_reads_without_dtype_warnings(tmp_path, inputs):
    """An all-empty text column (lease_contract_length of an OnDemand-only table) reads back as ''."""
    tables, meta = inputs
    on_demand = PriceTables(prices=tables.prices[tables.prices["term"] == "OnDemand"], spot=tables.spot,
                            instance_limits=tables.instance_limits)
    write_store(tmp_path / "store", on_demand, meta)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        back, _ = read_store(tmp_path / "store")
    assert set(back.prices["lease_contract_length"]) == {""}
