"""Read and write a price store: the directory format the snapshot and the cache share.

A store is a directory of gzip CSV tables plus ``metadata.json`` holding, for each
table, its SHA-256 and row count, and for each Region where its prices came from and
their publication dates.  Everything is written to a staging directory and read back
and verified before it is used.  :func:`write_store` then renames a plain store into
place (the bundled snapshot, ``prices import --output``); the per-user cache is switched
to a new store by :mod:`pricing.cache_store`, which survives a kill at any step.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from pricing.errors import StoreCorrupted
from pricing.instance_info import LIMIT_COLUMNS
from pricing.reference_prices import REFERENCE_COLUMNS
from pricing.schema import FLOAT_COLUMNS, PRICE_COLUMNS, coerce_types
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


def staged_store(parent: Path, prefix: str, tables: PriceTables, metadata: StoreMetadata) -> tuple[Path, StoreMetadata]:
    """Write a complete, verified store into a new directory under ``parent``; nothing is left on failure.

    Returns the directory and the metadata with checksums.  Every file is flushed to disk
    (``fsync``) before the caller makes the store visible.
    """
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        tmp.chmod(0o755)  # mkdtemp makes it private; a store is ordinary readable data
        files = {}
        for name, columns in _TABLES.items():
            data = _table_bytes(getattr(tables, name)[list(columns)])
            _write_synced(tmp / f"{name}.csv.gz", data)
            files[name] = {"file": f"{name}.csv.gz", "sha256": hashlib.sha256(data).hexdigest(),
                           "rows": len(getattr(tables, name))}
        final = StoreMetadata(created_at=metadata.created_at, regions=metadata.regions,
                              sources=metadata.sources, files=files)
        _write_synced(tmp / METADATA_FILE, (json.dumps(final.to_json(), indent=2, sort_keys=True) + "\n").encode())
        read_store(tmp)  # verify what is on disk before it becomes visible
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return tmp, final


def _write_synced(path: Path, data: bytes) -> None:
    with path.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def write_store(target: Path, tables: PriceTables, metadata: StoreMetadata) -> StoreMetadata:
    """Write ``tables`` to the plain store ``target``, replacing it; returns the metadata with checksums."""
    target = Path(target)
    tmp, final = staged_store(target.parent, f".{target.name}.", tables, metadata)
    try:
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
    """Only the metadata (cheap); raises :class:`StoreCorrupted` when unreadable or of the wrong shape."""
    path = Path(directory) / METADATA_FILE
    try:
        raw = json.loads(path.read_text())
    except FileNotFoundError:
        raise StoreCorrupted(f"{path}: missing") from None
    except (OSError, ValueError) as exc:
        raise StoreCorrupted(f"{path}: unreadable metadata ({exc})") from None
    problem = _shape_problem(raw)
    if problem:
        raise StoreCorrupted(f"{path}: metadata of the wrong shape ({problem})")
    return StoreMetadata(created_at=raw["created_at"], regions=raw["regions"], sources=raw.get("sources", {}),
                         files=raw["files"], schema_version=raw["schema_version"])


def _shape_problem(raw: object) -> str:
    """What is wrong with a parsed ``metadata.json``, or "" (valid JSON can still be the wrong document)."""
    if not isinstance(raw, dict):
        return "not an object"
    expected = {"schema_version": int, "created_at": str, "regions": dict, "files": dict}
    for key, kind in expected.items():
        if not isinstance(raw.get(key), kind) or isinstance(raw.get(key), bool):
            return f"{key!r} is not a {kind.__name__}"
    if not isinstance(raw.get("sources", {}), dict):
        return "'sources' is not an object"
    for region, info in raw["regions"].items():
        offers = info.get("offers") if isinstance(info, dict) else None
        if not isinstance(info, dict) or not isinstance(info.get("source", ""), str) or not isinstance(offers, dict) \
                or not all(isinstance(v, str) for v in offers.values()):
            return f"regions[{region!r}] is not {{'source': text, 'offers': {{offer: date}}}}"
    for name, info in raw["files"].items():
        if not (isinstance(info, dict) and isinstance(info.get("sha256"), str) and isinstance(info.get("rows"), int)):
            return f"files[{name!r}] is not {{'sha256': text, 'rows': count}}"
    return ""


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
        # In the small tables an empty field is missing, except an instance type.
        frame = _read_prices(data) if name == "prices" else pd.read_csv(
            io.BytesIO(gzip.decompress(data)), keep_default_na=False,
            na_values={c: [""] for c in columns if c != "instance_type"})
    except (OSError, ValueError, EOFError) as exc:
        raise StoreCorrupted(f"{path}: unreadable ({exc})") from None
    if tuple(frame.columns) != columns or len(frame) != info.get("rows"):
        raise StoreCorrupted(f"{path}: expected columns {list(columns)} and {info.get('rows')} rows")
    return frame


def _read_prices(data: bytes) -> pd.DataFrame:
    """The gzipped price table, its columns typed while read: text stays text ("" when empty), numbers float64.

    Every ``advisor`` command waits for these 80,000 rows (30 MB of CSV), so they are read by
    Arrow: it gunzips as it parses, makes no Python object per field, lets other threads run
    meanwhile, and gives the text columns the very arrays pandas keeps them in.  There is then
    nothing left for :func:`pricing.schema.coerce_types` to convert.  A truncated or damaged
    file raises ``OSError`` or ``ValueError`` (a CRC or length mismatch, a row of the wrong width).
    One thread: no thread pool is left running when an analysis forks its worker processes.
    """
    types = {c: pa.float64() if c in FLOAT_COLUMNS else pa.large_string() for c in PRICE_COLUMNS}
    table = pa_csv.read_csv(
        pa.CompressedInputStream(pa.BufferReader(data), "gzip"), read_options=pa_csv.ReadOptions(use_threads=False),
        parse_options=pa_csv.ParseOptions(newlines_in_values=True),
        convert_options=pa_csv.ConvertOptions(column_types=types, null_values=[""], strings_can_be_null=False,
                                              quoted_strings_can_be_null=False))
    return table.to_pandas()
