"""A workspace: several named scenarios side by side ("the shop", "the same shop on Graviton", ...).

An architect explores options by duplicating a scenario and changing it; a finance reviewer
compares them.  A workspace is an ordered tuple of scenarios with distinct names and the one
being edited (``active``).  It is a value: every operation returns a new workspace, so the
app can keep it in session state and a link or a file can carry it whole.

Its document (YAML or JSON) is::

    workspace:
      active: shop-graviton            # the scenario being edited (default: the first)
      scenarios:
        - {name: shop, ...}            # scenario documents, as in a scenario file
        - {name: shop-graviton, ...}

A plain scenario document reads as a workspace of one, so every scenario file opens as one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import yaml

from advisor.workload.scenario import Scenario
from advisor.workload.spec_io import ScenarioError, load_document, scenario_document, validate_scenario

#: Scenarios a workspace holds at most: the comparison prices each one on every platform.
MAX_SCENARIOS = 8
WORKSPACE_KEY = "workspace"
_KEYS = ("active", "scenarios")
_NUMBERED = re.compile(r"^(.*?)(?: (\d+))?$")


class WorkspaceError(ScenarioError):
    """An operation on a workspace that cannot be done (a name taken, the last scenario deleted...)."""


@dataclass(frozen=True, slots=True)
class Workspace:
    """Scenarios with distinct names, in the user's order, and the index of the one being edited."""

    scenarios: tuple[Scenario, ...]
    active: int = 0

    def __post_init__(self) -> None:
        if not self.scenarios:
            raise WorkspaceError("workspace", ["a workspace holds at least one scenario"])
        if len(self.scenarios) > MAX_SCENARIOS:
            raise WorkspaceError("workspace", [f"{len(self.scenarios)} scenarios; at most {MAX_SCENARIOS}"])
        names = [s.name for s in self.scenarios]
        taken = sorted({n for n in names if names.count(n) > 1})
        if taken:
            raise WorkspaceError("workspace", [f"two scenarios are named {n!r}; names must differ" for n in taken])
        if not 0 <= self.active < len(self.scenarios):
            raise WorkspaceError("workspace", [f"active: {self.active} is not a scenario of the workspace"])

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.scenarios)

    @property
    def current(self) -> Scenario:
        """The scenario being edited."""
        return self.scenarios[self.active]

    def index(self, name: str) -> int:
        if name not in self.names:
            raise WorkspaceError("workspace", [f"no scenario named {name!r}; there are: {', '.join(self.names)}"])
        return self.names.index(name)

    def free_name(self, wanted: str) -> str:
        """``wanted`` if no scenario has it, else the first free ``wanted 2``, ``wanted 3``..."""
        if wanted not in self.names:
            return wanted
        match = _NUMBERED.match(wanted)
        stem = match[1] if match and match[1] else wanted
        number = int(match[2]) + 1 if match and match[2] else 2
        while f"{stem} {number}" in self.names:
            number += 1
        return f"{stem} {number}"

    def select(self, index: int) -> Workspace:
        return Workspace(self.scenarios, index)

    def add(self, scenario: Scenario) -> Workspace:
        """``scenario`` appended (renamed ``name 2`` if its name is taken) and made the one being edited."""
        if len(self.scenarios) >= MAX_SCENARIOS:
            raise WorkspaceError("workspace", [f"it already holds {MAX_SCENARIOS} scenarios, the most it can; "
                                               "delete one first"])
        named = scenario.model_copy(update={"name": self.free_name(scenario.name)})
        return Workspace((*self.scenarios, named), len(self.scenarios))

    def duplicate(self, index: int, name: str | None = None) -> Workspace:
        """A copy of scenario ``index`` after the others, named ``name`` (default: ``its name 2``)."""
        original = self.scenarios[index]
        return self.add(original.model_copy(update={"name": name or original.name}))

    def replace(self, index: int, scenario: Scenario) -> Workspace:
        """Scenario ``index`` replaced (its new name must not be another scenario's)."""
        others = [n for i, n in enumerate(self.names) if i != index]
        if scenario.name in others:
            raise WorkspaceError("workspace", [f"name: another scenario is already named {scenario.name!r}"])
        scenarios = list(self.scenarios)
        scenarios[index] = scenario
        return Workspace(tuple(scenarios), self.active)

    def rename(self, index: int, name: str) -> Workspace:
        name = name.strip()
        if not name:
            raise WorkspaceError("workspace", ["name: a scenario needs a name"])
        return self.replace(index, self.scenarios[index].model_copy(update={"name": name}))

    def delete(self, index: int) -> Workspace:
        """Scenario ``index`` removed; the one before it becomes the one being edited."""
        if len(self.scenarios) == 1:
            raise WorkspaceError("workspace", ["the last scenario cannot be deleted; load another one instead"])
        scenarios = self.scenarios[:index] + self.scenarios[index + 1:]
        active = self.active if self.active < index else max(self.active - 1, 0)
        return Workspace(scenarios, min(active, len(scenarios) - 1))


def workspace_document(workspace: Workspace) -> dict[str, Any]:
    """The workspace as plain JSON-able data (its scenarios in full)."""
    return {WORKSPACE_KEY: {"active": workspace.current.name,
                            "scenarios": [scenario_document(s) for s in workspace.scenarios]}}


def dump_workspace(workspace: Workspace, fmt: str = "yaml") -> str:
    """The workspace file as ``yaml`` or ``json`` text."""
    doc = workspace_document(workspace)
    if fmt == "json":
        return json.dumps(doc, indent=2) + "\n"
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


def workspace_from_document(doc: dict[str, Any], source: str = "workspace") -> Workspace:
    """A workspace from a loaded document: a workspace document, or a scenario document (a workspace of one).

    Raises
    ------
    ScenarioError
        Naming every bad field with its place (``workspace.scenarios[1].services[0].vcpu``).
    """
    if WORKSPACE_KEY not in doc:
        return Workspace((validate_scenario(doc, source),))
    body = doc[WORKSPACE_KEY]
    extra = sorted(set(doc) - {WORKSPACE_KEY})
    if extra or not isinstance(body, dict):
        raise ScenarioError(source, [f"{', '.join(extra) or WORKSPACE_KEY}: a workspace file holds only "
                                     "'workspace: {active, scenarios}'"])
    unknown = sorted(set(body) - set(_KEYS))
    items = body.get("scenarios")
    if unknown:
        raise ScenarioError(source, [f"workspace.{k}: unknown key; allowed: {', '.join(_KEYS)}" for k in unknown])
    if not isinstance(items, list) or not items:
        raise ScenarioError(source, ["workspace.scenarios: a list of at least one scenario"])
    if len(items) > MAX_SCENARIOS:
        raise ScenarioError(source, [f"workspace.scenarios: {len(items)} scenarios; at most {MAX_SCENARIOS}"])
    scenarios, problems = [], []
    for index, item in enumerate(items):
        try:
            scenarios.append(validate_scenario(item, source, f"workspace.scenarios[{index}]."))
        except ScenarioError as exc:
            problems += exc.problems
    if problems:
        raise ScenarioError(source, problems)
    try:
        workspace = Workspace(tuple(scenarios))
        active = body.get("active")
        return workspace if active is None else workspace.select(workspace.index(str(active)))
    except WorkspaceError as exc:
        raise ScenarioError(source, [f"workspace: {p}" for p in exc.problems]) from None


def parse_workspace(text: str, source: str = "workspace") -> Workspace:
    """A workspace (or scenario) file's workspace."""
    return workspace_from_document(load_document(text, source), source)
