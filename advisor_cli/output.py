"""Render tables as text, JSON or CSV for the command line."""

from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

from presentation.csv_text import frame_csv
from presentation.text import printable_frame

FORMATS = ("table", "json", "csv")


def _json_value(value: Any) -> Any:
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return "Inf"  # as the Price List writes an open range
    return value


def frame_to_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain dicts with JSON-safe values (NaN -> null, inf -> "Inf")."""
    return [{k: _json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]


def render_frame(frame: pd.DataFrame, fmt: str, *, table_columns: tuple[str, ...] | None = None) -> str:
    """The frame as ``table`` (aligned text), ``json`` (list of rows) or ``csv``."""
    if fmt == "json":
        return json.dumps(frame_to_records(frame), indent=2)
    if fmt == "csv":
        return frame_csv(frame)
    shown = printable_frame(frame[list(table_columns)] if table_columns else frame)
    if shown.empty:
        return "(no rows)"
    return shown.to_string(index=False, float_format=lambda v: f"{v:.10g}")
