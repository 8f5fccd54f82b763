"""AppTest tests of the share token: round trip, and refusal of damaged or hostile tokens."""

from __future__ import annotations

import base64
import zlib

import pytest

from advisor.workload.spec_io import MAX_DOCUMENT_BYTES, ScenarioError
from app_pages.share import decode_scenario, encode_scenario
from tests.app.helpers import DEFAULT_EXAMPLE, EXAMPLES, example


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.*")))
def test_share_token_round_trips(name: str) -> None:
    scenario = example(name)
    token = encode_scenario(scenario)
    assert decode_scenario(token) == scenario
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_share_token_refuses_a_decompression_bomb() -> None:
    bomb = base64.urlsafe_b64encode(zlib.compress(b" " * (MAX_DOCUMENT_BYTES * 4), 9)).decode().rstrip("=")
    with pytest.raises(ScenarioError, match="larger than"):
        decode_scenario(bomb)


@pytest.mark.parametrize("token", ["", "!!!", encode_scenario(example(DEFAULT_EXAMPLE))[:-12]])
def test_share_token_damage_is_an_error_in_words(token: str) -> None:
    with pytest.raises(ScenarioError, match="damaged"):
        decode_scenario(token)
