"""Import workloads from what teams already have: ECS, Kubernetes, Compose, a live account.

Every importer returns an :class:`~importers.report.ImportResult`: an
:class:`advisor.workload.scenario.Scenario` (services, jobs, daemons; Region and traffic left
at their defaults unless the input says) and an :class:`~importers.report.ImportReport`
of what was mapped, assumed, skipped or only hinted at.  Bad input raises
:class:`~importers.report.WorkloadImportError` naming file, document and field.

Parsing is pure (text in, scenario out): callers read the files.  The live-account
importer, the only code here that talks to AWS, is :mod:`importers.aws_account`; it is
not imported by this package so that file imports never load boto3.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from advisor.workload.catalog import PriceCatalog
from importers.compose import import_compose
from importers.ecs import import_ecs
from importers.kinds import empty_file
from importers.kubernetes import import_kubernetes
from importers.report import (
    Action,
    ImportReport,
    ImportResult,
    Origin,
    ReportEntry,
    ReportLog,
    WorkloadImportError,
    WorkloadImportErrors,
)
from importers.safe_yaml import MAX_SOURCE_BYTES, SourceDocument, load_documents

Importer = Callable[..., ImportResult]
#: File importers by the name the command line uses.
FILE_IMPORTERS: dict[str, Importer] = {"ecs": import_ecs, "k8s": import_kubernetes, "compose": import_compose}

__all__ = ["FILE_IMPORTERS", "MAX_SOURCE_BYTES", "Action", "ImportReport", "ImportResult", "Origin", "ReportEntry",
           "SourceDocument", "WorkloadImportError", "WorkloadImportErrors", "import_compose", "import_ecs",
           "import_kubernetes", "import_texts", "load_documents"]


def import_texts(source_kind: str, texts: Sequence[tuple[str, str]], *, scenario_name: str,
                 region: str | None = None, catalog: PriceCatalog | None = None) -> ImportResult:
    """Import files already read into memory (the CLI and the app's upload use this).

    Parameters
    ----------
    source_kind : str
        ``ecs``, ``k8s`` or ``compose``.
    texts : sequence of (str, str)
        (file name, content) pairs.
    scenario_name : str
        Name of the scenario.
    region : str, optional
        AWS Region; overrides what the input says.
    catalog : PriceCatalog, optional
        The active price data's Regions and instance types, checked before a scenario is made.

    Raises
    ------
    WorkloadImportError
        Every file that cannot be read (not YAML/JSON, too large, empty), then every
        problem of the documents (:class:`WorkloadImportErrors` when there are several).
    """
    if source_kind not in FILE_IMPORTERS:
        raise WorkloadImportError(Origin("(import)"), "source",
                                  f"{source_kind!r}; allowed: {', '.join(FILE_IMPORTERS)}")
    if not texts:
        raise WorkloadImportError(Origin("(import)"), "", "no input file")
    log = ReportLog()
    documents: list[SourceDocument] = []
    for name, text in texts:
        found = log.attempt(lambda name=name, text=text: load_documents(text, name))
        if found is not None and all(doc.data is None for doc in found):
            log.errors.append(WorkloadImportError(Origin(name), "", empty_file(source_kind)))
        documents += found or ()
    log.raise_errors()
    return FILE_IMPORTERS[source_kind](documents, scenario_name=scenario_name, region=region, catalog=catalog)
