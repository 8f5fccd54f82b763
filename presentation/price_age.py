"""How old the prices behind a view are, and the one-line notice when some are over 90 days old.

AWS changes prices without notice (GPU cuts, new families), so every view that shows a
price says when the prices it used are older than :data:`MAX_PRICE_AGE_DAYS`, and how to
refresh them.  The CLI (estimate, compare, analyze, prices status), the app (Compare and
Prices pages) and the reports all build the notice here, from the publication dates the
line items carry (each price's own date, not its offer's newest).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from advisor.costs.estimate import ScenarioEstimate

#: Prices older than this many days are flagged wherever they are shown.
MAX_PRICE_AGE_DAYS = 90
#: The command that fetches current prices (no AWS credentials needed with the Bulk API).
REFRESH_COMMAND = "advisor prices refresh --source bulk"


@dataclass(frozen=True, slots=True)
class StalePrice:
    """One price (key) older than the limit: its date and age in days."""

    label: str
    published: str
    age_days: int


def age_days(published: str, now: datetime) -> int | None:
    """Whole days from a publication date (``2025-04-04`` or an ISO timestamp) to ``now``; None if unparsable."""
    try:
        day = date.fromisoformat(published[:10])
    except (TypeError, ValueError):
        return None
    return (now.astimezone(UTC).date() - day).days


def stale_prices(dates: Mapping[str, str], now: datetime,
                 max_age_days: int = MAX_PRICE_AGE_DAYS) -> tuple[StalePrice, ...]:
    """The labelled dates older than ``max_age_days``, oldest first."""
    stale = [StalePrice(label, published[:10], age) for label, published in dates.items()
             if (age := age_days(published, now)) is not None and age > max_age_days]
    return tuple(sorted(stale, key=lambda s: (s.published, s.label)))


def refresh_command(regions: Iterable[str] | None) -> str:
    """``advisor prices refresh --source bulk --region R ...`` for these Regions (None: all of them)."""
    if regions is None:
        return f"{REFRESH_COMMAND} --all-regions"
    return " ".join([REFRESH_COMMAND, *(f"--region {r}" for r in dict.fromkeys(regions))])


def stale_notice(dates: Mapping[str, str], regions: Iterable[str] | None, now: datetime) -> str | None:
    """One line naming the prices older than 90 days (grouped by date) and the refresh command; None if none."""
    stale = stale_prices(dates, now)
    if not stale:
        return None
    groups: dict[tuple[str, int], list[str]] = {}
    for price in stale:
        groups.setdefault((price.published, price.age_days), []).append(price.label)
    listed = "; ".join(f"{day} ({age:,} days): {', '.join(labels)}" for (day, age), labels in groups.items())
    return (f"prices older than {MAX_PRICE_AGE_DAYS} days: {listed}. "
            f"Refresh them with: {refresh_command(regions)}")


def line_item_dates(results: Iterable[ScenarioEstimate]) -> dict[str, str]:
    """Price key -> the oldest publication date among the line items that used it."""
    dates: dict[str, str] = {}
    for result in results:
        for estimate in result.estimates:
            for line in estimate.line_items:
                day, key = line.publication_date, line.price_key
                if day and (key not in dates or day < dates[key]):
                    dates[key] = day
    return dates


def estimate_notice(results: Iterable[ScenarioEstimate], now: datetime) -> str | None:
    """The notice for the prices one or more estimates used (their Regions in the refresh command)."""
    results = tuple(results)
    return stale_notice(line_item_dates(results), [r.region for r in results], now)


def status_with_ages(status: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """``pricing.status.price_status`` plus ages: per Region and offer (of its oldest price), and the notice.

    The notice names, per offer, the oldest price date of any Region, and refreshes the
    stale Regions (every Region: ``--all-regions``).
    """
    regions = {}
    oldest_by_offer: dict[str, str] = {}
    stale_regions = []
    for region, info in status["regions"].items():
        offers = {offer: {**entry, "age_days": age_days(entry.get("oldest_price", entry["published"]), now)}
                  for offer, entry in info["offers"].items()}
        for offer, entry in offers.items():
            day = entry.get("oldest_price", entry["published"])
            oldest_by_offer[offer] = min(oldest_by_offer.get(offer, day), day)
        age = age_days(info["oldest_price"], now)
        if age is not None and age > MAX_PRICE_AGE_DAYS:
            stale_regions.append(region)
        regions[region] = {**info, "age_days": age, "offers": offers}
    everywhere = sorted(stale_regions) == sorted(regions)
    notice = stale_notice(oldest_by_offer, None if everywhere else stale_regions, now)
    return {**status, "regions": regions, "max_price_age_days": MAX_PRICE_AGE_DAYS, "stale_notice": notice}


def status_region_rows(status: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per Region for a table: oldest price and its age, each offer's age in days, what is missing."""
    rows = []
    for region, info in status["regions"].items():
        row: dict[str, Any] = {"region": region, "oldest price": (info["oldest_price"] or "")[:10],
                               "age (days)": info["age_days"]}
        row.update({f"{offer} (days)": entry["age_days"] for offer, entry in info["offers"].items()})
        row["missing"] = ", ".join(info["missing"])
        row["source"] = info["source"]
        rows.append(row)
    return rows
