"""Fetch the refreshed Regions one Region per job, in parallel within a memory budget, with progress.

A Region job downloads and parses each wanted offer of one Region (every file streamed once,
parsed in bounded memory: :mod:`pricing.offer_json`) and returns its rows as one table.
Jobs run in worker processes (parsing is CPU-bound, so threads would not help) when the
fetcher can be sent to one (the Bulk API fetcher can; the Query API client cannot, and runs
in this process); how many at once follows from the memory budget:
``(budget - PARENT_MEMORY_MIB) // WORKER_MEMORY_MIB``, at most one per CPU and per Region.
Both figures are peaks measured by ``bench/refresh_bench.py`` over the 34 Regions of the
shared offer files (the largest, us-east-1 AmazonEC2, 11 MB there and about 450 MB at AWS,
is streamed, so a worker's peak does not grow with the file).

Progress is one line per finished Region: Regions done, prices, bytes downloaded, time
spent and an estimate of the time left (from the Regions done so far).  Workers ignore
Ctrl-C; the caller stops them (``Pool.terminate``) and removes their staged files.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import pandas as pd

from pricing.errors import FetchError, OfferFormatError, PricingError
from pricing.schema import PRICE_COLUMNS, PriceRow, rows_to_frame

FetchRows = Callable[[str, str], list[PriceRow]]
Progress = Callable[[str], None]

#: Memory one worker adds [MiB]: its own pages while it streams and parses a Region (113 MiB
#: measured at most over the 34 Regions, forked; rounded up for a spawned worker's own imports).
WORKER_MEMORY_MIB = 150
#: Peak of the refreshing process [MiB]: the fetched rows, the last good prices, the merged
#: table and its write (445 MiB measured for 34 Regions, 69,977 prices).
PARENT_MEMORY_MIB = 500
#: Workers are forked where the system can (they start at once, with the modules already
#: imported; the refreshing process runs no other threads), else spawned.
_START_METHOD = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"


def worker_count(regions: int, budget_mib: int, cpus: int | None = None) -> int:
    """Workers that fit ``budget_mib`` beside the parent, one per CPU and Region at most (at least 1)."""
    fit = (budget_mib - PARENT_MEMORY_MIB) // WORKER_MEMORY_MIB
    return max(1, min(regions, cpus or os.cpu_count() or 1, fit))


@dataclass(frozen=True, slots=True)
class RegionResult:
    """One Region's fetched rows, each offer's publication date, the bytes downloaded, or an error."""

    region: str
    frame: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(PRICE_COLUMNS)))
    published: dict[str, str] = field(default_factory=dict)
    downloaded_bytes: int = 0
    error: str = ""


def fetch_region(fetch_rows: FetchRows, region: str, *, offers: Sequence[str], source: str,
                 progress: Progress | None = None) -> RegionResult:
    """Every offer of one Region; a failure is returned as text (exceptions do not all pickle)."""
    before = getattr(fetch_rows, "bytes_downloaded", 0)
    rows: list[PriceRow] = []
    published: dict[str, str] = {}
    try:
        for offer in offers:
            if progress:
                progress(f"fetching {offer} prices for {region} ({source})")
            try:
                new = fetch_rows(offer, region)
            except OSError as exc:  # a local error (disk, permissions) names no offer by itself
                raise FetchError(f"fetching {offer} prices for {region}: {exc}") from exc
            _check_scope(new, offer, region)
            if new:
                published[offer] = max(r.publication_date for r in new)
            if progress:
                progress(f"  {offer} {region}: {len(new)} prices" +
                         (f", published {published[offer]}" if new else " (none the advisor uses)"))
            rows.extend(new)
    except PricingError as exc:
        return RegionResult(region, error=str(exc))
    return RegionResult(region, rows_to_frame(rows), published,
                        getattr(fetch_rows, "bytes_downloaded", 0) - before)


def _check_scope(rows: list[PriceRow], offer: str, region: str) -> None:
    """Reject rows of another offer or Region: merged in, they would duplicate prices."""
    stray = next((r for r in rows if r.offer_code != offer or r.region != region), None)
    if stray is not None:
        raise OfferFormatError(stray.source, f"sku {stray.sku}",
                               f"a {offer} price in {region}, found {stray.offer_code} in {stray.region}")


def fetch_regions(fetch_rows: FetchRows, regions: Sequence[str], *, offers: Sequence[str], source: str,
                  workers: int = 1, progress: Progress = lambda _line: None
                  ) -> tuple[pd.DataFrame, dict[str, dict[str, Any]]]:
    """All Regions' rows as one table and each Region's metadata; raises FetchError on the first failure."""
    if workers > 1 and not _picklable(fetch_rows):
        progress(f"fetching one region at a time: the {source} client cannot run in worker processes")
        workers = 1
    prepare = getattr(fetch_rows, "prepare", None)
    if workers > 1 and prepare is not None:
        prepare(offers)  # the offer indexes travel to the workers with the fetcher, read once
    clock = _Clock(len(regions))
    frames, per_region = [], {}
    with closing(_results(fetch_rows, regions, offers, source, workers, progress)) as results:
        for result in results:
            if result.error:
                raise FetchError(result.error)
            frames.append(result.frame)
            per_region[result.region] = {"source": source, "offers": result.published}
            progress(clock.line(result))
    frame = pd.concat(frames, ignore_index=True) if frames else rows_to_frame([])
    return frame, {r: per_region[r] for r in regions}


def _results(fetch_rows: FetchRows, regions: Sequence[str], offers: Sequence[str], source: str, workers: int,
             progress: Progress) -> Iterator[RegionResult]:
    if workers == 1:
        for region in regions:
            yield fetch_region(fetch_rows, region, offers=offers, source=source, progress=progress)
        return
    job = partial(fetch_region, fetch_rows, offers=tuple(offers), source=source)
    pool = multiprocessing.get_context(_START_METHOD).Pool(workers, initializer=_ignore_interrupts)
    try:
        yield from pool.imap_unordered(job, regions)
        pool.close()
    except BaseException:
        pool.terminate()  # Ctrl-C, a failed Region: stop every download now
        raise
    finally:
        pool.join()


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _picklable(value: object) -> bool:
    try:
        pickle.dumps(value)
    except (pickle.PicklingError, TypeError, AttributeError):
        return False
    return True


class _Clock:
    """Regions done, bytes, time spent and time left, as one progress line per Region."""

    def __init__(self, total: int) -> None:
        self.total, self.done, self.bytes, self.start = total, 0, 0, time.monotonic()

    def line(self, result: RegionResult) -> str:
        self.done += 1
        self.bytes += result.downloaded_bytes
        spent = time.monotonic() - self.start
        left = spent / self.done * (self.total - self.done)
        return (f"[{self.done}/{self.total} regions] {result.region}: {len(result.frame):,} prices · "
                f"{self.bytes / 1e6:,.1f} MB downloaded · {_duration(spent)} spent · about {_duration(left)} left")


def _duration(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"
