"""Read untrusted YAML or JSON manifests into plain data, one entry per document.

The reading rules (no objects, no alias bombs, no deep nesting, no repeated keys) are
those of every untrusted text the advisor reads: :mod:`advisor.workload.plain_data`.
This module adds the size limit of an input file and names the file in every error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from advisor.workload.plain_data import MAX_ALIAS_EXPANSION_NODES, PlainDataError, load_plain_documents
from importers.report import Origin, WorkloadImportError

__all__ = ["MAX_ALIAS_EXPANSION_NODES", "MAX_SOURCE_BYTES", "SourceDocument", "load_documents"]

#: Larger than any manifest export we have seen (a 60-namespace ``kubectl get -o yaml``
#: dump is about 3 MB) and small enough that parsing stays well under a few seconds.
MAX_SOURCE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """One document of an input file: its file name, 1-based number and plain data."""

    source: str
    index: int
    data: Any

    @property
    def origin(self) -> Origin:
        """The place to name in reports and errors."""
        return Origin(self.source, self.index)


def load_documents(text: str, source: str) -> tuple[SourceDocument, ...]:
    """Parse every document of a YAML or JSON text into plain Python data.

    Parameters
    ----------
    text : str
        The file's content.
    source : str
        The file name, used in every error.

    Returns
    -------
    tuple of SourceDocument
        One per document, numbered from 1; empty documents (a lone ``---``) are kept as
        ``None`` data so that numbering matches what an editor shows.

    Raises
    ------
    WorkloadImportError
        Text too large, not valid YAML/JSON, a disallowed tag, a duplicate key, an alias
        bomb or nesting too deep; the message names the file, the document and the line.
    """
    size = len(text.encode("utf-8"))
    if size > MAX_SOURCE_BYTES:
        raise WorkloadImportError(Origin(source), "", f"{size:,} bytes is over the {MAX_SOURCE_BYTES:,}-byte limit "
                                                      "for one input file; split it (e.g. one file per namespace)")
    try:
        return tuple(SourceDocument(source, index, data) for index, data in load_plain_documents(text))
    except PlainDataError as exc:
        raise WorkloadImportError(Origin(source, exc.document), "", exc.problem) from None
