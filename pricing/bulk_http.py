"""Fetch Price List offer files over HTTPS from the Bulk API (no AWS credentials needed).

The walk is the one AWS documents: the offers index names each offer's
``region_index.json``, which names the current offer file of each Region.  Region
files are large (us-east-1 AmazonEC2 is about 450 MB), so each download is streamed to
a temporary file in chunks and parsed from there by the streaming reader
(:func:`pricing.importer.iter_offer_path`); it is never held in memory, and the
temporary file is removed whatever happens.

A download is accepted only when it is what a Price List file looks like on the wire:
a 2xx answer, a JSON (or generic binary) Content-Type, and exactly Content-Length
bytes.  A captive portal's HTML page or a connection cut mid-file would otherwise
reach the parser, or worse, parse as a smaller offer.  Each read has a socket timeout,
so a stalled server fails instead of hanging; 5xx answers, timeouts, broken
connections and truncated bodies are retried with exponential backoff.

Limits a read timeout cannot give: each file must arrive within an overall deadline
(:data:`DEFAULT_DEADLINE_SECONDS`; a server dripping a byte at a time never trips a read
timeout) and within a size cap (:data:`DEFAULT_MAX_DOWNLOAD_BYTES`, far above the largest
Region file); both are overridable.  Redirects are followed only over https to the AWS
price hosts (``pricing.<region>.amazonaws.com``), so an answer cannot send the download to
another host or to plain http.
"""

from __future__ import annotations

import http.client
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from email.message import Message
from pathlib import Path
from typing import IO
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

from pricing.errors import FetchError
from pricing.importer import OPTIONAL_OFFERS, iter_offer_path
from pricing.offer_index import BULK_API_ROOT, parse_offers_index, parse_region_index
from pricing.refresh_defaults import DEFAULT_DEADLINE_SECONDS, DEFAULT_MAX_DOWNLOAD_BYTES
from pricing.schema import PriceRow

OFFERS_INDEX_PATH = "/offers/v1.0/aws/index.json"
#: Content-Types a JSON offer file may be served with; S3 mirrors often use the binary ones.
JSON_CONTENT_TYPES = frozenset({"application/json", "application/octet-stream", "binary/octet-stream"})
DOWNLOAD_CHUNK_BYTES = 1 << 20
DEFAULT_TIMEOUT_SECONDS = 60.0
#: Where a redirect may lead: the Price List Bulk API hosts, ``pricing.<region>.amazonaws.com`` (AWS Billing User
#: Guide, "Getting price list files using the AWS Price List Bulk API",
#: https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-ppslong.html; ``.com.cn`` in China).
AWS_PRICE_HOST = re.compile(r"^pricing\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$")
DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_BASE_DELAY_SECONDS = 1.0
_MAX_DELAY_SECONDS = 30.0
_USER_AGENT = "ecs-eks-advisor (prices refresh)"


class _Transient(Exception):
    """A failure worth another attempt (5xx, timeout, broken or truncated transfer)."""


class _AwsPriceRedirects(HTTPRedirectHandler):
    """Follow a redirect only over https to an AWS price host; refuse any other."""

    def redirect_request(self, req: Request, fp: IO[bytes], code: int, msg: str, headers: Message,
                         newurl: str) -> Request | None:
        target = urlsplit(newurl)
        if target.scheme != "https" or not AWS_PRICE_HOST.match(target.hostname or ""):
            raise FetchError(f"{req.full_url}: redirected to {newurl}; only https redirects to the AWS price hosts "
                             "(pricing.<region>.amazonaws.com) are followed")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = build_opener(_AwsPriceRedirects)


class BulkApiFetcher:
    """Rows of one (offer, Region) at a time from a Bulk API root; use as ``fetch_rows``.

    The offers index and each offer's Region index are downloaded once per fetcher and
    reused for every Region asked for.

    Parameters
    ----------
    base_url : str
        The Bulk API root (``https://pricing.us-east-1.amazonaws.com``) or a mirror; the
        index URLs (``/offers/v1.0/aws/...``) are appended to it, so a mirror may live
        under a path prefix.
    timeout : float
        Seconds a connect or a single read may wait.
    max_attempts : int
        Tries per file before a transient failure becomes a :class:`FetchError`.
    sleep : callable
        Called with the backoff delay between tries (injected so tests do not wait).
    temp_dir : Path, optional
        Where downloads are staged (default: the system temporary directory).
    deadline, max_bytes
        Overall seconds and largest size per file (see :func:`download`).
    """

    def __init__(self, base_url: str = BULK_API_ROOT, *, timeout: float = DEFAULT_TIMEOUT_SECONDS,
                 max_attempts: int = DEFAULT_MAX_ATTEMPTS, base_delay: float = DEFAULT_BASE_DELAY_SECONDS,
                 sleep: Callable[[float], None] = time.sleep, temp_dir: Path | None = None,
                 deadline: float = DEFAULT_DEADLINE_SECONDS, max_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES) -> None:
        if max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, not {max_attempts}")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.sleep = sleep
        self.temp_dir = temp_dir
        self.deadline = deadline
        self.max_bytes = max_bytes
        #: Bytes downloaded by this fetcher so far (progress displays read it).
        self.bytes_downloaded = 0
        self._offers: dict[str, str] | None = None
        self._region_files: dict[str, dict[str, str]] = {}

    @property
    def source(self) -> str:
        """What store metadata records as the Regions' source."""
        return f"bulk-api {self.base_url}"

    def __call__(self, offer_code: str, region: str) -> list[PriceRow]:
        """Normalized rows of ``offer_code`` in ``region``; empty when AWS has no such file.

        Raises
        ------
        FetchError
            On a failed download (naming the URL) or an index without the offer.
        OfferFormatError
            When a downloaded file is not a Price List document (naming the URL and record).
        """
        files = self._region_file_urls(offer_code)
        if region not in files:
            return []  # the offer is not sold in this Region: nothing to replace
        url = self.url(files[region])
        with self._staged(url) as path:
            return list(iter_offer_path(path, url))

    def prepare(self, offer_codes: Sequence[str]) -> None:
        """Read the offers index and these offers' Region indexes now (before the fetcher goes to workers)."""
        for offer_code in offer_codes:
            self._region_file_urls(offer_code)

    def url(self, path: str) -> str:
        """The absolute URL of an index path such as ``/offers/v1.0/aws/index.json``."""
        return self.base_url + path

    def _region_file_urls(self, offer_code: str) -> dict[str, str]:
        if offer_code not in self._region_files:
            offers = self._offers_index()
            if offer_code not in offers and offer_code in OPTIONAL_OFFERS:
                self._region_files[offer_code] = {}  # no such offer here: nothing to replace
                return {}
            if offer_code not in offers:
                raise FetchError(f"{self.url(OFFERS_INDEX_PATH)} lists no {offer_code} offer "
                                 "(is the base URL a Price List Bulk API root?)")
            url = self.url(offers[offer_code])
            with self._staged(url) as path:
                _, self._region_files[offer_code] = parse_region_index(path.read_bytes(), url)
        return self._region_files[offer_code]

    def _offers_index(self) -> dict[str, str]:
        if self._offers is None:
            url = self.url(OFFERS_INDEX_PATH)
            with self._staged(url) as path:
                self._offers = parse_offers_index(path.read_bytes(), url)
        return self._offers

    @contextmanager
    def _staged(self, url: str) -> Iterator[Path]:
        """Download ``url`` to a temporary file that is removed on the way out."""
        fd, name = tempfile.mkstemp(prefix="advisor-offer-", suffix=".json", dir=self.temp_dir)
        os.close(fd)
        path = Path(name)
        try:
            self.bytes_downloaded += download(url, path, timeout=self.timeout, max_attempts=self.max_attempts,
                                              base_delay=self.base_delay, sleep=self.sleep, deadline=self.deadline,
                                              max_bytes=self.max_bytes)
            yield path
        finally:
            path.unlink(missing_ok=True)


def download(url: str, dest: Path, *, timeout: float = DEFAULT_TIMEOUT_SECONDS,
             max_attempts: int = DEFAULT_MAX_ATTEMPTS, base_delay: float = DEFAULT_BASE_DELAY_SECONDS,
             sleep: Callable[[float], None] = time.sleep, deadline: float = DEFAULT_DEADLINE_SECONDS,
             max_bytes: int = DEFAULT_MAX_DOWNLOAD_BYTES) -> int:
    """Stream ``url`` into ``dest`` (overwritten per attempt); returns the byte count.

    ``deadline`` bounds each attempt from request to last byte, ``max_bytes`` the file size.

    Raises
    ------
    FetchError
        At once for 404 and other 4xx answers, a non-JSON Content-Type, a file over
        ``max_bytes``, an attempt past ``deadline`` and a redirect away from the AWS price
        hosts; after ``max_attempts`` tries for 5xx answers, timeouts, broken connections
        and truncated bodies.  The message names the URL and the last reason.
    """
    attempt = 1
    while True:
        try:
            return _download_once(url, dest, timeout, time.monotonic() + deadline, deadline, max_bytes)
        except _Transient as exc:
            if attempt >= max_attempts:
                raise FetchError(f"{url}: {exc} (gave up after {attempt} attempts)") from exc
        sleep(min(base_delay * 2 ** (attempt - 1), _MAX_DELAY_SECONDS))
        attempt += 1


def _download_once(url: str, dest: Path, timeout: float, ends: float, deadline: float, max_bytes: int) -> int:
    request = Request(url, headers={"User-Agent": _USER_AGENT, "Accept": "application/json"})
    try:
        with _OPENER.open(request, timeout=timeout) as response, dest.open("wb") as out:
            _check_content_type(url, response.headers.get("Content-Type"))
            expected = _content_length(url, response.headers.get("Content-Length"))
            if expected is not None and expected > max_bytes:
                raise FetchError(f"{url}: is over the {max_bytes:,}-byte size cap (Content-Length {expected})")
            received = _copy(response, out, ends, max_bytes)
            if received is None:
                raise FetchError(f"{url}: not complete within the {deadline:g} s deadline")
            if received > max_bytes:
                raise FetchError(f"{url}: more than the {max_bytes:,}-byte size cap")
    except HTTPError as exc:
        if exc.code >= 500:
            raise _Transient(f"HTTP {exc.code} {exc.reason}") from None
        hint = " (no such Price List file)" if exc.code == 404 else ""
        raise FetchError(f"{url}: HTTP {exc.code} {exc.reason}{hint}") from None
    except TimeoutError:
        raise _Transient(f"no data for {timeout:g} s (timed out)") from None
    except URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise _Transient(f"no answer within {timeout:g} s (timed out)") from None
        raise _Transient(f"cannot connect ({exc.reason})") from None
    except (http.client.HTTPException, ConnectionError) as exc:
        raise _Transient(f"connection broken ({exc!r})") from None
    if expected is not None and received != expected:
        raise _Transient(f"truncated download: received {received} of {expected} bytes (Content-Length)")
    return received


def _check_content_type(url: str, header: str | None) -> None:
    """Reject an answer that is not a JSON document (an HTML error or portal page).

    A missing header is accepted: it contradicts nothing, and the parser still checks
    the body.
    """
    media_type = (header or "").split(";", 1)[0].strip().lower()
    if media_type and media_type not in JSON_CONTENT_TYPES:
        raise FetchError(f"{url}: Content-Type {media_type}, expected {' or '.join(sorted(JSON_CONTENT_TYPES))} "
                         "(is the URL a Price List Bulk API root, or is a proxy answering?)")


def _content_length(url: str, header: str | None) -> int | None:
    if header is None:
        return None
    try:
        return int(header)
    except ValueError:
        raise FetchError(f"{url}: Content-Length {header!r} is not a byte count") from None


def _copy(response: IO[bytes], out: IO[bytes], ends: float, max_bytes: int) -> int | None:
    """Bytes copied (more than ``max_bytes``: stopped there), or None when the deadline passed first.

    ``read1`` returns what one socket read brings, so a slow drip is checked against the
    deadline between reads instead of filling a whole chunk first.
    """
    received = 0
    while chunk := response.read1(DOWNLOAD_CHUNK_BYTES):
        out.write(chunk)
        received += len(chunk)
        if received > max_bytes:
            return received
        if time.monotonic() > ends:
            return None
    return received
