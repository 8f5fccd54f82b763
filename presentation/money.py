"""Numbers for reading: money, hours, counts, percentages and plurals, the way people write them.

The one place amounts and quantities become text, so the app, the CLI, the reports and the
notebooks agree:

- thousands separators (``$12,345.67``, ``1,460``);
- a real minus sign in front of the currency (``−$52.61``, not ``$-52.61``);
- rounding fit for the unit: money to cents, unit prices to the precision AWS publishes
  them (``$0.04048``), hours to one decimal, counts as integers;
- singular and plural right (``1 node``, ``3 nodes``);
- nothing at all for a missing value, never ``None`` or ``nan``.

Amounts keep full precision everywhere else; formatting is the last step.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

import pandas as pd

#: U+2212 MINUS SIGN: what typesetting uses in front of a negative amount.
MINUS = "\u2212"
#: Significant digits of a unit price (AWS publishes prices such as $0.0000111 per GB).
UNIT_PRICE_SIGNIFICANT_DIGITS = 6


class DisplayCurrency(Protocol):
    """A display currency at a user-set rate (``reports.currency.Currency`` is one)."""

    code: str

    def convert(self, usd: float) -> float: ...

    def format(self, amount: float) -> str: ...


def is_missing(value: object) -> bool:
    """None, NaN or pandas' NA: a cell with nothing to show."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _signed(text: str, negative: bool) -> str:
    return f"{MINUS}{text}" if negative else text


def _not_a_number(value: float | None) -> str | None:
    """What a value with no digits to show reads as: ``""`` when missing, ``∞`` / ``−∞`` when infinite; else None."""
    if value is None or is_missing(value):
        return ""
    number = float(value)
    return None if math.isfinite(number) else _signed("∞", number < 0)


def format_number(value: float | None, digits: int = 2) -> str:
    """``12,345.68`` (``−3.50`` for a negative value; ``""`` for a missing one)."""
    if (special := _not_a_number(value)) is not None:
        return special
    rounded = round(float(value), digits)
    return _signed(f"{abs(rounded):,.{digits}f}", rounded < 0)


def format_usd(usd: float | None, *, digits: int = 2) -> str:
    """``$1,234.56``; ``−$5.00`` for a negative amount; ``""`` for a missing one."""
    if (special := _not_a_number(usd)) is not None:
        return special
    rounded = round(float(usd), digits)
    return _signed(f"${abs(rounded):,.{digits}f}", rounded < 0)


def format_signed_usd(usd: float, *, digits: int = 2) -> str:
    """A difference: ``+$31.00``, ``−$52.61``, or ``$0.00`` when it rounds to nothing."""
    text = format_usd(usd, digits=digits)
    return f"+{text}" if round(usd, digits) > 0 else text


def format_unit_price(usd: float | None) -> str:
    """A price per unit as AWS publishes it: ``$0.04048``, ``$0.0000111``, ``$32.85`` (never ``4.048e-02``)."""
    if (special := _not_a_number(usd)) is not None:
        return special
    value = float(usd)
    if value == 0:
        return "$0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(2, UNIT_PRICE_SIGNIFICANT_DIGITS - 1 - magnitude)
    text = f"{abs(value):,.{decimals}f}".rstrip("0")
    whole, _, fraction = text.partition(".")
    return _signed(f"${whole}.{fraction.ljust(2, '0')}", value < 0)


def format_hours(hours: float | None) -> str:
    """Hours to one decimal: ``18.2``, ``1,460.0``."""
    return format_number(hours, 1)


def format_count(count: float | None) -> str:
    """A whole number with separators: ``1,234`` (a fractional count keeps up to 2 decimals)."""
    if (special := _not_a_number(count)) is not None:
        return special
    value = float(count)
    if value == round(value):
        return _signed(f"{abs(round(value)):,}", value < 0)
    return format_quantity(value)


def format_quantity(value: float | None) -> str:
    """A measured quantity: ``1,460``, ``0.125``, ``2.5`` (integers without decimals, else 4 significant digits)."""
    if (special := _not_a_number(value)) is not None:
        return special
    number = float(value)
    if number == round(number) and abs(number) < 1e15:
        return _signed(f"{abs(round(number)):,}", number < 0)
    if abs(number) >= 1000:
        return format_number(number, 2)
    return _signed(f"{abs(number):.4g}", number < 0)


def format_percent(percent: float | None, digits: int = 0) -> str:
    """A percentage given in percent: ``85%``, ``12.5%`` with ``digits=1``."""
    text = format_number(percent, digits)
    return f"{text}%" if text else ""


def plural(count: float, noun: str, plural_noun: str | None = None) -> str:
    """``1 node``, ``3 nodes``, ``2 services``, ``1.5 clusters``; ``plural_noun`` for irregular words."""
    many = plural_noun or (noun[:-1] + "ies" if noun.endswith("y") and noun[-2:-1] not in "aeiou" else noun + "s")
    return f"{format_count(count)} {noun if count == 1 else many}"


def format_converted(usd: float, currency: DisplayCurrency) -> str:
    """``usd`` in ``currency``, as the currency formats it (``€1,135.80``, ``₩1,701,234``, ``−€5.00``)."""
    amount = currency.convert(usd)
    return _signed(currency.format(abs(amount)), amount < 0 and currency.format(abs(amount)) != currency.format(0))


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
