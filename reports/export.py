"""Render a report model in one of the five formats, and write it safely.

The app offers ``render``'s bytes as downloads; the command line writes them with
``export_report``, which sanitizes the file name and writes atomically.  The CSV report
is two files: the line items and, beside them, the summary that reconciles them with
the headline (:data:`SUMMARY_CSV`, ``<name>-summary.csv``).
"""

from __future__ import annotations

from pathlib import Path

from reports import FORMATS
from reports.errors import InvalidReportOption
from reports.model import ReportModel
from reports.safety import atomic_write_bytes, safe_output_path, sanitize_file_name

#: MIME types for downloads (the app's download buttons).
MIME_TYPES: dict[str, str] = {
    "csv": "text/csv", "json": "application/json", "html": "text/html", "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: The CSV report's second file: per-platform bill, operations, TCO and range (``reports.csv_export``).
SUMMARY_CSV = "summary-csv"
#: How the summary file is named beside the line-item file: ``report.csv`` -> ``report-summary.csv``.
SUMMARY_CSV_SUFFIX = "-summary"


def render(model: ReportModel, fmt: str) -> bytes:
    """The report as bytes in ``fmt`` (one of :data:`FORMATS`, or :data:`SUMMARY_CSV`).

    Exporters are imported on demand: XlsxWriter, plotly.js, fpdf2 and matplotlib load
    only for their format.
    """
    if fmt == "csv":
        from reports.csv_export import to_csv
        return to_csv(model)
    if fmt == SUMMARY_CSV:
        from reports.csv_export import summary_csv
        return summary_csv(model)
    if fmt == "xlsx":
        from reports.xlsx_export import to_xlsx
        return to_xlsx(model)
    if fmt == "json":
        from reports.json_export import to_json
        return to_json(model)
    if fmt == "html":
        from reports.html_export import to_html
        return to_html(model)
    if fmt == "pdf":
        from reports.pdf_export import to_pdf
        return to_pdf(model)
    raise InvalidReportOption("format", fmt, ", ".join(FORMATS))


def default_file_name(model: ReportModel, fmt: str) -> str:
    """``<scenario name>-report.<fmt>``, sanitized (the scenario name is user text)."""
    return sanitize_file_name(f"{model.scenario.name}-report.{fmt}")


def summary_csv_path(path: Path) -> Path:
    """Where the summary CSV goes beside the line-item CSV at ``path``."""
    return path.with_name(f"{path.stem}{SUMMARY_CSV_SUFFIX}{path.suffix or '.csv'}")


def export_report(model: ReportModel, fmt: str, path: Path | str) -> tuple[Path, ...]:
    """Render, then write atomically to ``path`` with its file name sanitized; returns the paths written.

    ``csv`` writes two files, the line items at ``path`` and the summary beside it
    (:func:`summary_csv_path`).  Every document is rendered before anything touches the
    disk, so a failed export leaves no file (and an existing file unchanged).
    """
    target = safe_output_path(path)
    documents = [(target, render(model, fmt))]
    if fmt == "csv":
        documents.append((summary_csv_path(target), render(model, SUMMARY_CSV)))
    return tuple(atomic_write_bytes(where, data) for where, data in documents)
