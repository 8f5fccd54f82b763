"""``advisor prices refresh``: fetch current prices from AWS into the per-user cache.

Kept out of :mod:`advisor_cli.main` so that boto3 is only imported by the one command
that talks to AWS.  Progress goes to stderr, the outcome to stdout (success) or stderr
(failure); a failed refresh exits 1 and says which prices stay in force.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from pricing.fetchers import make_fetcher
from pricing.refresh import refresh_prices
from pricing.regions import known_region_codes


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
    refresh.add_argument("--timeout", type=float, default=60.0, help="seconds per request (default 60)")
    refresh.set_defaults(func=run_refresh)


def run_refresh(args: argparse.Namespace) -> int:
    """Run the refresh described by the parsed arguments; returns the exit status.

    ``args`` carries ``source`` (``query`` or ``bulk``), ``region`` (a list),
    ``endpoint_url`` (Query API endpoint or Bulk API root; None for AWS's),
    ``timeout`` (seconds per request) and ``cache_dir``.
    """
    fetch_rows, source = make_fetcher(args.source, args.endpoint_url, args.timeout)
    regions = known_region_codes() if args.all_regions else args.region
    result = refresh_prices(source=source, regions=regions, cache_dir=args.cache_dir,
                            fetch_rows=fetch_rows, now=datetime.now(UTC), progress=_progress)
    if not result.ok:
        print(f"error: refresh failed: {result.reason}; keeping the last good prices "
              f"({result.origin}, as of {result.prices_as_of()})", file=sys.stderr)
        return 1
    print(f"refreshed {', '.join(result.regions)} from {source}: active prices {result.origin}, "
          f"as of {result.prices_as_of()}")
    return 0


def _progress(line: str) -> None:
    print(line, file=sys.stderr)
