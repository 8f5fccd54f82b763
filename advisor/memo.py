"""A scoped memo for the expensive pure steps of an estimate: EC2 node shapes and placements.

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

A memo is used only inside ``with memo.active():``.  An analysis keeps one over all its
variants; a single estimate keeps its own (:func:`scope`), because it repeats work too: a
job's placement is the same in every environment, and so is a service group's in two
environments of the same scale.  Remembering within one estimate bounds its work by the
distinct placements, not by environments × jobs, and changes no number.
Keys are hashable values (frozen dataclasses, frozen pydantic models, tuples) plus the
price lookup object itself, by identity: a price book is immutable, and the memo holds a
reference to it, so its identity cannot be reused by another object while cached.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

T = TypeVar("T")

#: Entries kept before the oldest is dropped.  A 1,000-point replica sweep of a 50-service
#: workload makes under 1,000 distinct placements; a placement of that size takes tens of KB.
DEFAULT_MAX_ENTRIES = 4096

_ACTIVE: ContextVar[Memo | None] = ContextVar("advisor_memo", default=None)


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

    def lookup(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The remembered result for ``key``, else ``compute()`` remembered (exceptions are not)."""
        try:
            value = self._entries[key]
        except KeyError:
            self.misses += 1
            value = compute()
            if len(self._entries) >= self._max_entries:
                del self._entries[next(iter(self._entries))]
            self._entries[key] = value
            return value
        self.hits += 1
        return value


@contextmanager
def scope() -> Iterator[Memo]:
    """The active memo (an analysis'), or a fresh one for the ``with`` block (one estimate's)."""
    memo = _ACTIVE.get()
    if memo is not None:
        yield memo
        return
    with Memo().active() as fresh:
        yield fresh


def memoized(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` through the active memo, or plainly when none is active.

    ``key`` must name the computation (a tag) and every input it reads.
    """
    memo = _ACTIVE.get()
    return compute() if memo is None else memo.lookup(key, compute)
