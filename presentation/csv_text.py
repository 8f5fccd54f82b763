"""CSV text safe to open in a spreadsheet: every CSV the project writes goes through here.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return is run
as a formula by spreadsheet programs (CSV or formula injection: a service named
``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0`` would become a link or a command).  OWASP's
advice is to prefix such a cell with a single quote, which makes the program show it
as text; numbers are never touched, so they stay numbers.
(OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection)

:func:`neutralize_cell` is the one rule; :func:`frame_csv` (the command line's tables)
and :func:`records_csv` (the report files) are the only two ways the project writes CSV,
and both apply it to every cell, after showing control characters as escapes
(:func:`presentation.text.printable`: a name's newline or terminal escape never reaches a
file raw).  The Excel export applies both to every text cell too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from presentation.text import printable

#: First characters that make a spreadsheet evaluate a cell (OWASP "CSV Injection").
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralize_cell(value: Any) -> Any:
    """``value`` with a leading single quote if it is text a spreadsheet would run as a formula.

    Numbers, booleans and None are returned unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _safe(value: Any) -> Any:
    """A cell as every CSV writes it: control characters escaped (:func:`printable`), then neutralized."""
    return neutralize_cell(printable(value) if isinstance(value, str) else value)


def frame_csv(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text (header, ``\\n`` line ends, numbers at full precision), every text cell made safe."""
    text_columns = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    safe = frame.copy()
    for column in text_columns:
        safe[column] = safe[column].map(_safe)
    safe.columns = [_safe(str(c)) for c in frame.columns]
    return safe.to_csv(index=False, lineterminator="\n")


def records_csv(columns: Sequence[str], records: Iterable[Mapping[str, Any]]) -> bytes:
    """Records as a UTF-8 CSV file for spreadsheets, every text cell neutralized.

    Text is quoted and numbers are not (``QUOTE_NONNUMERIC``), so a spreadsheet reads
    numbers as numbers; floats are written in Python's shortest round-trip form, so a
    reader gets back exactly the same values.  CRLF line ends and a byte-order mark let
    Excel detect the encoding.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: _safe(v) for k, v in record.items()})
    return buffer.getvalue().encode("utf-8-sig")
