"""Memory for the expensive pure steps of an estimate: EC2 node shapes (kept) and placements (scoped).

What is remembered, and where: the node shapes of a platform and the placement of each
phase (:mod:`advisor.costs.ec2_items`), and inside a placement each architecture's part and its
Pareto-filtered shape arrays (:mod:`advisor.capacity.placement`).

Why this exists
---------------
An analysis prices hundreds or thousands of variants of one scenario (a 1,000-point sweep,
10,000 Monte Carlo samples).  Most inputs (traffic, rates, schedules) leave the node shapes
and the placements unchanged, and a sweep of replica counts meets the same integer replica
vectors again and again; placements are about 90 % of an estimate's time.  Remembering
them makes an analysis many times faster without changing a single number: a remembered
value is the value the same pure call returned, keyed by every input that call reads.

Two kinds of memory
-------------------
*Lasting* values (:func:`lasting`) depend only on the price book and the EC2 settings: the
node shapes of a platform, their integer capacity arrays and Pareto sets, the Fargate size
table.  They are the same for every workload, so they are kept for the whole process
(bounded), and a second estimate on the same prices skips them even outside an analysis.

*Scoped* values (:func:`memoized`: placements) depend on the workload.  A memo is used
only inside ``with memo.active():``.  An analysis keeps one over all its variants (the app
keeps one per price book); a single estimate keeps its own (:func:`scope`), because it
repeats work too: a job's placement is the same in every environment, and so is a service
group's in two environments of the same scale.  Remembering within one estimate bounds its
work by the distinct placements, not by environments × jobs, and changes no number.
Keys are hashable values (frozen dataclasses, frozen pydantic models, tuples) plus the
price lookup object itself, by identity: a price book is immutable, and the memo holds a
reference to it, so its identity cannot be reused by another object while cached.

Portable entries
----------------
An architecture's packing is keyed by values alone (its sizes, counts and node shapes), so
it means the same in any process.  Such entries are marked ``portable``; a worker process
that packs for its parent collects them (:func:`recording`) and the parent keeps them
(:meth:`Memo.remember`), which is how the placements of one estimate, or of an analysis'
variants, are made on several cores (:func:`advisor.costs.estimate.prefetch_placements`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

#: Entries kept before the oldest is dropped.  A 1,000-point replica sweep of a 50-service
#: workload makes under 1,000 distinct placements; a placement of that size takes tens of KB.
DEFAULT_MAX_ENTRIES = 4096

_ACTIVE: ContextVar[Memo | None] = ContextVar("advisor_memo", default=None)
_RECORDING: ContextVar[list[tuple[Hashable, Any]] | None] = ContextVar("advisor_memo_recording", default=None)


class Memo:
    """Results of pure calls keyed by their inputs, bounded to ``max_entries`` (oldest dropped first).

    Parameters
    ----------
    max_entries : int, default DEFAULT_MAX_ENTRIES
        Bound on remembered results, so a long-running analysis cannot grow without limit.
    """

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        if max_entries < 1:
            raise ValueError(f"max_entries: {max_entries!r} is not allowed; allowed: an integer >= 1")
        self._max_entries = max_entries
        self._entries: dict[Hashable, Any] = {}
        self._lock = threading.Lock()   # the app's sessions share a memo from several threads
        self.hits = 0
        self.misses = 0

    @contextmanager
    def active(self) -> Iterator[Memo]:
        """Use this memo for the estimates made inside the ``with`` block (nests; restores on exit)."""
        token = _ACTIVE.set(self)
        try:
            yield self
        finally:
            _ACTIVE.reset(token)

    def __contains__(self, key: Hashable) -> bool:
        """Whether ``key`` is remembered (a caller about to make many values skips those it has)."""
        return key in self._entries

    def lookup(self, key: Hashable, compute: Callable[[], T], *, portable: bool = False) -> T:
        """The remembered result for ``key``, else ``compute()`` remembered (exceptions are not).

        A ``portable`` entry (its key holds values only, no object compared by identity) is
        also handed to the enclosing :func:`recording` block, if any.
        """
        try:
            value = self._entries[key]
        except KeyError:
            self.misses += 1
            value = compute()   # outside the lock: two threads may compute the same value, never wait
            self.remember([(key, value)])
            added = _RECORDING.get()
            if portable and added is not None:
                added.append((key, value))
            return value
        self.hits += 1
        return value

    def remember(self, entries: Iterable[tuple[Hashable, Any]]) -> None:
        """Keep these results (from :func:`recording` in another process), dropping the oldest beyond the bound."""
        with self._lock:
            for key, value in entries:
                while len(self._entries) >= self._max_entries:
                    del self._entries[next(iter(self._entries))]
                self._entries[key] = value


#: Lasting entries kept per process: a few per platform, architecture and EC2 setting in use.
LASTING_MAX_ENTRIES = 256

_LASTING = Memo(LASTING_MAX_ENTRIES)


def lasting(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` kept for the process: for values of the price book and settings only, never of a workload.

    ``key`` must name the computation (a tag) and every input it reads; a price book is
    keyed by identity (it is immutable), and the entry holds it, so the identity cannot
    be reused while the entry lives.
    """
    return _LASTING.lookup(key, compute)


def active_memo() -> Memo | None:
    """The memo of the enclosing ``with memo.active():`` block, if any (to share it with an evaluator)."""
    return _ACTIVE.get()


@contextmanager
def scope() -> Iterator[Memo]:
    """The active memo (an analysis'), or a fresh one for the ``with`` block (one estimate's, or a
    search's that prices many related variants, such as a break-even bisection)."""
    memo = _ACTIVE.get()
    if memo is not None:
        yield memo
        return
    with Memo().active() as fresh:
        yield fresh


def memoized(key: Hashable, compute: Callable[[], T], *, portable: bool = False) -> T:
    """``compute()`` through the active memo, or plainly when none is active.

    ``key`` must name the computation (a tag) and every input it reads.  ``portable``: the key
    holds values only (numbers, strings, arrays as bytes, frozen dataclasses), so the entry
    means the same in another process and :func:`recording` may hand it over.
    """
    memo = _ACTIVE.get()
    return compute() if memo is None else memo.lookup(key, compute, portable=portable)


@contextmanager
def recording() -> Iterator[list[tuple[Hashable, Any]]]:
    """The portable entries computed inside the ``with`` block, in order (for :meth:`Memo.remember`).

    A worker process that makes placements for its parent returns them this way: the parent's
    memo then holds the same values as if it had computed them.  Per thread and context, so the
    app's sessions, which share a memo, never see each other's.
    """
    added: list[tuple[Hashable, Any]] = []
    token = _RECORDING.set(added)
    try:
        yield added
    finally:
        _RECORDING.reset(token)
