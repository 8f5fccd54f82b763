"""The uncertain inputs of the operations model: which numbers are drawn, and how they move together.

Every ranged number of an activity (its frequency, its hours per occurrence and per extra
cluster, its hours per node) is drawn by one :class:`Factor` shared by every platform: a team
slow at upgrades is slow on every EKS flavour, and the ratios between platforms are the
model's claim.  A team factor moves every activity's hours together (a mature, automated
team is quick at all of them), mixed with each activity's own draw through a Gaussian
copula (:func:`effective_quantiles`).  Draws are uniform quantiles; each range turns its
quantile into a value (:meth:`advisor.operations.ranges.Range.ppf`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from scipy.special import ndtr, ndtri

from advisor.operations.activities import PROFILES, Cell
from advisor.operations.ranges import Range
from advisor.workload.operations_inputs import Activity

Quantiles = Mapping[str, np.ndarray]


class Field(StrEnum):
    """The uncertain numbers of an activity; each is drawn by one factor shared by every platform."""

    FREQUENCY = "frequency"
    HOURS = "hours"             # hours per occurrence and per extra cluster, together
    PER_NODE = "per_node_hours"
    EFFORT = "effort"           # the team factor: every activity's hours together


_FIELD_WORDS = {Field.FREQUENCY: "frequency", Field.HOURS: "hours", Field.PER_NODE: "hours per node"}
#: Share of each activity's hours uncertainty that is the team's, common to every activity [A]: a
#: mature, automated team is quick at upgrades *and* patching *and* incidents (sources doc §1.5
#: offers ×0.5 / ×2 for the whole team).  Half is the neutral choice: two activities' hours
#: correlate at 0.5 (Gaussian copula); 0 would make them independent, 1 one factor for all.
TEAM_SHARE = 0.5
#: Quantiles are kept this far inside (0, 1) before the normal transform (no infinities).
_EDGE = 1e-12


@dataclass(frozen=True, slots=True)
class Factor:
    """One uncertain input of the operations model: an activity's field, on every platform at once.

    One quantile moves the field on every platform together: a team slow at upgrades is
    slow on every EKS flavour; the ratios between platforms are the model's claim.  The team
    factor (``activity`` None) moves every activity's hours and per-node hours together.
    """

    activity: Activity | None
    field: Field

    @property
    def name(self) -> str:
        return "team.effort" if self.activity is None else f"{self.activity.value}.{self.field.value}"

    @property
    def label(self) -> str:
        if self.activity is None:
            return "team maturity: every activity's hours together"
        return f"{self.activity.value.replace('-', ' ')}: {_FIELD_WORDS[self.field]}"


TEAM = Factor(None, Field.EFFORT)


def _ranges(cell: Cell, field: Field) -> tuple[Range, ...]:
    if field is Field.FREQUENCY:
        return (cell.frequency_per_year,)
    if field is Field.HOURS:
        return cell.hours_per_occurrence, cell.extra_cluster_hours
    return (cell.per_node_hours,)


#: Every factor some platform has a range for, in activity order, then the team factor.
OPERATIONS_FACTORS: tuple[Factor, ...] = (*(
    Factor(a, f) for a in Activity for f in (Field.FREQUENCY, Field.HOURS, Field.PER_NODE)
    if any(a in profile and not all(r.is_fixed for r in _ranges(profile[a], f)) for profile in PROFILES.values())),
    TEAM)


def effective_quantiles(quantiles: Quantiles) -> dict[str, np.ndarray]:
    """The quantile each range is read at: hours mix their own draw with the team's (Gaussian copula).

    ``quantiles`` holds independent uniform draws per factor name (absent ones at the
    median when the team factor is drawn, else at the point); the result has no team entry.
    """
    team = quantiles.get(TEAM.name)
    out = {name: q for name, q in quantiles.items() if name != TEAM.name}
    if team is None:
        return out
    common = math.sqrt(TEAM_SHARE) * ndtri(np.clip(team, _EDGE, 1 - _EDGE))
    for factor in OPERATIONS_FACTORS:
        if factor.field in (Field.HOURS, Field.PER_NODE):
            own = out.get(factor.name, np.full_like(team, 0.5))
            out[factor.name] = ndtr(common + math.sqrt(1 - TEAM_SHARE) * ndtri(np.clip(own, _EDGE, 1 - _EDGE)))
    return out
