"""The price cache survives concurrent refreshes, kills and odd files (issue 12).

* Two refreshes at once (two processes, each fetching another Region, both fetching at the
  same time) both succeed and both Regions are kept: the read-merge-write is locked.
* A process killed at any file-system step of a refresh leaves the previous or the new
  prices, never none or a mix; the next run cleans what the kill left behind.
* A ``metadata.json`` that is valid JSON of the wrong shape falls back to the snapshot with a
  warning, instead of a traceback later.

The children run ``refresh_prices`` with the in-memory fetcher of ``test_refresh.py`` on a
small snapshot built from the fixture offers (so each child takes a second or two).
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import pricing.importer as importer
from pricing.active import cache_store_dir, load_pricebook
from pricing.cache_store import POINTER, active_store_dir
from pricing.importer import import_snapshot_inputs
from pricing.lock import LOCK_FILE
from pricing.schema import validate_price_table
from pricing.store import write_store

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
FIRST, SECOND = "2026-11-25T12:00:00Z", "2026-11-26T12:00:00Z"

CHILD = textwrap.dedent("""
    import os, signal, shutil, sys, time
    from datetime import datetime
    from pathlib import Path
    from pricing.refresh import refresh_prices
    from tests.pricing.test_query_api import entries_by_offer
    from tests.pricing.test_refresh import fetch_from, set_m5_price

    cache, snapshot, region, now, kill_at, barrier = sys.argv[1:7]
    kill_at = int(kill_at)
    if kill_at:  # die at the kill_at-th file-system change, as a power cut or OOM kill would
        count = [0]
        def lethal(function):
            def wrapped(*args, **kwargs):
                count[0] += 1
                if count[0] == kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)
                return function(*args, **kwargs)
            return wrapped
        for name in ("replace", "rename", "unlink", "rmdir", "mkdir"):
            setattr(os, name, lethal(getattr(os, name)))
    entries = entries_by_offer()
    set_m5_price(entries, "0.0990000000" if now.startswith("2026-11-26") else "0.0960000000")
    plain = fetch_from(entries)

    def fetch(offer, region_asked):
        if barrier != "-":  # every process is fetching before any goes on: they overlap for sure
            Path(barrier, region_asked).touch()
            deadline = time.monotonic() + 60
            while len(list(Path(barrier).iterdir())) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
        import dataclasses
        return [dataclasses.replace(r, region=region_asked) for r in plain(offer, "us-east-1")]

    result = refresh_prices(source="query-api", regions=[region], cache_dir=Path(cache), fetch_rows=fetch,
                            now=datetime.fromisoformat(now.replace("Z", "+00:00")), snapshot_dir=Path(snapshot),
                            min_instance_types=5)
    print(result.ok, result.reason)
    sys.exit(0 if result.ok else 1)
""")


@pytest.fixture(scope="module")
def small_snapshot(tmp_path_factory) -> Path:
    """A store of the fixture offers (us-east-1, eu-west-1; six instance types each)."""
    target = tmp_path_factory.mktemp("snapshot") / "snapshot"
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(importer, "validate_price_table", functools.partial(validate_price_table, min_instance_types=6))
        write_store(target, *import_snapshot_inputs(FIXTURES / "offers", ("us-east-1", "eu-west-1")))
    return target


def child(cache: Path, snapshot: Path, region: str, now: str, *, kill_at: int = 0,
          barrier: Path | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(cache), str(snapshot), region, now, str(kill_at),
                             str(barrier) if barrier else "-"], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})


def finish(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=300)
    return process.returncode, out + err


def test_two_refreshes_at_once_keep_both_regions(tmp_path, small_snapshot):
    cache, barrier = tmp_path / "cache", tmp_path / "barrier"
    barrier.mkdir()
    first = child(cache, small_snapshot, "us-east-1", FIRST, barrier=barrier)
    second = child(cache, small_snapshot, "eu-west-1", SECOND, barrier=barrier)
    assert finish(first)[0] == 0 and finish(second)[0] == 0
    regions = load_pricebook(cache, snapshot_dir=small_snapshot).metadata.regions
    assert regions["us-east-1"]["source"] == "query-api"
    assert regions["eu-west-1"]["source"] == "query-api", "the second write lost the first refresh's region"


def _leftovers(cache: Path) -> list[str]:
    """Every file in the cache directory but the active store, its pointer and the lock."""
    root = cache_store_dir(cache)
    active = active_store_dir(root)
    return [p.relative_to(cache).as_posix() for p in sorted(cache.rglob("*"))
            if p.is_file() and p.parent != active and p.name not in (POINTER, LOCK_FILE)]


def test_a_kill_at_any_step_leaves_the_old_or_the_new_prices_and_is_cleaned_up(tmp_path, small_snapshot):
    baseline = tmp_path / "baseline"
    assert finish(child(baseline, small_snapshot, "us-east-1", FIRST))[0] == 0
    seen = set()
    for kill_at in range(1, 40):
        cache = tmp_path / f"kill-{kill_at}"
        subprocess.run(["cp", "-a", str(baseline), str(cache)], check=True)
        code, _ = finish(child(cache, small_snapshot, "us-east-1", SECOND, kill_at=kill_at))
        book = load_pricebook(cache, snapshot_dir=small_snapshot)
        assert book.origin.startswith("cache ("), (kill_at, book.origin, book.warnings)
        created = book.metadata.created_at
        assert created in (FIRST, SECOND), kill_at
        m5 = book.price("ec2.instance_hour", "us-east-1", instance_type="m5.large").usd_per_unit
        assert m5 == (0.099 if created == SECOND else 0.096), (kill_at, created, m5)  # never a mix
        seen.add(created)
        load_pricebook(cache, snapshot_dir=small_snapshot)  # the next run cleans up what the kill left
        assert _leftovers(cache) == [], (kill_at, _leftovers(cache))
        if code == 0:  # the refresh finished before the kill_at-th step: every step has been tried
            break
    else:
        pytest.fail("the refresh never finished")
    assert seen == {FIRST, SECOND}


@pytest.mark.parametrize("regions", [[], {"us-east-1": []}, {"us-east-1": {"offers": ["x"]}}, "x",
                                     {"us-east-1": {"source": 5, "offers": {}}}])
def test_wrong_shaped_metadata_falls_back_to_the_snapshot_with_a_warning(tmp_path, small_snapshot, regions):
    cache = tmp_path / "cache"
    assert finish(child(cache, small_snapshot, "us-east-1", FIRST))[0] == 0
    store = active_store_dir(cache_store_dir(cache))
    meta = json.loads((store / "metadata.json").read_text())
    meta["regions"] = regions
    (store / "metadata.json").write_text(json.dumps(meta))
    book = load_pricebook(cache, snapshot_dir=small_snapshot)
    assert book.origin == "bundled snapshot"
    (warning,) = book.warnings
    assert warning.startswith("using the bundled snapshot because the price cache ")
    assert "metadata.json" in warning and "\n" not in warning
    assert cache_store_dir(cache).exists()  # the bad cache is left for the user (or a refresh) to replace


def test_a_cache_of_the_former_layout_is_read_then_replaced(tmp_path, small_snapshot):
    cache = tmp_path / "cache"
    from pricing.store import read_store

    write_store(cache_store_dir(cache), *read_store(small_snapshot))  # a plain store in prices/, as before
    assert load_pricebook(cache, snapshot_dir=small_snapshot).origin == f"cache ({cache_store_dir(cache)})"
    assert finish(child(cache, small_snapshot, "us-east-1", SECOND))[0] == 0
    root = cache_store_dir(cache)
    assert sorted(p.name for p in root.iterdir() if not p.name.startswith("store-")) == [".lock", POINTER]
    assert load_pricebook(cache, snapshot_dir=small_snapshot).metadata.created_at == SECOND


def test_a_kill_between_the_former_schemes_renames_keeps_the_previous_prices(tmp_path, small_snapshot):
    """The former writer renamed prices/ to .prices.old, then the new store to prices/: killed in between."""
    cache = tmp_path / "cache"
    from pricing.store import read_store

    write_store(cache / ".prices.old", *read_store(small_snapshot))
    book = load_pricebook(cache, snapshot_dir=small_snapshot)
    assert book.origin == f"cache ({cache_store_dir(cache)})" and not book.warnings
    assert not (cache / ".prices.old").exists()
