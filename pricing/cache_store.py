"""The per-user price cache: versioned stores behind one pointer, so a kill at any step is harmless.

Layout of the cache's ``prices`` directory::

    CURRENT              the name of the active store directory (one line)
    store-<time>-<id>/   complete, verified stores (see pricing.store)
    .staging-<id>/       a store being written
    .lock                held by the one writer (pricing.lock)

A new store is written and verified under ``.staging-*``, renamed to ``store-*`` (still
unused), and only then made active by replacing ``CURRENT`` with ``os.replace``, which is
atomic: a reader sees the old store or the new one, whatever instant a kill (power cut,
OOM killer, ``kill -9``) strikes.  What a kill leaves behind (a staging directory, a store
nothing points to, a half-written pointer, the ``.prices.*`` directories of the former
two-rename scheme) is removed by the next run that gets the lock.  A cache written by
that former scheme (a plain store in ``prices/``) is still read, and replaced by the next
write.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from datetime import UTC, datetime
from pathlib import Path

from pricing.errors import StoreCorrupted
from pricing.lock import LOCK_FILE, try_store_lock
from pricing.store import METADATA_FILE, PriceTables, StoreMetadata, staged_store

POINTER = "CURRENT"
_POINTER_TMP = ".CURRENT.tmp"
STAGING_PREFIX = ".staging-"
_STORE_NAME = re.compile(r"^store-[0-9TZ]+-[0-9a-f]+$")
#: The former scheme's leftovers beside ``prices/`` (its staging and ``.prices.old`` directories).
_LEGACY_SIBLING = re.compile(r"^\.prices\..+$")


def active_store_dir(root: Path) -> Path | None:
    """The store in force under ``root`` (the cache's ``prices`` directory), or None without a cache.

    Raises
    ------
    StoreCorrupted
        ``CURRENT`` is unreadable or names no store (the caller falls back to the snapshot).
    """
    pointer = root / POINTER
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return root if (root / METADATA_FILE).exists() else None  # a cache of the former layout
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreCorrupted(f"{pointer}: unreadable ({exc})") from None
    if not _STORE_NAME.match(name) or not (root / name).is_dir():
        raise StoreCorrupted(f"{pointer}: names {name[:80]!r}, which is not a store in {root}")
    return root / name


def version_stamp(root: Path) -> str:
    """Changes whenever the active store changes (the app's cache key)."""
    for path in (root / POINTER, root / METADATA_FILE):
        try:
            return f"{path.name}:{path.stat().st_mtime_ns}:{path.read_text(encoding='utf-8')[:200]}"
        except (OSError, UnicodeDecodeError):
            continue
    return ""


def commit_store(root: Path, tables: PriceTables, metadata: StoreMetadata) -> StoreMetadata:
    """Write a new store and make it the active one; the caller holds :func:`pricing.lock.store_lock`.

    Returns the metadata with checksums.  On any failure before the pointer switch the
    previous store stays active and the new files are removed.
    """
    staging, final = staged_store(root, STAGING_PREFIX, tables, metadata)
    try:
        version = root / f"store-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}-{secrets.token_hex(4)}"
        staging.rename(version)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _point_to(root, version.name)
    remove_leftovers(root)
    return final


def _point_to(root: Path, name: str) -> None:
    """Replace ``CURRENT`` atomically (write, flush to disk, rename over, flush the directory)."""
    tmp = root / _POINTER_TMP
    with tmp.open("w", encoding="utf-8") as out:
        out.write(name + "\n")
        out.flush()
        os.fsync(out.fileno())
    tmp.replace(root / POINTER)
    _sync_dir(root)


def _sync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # directories cannot be opened on some systems; the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_leftovers(root: Path) -> list[str]:
    """Delete what no reader uses (the caller holds the lock); returns the names removed.

    Staging directories, stores ``CURRENT`` does not name, a half-written pointer, the
    former layout's files once ``CURRENT`` exists, and the former scheme's ``.prices.*``
    directories beside ``root``.
    """
    active = (root / POINTER).read_text(encoding="utf-8").strip() if (root / POINTER).is_file() else None
    removed = []
    for path in root.iterdir():
        name = path.name
        stale = (name.startswith(STAGING_PREFIX) or name == _POINTER_TMP
                 or (_STORE_NAME.match(name) and name != active)
                 or (active is not None and path.is_file() and name not in (POINTER, LOCK_FILE)))
        if stale:
            _remove(path)
            removed.append(name)
    for path in root.parent.iterdir():
        if _LEGACY_SIBLING.match(path.name) and path.is_dir():
            _remove(path)
            removed.append(path.name)
    return removed


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def tidy(root: Path) -> None:
    """Housekeeping before a read: recover a kill of the former scheme, drop leftovers if nobody is writing.

    The former two-rename scheme, killed between its renames, left no ``prices/`` but a
    complete ``.prices.old``: that store is put back, so the previous prices stay in force.
    """
    old = root.parent / f".{root.name}.old"
    if not root.exists() and (old / METADATA_FILE).is_file():
        try:
            old.rename(root)
        except OSError:
            return
    with try_store_lock(root) as locked:
        if locked:
            remove_leftovers(root)
