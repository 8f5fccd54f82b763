"""Refresh at scale: Regions in parallel worker processes within a memory budget, with progress;
Ctrl-C ends a refresh with one line and leaves no partial file (issues 14 and 12).

The Bulk API is a loopback mirror of the fixture offers folder (us-east-1, eu-west-1).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from pricing.active import cache_store_dir, load_pricebook
from pricing.bulk_http import BulkApiFetcher
from pricing.fetch_pool import PARENT_MEMORY_MIB, WORKER_MEMORY_MIB, worker_count
from pricing.refresh import refresh_prices
from tests.pricing.offer_mirror import serve_folder

REPO = Path(__file__).resolve().parents[2]
OFFERS = REPO / "tests" / "fixtures" / "offers"
REGIONS = ("us-east-1", "eu-west-1")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_the_memory_budget_sets_the_workers():
    assert worker_count(34, PARENT_MEMORY_MIB + 3 * WORKER_MEMORY_MIB, cpus=8) == 3
    assert worker_count(34, PARENT_MEMORY_MIB + 3 * WORKER_MEMORY_MIB, cpus=2) == 2  # one per CPU
    assert worker_count(1, 10_000, cpus=8) == 1  # one per Region
    assert worker_count(34, 100, cpus=8) == 1  # always at least one


def _refresh(cache: Path, url: str, staging: Path, workers: int) -> tuple[pd.DataFrame, list[str]]:
    lines: list[str] = []
    result = refresh_prices(source=f"bulk-api {url}", regions=REGIONS, cache_dir=cache,
                            fetch_rows=BulkApiFetcher(url, temp_dir=staging), now=NOW, min_instance_types=6,
                            progress=lines.append, workers=workers)
    assert result.ok, result.reason
    table = load_pricebook(cache).table()
    return table.sort_values(list(table.columns)).reset_index(drop=True), lines


def test_regions_in_parallel_give_the_same_prices_as_one_at_a_time(tmp_path):
    staging = tmp_path / "staging"
    staging.mkdir()
    with serve_folder(OFFERS) as mirror:
        one, _ = _refresh(tmp_path / "one", mirror.url, staging, workers=1)
        two, lines = _refresh(tmp_path / "two", mirror.url, staging, workers=2)
    pd.testing.assert_frame_equal(one, two)
    done = [line for line in lines if line.startswith("[")]
    assert len(done) == 2 and done[-1].startswith("[2/2 regions] ")
    assert all(" MB downloaded · " in line and " spent · about " in line and line.endswith(" left") for line in done)
    assert list(staging.iterdir()) == []


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_ends_a_refresh_with_one_line_and_no_partial_file(tmp_path, workers):
    temp = tmp_path / "tmp"
    temp.mkdir()
    cache = tmp_path / "cache"
    with serve_folder(OFFERS, stall="/AmazonEC2/") as mirror:
        args = [sys.executable, "-m", "advisor_cli.main", "--cache-dir", str(cache), "prices", "refresh",
                "--source", "bulk", "--region", "us-east-1", "--endpoint-url", mirror.url]
        if workers != "1":
            args += ["--region", "eu-west-1", "--workers", workers]
        child = subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                 env={**os.environ, "TMPDIR": str(temp)}, start_new_session=True)
        try:
            assert mirror.stalled.wait(120), "the refresh never reached the EC2 offer file"
            assert any(p.name.startswith("advisor-") for p in temp.rglob("*"))  # a download is staged
            os.killpg(child.pid, signal.SIGINT)  # what Ctrl-C in a terminal does: the whole process group
            out, err = child.communicate(timeout=120)
        finally:
            if child.poll() is None:
                child.kill()
    assert child.returncode == 130, err
    assert "Traceback" not in err and out == ""
    assert err.splitlines()[-1] == "refresh interrupted: no price changed, no partial file left"
    assert list(temp.iterdir()) == []
    assert not cache_store_dir(cache).exists()
