"""The lookup index of one Region's prices, built from column arrays.

The placement asks for the price of hundreds of instance types per estimate, several times
each (every purchase option's rate and the On-Demand one), so a lookup must cost a dict
access and a quote must be built once.  The index is built from the table's columns as
plain Python lists, not from ``DataFrame.to_dict("records")``: iterating pyarrow-backed
text row by row costs ten times as much, and every ``advisor`` process pays it on its
first price.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

import numpy as np
import pandas as pd

#: What a lookup names: (price_key, instance_type, term, lease_contract_length, offering_class, purchase_option).
KEY_COLUMNS: tuple[str, ...] = ("price_key", "instance_type", "term", "lease_contract_length", "offering_class",
                                "purchase_option")


Quote = TypeVar("Quote")


class RegionIndex(Generic[Quote]):
    """Rows of one Region keyed by :data:`KEY_COLUMNS`; each row's quote is made on first use and kept."""

    def __init__(self, prices: pd.DataFrame, region: str, make_quote: Callable[[Mapping[str, Any]], Quote]) -> None:
        rows = prices.take(np.flatnonzero((prices["region"] == region).to_numpy()))
        self._columns = {name: rows[name].tolist() for name in rows.columns}
        self._make_quote = make_quote
        self._quotes: dict[int, Quote] = {}
        self._rows: dict[tuple[str, ...], list[int]] = {}
        for position, key in enumerate(zip(*(self._columns[name] for name in KEY_COLUMNS), strict=True)):
            self._rows.setdefault(key, []).append(position)

    def quote(self, key: tuple[str, ...], *, tier_gb: float = 0.0, upfront: bool = False) -> Quote | None:
        """The quote of the key's first price whose tier holds ``tier_gb``, or None.

        With ``upfront``, of its first one-time fee instead: the rows of unit ``Quantity``
        (Partial and All Upfront terms), which are never a price per unit.
        """
        unit, begin, end = self._columns["unit"], self._columns["begin_range"], self._columns["end_range"]
        for position in self._rows.get(key, ()):
            fee = unit[position] == "Quantity"
            if fee if upfront else not fee and begin[position] <= tier_gb < end[position]:
                quote = self._quotes.get(position)
                if quote is None:
                    row = {name: values[position] for name, values in self._columns.items()}
                    quote = self._quotes[position] = self._make_quote(row)
                return quote
        return None
