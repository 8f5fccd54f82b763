"""Money for reading: USD amounts, with the converted amount when a display currency is set.

The one place amounts become text, so the app, the CLI and the reports agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import pandas as pd


class DisplayCurrency(Protocol):
    """A display currency at a user-set rate (``reports.currency.Currency`` is one)."""

    code: str

    def convert(self, usd: float) -> float: ...

    def format(self, amount: float) -> str: ...


def format_usd(usd: float, *, digits: int = 2) -> str:
    """``$1,234.56`` (``-$5.00`` for a negative amount)."""
    return f"-${-usd:,.{digits}f}" if usd < 0 else f"${usd:,.{digits}f}"


def format_converted(usd: float, currency: DisplayCurrency) -> str:
    """``usd`` in ``currency``, as the currency formats it (``€1,135.80``, ``₩1,701,234``)."""
    amount = currency.convert(usd)
    return f"-{currency.format(-amount)}" if amount < 0 else currency.format(amount)


def format_money(usd: float, currency: DisplayCurrency | None = None, *, digits: int = 2) -> str:
    """``$1,234.56``, followed by the converted amount when a currency is set (``$1,234.56 · €1,135.80``)."""
    text = format_usd(usd, digits=digits)
    return text if currency is None else f"{text} · {format_converted(usd, currency)}"


def with_converted(frame: pd.DataFrame, columns: Sequence[str], currency: DisplayCurrency | None) -> pd.DataFrame:
    """``frame`` plus, after each ``*_usd`` column, the same amounts in ``currency`` (``*_eur``)."""
    if currency is None:
        return frame
    out = frame.copy()
    for column in columns:
        position = out.columns.get_loc(column) + 1
        out.insert(position, column.removesuffix("_usd") + f"_{currency.code.lower()}",
                   [currency.convert(float(v)) for v in out[column]])
    return out
