"""Refresh the per-user price cache from AWS, all or nothing.

A refresh fetches every wanted offer for the requested Regions (several Regions at once
in worker processes when the fetcher allows, :mod:`pricing.fetch_pool`), then, holding the
cache's lock (:mod:`pricing.lock`), re-reads the last good prices (the cache when it
verifies, else the bundled snapshot: another refresh may have written meanwhile), checks
the new table against them (:mod:`pricing.refresh_checks`: every key kept, plausible
values), lays it over them and switches the cache to the result (:mod:`pricing.cache_store`).
Any failure on the way (network, throttling, a malformed file, a table that fails its
checks, a disk error) leaves the cache exactly as it was and is reported, with the reason,
in the :class:`RefreshResult`: a half-refreshed or silently shrunken cache would be worse
than a stale one.

Fetching is injected (:data:`FetchRows`), so the orchestration is tested without a
network; :mod:`pricing.query_api` and :mod:`pricing.bulk_http` provide the real ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pricing.active import SNAPSHOT_DIR, cache_store_dir
from pricing.cache_store import active_store_dir, commit_store, tidy, version_stamp
from pricing.errors import PricingError, StoreCorrupted
from pricing.fetch_pool import FetchRows, Progress, fetch_regions
from pricing.importer import WANTED_OFFERS, merge_regions
from pricing.lock import DEFAULT_LOCK_TIMEOUT_SECONDS, store_lock
from pricing.refresh_checks import check_refresh
from pricing.schema import MIN_INSTANCE_TYPES_PER_REGION, REQUIRED_KEYS_PER_REGION
from pricing.store import PriceTables, StoreMetadata, read_metadata, read_store

__all__ = ["SNAPSHOT_ORIGIN", "FetchRows", "Progress", "RefreshResult", "refresh_prices"]

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
    workers: int = 1,
    force: bool = False,
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT_SECONDS,
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
        Floors for a Region the last good data lacks, and the instance-type floor
        (the real ones by default, see :mod:`pricing.schema`).
    progress : callable
        Receives a line per offer (one Region at a time) or per Region (in parallel).
    workers : int
        Regions fetched at once (see :func:`pricing.fetch_pool.worker_count`).
    force : bool
        Accept prices far from the last good data (the other checks still apply).
    lock_timeout : float
        Seconds to wait for another writer of the cache.

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
    root = cache_store_dir(cache_dir)
    base_meta, origin = _last_good_metadata(root, snapshot_dir, progress)  # cheap: the tables come after the fetch

    def check(last_good: PriceTables) -> None:
        check_refresh(fresh, last_good.prices, regions=regions, offers=offers, required_keys=required_keys,
                      min_instance_types=min_instance_types, force=force)

    try:
        fresh, fresh_regions = fetch_regions(fetch_rows, regions, offers=offers, source=source, workers=workers,
                                             progress=progress)
        seen = version_stamp(root)
        base, base_meta, origin = _last_good(root, snapshot_dir, lambda _line: None)
        check(base)  # before touching the cache: a rejected refresh creates nothing
        with store_lock(root, timeout=lock_timeout, waiting=progress):
            if version_stamp(root) != seen:  # another refresh wrote meanwhile: build on what it wrote
                del base  # one copy in memory at a time
                base, base_meta, origin = _last_good(root, snapshot_dir, lambda _line: None)
                check(base)
            stamp = now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            tables, meta = merge_regions(base, base_meta, fresh, fresh_regions, offers, stamp)
            final = commit_store(root, tables, meta)
    except (PricingError, OSError) as exc:
        return RefreshResult(ok=False, reason=str(exc), origin=origin, metadata=base_meta, regions=regions)
    progress(f"wrote {final.files['prices']['rows']} prices to {root}")
    return RefreshResult(ok=True, reason="", origin=f"cache ({root})", metadata=final, regions=regions)


def _last_good_metadata(root: Path, snapshot_dir: Path, progress: Progress) -> tuple[StoreMetadata, str]:
    """The last good store's metadata and origin, read before fetching (a broken cache is said at once)."""
    try:
        tidy(root)
        store = active_store_dir(root)
        if store is not None:
            return read_metadata(store), f"cache ({root})"
    except (StoreCorrupted, OSError) as exc:
        progress(f"warning: the price cache is corrupted ({exc}); refreshing on top of the bundled snapshot")
    return read_metadata(snapshot_dir), SNAPSHOT_ORIGIN


def _last_good(root: Path, snapshot_dir: Path, progress: Progress) -> tuple[PriceTables, StoreMetadata, str]:
    """The store a refresh builds on, with the origin label :func:`load_pricebook` uses."""
    try:
        tidy(root)
        store = active_store_dir(root)
        if store is not None:
            tables, meta = read_store(store)
            return tables, meta, f"cache ({root})"
    except (StoreCorrupted, OSError) as exc:
        progress(f"warning: the price cache is corrupted ({exc}); refreshing on top of the bundled snapshot")
    tables, meta = read_store(snapshot_dir)
    return tables, meta, SNAPSHOT_ORIGIN
