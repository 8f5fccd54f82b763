"""Errors of the report exports, in the advisor's family so the CLI prints them as one line."""

from __future__ import annotations

from advisor.errors import AdvisorError, InvalidWorkload


class ReportError(AdvisorError):
    """A report cannot be built, read back or written; the message says what to change."""


class InvalidReportOption(InvalidWorkload, ReportError):
    """A report option (currency, file name) outside what is allowed: names the field and value."""
