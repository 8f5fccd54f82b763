"""Fetch prices from the AWS Price List Query API (``pricing:GetProducts``).

The Query API answers TERM_MATCH filters with up to 100 products per page; each page
entry is a JSON *string* holding one product, its On-Demand and Reserved terms and the
offer's ``publicationDate``.  Entries end in :func:`pricing.normalize.rows_for_terms`,
the same rules the bulk readers use, so a price means the same whatever the source.

The boto3 client is injected (:class:`PricingClient`): importing this module creates
no client and needs no credentials, and tests hand in a client wrapped by botocore's
``Stubber``.  :func:`make_pricing_client` is the one place boto3 is imported.  botocore's
own retries are switched off there so that the retry policy here (exponential backoff
with an injected ``sleep``) is the only one, and its attempt count is the one reported.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from botocore.exceptions import ClientError, HTTPClientError, NoCredentialsError, PartialCredentialsError
from botocore.exceptions import ConnectionError as BotoConnectionError

from pricing.errors import FetchError, OfferFormatError
from pricing.normalize import rows_for_terms
from pricing.schema import PriceRow

#: Regions whose endpoint serves the Query API (AWS Billing User Guide, "Endpoints";
#: botocore's endpoints.json lists the same three for ``api.pricing``).  The endpoint
#: Region is unrelated to the Region whose prices are asked for.
QUERY_API_ENDPOINT_REGIONS: tuple[str, ...] = ("us-east-1", "eu-central-1", "ap-south-1")
#: The ``source`` recorded in store metadata for Regions refreshed through this API.
QUERY_API_SOURCE = "query-api"
#: Error codes AWS uses when a caller is over its request rate; worth waiting for.
THROTTLING_CODES = frozenset({"ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"})
DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_BASE_DELAY_SECONDS = 1.0
#: GetProducts' largest page; fewer round trips means fewer chances to be throttled.
PAGE_SIZE = 100
_MAX_DELAY_SECONDS = 30.0
_CREDENTIALS_HELP = (
    "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE naming a profile in "
    "~/.aws/credentials (or run 'aws configure' / 'aws sso login'); the identity needs "
    "pricing:GetProducts. '--source bulk' needs no credentials"
)
# Karpenter's TERM_MATCH set for plain instances; the selectors keep the same products.
_EC2_INSTANCE_FILTERS = (("productFamily", "Compute Instance"), ("tenancy", "Shared"),
                         ("preInstalledSw", "NA"), ("capacitystatus", "Used"))


class PricingClient(Protocol):
    """The part of a boto3 ``pricing`` client this module uses."""

    def get_paginator(self, operation_name: str) -> Any:
        """A botocore paginator; only ``get_products`` is asked for."""


@dataclass(frozen=True, slots=True)
class ProductQuery:
    """One GetProducts query: an offer, the Region asked about and its TERM_MATCH filters."""

    service_code: str
    region: str
    filters: tuple[tuple[str, str], ...]

    def describe(self) -> str:
        """``AmazonEC2 us-east-1 [productFamily=NAT Gateway]``: how errors name the query."""
        shown = ", ".join(f"{k}={v}" for k, v in self.filters if k != "regionCode")
        return f"{self.service_code} {self.region}" + (f" [{shown}]" if shown else "")

    def parameters(self) -> dict[str, Any]:
        """The GetProducts parameters, as the request (and a Stubber) sees them."""
        return {"ServiceCode": self.service_code, "FormatVersion": "aws_v1",
                "Filters": [{"Type": "TERM_MATCH", "Field": k, "Value": v} for k, v in self.filters]}


def queries_for(offer_code: str, region: str) -> tuple[ProductQuery, ...]:
    """The queries that cover what the selectors keep of one offer in one Region.

    AmazonEC2 is several million products across Regions, so it is narrowed to what
    :mod:`pricing.selectors` reads: Linux and Windows shared instances, NAT gateways and
    gp3/gp2 volumes.  Every other offer is small per Region and fetched whole.
    """
    where = (("regionCode", region),)
    if offer_code != "AmazonEC2":
        return (ProductQuery(offer_code, region, where),)
    families = [(*where, *_EC2_INSTANCE_FILTERS, ("operatingSystem", os_name)) for os_name in ("Linux", "Windows")]
    families.append((*where, ("productFamily", "NAT Gateway")))
    families.extend((*where, ("productFamily", "Storage"), ("volumeApiName", v)) for v in ("gp3", "gp2"))
    return tuple(ProductQuery(offer_code, region, tuple(f)) for f in families)


def make_pricing_client(endpoint_region: str = "us-east-1", *, endpoint_url: str | None = None,
                        timeout: float = 60.0) -> PricingClient:
    """A boto3 ``pricing`` client, created only when a refresh asks for one.

    Parameters
    ----------
    endpoint_region : str
        One of :data:`QUERY_API_ENDPOINT_REGIONS`; any other has no Query API endpoint.
    endpoint_url : str, optional
        Another endpoint (a VPC endpoint, or a local test server).
    timeout : float
        Connect and read timeout in seconds, so a stalled connection fails instead of hanging.

    Raises
    ------
    ValueError
        For an endpoint Region that does not serve the Query API.
    FetchError
        When the configured credentials are incomplete (botocore checks them here).
    """
    if endpoint_region not in QUERY_API_ENDPOINT_REGIONS:
        raise ValueError(f"the Price List Query API has no endpoint in {endpoint_region!r}; "
                         f"allowed: {', '.join(QUERY_API_ENDPOINT_REGIONS)}")
    import boto3  # here only: importing the advisor must not pay for boto3
    from botocore.config import Config

    config = Config(connect_timeout=timeout, read_timeout=timeout,
                    retries={"mode": "standard", "total_max_attempts": 1})
    try:
        # A session of its own: boto3's default session caches the credentials it found first.
        session = boto3.session.Session()
        return session.client("pricing", region_name=endpoint_region, endpoint_url=endpoint_url, config=config)
    except (NoCredentialsError, PartialCredentialsError) as exc:
        raise _credentials_error(exc) from exc


def fetch_offer_rows(client: PricingClient, offer_code: str, region: str, *,
                     sleep: Callable[[float], None] = time.sleep, max_attempts: int = DEFAULT_MAX_ATTEMPTS,
                     base_delay: float = DEFAULT_BASE_DELAY_SECONDS) -> list[PriceRow]:
    """Normalized rows of one offer in one Region, from every query :func:`queries_for` lists.

    Raises
    ------
    FetchError
        When AWS keeps throttling or cannot be reached after ``max_attempts`` tries per
        page, refuses the call, or no credentials are configured.
    OfferFormatError
        When an entry is not a Price List product; names the query, page and entry.
    """
    rows: list[PriceRow] = []
    for query in queries_for(offer_code, region):
        rows.extend(fetch_query_rows(client, query, sleep=sleep, max_attempts=max_attempts,
                                     base_delay=base_delay))
    return rows


def fetch_query_rows(client: PricingClient, query: ProductQuery, *, sleep: Callable[[float], None] = time.sleep,
                     max_attempts: int = DEFAULT_MAX_ATTEMPTS,
                     base_delay: float = DEFAULT_BASE_DELAY_SECONDS) -> list[PriceRow]:
    """Normalized rows of every page of one query (see :func:`fetch_offer_rows`)."""
    if max_attempts < 1:
        raise ValueError(f"max_attempts must be at least 1, not {max_attempts}")
    source = f"{QUERY_API_SOURCE}:{query.service_code}/{query.region}"
    rows: list[PriceRow] = []
    pages = _pages(client, query, sleep=sleep, max_attempts=max_attempts, base_delay=base_delay)
    for page_number, page in enumerate(pages, start=1):
        for index, entry in enumerate(page.get("PriceList") or []):
            rows.extend(entry_rows(entry, service_code=query.service_code, source=source,
                                   where=f"page {page_number} PriceList[{index}]"))
    return rows


def entry_rows(entry: str | Mapping[str, Any], *, service_code: str, source: str, where: str) -> list[PriceRow]:
    """Rows of one GetProducts entry (empty when no selector keeps the product).

    ``where`` (``page 2 PriceList[7]``) is added to any error, so a bad entry can be
    found in a response of thousands.
    """
    decoded = _decode_entry(entry, f"{source} {where}")
    product, terms = decoded["product"], decoded["terms"]
    try:
        return [row for term_type, offers in terms.items()
                for row in rows_for_terms(offer_code=service_code, sku=product["sku"], product=product,
                                          term_type=term_type, offers=offers,
                                          publication_date=decoded["publicationDate"], source=source)]
    except OfferFormatError as exc:
        raise OfferFormatError(f"{source} {where}", exc.record, exc.expected) from exc


def _decode_entry(entry: str | Mapping[str, Any], where: str) -> Mapping[str, Any]:
    """The entry as a mapping, checked for the keys normalization relies on."""
    if isinstance(entry, str):
        try:
            entry = json.loads(entry)
        except json.JSONDecodeError as exc:
            raise OfferFormatError(where, "entry", f"a JSON document ({exc.msg} at column {exc.colno})") from None
    if not isinstance(entry, Mapping):
        raise OfferFormatError(where, "entry", "a JSON object")
    product, terms = entry.get("product"), entry.get("terms")
    if not isinstance(product, Mapping) or not isinstance(product.get("sku"), str):
        raise OfferFormatError(where, "product", "an object with a 'sku'")
    if not isinstance(terms, Mapping) or not all(isinstance(t, Mapping) for t in terms.values()):
        raise OfferFormatError(where, f"terms of sku {product['sku']}", "an object of term objects")
    if not isinstance(entry.get("publicationDate"), str) or not entry["publicationDate"]:
        raise OfferFormatError(where, f"sku {product['sku']}", "a 'publicationDate' string")
    return entry


def _pages(client: PricingClient, query: ProductQuery, *, sleep: Callable[[float], None], max_attempts: int,
           base_delay: float) -> Iterator[Mapping[str, Any]]:
    """Every page of a query; a failed page is retried from the last page's NextToken.

    Resuming, rather than starting over, keeps a long AmazonEC2 listing from refetching
    (and being throttled on) the pages it already has.
    """
    token: str | None = None
    done = failures = 0
    while True:
        try:
            for page in _paginate(client, query, token):
                done, failures = done + 1, 0
                token = page.get("NextToken") or token
                yield page
            return
        except (NoCredentialsError, PartialCredentialsError) as exc:
            raise _credentials_error(exc) from exc
        except (ClientError, BotoConnectionError, HTTPClientError) as exc:
            failures += 1
            retryable, reason = _failure_reason(exc)
            if not retryable or failures >= max_attempts:
                tries = f" after {failures} attempts" if retryable else ""
                raise FetchError(f"Price List Query API GetProducts for {query.describe()} failed on page "
                                 f"{done + 1}{tries}: {reason}") from exc
            sleep(min(base_delay * 2 ** (failures - 1), _MAX_DELAY_SECONDS))


def _paginate(client: PricingClient, query: ProductQuery, token: str | None) -> Iterator[Mapping[str, Any]]:
    config: dict[str, Any] = {"PageSize": PAGE_SIZE}
    if token is not None:
        from botocore.paginate import TokenEncoder  # the paginator's own StartingToken format

        config["StartingToken"] = TokenEncoder().encode({"NextToken": token})
    paginator = client.get_paginator("get_products")
    return iter(paginator.paginate(**query.parameters(), PaginationConfig=config))


def _failure_reason(exc: Exception) -> tuple[bool, str]:
    """(worth retrying, exact reason) of a failed GetProducts call."""
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", "")) or "unknown error"
        detail = f"{code}: {error.get('Message', '')}".rstrip(": ")
        if code in THROTTLING_CODES:
            return True, f"throttled ({detail}); wait a few minutes, or use '--source bulk'"
        return False, detail
    return True, f"connection error ({exc})"


def _credentials_error(exc: Exception) -> FetchError:
    what = "incomplete" if isinstance(exc, PartialCredentialsError) else "missing"
    return FetchError(f"AWS credentials are {what} ({exc}); {_CREDENTIALS_HELP}")
