"""Parameters: names found by walking the scenario model, variants validated, bad names and values rejected."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.analysis.parameters import InvalidAnalysis, Parameter, ParameterSpace, apply
from advisor.workload.spec_io import ScenarioError, parse_scenario

ROOT = Path(__file__).parents[2]
SHOP = parse_scenario((ROOT / "examples" / "microservices.yaml").read_text())
SPACE = ParameterSpace(SHOP)


def test_fields_are_named_by_path_with_list_items_by_name_or_position():
    names = {p.name for p in SPACE.parameters}
    assert {"replicas_scale", "hours_per_day", "purchase.spot_share", "ec2.target_utilization",
            "services.web.replicas.max", "services.api.replicas.schedule.hours_per_day",
            "jobs.nightly-etl.runs_per_month", "environments.staging.scale", "daemons.fluent-bit.vcpu",
            "traffic.load_balancers.0.processed_gb_per_month", "traffic.nat_processed_gb_per_month",
            "operations.engineer_rate_usd_per_hour"} <= names
    assert "purchase.option" not in names and "name" not in names   # not numeric


def test_parameters_carry_value_type_and_the_models_bounds():
    spot = SPACE.parameter("purchase.spot_share")
    assert (spot.value, spot.is_integer, spot.minimum, spot.maximum, spot.is_item_field) == (0.0, False, 0.0, 1.0,
                                                                                               False)
    web_max = SPACE.parameter("services.web.replicas.max")
    assert (web_max.value, web_max.is_integer, web_max.minimum, web_max.is_item_field) == (8.0, True, 1.0, True)
    assert SPACE.parameter("traffic.nat_gateways").value is None          # unset: the default applies
    assert SPACE.parameter("hours_per_day").value == 10.0                  # web and api: business hours


def test_apply_sets_one_field_and_leaves_the_base_untouched():
    changed = SPACE.apply({"purchase.spot_share": 0.4, "services.web.replicas.max": 12})
    assert changed.purchase.spot_share == 0.4 and changed.services[0].replicas.max == 12
    assert SHOP.purchase.spot_share == 0.0 and SHOP.services[0].replicas.max == 8
    assert changed.services[1:] == SHOP.services[1:] and changed.traffic == SHOP.traffic


def test_replicas_scale_rounds_up_like_an_environment_scale():
    """web 3..8 × 0.25 -> 1..2 (ceil 0.75, ceil 2); users 2 × 0.25 -> 1 (a service keeps one replica)."""
    scaled = SPACE.apply({"replicas_scale": 0.25})
    web, users = scaled.services[0].replicas, scaled.services[6].replicas
    assert (web.min, web.max, users.min, users.max) == (1, 2, 1, 1)
    doubled = SPACE.apply({"replicas_scale": 2})
    assert [s.replicas.max for s in doubled.services] == [2 * s.replicas.max for s in SHOP.services]


def test_scale_parameters_apply_before_fields():
    changed = SPACE.apply({"services.web.replicas.max": 30, "replicas_scale": 2})
    assert changed.services[0].replicas.max == 30 and changed.services[1].replicas.max == 20


def test_hours_per_day_changes_only_autoscaled_services():
    changed = SPACE.apply({"hours_per_day": 16})
    hours = [s.replicas.schedule.hours_per_day for s in changed.services]
    assert hours[:2] == [16, 16] and hours[2:] == [s.replicas.schedule.hours_per_day for s in SHOP.services[2:]]


def test_operations_fields_are_parameters_without_code_here():
    assert SPACE.apply({"operations.engineer_rate_usd_per_hour": 120}).operations.engineer_rate_usd_per_hour == 120


def test_unknown_parameter_lists_the_allowed_names_and_a_close_match():
    with pytest.raises(InvalidAnalysis) as info:
        SPACE.apply({"purchase.spot_shar": 0.2})
    message = str(info.value)
    assert message.startswith("parameter: 'purchase.spot_shar' is not allowed; allowed: replicas_scale")
    assert "services.<name>.replicas.max" in message and "services.<name> is one of web, api" in message
    assert "did you mean 'purchase.spot_share'?" in message


def test_out_of_range_value_is_the_scenarios_own_error_naming_the_field():
    with pytest.raises(ScenarioError, match=r"purchase.spot_share: Input should be less than or equal to 1"):
        SPACE.apply({"purchase.spot_share": 1.5})
    with pytest.raises(ScenarioError, match=r"services\[0\].replicas.schedule.hours_per_day"):
        SPACE.apply({"hours_per_day": 30})
    with pytest.raises(ScenarioError, match=r"traffic.availability_zones: .*integer"):
        SPACE.apply({"traffic.availability_zones": 2.5})


@pytest.mark.parametrize("value", [float("nan"), float("inf"), True, "3"])
def test_values_must_be_finite_numbers(value):
    with pytest.raises(InvalidAnalysis, match="allowed: a finite number"):
        SPACE.apply({"traffic.nat_processed_gb_per_month": value})


@pytest.mark.parametrize("scale", [0, -1, 101])
def test_replicas_scale_outside_its_range(scale):
    with pytest.raises(InvalidAnalysis, match=r"replicas_scale: .* allowed: a number > 0 and <= 100"):
        SPACE.apply({"replicas_scale": scale})


def test_one_off_apply_matches_the_space():
    assert apply(SHOP, {"ec2.target_utilization": 0.7}) == SPACE.apply({"ec2.target_utilization": 0.7})


def test_clamp_respects_bounds_and_whole_numbers():
    param = Parameter(name="x", value=3.0, is_integer=True, minimum=1.0, maximum=6.0)
    assert [param.clamp(v) for v in (0.2, 2.6, 9.0)] == [1.0, 3.0, 6.0]


@given(st.sampled_from([p for p in SPACE.parameters if p.value is not None]))
def test_setting_a_parameter_to_its_own_value_changes_nothing(param):
    assert SPACE.apply({param.name: param.value}) == SHOP
