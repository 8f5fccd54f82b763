"""What an import did with every input: mapped, assumed, skipped, or a hint.

Nothing an importer reads disappears silently.  Each workload field it uses is a
*mapped* entry, each value it had to invent (a default request, a job duration) an
*assumed* one, each object or field it could not use a *skipped* one, and each
observation that could change the scenario but is not applied to it (a Fargate Spot
share, a load balancer) a *hint*.  Entries carry where they came from: file,
document (1-based, as editors count YAML documents), item of a ``List``, kind and
name of the object, and the field path inside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from advisor.errors import AdvisorError
from advisor.workload.scenario import Scenario


class Action(StrEnum):
    """What the importer did with one input."""

    MAPPED = "mapped"
    ASSUMED = "assumed"
    SKIPPED = "skipped"
    HINT = "hint"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an object came from: file, document number, ``List`` item, kind and name."""

    source: str
    document: int | None = None
    kind: str = ""
    name: str = ""
    item: int | None = None

    def label(self) -> str:
        """``deploy.yaml, document 3, item 2 (Deployment web)``; parts that are unknown are left out."""
        parts = [self.source]
        if self.document is not None:
            parts.append(f"document {self.document}")
        if self.item is not None:
            parts.append(f"item {self.item}")
        text = ", ".join(parts)
        what = " ".join(p for p in (self.kind, self.name) if p)
        return f"{text} ({what})" if what else text

    def named(self, kind: str, name: str) -> Origin:
        """The same place, now that the object's kind and name are known."""
        return Origin(self.source, self.document, kind, name, self.item)


class WorkloadImportError(AdvisorError):
    """Input that cannot be imported; the message names file, document, field and value.

    Parameters
    ----------
    origin : Origin
        Where the problem is (file, document, object).
    field : str
        Dotted path of the offending field inside the object ("" for the whole document).
    problem : str
        What is wrong and what would be accepted.
    """

    def __init__(self, origin: Origin, field: str, problem: str) -> None:
        super().__init__(origin, field, problem)
        self.origin = origin
        self.field = field
        self.problem = problem

    def __str__(self) -> str:
        where = f"{self.origin.label()}, field {self.field}" if self.field else self.origin.label()
        return f"{where}: {self.problem}"


#: Problems listed one by one in the message of :class:`WorkloadImportErrors`; the rest are counted.
MAX_LISTED_ERRORS = 50


class WorkloadImportErrors(WorkloadImportError):
    """Every problem an import found, one per object that could not be read, so all are fixed in one go.

    ``errors`` holds each :class:`WorkloadImportError` (file, document, field and problem);
    the message lists them one per line (the first :data:`MAX_LISTED_ERRORS`).
    """

    def __init__(self, errors: Sequence[WorkloadImportError]) -> None:
        super().__init__(errors[0].origin, errors[0].field, errors[0].problem)
        self.errors = tuple(errors)

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def lines(self) -> list[str]:
        """A heading, then one line per problem (a console shows each through ``presentation.text.printable``)."""
        shown = [f"  {error}" for error in self.errors[:MAX_LISTED_ERRORS]]
        if len(self.errors) > MAX_LISTED_ERRORS:
            shown.append(f"  … and {len(self.errors) - MAX_LISTED_ERRORS:,} more")
        return [f"{len(self.errors)} problems in the input:", *shown]


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ReportEntry:
    """One thing the importer did, and why."""

    action: Action
    origin: Origin
    field: str
    message: str

    def to_document(self) -> dict[str, Any]:
        """Plain JSON-able data (what ``advisor import --report json`` prints)."""
        return {"action": self.action.value, "source": self.origin.source, "document": self.origin.document,
                "item": self.origin.item, "kind": self.origin.kind, "name": self.origin.name,
                "field": self.field, "message": self.message}


@dataclass(frozen=True, slots=True)
class ImportReport:
    """Every entry of one import, in the order the inputs were read."""

    entries: tuple[ReportEntry, ...] = ()

    def of(self, action: Action) -> tuple[ReportEntry, ...]:
        """The entries with one action."""
        return tuple(e for e in self.entries if e.action is action)

    def to_text(self) -> str:
        """A section per action, one line per entry: ``  place · field: message``."""
        lines = self.lines()
        return "\n".join(lines) + ("\n" if lines else "")

    def lines(self) -> list[str]:
        """The lines of :meth:`to_text` (a console shows each through :func:`presentation.text.printable`)."""
        lines = []
        for action in Action:
            entries = self.of(action)
            if not entries:
                continue
            lines.append(f"{action.value} ({len(entries)}):")
            for e in entries:
                field_part = f" · {e.field}" if e.field else ""
                lines.append(f"  {e.origin.label()}{field_part}: {e.message}")
        return lines


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The imported scenario and the report of how each part of it was obtained."""

    scenario: Scenario
    report: ImportReport


@dataclass
class ReportLog:
    """Collects entries while an importer runs; :meth:`freeze` gives the immutable report."""

    entries: list[ReportEntry] = field(default_factory=list)
    errors: list[WorkloadImportError] = field(default_factory=list)

    def attempt(self, read: Callable[[], T]) -> T | None:
        """``read()``, or None with its error kept when the input is bad, so the import goes on
        to the next object and reports every problem at the end (:meth:`raise_errors`)."""
        try:
            return read()
        except WorkloadImportErrors as exc:
            self.errors.extend(exc.errors)
        except WorkloadImportError as exc:
            self.errors.append(exc)
        return None

    def raise_errors(self) -> None:
        """Raise the problems kept so far (each once): the error itself when there is one."""
        unique = list({str(e): e for e in self.errors}.values())
        if len(unique) == 1:
            raise unique[0]
        if unique:
            raise WorkloadImportErrors(unique)

    def add(self, action: Action, origin: Origin, field_path: str, message: str) -> None:
        """Record one entry."""
        self.entries.append(ReportEntry(action, origin, field_path, message))

    def mapped(self, origin: Origin, field_path: str, message: str) -> None:
        """A value read from the input into the scenario."""
        self.add(Action.MAPPED, origin, field_path, message)

    def assumed(self, origin: Origin, field_path: str, message: str) -> None:
        """A value the input lacks, filled in by a documented rule."""
        self.add(Action.ASSUMED, origin, field_path, message)

    def skipped(self, origin: Origin, field_path: str, message: str) -> None:
        """An object or field that is not used, and why."""
        self.add(Action.SKIPPED, origin, field_path, message)

    def hint(self, origin: Origin, field_path: str, message: str) -> None:
        """An observation not applied to the scenario that the user may want to apply."""
        self.add(Action.HINT, origin, field_path, message)

    def freeze(self) -> ImportReport:
        """The entries so far as an :class:`ImportReport`."""
        return ImportReport(tuple(self.entries))
