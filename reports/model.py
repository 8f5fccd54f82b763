"""The report model: everything a report shows, gathered once by one pure function.

Every export (CSV, Excel, JSON, HTML, PDF) renders this one value, so they all carry
the same numbers as the screen: the per-platform summary, the recommendation when the
analysis provides one, each line item, the placements, the operational overhead, the
assumptions with their sources, the prices used (SKUs and publication dates) and the
price source.  Amounts stay in USD at full precision; a display currency only adds a
converted column.  Nothing here reads files or the clock: callers pass ``generated_at``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from advisor.costs.commitment_plan import CommitmentPlan, optimal_commitments
from advisor.costs.estimate import ScenarioEstimate
from advisor.costs.line_items import LineItem, NodeSummary
from advisor.workload.scenario import Scenario
from advisor.workload.units import HOURS_PER_MONTH
from presentation.price_age import estimate_notice
from pricing.gaps import KNOWN_GAPS
from pricing.pricebook import PriceBook
from reports.currency import Currency


@dataclass(frozen=True, slots=True, kw_only=True)
class PlatformSummary:
    """One platform's totals.  Operations and TCO are None until the overhead model supplies them."""

    platform: str
    rank: int
    aws_monthly_usd: float
    category_monthly_usd: tuple[tuple[str, float], ...]
    operations_monthly_usd: float | None = None
    operations_hours_per_month: float | None = None
    #: P10 and P90 of the monthly TCO over the draws [USD/month] (see ``Analysis.range_basis``).
    tco_range_monthly_usd: tuple[float, float] | None = None
    complexity: float | None = None
    warnings: tuple[str, ...] = ()

    @property
    def aws_annual_usd(self) -> float:
        return 12 * self.aws_monthly_usd

    @property
    def tco_monthly_usd(self) -> float | None:
        """AWS bill + operational cost [USD/month], or None without an overhead figure."""
        if self.operations_monthly_usd is None:
            return None
        return self.aws_monthly_usd + self.operations_monthly_usd

    @property
    def tco_annual_usd(self) -> float | None:
        tco = self.tco_monthly_usd
        return None if tco is None else 12 * tco


@dataclass(frozen=True, slots=True, kw_only=True)
class LineRow:
    """A line item with the platform it belongs to."""

    platform: str
    item: LineItem


@dataclass(frozen=True, slots=True, kw_only=True)
class PlacementRow:
    """An EC2 placement (one environment and phase) with its platform."""

    platform: str
    summary: NodeSummary


@dataclass(frozen=True, slots=True, kw_only=True)
class OverheadRow:
    """One operational activity of one platform: hours × rate, with where the numbers come from."""

    platform: str
    activity: str
    hours_per_month: float
    usd_per_hour: float
    source: str
    basis: str = ""
    tag: str = ""

    @property
    def monthly_usd(self) -> float:
        return self.hours_per_month * self.usd_per_hour


@dataclass(frozen=True, slots=True, kw_only=True)
class AssumptionRow:
    """A stand-in or convention the numbers rest on, with its source and date."""

    group: str
    item: str
    value: str
    source: str
    as_of: str
    used_by: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceRow:
    """A unit price used by at least one line item, with its SKU (or assumption key) and date."""

    price_key: str
    price_ref: str
    sku: str
    description: str
    usage_type: str
    unit: str
    usd_per_unit: float
    publication_date: str
    used_by: tuple[str, ...]
    line_count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Recommendation:
    """The analysis's advice in words: what to pick, why, how sure, and what would change it."""

    ranking: tuple[str, ...]
    reasons: tuple[str, ...]
    caveats: tuple[str, ...] = ()
    confidence: str = ""
    break_evens: tuple[str, ...] = ()

    @property
    def best(self) -> str:
        return self.ranking[0] if self.ranking else ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceProvenance:
    """Where the prices come from: active source, data version, and each offer's publication date."""

    origin: str
    version: str
    region: str
    prices_as_of: str
    offers: tuple[tuple[str, str], ...]
    warnings: tuple[str, ...] = ()
    #: Prices older than 90 days at ``generated_at`` and how to refresh them (empty when none, or undated).
    stale_notice: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class RangeRow:
    """One platform's monthly amount at the most likely values, its P10/P50/P90, and its chance of being cheapest."""

    platform: str
    point_usd: float
    p10_usd: float
    p50_usd: float
    p90_usd: float
    probability_cheapest: float


@dataclass(frozen=True, slots=True, kw_only=True)
class SensitivityRow:
    """One uncertain input's Sobol indices for the gap between the two best platforms (± 95% intervals)."""

    input: str
    label: str
    total: float
    total_conf: float
    first_order: float
    first_order_conf: float


@dataclass(frozen=True, slots=True, kw_only=True)
class Analysis:
    """What the overhead/TCO model adds to an estimate; empty until that model is available."""

    overhead: tuple[OverheadRow, ...] = ()
    assumptions: tuple[AssumptionRow, ...] = ()
    recommendation: Recommendation | None = None
    #: Platform -> complexity score (owned parts, add-ons, concepts, forced upgrades).
    complexity: tuple[tuple[str, float], ...] = ()
    #: Each platform's range (P10 / P50 / P90) and chance of being cheapest; ``range_basis`` says
    #: what was drawn to get them (the low / high TCO of the summary is the P10 / P90).
    ranges: tuple[RangeRow, ...] = ()
    range_basis: str = ""
    note: str = ""
    #: Which number is compared, in words: the AWS bill, TCO, and engineer time's share at the rate.
    basis: str = ""
    #: Uncertain inputs by total Sobol index, or why there is no ranking.
    sensitivity: tuple[SensitivityRow, ...] = ()
    sensitivity_note: str = ""

    def _rows(self, platform: str) -> list[OverheadRow]:
        return [r for r in self.overhead if r.platform == platform]

    def operations_monthly_usd(self, platform: str) -> float | None:
        rows = self._rows(platform)
        return sum(r.monthly_usd for r in rows) if rows else None

    def operations_hours_per_month(self, platform: str) -> float | None:
        rows = self._rows(platform)
        return sum(r.hours_per_month for r in rows) if rows else None

    def tco_range_of(self, platform: str) -> tuple[float, float] | None:
        """(P10, P90) of the platform's monthly TCO over the draws, or None without ranges."""
        row = next((r for r in self.ranges if r.platform == platform), None)
        return None if row is None else (row.p10_usd, row.p90_usd)

    def complexity_of(self, platform: str) -> float | None:
        return dict(self.complexity).get(platform)


#: Shown when a report is built without the overhead/TCO analysis.
NO_ANALYSIS_NOTE = ("Operational overhead, TCO and the recommendation are not part of this report: "
                    "the totals are the AWS bill only.")


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportModel:
    """Everything a report shows, in display order; see :func:`build_report`."""

    title: str
    scenario: Scenario
    result: ScenarioEstimate
    generated_at: str
    provenance: PriceProvenance
    summaries: tuple[PlatformSummary, ...]
    unavailable: tuple[tuple[str, str], ...]
    line_items: tuple[LineRow, ...]
    placements: tuple[PlacementRow, ...]
    assumptions: tuple[AssumptionRow, ...]
    prices_used: tuple[PriceRow, ...]
    analysis: Analysis
    currency: Currency | None = None
    #: Each platform's cost-minimizing commitment on its steady usage (advisor.costs.commitment_plan).
    commitments: tuple[CommitmentPlan, ...] = ()

    @property
    def recommendation(self) -> Recommendation | None:
        return self.analysis.recommendation

    @property
    def overhead(self) -> tuple[OverheadRow, ...]:
        return self.analysis.overhead

    @property
    def has_tco(self) -> bool:
        return any(s.operations_monthly_usd is not None for s in self.summaries)


def build_report(result: ScenarioEstimate, book: PriceBook, *, analysis: Analysis | None = None,
                 currency: Currency | None = None, generated_at: str = "", scenario: Scenario | None = None
                 ) -> ReportModel:
    """Gather everything a report shows from an estimate, its price book and the optional analysis.

    Parameters
    ----------
    result : ScenarioEstimate
        The estimate of every requested platform (``advisor.costs.estimate.estimate``).
    book : PriceBook
        The price book the estimate used: its origin, version, offer publication dates
        and SKU descriptions go into the report.
    analysis : Analysis, optional
        Operational overhead rows, their assumptions and the recommendation.  Without
        it the report says so and ranks platforms by the AWS bill.
    currency : Currency, optional
        Display currency: every amount in USD gets a converted companion.
    generated_at : str
        ISO 8601 time stamp to print (the caller's clock; empty for reproducible output).
    scenario : Scenario, optional
        The scenario as the user wrote it, when the estimate priced a derived one (the
        TCO bills deferred EKS upgrades as extended support); default ``result.scenario``.
        The JSON export reopens this one.
    """
    analysis = analysis or Analysis(note=NO_ANALYSIS_NOTE)
    scenario = scenario or result.scenario
    return ReportModel(
        title=f"{scenario.name}: ECS vs EKS cost report",
        scenario=scenario, result=result, generated_at=generated_at,
        provenance=_provenance(result, book, generated_at), summaries=_summaries(result, analysis),
        unavailable=tuple((u.platform.value, u.reason) for u in result.unavailable),
        line_items=tuple(LineRow(platform=e.platform.value, item=li) for e in result.estimates for li in e.line_items),
        placements=tuple(PlacementRow(platform=e.platform.value, summary=p)
                         for e in result.estimates for p in e.placements),
        assumptions=_assumptions(result) + analysis.assumptions,
        prices_used=_prices_used(result, book), analysis=analysis, currency=currency,
        commitments=optimal_commitments(result, book),
    )


def _provenance(result: ScenarioEstimate, book: PriceBook, generated_at: str) -> PriceProvenance:
    offers = book.metadata.regions.get(result.region, {}).get("offers", {})
    notice = estimate_notice([result], datetime.fromisoformat(generated_at)) if generated_at else None
    return PriceProvenance(origin=book.origin, version=book.version, region=result.region,
                           prices_as_of=result.prices_as_of, offers=tuple(sorted(offers.items())),
                           warnings=tuple(book.warnings), stale_notice=notice or "")


def _summaries(result: ScenarioEstimate, analysis: Analysis) -> tuple[PlatformSummary, ...]:
    rows = []
    for est in result.estimates:
        categories: dict[str, float] = defaultdict(float)
        for line in est.line_items:
            categories[line.category.value] += line.monthly_usd
        rows.append(PlatformSummary(platform=est.platform.value, rank=0, aws_monthly_usd=est.monthly_usd,
                                    category_monthly_usd=tuple(categories.items()),
                                    operations_monthly_usd=analysis.operations_monthly_usd(est.platform.value),
                                    operations_hours_per_month=analysis.operations_hours_per_month(est.platform.value),
                                    tco_range_monthly_usd=analysis.tco_range_of(est.platform.value),
                                    complexity=analysis.complexity_of(est.platform.value), warnings=est.warnings))
    # Rank by what the reader pays: TCO when every platform has one, else the AWS bill.
    by_tco = bool(rows) and all(r.tco_monthly_usd is not None for r in rows)
    rows.sort(key=lambda r: r.tco_monthly_usd if by_tco and r.tco_monthly_usd is not None else r.aws_monthly_usd)
    return tuple(replace(r, rank=i) for i, r in enumerate(rows, start=1))


def _used_by(result: ScenarioEstimate, matches: Callable[[LineItem], bool]) -> tuple[str, ...]:
    return tuple(e.platform.value for e in result.estimates if any(matches(li) for li in e.line_items))


def _assumptions(result: ScenarioEstimate) -> tuple[AssumptionRow, ...]:
    """Conventions, the dated stand-ins for prices the data lacks, overrides, and per-line notes."""
    region = result.region
    rows = [AssumptionRow(group="convention", item="hours per month", value=str(HOURS_PER_MONTH),
                          source="AWS Pricing Calculator convention (24 h × 365 d / 12)", as_of="",
                          used_by=tuple(e.platform.value for e in result.estimates))]
    for gap in KNOWN_GAPS:
        value = gap.value(region)
        shown = f"{value:g} {gap.unit}" if value is not None else gap.unit
        rows.append(AssumptionRow(
            group="price gap", item=gap.what, value=f"{shown}: {gap.treatment}", source=gap.source,
            as_of=gap.as_of, used_by=_used_by(result, lambda li, k=gap.key: li.is_assumption and (
                li.price_key == k or k in li.price_ref))))
    overrides = result.scenario.assumptions.model_dump(exclude_defaults=True)
    rows += [AssumptionRow(group="scenario override", item=key, value=str(value), source="the scenario file",
                           as_of="") for key, value in overrides.items()]
    notes: dict[str, str] = {}
    for est in result.estimates:
        for line in est.line_items:
            if line.is_assumption and ";" in line.price_ref:
                notes.setdefault(line.price_ref.split(";", 1)[1].strip(), line.publication_date)
    rows += [AssumptionRow(group="line note", item=note, value="applied to the unit price",
                           source="stated in the price reference of each line item it applies to", as_of=date,
                           used_by=_used_by(result, lambda li, n=note: li.price_ref.endswith(n)))
             for note, date in sorted(notes.items())]
    return tuple(rows)


#: Key of a SKU's On-Demand row in :func:`_sku_details` (no real price is negative).
_ANY_PRICE = -1.0


def _sku_details(book: PriceBook, region: str, skus: set[str]) -> dict[tuple[str, float], tuple[str, str]]:
    """(SKU, unit price) -> (description, usage type); also (SKU, -1) for the SKU's On-Demand row.

    One SKU has On-Demand and Reserved rows with different descriptions, so the unit
    price picks the row a line item used; a derived price (Spot, Savings Plans) falls
    back to the On-Demand row.
    """
    table = book.table()
    table = table[(table["region"] == region) & table["sku"].isin(skus)]
    out: dict[tuple[str, float], tuple[str, str]] = {}
    for r in table.itertuples(index=False):
        value = (str(r.description), str(r.usage_type))
        out.setdefault((r.sku, float(r.price_usd)), value)
        if r.term == "OnDemand":
            out.setdefault((r.sku, _ANY_PRICE), value)
    return out


def _sku_of(price_key: str, price_ref: str) -> str:
    """The SKU a line item's reference starts with; empty for an assumption (its reference is its key)."""
    sku = price_ref.split(";", 1)[0].strip()
    return "" if sku == price_key else sku


def _prices_used(result: ScenarioEstimate, book: PriceBook) -> tuple[PriceRow, ...]:
    groups: dict[tuple[str, str, str, float, str], list[tuple[str, LineItem]]] = defaultdict(list)
    for est in result.estimates:
        for li in est.line_items:
            groups[(li.price_key, li.price_ref, li.unit, li.usd_per_unit, li.publication_date)].append(
                (est.platform.value, li))
    details = _sku_details(book, result.region, {_sku_of(key, ref) for key, ref, *_ in groups} - {""})
    rows = []
    for (key, ref, unit, usd, date), used in sorted(groups.items()):
        sku = _sku_of(key, ref)
        description, usage_type = details.get((sku, usd), details.get((sku, _ANY_PRICE), ("", "")))
        rows.append(PriceRow(price_key=key, price_ref=ref, sku=sku, description=description, usage_type=usage_type,
                             unit=unit, usd_per_unit=usd, publication_date=date,
                             used_by=tuple(dict.fromkeys(p for p, _ in used)), line_count=len(used)))
    return tuple(rows)
