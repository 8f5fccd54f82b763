"""Display currency: USD amounts plus a converted column at a user-set exchange rate.

Every amount stays in USD (the Price List's currency); a report may add one converted
column for finance teams that review in their own currency.  The rate is the user's,
never fetched: a report states it next to the converted figures.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from reports.errors import InvalidReportOption

#: Symbols of the currencies finance teams ask for most; any other ISO 4217 code works
#: with an explicit symbol (or shows its code).
CURRENCY_SYMBOLS: dict[str, str] = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "KRW": "₩", "CHF": "CHF",
                                    "INR": "₹", "CNY": "¥", "AUD": "A$", "CAD": "C$"}

#: ISO 4217 minor units of the currencies above that have none (amounts shown without decimals).
ZERO_DECIMAL_CODES: frozenset[str] = frozenset({"JPY", "KRW"})

_CODE = re.compile(r"[A-Z]{3}")
#: A generous ceiling: 1 USD buys about 1,400 KRW and at most tens of thousands of any unit in use.
MAX_USD_RATE = 1e7


@dataclass(frozen=True, slots=True, kw_only=True)
class Currency:
    """A display currency: ``usd_rate`` units of it per US dollar."""

    code: str
    symbol: str
    usd_rate: float

    @property
    def decimals(self) -> int:
        return 0 if self.code in ZERO_DECIMAL_CODES else 2

    def convert(self, usd: float) -> float:
        """An amount in USD expressed in this currency (no rounding: display rounds)."""
        return usd * self.usd_rate

    @property
    def prefix(self) -> str:
        """What precedes an amount: the symbol, plus a space when it ends in a letter (``CHF 0.80``)."""
        return self.symbol + (" " if self.symbol[-1].isalpha() else "")

    def format(self, amount: float) -> str:
        """``€1,234.56``, ``₩1,728,000`` or ``CHF 0.80``: prefix, thousands separators, the currency's decimals."""
        return f"{self.prefix}{amount:,.{self.decimals}f}"

    @property
    def rate_text(self) -> str:
        """``1 USD → 0.92 EUR``: shown wherever converted amounts are."""
        return f"1 USD → {self.usd_rate:g} {self.code}"


def make_currency(code: str, usd_rate: float, symbol: str | None = None) -> Currency:
    """A validated :class:`Currency`.

    Parameters
    ----------
    code : str
        ISO 4217 code, three letters (``EUR``, ``KRW``); case is ignored.
    usd_rate : float
        Units of the currency per US dollar [currency/USD], finite and > 0.
    symbol : str, optional
        Display symbol; default from :data:`CURRENCY_SYMBOLS`, else the code.

    Raises
    ------
    InvalidReportOption
        Naming the field, the value and what is allowed.
    """
    norm = str(code).strip().upper()
    if not _CODE.fullmatch(norm):
        raise InvalidReportOption("currency", code, "a three-letter ISO 4217 code such as EUR or KRW")
    if not isinstance(usd_rate, int | float) or not math.isfinite(usd_rate) or not 0 < usd_rate <= MAX_USD_RATE:
        raise InvalidReportOption("usd_rate", usd_rate, f"a number of {norm} per USD, > 0 and <= {MAX_USD_RATE:g}")
    shown = CURRENCY_SYMBOLS.get(norm, norm) if symbol is None else symbol
    if not 1 <= len(shown) <= 5 or not shown.isprintable() or shown != shown.strip():
        raise InvalidReportOption("currency_symbol", symbol, "1 to 5 printable characters, e.g. € or ₩")
    return Currency(code=norm, symbol=shown, usd_rate=float(usd_rate))
