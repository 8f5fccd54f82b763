"""How often CPython's cyclic garbage collector runs in a process that prices scenarios.

Why this exists
---------------
Pricing a scenario makes thousands of short-lived objects (line items, scenario copies,
placed nodes) that reference counting frees as soon as the estimate is summed; none of them
form cycles the collector must break. CPython 3.11 starts a generation-0 collection every 700
net allocations of container objects, so one priced variant triggers several; what is alive
at that moment is promoted, and every few hundred variants a full collection walks the whole
heap (the imported libraries, the price book, the placement memo: about 200,000 objects,
0.1 s each). Measured on the analysis bench's 50-service workload, warm, one process: 1,000
Monte Carlo draws took 6.1-6.5 s of CPU, 1.2 s of it in the collector (0.8 s in seven full
collections); with the first threshold at 20,000, 4.7 s and no collection at all. Imports
gain too (each module's objects are long-lived): a one-service ``advisor estimate`` process
0.72-0.88 s -> 0.65-0.77 s.

The shells (``advisor_cli``, ``app_pages``) call :func:`space_out_collections` once, at
start; the library itself never changes the interpreter's settings, so a notebook or a test
that imports it keeps its own. Cycles are still collected, only later: at most
:data:`GEN0_THRESHOLD` new container objects (a few MB) wait for it.
"""

from __future__ import annotations

import gc

#: New container objects (net of those freed) between two generation-0 collections. A priced
#: variant of 50 services keeps fewer than that alive at once, so pricing one starts none (the
#: first value is still the young generation's threshold under Python 3.14's incremental collector).
GEN0_THRESHOLD = 20_000


def space_out_collections() -> None:
    """Raise the first collection threshold to :data:`GEN0_THRESHOLD` (never lower it); the others are kept."""
    gen0, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(max(gen0, GEN0_THRESHOLD), gen1, gen2)
