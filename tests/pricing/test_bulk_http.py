"""Tests of pricing.bulk_http against a loopback HTTP server with the Bulk API's layout.

The server (127.0.0.1, port 0, one thread per request) serves an offers tree built from
the stored GetProducts entries (see test_query_api.py) in AWS's exact layout:
``/offers/v1.0/aws/index.json`` -> ``/offers/v1.0/aws/<Offer>/current/region_index.json``
-> ``/offers/v1.0/aws/<Offer>/<version>/<region>/index.json``.  Faults are injected per
path: 404, a truncated body (Content-Length larger than what is sent, then the
connection closes), a text/html answer, a 503, and a stall past the client's 0.5 s
timeout.  Every failure must be a FetchError naming the URL and leave the cache as it was.

The server helpers are also used by test_refresh.py.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from pricing.active import SNAPSHOT_DIR, cache_store_dir
from pricing.bulk_http import OFFERS_INDEX_PATH, BulkApiFetcher
from pricing.errors import FetchError, OfferFormatError
from pricing.importer import WANTED_OFFERS
from pricing.refresh import refresh_prices
from tests.pricing.offer_mirror import LoopbackServer, running
from tests.pricing.test_query_api import REGION, SleepRecorder, closed_port_url, entries_by_offer

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
_AWS = "/offers/v1.0/aws"


# --- the offers tree (shared with test_refresh.py) -------------------------------------------
def region_index_path(offer: str) -> str:
    return f"{_AWS}/{offer}/current/region_index.json"


def region_file_path(offer: str, version: str = "20251104012650") -> str:
    return f"{_AWS}/{offer}/{version}/{REGION}/index.json"


def offers_tree(entries: dict[str, list[dict[str, Any]]]) -> dict[str, bytes]:
    """URL path -> body of a Bulk API tree holding ``entries`` (offer -> entries) for us-east-1."""
    files = {OFFERS_INDEX_PATH: _json({
        "formatVersion": "v1.0", "disclaimer": "test tree", "publicationDate": "2025-11-04T01:26:50Z",
        "offers": {offer: {"offerCode": offer, "versionIndexUrl": f"{_AWS}/{offer}/index.json",
                           "currentVersionUrl": f"{_AWS}/{offer}/current/index.json",
                           "currentRegionIndexUrl": region_index_path(offer)} for offer in entries}})}
    for offer, offer_entries in entries.items():
        files[region_index_path(offer)] = _json({
            "formatVersion": "v1.0", "disclaimer": "test tree", "publicationDate": "2025-11-04T01:26:50Z",
            "regions": {REGION: {"regionCode": REGION, "currentVersionUrl": region_file_path(offer)}}})
        files[region_file_path(offer)] = _json(offer_file(offer, offer_entries))
    return files


def offer_file(offer: str, entries: list[dict[str, Any]]) -> dict[str, Any]:
    """A region offer file as AWS writes it: header, then ``products``, then ``terms``."""
    published = max((e["publicationDate"] for e in entries), default="2025-11-04T01:26:50Z")
    terms: dict[str, dict[str, Any]] = {}
    for entry in entries:
        for term_type, offers in entry["terms"].items():
            terms.setdefault(term_type, {})[entry["product"]["sku"]] = offers
    return {"formatVersion": "v1.0", "disclaimer": "test tree", "offerCode": offer,
            "version": published.replace("-", "").replace(":", "").replace("T", "").rstrip("Z"),
            "publicationDate": published, "products": {e["product"]["sku"]: e["product"] for e in entries},
            "terms": terms}


def _json(doc: dict[str, Any]) -> bytes:
    return json.dumps(doc, indent=1).encode()


class OfferServer(LoopbackServer):
    """Serves ``files``; ``faults[path]`` is a list of faults, one used per request."""

    def __init__(self, files: dict[str, bytes]) -> None:
        super().__init__(_Handler)
        self.files = files
        self.faults: dict[str, list[str]] = {}


class _Handler(BaseHTTPRequestHandler):
    server: OfferServer

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        pending = self.server.faults.get(self.path) or []
        fault = pending.pop(0) if pending else None
        body = self.server.files.get(self.path)
        if body is None or fault == "404":
            self.send_error(404, "Not Found")
        elif fault == "503":
            self.send_error(503, "Slow Down")
        elif fault == "html":
            self._answer(b"<html><body>Please log in to the guest Wi-Fi</body></html>", "text/html; charset=utf-8")
        elif fault == "truncate":
            self._answer(body[: len(body) // 2], "application/json", length=len(body))
        elif fault == "stall":
            self._answer(body[: len(body) // 2], "application/json", length=len(body))
            self.server.release.wait(30)
        elif fault == "drip":  # a byte at a time, never long enough silent for a read timeout
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            for byte in body:
                if self.server.release.wait(0.05):
                    break
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
        elif fault is not None and fault.startswith("redirect:"):
            self.send_response(302)
            self.send_header("Location", fault.removeprefix("redirect:"))
            self.end_headers()
        else:
            self._answer(body, "application/json")

    def _answer(self, body: bytes, content_type: str, *, length: int | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body) if length is None else length))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests assert on ``server.requests`` instead."""


@contextmanager
def serve_offers(files: dict[str, bytes]) -> Iterator[OfferServer]:
    """A running :class:`OfferServer` in a daemon thread, shut down on exit."""
    with running(OfferServer(files)) as server:
        yield server


def copy_snapshot_into_cache(cache_dir: Path) -> dict[str, str]:
    """Make the bundled snapshot the cache; returns its file digests to compare later."""
    shutil.copytree(SNAPSHOT_DIR, cache_store_dir(cache_dir))
    return store_digests(cache_dir)


def store_digests(cache_dir: Path) -> dict[str, str]:
    """SHA-256 of every file under the cache directory (temporary leftovers included)."""
    return {p.relative_to(cache_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(cache_dir.rglob("*")) if p.is_file()}


# --- fixtures -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tree() -> dict[str, bytes]:
    return offers_tree(entries_by_offer())


@pytest.fixture
def server(tree: dict[str, bytes]) -> Iterator[OfferServer]:
    with serve_offers(dict(tree)) as running:
        yield running


@pytest.fixture
def staging(tmp_path: Path) -> Path:
    path = tmp_path / "staging"
    path.mkdir()
    return path


def _fetcher(server: OfferServer, staging: Path, sleep: SleepRecorder, **kwargs: Any) -> BulkApiFetcher:
    options = {"timeout": 5.0, "max_attempts": 3} | kwargs
    return BulkApiFetcher(server.url, sleep=sleep, temp_dir=staging, **options)


# --- the walk ---------------------------------------------------------------------------------
def test_every_wanted_offer_is_fetched_through_the_indexes(server, staging):
    fetch = _fetcher(server, staging, SleepRecorder())
    rows = {offer: fetch(offer, REGION) for offer in WANTED_OFFERS}
    assert {offer: len(r) for offer, r in rows.items()} == {
        "AmazonECS": 8, "AmazonEKS": 4, "AmazonEC2": 118, "AWSELB": 4, "AmazonVPC": 1, "AmazonCloudWatch": 2,
        "AWSDataTransfer": 0}
    m5 = next(r for r in rows["AmazonEC2"] if r.instance_type == "m5.large" and r.term == "OnDemand")
    assert m5.price_usd == 0.096
    assert m5.source == server.url + region_file_path("AmazonEC2")
    assert m5.publication_date == "2025-10-28T17:54:55Z"  # the offer file's header, as in bulk imports
    assert server.requests.count(OFFERS_INDEX_PATH) == 1  # read once, reused for every offer
    assert fetch.source == f"bulk-api {server.url}"
    assert list(staging.iterdir()) == []


def test_a_region_the_offer_is_not_sold_in_gives_no_rows(server, staging):
    assert _fetcher(server, staging, SleepRecorder())("AmazonECS", "eu-north-1") == []


def test_an_index_without_a_wanted_offer_is_a_fetch_error(server, staging):
    index = json.loads(server.files[OFFERS_INDEX_PATH])
    del index["offers"]["AmazonEKS"]
    server.files[OFFERS_INDEX_PATH] = _json(index)
    with pytest.raises(FetchError, match=rf"^{server.url}{OFFERS_INDEX_PATH} lists no AmazonEKS offer"):
        _fetcher(server, staging, SleepRecorder())("AmazonEKS", REGION)


def test_a_base_url_with_a_trailing_slash_is_the_same_root(server, staging):
    fetch = BulkApiFetcher(server.url + "/", temp_dir=staging)
    assert [r.price_key for r in fetch("AmazonVPC", REGION)] == ["vpc.public_ipv4_hour"]


def test_server_errors_are_retried_with_backoff(server, staging):
    server.faults[region_file_path("AmazonECS")] = ["503", "503"]
    sleep = SleepRecorder()
    assert len(_fetcher(server, staging, sleep)("AmazonECS", REGION)) == 8
    assert sleep.delays == [1.0, 2.0]


def test_a_body_that_parses_badly_names_the_url(server, staging):
    path = region_file_path("AmazonECS")
    server.files[path] = server.files[path][:-40]  # served whole, but the JSON itself is cut
    with pytest.raises(OfferFormatError, match=rf"^{server.url}{path}: .*truncated download\?"):
        _fetcher(server, staging, SleepRecorder())("AmazonECS", REGION)
    assert list(staging.iterdir()) == []


def test_a_refused_connection_is_retried_then_reported(staging):
    url = closed_port_url()
    sleep = SleepRecorder()
    with pytest.raises(FetchError, match=rf"^{url}{OFFERS_INDEX_PATH}: cannot connect \(.*refused.*\) "
                                         r"\(gave up after 3 attempts\)$"):
        BulkApiFetcher(url, max_attempts=3, sleep=sleep, temp_dir=staging)("AmazonECS", REGION)
    assert sleep.delays == [1.0, 2.0]


# --- faults: a FetchError naming the URL, and the cache untouched ----------------------------------
FAULTS = [
    pytest.param(region_index_path("AmazonECS"), ["404"],
                 r"{url}: HTTP 404 Not Found \(no such Price List file\)$", [], id="404"),
    pytest.param(region_file_path("AmazonEC2"), ["truncate"] * 2,
                 r"{url}: truncated download: received \d+ of \d+ bytes \(Content-Length\) "
                 r"\(gave up after 2 attempts\)$", [1.0], id="truncated"),
    pytest.param(OFFERS_INDEX_PATH, ["html"],
                 r"{url}: Content-Type text/html, expected application/json or application/octet-stream or "
                 r"binary/octet-stream \(is the URL a Price List Bulk API root, or is a proxy answering\?\)$",
                 [], id="html"),
    pytest.param(region_file_path("AmazonECS"), ["stall"] * 2,
                 r"{url}: no data for 0.5 s \(timed out\) \(gave up after 2 attempts\)$", [1.0], id="stall"),
]


@pytest.mark.parametrize(("path", "faults", "message", "delays"), FAULTS)
def test_a_fault_is_a_fetch_error_naming_the_url(server, staging, path, faults, message, delays):
    server.faults[path] = list(faults)
    sleep = SleepRecorder()
    fetch = _fetcher(server, staging, sleep, timeout=0.5, max_attempts=2)
    with pytest.raises(FetchError, match="^" + message.format(url=server.url + path)):
        for offer in WANTED_OFFERS:
            fetch(offer, REGION)
    assert sleep.delays == delays
    assert list(staging.iterdir()) == []


@pytest.mark.parametrize(("path", "faults", "message", "delays"), FAULTS)
def test_a_fault_leaves_the_cache_untouched(server, staging, tmp_path, path, faults, message, delays):
    cache_dir = tmp_path / "cache"
    before = copy_snapshot_into_cache(cache_dir)
    server.faults[path] = list(faults)
    fetch = _fetcher(server, staging, SleepRecorder(), timeout=0.5, max_attempts=2)
    result = refresh_prices(source=fetch.source, regions=[REGION], cache_dir=cache_dir, fetch_rows=fetch, now=NOW)
    assert not result.ok
    assert re.fullmatch(message.format(url=server.url + path), result.reason)
    assert result.origin == f"cache ({cache_store_dir(cache_dir)})"
    assert store_digests(cache_dir) == before
    assert list(staging.iterdir()) == []
