"""Which prices are in force: the per-user cache when it is good, else the snapshot.

The snapshot shipped in ``pricing/data/snapshot`` is the floor: loading never fails
because the network or the cache is bad.  A corrupted cache is reported as a warning
and skipped.  Paths are passed in; nothing here reads the environment.
"""

from __future__ import annotations

from pathlib import Path

from pricing.errors import StoreCorrupted
from pricing.pricebook import PriceBook
from pricing.store import read_store

SNAPSHOT_DIR = Path(__file__).resolve().parent / "data" / "snapshot"
CACHE_STORE_NAME = "prices"
APP_NAME = "ecs-eks-advisor"


def cache_store_dir(cache_dir: Path) -> Path:
    """The store directory inside a cache directory."""
    return Path(cache_dir) / CACHE_STORE_NAME


def load_pricebook(cache_dir: Path | None = None, *, snapshot_dir: Path = SNAPSHOT_DIR) -> PriceBook:
    """The cache's PriceBook when it exists and verifies, otherwise the snapshot's."""
    warnings: list[str] = []
    if cache_dir is not None and cache_store_dir(cache_dir).exists():
        try:
            tables, meta = read_store(cache_store_dir(cache_dir))
            return PriceBook(tables, meta, origin=f"cache ({cache_store_dir(cache_dir)})")
        except StoreCorrupted as exc:
            warnings.append(f"the price cache is corrupted and was ignored ({exc}); "
                            "using the bundled snapshot. Run 'advisor prices refresh' to rebuild it.")
    tables, meta = read_store(snapshot_dir)
    return PriceBook(tables, meta, origin="bundled snapshot", warnings=tuple(warnings))
