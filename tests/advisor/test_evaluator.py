"""The memoized evaluator gives exactly the plain estimates, whatever changed between calls; the memo itself."""

import pytest

from advisor.analysis.evaluator import CostEvaluator, Metric, metric_costs
from advisor.analysis.parameters import ParameterSpace
from advisor.costs.estimate import estimate
from advisor.decision.tco import tco
from advisor.memo import Memo, memoized
from advisor.workload.scenario import (
    Daemon,
    Job,
    Platform,
    PurchaseOption,
    Replicas,
    Scenario,
    Schedule,
    Service,
)
from pricing.active import load_pricebook

BUSINESS_HOURS = Schedule(hours_per_day=10)
SHOP = Scenario(
    name="shop", services=(
        Service(name="web", vcpu=0.5, memory_gib=1, replicas=Replicas(min=2, max=6, schedule=BUSINESS_HOURS)),
        Service(name="api", vcpu=1, memory_gib=4, replicas=Replicas(min=3, max=3), architecture="arm64"),
        Service(name="search", vcpu=2, memory_gib=4, replicas=Replicas(min=1, max=2))),
    jobs=(Job(name="etl", vcpu=2, memory_gib=8, runs_per_month=30, duration_minutes=45),),
    daemons=(Daemon(name="agent", vcpu=0.1, memory_gib=0.125),))


def _with(scenario: Scenario, section: str, **changes: object) -> Scenario:
    return scenario.model_copy(update={section: getattr(scenario, section).model_copy(update=changes)})


def variants() -> list[Scenario]:
    """One change of every kind the memo keys on (or must not key on), in an order where stale reuse would show."""
    space = ParameterSpace(SHOP)
    numeric = [{}, {"traffic.internet_egress_gb_per_month": 900}, {"replicas_scale": 1.7}, {"replicas_scale": 0.5},
               {"services.web.replicas.max": 9},   # x86 only: the arm64 placement is reused
               {"hours_per_day": 16}, {"purchase.spot_share": 0.3}, {"ec2.target_utilization": 0.7},
               {"ec2.root_volume_gib": 80}, {"daemons.agent.vcpu": 0.3}, {"assumptions.auto_mode_fee_fraction": 0.2},
               {"traffic.availability_zones": 2}, {"jobs.etl.parallelism": 3}, {}]
    return [*(space.apply(v) for v in numeric),
            _with(SHOP, "purchase", option=PurchaseOption.RESERVED_1YR),
            _with(SHOP, "ec2", instance_families=("m6i", "c7g", "r7g")),
            _with(SHOP, "ec2", eks_prefix_delegation=True),
            _with(SHOP, "ec2", ecs_eni_trunking=False),
            SHOP.model_copy(update={"region": "eu-west-1"})]


@pytest.fixture(scope="module")
def book():
    return load_pricebook(None)


def test_memoized_estimates_equal_plain_ones_line_for_line(book):
    """ECS on EC2 and EKS Auto Mode between them read every input of the node shapes (trunking, prefix
    delegation, the Auto Mode fee); the other platforms would only make the test slower."""
    memo, platforms = Memo(), (Platform.ECS_EC2, Platform.EKS_AUTO)
    for scenario in variants():
        plain = estimate(scenario, book, platforms)
        with memo.active():
            fast = estimate(scenario, book, platforms)
        assert fast == plain, scenario
    assert memo.hits and memo.misses   # the memo was filled, and reused where nothing it keys on changed


def test_cost_evaluator_metrics_add_up_and_match_the_plain_loop(book):
    fast, plain = CostEvaluator(book), CostEvaluator(book, memoize=False)
    for scenario in variants()[:4]:
        assert fast(scenario) == plain(scenario)
    result = tco(SHOP, book)
    aws, ops, total = (metric_costs(result, m) for m in (Metric.AWS, Metric.OPERATIONS, Metric.TCO))
    # arm64 pods run neither on EKS Fargate nor on the built-in (amd64-only) EKS Auto Mode node pool
    assert set(total) == set(Platform) - {Platform.EKS_FARGATE, Platform.EKS_AUTO}
    assert all(total[p] == pytest.approx(aws[p] + ops[p]) for p in total)
    assert aws == {e.platform: e.monthly_usd for e in result.estimate.estimates}


def test_memo_remembers_within_its_scope_only():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)
    assert memoized("k", compute) == 1 and memoized("k", compute) == 2   # no memo active: computed each time
    memo = Memo()
    with memo.active():
        assert memoized("k", compute) == 3 and memoized("k", compute) == 3
        with Memo().active():
            assert memoized("k", compute) == 4   # the inner memo is its own
        assert memoized("k", compute) == 3       # the outer one is back
    assert (memo.hits, memo.misses) == (2, 1)


def test_memo_is_bounded_and_does_not_remember_failures():
    memo = Memo(max_entries=2)
    for key in "abc":
        memo.lookup(key, lambda k=key: k)
    assert memo.lookup("a", lambda: "again") == "again"   # "a" was the oldest, dropped
    with pytest.raises(ZeroDivisionError):
        memo.lookup("z", lambda: 1 / 0)
    assert memo.lookup("z", lambda: "ok") == "ok"
    with pytest.raises(ValueError, match="max_entries: 0"):
        Memo(max_entries=0)


def test_variants_that_change_only_hours_or_traffic_add_nothing_to_the_memo(book):
    """Peak hours and traffic change no pod group and no placement, so the memo gains no entry for them.

    A memo keyed on the services themselves (their schedules included) missed every phase's pod
    groups at each drawn ``hours_per_day``: a Monte Carlo filled the memo with them and evicted
    the placements it was there to keep.
    """
    space, memo, platforms = ParameterSpace(SHOP), Memo(), (Platform.ECS_EC2, Platform.EKS_AUTO)
    with memo.active():
        estimate(SHOP, book, platforms)
        misses = memo.misses
        for values in ({"hours_per_day": 6}, {"hours_per_day": 14.5},
                       {"hours_per_day": 9, "traffic.internet_egress_gb_per_month": 20_000}):
            estimate(space.apply(values), book, platforms)
    assert memo.misses == misses
