"""The recommendation: platforms ranked by TCO, why, how sure, and what would change it.

Reasons are sentences built from the numbers: the difference between each platform and
the first, split into AWS bill categories and operations hours.  Confidence compares
the gap between the first two with the spread of the overhead settings: the TCO is
recomputed at the low and high overhead levels (only the operations change, so this is
cheap), and

- **low**: the first two swap places at the low or the high setting;
- **medium**: they keep their order at either setting, but not when the leader's hours
  are at the high setting and the runner-up's at the low one;
- **high**: not even then.

What would flip it: the engineer rate at which the first two cost the same (exact: both
TCOs are linear in the rate), and the factor on every service's replicas at which they
do (bisection on the scenario, a handful of two-platform estimates).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from advisor.costs.line_items import Category
from advisor.decision.tco import PlatformTco, TcoResult, billed_cluster_count, tco, with_operations
from advisor.errors import AdvisorError
from advisor.operations.complexity import SELF_MANAGED_KUBERNETES_SCORE
from advisor.workload.operations_inputs import DEFAULT_ENGINEER_RATE_USD_PER_HOUR, Activity, OverheadLevel
from advisor.workload.scaling import replica_breakpoints, scaled_replicas, step_boundary
from advisor.workload.scenario import Platform, Scenario

#: Differences below this are left out of the reasons [USD/month]: noise, not a reason.
MIN_REASON_USD_PER_MONTH = 1.0
#: How many contributors a reason names on each side.
MAX_REASON_PARTS = 3
#: Replica factors tried, in this order, to bracket the replica break-even (up and down by 2×, 4×, 8×).
REPLICA_FACTOR_STEPS = (2.0, 0.5, 4.0, 0.25, 8.0, 0.125)

#: What the TCO leaves out, said with every recommendation.
KNOWN_GAPS = (
    "Operations hours count clusters and engineers, not services: per-service work (pipelines, task "
    "definitions or manifests) is taken as equal on every platform.",
    "Self-managed Kubernetes and ECS Managed Instances are not priced.",
)

_CATEGORY_WORDS = {
    Category.COMPUTE: "compute", Category.IDLE: "packing and rounding waste",
    Category.CONTROL_PLANE: "control-plane fee", Category.MANAGEMENT: "management fee",
    Category.NETWORKING: "networking", Category.STORAGE: "storage", Category.OBSERVABILITY: "observability",
}


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass(frozen=True, slots=True, kw_only=True)
class LevelCheck:
    """The TCO of the first two platforms at one overhead level [USD/month]."""

    level: OverheadLevel
    first_tco_monthly_usd: float
    second_tco_monthly_usd: float


@dataclass(frozen=True, slots=True, kw_only=True)
class BreakEven:
    """The value of one input at which the first two platforms cost the same.

    ``value`` is None when no value in the searched range flips the order; ``explanation``
    then says why.  Applying a value just past ``value`` (in ``direction``) makes the
    runner-up cheaper.
    """

    parameter: str
    unit: str
    current: float
    value: float | None
    direction: str
    explanation: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Recommendation:
    """Ranked platforms with the reasons, caveats, confidence and break-even values."""

    ranking: tuple[PlatformTco, ...]
    reasons: tuple[str, ...]
    caveats: tuple[str, ...]
    confidence: Confidence
    confidence_reason: str
    level_checks: tuple[LevelCheck, ...]
    break_evens: tuple[BreakEven, ...]

    @property
    def choice(self) -> Platform | None:
        return self.ranking[0].platform if self.ranking else None


def _usd(value: float) -> str:
    return f"${abs(value):,.0f}"


def _signed_usd(value: float) -> str:
    return f"{'+' if value >= 0 else '-'}{_usd(value)}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _listing(texts: list[str]) -> str:
    return texts[0] if len(texts) == 1 else f"{', '.join(texts[:-1])} and {texts[-1]}"


def _category_usd(p: PlatformTco, category: Category) -> float:
    return sum(i.monthly_usd for i in p.aws.line_items if i.category is category)


def _hours(p: PlatformTco, activity: Activity) -> float:
    row = p.operations.row(activity)
    return row.monthly_hours if row else 0.0


def _operations_part(other: PlatformTco, first: PlatformTco) -> str:
    """``operations (+$1,107/month, +12.3 h/month: version upgrades +6.5 h, ...)``: the largest differences."""
    sign = 1 if other.operations_monthly_usd >= first.operations_monthly_usd else -1
    diffs = [(a.value.replace("-", " "), _hours(other, a) - _hours(first, a)) for a in Activity]
    top = sorted((d for d in diffs if d[1] * sign > 0), key=lambda d: -abs(d[1]))[:MAX_REASON_PARTS]
    hours = other.operations.monthly_hours - first.operations.monthly_hours
    usd = _signed_usd(other.operations_monthly_usd - first.operations_monthly_usd)
    detail = ", ".join(f"{name} {h:+.1f} h" for name, h in top)
    return f"operations ({usd}/month, {hours:+.1f} h/month{': ' + detail if detail else ''})"


def _aws_part(other: PlatformTco, category: Category, diff: float, clusters: int) -> str:
    words = _CATEGORY_WORDS[category]
    if category is Category.CONTROL_PLANE and clusters and _category_usd(other, category) > 0:
        per = _category_usd(other, category) / clusters
        return f"{words} ({_signed_usd(diff)}/month; {_usd(per)}/month per cluster × {clusters})"
    return f"{words} ({_signed_usd(diff)}/month)"


def _difference_reason(other: PlatformTco, first: PlatformTco, clusters: int) -> str:
    """Why ``other`` costs more than ``first``: its extra costs against its savings."""
    parts = [(_aws_part(other, c, d, clusters), d) for c in Category
             if abs(d := _category_usd(other, c) - _category_usd(first, c)) >= MIN_REASON_USD_PER_MONTH]
    ops_diff = other.operations_monthly_usd - first.operations_monthly_usd
    if abs(ops_diff) >= MIN_REASON_USD_PER_MONTH:
        parts.append((_operations_part(other, first), ops_diff))
    more = [text for text, d in sorted(parts, key=lambda x: -x[1]) if d > 0][:MAX_REASON_PARTS]
    less = [text for text, d in sorted(parts, key=lambda x: x[1]) if d < 0][:MAX_REASON_PARTS]
    gap = other.tco_monthly_usd - first.tco_monthly_usd
    head = f"{other.platform.value} costs {_usd(gap)}/month more than {first.platform.value}"
    if not more:
        return head + "."
    text = f"{head}: its {_listing(more)} {'outweighs' if len(more) == 1 else 'outweigh'}"
    return text + (f" its savings on {_listing(less)}." if less else " everything it saves.")


def _headline(ranking: tuple[PlatformTco, ...]) -> str:
    first = ranking[0]
    ops = first.operations
    text = (f"{first.platform.value} has the lowest total cost of ownership: {_usd(first.tco_monthly_usd)}/month "
            f"({_usd(first.aws_monthly_usd)} AWS bill + {_usd(first.operations_monthly_usd)} for "
            f"{ops.monthly_hours:.1f} engineer-hours of operations at ${ops.usd_per_hour:g}/h, "
            f"{ops.fte_fraction:.2f} FTE)")
    if len(ranking) == 1:
        return text + "; it is the only platform priced."
    second = ranking[1]
    gap = second.tco_monthly_usd - first.tco_monthly_usd
    return text + (f", {_usd(gap)}/month ({gap / second.tco_monthly_usd:.1%}) less than "
                   f"{second.platform.value}." if second.tco_monthly_usd else ".")


def _complexity_reason(ranking: tuple[PlatformTco, ...]) -> str:
    scores = ", ".join(f"{p.platform.value} {p.complexity.total:g}" for p in
                       sorted(ranking, key=lambda p: p.complexity.total))
    return (f"Complexity (owned parts and add-ons ×3 + concepts + forced upgrades a year ×2; self-managed "
            f"Kubernetes is {SELF_MANAGED_KUBERNETES_SCORE:g}): {scores}.")


def _lifecycle_reason(result: TcoResult) -> list[str]:
    ranked = [p.platform for p in result.ranked()]
    trades = sorted(result.extended_support, key=lambda t: ranked.index(t.platform))
    if not trades:
        return []
    t = trades[0]
    state = "is priced in extended support" if t.is_applied else "would move into extended support if deferred"
    return [f"EKS version lifecycle ({t.platform.value}) {state}: {_usd(t.fee_usd_per_year)}/year in fees "
            f"({_plural(t.clusters, 'cluster')} × ${t.surcharge_usd_per_cluster_hour:g}/h) against "
            f"{t.upgrade_hours_per_year:.0f} h ({_usd(t.upgrade_usd_per_year)}) of upgrade work a year of deferral "
            f"postpones, not removes."]


def _caveats(result: TcoResult, ranking: tuple[PlatformTco, ...]) -> tuple[str, ...]:
    out = []
    shares = [f"{p.operations.assumption_hours_share:.0%} of {p.platform.value}'s" for p in ranking[:2]]
    if shares:
        out.append(f"Operations hours rest on assumptions ({_listing(shares)}): sources give frequencies, "
                   "rarely hours; the rows tagged 'assumption' say why each was chosen.")
    for p in ranking[:2]:
        if p.aws.assumptions:
            names = "; ".join(a.split(":")[0] for a in p.aws.assumptions[:MAX_REASON_PARTS])
            more = ", ..." if len(p.aws.assumptions) > MAX_REASON_PARTS else ""
            out.append(f"{p.platform.value}'s AWS bill uses {_plural(len(p.aws.assumptions), 'dated assumption')}: "
                       f"{names}{more}.")
        out += [f"{p.platform.value}: {w}" for w in p.aws.warnings]
    if result.operations.engineer_rate_usd_per_hour == DEFAULT_ENGINEER_RATE_USD_PER_HOUR:
        out.append(f"The ${DEFAULT_ENGINEER_RATE_USD_PER_HOUR:g}/h engineer rate is wages and benefits (BLS median "
                   "developer); management, tools and the premium of platform roles are left out, so operations "
                   "err low.")
    out += [f"{u.platform.value} is not ranked: {u.reason}" for u in result.unavailable]
    return (*out, *KNOWN_GAPS)


def _level_checks(result: TcoResult, first: Platform, second: Platform) -> tuple[LevelCheck, ...]:
    checks = []
    for level in OverheadLevel:
        at = with_operations(result, result.operations.model_copy(update={"overhead_level": level}))
        checks.append(LevelCheck(level=level, first_tco_monthly_usd=at.by_platform(first).tco_monthly_usd,
                                 second_tco_monthly_usd=at.by_platform(second).tco_monthly_usd))
    return tuple(checks)


def _confidence(checks: tuple[LevelCheck, ...], first: Platform, second: Platform) -> tuple[Confidence, str]:
    flipped = [c for c in checks if c.second_tco_monthly_usd < c.first_tco_monthly_usd]
    if flipped:
        c = flipped[0]
        return Confidence.LOW, (f"at the {c.level.value} overhead setting {second.value} is cheaper "
                                f"({_usd(c.second_tco_monthly_usd)} vs {_usd(c.first_tco_monthly_usd)}/month)")
    worst_first = max(c.first_tco_monthly_usd for c in checks)
    best_second = min(c.second_tco_monthly_usd for c in checks)
    if best_second > worst_first:
        return Confidence.HIGH, (f"{first.value} stays first even with its hours at the high setting and "
                                 f"{second.value}'s at the low one ({_usd(worst_first)} vs {_usd(best_second)}/month)")
    return Confidence.MEDIUM, (f"{first.value} stays first at every overhead setting, but not with its hours at the "
                               f"high setting and {second.value}'s at the low one ({_usd(worst_first)} vs "
                               f"{_usd(best_second)}/month)")


def rate_break_even(first: PlatformTco, second: PlatformTco) -> BreakEven:
    """The engineer rate at which ``second`` costs as much as ``first``.

    Each TCO is ``aws + hours × rate``, so the rate is ``Δaws / −Δhours``; a flip needs a
    non-negative rate on the side the hours point to.
    """
    rate = first.operations.usd_per_hour
    aws_gap = second.aws_monthly_usd - first.aws_monthly_usd
    hours_gap = second.operations.monthly_hours - first.operations.monthly_hours
    name, unit = "engineer_rate_usd_per_hour", "USD/h"
    if hours_gap == 0 or (value := -aws_gap / hours_gap) < 0:
        return BreakEven(parameter=name, unit=unit, current=rate, value=None, direction="",
                         explanation=f"no engineer rate makes {second.platform.value} cheaper than "
                                     f"{first.platform.value}")
    direction = "above" if hours_gap < 0 else "below"
    return BreakEven(parameter=name, unit=unit, current=rate, value=value, direction=direction,
                     explanation=f"{second.platform.value} becomes cheaper than {first.platform.value} with an "
                                 f"engineer rate {direction} ${value:,.2f}/h (now ${rate:g}/h)")


def scale_replicas(scenario: Scenario, factor: float) -> Scenario:
    """``scenario`` with every service's replicas × ``factor``, rounded up (at least one at peak)."""
    services = tuple(s.model_copy(update={"replicas": scaled_replicas(s.replicas, factor)}) for s in scenario.services)
    return scenario.model_copy(update={"services": services})


def _replica_gap(result: TcoResult, first: Platform, second: Platform) -> Callable[[float], float]:
    """Monthly TCO of ``second`` minus ``first`` at a replica factor (cached by the resulting replica counts)."""
    cache: dict[tuple[object, ...], float] = {}

    def priced_gap(scenario: Scenario) -> float:
        try:
            at = tco(scenario, result.prices, (first, second))
        except AdvisorError:  # e.g. replicas no instance type can hold: no comparison there
            return math.inf
        if len(at.platforms) < 2:  # a platform cannot run the variant
            return math.inf
        return at.by_platform(second).tco_monthly_usd - at.by_platform(first).tco_monthly_usd

    def gap(factor: float) -> float:
        scaled = scale_replicas(result.scenario, factor)
        key = tuple(s.replicas for s in scaled.services)
        if key not in cache:
            cache[key] = priced_gap(scaled)
        return cache[key]

    return gap


def replica_break_even(result: TcoResult, first: Platform, second: Platform) -> BreakEven:
    """The replica factor (on every service) at which ``second`` becomes cheaper than ``first``.

    Brackets a flip by trying ×2, ×0.5, ×4, ×0.25, ×8, ×0.125, then finds the exact step inside
    the bracket (:func:`advisor.workload.scaling.step_boundary` over the factors where a replica
    count changes).  Replica counts are whole numbers, so the gap is a step function and the
    break-even is one of those factors: below it (or above it, going up) ``second`` is cheaper.
    ``advisor analyze sweep --param replicas_scale`` places its crossings the same way, so both
    give the same number.  The gap between two platforms is not monotone (each one's packing
    steps at different replica counts, and large workloads use the packing heuristic), so it
    is a crossing, not always the nearest one.
    """
    name, unit = "replica_scale", "× replicas"
    if not result.scenario.services:
        return BreakEven(parameter=name, unit=unit, current=1.0, value=None, direction="",
                         explanation="the scenario has no services to scale")
    gap = _replica_gap(result, first, second)
    ok = {True: 1.0, False: 1.0}
    for factor in REPLICA_FACTOR_STEPS:
        up = factor > 1
        if gap(factor) >= 0:
            ok[up] = factor
            continue
        low, high = sorted((ok[up], factor))
        steps = replica_breakpoints(result.scenario, low, high)
        if up:  # first cheaper at `low`, second at `high`: the last factor first stays cheaper
            value = step_boundary(low, high, steps, lambda f: gap(f) >= 0)
            text = f"above × {value:.4g}"
        else:  # second cheaper at `low`: the last factor it still is
            value = step_boundary(low, high, steps, lambda f: gap(f) < 0)
            text = f"× {value:.4g} or fewer"
        return BreakEven(parameter=name, unit=unit, current=1.0, value=value, direction="above" if up else "below",
                         explanation=f"{second.value} becomes cheaper than {first.value} with every service's "
                                     f"replicas {text}")
    return BreakEven(parameter=name, unit=unit, current=1.0, value=None, direction="",
                     explanation=f"{first.value} stays cheaper than {second.value} from × "
                                 f"{min(REPLICA_FACTOR_STEPS):g} to × {max(REPLICA_FACTOR_STEPS):g} replicas")


def recommend(result: TcoResult, *, solve_replicas: bool = True) -> Recommendation:
    """Rank the platforms by TCO and explain the ranking.

    Parameters
    ----------
    result : TcoResult
        The scenario's TCO (:func:`advisor.decision.tco.tco`).
    solve_replicas : bool
        Search the replica break-even (up to ~12 two-platform estimates); the rate
        break-even and the overhead-level checks are always computed (no estimates).

    Returns
    -------
    Recommendation
        Ranking (cheapest TCO first), reasons, caveats, confidence and break-even values.
    """
    ranking = result.ranked()
    if not ranking:
        return Recommendation(ranking=(), reasons=("no platform could run this workload",),
                              caveats=_caveats(result, ranking), confidence=Confidence.LOW,
                              confidence_reason="nothing to compare", level_checks=(), break_evens=())
    clusters = billed_cluster_count(result.scenario)
    reasons = [_headline(ranking)]
    reasons += [_difference_reason(p, ranking[0], clusters) for p in ranking[1:]]
    reasons += [_complexity_reason(ranking), *_lifecycle_reason(result)]
    if len(ranking) == 1:
        return Recommendation(ranking=ranking, reasons=tuple(reasons), caveats=_caveats(result, ranking),
                              confidence=Confidence.HIGH, confidence_reason="the only platform that can run it",
                              level_checks=(), break_evens=())
    first, second = ranking[0].platform, ranking[1].platform
    checks = _level_checks(result, first, second)
    confidence, why = _confidence(checks, first, second)
    breaks = [rate_break_even(ranking[0], ranking[1])]
    if solve_replicas:
        breaks.append(replica_break_even(result, first, second))
    return Recommendation(ranking=ranking, reasons=tuple(reasons), caveats=_caveats(result, ranking),
                          confidence=confidence, confidence_reason=why, level_checks=checks,
                          break_evens=tuple(breaks))
