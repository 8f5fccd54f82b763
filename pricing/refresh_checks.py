"""Is a refreshed price table safe to replace the last good one?  Every key, plausible values.

A download that parsed but lacks a price the model reads (a renamed attribute, an empty
offer, a schema drift) would silently drop that price: every price key the last good data
has for a refreshed (Region, offer) must be in the new table too (rows from a pricing-page
feed excepted: the refresh keeps them).  A feed that parsed into
absurd values (prices a thousand times lower, a unit change) would silently skew every
estimate: per Region and offer the median ratio to the last good prices must stay within
:data:`MAX_MEDIAN_CHANGE`, and each price within :data:`MAX_PRICE_CHANGE`, unless the user
forces it.  Pure: tables in, problems out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from pricing.ecs_fee_entries import from_feed
from pricing.errors import ValidationFailed
from pricing.schema import PRICE_IDENTITY, validate_price_table
from pricing.selectors import SELECTORS

#: AWS has never doubled or halved a whole offer of a Region at once; its largest cuts (GPU
#: instances, 2025) were 44%.  A median change beyond this factor is a broken feed.
MAX_MEDIAN_CHANGE = 2.0
#: A single price moving by more than this factor is a unit or parsing change, not a price change.
MAX_PRICE_CHANGE = 10.0
_OFFER_OF = {s.price_key: s.offer_code for s in SELECTORS}


class ImplausiblePrices(ValidationFailed):
    """Prices far from the last good data; accepted only when forced."""


def check_refresh(fresh: pd.DataFrame, last_good: pd.DataFrame, *, regions: Sequence[str], offers: Iterable[str],
                  required_keys: Iterable[str], min_instance_types: int, force: bool) -> None:
    """Raise :class:`ValidationFailed` (or :class:`ImplausiblePrices`) listing every problem of ``fresh``.

    ``required_keys`` apply to a Region the last good data does not have; elsewhere the keys
    of the last good data for the refreshed offers are required.
    """
    offers = set(offers)
    refreshed = last_good["offer_code"].isin(offers) & last_good["region"].isin(regions)
    base = last_good[refreshed & ~from_feed(last_good)]  # feed rows are kept, not refreshed
    fresh_keys = fresh.groupby("region")["price_key"].agg(set).to_dict()
    base_keys = base.groupby("region")["price_key"].agg(set).to_dict()
    problems = []
    for region in regions:
        present, known = fresh_keys.get(region, set()), base_keys.get(region, set())
        if known:
            problems += [f"{region}: no {key} price (the last good data has it)" for key in sorted(known - present)]
        else:
            problems += [f"{region}: no {key} price" for key in required_keys
                         if _OFFER_OF.get(key) in offers and key not in present]
    try:
        validate_price_table(fresh, regions=regions, required_keys=(), min_instance_types=min_instance_types)
    except ValidationFailed as exc:
        problems += exc.problems
    if problems:
        raise ValidationFailed(problems)
    if not force:
        implausible = plausibility_problems(fresh, base)
        if implausible:
            raise ImplausiblePrices(implausible)


def plausibility_problems(fresh: pd.DataFrame, last_good: pd.DataFrame) -> list[str]:
    """Per (Region, offer): a median ratio or single prices beyond the bounds, with an example each."""
    keys = list(PRICE_IDENTITY)
    joined = fresh.merge(last_good[[*keys, "price_usd"]], on=keys, suffixes=("", "_last"))
    joined = joined[joined["price_usd_last"] > 0]
    joined = joined.assign(ratio=joined["price_usd"] / joined["price_usd_last"])
    problems = []
    advice = "refused as implausible; check the source, or refresh with --force to accept them"
    for (region, offer), group in joined.groupby(["region", "offer_code"], sort=True):
        median = float(group["ratio"].median())
        if not 1 / MAX_MEDIAN_CHANGE <= median <= MAX_MEDIAN_CHANGE:
            problems.append(f"{offer} in {region}: prices are {_factor(median)} than the last good data (median of "
                            f"{len(group):,} prices; e.g. {_example(group.iloc[0])}); {advice}")
            continue
        wild = group[(group["ratio"] > MAX_PRICE_CHANGE) | (group["ratio"] < 1 / MAX_PRICE_CHANGE)]
        if not wild.empty:
            problems.append(f"{offer} in {region}: {len(wild):,} prices changed more than {MAX_PRICE_CHANGE:g}× "
                            f"(e.g. {_example(wild.iloc[0])}); {advice}")
    return problems


def _factor(ratio: float) -> str:
    return f"{1 / ratio:,.0f}× lower" if ratio < 1 else f"{ratio:,.0f}× higher"


def _example(row: pd.Series) -> str:
    what = " ".join(str(p) for p in (row["price_key"], row["instance_type"], row["term"]) if p)
    return f"{what} ${_usd(row['price_usd'])}, was ${_usd(row['price_usd_last'])}"


def _usd(value: float) -> str:
    return f"{value:.10f}".rstrip("0").rstrip(".") or "0"
