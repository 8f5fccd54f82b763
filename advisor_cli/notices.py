"""The lines every pricing command prints about its prices: where they come from and how old they are.

Every command that prices (estimate, compare, analyze, report) loads the active prices
through :func:`active_pricebook`, which says in one line on stderr when they fell back to
the bundled snapshot and why, and ends with :func:`print_age_notice` when some price it
used is older than 90 days (the refresh command included).  Notes go to stdout for the
table format and to stderr for JSON and CSV, so machine-readable output stays parseable.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from advisor.costs.estimate import ScenarioEstimate
    from pricing.pricebook import PriceBook


def warn(lines: Iterable[str]) -> None:
    """Each warning as one ``warning: ...`` line on stderr."""
    for line in lines:
        print(f"warning: {' '.join(str(line).split())}", file=sys.stderr)


def active_pricebook(cache_dir: Path | None) -> PriceBook:
    """The prices in force; a fallback to the snapshot (and why) is said on stderr."""
    from pricing.active import load_pricebook

    book = load_pricebook(cache_dir)
    warn(book.warnings)
    return book


def pricebook_in_background(cache_dir: Path | None) -> Callable[[], PriceBook]:
    """Start reading the prices in force on another thread; the returned call waits for them, as
    :func:`active_pricebook` returns them (a fallback said on stderr, an error raised).

    Reading a store is mostly reading, gunzipping and parsing 30 MB of CSV in C code that lets
    other threads run, so on a second core it runs beside the model's imports (scipy.optimize
    among them) instead of after them: ``advisor estimate`` starts about that much sooner.  On
    one core it costs nothing: the two take turns.  The prices read are the same either way.
    """
    from pricing.active import load_pricebook

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prices")
    pending = pool.submit(load_pricebook, cache_dir)
    pool.shutdown(wait=False)  # its one thread ends when the prices are read

    def wait() -> PriceBook:
        book = pending.result()
        warn(book.warnings)
        return book

    return wait


def note(text: str | None, fmt: str) -> None:
    """A ``note: ...`` line: stdout for tables, stderr for JSON/CSV."""
    if text:
        print(f"note: {text}", file=sys.stdout if fmt == "table" else sys.stderr)


def print_age_notice(results: Iterable[ScenarioEstimate], fmt: str) -> None:
    """The 90-day notice for the prices these estimates used, if any is that old."""
    from presentation.price_age import estimate_notice

    note(estimate_notice(results, datetime.now(UTC)), fmt)


def print_region_age_notice(book: PriceBook, region: str, fmt: str) -> None:
    """The 90-day notice for a Region's prices (views that do not keep their line items)."""
    from presentation.price_age import stale_notice
    from pricing.status import region_price_dates

    note(stale_notice(region_price_dates(book, region), [region], datetime.now(UTC)), fmt)
