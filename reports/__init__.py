"""Reports and exports for finance and teams: CSV, Excel, JSON, HTML and PDF from one report model.

``reports.model.build_report`` gathers what a report shows; ``reports.export.render``
turns it into bytes and ``reports.export.export_report`` writes them safely.  This
module stays import-light (no exporters) so the command line can read ``FORMATS``.
"""

#: The report formats, in the order the command line and the app offer them.
FORMATS: tuple[str, ...] = ("csv", "xlsx", "json", "html", "pdf")
