"""Component: a read-only table as people read it (human headers, each column formatted for its unit).

The frame keeps its machine column names and full-precision numbers (sorting and tests
use them); :mod:`presentation.display` says how each column reads.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from presentation.display import headers, readable
from presentation.money import DisplayCurrency


def show_table(frame: pd.DataFrame, key: str, *, currency: DisplayCurrency | None = None,
               column_config: dict[str, Any] | None = None, **kwargs: Any) -> None:
    """``st.dataframe`` of ``frame`` with human headers, units' rounding and blank missing cells."""
    config: dict[str, Any] = {**headers(frame), **(column_config or {})}
    st.dataframe(readable(frame, currency), hide_index=True, key=key, column_config=config, placeholder="", **kwargs)
