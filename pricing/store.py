"""Read and write a price store: the directory the snapshot and the cache share.

A store is a directory of gzip CSV tables plus ``metadata.json`` holding, for each
table, its SHA-256 and row count, and for each Region where its prices came from and
their publication dates.  Writes are atomic: everything goes to a temporary sibling
directory, is read back and verified, and only then renamed into place, so a reader
sees the old store or the new one, never half of one.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pricing.errors import StoreCorrupted
from pricing.instance_info import LIMIT_COLUMNS
from pricing.reference_prices import REFERENCE_COLUMNS
from pricing.schema import PRICE_COLUMNS, coerce_types
from pricing.spot_advisor import SPOT_COLUMNS
from pricing.transfer_table import TRANSFER_COLUMNS

#: 2: the data-transfer and EC2 reference tables joined the store.
SCHEMA_VERSION = 2
METADATA_FILE = "metadata.json"
_TABLES = {"prices": PRICE_COLUMNS, "spot": SPOT_COLUMNS, "instance_limits": LIMIT_COLUMNS,
           "transfer": TRANSFER_COLUMNS, "ec2_reference": REFERENCE_COLUMNS}


def empty_table(columns: tuple[str, ...]) -> pd.DataFrame:
    """A table with ``columns`` and no rows."""
    return pd.DataFrame(columns=list(columns))


@dataclass(frozen=True, slots=True)
class PriceTables:
    """The tables the advisor prices from.

    ``transfer`` holds the internet-egress tiers (no SKUs: priced as labelled assumptions);
    ``ec2_reference`` newer SKU-less EC2 prices that are only compared, never priced with
    (:mod:`pricing.reference_prices`).
    """

    prices: pd.DataFrame
    spot: pd.DataFrame
    instance_limits: pd.DataFrame
    transfer: pd.DataFrame = field(default_factory=lambda: empty_table(TRANSFER_COLUMNS))
    ec2_reference: pd.DataFrame = field(default_factory=lambda: empty_table(REFERENCE_COLUMNS))


@dataclass(frozen=True, slots=True)
class StoreMetadata:
    """Where a store's prices came from.

    ``regions`` maps a Region code to ``{"source": ..., "offers": {offer_code:
    publication_date}}``; ``sources`` describes the inputs (files, API) with dates.
    """

    created_at: str
    regions: dict[str, dict[str, Any]]
    sources: dict[str, Any] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION

    def prices_as_of(self, region: str) -> str:
        """The newest publication date of the Region's offers (ISO 8601)."""
        offers = self.regions.get(region, {}).get("offers", {})
        return max(offers.values()) if offers else ""

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": self.schema_version, "created_at": self.created_at,
                "regions": self.regions, "sources": self.sources, "files": self.files}


def _table_bytes(frame: pd.DataFrame) -> bytes:
    # No float_format: pandas writes the shortest text that reads back as the same float,
    # so prices keep their full precision.
    text = frame.to_csv(index=False, lineterminator="\n")
    # mtime=0: the same table always gives the same bytes, so the snapshot diff is honest.
    return gzip.compress(text.encode("utf-8"), mtime=0)


def write_store(target: Path, tables: PriceTables, metadata: StoreMetadata) -> StoreMetadata:
    """Write ``tables`` to ``target`` atomically; returns the metadata with checksums."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; a store is ordinary readable data
        files = {}
        for name, columns in _TABLES.items():
            data = _table_bytes(getattr(tables, name)[list(columns)])
            (tmp / f"{name}.csv.gz").write_bytes(data)
            files[name] = {"file": f"{name}.csv.gz", "sha256": hashlib.sha256(data).hexdigest(),
                           "rows": len(getattr(tables, name))}
        final = StoreMetadata(created_at=metadata.created_at, regions=metadata.regions,
                              sources=metadata.sources, files=files)
        (tmp / METADATA_FILE).write_text(json.dumps(final.to_json(), indent=2, sort_keys=True) + "\n")
        read_store(tmp)  # verify what is on disk before it becomes visible
        _replace_dir(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def _replace_dir(new: Path, target: Path) -> None:
    """Swap ``new`` into ``target``; the old directory is kept until the swap succeeded."""
    if not target.exists():
        new.replace(target)
        return
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    target.replace(old)
    try:
        new.replace(target)
    except OSError:
        old.replace(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def read_metadata(directory: Path) -> StoreMetadata:
    """Only the metadata (cheap); raises :class:`StoreCorrupted` when unreadable."""
    path = Path(directory) / METADATA_FILE
    try:
        raw = json.loads(path.read_text())
        return StoreMetadata(created_at=raw["created_at"], regions=raw["regions"],
                             sources=raw.get("sources", {}), files=raw["files"],
                             schema_version=raw["schema_version"])
    except FileNotFoundError:
        raise StoreCorrupted(f"{path}: missing") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StoreCorrupted(f"{path}: unreadable metadata ({exc})") from None


def read_store(directory: Path) -> tuple[PriceTables, StoreMetadata]:
    """Load and verify a store: schema version, checksums, columns."""
    directory = Path(directory)
    meta = read_metadata(directory)
    if meta.schema_version != SCHEMA_VERSION:
        raise StoreCorrupted(f"{directory}: schema version {meta.schema_version}, "
                             f"this advisor reads {SCHEMA_VERSION}")
    frames = {}
    for name, columns in _TABLES.items():
        frames[name] = _read_table(directory, name, columns, meta.files.get(name, {}))
    frames["prices"] = coerce_types(frames["prices"])
    return PriceTables(**frames), meta


def _read_table(directory: Path, name: str, columns: tuple[str, ...],
                info: dict[str, Any]) -> pd.DataFrame:
    path = directory / f"{name}.csv.gz"
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StoreCorrupted(f"{path}: {exc.strerror or exc}") from None
    if hashlib.sha256(data).hexdigest() != info.get("sha256"):
        raise StoreCorrupted(f"{path}: checksum mismatch (file changed or truncated)")
    try:
        frame = pd.read_csv(io.BytesIO(gzip.decompress(data)), keep_default_na=False,
                            na_values={c: [""] for c in columns if c not in ("instance_type",)})
    except (OSError, ValueError, EOFError) as exc:
        raise StoreCorrupted(f"{path}: unreadable ({exc})") from None
    if tuple(frame.columns) != columns or len(frame) != info.get("rows"):
        raise StoreCorrupted(f"{path}: expected columns {list(columns)} and {info.get('rows')} rows")
    return frame
