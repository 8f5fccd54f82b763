"""The ``advisor`` program's allocator settings: freed memory is reused, not handed back and faulted in again.

Why this exists
---------------
glibc's malloc serves each block above its mmap threshold (128 KiB, rising to at most
32 MiB as such blocks are freed) with fresh pages from the kernel and unmaps them when the
block is freed, so the next array of that size faults every page in again, zero-filled by
the kernel. Placement makes such arrays by the thousand: exact packing's tables reach
tens of MB (states x patterns) and are built again for every solve. A 1,000-draw
``advisor analyze simulate`` of the microservices example faulted in 311,000-337,000 pages
(1.3 GB) for 0.7-0.9 s of kernel time over its three processes; with the settings below,
124,000 pages and 0.4-0.5 s, and 3.91-4.04 s of wall time against 4.05-4.23 s (three
alternated runs each, peak RSS 322 MB against 332 MB; four more alternated runs: 3.89-4.29 s
against 4.12-4.26 s, medians 3.92 s and 4.22 s, while ``advisor estimate`` of the example
stayed at 1.31-1.38 s). Replaying that run's 172 placements in one process: 65,000 faults
-> 29,000, kernel time 0.3-0.6 s -> 0.1-0.2 s.

Only for the program, like its ``gc.freeze()`` (:func:`advisor_cli.main.run`): the
library sets nothing in a process that imports it (the app, notebooks, tests). The
worker processes of analyses are forked from the program and inherit the settings.
Elsewhere than Linux, or where the C library has no ``mallopt`` (musl), nothing changes;
a glibc that refuses a threshold above 32 MiB (older releases cap it at half their 64 MiB
heap size on 64-bit) gets 32 MiB.
"""

from __future__ import annotations

import ctypes
import sys

#: ``mallopt`` parameters (glibc's malloc.h).
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3

#: Blocks below this size come from the heap, whose freed memory the next block reuses (1 GiB: above
#: any array exact packing may build; the largest, a whole floor layer's float temporaries, are
#: ``EXACT_MAX_WORK`` x ``FIXED_SCALE`` x 8 bytes = 160 MB, its index table 2 bytes a pair).
MMAP_THRESHOLD_BYTES = 1 << 30

#: The most an older glibc accepts (see above): most tables are below it.
OLDER_GLIBC_MMAP_THRESHOLD_BYTES = 32 << 20

#: Free memory at the top of the heap kept for the next blocks rather than given back (256 MiB): room for
#: the largest tables of one solve and their temporaries; beyond it, the heap is trimmed as by default.
TRIM_THRESHOLD_BYTES = 256 << 20


def reuse_freed_memory() -> bool:
    """Keep large blocks in the heap and freed memory for reuse; True when the C library took the settings."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):   # no mallopt in this C library
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    threshold = (mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)
                 or mallopt(M_MMAP_THRESHOLD, OLDER_GLIBC_MMAP_THRESHOLD_BYTES))
    return bool(mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES)) and bool(threshold)
