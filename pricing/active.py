"""Which prices are in force: the per-user cache when it is good, else the snapshot.

The snapshot shipped in ``pricing/data/snapshot`` is the floor: loading never fails
because the network or the cache is bad.  A cache that is corrupted, unreadable or of the
wrong shape is skipped with a one-line warning ("using the bundled snapshot because ...")
that every pricing command and the app show.  Paths are passed in; nothing here reads
the environment.
"""

from __future__ import annotations

from pathlib import Path

from pricing.cache_store import active_store_dir, tidy
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
    """The cache's PriceBook when it exists and verifies, otherwise the snapshot's.

    Leftovers of an interrupted write are cleaned up first when no one is writing.
    """
    warnings: list[str] = []
    if cache_dir is not None:
        root = cache_store_dir(cache_dir)
        try:
            tidy(root)
            store = active_store_dir(root)
            if store is not None:
                tables, meta = read_store(store)
                return PriceBook(tables, meta, origin=f"cache ({root})")
        except (StoreCorrupted, OSError) as exc:
            reason = " ".join(str(exc).split())
            warnings.append(f"using the bundled snapshot because the price cache is corrupted or unreadable "
                            f"({reason}); run 'advisor prices refresh' to rebuild it")
    tables, meta = read_store(snapshot_dir)
    return PriceBook(tables, meta, origin="bundled snapshot", warnings=tuple(warnings))
