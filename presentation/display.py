"""Tables for reading: human column headers and each column formatted for its unit.

View models keep machine column names (``monthly_usd``, ``utilization_vcpu_pct``) and full
precision, so tests, CSV files and sorting see the numbers; this module says how each
column reads (``Monthly (USD)``, ``$1,234.56``, ``85%``, ``18.2``) from the name's units,
and blanks every missing cell.  :func:`readable` returns a pandas ``Styler``: the app shows
its text while sorting on the numbers underneath.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pandas as pd
from pandas.io.formats.style import Styler

from presentation.money import (
    DisplayCurrency,
    format_count,
    format_hours,
    format_number,
    format_percent,
    format_quantity,
    format_unit_price,
    format_usd,
    is_missing,
)

#: Words written the way AWS and readers write them.
_WORDS: Mapping[str, str] = {
    "usd": "USD", "vcpu": "vCPU", "cpu": "CPU", "gib": "GiB", "gb": "GB", "fte": "FTE", "az": "AZ", "azs": "AZs",
    "ec2": "EC2", "ecs": "ECS", "eks": "EKS", "lcu": "LCU", "sku": "SKU", "os": "OS", "p10": "P10", "p50": "P50",
    "p90": "P90", "tco": "TCO", "aws": "AWS", "ipv4": "IPv4", "nat": "NAT", "vs": "vs",
}
#: Headers that read better said differently than spelled out from the name.
_HEADERS: Mapping[str, str] = {
    "usd_per_unit": "Unit price (USD)",
    "usd_per_hour": "Price per hour (USD)",
    "price_ref": "Price (SKU or assumption)",
    "price_key": "Price key",
    "publication_date": "Price published",
    "is_assumption": "Assumption",
    "is_refined": "Refined",
    "is_applied": "Applied",
    "vs_lower_bound": "Cost ÷ lower bound",
    "vs_cheapest_pct": "Above the cheapest (%)",
    "vs_cheapest_usd": "Above the cheapest (USD)",
    "fte": "FTE",
    "fte_fraction": "FTE",
    "optimal": "Optimal",
    "changes_cheapest": "Changes the cheapest",
    "runs_in_pct_of_draws": "Runs in (% of draws)",
    "vs_first_monthly_usd": "Difference per month (USD)",
    "vs_first_annual_usd": "Difference per year (USD)",
    "is_cheapest": "Cheapest",
    "point_usd": "Most likely (USD)",
    "probability_cheapest_pct": "Cheapest in (% of draws)",
    "total": "Total index (ST)",
    "total_conf": "ST ± (95%)",
    "first_order": "Alone (S1)",
    "first_order_conf": "S1 ± (95%)",
}
#: Money columns that are prices per unit, shown to the precision AWS publishes them.
UNIT_PRICE_COLUMNS = frozenset({"usd_per_unit", "usd_per_hour", "surcharge_usd_per_cluster_hour", "price_usd",
                                "reference_usd_per_hour"})
#: Columns that are ratios (cost ÷ bound).
RATIO_COLUMNS = frozenset({"vs_lower_bound"})
#: Columns that count things (shown as integers).
COUNT_COLUMNS = frozenset({"count", "clusters", "rank", "score", "points", "weight", "term_months", "payback_month",
                           "node_count", "replicas", "min_replicas", "parallelism", "rules", "engineers"})


def column_header(name: str) -> str:
    """``monthly_usd`` -> ``Monthly (USD)``; ``idle_usd_per_month`` -> ``Idle (USD per month)``;
    ``utilization_vcpu_pct`` -> ``Utilization vCPU (%)``."""
    if name in _HEADERS:
        return _HEADERS[name]
    tokens = name.split("_")
    unit = ""
    if "usd" in tokens[1:]:
        at = tokens.index("usd")
        tokens, unit = tokens[:at], " ".join(_WORDS.get(t, t) for t in tokens[at:])
    elif tokens[-1] in {"pct", "gib", "gb"} and len(tokens) > 1:
        unit = {"pct": "%", "gib": "GiB", "gb": "GB"}[tokens[-1]]
        tokens = tokens[:-1]
    words = [_WORDS.get(t, t) for t in tokens]
    text = " ".join(words)
    text = text[:1].upper() + text[1:] if not words or words[0] == tokens[0] else text
    return f"{text} ({unit})" if unit else text


def headers(frame: pd.DataFrame) -> dict[str, str]:
    """Every column's human header."""
    return {str(c): column_header(str(c)) for c in frame.columns}


def column_formatter(name: str, series: pd.Series,
                     currency: DisplayCurrency | None = None) -> Callable[[object], str] | None:
    """How a column's cells read, from its name and type; None leaves it to the table (booleans)."""
    tokens = set(name.split("_"))
    if pd.api.types.is_bool_dtype(series.dtype):
        return None
    if currency is not None and name.endswith(f"_{currency.code.lower()}"):
        return lambda v: "" if is_missing(v) else currency.format(float(v))
    if not pd.api.types.is_numeric_dtype(series.dtype):
        return lambda v: "" if is_missing(v) else str(v)
    if name in UNIT_PRICE_COLUMNS:
        return format_unit_price
    if name in RATIO_COLUMNS:
        return lambda v: "" if is_missing(v) else f"{format_number(v, 3)}×"
    if "usd" in tokens:
        return format_usd
    if "pct" in tokens:
        return lambda v: format_percent(v, 1 if tokens & {"probability", "change"} else 0)
    if "hours" in tokens:
        return format_hours
    if tokens & {"fte"}:
        return lambda v: format_number(v, 2)
    if name in COUNT_COLUMNS or pd.api.types.is_integer_dtype(series.dtype):
        return format_count
    return format_quantity


def formatters(frame: pd.DataFrame, currency: DisplayCurrency | None = None) -> dict[str, Callable[[object], str]]:
    """The text of every formatted column (booleans are left out)."""
    found = {str(c): column_formatter(str(c), frame[c], currency) for c in frame.columns}
    return {c: f for c, f in found.items() if f is not None}


def readable(frame: pd.DataFrame, currency: DisplayCurrency | None = None) -> Styler:
    """``frame`` styled for reading: each column formatted for its unit, missing cells blank."""
    return frame.style.format(formatters(frame, currency), na_rep="")


def as_text(frame: pd.DataFrame, currency: DisplayCurrency | None = None) -> pd.DataFrame:
    """``frame`` as the text a reader sees, with human headers (for printed tables and notebooks)."""
    out = pd.DataFrame({c: [f(v) for v in frame[c]] if (f := column_formatter(str(c), frame[c], currency))
                        else frame[c].map(lambda v: "yes" if v is True else "no" if v is False else "")
                        for c in frame.columns}, index=frame.index)
    return out.rename(columns=headers(frame))
