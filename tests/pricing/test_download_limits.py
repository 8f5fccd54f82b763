"""Downloads have an overall deadline and a size cap, and follow redirects only to AWS price hosts (issue 12).

Each test reproduces a fault the per-read timeout alone lets through: a server that drips a
byte every 50 ms (never silent long enough for the read timeout, so the download never
ends), a file larger than any Price List file, and a redirect to another host or to plain
http.  Each must end as a FetchError naming the URL and the limit, leave no staged file,
and (through a refresh) leave the cache as it was.
"""

from __future__ import annotations

import threading

import pytest

from pricing.bulk_http import OFFERS_INDEX_PATH, BulkApiFetcher, download
from pricing.errors import FetchError
from pricing.refresh_defaults import DEFAULT_DEADLINE_SECONDS, DEFAULT_MAX_DOWNLOAD_BYTES
from tests.pricing.test_bulk_http import region_file_path, serve_offers, tree  # noqa: F401 (fixture)
from tests.pricing.test_query_api import REGION, SleepRecorder


def test_the_limits_are_stated_and_generous():
    assert DEFAULT_MAX_DOWNLOAD_BYTES == 4 << 30  # the largest region file (us-east-1 AmazonEC2) is about 450 MB
    assert DEFAULT_DEADLINE_SECONDS == 1800


def test_a_dripping_server_hits_the_overall_deadline(tree, tmp_path):  # noqa: F811
    with serve_offers(dict(tree)) as server:
        server.faults[OFFERS_INDEX_PATH] = ["drip"] * 5
        outcome: list[BaseException | int] = []

        def run() -> None:
            try:
                outcome.append(download(server.url + OFFERS_INDEX_PATH, tmp_path / "f", timeout=1.0,
                                        max_attempts=1, deadline=1.0))
            except BaseException as exc:
                outcome.append(exc)

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        worker.join(10)
        assert not worker.is_alive(), "the download did not end: no overall deadline"
    (error,) = outcome
    assert isinstance(error, FetchError)
    assert str(error).startswith(f"{server.url}{OFFERS_INDEX_PATH}: not complete within the 1 s deadline")


def test_a_file_over_the_size_cap_is_refused(tree, tmp_path):  # noqa: F811
    with serve_offers(dict(tree)) as server:
        url = server.url + region_file_path("AmazonEC2")
        with pytest.raises(FetchError, match=r"is over the 1,000-byte size cap \(Content-Length \d+\)"):
            download(url, tmp_path / "f", max_attempts=1, max_bytes=1000)
        server.faults[region_file_path("AmazonEC2")] = ["drip"]  # no Content-Length: stopped while copying
        with pytest.raises(FetchError, match=r"more than the 1,000-byte size cap"):
            download(url, tmp_path / "f", max_attempts=1, max_bytes=1000, deadline=60)


@pytest.mark.parametrize("target", ["http://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/index.json",
                                    "https://example.com/offers/v1.0/aws/index.json",
                                    "https://pricing.us-east-1.amazonaws.com.evil.example/index.json"])
def test_redirects_leave_the_aws_price_hosts_only_over_https(tree, tmp_path, target):  # noqa: F811
    with serve_offers(dict(tree)) as server:
        server.faults[OFFERS_INDEX_PATH] = [f"redirect:{target}"]
        with pytest.raises(FetchError, match=r"redirected to .*; only https redirects to the AWS price hosts"):
            download(server.url + OFFERS_INDEX_PATH, tmp_path / "f", max_attempts=1)
        assert server.requests == [OFFERS_INDEX_PATH]


def test_a_refused_download_leaves_no_staged_file(tree, tmp_path):  # noqa: F811
    staging = tmp_path / "staging"
    staging.mkdir()
    with serve_offers(dict(tree)) as server:
        fetch = BulkApiFetcher(server.url, sleep=SleepRecorder(), temp_dir=staging, max_attempts=1,
                               max_bytes=1000)
        with pytest.raises(FetchError, match="size cap"):
            fetch("AmazonEC2", REGION)
    assert list(staging.iterdir()) == []
