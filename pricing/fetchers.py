"""The fetch function of a refresh, by source: the Bulk API over HTTPS or the Query API through boto3.

Shared by ``advisor prices refresh`` and the app's refresh button, so both fetch the same
way. The Query API module (and with it botocore) is imported only when that source is
chosen, so neither the command line nor the app pays for the AWS SDK until it refreshes.
"""

from __future__ import annotations

from functools import cache, partial
from pathlib import Path

from pricing.bulk_http import BulkApiFetcher
from pricing.fetch_pool import FetchRows
from pricing.offer_index import BULK_API_ROOT
from pricing.refresh_defaults import DEFAULT_DEADLINE_SECONDS, DEFAULT_MAX_DOWNLOAD_BYTES
from pricing.schema import PriceRow


def make_fetcher(source: str, endpoint_url: str | None, timeout: float, *, temp_dir: Path | None = None,
                 deadline: float = DEFAULT_DEADLINE_SECONDS,
                 max_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES) -> tuple[FetchRows, str]:
    """The fetch function for a source (``query`` or ``bulk``) and the label the metadata records.

    ``temp_dir`` (where Bulk API downloads are staged), ``deadline`` and ``max_bytes`` (per
    file) apply to the Bulk API.
    """
    if source == "bulk":
        fetcher = BulkApiFetcher(endpoint_url or BULK_API_ROOT, timeout=timeout, temp_dir=temp_dir,
                                 deadline=deadline, max_bytes=max_bytes)
        return fetcher, fetcher.source
    from pricing import query_api

    # The client is made on first use, inside the refresh, so that missing or partial
    # credentials are reported as a failed refresh like any other fetch error.
    client = cache(partial(query_api.make_pricing_client, endpoint_url=endpoint_url, timeout=timeout))

    def fetch(offer_code: str, region: str) -> list[PriceRow]:
        return query_api.fetch_offer_rows(client(), offer_code, region)

    return fetch, query_api.QUERY_API_SOURCE
