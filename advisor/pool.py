"""Both cores for independent work: evaluate many scenarios in worker processes, in order.

Why this exists
---------------
An analysis prices hundreds of variants, each independent of the others, and a user's
machine has at least two cores. A process pool (threads would share one interpreter lock)
splits the variants into contiguous chunks, so that neighbouring variants, which share
placements, meet the same worker's memo. Workers are forked from the caller, so they start
with its price book and its memo (nothing large is pickled); only the variants' indices go
out and plain ``{platform: USD}`` results come back. Every variant is a pure function of its
inputs, so the results are the same numbers, in the same order, as a serial run.

It degrades to a plain loop on one core, where the platform cannot fork (Windows, and macOS
by default), for a handful of variants, and whenever a worker fails: the loop then runs in
the caller and raises the library's own error, with its message, as it would have.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Chunks per worker: enough to even out chunks of unequal cost, few enough to keep each
#: worker's memo on neighbouring variants.
CHUNKS_PER_WORKER = 4

#: Fewer variants than this are evaluated in the caller.  Forking the workers costs about 35 ms
#: (measured with the price book and a placement memo loaded), less than one new placement, so
#: two variants are already worth both cores (a sweep's crossing searches ask a few at a time).
MIN_PARALLEL_ITEMS = 2

_JOB: tuple[Callable[[object], object], Sequence[object]] | None = None


def available_cores() -> int:
    """CPUs this process may run on (its affinity mask where the platform has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:   # not on Linux
        return os.cpu_count() or 1


def parallel_map(function: Callable[[T], R], items: Sequence[T], workers: int, *,
                 chunks_per_worker: int = CHUNKS_PER_WORKER) -> list[R]:
    """``[function(x) for x in items]``, on up to ``workers`` forked processes when that can help.

    ``chunks_per_worker``: how finely the items are split (contiguous chunks, handed to whichever
    worker is free). The default keeps neighbouring variants together; items that share nothing
    and each take long (distinct placements) are best handed out one at a time, largest first.

    The process machinery is imported here, when it is used: an estimate imports this module,
    and loading multiprocessing costs a one-service ``advisor estimate`` 50 ms of its start-up.
    """
    if workers <= 1 or len(items) < MIN_PARALLEL_ITEMS:
        return [function(x) for x in items]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if "fork" not in multiprocessing.get_all_start_methods():
        return [function(x) for x in items]
    global _JOB
    _JOB = (function, items)   # type: ignore[assignment]  # the forked workers inherit it
    try:
        size = -(-len(items) // (workers * chunks_per_worker))
        chunks = [range(start, min(start + size, len(items))) for start in range(0, len(items), size)]
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            parts = list(pool.map(_run_chunk, chunks))
    except Exception:   # a worker failed: the caller's own loop says why, with the library's error
        return [function(x) for x in items]
    finally:
        _JOB = None
    return [result for part in parts for result in part]   # type: ignore[misc]


def _run_chunk(chunk: range) -> list[object]:
    assert _JOB is not None, "parallel_map's job is set before its workers are forked"
    function, items = _JOB
    return [function(items[i]) for i in chunk]
