"""Workspaces of named scenarios: operations, the file format, and its errors in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.workload.spec_io import ScenarioError, parse_scenario
from advisor.workload.workspace import (
    MAX_SCENARIOS,
    Workspace,
    WorkspaceError,
    dump_workspace,
    parse_workspace,
)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _example(name: str):
    return parse_scenario((EXAMPLES / name).read_text(), name)


def test_duplicate_rename_delete() -> None:
    shop = _example("microservices.yaml")
    ws = Workspace((shop,))
    ws = ws.duplicate(0)
    assert ws.names == ("microservices-shop", "microservices-shop 2") and ws.active == 1
    ws = ws.duplicate(1)
    assert ws.names[-1] == "microservices-shop 3"
    ws = ws.rename(1, "shop on Graviton")
    assert ws.names == ("microservices-shop", "shop on Graviton", "microservices-shop 3")
    assert ws.scenarios[1].services == shop.services  # a copy: only the name changed
    with pytest.raises(WorkspaceError, match="already named 'microservices-shop'"):
        ws.rename(1, "microservices-shop")
    with pytest.raises(WorkspaceError, match="needs a name"):
        ws.rename(1, "  ")
    ws = ws.select(2).delete(2)
    assert ws.names == ("microservices-shop", "shop on Graviton") and ws.current.name == "shop on Graviton"
    ws = ws.delete(0)
    assert ws.names == ("shop on Graviton",) and ws.active == 0
    with pytest.raises(WorkspaceError, match="last scenario cannot be deleted"):
        ws.delete(0)


def test_a_workspace_is_bounded() -> None:
    ws = Workspace((_example("small-api.yaml"),))
    for _ in range(MAX_SCENARIOS - 1):
        ws = ws.duplicate(0)
    assert len(ws.scenarios) == MAX_SCENARIOS
    with pytest.raises(WorkspaceError, match=f"already holds {MAX_SCENARIOS} scenarios"):
        ws.duplicate(0)


def test_the_file_round_trips_and_a_scenario_file_is_a_workspace_of_one() -> None:
    ws = Workspace((_example("small-api.yaml"), _example("microservices.yaml"))).select(1)
    for fmt in ("yaml", "json"):
        assert parse_workspace(dump_workspace(ws, fmt)) == ws
    single = parse_workspace((EXAMPLES / "small-api.yaml").read_text())
    assert single == Workspace((_example("small-api.yaml"),))


def test_errors_name_the_scenario_and_the_field() -> None:
    text = dump_workspace(Workspace((_example("small-api.yaml"), _example("microservices.yaml"))))
    broken = text.replace("vcpu: 0.5", "vcpu: -1", 1)
    with pytest.raises(ScenarioError) as caught:
        parse_workspace(broken, "shop.workspace.yaml")
    assert caught.value.problems == ["workspace.scenarios[0].services[0].vcpu: Input should be greater than 0 "
                                     "(got -1)"]
    twice = text.replace("name: microservices-shop", "name: small-api", 1)
    with pytest.raises(ScenarioError, match="two scenarios are named 'small-api'"):
        parse_workspace(twice)
    with pytest.raises(ScenarioError, match=r"workspace\.colour: unknown key"):
        parse_workspace("workspace:\n  colour: red\n  scenarios: []\n")
    with pytest.raises(ScenarioError, match="no scenario named 'nope'"):
        parse_workspace(text.replace("active: small-api", "active: nope"))
