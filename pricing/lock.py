"""One writer at a time for the price cache: an advisory lock file held around read-merge-write.

Two refreshes started together (two terminals, the app and a terminal) each fetch on
their own, which takes minutes; only the short read-merge-write at the end is serialized,
so the second waits a few seconds, re-reads what the first wrote and merges over it: both
Regions are kept.  A writer that cannot get the lock within the timeout refuses with a
message naming the process holding it.  The lock is released by the operating system when
its holder dies, so a killed refresh never leaves the cache locked.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from pricing.errors import PricingError

LOCK_FILE = ".lock"
#: How long a writer waits for another to finish (a read-merge-write takes seconds).
DEFAULT_LOCK_TIMEOUT_SECONDS = 300.0

try:  # POSIX
    import fcntl

    def _try_lock(handle: IO[str]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
except ImportError:  # Windows
    import msvcrt

    def _try_lock(handle: IO[str]) -> bool:
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)


class StoreLocked(PricingError):
    """Another process kept the price cache locked for longer than the timeout."""


def _holder(path: Path) -> str:
    try:
        pid = path.read_text().strip()
    except OSError:
        return "another process"
    return f"process {pid}" if pid.isdigit() else "another process"


@contextmanager
def store_lock(root: Path, *, timeout: float = DEFAULT_LOCK_TIMEOUT_SECONDS, poll: float = 0.1,
               waiting: Callable[[str], None] = lambda _line: None) -> Iterator[None]:
    """Hold the cache's lock (creating ``root``); wait up to ``timeout`` seconds for it.

    Raises
    ------
    StoreLocked
        When another process still holds it after ``timeout``.
    """
    root.mkdir(parents=True, exist_ok=True)
    path = root / LOCK_FILE
    with path.open("a+") as handle:
        deadline = time.monotonic() + timeout
        told = False
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                raise StoreLocked(f"{root}: the price cache is being written by {_holder(path)} for more than "
                                  f"{timeout:g} s; try again when it has finished")
            if not told:
                waiting(f"waiting for {_holder(path)} to finish writing the price cache")
                told = True
            time.sleep(poll)
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            yield
        finally:
            _unlock(handle)


@contextmanager
def try_store_lock(root: Path) -> Iterator[bool]:
    """The lock if it is free right now (True), else False at once; for housekeeping that can wait.

    Only a cache some writer has locked before has a lock file, and only such a cache can
    hold a writer's leftovers: without one this creates nothing and says False.
    """
    try:
        handle = (root / LOCK_FILE).open("r+")
    except OSError:  # no lock file (nothing written yet), or a read-only cache
        yield False
        return
    with handle:
        locked = _try_lock(handle)
        try:
            yield locked
        finally:
            if locked:
                _unlock(handle)
