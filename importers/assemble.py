"""Turn the workloads every importer found into one validated :class:`Scenario`.

Importers hand over *drafts*: the fields of a ``Service``, ``Job`` or daemon
``Container`` plus where they came from.  This module gives each a unique name
(scenario names must be unique per section), validates the whole scenario with the
same pydantic model a scenario file goes through, and turns a validation error back
into the file, document and object it came from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from advisor.workload.catalog import PriceCatalog, region_problem
from advisor.workload.limits import MAX_NAME_CHARS, list_problems
from advisor.workload.scenario import Scenario
from advisor.workload.spec_io import shown_value
from importers.fields import UNKNOWN_FIELD
from importers.pins import Pins, check_pins
from importers.report import Action, ImportResult, Origin, ReportLog, WorkloadImportError

Section = Literal["services", "jobs", "daemons"]
DEFAULT_REGION = "us-east-1"
#: Skipped inputs listed when nothing could be imported (the report lists them all).
MAX_SKIPPED_LISTED = 10


@dataclass(frozen=True, slots=True)
class Draft:
    """One workload ready for the scenario: its section, fields (without ``name``) and origin.

    ``qualified_name`` (e.g. ``namespace.name``) is used when ``name`` is already taken.
    """

    section: Section
    name: str
    qualified_name: str
    fields: Mapping[str, Any]
    origin: Origin
    #: Instance types the workload is pinned to, with the field that says so (:mod:`importers.pins`).
    pins: Pins = ()


def build_result(drafts: Sequence[Draft], *, scenario_name: str, region: str | None, sources: Sequence[str],
                 log: ReportLog, catalog: PriceCatalog | None = None) -> ImportResult:
    """Validate the drafts as one scenario and freeze the report.

    Parameters
    ----------
    drafts : sequence of Draft
        Everything importable that was found, in input order.
    scenario_name : str
        The scenario's ``name``.
    region : str or None
        AWS Region; None leaves the scenario default (us-east-1), reported as assumed.
    sources : sequence of str
        Input file names, for errors about the whole import.
    log : ReportLog
        The importer's entries so far, and the problems it kept (:meth:`ReportLog.attempt`);
        naming decisions are added to it.
    catalog : PriceCatalog, optional
        The active price data's Regions and instance types: a Region or pinned instance type
        they lack is an error now, not when the scenario is estimated.

    Raises
    ------
    WorkloadImportError
        Every problem found (:class:`importers.report.WorkloadImportErrors` when there are
        several): those the importer kept, a Region or pinned instance type the price data
        lacks, every value the scenario model rejects, or nothing importable (no service or
        job), with what was skipped and why.
    """
    everything = Origin(", ".join(sources) or "(no input)")
    if not any(d.section in ("services", "jobs") for d in drafts) and not log.errors:
        found = f" (only {sum(d.section == 'daemons' for d in drafts)} per-node agents)" if drafts else ""
        raise WorkloadImportError(everything, "", f"nothing importable: no service or job found{found}; a scenario "
                                                  "needs at least one. " + _skipped_summary(log))
    log.attempt(lambda: _check_region(region, catalog, everything))
    named = _unique_names(drafts, log)
    for draft in drafts:
        log.attempt(lambda draft=draft: check_pins(draft.pins, draft.origin, catalog, log))
    document: dict[str, Any] = {"name": scenario_name, "services": [], "jobs": [], "daemons": []}
    if region is None:
        log.assumed(everything, "region", f"the input does not say; {DEFAULT_REGION} (the scenario default) "
                                          "is used; pass --region to choose")
    else:
        document["region"] = region
    for draft, name in named:
        document[draft.section].append({"name": name, **draft.fields})
    for problem in list_problems(document):
        log.errors.append(WorkloadImportError(everything, "", f"{problem} (a scenario's limit); import fewer files, "
                                                              "or one namespace or cluster at a time"))
    log.raise_errors()
    try:
        scenario = Scenario.model_validate(document)
    except ValidationError as exc:
        log.errors += _placed_errors(exc, named, everything)
        log.raise_errors()
        raise
    return ImportResult(scenario, log.freeze())


def _check_region(region: str | None, catalog: PriceCatalog | None, everything: Origin) -> None:
    """A Region without prices fails the import, offering a priced Region or a refresh."""
    problem = region_problem(region or DEFAULT_REGION, catalog) if catalog is not None else None
    if problem is not None:
        refresh = f"advisor prices refresh --source bulk --region {problem.value}"
        raise WorkloadImportError(everything, "region", f"{problem.value!r} has no prices in the active price data "
                                                        f"({problem.allowed.split('; ', 1)[-1]}); import with "
                                                        f"--region set to a priced region, or first run: {refresh}")


def _unique_names(drafts: Sequence[Draft], log: ReportLog) -> list[tuple[Draft, str]]:
    taken: dict[str, set[str]] = {"services": set(), "jobs": set(), "daemons": set()}
    named = []
    for draft in drafts:
        used = taken[draft.section]
        name = draft.name
        if name in used:
            name = draft.qualified_name
        base, n = name, 2
        while name in used:
            name, n = f"{base}-{n}", n + 1
        if len(name) > MAX_NAME_CHARS:
            name = name[:MAX_NAME_CHARS]
            log.assumed(draft.origin, "name", f"longer than {MAX_NAME_CHARS} characters; shortened to {name!r}")
        if name != draft.name:
            log.assumed(draft.origin, "name", f"{draft.name!r} is already used in {draft.section}; named {name!r}")
        used.add(name)
        named.append((draft, name))
    return named


def _placed_errors(exc: ValidationError, named: list[tuple[Draft, str]],
                   everything: Origin) -> list[WorkloadImportError]:
    """Each validation error at the file, document and object its value came from."""
    errors = []
    for error in exc.errors():
        loc, value = error["loc"], error.get("input")
        shown = "" if isinstance(value, dict | list) else f" (got {shown_value(value)})"
        if len(loc) >= 2 and isinstance(loc[1], int):
            draft = [d for d, _ in named if d.section == loc[0]][loc[1]]
            rest = ".".join(str(p) for p in loc[2:] if not str(p).startswith("function-"))
            errors.append(WorkloadImportError(draft.origin, f"scenario {loc[0]}.{rest}" if rest else
                                              f"scenario {loc[0]}", f"{error['msg']}{shown}"))
        else:
            errors.append(WorkloadImportError(everything, ".".join(str(p) for p in loc), f"{error['msg']}{shown}"))
    return errors


def _skipped_summary(log: ReportLog) -> str:
    """What was skipped and why, one clause per input (the first :data:`MAX_SKIPPED_LISTED`)."""
    skipped = [e for e in log.entries if e.action is Action.SKIPPED and not e.message.startswith(UNKNOWN_FIELD)]
    if not skipped:
        return "The input holds no document."
    listed = [f"{e.origin.label()}{f' · {e.field}' if e.field else ''}: {e.message}"
              for e in skipped[:MAX_SKIPPED_LISTED]]
    more = f"; … and {len(skipped) - MAX_SKIPPED_LISTED} more" if len(skipped) > MAX_SKIPPED_LISTED else ""
    return "Skipped: " + "; ".join(listed) + more
