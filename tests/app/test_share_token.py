"""AppTest tests of the share token: round trip, and refusal of damaged or hostile tokens."""

from __future__ import annotations

import base64
import json
import zlib

import pytest

from advisor.workload.spec_io import MAX_DOCUMENT_BYTES, ScenarioError, scenario_document
from advisor.workload.workspace import Workspace
from app_pages.share import decode_workspace, encode_workspace
from tests.app.helpers import DEFAULT_EXAMPLE, EXAMPLES, example


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.*")))
def test_share_token_round_trips(name: str) -> None:
    workspace = Workspace((example(name), example(DEFAULT_EXAMPLE).model_copy(update={"name": "other"})), 1)
    token = encode_workspace(workspace)
    assert decode_workspace(token) == workspace
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_share_token_refuses_a_decompression_bomb() -> None:
    bomb = base64.urlsafe_b64encode(zlib.compress(b" " * (MAX_DOCUMENT_BYTES * 4), 9)).decode().rstrip("=")
    with pytest.raises(ScenarioError, match="larger than"):
        decode_workspace(bomb)


def test_a_link_made_before_workspaces_opens_as_a_workspace_of_one() -> None:
    text = json.dumps(scenario_document(example(DEFAULT_EXAMPLE)), separators=(",", ":"), sort_keys=True)
    old = base64.urlsafe_b64encode(zlib.compress(text.encode(), 9)).decode().rstrip("=")
    assert decode_workspace(old) == Workspace((example(DEFAULT_EXAMPLE),))


@pytest.mark.parametrize("token", ["", "!!!", encode_workspace(Workspace((example(DEFAULT_EXAMPLE),)))[:-12]])
def test_share_token_damage_is_an_error_in_words(token: str) -> None:
    with pytest.raises(ScenarioError, match="damaged"):
        decode_workspace(token)
