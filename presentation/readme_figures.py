"""The README's figures about the model, produced from the model so they cannot drift.

Each figure block of README.md sits between ``<!-- figures:NAME -->`` and ``<!-- /figures -->``
and is the text :func:`figure_blocks` returns for it: ``make readme-figures`` rewrites the
blocks, and the test suite fails when the README and the model disagree.  The replica factor
at which the leader flips is read from the recommendation *and* from a ``replicas_scale``
sweep, and the README states it once, because they are the same number.  On all six
platforms nothing from ×0.125 to ×8 replicas flips the microservices example's leader, so
the flip is stated (and checked) between the two it does flip: ECS on Fargate and ECS on EC2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from advisor.analysis.evaluator import DEFAULT_METRIC, CostEvaluator, Metric
from advisor.analysis.parameters import REPLICAS_SCALE, ParameterSpace
from advisor.analysis.sweep import SweepResult, sweep, sweep_values
from advisor.costs.defaults import defaulted_costs
from advisor.costs.prices import PriceLookup
from advisor.decision.recommend import Recommendation, recommend
from advisor.decision.tco import tco
from advisor.workload.platforms import Platform
from advisor.workload.scenario import Environment, Scenario, Traffic
from presentation.labels import platform_label
from presentation.money import format_usd

#: The sweep the README quotes: ``advisor analyze sweep ... --param replicas_scale --from 0.5 --to 1.5 --points 11``.
SWEEP_RANGE = (0.5, 1.5, 11)
#: The two platforms whose flip the README states (``--platform ecs-fargate --platform ecs-ec2``).
FLIP_PAIR = (Platform.ECS_FARGATE, Platform.ECS_EC2)
_BLOCK = re.compile(r"(<!-- figures:(?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- /figures -->)", re.S)


def _break_even(rec: Recommendation, parameter: str) -> tuple[float | None, str]:
    """The value of a break-even and the side of it on which the runner-up is cheaper."""
    found = next((b for b in rec.break_evens if b.parameter == parameter), None)
    return (None, "") if found is None else (found.value, found.direction)


def replica_flip_of_sweep(result: SweepResult, leader: str, runner_up: str) -> float | None:
    """The replicas factor where the sweep's cheapest changes between the leader and the runner-up, nearest ×1."""
    changes = [c for c in result.winner_changes() if {c.below.value, c.above.value} == {leader, runner_up}]
    return min((c.value for c in changes), key=lambda v: abs(v - 1.0), default=None)


@dataclass(frozen=True, slots=True, kw_only=True)
class RecommendationFigures:
    """What the README says about the recommendation on the microservices example."""

    #: The platforms compared (None: all of them).
    platforms: tuple[Platform, ...] | None
    leader: str
    runner_up: str
    lead_pct: float
    confidence: str
    #: The leader's share of the draws it is cheapest in (the confidence is read from it).
    leader_share: float
    draws: int
    rate: float | None
    rate_direction: str
    replicas: float | None
    replicas_direction: str
    replicas_in_sweep: float | None
    #: Why no replica factor is given (the range searched), when none flips the first two.
    replicas_note: str
    #: What the per-node agents cost as Fargate sidecars, where that can reorder the first two.
    sidecar_notes: tuple[str, ...]
    complexity: dict[str, float]
    #: What a blank workload's default NAT gateways cost a month in the example's Region (one environment).
    default_nat_monthly_usd: float


def recommendation_figures(scenario: Scenario, prices: PriceLookup,
                           platforms: tuple[Platform, ...] | None = None) -> RecommendationFigures:
    """The recommendation's figures on ``scenario`` (among ``platforms``), and the same flip read from a sweep."""
    result = tco(scenario, prices, platforms)
    rec = recommend(result)
    first, second = rec.ranking[0], rec.ranking[1]
    start, stop, points = SWEEP_RANGE
    values = sweep_values(ParameterSpace(scenario).parameter(REPLICAS_SCALE), start, stop, points)
    swept = sweep(scenario, CostEvaluator(prices, Metric(DEFAULT_METRIC), platforms), REPLICAS_SCALE, values,
                  refine=True)
    rate, rate_direction = _break_even(rec, "engineer_rate_usd_per_hour")
    replicas, replicas_direction = _break_even(rec, "replica_scale")
    replica_step = next(b for b in rec.break_evens if b.parameter == "replica_scale")
    drawn = rec.ranges.of(first.platform)
    return RecommendationFigures(
        platforms=platforms, leader=first.platform.value, runner_up=second.platform.value,
        lead_pct=100.0 * (second.tco_monthly_usd - first.tco_monthly_usd) / second.tco_monthly_usd,
        confidence=rec.confidence.value, leader_share=drawn.probability_cheapest if drawn else 1.0,
        draws=rec.ranges.draws, rate=rate, rate_direction=rate_direction, replicas=replicas,
        replicas_direction=replicas_direction,
        replicas_in_sweep=replica_flip_of_sweep(swept, first.platform.value, second.platform.value),
        replicas_note="" if replicas is not None else replica_step.explanation,
        sidecar_notes=tuple(b.explanation for b in rec.break_evens if b.parameter == "daemons.on_fargate"),
        complexity={p.platform.value: p.complexity.total for p in result.platforms},
        default_nat_monthly_usd=sum(c.monthly_usd for c in defaulted_costs(scenario.model_copy(
            update={"traffic": Traffic(), "environments": (Environment(name="prod"),)}), prices)))


def _recommendation_text(f: RecommendationFigures) -> str:
    """One paragraph: who leads, by how much, how sure, and what would change it (the sweep's flip too)."""
    start, stop, points = SWEEP_RANGE
    only = "".join(f" --platform {p.value}" for p in f.platforms or ())
    flips = []
    if f.rate is not None:
        flips.append(f"an engineer rate {f.rate_direction} ${f.rate:,.2f}/h")
    if f.replicas is not None:
        flips.append(f"every service's replicas at ×{f.replicas:.4g} or fewer" if f.replicas_direction == "below"
                     else f"every service's replicas above ×{f.replicas:.4g}")
    flip = (f"{f.runner_up} becomes cheaper with " + " or with ".join(flips) if flips
            else f"no engineer rate or replica factor tried makes {f.runner_up} cheaper")
    among = (f"Between {' and '.join(p.value for p in f.platforms)} alone (`advisor compare{only}`), "
             if f.platforms else "")
    text = (f"{among}on `examples/microservices.yaml` {f.leader} leads {f.runner_up} by {f.lead_pct:.1f}% with "
            f"{f.confidence} confidence (cheapest in {f.leader_share:.0%} of {f.draws:,} draws of the operations "
            f"ranges); {flip}")
    if f.replicas is not None:
        text += (f", the same factor at which `advisor analyze sweep examples/microservices.yaml{only} --param "
                 f"replicas_scale --from {start:g} --to {stop:g} --points {points}` shows the cheapest platform "
                 "change")
    text += "".join(f"; {note}" for note in (f.replicas_note, *f.sidecar_notes) if note)
    return text[:1].upper() + text[1:] + ".\n"


def figure_blocks(f: RecommendationFigures, pair: RecommendationFigures, region: str = "us-east-1") -> dict[str, str]:
    """The README's figure blocks (name -> text) from the microservices example's figures on every platform
    (``f``) and on :data:`FLIP_PAIR` (``pair``)."""
    scores = sorted(f.complexity.items(), key=lambda kv: kv[1])
    complexity = ", ".join(f"{platform_label(p)} {s:g}" for p, s in scores) + ".\n"
    nat = ("Costs no field asked for are shown beside the editor: a blank workload gets one NAT gateway per "
           f"Availability Zone, {format_usd(f.default_nat_monthly_usd)}/month with their public IPv4 addresses in "
           f"{region}, shown as a line with a switch to turn it off.\n")
    return {"recommendation": _recommendation_text(f), "replica-flip": _recommendation_text(pair),
            "complexity": complexity, "default-nat": nat}


def blocks_in(text: str) -> dict[str, str]:
    """The figure blocks a README holds (name -> text between its markers)."""
    return {m["name"]: m["body"] for m in _BLOCK.finditer(text)}


def with_blocks(text: str, blocks: dict[str, str]) -> str:
    """``text`` with each figure block replaced by ``blocks[name]`` (blocks it does not hold are left)."""
    return _BLOCK.sub(lambda m: m[1] + blocks.get(m["name"], m["body"]) + m[4], text)
