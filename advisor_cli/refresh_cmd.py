"""``advisor prices refresh``: fetch current prices from AWS into the per-user cache.

Kept out of :mod:`advisor_cli.main` so that boto3 is only imported by the one command
that talks to AWS.  Progress goes to stderr, the outcome to stdout (success) or stderr
(failure); a failed refresh exits 1 and says which prices stay in force.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from functools import cache, partial

from pricing.bulk_http import BulkApiFetcher
from pricing.offer_index import BULK_API_ROOT
from pricing.query_api import QUERY_API_SOURCE, fetch_offer_rows, make_pricing_client
from pricing.refresh import FetchRows, refresh_prices
from pricing.schema import PriceRow


def run_refresh(args: argparse.Namespace) -> int:
    """Run the refresh described by the parsed arguments; returns the exit status.

    ``args`` carries ``source`` (``query`` or ``bulk``), ``region`` (a list),
    ``endpoint_url`` (Query API endpoint or Bulk API root; None for AWS's),
    ``timeout`` (seconds per request) and ``cache_dir``.
    """
    fetch_rows, source = make_fetcher(args.source, args.endpoint_url, args.timeout)
    result = refresh_prices(source=source, regions=args.region, cache_dir=args.cache_dir,
                            fetch_rows=fetch_rows, now=datetime.now(UTC), progress=_progress)
    if not result.ok:
        print(f"error: refresh failed: {result.reason}; keeping the last good prices "
              f"({result.origin}, as of {result.prices_as_of()})", file=sys.stderr)
        return 1
    print(f"refreshed {', '.join(result.regions)} from {source}: active prices {result.origin}, "
          f"as of {result.prices_as_of()}")
    return 0


def make_fetcher(source: str, endpoint_url: str | None, timeout: float) -> tuple[FetchRows, str]:
    """The fetch function for a source (``query`` or ``bulk``) and the label the metadata records."""
    if source == "bulk":
        fetcher = BulkApiFetcher(endpoint_url or BULK_API_ROOT, timeout=timeout)
        return fetcher, fetcher.source
    # The client is made on first use, inside the refresh, so that missing or partial
    # credentials are reported as a failed refresh like any other fetch error.
    client = cache(partial(make_pricing_client, endpoint_url=endpoint_url, timeout=timeout))

    def fetch(offer_code: str, region: str) -> list[PriceRow]:
        return fetch_offer_rows(client(), offer_code, region)

    return fetch, QUERY_API_SOURCE


def _progress(line: str) -> None:
    print(line, file=sys.stderr)
