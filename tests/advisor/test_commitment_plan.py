"""The optimal commitment: the newsvendor quantile of the hourly usage profile, worked by hand.

A commitment is paid every hour; one more unit pays when the share of hours that use it is at least its
price ratio (committed rate ÷ On-Demand rate).  AWS Savings Plans User Guide, "What are Savings Plans?":
a commitment to "a consistent amount of usage (measured in $/hour) for a 1 or 3 year term".
"""

import pytest

from advisor.costs.commitment_plan import break_even_utilization, optimal_commitments
from advisor.costs.estimate import estimate
from advisor.workload.scenario import Platform, PurchaseOption, Replicas, Scenario, Schedule, Service
from advisor.workload.units import HOURS_PER_MONTH
from pricing.active import load_pricebook


@pytest.fixture(scope="module")
def book():
    return load_pricebook(None)


def _scenario(low: int, high: int, hours_per_day: float = 24, days_per_week: float = 7) -> Scenario:
    schedule = Schedule(hours_per_day=hours_per_day, days_per_week=days_per_week)
    svc = Service(name="api", vcpu=1, memory_gib=2, replicas=Replicas(min=low, max=high, schedule=schedule))
    return Scenario(name="c", services=(svc,), traffic={"availability_zones": 1})


def _plan(book, scenario, platform):
    result = estimate(scenario, book, (platform,))
    return next(p for p in optimal_commitments(result, book) if p.platform is platform), result


def test_fargate_savings_plan_commits_to_the_steady_level_when_the_peak_is_short(book):
    """Business hours (29.8% of the month) is below the 3-year price ratio 0.55: commit to the baseline only."""
    plan, _ = _plan(book, _scenario(2, 6, 10, 5), Platform.ECS_FARGATE)
    per_task = 1 * 0.04048 + 2 * 0.004445   # us-east-1 On-Demand, 1 vCPU + 2 GB
    assert plan.option is PurchaseOption.SAVINGS_PLAN_3YR
    assert plan.usd_per_hour == pytest.approx(0.55 * 2 * per_task)
    assert plan.utilization == pytest.approx(1.0) and plan.break_even_utilization == pytest.approx(0.55)
    assert plan.saving_monthly_usd == pytest.approx(0.45 * 2 * per_task * HOURS_PER_MONTH)


def test_fargate_savings_plan_covers_the_peak_when_it_lasts_long_enough(book):
    """Six days of seven (85.7%) exceed the 0.55 ratio: committing to the peak pays although 14% is unused."""
    plan, _ = _plan(book, _scenario(2, 6, 24, 6), Platform.ECS_FARGATE)
    per_task = 1 * 0.04048 + 2 * 0.004445
    assert plan.usd_per_hour == pytest.approx(0.55 * 6 * per_task)
    assert plan.utilization == pytest.approx((6 / 7 * 6 + 1 / 7 * 2) / 6)


def test_reserved_instances_per_type_on_a_steady_workload(book):
    plan, result = _plan(book, _scenario(4, 4), Platform.ECS_EC2)
    (summary,) = result.by_platform(Platform.ECS_EC2).placements
    assert dict(plan.instances) == dict(summary.node_counts) and plan.utilization == pytest.approx(1.0)
    assert 0 < plan.break_even_utilization < 1 and plan.saving_monthly_usd > 0


def test_break_even_utilization_is_the_rate_ratio_and_fargate_has_no_reserved_instances(book):
    result = estimate(_scenario(2, 2), book, (Platform.ECS_FARGATE, Platform.ECS_EC2))
    assert break_even_utilization(result, Platform.ECS_FARGATE, PurchaseOption.RESERVED_1YR, book) is None
    assert break_even_utilization(result, Platform.ECS_FARGATE, PurchaseOption.SAVINGS_PLAN_1YR,
                                  book) == pytest.approx(0.8)
    ratio = break_even_utilization(result, Platform.ECS_EC2, PurchaseOption.RESERVED_1YR, book)
    assert 0 < ratio < 1
