"""The recommendation: platforms ranked by TCO (or by AWS bill alone), why, how sure, and what would change it.

Reasons are sentences built from the numbers: the difference between each platform and
the first, split into AWS bill categories and operations hours.  Confidence is the share
of draws in which the first platform is cheapest when every operations range (and any
input a user gave a range) is drawn (:mod:`advisor.decision.uncertainty`):

- **high**: cheapest in at least 90% of the draws;
- **medium**: in at least 70%;
- **low**: in fewer, or another platform is cheapest more often than the first.

What would flip it (:mod:`advisor.decision.break_even`): the engineer rate at which the
first two cost the same, and the factor on every service's replicas at which they do.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from advisor.costs.line_items import Category
from advisor.decision.break_even import BreakEven, rate_break_even, replica_break_even
from advisor.decision.fargate_agents import agent_sidecar_notes
from advisor.decision.tco import DEFAULT_METRIC, METRIC_WORDS, Metric, PlatformTco, TcoResult, billed_cluster_count
from advisor.decision.uncertainty import CostRanges, tco_ranges
from advisor.memo import scope
from advisor.operations.complexity import SELF_MANAGED_KUBERNETES_SCORE
from advisor.workload.operations_inputs import DEFAULT_ENGINEER_RATE_USD_PER_HOUR, Activity
from advisor.workload.scenario import Platform

#: Differences below this are left out of the reasons [USD/month]: noise, not a reason.
MIN_REASON_USD_PER_MONTH = 1.0
#: How many contributors a reason names on each side.
MAX_REASON_PARTS = 3
#: Share of draws the first platform must be cheapest in for high / medium confidence.
HIGH_CONFIDENCE_SHARE = 0.9
MEDIUM_CONFIDENCE_SHARE = 0.7

#: What the TCO leaves out, said with every recommendation.
KNOWN_GAPS = (
    "Operations hours count clusters and engineers, not services: per-service work (pipelines, task "
    "definitions or manifests) is taken as equal on every platform.",
    "Self-managed Kubernetes (without EKS) is not priced.",
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
class Recommendation:
    """Ranked platforms with the reasons, caveats, confidence (from ``ranges``) and break-even values."""

    metric: Metric
    ranking: tuple[PlatformTco, ...]
    reasons: tuple[str, ...]
    caveats: tuple[str, ...]
    confidence: Confidence
    confidence_reason: str
    ranges: CostRanges
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
    """``engineer time (+$1,107/month, +12.3 h/month: version upgrades +6.5 h, ...)``: the largest differences."""
    sign = 1 if other.operations_monthly_usd >= first.operations_monthly_usd else -1
    diffs = [(a.value.replace("-", " "), _hours(other, a) - _hours(first, a)) for a in Activity]
    top = sorted((d for d in diffs if d[1] * sign > 0), key=lambda d: -abs(d[1]))[:MAX_REASON_PARTS]
    hours = other.operations.monthly_hours - first.operations.monthly_hours
    usd = _signed_usd(other.operations_monthly_usd - first.operations_monthly_usd)
    detail = ", ".join(f"{name} {h:+.1f} h" for name, h in top)
    return f"engineer time ({usd}/month, {hours:+.1f} h/month{': ' + detail if detail else ''})"


def _aws_part(other: PlatformTco, category: Category, diff: float, clusters: int) -> str:
    words = _CATEGORY_WORDS[category]
    if category is Category.CONTROL_PLANE and clusters and _category_usd(other, category) > 0:
        per = _category_usd(other, category) / clusters
        return f"{words} ({_signed_usd(diff)}/month; {_usd(per)}/month per cluster × {clusters})"
    return f"{words} ({_signed_usd(diff)}/month)"


def _difference_reason(other: PlatformTco, first: PlatformTco, clusters: int, metric: Metric) -> str:
    """Why ``other`` costs more than ``first`` under ``metric``: its extra costs against its savings."""
    parts = []
    if metric is not Metric.OPERATIONS:
        parts = [(_aws_part(other, c, d, clusters), d) for c in Category
                 if abs(d := _category_usd(other, c) - _category_usd(first, c)) >= MIN_REASON_USD_PER_MONTH]
    ops_diff = other.operations_monthly_usd - first.operations_monthly_usd
    if metric is not Metric.AWS and abs(ops_diff) >= MIN_REASON_USD_PER_MONTH:
        parts.append((_operations_part(other, first), ops_diff))
    more = [text for text, d in sorted(parts, key=lambda x: -x[1]) if d > 0][:MAX_REASON_PARTS]
    less = [text for text, d in sorted(parts, key=lambda x: x[1]) if d < 0][:MAX_REASON_PARTS]
    gap = other.monthly_usd(metric) - first.monthly_usd(metric)
    what = {Metric.TCO: " costs", Metric.AWS: "'s AWS bill is", Metric.OPERATIONS: "'s engineer time costs"}[metric]
    head = f"{other.platform.value}{what} {_usd(gap)}/month more than {first.platform.value}"
    if not more:
        return head + "."
    text = f"{head}: its {_listing(more)} {'outweighs' if len(more) == 1 else 'outweigh'}"
    return text + (f" its savings on {_listing(less)}." if less else " everything it saves.")


def _headline(ranking: tuple[PlatformTco, ...], metric: Metric) -> str:
    first = ranking[0]
    ops = first.operations
    hours = f"{ops.monthly_hours:.1f} h/month at ${ops.usd_per_hour:g}/h, {ops.fte_fraction:.2f} FTE"
    engineer = f"{_usd(first.operations_monthly_usd)} of engineer time"
    if metric is Metric.AWS:
        text = (f"{first.platform.value} has the lowest AWS bill: {_usd(first.aws_monthly_usd)}/month (engineer "
                f"time is not compared; it would add {engineer}, {hours})")
    elif metric is Metric.OPERATIONS:
        text = f"{first.platform.value} needs the least engineer time: {engineer} ({hours})"
    else:
        text = (f"{first.platform.value} has the lowest total cost of ownership: {_usd(first.tco_monthly_usd)}/month "
                f"= {_usd(first.aws_monthly_usd)} AWS bill + {engineer} ({hours}; {first.operations_share:.0%} of "
                f"its TCO)")
    if len(ranking) == 1:
        return text + "; it is the only platform priced."
    second = ranking[1]
    gap, base = second.monthly_usd(metric) - first.monthly_usd(metric), second.monthly_usd(metric)
    return text + (f", {_usd(gap)}/month ({gap / base:.1%}) less than {second.platform.value}." if base else ".")


def _complexity_reason(ranking: tuple[PlatformTco, ...]) -> str:
    scores = ", ".join(f"{p.platform.value} {p.complexity.total:g}" for p in
                       sorted(ranking, key=lambda p: p.complexity.total))
    return (f"Complexity (owned parts and add-ons ×3 + concepts + forced upgrades a year ×2; self-managed "
            f"Kubernetes is {SELF_MANAGED_KUBERNETES_SCORE:g}): {scores}.")


def _lifecycle_reason(result: TcoResult, metric: Metric) -> list[str]:
    ranked = [p.platform for p in result.ranked(metric)]
    trades = sorted(result.extended_support, key=lambda t: ranked.index(t.platform))
    if not trades:
        return []
    t = trades[0]
    state = "is priced in extended support" if t.is_applied else "would move into extended support if deferred"
    return [f"EKS version lifecycle ({t.platform.value}) {state}: {_usd(t.fee_usd_per_year)}/year in fees "
            f"({_plural(t.clusters, 'cluster')} × ${t.surcharge_usd_per_cluster_hour:g}/h) against "
            f"{t.upgrade_hours_per_year:.0f} h ({_usd(t.upgrade_usd_per_year)}) of upgrade work a year of deferral "
            f"postpones, not removes."]


def _caveats(result: TcoResult, ranking: tuple[PlatformTco, ...], metric: Metric) -> tuple[str, ...]:
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
    if metric is Metric.AWS:
        out.append("Only the AWS bills are compared: the engineer time each platform needs is left out (compare "
                   "TCO to count it).")
    elif result.operations.engineer_rate_usd_per_hour == DEFAULT_ENGINEER_RATE_USD_PER_HOUR:
        out.append(f"The ${DEFAULT_ENGINEER_RATE_USD_PER_HOUR:g}/h engineer rate is wages and benefits (BLS median "
                   "developer); management, tools and the premium of platform roles are left out, so operations "
                   "err low.")
    out += [f"{u.platform.value} is not ranked: {u.reason}" for u in result.unavailable]
    return (*out, *KNOWN_GAPS)


def _percent(share: float) -> str:
    """71%; never rounds a share that is not exactly 0 or 1 to 0% or 100%."""
    if 0 < share < 0.005:
        return "<1%"
    if 0.995 <= share < 1:
        return ">99%"
    return f"{share:.0%}"


def _confidence(ranking: tuple[PlatformTco, ...], ranges: CostRanges) -> tuple[Confidence, str]:
    """How often the first platform is cheapest in the draws, in words a reviewer reads."""
    first = ranking[0].platform
    mine = ranges.of(first)
    if mine is None or not ranges.drawn:
        return Confidence.HIGH, (f"nothing uncertain was drawn ({METRIC_WORDS[ranges.metric]}), so the ranking is "
                                 "exact for the inputs as given; give inputs a range to test it")
    others = sorted((r for r in ranges.ranges if r.platform is not first and r.probability_cheapest > 0),
                    key=lambda r: -r.probability_cheapest)
    text = f"{first.value} is cheapest in {_percent(mine.probability_cheapest)} of {ranges.description}"
    if others:
        text += " (" + ", ".join(f"{r.platform.value} in {_percent(r.probability_cheapest)}" for r in others[:2]) + ")"
    leader = ranges.most_often_cheapest()
    if leader is not None and leader.platform is not first and leader.probability_cheapest > mine.probability_cheapest:
        return Confidence.LOW, (f"{text}; {leader.platform.value} is cheapest more often, although its most likely "
                                f"cost is higher")
    if mine.probability_cheapest >= HIGH_CONFIDENCE_SHARE:
        return Confidence.HIGH, text
    return (Confidence.MEDIUM if mine.probability_cheapest >= MEDIUM_CONFIDENCE_SHARE else Confidence.LOW), text


def recommend(result: TcoResult, *, solve_replicas: bool = True, metric: Metric = DEFAULT_METRIC,
              ranges: CostRanges | None = None) -> Recommendation:
    """Rank the platforms by ``metric`` (TCO, or the AWS bill alone) and explain the ranking.

    Parameters
    ----------
    result : TcoResult
        The scenario's TCO (:func:`advisor.decision.tco.tco`).
    solve_replicas : bool
        Search the replica break-even (up to ~12 two-platform estimates); the rate
        break-even is always computed for TCO (no estimates).
    metric : Metric
        ``tco`` (default), ``aws`` (compare the AWS bills alone) or ``operations``.
    ranges : CostRanges, optional
        The draws the confidence is read from; default :func:`advisor.decision.uncertainty.tco_ranges`
        (the operations ranges, the bill as priced).  Pass a Monte Carlo's ranges to count
        the inputs it drew too.

    Returns
    -------
    Recommendation
        Ranking (cheapest first), reasons, caveats, confidence and break-even values.
    """
    metric = Metric(metric)
    ranges = ranges if ranges is not None else tco_ranges(result, metric)
    ranking = result.ranked(metric)
    caveats = _caveats(result, ranking, metric)
    if not ranking:
        return Recommendation(metric=metric, ranking=(), reasons=("no platform could run this workload",),
                              caveats=caveats, confidence=Confidence.LOW, confidence_reason="nothing to compare",
                              ranges=ranges, break_evens=())
    clusters = billed_cluster_count(result.scenario)
    reasons = [_headline(ranking, metric)]
    reasons += [_difference_reason(p, ranking[0], clusters, metric) for p in ranking[1:]]
    reasons += [_complexity_reason(ranking), *_lifecycle_reason(result, metric)]
    if len(ranking) == 1:
        return Recommendation(metric=metric, ranking=ranking, reasons=tuple(reasons), caveats=caveats,
                              confidence=Confidence.HIGH, confidence_reason="the only platform that can run it",
                              ranges=ranges, break_evens=())
    confidence, why = _confidence(ranking, ranges)
    breaks = [rate_break_even(ranking[0], ranking[1])] if metric is Metric.TCO else []
    if solve_replicas:
        with scope():   # the bisection's variants share placements (staging, off-peak) through a memo
            breaks.append(replica_break_even(result, ranking[0].platform, ranking[1].platform, metric))
        breaks += [BreakEven(parameter="daemons.on_fargate", unit="USD/month", current=cost, value=None,
                             direction="", explanation=note)
                   for cost, note in agent_sidecar_notes(result, tuple(p.platform for p in ranking), metric)]
    return Recommendation(metric=metric, ranking=ranking, reasons=tuple(reasons), caveats=caveats,
                          confidence=confidence, confidence_reason=why, ranges=ranges, break_evens=tuple(breaks))
