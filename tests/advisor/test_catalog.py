"""advisor.workload.catalog: Regions and instance types checked against the prices, with the nearest names."""

from __future__ import annotations

import pytest

from advisor.workload.catalog import (
    PriceCatalog,
    choice_text,
    family_problem,
    instance_type_problem,
    nearest,
    region_problem,
    scenario_problems,
)
from advisor.workload.spec_io import ScenarioError, parse_scenario

CATALOG = PriceCatalog(("eu-west-1", "us-east-1", "us-east-2"),
                       frozenset({"m5.large", "m5.xlarge", "m7g.large", "c7g.large"}))
SCENARIO = "name: s\nregion: {region}\nservices: [{{name: a, vcpu: 1, memory_gib: 2, replicas: 1}}]\n" \
           "ec2: {{instance_families: {families}}}\n"


def test_nearest_names_first():
    assert nearest("us-east-3", CATALOG.regions) == ["us-east-2", "us-east-1"]
    assert nearest("mars", CATALOG.regions) == []


def test_a_short_list_is_given_whole_and_a_long_one_by_its_closest():
    assert choice_text("mars", CATALOG.regions, "a region") == "a region: eu-west-1, us-east-1, us-east-2"
    many = [f"t{i}.small" for i in range(100)]
    text = choice_text("zz9.plural", many, "a type")
    assert text.startswith("a type (one of 100); closest: ") and text.count(",") == 3
    assert choice_text("x", (), "a region") == "a region (the price data has none)"


def test_region_problem():
    assert region_problem("us-east-2", CATALOG) is None
    problem = region_problem("us-est-2", CATALOG)
    assert str(problem) == ("region: 'us-est-2' is not allowed; allowed: a region of the active price data; "
                            "nearest: us-east-2, us-east-1, eu-west-1")


def test_instance_type_and_family_problems():
    assert instance_type_problem("t", "m5.large", CATALOG) is None
    assert "nearest: m5.large" in str(instance_type_problem("t", "m5.lage", CATALOG))
    assert family_problem("f", "m7g", CATALOG) is None
    assert str(family_problem("f", "m5.large", CATALOG)) == ("f: 'm5.large' is not allowed; allowed: an instance "
                                                             "family such as m5 (m5.large is an instance type)")
    assert str(family_problem("f", "m99.huge", CATALOG)).endswith("an EC2 instance family of the active price data: "
                                                                  "c7g, m5, m7g")


def test_scenario_problems_lists_region_then_families():
    problems = scenario_problems("mars-east-1", ("m5", "x9"), CATALOG)
    assert [p.field for p in problems] == ["region", "ec2.instance_families[1]"]


@pytest.mark.parametrize(("region", "families", "expected"), [
    ("us-est-1", "[]", "region: 'us-est-1' is not allowed; allowed: a region of the active price data; nearest: "),
    ("us-east-1", "[m99.huge]", "ec2.instance_families[0]: 'm99.huge' is not allowed; allowed: an EC2 instance "
                                "family of the active price data"),
])
def test_the_scenario_validator_uses_the_catalog(region, families, expected):
    text = SCENARIO.format(region=region, families=families)
    parse_scenario(text)  # without prices, any name passes
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, "s.yaml", CATALOG)
    (problem,) = info.value.problems
    assert problem.startswith(expected)
