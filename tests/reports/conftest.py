"""Shared report fixtures: the price book, a small real scenario, and a hostile one.

Estimates are computed once per session (they dominate the run time); every export
test then reads its produced file back and compares with these estimates.
"""

from pathlib import Path

import pytest

from advisor.costs.estimate import estimate
from advisor.workload.scenario import Scenario
from advisor.workload.spec_io import parse_scenario
from pricing.active import load_pricebook
from reports.currency import make_currency
from reports.model import build_report

ROOT = Path(__file__).parents[2]

#: Names a spreadsheet would run or a browser would execute, from the OWASP CSV-injection
#: page and the usual XSS probe.
HOSTILE_NAMES = ('=HYPERLINK("http://x","y")', "<script>alert(1)</script>", "+cmd|' /C calc'!A0",
                 "@SUM(1+1)", "-2+3")


def hostile_scenario() -> Scenario:
    """Every user-text field that reaches a report carries a hostile value."""
    return Scenario.model_validate({
        "name": HOSTILE_NAMES[0], "description": HOSTILE_NAMES[1], "region": "us-east-1",
        "platforms": ["ecs-fargate", "ecs-ec2"],
        "environments": [{"name": HOSTILE_NAMES[2]}],
        "services": [{"name": n, "vcpu": 0.25, "memory_gib": 0.5, "replicas": 1} for n in HOSTILE_NAMES],
    })


@pytest.fixture(scope="session")
def book():
    return load_pricebook(None)


@pytest.fixture(scope="session")
def small_result(book):
    return estimate(parse_scenario((ROOT / "examples" / "small-api.yaml").read_text()), book)


@pytest.fixture(scope="session")
def small_model(small_result, book):
    return build_report(small_result, book, generated_at="2026-01-02T03:04:05+00:00")


@pytest.fixture(scope="session")
def eur_model(small_result, book):
    return build_report(small_result, book, currency=make_currency("EUR", 0.92),
                        generated_at="2026-01-02T03:04:05+00:00")


@pytest.fixture(scope="session")
def hostile_model(book):
    return build_report(estimate(hostile_scenario(), book), book, currency=make_currency("KRW", 1400))


@pytest.fixture(scope="session")
def tco_model(book):
    """The microservices example with operations, TCO ranges and the recommendation (no replica search)."""
    from reports.analysis import analyze

    scenario = parse_scenario((ROOT / "examples" / "microservices.yaml").read_text())
    result, analysis = analyze(scenario, book, solve_replicas=False)
    return build_report(result, book, analysis=analysis, generated_at="2026-01-02T03:04:05+00:00")
