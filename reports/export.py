"""Render a report model in one of the five formats, and write it safely.

The app offers ``render``'s bytes as downloads; the command line writes them with
``export_report``, which sanitizes the file name and writes atomically.
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


def render(model: ReportModel, fmt: str, *, chromium: Path | None = None) -> bytes:
    """The report as bytes in ``fmt`` (one of :data:`FORMATS`); ``chromium`` only matters for PDF charts.

    Exporters are imported on demand: openpyxl, plotly.js and fpdf2 load only for their format.
    """
    if fmt == "csv":
        from reports.csv_export import to_csv
        return to_csv(model)
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
        return to_pdf(model, chromium=chromium)
    raise InvalidReportOption("format", fmt, ", ".join(FORMATS))


def default_file_name(model: ReportModel, fmt: str) -> str:
    """``<scenario name>-report.<fmt>``, sanitized (the scenario name is user text)."""
    return sanitize_file_name(f"{model.scenario.name}-report.{fmt}")


def export_report(model: ReportModel, fmt: str, path: Path | str, *, chromium: Path | None = None) -> Path:
    """Render, then write atomically to ``path`` with its file name sanitized; returns the path written.

    The whole document is rendered before anything touches the disk, so a failed
    export leaves no file (and an existing file unchanged).
    """
    data = render(model, fmt, chromium=chromium)
    return atomic_write_bytes(safe_output_path(path), data)
