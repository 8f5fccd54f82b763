"""Every quantity that drives an estimate's work is bounded: one-line errors naming field, value and limit."""

from __future__ import annotations

import json

import pytest

from advisor.costs.estimate import estimate
from advisor.errors import AdvisorError
from advisor.workload import limits
from advisor.workload.scenario import Replicas, Scenario
from advisor.workload.spec_io import MAX_PROBLEMS, ScenarioError, parse_scenario
from pricing.active import load_pricebook

SERVICE = {"name": "web", "vcpu": 0.5, "memory_gib": 1, "replicas": 2}


def _doc(**sections: object) -> dict:
    return {"name": "limits", "services": [SERVICE], **sections}


def _error(doc: dict | str) -> str:
    with pytest.raises(ScenarioError) as err:
        parse_scenario(doc if isinstance(doc, str) else json.dumps(doc), "in.json")
    return str(err.value)


def _services(n: int, replicas: int = 1) -> list[dict]:
    return [{**SERVICE, "name": f"s{i}", "replicas": replicas} for i in range(n)]


def test_a_billion_replicas_is_refused_in_one_line_naming_field_value_and_limit() -> None:
    message = _error("name: x\nservices: [{name: a, vcpu: 0.5, memory_gib: 1, replicas: 1000000000}]")
    assert "services[0].replicas.max: Input should be less than or equal to 10000 (got 1000000000)" in message
    assert "\n" not in message


@pytest.mark.parametrize(("section", "item", "limit"), [
    ("services", lambda i: {**SERVICE, "name": f"s{i}"}, limits.MAX_SERVICES),
    ("jobs", lambda i: {"name": f"j{i}", "vcpu": 1, "memory_gib": 1, "runs_per_month": 1, "duration_minutes": 1},
     limits.MAX_JOBS),
    ("daemons", lambda i: {"name": f"d{i}", "vcpu": 0.1, "memory_gib": 0.1}, limits.MAX_DAEMONS),
    ("environments", lambda i: {"name": f"e{i}"}, limits.MAX_ENVIRONMENTS),
])
def test_list_lengths_are_bounded_before_their_items_are_read(section, item, limit) -> None:
    doc = _doc(**{section: [item(i) for i in range(limit + 1)]})
    assert f"in.json: {section}: {limit + 1:,} entries is over the limit of {limit:,}" == _error(doc)


@pytest.mark.parametrize(("path", "limit"), [
    (("services", 0, "sidecars"), limits.MAX_SIDECARS),
    (("traffic", "load_balancers"), limits.MAX_LOAD_BALANCERS),
    (("ec2", "instance_families"), limits.MAX_INSTANCE_FAMILIES),
    (("operations", "overrides"), limits.MAX_OVERRIDES),
])
def test_nested_lists_are_bounded(path, limit) -> None:
    entry = {"sidecars": {"name": "x", "vcpu": 0.1, "memory_gib": 0.1}, "load_balancers": {"type": "alb"},
             "instance_families": "m5", "overrides": {"activity": "incidents"}}[path[-1]]
    doc = _doc(services=[{**SERVICE}], traffic={}, ec2={}, operations={})
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = [entry] * (limit + 1)
    where = ".".join(str(p) for p in path).replace(".0.", "[0].")
    assert f"{where}: {limit + 1:,} entries is over the limit of {limit:,}" in _error(doc)


def test_a_document_with_a_million_entries_is_refused_without_validating_them() -> None:
    text = '{"name": "x", "services": [' + ",".join(["{}"] * 600_000) + "]}"
    assert _error(text) == "in.json: services: 600,000 entries is over the limit of 1,000"


def test_thousands_of_invalid_entries_give_a_bounded_list_of_problems() -> None:
    with pytest.raises(ScenarioError) as err:
        parse_scenario(json.dumps({"name": "x", "services": [{}] * 900}), "in.json")
    problems = err.value.problems
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1] == f"… and {900 * 4 - MAX_PROBLEMS:,} more problems"


def test_a_rejected_value_is_shown_shortened() -> None:
    message = _error(_doc(environments=[{"name": "x" * 50_000}]))
    assert "environments[0].name: String should have at most 120 characters (got 'xxxx" in message
    assert len(message) < 300


@pytest.mark.parametrize(("field", "value"), [
    ("vcpu", float("inf")), ("vcpu", 5000), ("memory_gib", float("inf")), ("memory_gib", 100_000)])
def test_requests_are_finite_and_at_most_the_largest_instance(field, value) -> None:
    text = json.dumps(_doc(services=[{**SERVICE, field: value}])).replace("Infinity", "1e999")
    assert f"services[0].{field}: Input should be less than or equal to" in _error(text)


@pytest.mark.parametrize(("field", "value"), [
    ("runs_per_month", 1e12), ("parallelism", 1_000_000)])
def test_job_quantities_are_bounded(field, value) -> None:
    job = {"name": "j", "vcpu": 1, "memory_gib": 1, "runs_per_month": 1, "duration_minutes": 1e-6, field: value}
    assert f"jobs[0].{field}: Input should be less than or equal to" in _error(_doc(jobs=[job]))


@pytest.mark.parametrize(("field", "value"), [
    ("nat_processed_gb_per_month", 1e999), ("internet_egress_gb_per_month", 1e300),
    ("logs_ingested_gb_per_month", 1e300), ("image_storage_gb", 1e300), ("service_discovery_instances", 10**30),
    ("nat_gateways", 10**9), ("logs_retention_months", 1e300)])
def test_traffic_figures_are_finite_and_bounded(field, value) -> None:
    text = json.dumps(_doc(traffic={field: value})).replace("Infinity", "1e999")
    assert f"traffic.{field}: Input should be less than or equal to" in _error(text)


@pytest.mark.parametrize("field", ["count", "new_connections_per_second", "active_connections_per_minute",
                                   "processed_gb_per_month", "requests_per_second", "rules"])
def test_load_balancer_figures_are_bounded(field) -> None:
    doc = _doc(traffic={"load_balancers": [{"type": "alb", field: 10**20}]})
    assert f"traffic.load_balancers[0].{field}: Input should be less than or equal to" in _error(doc)


def test_a_repeated_platform_is_refused() -> None:
    assert "platforms: each platform at most once" in _error(_doc(platforms=["ecs-ec2"] * 1000))


def test_replicas_placed_over_every_environment_are_bounded() -> None:
    environments = [{"name": f"e{i}", "scale": 100} for i in range(3)]
    message = _error(_doc(environments=environments, services=[{**SERVICE, "replicas": 100}]))
    assert ("services and jobs: 30,000 replicas to place (peak replicas of every service and parallel tasks of "
            "every job, in 3 environment(s)) is over the limit of 20,000") in message


def test_jobs_parallel_tasks_count_as_replicas_placed() -> None:
    job = {"name": "j", "vcpu": 1, "memory_gib": 1, "runs_per_month": 1, "duration_minutes": 1, "parallelism": 10_000}
    assert "20,002 replicas to place" in _error(_doc(jobs=[job, {**job, "name": "k"}]))


def test_services_times_replicas_placed_is_bounded() -> None:
    per_service = limits.MAX_SERVICE_REPLICAS // (1000 * 1000) + 1
    message = _error(_doc(services=_services(1000, per_service)))
    placed = 1000 * per_service
    assert (f"services: {1000 * placed:,} service-replicas (1,000 services × {placed:,} replicas to place) is over "
            f"the limit of {limits.MAX_SERVICE_REPLICAS:,}") in message


def test_the_largest_scenario_at_every_limit_is_accepted() -> None:
    per_service = limits.MAX_SERVICE_REPLICAS // limits.MAX_SERVICES // limits.MAX_SERVICES
    scenario = parse_scenario(json.dumps(_doc(services=_services(limits.MAX_SERVICES, per_service))))
    assert len(scenario.services) == limits.MAX_SERVICES


def test_estimate_refuses_variants_over_the_limits_that_skipped_validation() -> None:
    small = Scenario.model_validate(_doc())
    grown = small.model_copy(update={"services": tuple(
        s.model_copy(update={"replicas": Replicas.model_construct(min=20_001, max=20_001)}) for s in small.services)})
    with pytest.raises(AdvisorError, match="20,001 replicas to place"):
        estimate(grown, load_pricebook(None))


@pytest.mark.parametrize("text", ["[" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000,
                                  "a: " + "[" * 5_000 + "]" * 5_000,
                                  "".join(" " * i + "a:\n" for i in range(1_500)) + " " * 1_500 + "b: 1\n"])
def test_deeply_nested_text_is_refused_with_a_message(text: str) -> None:
    assert "nested too deeply" in _error(text) or "maximum nesting depth" in _error(text)


def test_a_repeated_key_is_refused_not_silently_replaced() -> None:
    message = _error("name: x\nservices: [{name: a, vcpu: 0.5, memory_gib: 1, replicas: 1}]\nname: y\n")
    assert "duplicate key 'name'" in message


def test_a_scenario_file_holds_one_document() -> None:
    assert "holds one YAML document" in _error("name: x\n---\nname: y\n")


def test_a_job_is_placed_once_per_platform_not_once_per_environment(monkeypatch) -> None:
    from advisor.costs import ec2_items

    placed: list[tuple[str, ...]] = []
    real = ec2_items.place

    def counting(groups, *args, **kwargs):
        placed.append(tuple(g.name for g in groups))
        return real(groups, *args, **kwargs)

    monkeypatch.setattr(ec2_items, "place", counting)
    job = {"name": "etl", "vcpu": 2, "memory_gib": 4, "runs_per_month": 30, "duration_minutes": 20, "parallelism": 3}
    scenario = parse_scenario(json.dumps(_doc(jobs=[job], platforms=["ecs-ec2"],
                                              environments=[{"name": f"e{i}"} for i in range(5)])))
    result = estimate(scenario, load_pricebook(None))
    assert placed.count(("etl",)) == 1
    assert placed.count(("web",)) == 1   # five environments of the same scale: one placement
    assert len({li.environment for li in result.estimates[0].line_items if "job etl" in li.name}) == 5


def test_the_replica_break_even_search_never_prices_variants_over_the_limits() -> None:
    from advisor.decision.recommend import replica_break_even
    from advisor.decision.tco import tco

    near = limits.MAX_REPLICAS_PLACED // 3
    scenario = parse_scenario(json.dumps(_doc(services=[{**SERVICE, "replicas": near}],
                                              platforms=["ecs-fargate", "eks-fargate"])))
    result = tco(scenario, load_pricebook(None))
    first, second = (p.platform for p in result.ranked()[:2])
    found = replica_break_even(result, first, second)
    assert found.value is None
    assert found.explanation.endswith("from × 0.125 to × 2 replicas (larger factors are over the scenario's limits)")


def test_the_replica_break_even_is_not_searched_for_the_largest_scenarios() -> None:
    from advisor.decision.recommend import replica_break_even
    from advisor.decision.tco import tco

    scenario = parse_scenario(json.dumps(_doc(services=_services(1000, 2), platforms=["ecs-fargate", "eks-fargate"])))
    result = tco(scenario, load_pricebook(None))
    first, second = (p.platform for p in result.ranked()[:2])
    found = replica_break_even(result, first, second)
    assert found.value is None
    assert found.explanation.startswith("the replica break-even is not searched for 2,000,000 service-replicas "
                                        f"(more than {limits.MAX_SEARCHED_SERVICE_REPLICAS:,})")
