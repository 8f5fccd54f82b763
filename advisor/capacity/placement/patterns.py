"""Maximal patterns: what one node can hold of a box of replica counts, and the cheapest shape for each.

The exact solver (:mod:`.exact_packing`) covers a workload with *patterns*, states of the
box of replica counts that fit a node, and needs only the maximal ones (no replica of any
size can be added within the box). Enumerating them is a test of every state against every
shape; here the shapes a state fits are a set of bits, 64 shapes to a word, built per
resource from the shapes sorted by capacity (:func:`_fitting_shapes`), so maximality and
"the cheapest shape it fits" are a few word operations per state.
"""

from __future__ import annotations

import numpy as np

from advisor.capacity.placement.fit import fits_all

#: Pattern enumerations kept (the same problem is tried before and after the heuristic).
_ENUMERATED: dict[bytes, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
_ENUMERATED_KEPT = 4


def enumerated(states: np.ndarray, stride: np.ndarray, count: np.ndarray, req: np.ndarray, load: np.ndarray,
               cap: np.ndarray, price: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`maximal_patterns`, remembered for the last few problems (a pure function of the arrays)."""
    key = b"|".join(np.ascontiguousarray(a).tobytes() for a in (count, req, cap, price)) + str(req.shape).encode()
    found = _ENUMERATED.get(key)
    if found is None:
        found = maximal_patterns(states, stride, count, load, cap, price)
        while len(_ENUMERATED) >= _ENUMERATED_KEPT:
            del _ENUMERATED[next(iter(_ENUMERATED))]
        _ENUMERATED[key] = found
    return found


def patterns_of_one_shape(states: np.ndarray, stride: np.ndarray, count: np.ndarray, load: np.ndarray,
                          cap: np.ndarray) -> int:
    """Maximal patterns of the roomiest shape alone: a lower bound on the patterns of all shapes, in 1/T of the time."""
    t = int(np.argmax((cap / np.maximum(cap.max(axis=0), 1)).sum(axis=1)))
    feasible = fits_all(load, cap[t])
    index = np.arange(len(states))
    maximal = feasible.copy()
    for g in range(len(count)):
        room = states[:, g] < count[g]
        maximal &= ~(feasible[np.where(room, index + stride[g], index)] & room)
    maximal[0] = False
    return int(maximal.sum())


def maximal_patterns(states: np.ndarray, stride: np.ndarray, count: np.ndarray, load: np.ndarray,
                     cap: np.ndarray, price: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Maximal patterns (state indices), the cheapest shape each fits, and its price.

    Only states within the largest capacity on every dimension can fit a node, so the
    tests run on those alone (a large box is mostly states no node holds). Which shapes a
    state fits is a set of bits, 64 shapes to a word (see :func:`_fitting_shapes`), and so
    is maximality: one or two words a state instead of a row of T booleans per resource.
    """
    cand = np.flatnonzero(fits_all(load, cap.max(axis=0)))
    by_price = np.lexsort((np.arange(len(price)), price))   # bit b is shape by_price[b]: cheapest first
    bits = _fitting_shapes(load[cand], cap[by_price])
    position = np.full(len(states), -1)
    position[cand] = np.arange(len(cand))
    maximal = bits.copy()
    for g in range(len(count)):
        room = states[cand, g] < count[g]
        grown = position[np.where(room, cand + stride[g], cand)]
        grows = np.flatnonzero(room & (grown >= 0))
        maximal[grows] &= ~bits[grown[grows]]
    maximal[cand == 0] = 0   # the empty pattern places nothing
    chosen = maximal.any(axis=1)
    # The cheapest shape a pattern fits is its lowest bit (ties in price: the lower shape index).
    pattern_shape = by_price[_lowest_bit(bits[chosen])]
    return cand[chosen], pattern_shape, price[pattern_shape]


def _fitting_shapes(load: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """(C, W) uint64: bit t of row c is set when load c fits shape t on every resource (W = ceil(T / 64)).

    Per resource, the shapes that hold a load are those whose capacity is at least the load:
    a suffix of the shapes sorted by that capacity, found by binary search. So the set is an
    AND of one precomputed suffix set per resource, C x D words of work instead of C x T x D
    comparisons.
    """
    shapes, words = len(cap), -(-len(cap) // 64)
    fits = np.full((len(load), words), np.iinfo(np.uint64).max, dtype=np.uint64)
    for d in range(cap.shape[1]):
        rank = np.empty(shapes, dtype=np.int64)
        ascending = np.argsort(cap[:, d], kind="stable")
        rank[ascending] = np.arange(shapes)
        suffixes = _packed(rank[None, :] >= np.arange(shapes + 1)[:, None])          # (T + 1, W)
        fits &= suffixes[np.searchsorted(cap[ascending, d], load[:, d], side="left")]
    return fits   # no bits beyond the last shape: every suffix set has none


def _packed(table: np.ndarray) -> np.ndarray:
    """(R, T) booleans as (R, ceil(T / 64)) uint64 words, column t in bit t % 64 of word t // 64."""
    words = -(-table.shape[1] // 64)
    packed = np.zeros((len(table), 8 * words), dtype=np.uint8)
    packed[:, :-(-table.shape[1] // 8)] = np.packbits(table, axis=1, bitorder="little")
    return packed.view("<u8").astype(np.uint64)


def _lowest_bit(bits: np.ndarray) -> np.ndarray:
    """Index of the lowest set bit of each row of (R, W) words (every row has one)."""
    word = np.argmax(bits != 0, axis=1)
    value = bits[np.arange(len(bits)), word]
    lowest = value & (~value + np.uint64(1))   # the lowest set bit alone, a power of two
    return word * 64 + np.frexp(lowest.astype(np.float64))[1] - 1
