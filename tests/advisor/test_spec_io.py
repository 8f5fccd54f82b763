"""Scenario files: round trips, clear errors, hostile YAML."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advisor.workload.scenario import Replicas, Scenario, Service
from advisor.workload.spec_io import ScenarioError, dump_scenario, parse_scenario

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.*"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_examples_round_trip_exactly(path, fmt):
    scenario = parse_scenario(path.read_text(), str(path))
    text = dump_scenario(scenario, fmt)
    assert parse_scenario(text) == scenario
    assert dump_scenario(parse_scenario(text), fmt) == text


services = st.builds(
    Service, name=st.text("abcdefghij-", min_size=1, max_size=12), vcpu=st.floats(0.1, 16),
    memory_gib=st.floats(0.1, 120),
    replicas=st.builds(lambda lo, extra: Replicas(min=lo, max=lo + extra + (0 if lo else 1)),
                       st.integers(0, 50), st.integers(0, 50)),
    architecture=st.sampled_from(["x86_64", "arm64"]))


@settings(max_examples=50, deadline=None)
@given(st.lists(services, min_size=1, max_size=5, unique_by=lambda s: s.name))
def test_any_valid_scenario_round_trips(svcs):
    scenario = Scenario(name="p", services=tuple(svcs))
    assert parse_scenario(dump_scenario(scenario)) == scenario
    assert parse_scenario(dump_scenario(scenario, "json")) == scenario


@pytest.mark.parametrize(("text", "expected"), [
    ("name: x\nservices:\n - {name: a, vcpu: 0, memory_gib: 1, replicas: 1}",
     "services[0].vcpu: Input should be greater than 0 (got 0)"),
    ("name: x\nservices:\n - {name: a, vcpu: 1, memory_gib: -2, replicas: 1}", "services[0].memory_gib"),
    ("name: x\nservices:\n - {name: a, vcpu: 1, memory_gib: 1, replicas: {min: 4, max: 2}}",
     "min (4) must be <= max (2)"),
    ("name: x\nservices:\n - {name: a, vcpu: 1, memory_gib: 1, replicas: {min: 1, max: 2, schedule: sometimes}}",
     "unknown schedule 'sometimes'; allowed: always, business-hours, weekdays"),
    ("name: x\nservices:\n - {name: a, vcpu: 1, memory_gib: 1, replicas: 1, cpu: 3}",
     "services[0].cpu: Extra inputs are not permitted"),
    ("name: x\njobs:\n - {name: j, vcpu: 1, memory_gib: 1, runs_per_month: 100, duration_minutes: 600}",
     "impossible schedule"),
    ("name: x\nplatforms: [ecs-lambda]\nservices:\n - {name: a, vcpu: 1, memory_gib: 1, replicas: 1}", "platforms[0]"),
    ("name: x", "at least one service or job"),
    ("name: x\nservices:\n - {name: a, vcpu: 1, memory_gib: 1, replicas: 1}\n"
     "daemons:\n - {name: fluent-bit, vcpu: 0.1, memory_gib: 0.1}\n - {name: fluent-bit, vcpu: 0.2, memory_gib: 0.2}",
     "daemons: duplicate names ['fluent-bit']"),
    ("- just\n- a list", "must be a mapping"),
    ("name: [unclosed", "not valid YAML: "),
])
def test_bad_input_names_field_value_and_rule(text, expected):
    with pytest.raises(ScenarioError) as err:
        parse_scenario(text, "in.yaml")
    assert expected in str(err.value)
    assert str(err.value).startswith("in.yaml: ")


def test_yaml_cannot_construct_python_objects():
    with pytest.raises(ScenarioError, match="not valid YAML"):
        parse_scenario("name: !!python/object/apply:os.system ['true']\nservices: []")


def test_alias_bomb_is_bounded():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))
    with pytest.raises(ScenarioError):
        parse_scenario(bomb)


def test_business_hours_average_replicas():
    reps = Replicas.model_validate({"min": 2, "max": 9, "schedule": {"hours_per_day": 10, "days_per_week": 5}})
    assert reps.average == pytest.approx(2 + 7 * (10 / 24) * (5 / 7))
