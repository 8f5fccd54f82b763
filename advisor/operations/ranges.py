"""Three-point ranges (low, most likely, high) whose every end says where it comes from.

Why this exists
---------------
No source gives per-activity hours for running ECS or EKS, so a single number per
activity cannot be defended.  What can be defended is a range whose ends are each a
published figure, a figure derived from one, or a stated assumption.  An :class:`End`
carries its value, its tag and its citations (numbered as in
:data:`advisor.operations.sources.CITATIONS`); a :class:`Range` is three of them.

The range is read two ways:

- as a point, at the scenario's overhead level: the low end (automated, mature team),
  the most likely value, or the high end (manual, first-year team);
- as a distribution between its ends whose mode is that point (triangular on a log scale,
  because the ends are ratios such as ×0.5 and ×2), drawn by quantile (:meth:`Range.ppf`) so
  one uniform draw can move the same activity on every platform together
  (:mod:`advisor.decision.uncertainty`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from advisor.errors import InvalidWorkload
from advisor.workload.operations_inputs import OverheadLevel

#: Multipliers of an assumed number's low and high ends (sources doc, section 1.5) [A]: heavy
#: automation / GitOps and a mature team, or manual work and a first-year team.
LOW_FACTOR = 0.5
HIGH_FACTOR = 2.0
LOW_FACTOR_WHY = "×0.5: heavy automation and a mature team (sources doc §1.5)"
HIGH_FACTOR_WHY = "×2: manual work and a first-year team (sources doc §1.5)"


class Tag(StrEnum):
    """Where a number comes from (the weakest tag wins when numbers are combined)."""

    SOURCED = "sourced"
    DERIVED = "derived"
    ASSUMPTION = "assumption"
    USER = "user"


_WEAKEST_FIRST = (Tag.USER, Tag.ASSUMPTION, Tag.DERIVED, Tag.SOURCED)


def weakest(*tags: Tag) -> Tag:
    """The least supported of ``tags`` (a user's own number marks the whole row ``user``)."""
    return next(t for t in _WEAKEST_FIRST if t in tags)


@dataclass(frozen=True, slots=True)
class End:
    """One end (or the most likely value) of a range: value, tag, citations and why."""

    value: float
    tag: Tag
    citations: tuple[str, ...] = ()
    why: str = ""

    @property
    def source(self) -> str:
        return "".join(f"[{c}]" for c in self.citations)


@dataclass(frozen=True, slots=True)
class Range:
    """Low, most likely and high value of one number, each with its own provenance."""

    low: End
    mode: End
    high: End

    def __post_init__(self) -> None:
        values = (self.low.value, self.mode.value, self.high.value)
        if not 0 <= values[0] <= values[1] <= values[2] or (values[0] == 0 < values[2]):
            raise InvalidWorkload("range", values, "0 <= low <= most likely <= high, low > 0 unless all are 0")

    def end(self, level: OverheadLevel) -> End:
        """The end the overhead level takes as its point: low, most likely or high."""
        return {OverheadLevel.LOW: self.low, OverheadLevel.DEFAULT: self.mode, OverheadLevel.HIGH: self.high}[level]

    def at(self, level: OverheadLevel) -> float:
        return self.end(level).value

    @property
    def is_fixed(self) -> bool:
        """A range without width (a sourced count, a user's own number): never drawn."""
        return self.low.value == self.high.value

    def ppf(self, quantiles: np.ndarray, level: OverheadLevel = OverheadLevel.DEFAULT) -> np.ndarray:
        """Values at ``quantiles`` of the range's distribution: triangular in the logarithm.

        Low, point (at ``level``) and high are the triangle's corners on a log scale, so ×0.5 /
        ×1 / ×2 is symmetric, the point is the median when it sits midway (in ratio) between the
        ends, and no draw leaves the range.
        """
        q = np.asarray(quantiles, dtype=float)
        if self.is_fixed:
            return np.full(q.shape, self.low.value)
        return log_triangular_ppf(q, self.low.value, self.at(level), self.high.value)

    def scaled(self, factor: float, why: str) -> Range:
        """Every end × ``factor`` (an assumed ratio), so each end becomes an assumption with its sources kept."""
        def one(e: End) -> End:
            return End(e.value * factor, Tag.ASSUMPTION, e.citations, f"{e.why}; {why}" if e.why else why)
        return Range(one(self.low), one(self.mode), one(self.high))

    def times(self, count: float) -> Range:
        """Every end × a counted quantity (owned add-ons): the tags stay, the count is derived."""
        def one(e: End) -> End:
            return End(e.value * count, e.tag, e.citations, e.why)
        return Range(one(self.low), one(self.mode), one(self.high))

    def text(self) -> str:
        """``2 / 4 / 8`` (low / most likely / high), or the single value of a fixed range."""
        if self.is_fixed:
            return f"{self.mode.value:.4g}"
        return f"{self.low.value:.4g} / {self.mode.value:.4g} / {self.high.value:.4g}"


def triangular_ppf(q: np.ndarray, low: np.ndarray | float, mode: np.ndarray | float,
                   high: np.ndarray | float) -> np.ndarray:
    """The triangular distribution's value at quantiles ``q`` (its inverse distribution function), low < high."""
    below = low + np.sqrt(q * (high - low) * (mode - low))
    above = high - np.sqrt((1 - q) * (high - low) * (high - mode))
    return np.where(q < (mode - low) / (high - low), below, above)


def log_triangular_ppf(q: np.ndarray, low: np.ndarray | float, mode: np.ndarray | float,
                       high: np.ndarray | float) -> np.ndarray:
    """:meth:`Range.ppf` of one or many ranges at once: triangular in the logarithm of corners ``low < high``.

    Corners given as arrays broadcast against ``q`` (one row of quantiles per range), so the
    operations model reads all its ranges in one pass (:mod:`advisor.operations.overhead`).
    """
    return np.exp(triangular_ppf(q, np.log(low), np.log(mode), np.log(high)))


def fixed(value: float, tag: Tag, *citations: str, why: str = "") -> Range:
    """A number without a range (a sourced release cadence, a user's own figure)."""
    end = End(value, tag, citations, why)
    return Range(end, end, end)


#: The absent number: an activity without per-node work, or without extra-cluster hours.
ZERO = fixed(0.0, Tag.DERIVED, why="none")


def assumed(value: float, *citations: str, why: str = "") -> Range:
    """An assumed number with the sources doc's ×0.5 / ×2 ends, all three tagged assumption."""
    return Range(End(value * LOW_FACTOR, Tag.ASSUMPTION, citations, LOW_FACTOR_WHY),
                 End(value, Tag.ASSUMPTION, citations, why),
                 End(value * HIGH_FACTOR, Tag.ASSUMPTION, citations, HIGH_FACTOR_WHY))


def anchored(low: End, mode: End, high: End) -> Range:
    """A range whose ends come from different sources (a practitioner low, a vendor high...)."""
    return Range(low, mode, high)
