"""Fixtures shared by the model tests: the bundled price book and examples priced once per session."""

from pathlib import Path

import pytest

from advisor.decision.tco import tco
from advisor.workload.spec_io import parse_scenario
from pricing.active import load_pricebook

EXAMPLES = Path(__file__).parents[2] / "examples"


@pytest.fixture(scope="session")
def bundled_book():
    return load_pricebook(None)


@pytest.fixture(scope="session")
def small_api_tco(bundled_book):
    """``examples/small-api.yaml`` priced on every platform (AWS bill + operations)."""
    return tco(parse_scenario((EXAMPLES / "small-api.yaml").read_text(), "small-api"), bundled_book)


@pytest.fixture(scope="session")
def microservices_tco(bundled_book):
    """``examples/microservices.yaml`` priced on every platform (AWS bill + operations)."""
    return tco(parse_scenario((EXAMPLES / "microservices.yaml").read_text(), "microservices"), bundled_book)
