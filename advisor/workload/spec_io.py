"""Scenario documents: YAML/JSON text <-> :class:`advisor.workload.scenario.Scenario`.

Pure text in, text out (callers do the file I/O).  YAML is read with the safe loader
and a size limit, so a document cannot construct objects or expand aliases without
bound.  Validation errors name every bad field with its value and what is allowed.
"""

from __future__ import annotations

import json
from typing import Any

import yaml
from pydantic import ValidationError

from advisor.errors import AdvisorError
from advisor.workload.catalog import PriceCatalog, scenario_problems
from advisor.workload.scenario import Scenario

#: Scenario documents are small; a larger one is almost certainly the wrong file.
MAX_DOCUMENT_BYTES = 2_000_000


class ScenarioError(AdvisorError):
    """A scenario document that cannot be read; ``problems`` lists each field error."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


def _location(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def _problems(exc: ValidationError) -> list[str]:
    problems = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if p not in ("function-after[_ordered(), Replicas]",))
        value = err.get("input")
        shown = "" if isinstance(value, dict | list) else f" (got {value!r})"
        problems.append(f"{_location(loc)}: {err['msg']}{shown}")
    return problems


def load_document(text: str, source: str = "scenario") -> dict[str, Any]:
    """The mapping a YAML or JSON document holds (JSON is YAML, so one loader serves both), size-checked."""
    if len(text.encode("utf-8")) > MAX_DOCUMENT_BYTES:
        raise ScenarioError(source, [f"document larger than {MAX_DOCUMENT_BYTES} bytes"])
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ScenarioError(source, [f"not valid YAML/JSON: {exc}".replace("\n", " ")]) from None
    if not isinstance(doc, dict):
        raise ScenarioError(source, ["the document must be a mapping with at least 'name' and 'services'"])
    return doc


def validate_scenario(doc: Any, source: str = "scenario", where: str = "",
                      catalog: PriceCatalog | None = None) -> Scenario:
    """A scenario from a loaded document; problems are prefixed with ``where`` (``scenarios[1].``) when given.

    With a ``catalog`` (the active price data's Regions and instance types) a Region or
    instance family the prices lack is a problem too, named with the nearest valid names.
    """
    try:
        scenario = Scenario.model_validate(doc)
    except ValidationError as exc:
        problems = _problems(exc)
    else:
        if catalog is None:
            return scenario
        problems = [str(p) for p in scenario_problems(scenario.region, scenario.ec2.instance_families, catalog)]
        if not problems:
            return scenario
    if where:  # "(document): ..." becomes "scenarios[1]: ...", "services[0].vcpu" "scenarios[1].services[0].vcpu"
        problems = [where.rstrip(".") + p.removeprefix("(document)") if p.startswith("(document)") else where + p
                    for p in problems]
    raise ScenarioError(source, problems) from None


def parse_scenario(text: str, source: str = "scenario", catalog: PriceCatalog | None = None) -> Scenario:
    """Parse a YAML or JSON scenario document (checked against ``catalog`` when given)."""
    return validate_scenario(load_document(text, source), source, catalog=catalog)


def scenario_document(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain JSON-able data; ``parse`` of its dump gives an equal scenario."""
    return scenario.model_dump(mode="json")


def dump_scenario(scenario: Scenario, fmt: str = "yaml") -> str:
    """Serialize as ``yaml`` or ``json`` text."""
    doc = scenario_document(scenario)
    if fmt == "json":
        return json.dumps(doc, indent=2) + "\n"
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
