"""``advisor prices refresh``: fetch current prices from AWS into the per-user cache.

Kept out of :mod:`advisor_cli.main` so that boto3 is only imported by the one command
that talks to AWS.  Progress goes to stderr, the outcome to stdout (success) or stderr
(failure); a failed refresh exits 1 and says which prices stay in force.  Ctrl-C stops
the downloads, removes every staged file and says so in one line (exit status 130).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from pricing.refresh_defaults import DEFAULT_DEADLINE_SECONDS, DEFAULT_MAX_DOWNLOAD_BYTES, DEFAULT_MEMORY_BUDGET_MIB
from pricing.regions import known_region_codes

#: Exit status of a refresh stopped by Ctrl-C (128 + SIGINT, as shells report it).
INTERRUPTED = 130


def add_refresh_parser(psub: argparse._SubParsersAction) -> None:
    """Register ``prices refresh``."""
    refresh = psub.add_parser("refresh", help="fetch current prices from AWS into the cache")
    refresh.add_argument("--source", choices=("query", "bulk"), required=True)
    which = refresh.add_mutually_exclusive_group(required=True)
    which.add_argument("--region", action="append", choices=known_region_codes(), metavar="REGION",
                       help="a region to refresh (repeatable)")
    which.add_argument("--all-regions", action="store_true",
                       help=f"every commercial region ({len(known_region_codes())})")
    refresh.add_argument("--endpoint-url", help="bulk API root or Query API endpoint (testing, mirrors)")
    refresh.add_argument("--timeout", type=float, default=60.0, help="seconds a read may wait (default 60)")
    refresh.add_argument("--deadline", type=float, default=DEFAULT_DEADLINE_SECONDS,
                         help=f"seconds one file may take in all (default {DEFAULT_DEADLINE_SECONDS:g})")
    refresh.add_argument("--max-download-mib", type=int, default=DEFAULT_MAX_DOWNLOAD_BYTES >> 20,
                         help=f"largest file accepted (default {DEFAULT_MAX_DOWNLOAD_BYTES >> 20:,} MiB)")
    refresh.add_argument("--memory-budget-mib", type=int, default=DEFAULT_MEMORY_BUDGET_MIB,
                         help="memory the refresh may use; sets how many regions are fetched at once "
                              f"(default {DEFAULT_MEMORY_BUDGET_MIB} MiB)")
    refresh.add_argument("--workers", type=int, help="regions fetched at once (default: from the memory budget)")
    refresh.add_argument("--force", action="store_true",
                         help="accept prices far from the last good ones (every other check still applies)")
    refresh.set_defaults(func=run_refresh)


def run_refresh(args: argparse.Namespace) -> int:
    """Run the refresh described by the parsed arguments; returns the exit status.

    ``args`` carries ``source`` (``query`` or ``bulk``), ``region`` (a list) or
    ``all_regions``, ``endpoint_url`` (Query API endpoint or Bulk API root; None for AWS's),
    ``timeout``, ``deadline``, ``max_download_mib``, ``memory_budget_mib``, ``workers``,
    ``force`` and ``cache_dir``.  The download and refresh code is imported here, not by every command.
    """
    from pricing.fetch_pool import worker_count
    from pricing.fetchers import make_fetcher
    from pricing.refresh import refresh_prices

    regions = known_region_codes() if args.all_regions else tuple(args.region)
    workers = args.workers or worker_count(len(regions), args.memory_budget_mib)
    try:
        with tempfile.TemporaryDirectory(prefix="advisor-refresh-") as staging:
            fetch_rows, source = make_fetcher(args.source, args.endpoint_url, args.timeout, temp_dir=Path(staging),
                                              deadline=args.deadline, max_bytes=args.max_download_mib << 20)
            _progress(f"refreshing {len(regions)} region(s) from {source}, {workers} at a time")
            result = refresh_prices(source=source, regions=regions, cache_dir=args.cache_dir, fetch_rows=fetch_rows,
                                    now=datetime.now(UTC), progress=_progress, workers=workers, force=args.force)
    except KeyboardInterrupt:
        print("refresh interrupted: no price changed, no partial file left", file=sys.stderr)
        return INTERRUPTED
    if not result.ok:
        print(f"error: refresh failed: {result.reason}; keeping the last good prices "
              f"({result.origin}, as of {result.prices_as_of()})", file=sys.stderr)
        return 1
    print(f"refreshed {', '.join(result.regions)} from {source}: active prices {result.origin}, "
          f"as of {result.prices_as_of()}")
    return 0


def _progress(line: str) -> None:
    print(line, file=sys.stderr)
