"""AppTest: every Region in the picker, names checked against the prices, old prices flagged (issue 14)."""

from __future__ import annotations

from pathlib import Path

from tests.app.helpers import DEFAULT_EXAMPLE, cards, example, goto, link, rendered, run_app


def region_key(at) -> str:
    return f"region_{at.session_state['scenario_revision']}"


def test_the_region_picker_offers_every_region_of_the_prices(cache_dir: Path, book) -> None:
    at = goto(run_app(), "workload")
    options = at.selectbox(key=region_key(at)).options
    assert options == list(book.regions) and len(options) == 34
    assert {"us-east-2", "ap-southeast-1", "sa-east-1", "eu-north-1"} <= set(options)


def test_a_new_region_is_priced_and_its_old_prices_flagged_on_compare(cache_dir: Path) -> None:
    ohio = example(DEFAULT_EXAMPLE).model_copy(update={"region": "us-east-2"})
    at = run_app(link(ohio))
    assert cards(at) and not at.error
    (notice,) = [w.value for w in at.warning if w.value.startswith("Prices older than 90 days")]
    assert "ec2.instance_hour" in notice
    assert notice.endswith("Refresh them with: advisor prices refresh --source bulk --region us-east-2")


def test_an_unknown_instance_family_is_an_error_next_to_the_field(cache_dir: Path) -> None:
    at = goto(run_app(), "workload")
    at.text_input(key=f"families_{at.session_state['scenario_revision']}").input("m99.huge")
    at.button(key="apply").click().run()
    assert not at.exception
    errors = [rendered(e.value) for e in at.error]
    assert any("'m99.huge' is not allowed; allowed: an EC2 instance family of the active price data (one of "
               in e and "closest: m8g" in e for e in errors), errors
