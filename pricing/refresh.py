"""Refresh the per-user price cache from AWS, all or nothing.

A refresh fetches every wanted offer for the requested Regions, validates the result
with the same floors as an import, lays it over the last good prices (the cache when it
verifies, else the bundled snapshot) and writes the cache atomically.  Any failure on
the way (network, throttling, a malformed file, a table that fails its floors, a disk
error) leaves the cache exactly as it was and is reported, with the reason, in the
:class:`RefreshResult`: a half-refreshed or silently shrunken cache would be worse than
a stale one.

Fetching is injected (:data:`FetchRows`), so the orchestration is tested without a
network; :mod:`pricing.query_api` and :mod:`pricing.bulk_http` provide the real ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from pricing.active import SNAPSHOT_DIR, cache_store_dir
from pricing.errors import FetchError, OfferFormatError, PricingError, StoreCorrupted
from pricing.importer import WANTED_OFFERS, merge_regions
from pricing.schema import (
    MIN_INSTANCE_TYPES_PER_REGION,
    REQUIRED_KEYS_PER_REGION,
    PriceRow,
    rows_to_frame,
    validate_price_table,
)
from pricing.store import PriceTables, StoreMetadata, read_store, write_store

#: ``fetch_rows(offer_code, region)``: the normalized rows of one offer in one Region
#: (empty when AWS has none there).  Raises PricingError or OSError on failure.
FetchRows = Callable[[str, str], list[PriceRow]]
#: Receives one human-readable line per step (the CLI prints them to stderr).
Progress = Callable[[str], None]

SNAPSHOT_ORIGIN = "bundled snapshot"


@dataclass(frozen=True, slots=True)
class RefreshResult:
    """What a refresh did, and which prices are in force afterwards.

    ``origin`` and ``metadata`` describe the store now active: the new cache after a
    success, the untouched last good store after a failure.  ``reason`` says exactly
    why a refresh failed (region, offer, URL or record) and is empty on success.
    """

    ok: bool
    reason: str
    origin: str
    metadata: StoreMetadata
    regions: tuple[str, ...]

    def prices_as_of(self) -> str:
        """The active prices' date for the refreshed Regions, one date when they agree."""
        dates = {r: self.metadata.prices_as_of(r) or "no prices" for r in self.regions}
        if len(set(dates.values())) == 1:
            return next(iter(dates.values()))
        return ", ".join(f"{region} {date}" for region, date in dates.items())


def refresh_prices(
    *,
    source: str,
    regions: Sequence[str],
    cache_dir: Path,
    fetch_rows: FetchRows,
    now: datetime,
    offers: Sequence[str] = WANTED_OFFERS,
    snapshot_dir: Path = SNAPSHOT_DIR,
    required_keys: Iterable[str] = REQUIRED_KEYS_PER_REGION,
    min_instance_types: int = MIN_INSTANCE_TYPES_PER_REGION,
    progress: Progress = lambda _line: None,
) -> RefreshResult:
    """Fetch ``offers`` for ``regions`` and write them into the cache, or change nothing.

    Parameters
    ----------
    source : str
        Recorded per Region in the metadata: ``query-api`` or ``bulk-api <base url>``.
    regions : sequence of str
        Region codes to refresh; the cache keeps every other Region as it was.
    cache_dir : Path
        The per-user cache directory (the store goes in :func:`cache_store_dir`).
    fetch_rows : FetchRows
        Fetches one offer of one Region.
    now : datetime
        Stamped as the store's ``created_at`` (injected for reproducible tests).
    offers : sequence of str
        Offers to fetch; their rows in ``regions`` are replaced, other offers kept.
    snapshot_dir : Path
        The store to build on when the cache is missing or corrupted.
    required_keys, min_instance_types
        Validation floors, the real ones by default (see :mod:`pricing.schema`).
    progress : callable
        Receives a line per offer and Region, and per step.

    Returns
    -------
    RefreshResult
        Never raises for a failed refresh; the result carries the reason.

    Raises
    ------
    StoreCorrupted
        Only when neither the cache nor the bundled snapshot can be read (a broken install).
    """
    regions = tuple(dict.fromkeys(regions))
    target = cache_store_dir(cache_dir)
    base, base_meta, origin = _last_good(target, snapshot_dir, progress)
    try:
        fresh, fresh_regions = _fetch(source, regions, offers, fetch_rows, progress)
        validate_price_table(fresh, regions=regions, required_keys=required_keys,
                             min_instance_types=min_instance_types)
        stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        tables, meta = merge_regions(base, base_meta, fresh, fresh_regions, offers, stamp)
        final = write_store(target, tables, meta)
    except (PricingError, OSError) as exc:
        return RefreshResult(ok=False, reason=str(exc), origin=origin, metadata=base_meta, regions=regions)
    progress(f"wrote {final.files['prices']['rows']} prices to {target}")
    return RefreshResult(ok=True, reason="", origin=f"cache ({target})", metadata=final, regions=regions)


def _last_good(target: Path, snapshot_dir: Path,
               progress: Progress) -> tuple[PriceTables, StoreMetadata, str]:
    """The store a refresh builds on, with the origin label :func:`load_pricebook` uses."""
    if target.exists():
        try:
            tables, meta = read_store(target)
            return tables, meta, f"cache ({target})"
        except StoreCorrupted as exc:
            progress(f"warning: the price cache is corrupted ({exc}); refreshing on top of the bundled snapshot")
    tables, meta = read_store(snapshot_dir)
    return tables, meta, SNAPSHOT_ORIGIN


def _fetch(source: str, regions: Sequence[str], offers: Sequence[str], fetch_rows: FetchRows,
           progress: Progress) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """Every (Region, offer)'s rows as one table, and the metadata of each Region."""
    rows: list[PriceRow] = []
    per_region: dict[str, dict[str, Any]] = {}
    for region in regions:
        published: dict[str, str] = {}
        for offer in offers:
            progress(f"fetching {offer} prices for {region} ({source})")
            try:
                new = fetch_rows(offer, region)
            except OSError as exc:  # a local error (disk, permissions) names no offer by itself
                raise FetchError(f"fetching {offer} prices for {region}: {exc}") from exc
            _check_scope(new, offer, region)
            if new:
                published[offer] = max(r.publication_date for r in new)
            progress(f"  {offer} {region}: {len(new)} prices" +
                     (f", published {published[offer]}" if new else " (none the advisor uses)"))
            rows.extend(new)
        per_region[region] = {"source": source, "offers": published}
    return rows_to_frame(rows), per_region


def _check_scope(rows: list[PriceRow], offer: str, region: str) -> None:
    """Reject rows of another offer or Region: merged in, they would duplicate prices."""
    stray = next((r for r in rows if r.offer_code != offer or r.region != region), None)
    if stray is not None:
        raise OfferFormatError(stray.source, f"sku {stray.sku}",
                               f"a {offer} price in {region}, found {stray.offer_code} in {stray.region}")
