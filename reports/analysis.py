"""Bring the TCO analysis into a report: operations rows, their inputs and sources, complexity, advice, ranges.

:func:`analyze` runs the whole chain a report needs (AWS estimate, operations, TCO, ranges,
recommendation, Sobol ranking: :func:`advisor.analysis.assessment.assess`) and
:func:`analysis_from_assessment` (or, without ranges, :func:`analysis_from_tco`) maps the results
onto the report model's plain rows, so the exports never depend on the model's types.
"""

from __future__ import annotations

import re
from dataclasses import replace

from advisor.analysis.assessment import Assessment, assess
from advisor.costs.estimate import ScenarioEstimate
from advisor.costs.prices import PriceLookup
from advisor.decision.recommend import Recommendation as AdvisorRecommendation
from advisor.decision.tco import TcoResult
from advisor.decision.uncertainty import CostRanges, tco_ranges
from advisor.operations.sources import CITATIONS
from advisor.workload.operations_inputs import DEFAULT_ENGINEER_RATE_USD_PER_HOUR, Operations
from advisor.workload.scenario import Platform, Scenario
from presentation.uncertainty_views import basis_statement
from reports.model import Analysis, AssumptionRow, OverheadRow, RangeRow, Recommendation, SensitivityRow

_CITATION = re.compile(r"\[(\w+)\]")


def _overhead_rows(result: TcoResult) -> tuple[OverheadRow, ...]:
    return tuple(OverheadRow(platform=p.platform.value, activity=row.activity.value,
                             hours_per_month=row.monthly_hours, usd_per_hour=row.usd_per_hour,
                             source=f"{row.source} {row.reason}".strip(),
                             basis=f"{row.formula}; ranges: {row.ranges_text}", tag=row.tag.value)
                 for p in result.platforms for row in p.operations.rows)


def _operations_inputs(operations: Operations, clusters: int) -> list[AssumptionRow]:
    rate = operations.engineer_rate_usd_per_hour
    rate_source = ("default: BLS median software-developer wage ÷ 2,080 h ÷ 0.702 wage share of employer cost "
                   "[29][31]" if rate == DEFAULT_ENGINEER_RATE_USD_PER_HOUR else "the scenario's operations section")
    return [
        AssumptionRow(group="operations input", item="engineer rate (USD per hour)", value=f"{rate:g}",
                      source=rate_source, as_of=""),
        AssumptionRow(group="operations input", item="team size (engineers)", value=str(operations.team_size),
                      source="the scenario's operations section (default 2: on-call and holiday cover)", as_of=""),
        AssumptionRow(group="operations input", item="overhead level", value=operations.overhead_level.value,
                      source="where the point estimate sits in each operations range: low end, most likely, high "
                             "end (the ranges draw the whole range)", as_of=""),
        AssumptionRow(group="operations input", item="EKS upgrade strategy",
                      value=operations.eks_upgrade_strategy.value, source="the scenario's operations section",
                      as_of=""),
        AssumptionRow(group="operations input", item="clusters", value=str(clusters),
                      source="environments with their own cluster", as_of=""),
        *(AssumptionRow(group="operations override", item=f"{o.activity.value} on {o.platform or 'every platform'}",
                        value=", ".join(f"{k} {v:g}" for k, v in o.model_dump(exclude_none=True).items()
                                        if isinstance(v, float | int)),
                        source="the team's own numbers (scenario)", as_of="") for o in operations.overrides),
    ]


def _citations(rows: tuple[OverheadRow, ...]) -> list[AssumptionRow]:
    """The numbered sources the operations rows cite, as the sources doc numbers them."""
    numbers = dict.fromkeys(n for r in rows for n in _CITATION.findall(r.source) if n in CITATIONS)
    return [AssumptionRow(group="operations source", item=f"[{n}]", value="", source=CITATIONS[n], as_of="",
                          used_by=tuple(dict.fromkeys(r.platform for r in rows if f"[{n}]" in r.source)))
            for n in sorted(numbers, key=_citation_order)]


def _citation_order(number: str) -> tuple[int, int, str]:
    """``4b`` after ``4``, before ``5``; ``10`` after ``9``; the anchors doc's ``A1``... after them all."""
    anchor = number.startswith("A")
    digits = re.match(r"\d*", number.removeprefix("A")).group()
    return (int(anchor), int(digits) if digits else 0, number)


def _recommendation(rec: AdvisorRecommendation) -> Recommendation:
    return Recommendation(ranking=tuple(p.platform.value for p in rec.ranking), reasons=rec.reasons,
                          caveats=rec.caveats, confidence=f"{rec.confidence.value}: {rec.confidence_reason}",
                          break_evens=tuple(b.explanation for b in rec.break_evens))


def _range_rows(result: TcoResult, ranges: CostRanges) -> tuple[RangeRow, ...]:
    ranked = result.ranked(ranges.metric)
    return tuple(RangeRow(platform=p.platform.value, point_usd=p.monthly_usd(ranges.metric), p10_usd=r.p10_usd,
                          p50_usd=r.p50_usd, p90_usd=r.p90_usd, probability_cheapest=r.probability_cheapest)
                 for p in ranked if (r := ranges.of(p.platform)) is not None)


def analysis_from_tco(result: TcoResult, rec: AdvisorRecommendation | None = None) -> Analysis:
    """The report's view of a TCO result and its recommendation, with the ranges the recommendation drew.

    Without a recommendation the default ranges are drawn (the operations ranges on the priced bill).
    """
    rows = _overhead_rows(result)
    ranges = rec.ranges if rec is not None else tco_ranges(result)
    basis = (f"P10 to P90 over {ranges.description}; the AWS bill as priced" if ranges.drawn else "")
    return Analysis(overhead=rows, assumptions=tuple(_operations_inputs(result.operations, result.clusters)
                                                     + _citations(rows)),
                    recommendation=None if rec is None else _recommendation(rec),
                    complexity=tuple((p.platform.value, p.complexity.total) for p in result.platforms),
                    ranges=_range_rows(result, ranges) if ranges.drawn else (), range_basis=basis)


def analysis_from_assessment(a: Assessment) -> Analysis:
    """The report's view of an assessment: the TCO analysis with its ranges, plus the basis and the Sobol ranking."""
    sensitivity = () if a.sensitivity is None else tuple(
        SensitivityRow(input=i.name, label=i.label, total=i.total, total_conf=i.total_conf,
                       first_order=i.first_order, first_order_conf=i.first_order_conf) for i in a.sensitivity.indices)
    note = a.sensitivity_note or ("" if a.sensitivity is None else a.sensitivity.description)
    return replace(analysis_from_tco(a.result, a.recommendation),
                   basis=basis_statement(a.result, a.metric).replace("**", ""), sensitivity=sensitivity,
                   sensitivity_note=note)


def analyze(scenario: Scenario, prices: PriceLookup, platforms: tuple[Platform, ...] | None = None, *,
            solve_replicas: bool = True) -> tuple[ScenarioEstimate, Analysis]:
    """The AWS estimate and the analysis of ``scenario``: what :func:`reports.model.build_report` takes.

    Parameters
    ----------
    solve_replicas : bool
        Search the replica break-even of the recommendation (a dozen two-platform
        estimates, several seconds on a large scenario); the rate break-even is always given.
    """
    a = assess(scenario, prices, platforms=platforms, solve_replicas=solve_replicas)
    return a.result.estimate, analysis_from_assessment(a)
