"""Scenario documents: YAML/JSON text <-> :class:`advisor.workload.scenario.Scenario`.

Pure text in, text out (callers do the file I/O).  Text is read as untrusted plain data
(:mod:`advisor.workload.plain_data`: no objects, no alias bombs, no deep nesting) within a
size limit; the lists of the document are checked against the scenario's limits before
their items are validated (:func:`advisor.workload.limits.list_problems`), so a document
with a million entries is refused at once.  Validation errors name every bad field with
its value and what is allowed, the first :data:`MAX_PROBLEMS` of them.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import yaml
from pydantic import ValidationError

from advisor.errors import AdvisorError
from advisor.workload.catalog import PriceCatalog, scenario_problems
from advisor.workload.limits import list_problems
from advisor.workload.plain_data import PlainDataError, load_plain_documents
from advisor.workload.scenario import Scenario

#: Scenario documents are small; a larger one is almost certainly the wrong file.
MAX_DOCUMENT_BYTES = 2_000_000
#: Problems listed one by one; more are counted in a last line (a hostile document can
#: have a million, and nobody reads past the first screenful).
MAX_PROBLEMS = 20
#: A rejected value is shown up to this many characters.
MAX_SHOWN_CHARS = 80


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


def shown_value(value: object) -> str:
    """A rejected value as errors show it: its repr, cut to :data:`MAX_SHOWN_CHARS` characters."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN_CHARS else text[:MAX_SHOWN_CHARS - 1] + "…"


def capped(problems: list[str], total: int | None = None) -> list[str]:
    """The first :data:`MAX_PROBLEMS` of ``total`` problems (default: all given), and a line counting the rest."""
    total = len(problems) if total is None else total
    if total <= MAX_PROBLEMS:
        return problems
    return [*problems[:MAX_PROBLEMS], f"… and {total - MAX_PROBLEMS:,} more problems"]


def _problems(exc: ValidationError) -> list[str]:
    problems = []
    for err in exc.errors()[:MAX_PROBLEMS]:
        loc = tuple(p for p in err["loc"] if p not in ("function-after[_ordered(), Replicas]",))
        value = err.get("input")
        shown = "" if isinstance(value, dict | list) else f" (got {shown_value(value)})"
        problems.append(f"{_location(loc)}: {err['msg']}{shown}")
    return capped(problems, exc.error_count())


def _document(text: str, source: str) -> Any:
    """The one document of ``text`` as plain data (ScenarioError when it is not)."""
    try:
        documents = list(itertools.islice(load_plain_documents(text), 2))
    except PlainDataError as exc:
        problem = exc.problem if exc.problem.startswith("not valid ") else f"not valid YAML/JSON: {exc.problem}"
        raise ScenarioError(source, [problem]) from None
    if len(documents) > 1:
        raise ScenarioError(source, ["a scenario file holds one YAML document; this one has more ('---')"])
    return documents[0][1] if documents else None


def load_document(text: str, source: str = "scenario") -> dict[str, Any]:
    """The mapping a YAML or JSON document holds (JSON is YAML, so one reader serves both), size-checked."""
    size = len(text.encode("utf-8"))
    if size > MAX_DOCUMENT_BYTES:
        raise ScenarioError(source, [f"document of {size:,} bytes is over the limit of {MAX_DOCUMENT_BYTES:,} bytes"])
    doc = _document(text, source)
    if not isinstance(doc, dict):
        raise ScenarioError(source, ["the document must be a mapping with at least 'name' and 'services'"
                                     + ("" if doc is not None else " (it is empty)")])
    return doc


def validate_scenario(doc: Any, source: str = "scenario", where: str = "",
                      catalog: PriceCatalog | None = None) -> Scenario:
    """A scenario from a loaded document; problems are prefixed with ``where`` (``scenarios[1].``) when given.

    Lists over their limits are refused before any item is validated.  With a ``catalog`` (the
    active price data's Regions and instance types) a Region or instance family the prices lack
    is a problem too, named with the nearest valid names.
    """
    problems = capped(list_problems(doc)) if isinstance(doc, dict) else []
    if not problems:
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
