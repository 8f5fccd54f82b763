"""Projection over months with growth, and commitments (Reserved Instances, Savings Plans) with their payback.

Why this exists
---------------
A monthly estimate is a snapshot; budgets are yearly or three-yearly and workloads grow.
The projection prices month ``m`` with every service's replicas × (1 + growth)^(m−1),
rounded up as :func:`advisor.analysis.parameters.ParameterSpace.apply` does for ``replicas_scale``;
traffic, rates and everything else stay as in the scenario (sweep them separately).

Commitments
-----------
The model prices commitments at their No Upfront hourly rates (:mod:`advisor.costs.purchase`),
so a commitment changes the rate, not the timing, of payments.  What it does change is
that the amount is fixed for the term.  A commitment bought at the start of a term is
sized to that month's workload:

- while the workload is at or above that size, month ``m`` costs
  ``on_demand[m] − (on_demand[s] − committed[s])``: the month-``s`` saving is kept, the
  growth runs On-Demand;
- below it, the commitment is still paid in full: month ``m`` costs ``committed[s]``
  (conservative: items that shrink with the nodes, such as root volumes, are not credited).

A new commitment is bought at the start of each term (rolling renewal).  Options whose
term does not divide the horizon are skipped (their last term would run past it), and so are
options AWS does not sell: Fargate is covered by Compute Savings Plans, not Reserved Instances.
Every commitment here is No Upfront, so a payback month says nothing (it is month 1 whenever
the rate is lower); each row gives the break-even utilization instead: the share of the
committed hours that must be used for the commitment to pay
(:func:`advisor.costs.commitment_plan.break_even_utilization`; needs an evaluator with a price
book, else None).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace

from advisor.analysis.evaluator import Costs, Evaluator, evaluate_all
from advisor.analysis.parameters import MAX_REPLICAS_SCALE, REPLICAS_SCALE, InvalidAnalysis, ParameterSpace, Variants
from advisor.costs.commitment_plan import break_even_utilization
from advisor.costs.estimate import estimate
from advisor.workload.platforms import FARGATE_PLATFORMS
from advisor.workload.scenario import Platform, PurchaseOption, Scenario

#: Term of each commitment [months] (1-year and 3-year terms, AWS RI and Savings Plans pricing).
TERM_MONTHS: dict[PurchaseOption, int] = {
    PurchaseOption.RESERVED_1YR: 12, PurchaseOption.SAVINGS_PLAN_1YR: 12,
    PurchaseOption.RESERVED_3YR: 36, PurchaseOption.SAVINGS_PLAN_3YR: 36,
}
#: Longest horizon [months]: ten years is beyond any price list's relevance.
MAX_MONTHS = 120


@dataclass(frozen=True, slots=True, kw_only=True)
class Commitment:
    """One purchase option on one platform over the horizon [USD].

    ``monthly_usd`` / ``cumulative_usd`` follow the rolling-commitment model of the module
    docstring (On-Demand: the plain monthly cost, its ``term_months`` the horizon).
    ``saving_usd`` is On-Demand's total minus this option's; ``payback_month`` is None for No
    Upfront commitments (all the model prices), whose ``break_even_utilization`` says when they pay.
    """

    platform: Platform
    option: PurchaseOption
    term_months: int
    monthly_usd: tuple[float, ...]
    cumulative_usd: tuple[float, ...]
    saving_usd: float
    payback_month: int | None
    break_even_utilization: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Projection:
    """Monthly and cumulative cost per platform under the scenario's own purchase option, and the commitments."""

    months: int
    growth_per_month: float
    replicas_scale: tuple[float, ...]
    monthly_usd: dict[Platform, tuple[float, ...]]
    cumulative_usd: dict[Platform, tuple[float, ...]]
    commitments: tuple[Commitment, ...]
    skipped: tuple[str, ...]


def project(scenario: Scenario, evaluator: Evaluator, *, months: int = 12, growth_per_month: float = 0.0
            ) -> Projection:
    """Project ``months`` months with compounding replica growth, and compare purchase options.

    Parameters
    ----------
    scenario : Scenario
        Month 1's workload.
    evaluator : Evaluator
        Monthly USD per platform (:class:`advisor.analysis.evaluator.CostEvaluator`).
    months : int, default 12
        Horizon, 1 to MAX_MONTHS (12 and 36 match the commitment terms).
    growth_per_month : float, default 0
        Replica growth per month as a fraction (0.02 = +2 % a month); negative shrinks.

    Returns
    -------
    Projection
    """
    if isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= MAX_MONTHS:
        raise InvalidAnalysis("months", months, f"an integer from 1 to {MAX_MONTHS}")
    if not (math.isfinite(growth_per_month) and growth_per_month > -1
            and (1 + growth_per_month) ** (months - 1) <= MAX_REPLICAS_SCALE):
        raise InvalidAnalysis("growth_per_month", growth_per_month,
                              f"a fraction > -1 (0.02 is +2 % a month) that keeps replicas within "
                              f"{MAX_REPLICAS_SCALE:g}× month 1's over {months} months")
    scales = tuple((1 + growth_per_month) ** m for m in range(months))
    on_demand = _monthly(scenario, PurchaseOption.ON_DEMAND, evaluator, scales)
    own = scenario.purchase.option
    monthly_rows = on_demand if own is PurchaseOption.ON_DEMAND else _monthly(scenario, own, evaluator, scales)
    platforms = [p for p in Platform if any(p in row for row in monthly_rows)]
    monthly = {p: tuple(row.get(p, math.nan) for row in monthly_rows) for p in platforms}
    commitments = [_commitment(p, PurchaseOption.ON_DEMAND, on_demand, []) for p in platforms]
    for option, term in TERM_MONTHS.items():
        if months % term == 0:
            at_starts = _monthly(scenario, option, evaluator, scales[::term])
            sold = [p for p in platforms if _sold(p, option)]
            ratios = _break_even(scenario, option, evaluator, sold)
            commitments += [replace(_commitment(p, option, on_demand, at_starts), payback_month=None,
                                    break_even_utilization=ratios.get(p)) for p in sold]
    skipped = tuple(f"{o.value}: its {t}-month term does not divide the {months}-month horizon"
                    for o, t in TERM_MONTHS.items() if months % t)
    return Projection(months=months, growth_per_month=growth_per_month, replicas_scale=scales, monthly_usd=monthly,
                      cumulative_usd={p: tuple(itertools.accumulate(v)) for p, v in monthly.items()},
                      commitments=tuple(commitments), skipped=skipped)


def _sold(platform: Platform, option: PurchaseOption) -> bool:
    """AWS sells no Reserved Instances for Fargate (Compute Savings Plans cover it)."""
    return not (platform in FARGATE_PLATFORMS and option in (PurchaseOption.RESERVED_1YR,
                                                             PurchaseOption.RESERVED_3YR))


def _break_even(scenario: Scenario, option: PurchaseOption, evaluator: Evaluator, platforms: list[Platform]
                ) -> dict[Platform, float | None]:
    """Break-even utilization per platform at month 1 (needs the evaluator's price book)."""
    prices = getattr(evaluator, "prices", None)
    if prices is None:
        return {}
    bought = scenario.model_copy(update={"purchase": scenario.purchase.model_copy(update={"option": option})})
    result = estimate(bought, prices, tuple(platforms))
    priced = {e.platform for e in result.estimates}
    return {p: break_even_utilization(result, p, option, prices) for p in platforms if p in priced}


def _monthly(scenario: Scenario, option: PurchaseOption, evaluator: Evaluator, scales: tuple[float, ...]
             ) -> list[Costs]:
    """Costs of each month under ``option`` (months with equal replica vectors reuse the evaluator's memo)."""
    bought = scenario.model_copy(update={"purchase": scenario.purchase.model_copy(update={"option": option})})
    space = ParameterSpace(bought)
    return evaluate_all(evaluator, Variants(space, [{REPLICAS_SCALE: scale} for scale in scales]))


def _commitment(platform: Platform, option: PurchaseOption, on_demand: list[Costs], at_starts: list[Costs]
                ) -> Commitment:
    """One option's months: ``at_starts[k]`` is the committed cost at the start of term ``k``."""
    plain = [row.get(platform, math.nan) for row in on_demand]
    term = TERM_MONTHS.get(option, len(plain))
    monthly = list(plain)
    if option is not PurchaseOption.ON_DEMAND:
        for m, cost in enumerate(plain):
            size, price = plain[m - m % term], at_starts[m // term].get(platform, math.nan)
            monthly[m] = cost - (size - price) if cost >= size else price
    cumulative, baseline = tuple(itertools.accumulate(monthly)), tuple(itertools.accumulate(plain))
    behind = [m for m in range(len(monthly)) if not cumulative[m] <= baseline[m]]
    payback = None if behind and behind[-1] == len(monthly) - 1 else (behind[-1] + 2 if behind else 1)
    return Commitment(platform=platform, option=option, term_months=term, monthly_usd=tuple(monthly),
                      cumulative_usd=cumulative, saving_usd=baseline[-1] - cumulative[-1], payback_month=payback)
