"""Amazon ECS Managed Instances (platform ``ecs-managed``): EC2 price plus a management fee per instance-hour.

Sources: Amazon ECS pricing page (Managed Instances example: $0.037 an hour for a c6a.2xlarge);
ECS Developer Guide, "Architect for Amazon ECS Managed Instances" and "Amazon ECS task networking for
Amazon ECS Managed Instances" (awsvpc and host), https://docs.aws.amazon.com/AmazonECS/latest/developerguide/
ManagedInstances.html (read 2026-12-03); aws-price-data PROVENANCE §4 (unnamed AmazonECS feed entries).
"""

import pytest

from advisor.costs.estimate import estimate
from advisor.costs.management_fees import management_fee
from advisor.decision.recommend import recommend
from advisor.decision.tco import tco
from advisor.operations.activities import ACTIVITY_INFO, PROFILES
from advisor.operations.complexity import complexity
from advisor.workload.operations_inputs import Activity
from advisor.workload.scenario import Assumptions, Daemon, Platform, Replicas, Scenario, Service
from presentation.labels import platform_label
from pricing.active import load_pricebook


@pytest.fixture(scope="module")
def book():
    return load_pricebook(None)


def _scenario(**kw) -> Scenario:
    svc = Service(name="api", vcpu=1, memory_gib=2, replicas=Replicas(min=4, max=4),
                  network_mode=kw.pop("network_mode", "awsvpc"))
    return Scenario(name="mi", services=(svc,), **kw)


def test_fee_matches_the_pricing_page_example_and_cites_the_feed_entry(book):
    """$0.037/hour for a c6a.2xlarge on the pricing page = 12% × $0.306; the feed has $0.03672 unnamed."""
    fee = management_fee(_scenario(), Platform.ECS_MANAGED, book, "c6a.2xlarge")
    assert fee.usd_per_hour == pytest.approx(0.12 * 0.306) and round(fee.usd_per_hour, 3) == 0.037
    assert fee.quote.sku and "confirmed" in fee.note and fee.quote.publication_date.startswith("2025-10-27")


def test_fee_is_an_overridable_assumption(book):
    scenario = _scenario(assumptions=Assumptions(ecs_managed_fee_fraction=0.2))
    fee = management_fee(scenario, Platform.ECS_MANAGED, book, "c6a.2xlarge")
    assert fee.usd_per_hour == pytest.approx(0.2 * 0.306) and "scenario override" in fee.note


def test_estimate_bills_instances_plus_the_fee_and_runs_no_agents_of_yours(book):
    scenario = _scenario(daemons=(Daemon(name="fluent-bit", vcpu=0.5, memory_gib=1),))
    result = estimate(scenario, book, (Platform.ECS_MANAGED,)).by_platform(Platform.ECS_MANAGED)
    fees = [i for i in result.line_items if i.name.startswith("ECS Managed Instances fee")]
    instances = [i for i in result.line_items if i.name.startswith("Instance usage")]
    assert fees and instances
    assert sum(f.monthly_usd for f in fees) == pytest.approx(0.12 * sum(i.monthly_usd for i in instances))
    assert any(i.name.startswith("ECS control plane") for i in result.line_items)
    summary = result.placements[0]
    assert summary.utilization_vcpu > 0


def test_network_modes_awsvpc_and_host_bridge_is_priced_as_awsvpc(book):
    host = estimate(_scenario(network_mode="host"), book, (Platform.ECS_MANAGED,)).by_platform(Platform.ECS_MANAGED)
    assert sum(n for _, n in host.placements[0].node_counts) >= 4   # one replica per instance
    bridge = estimate(_scenario(network_mode="bridge"), book, (Platform.ECS_MANAGED,))
    assert "not bridge" in bridge.by_platform(Platform.ECS_MANAGED).warnings[0]


def test_sixth_platform_everywhere_in_the_model(book):
    result = tco(_scenario(), book)
    assert Platform.ECS_MANAGED in {p.platform for p in result.platforms}
    assert platform_label(Platform.ECS_MANAGED) == "ECS Managed Instances"
    assert complexity(Platform.ECS_MANAGED).total < complexity(Platform.ECS_EC2).total
    activities = {a.value for a in PROFILES[Platform.ECS_MANAGED]}
    assert "version-upgrades" not in activities and "node-patching" in activities
    patching = PROFILES[Platform.ECS_MANAGED][Activity.NODE_PATCHING]
    assert {"60", "61"} <= set(ACTIVITY_INFO[Activity.NODE_PATCHING].citations)
    assert {"60", "61"} <= set(patching.hours_per_occurrence.mode.citations)


def test_no_caveat_calls_the_sixth_platform_unpriced(book):
    """ECS Managed Instances is priced now: the known gaps must not say otherwise."""
    rec = recommend(tco(_scenario(), book), solve_replicas=False)
    assert not [c for c in rec.caveats if "Managed Instances" in c and "not priced" in c]
