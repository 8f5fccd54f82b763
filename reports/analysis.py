"""Bring the TCO analysis into a report: operations rows, their inputs and sources, complexity, advice.

:func:`analyze` runs the whole chain a report needs (AWS estimate, operations, TCO,
recommendation) and :func:`analysis_from_tco` maps the results of ``advisor.decision.tco`` and
``advisor.decision.recommend`` onto the report model's plain rows, so the exports never depend on
those modules' types.
"""

from __future__ import annotations

import re

from advisor.costs.estimate import ScenarioEstimate
from advisor.costs.prices import PriceLookup
from advisor.decision.recommend import Recommendation as AdvisorRecommendation
from advisor.decision.recommend import recommend
from advisor.decision.tco import TcoResult, tco, with_operations
from advisor.operations.sources import CITATIONS
from advisor.workload.operations_inputs import DEFAULT_ENGINEER_RATE_USD_PER_HOUR, Operations, OverheadLevel
from advisor.workload.scenario import Platform, Scenario
from reports.model import Analysis, AssumptionRow, OverheadRow, Recommendation

_CITATION = re.compile(r"\[(\w+)\]")


def _overhead_rows(result: TcoResult) -> tuple[OverheadRow, ...]:
    return tuple(OverheadRow(platform=p.platform.value, activity=row.activity.value,
                             hours_per_month=row.monthly_hours, usd_per_hour=row.usd_per_hour,
                             source=f"{row.source} {row.reason}".strip(), basis=row.formula, tag=row.tag.value)
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
                      source="assumed hours × 0.5 (low), × 1 (default), × 2 (high)", as_of=""),
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


def _citation_order(number: str) -> tuple[int, str]:
    """``4b`` after ``4``, before ``5``; ``10`` after ``9``."""
    digits = re.match(r"\d*", number).group()
    return (int(digits) if digits else 0, number)


def _recommendation(rec: AdvisorRecommendation) -> Recommendation:
    return Recommendation(ranking=tuple(p.platform.value for p in rec.ranking), reasons=rec.reasons,
                          caveats=rec.caveats, confidence=f"{rec.confidence.value}: {rec.confidence_reason}",
                          break_evens=tuple(b.explanation for b in rec.break_evens))


#: What the TCO range of a report spans.  The operations model gives three overhead settings
#: (assumed hours × 0.5, × 1, × 2); the AWS bill is the same at each.
RANGE_BASIS = ("TCO with the operations hours at the low and the high overhead setting (assumed hours × 0.5 "
               "and × 2); the AWS bill is the same at both")


def tco_ranges(result: TcoResult) -> tuple[tuple[str, tuple[float, float]], ...]:
    """Platform -> (low, high) monthly TCO: the result at the low and the high overhead setting.

    Only the operations rows are recomputed (microseconds); the AWS estimates are reused.
    """
    at = {level: with_operations(result, result.operations.model_copy(update={"overhead_level": level}))
          for level in (OverheadLevel.LOW, OverheadLevel.HIGH)}
    out = []
    for p in result.platforms:
        values = [at[level].by_platform(p.platform).tco_monthly_usd for level in at] + [p.tco_monthly_usd]
        out.append((p.platform.value, (min(values), max(values))))
    return tuple(out)


def analysis_from_tco(result: TcoResult, rec: AdvisorRecommendation | None = None) -> Analysis:
    """The report's view of a TCO result and its recommendation."""
    rows = _overhead_rows(result)
    return Analysis(overhead=rows, assumptions=tuple(_operations_inputs(result.operations, result.clusters)
                                                     + _citations(rows)),
                    recommendation=None if rec is None else _recommendation(rec),
                    complexity=tuple((p.platform.value, p.complexity.total) for p in result.platforms),
                    tco_ranges=tco_ranges(result), range_basis=RANGE_BASIS)


def analyze(scenario: Scenario, prices: PriceLookup, platforms: tuple[Platform, ...] | None = None, *,
            solve_replicas: bool = True) -> tuple[ScenarioEstimate, Analysis]:
    """The AWS estimate and the analysis of ``scenario``: what :func:`reports.model.build_report` takes.

    Parameters
    ----------
    solve_replicas : bool
        Search the replica break-even of the recommendation (a dozen two-platform
        estimates, several seconds on a large scenario); the rate break-even is always given.
    """
    result = tco(scenario, prices, platforms)
    return result.estimate, analysis_from_tco(result, recommend(result, solve_replicas=solve_replicas))
