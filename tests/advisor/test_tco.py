"""TCO = AWS bill + operations, side by side; the EKS extended-support trade."""

from pathlib import Path

import pytest

from advisor.costs.line_items import Category
from advisor.decision.tco import billed_scenario, is_in_extended_support, tco, with_operations
from advisor.workload.operations_inputs import Activity, Operations, OverheadLevel, UpgradeStrategy
from advisor.workload.scenario import Environment, Platform, Scenario, Service
from advisor.workload.spec_io import parse_scenario
from pricing.active import load_pricebook

ROOT = Path(__file__).parents[2]
EKS = (Platform.EKS_EC2, Platform.EKS_FARGATE, Platform.EKS_AUTO)


@pytest.fixture(scope="module")
def book():
    return load_pricebook(None)


@pytest.fixture(scope="module")
def small_api():
    return parse_scenario((ROOT / "examples" / "small-api.yaml").read_text())


def _two_clusters(strategy=UpgradeStrategy.KEEP_CURRENT, *, extended=False, rate=90.0):
    return Scenario(
        name="two", region="us-east-1", services=(Service(name="api", vcpu=0.5, memory_gib=1, replicas=2),),
        environments=(Environment(name="prod"), Environment(name="staging", scale=0.5),
                      Environment(name="dev", shared_cluster=True)),
        assumptions={"eks_extended_support": extended},
        operations=Operations(eks_upgrade_strategy=strategy, engineer_rate_usd_per_hour=rate))


def test_tco_is_bill_plus_operations_monthly_and_annual(small_api, book):
    result = tco(small_api, book)
    assert {p.platform for p in result.platforms} == set(Platform)
    for p in result.platforms:
        assert p.aws_monthly_usd == pytest.approx(sum(i.monthly_usd for i in p.aws.line_items))
        assert p.operations_monthly_usd == pytest.approx(p.operations.monthly_hours * 90.0)
        assert p.tco_monthly_usd == pytest.approx(p.aws_monthly_usd + p.operations_monthly_usd)
        assert p.tco_annual_usd == pytest.approx(12 * p.tco_monthly_usd)
        assert p.aws_annual_usd + p.operations_annual_usd == pytest.approx(p.tco_annual_usd)


def test_operations_never_enter_the_aws_line_items(small_api, book):
    """The bill is exactly the estimate's: same line items, AWS categories only."""
    result = tco(small_api, book)
    for p in result.platforms:
        assert p.aws is result.estimate.by_platform(p.platform)
        assert {i.category for i in p.aws.line_items} <= set(Category)
        assert all(i.price_key for i in p.aws.line_items)


def test_ranked_is_cheapest_tco_first(small_api, book):
    ranked = tco(small_api, book).ranked()
    assert [p.tco_monthly_usd for p in ranked] == sorted(p.tco_monthly_usd for p in ranked)


def test_platform_filter_and_clusters(book):
    result = tco(_two_clusters(), book, (Platform.ECS_FARGATE, Platform.EKS_AUTO))
    assert [p.platform for p in result.platforms] == [Platform.ECS_FARGATE, Platform.EKS_AUTO]
    assert result.clusters == 2  # prod and staging; dev shares a cluster
    assert all(p.operations.clusters == 2 for p in result.platforms)


def test_extended_support_trade_numbers(book):
    """2 clusters × $0.50/h × 8,760 h = $8,760 a year; EKS with nodes postpones 3 × (20 + 6) = 78 h ($7,020)."""
    result = tco(_two_clusters(), book)
    trades = {t.platform: t for t in result.extended_support}
    assert set(trades) == set(EKS)
    eks = trades[Platform.EKS_EC2]
    assert eks.surcharge_usd_per_cluster_hour == pytest.approx(0.5)
    assert eks.fee_usd_per_year == pytest.approx(8760.0)
    assert eks.upgrade_hours_per_year == pytest.approx(78.0)
    assert eks.upgrade_usd_per_year == pytest.approx(7020.0)
    assert eks.net_usd_per_year == pytest.approx(7020.0 - 8760.0)
    assert trades[Platform.EKS_AUTO].upgrade_hours_per_year == pytest.approx(3 * (8 + 2))
    assert eks.price_ref and eks.publication_date.startswith("20")
    assert not eks.is_applied


def test_deferring_adds_the_surcharge_to_the_bill_and_keeps_the_hours(book):
    keep = tco(_two_clusters(), book)
    defer = tco(_two_clusters(UpgradeStrategy.DEFER_TO_EXTENDED_SUPPORT), book)
    assert all(t.is_applied for t in defer.extended_support)
    for platform in Platform:
        k, d = keep.by_platform(platform), defer.by_platform(platform)
        assert d.operations.monthly_hours == pytest.approx(k.operations.monthly_hours)
        surcharge = 0.5 * 730 * 2 if platform in EKS else 0.0
        assert d.aws_monthly_usd - k.aws_monthly_usd == pytest.approx(surcharge)
    names = [i.name for i in defer.by_platform(Platform.EKS_AUTO).aws.line_items]
    assert names.count("EKS extended support surcharge") == 2


def test_extended_support_assumption_means_the_defer_strategy(book):
    """assumptions.eks_extended_support says a cluster already runs an extended version: same bill as deferring."""
    assumed = _two_clusters(extended=True)
    deferred = _two_clusters(UpgradeStrategy.DEFER_TO_EXTENDED_SUPPORT)
    assert is_in_extended_support(assumed) and is_in_extended_support(deferred)
    assert billed_scenario(deferred).assumptions.eks_extended_support
    assert billed_scenario(assumed) is assumed
    a, d = tco(assumed, book), tco(deferred, book)
    for platform in Platform:
        assert a.by_platform(platform).aws_monthly_usd == pytest.approx(d.by_platform(platform).aws_monthly_usd)
    assert all(t.is_applied for t in a.extended_support)


def test_no_trade_without_eks(book):
    assert tco(_two_clusters(), book, (Platform.ECS_EC2, Platform.ECS_FARGATE)).extended_support == ()


def test_with_operations_reuses_the_bill(small_api, book):
    result = tco(small_api, book)
    ops = Operations(engineer_rate_usd_per_hour=150, team_size=5, overhead_level=OverheadLevel.HIGH)
    retuned = with_operations(result, ops)
    assert retuned.estimate is result.estimate
    fresh = tco(small_api.model_copy(update={"operations": ops}), book)
    for p in fresh.platforms:
        assert retuned.by_platform(p.platform).tco_monthly_usd == pytest.approx(p.tco_monthly_usd)


def test_with_operations_re_estimates_when_the_bill_changes(book):
    result = tco(_two_clusters(), book, (Platform.EKS_AUTO,))
    deferred = with_operations(result, Operations(eks_upgrade_strategy=UpgradeStrategy.DEFER_TO_EXTENDED_SUPPORT))
    assert deferred.estimate is not result.estimate
    before, after = (r.by_platform(Platform.EKS_AUTO).aws_monthly_usd for r in (result, deferred))
    assert after - before == pytest.approx(0.5 * 730 * 2)


def test_zero_rate_compares_bills_alone(small_api, book):
    result = tco(small_api.model_copy(update={"operations": Operations(engineer_rate_usd_per_hour=0)}), book)
    for p in result.platforms:
        assert p.tco_monthly_usd == p.aws_monthly_usd
        assert p.operations.monthly_hours > 0
        assert p.operations.row(Activity.INCIDENTS) is not None
