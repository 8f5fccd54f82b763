"""Projection: compounding growth, rolling commitments worked by hand, payback, skipped terms, bad input."""

import math

import pytest

from advisor.analysis.parameters import InvalidAnalysis
from advisor.analysis.projection import project
from advisor.workload.scenario import Platform, PurchaseOption, Replicas, Scenario, Service

A = Platform.ECS_EC2
#: Hourly rate factor of each purchase option in the fake model (On-Demand 1).
RATE = {PurchaseOption.ON_DEMAND: 1.0, PurchaseOption.RESERVED_1YR: 0.6, PurchaseOption.SAVINGS_PLAN_1YR: 0.7,
        PurchaseOption.RESERVED_3YR: 0.4, PurchaseOption.SAVINGS_PLAN_3YR: 0.5}


def base(replicas: int = 100) -> Scenario:
    return Scenario(name="t", services=(Service(name="api", vcpu=1, memory_gib=2,
                                                replicas=Replicas(min=replicas, max=replicas)),))


def model(scenario: Scenario) -> dict[Platform, float]:
    """USD 10 per replica at On-Demand, times the option's rate."""
    return {A: 10.0 * scenario.services[0].replicas.max * RATE[scenario.purchase.option]}


def plan(result, option):
    return next(c for c in result.commitments if c.option is option)


def test_flat_workload_saves_the_rate_difference_every_month_from_month_one():
    result = project(base(), model, months=12)
    assert result.monthly_usd[A] == (1000.0,) * 12 and result.cumulative_usd[A][-1] == 12000
    reserved = plan(result, PurchaseOption.RESERVED_1YR)
    # No Upfront: no payback month (it would always read month 1); a fake model has no price book, so no
    # break-even utilization either (tests/test_cli_analyze.py checks it on the real model).
    assert reserved.monthly_usd == (600.0,) * 12 and reserved.saving_usd == 4800 and reserved.payback_month is None
    assert plan(result, PurchaseOption.ON_DEMAND).saving_usd == 0


def test_growth_compounds_on_replicas_rounded_up():
    """+10 %/month from 100 replicas: 100, 110, 121, 133.1 -> 134, 146.41 -> 147."""
    result = project(base(), model, months=12, growth_per_month=0.1)
    assert result.replicas_scale[:3] == pytest.approx((1, 1.1, 1.21))
    assert result.monthly_usd[A][:5] == (1000, 1100, 1210, 1340, 1470)


def test_growth_above_the_commitment_runs_on_demand():
    """Reserved at month 1 covers 100 replicas (saves 400); month m costs On-Demand − 400."""
    result = project(base(), model, months=12, growth_per_month=0.1)
    reserved = plan(result, PurchaseOption.RESERVED_1YR)
    assert reserved.monthly_usd == tuple(c - 400 for c in result.monthly_usd[A])


def test_three_year_horizon_renews_one_year_terms_sized_to_the_workload_then():
    result = project(base(), model, months=36, growth_per_month=0.05)
    od = result.monthly_usd[A]
    reserved = plan(result, PurchaseOption.RESERVED_1YR)
    saving_13 = od[12] * (1 - RATE[PurchaseOption.RESERVED_1YR])
    assert reserved.monthly_usd[12] == pytest.approx(od[12] - saving_13)
    assert reserved.monthly_usd[23] == pytest.approx(od[23] - saving_13)
    three = plan(result, PurchaseOption.RESERVED_3YR)
    assert three.monthly_usd[35] == pytest.approx(od[35] - 600)   # month-1 commitment all three years
    assert result.skipped == ()


def test_a_shrinking_workload_still_pays_the_commitment_and_may_never_pay_back():
    """−30 %/month: On-Demand 1000, 700, 490, ...; a 10 % cheaper commitment costs 900 every month."""
    discounted = {**RATE, PurchaseOption.SAVINGS_PLAN_1YR: 0.9}

    def shallow(scenario):
        return {A: 10.0 * scenario.services[0].replicas.max * discounted[scenario.purchase.option]}
    result = project(base(), shallow, months=12, growth_per_month=-0.3)
    sp = plan(result, PurchaseOption.SAVINGS_PLAN_1YR)
    assert sp.monthly_usd[:3] == (900.0, 900.0, 900.0)
    assert sp.payback_month is None and sp.saving_usd < 0


def test_payback_is_the_month_from_which_the_commitment_stays_ahead():
    """A 3-year commitment at 0.9 × On-Demand, sized to month 1; the workload halves in months 2-3."""
    counts = iter([100, 50, 50] + [100] * 33)

    def dipping(scenario):
        if scenario.purchase.option is PurchaseOption.ON_DEMAND:
            return {A: 10.0 * next(counts)}
        return {A: 900.0}
    reserved = plan(project(base(), dipping, months=36), PurchaseOption.RESERVED_3YR)
    # committed: 900 a month whatever the dip; On-Demand 1000, 500, 500, then 1000 a month.
    # Cumulative 900k vs 1000k − 1000: behind in months 2-9, ahead from month 10 on.
    assert reserved.monthly_usd[:4] == (900, 900, 900, 900)
    assert reserved.saving_usd == 36 * 1000 - 1000 - 36 * 900


def test_twelve_month_horizon_skips_three_year_terms_and_says_why():
    result = project(base(), model, months=12)
    assert {c.option for c in result.commitments} == {PurchaseOption.ON_DEMAND, PurchaseOption.RESERVED_1YR,
                                                      PurchaseOption.SAVINGS_PLAN_1YR}
    assert result.skipped == ("reserved-3yr: its 36-month term does not divide the 12-month horizon",
                              "savings-plan-3yr: its 36-month term does not divide the 12-month horizon")


def test_the_scenarios_own_purchase_option_drives_the_main_projection():
    bought = base().model_copy(update={"purchase": base().purchase.model_copy(
        update={"option": PurchaseOption.SAVINGS_PLAN_1YR})})
    assert project(bought, model, months=12).monthly_usd[A] == (700.0,) * 12


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"months": 0}, "months: 0 is not allowed; allowed: an integer from 1 to 120"),
    ({"months": 121}, "months: 121"),
    ({"months": True}, "months: True"),
    ({"growth_per_month": -1.0}, "growth_per_month: -1.0"),
    ({"growth_per_month": 0.6}, "growth_per_month: 0.6 .* keeps replicas within 100× month 1's over 12 months"),
    ({"growth_per_month": math.nan}, "growth_per_month: nan"),
])
def test_bad_horizons_and_growth_are_clear_errors(kwargs, match):
    with pytest.raises(InvalidAnalysis, match=match):
        project(base(), model, **kwargs)
