"""Estimates end to end: golden files for every example, invariants, AWS examples, bad input."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.costs.commitment_plan import optimal_commitments
from advisor.costs.estimate import estimate
from advisor.costs.line_items import Category
from advisor.errors import InvalidWorkload
from advisor.workload.scenario import Platform, Replicas, Scenario, Service
from advisor.workload.spec_io import parse_scenario
from presentation.estimate_tables import estimate_document, to_text
from pricing.active import load_pricebook

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.*"))
GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture(scope="module")
def book():
    return load_pricebook(None)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_golden_estimate(path, book, request):
    result = estimate(parse_scenario(path.read_text(), str(path)), book)
    text = to_text(result, optimal_commitments(result, book))
    golden = GOLDEN / f"{path.stem}.txt"
    if request.config.getoption("--update-golden") or not golden.exists():
        golden.write_text(text)
    assert text == golden.read_text()


def _svc(replicas: int, **kw) -> Scenario:
    return Scenario(name="t", services=(Service(name="api", vcpu=kw.pop("vcpu", 1), memory_gib=kw.pop("mem", 2),
                                                replicas=Replicas(min=replicas, max=replicas), **kw),))


def test_fargate_one_vcpu_for_a_month_is_29_55(book):
    """1 vCPU for 730 h at $0.04048 is $29.55 (AWS Fargate pricing; infracost's golden agrees)."""
    result = estimate(_svc(1, vcpu=1, mem=2), book, (Platform.ECS_FARGATE,))
    vcpu = [i for i in result.estimates[0].line_items if i.name.startswith("Fargate vCPU")]
    assert sum(i.monthly_usd for i in vcpu) == pytest.approx(29.5504)


def test_fargate_rounding_waste_is_its_own_line(book):
    result = estimate(_svc(2, vcpu=0.3, mem=0.6), book, (Platform.ECS_FARGATE,))
    waste = [i for i in result.estimates[0].line_items if i.category is Category.IDLE]
    assert {i.name.split(" (")[0] for i in waste} == {"Fargate rounding waste"}
    vcpu_waste = next(i for i in waste if "vCPU" in i.name)
    assert vcpu_waste.quantity == pytest.approx(2 * 730 * (0.5 - 0.3))


def test_eks_fargate_adds_256_mib_and_cluster_fee(book):
    """EKS guide: a pod asking 1 vCPU / 8 GB is billed as 2 vCPU / 9 GB... here 1 vCPU / 2 GB -> 1 vCPU / 3 GB."""
    est = estimate(_svc(1, vcpu=1, mem=2), book, (Platform.EKS_FARGATE,)).estimates[0]
    gb = [i for i in est.line_items if i.name.startswith("Fargate") and "GB" in i.name and "api" in i.name]
    assert sum(i.quantity for i in gb) == pytest.approx(730 * 3)
    cluster = [i for i in est.line_items if i.name == "EKS cluster (standard support)"]
    assert [i.monthly_usd for i in cluster] == [pytest.approx(73)]


def test_ecs_control_plane_shown_at_zero(book):
    est = estimate(_svc(2), book, (Platform.ECS_EC2,)).estimates[0]
    line = next(i for i in est.line_items if i.category is Category.CONTROL_PLANE)
    assert line.monthly_usd == 0 and "no charge" in line.name


def test_windows_unavailable_on_eks_fargate_with_reason(book):
    result = estimate(_svc(1, os="windows"), book, (Platform.EKS_FARGATE, Platform.ECS_FARGATE))
    assert [u.platform for u in result.unavailable] == [Platform.EKS_FARGATE]
    assert "Linux x86_64" in result.unavailable[0].reason
    assert any("Windows licence" in i.name for i in result.estimates[0].line_items)


def test_unknown_region_is_a_clear_error(book):
    with pytest.raises(InvalidWorkload, match="region: 'mars-1'"):
        estimate(_svc(1).model_copy(update={"region": "mars-1"}), book)


def test_size_beyond_fargate_largest_makes_only_fargate_unavailable(book):
    """A task above Fargate's largest size (32 vCPU / 244 GB on ECS, 16 vCPU / 120 GB on EKS) stops only
    the Fargate platforms, naming the service, the limit and what would fit (ECS Developer Guide, "Creating
    an Amazon ECS task definition using the console", task-size table; EKS User Guide, "Understand Fargate
    Pod configuration details")."""
    result = estimate(_svc(1, vcpu=64, mem=128), book)
    reasons = {u.platform: u.reason for u in result.unavailable}
    assert set(reasons) == {Platform.ECS_FARGATE, Platform.EKS_FARGATE}
    assert all("api" in r and "vcpu" in r and "smaller replicas" in r for r in reasons.values())
    assert {e.platform for e in result.estimates} == set(Platform) - set(reasons)


def test_json_document_shape(book):
    doc = estimate_document(estimate(_svc(3), book))
    assert {p["platform"] for p in doc["platforms"]} == {p.value for p in Platform}
    for plat in doc["platforms"]:
        assert plat["monthly_usd"] == pytest.approx(sum(li["monthly_usd"] for li in plat["line_items"]))
        for li in plat["line_items"]:
            assert li["price_ref"] and li["formula"] and li["unit"]


_FARGATE = (Platform.ECS_FARGATE, Platform.EKS_FARGATE)


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 40), st.integers(1, 10), st.sampled_from([0.25, 0.5, 1, 2]), st.sampled_from([0.5, 2, 4]))
def test_more_replicas_never_cost_less_on_fargate(book, replicas, extra, vcpu, mem):
    """Fargate cost is linear in replicas, so strictly monotone; totals are sums of line items."""
    small = estimate(_svc(replicas, vcpu=vcpu, mem=mem), book, _FARGATE)
    large = estimate(_svc(replicas + extra, vcpu=vcpu, mem=mem), book, _FARGATE)
    for a, b in zip(small.estimates, large.estimates, strict=True):
        assert b.monthly_usd >= a.monthly_usd - 1e-6, a.platform
        assert a.monthly_usd == pytest.approx(sum(i.monthly_usd for i in a.line_items))


_EC2 = (Platform.ECS_EC2, Platform.EKS_EC2, Platform.EKS_AUTO)


def _two(replicas: tuple[int, int], sizes: tuple[tuple[float, float], tuple[float, float]]) -> Scenario:
    return Scenario(name="t", services=tuple(
        Service(name=f"s{i}", vcpu=v, memory_gib=m, replicas=Replicas(min=n, max=n))
        for i, (n, (v, m)) in enumerate(zip(replicas, sizes, strict=True))))


_SIZES = st.tuples(st.sampled_from([0.25, 0.5, 1, 2, 4]), st.sampled_from([0.5, 1, 2, 4, 8]))


@settings(max_examples=15, deadline=None)
@given(st.tuples(st.integers(1, 30), st.integers(1, 30)), st.tuples(_SIZES, _SIZES), st.integers(0, 1),
       st.integers(1, 10))
def test_more_replicas_never_cost_less_on_ec2(book, replicas, sizes, which, extra):
    """Small clusters are packed exactly (optimal), so adding replicas never lowers an EC2 estimate;
    totals are sums of line items and every placement reports itself optimal."""
    more = tuple(n + extra * (i == which) for i, n in enumerate(replicas))
    small = estimate(_two(replicas, sizes), book, _EC2)
    large = estimate(_two(more, sizes), book, _EC2)
    for a, b in zip(small.estimates, large.estimates, strict=True):
        assert all(p.usd_per_hour == pytest.approx(p.lower_bound_usd_per_hour) for p in a.placements), a.platform
        assert b.monthly_usd >= a.monthly_usd - 1e-6, a.platform
        assert a.monthly_usd == pytest.approx(sum(i.monthly_usd for i in a.line_items))


@settings(max_examples=10, deadline=None)
@given(st.integers(1, 40), st.integers(1, 10), st.sampled_from([0.25, 0.5, 1, 2]), st.sampled_from([0.5, 2, 4]))
def test_ec2_packing_never_below_lower_bound_and_more_replicas_cost_at_least_its_bound(
        book, replicas, extra, vcpu, mem):
    """Whatever the method, placements respect their lower bound, and a larger workload never
    costs less than the smaller one's bound."""
    small = estimate(_svc(replicas, vcpu=vcpu, mem=mem), book, _EC2)
    large = estimate(_svc(replicas + extra, vcpu=vcpu, mem=mem), book, _EC2)
    for a, b in zip(small.estimates, large.estimates, strict=True):
        for p in (*a.placements, *b.placements):
            assert p.usd_per_hour >= p.lower_bound_usd_per_hour * (1 - 1e-9)
        assert b.placements[0].usd_per_hour >= a.placements[0].lower_bound_usd_per_hour * (1 - 1e-9)


def test_node_lines_equal_placement_cost(book):
    """Instance, root-volume and Auto Mode lines of a phase sum to placement cost × hours."""
    scenario = parse_scenario((ROOT / "examples" / "microservices.yaml").read_text())
    for est in estimate(scenario, book, (Platform.ECS_EC2, Platform.EKS_EC2, Platform.EKS_AUTO)).estimates:
        for p in est.placements:
            label = "" if p.phase == "steady" else f", {p.phase})"
            node_lines = [i for i in est.line_items if i.environment == p.environment
                          and i.category in (Category.COMPUTE, Category.STORAGE, Category.MANAGEMENT)
                          and "job" not in i.name and (not label or i.name.endswith(label))]
            assert sum(i.monthly_usd for i in node_lines) == pytest.approx(p.usd_per_hour * p.hours), est.platform
