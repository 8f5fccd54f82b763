"""The report's tables, defined once: columns (header, kind) and rows, for every export.

Excel, HTML and PDF render these same tables, so a column means the same thing and
holds the same number everywhere.  A column's ``kind`` says how to show its values
(money, unit price, quantity, share...); the values themselves stay unrounded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from advisor.costs.line_items import Category
from presentation.money import format_usd
from reports.model import ReportModel

#: Shown when a report has an analysis note but no recommendation.
NO_RECOMMENDATION = "No recommendation was computed for this report."

Kind = Literal["text", "usd", "usd_unit", "number", "percent", "count", "bool", "converted"]


@dataclass(frozen=True, slots=True)
class Column:
    """A column: machine key, human header, and how its values are shown."""

    key: str
    header: str
    kind: Kind = "text"


@dataclass(frozen=True, slots=True, kw_only=True)
class Table:
    """A titled table of rows (tuples in column order)."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]

    def column_index(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)


#: Significant digits of a unit price shown for reading ($0.04048, $1.665, $0.0000111); CSV,
#: JSON and Excel keep every digit.
UNIT_PRICE_SIGNIFICANT_DIGITS = 4


def format_unit_price(usd: float) -> str:
    """A unit price rounded for reading: 4 significant digits, at least cents (``$0.04048``, ``$120.50``)."""
    exponent = math.floor(math.log10(abs(usd))) if usd else 0
    digits = max(2, UNIT_PRICE_SIGNIFICANT_DIGITS - 1 - exponent)
    text = format_usd(usd, digits=digits)
    if digits > 2:
        head, _, decimals = text.partition(".")
        text = f"{head}.{decimals[:2]}{decimals[2:].rstrip('0')}"
    return text


def format_value(value: Any, kind: Kind, model: ReportModel) -> str:
    """A value as text for HTML and PDF, rounded for reading (Excel keeps numbers and applies number formats)."""
    if value is None or value == "":
        return "" if kind == "text" else "–"
    if kind == "usd":
        return format_usd(value)
    if kind == "usd_unit":
        return format_unit_price(value)
    if kind == "number":
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    if kind == "percent":
        return f"{value:.1%}"
    if kind == "count":
        return f"{value:,}"
    if kind == "bool":
        return "yes" if value else "no"
    if kind == "converted" and model.currency is not None:
        return model.currency.format(value)
    return str(value)


def _converted(model: ReportModel, usd: float | None) -> tuple[float | None, ...]:
    if model.currency is None:
        return ()
    return (None if usd is None else model.currency.convert(usd),)


def _converted_column(model: ReportModel, key: str, header: str) -> tuple[Column, ...]:
    if model.currency is None:
        return ()
    return (Column(f"{key}_{model.currency.code.lower()}", f"{header} ({model.currency.code})", "converted"),)


def summary_table(model: ReportModel) -> Table:
    """Per platform: rank, AWS bill, operations and TCO with its range (when known), converted totals."""
    cols = [Column("rank", "Rank", "count"), Column("platform", "Platform"),
            Column("aws_monthly_usd", "AWS monthly (USD)", "usd"), Column("aws_annual_usd", "AWS annual (USD)", "usd")]
    has_range = model.has_tco and any(s.tco_range_monthly_usd is not None for s in model.summaries)
    if model.has_tco:
        cols += [Column("operations_hours_per_month", "Operations hours / month", "number"),
                 Column("operations_monthly_usd", "Operations monthly (USD)", "usd"),
                 Column("tco_monthly_usd", "TCO monthly (USD)", "usd"),
                 Column("tco_annual_usd", "TCO annual (USD)", "usd")]
    if has_range:
        cols += [Column("tco_low_monthly_usd", "TCO low (USD / month)", "usd"),
                 Column("tco_high_monthly_usd", "TCO high (USD / month)", "usd")]
    if model.has_tco:
        cols.append(Column("operations_share", "Engineer time share of TCO", "percent"))
    cols += _converted_column(model, "aws_monthly", "AWS monthly")
    if model.has_tco:
        cols += _converted_column(model, "tco_monthly", "TCO monthly")
    has_complexity = any(s.complexity is not None for s in model.summaries)
    if has_complexity:
        cols.append(Column("complexity", "Complexity score", "number"))
    rows = []
    for s in model.summaries:
        row: list[Any] = [s.rank, s.platform, s.aws_monthly_usd, s.aws_annual_usd]
        if model.has_tco:
            row += [s.operations_hours_per_month, s.operations_monthly_usd, s.tco_monthly_usd, s.tco_annual_usd]
        if has_range:
            row += list(s.tco_range_monthly_usd or (None, None))
        if model.has_tco:
            row.append(s.operations_monthly_usd / s.tco_monthly_usd if s.tco_monthly_usd else None)
        row += _converted(model, s.aws_monthly_usd)
        if model.has_tco:
            row += _converted(model, s.tco_monthly_usd)
        if has_complexity:
            row.append(s.complexity)
        rows.append(tuple(row))
    return Table(title="Summary", columns=tuple(cols), rows=tuple(rows))


def category_table(model: ReportModel) -> Table:
    """Monthly AWS cost per platform and category (the stacked chart's numbers)."""
    present = [c.value for c in Category if any(r.item.category is c for r in model.line_items)]
    cols = (Column("platform", "Platform"), *(Column(c, f"{c} (USD)", "usd") for c in present))
    rows = tuple((s.platform, *(dict(s.category_monthly_usd).get(c, 0.0) for c in present)) for s in model.summaries)
    return Table(title="Monthly AWS cost by category", columns=cols, rows=rows)


LINE_COLUMNS: tuple[Column, ...] = (
    Column("platform", "Platform"), Column("environment", "Environment"), Column("category", "Category"),
    Column("name", "Line item"), Column("quantity", "Quantity", "number"),
    Column("usd_per_unit", "Unit price (USD)", "usd_unit"), Column("monthly_usd", "Monthly (USD)", "usd"),
)
LINE_TRAILING_COLUMNS: tuple[Column, ...] = (
    Column("unit", "Unit"), Column("price_ref", "SKU / assumption"), Column("publication_date", "Price published"),
    Column("formula", "Formula"), Column("is_assumption", "Assumption", "bool"), Column("price_key", "Price key"),
)


def line_items_table(model: ReportModel, platform: str | None = None) -> Table:
    """Every line item (or one platform's), quantity × unit price = monthly, with its source."""
    cols = (*LINE_COLUMNS, *_converted_column(model, "monthly", "Monthly"), *LINE_TRAILING_COLUMNS)
    rows = []
    for r in model.line_items:
        if platform is not None and r.platform != platform:
            continue
        li = r.item
        rows.append((r.platform, li.environment, li.category.value, li.name, li.quantity, li.usd_per_unit,
                     li.monthly_usd, *_converted(model, li.monthly_usd), li.unit, li.price_ref,
                     li.publication_date, li.formula, li.is_assumption, li.price_key))
    title = "Line items" if platform is None else f"Line items: {platform}"
    return Table(title=title, columns=cols, rows=tuple(rows))


def placement_table(model: ReportModel) -> Table:
    """EC2 placements: nodes per phase, utilization, cost per hour against the lower bound, idle cost."""
    cols = (Column("platform", "Platform"), Column("environment", "Environment"), Column("phase", "Phase"),
            Column("hours", "Hours / month", "number"), Column("nodes", "Nodes"),
            Column("utilization_vcpu", "vCPU requested", "percent"),
            Column("utilization_memory", "Memory requested", "percent"),
            Column("usd_per_hour", "Nodes USD / hour", "usd_unit"),
            Column("lower_bound_usd_per_hour", "Lower bound USD / hour", "usd_unit"),
            Column("exact", "Proven optimal", "bool"), Column("idle_usd_per_month", "Idle (USD / month)", "usd"))
    rows = tuple((r.platform, p.environment, p.phase, p.hours, ", ".join(f"{n}× {t}" for t, n in p.node_counts),
                  p.utilization_vcpu, p.utilization_memory, p.usd_per_hour, p.lower_bound_usd_per_hour,
                  p.exact, p.idle_usd_per_month) for r in model.placements for p in (r.summary,))
    return Table(title="Placement", columns=cols, rows=rows)


def commitment_table(model: ReportModel) -> Table:
    """Per platform, the commitment that minimizes the bill for its hourly usage profile."""
    cols = (Column("platform", "Platform"), Column("option", "Commitment"), Column("what", "Commit to"),
            Column("utilization", "Utilization", "percent"),
            Column("on_demand_monthly_usd", "Covered usage On-Demand (USD / month)", "usd"),
            Column("monthly_usd", "With the commitment (USD / month)", "usd"),
            Column("saving_monthly_usd", "Saving (USD / month)", "usd"),
            Column("break_even_utilization", "Break-even utilization", "percent"))
    rows = tuple((c.platform.value, c.option.value,
                  ", ".join(f"{n} × {t}" for t, n in c.instances) or f"${c.usd_per_hour:.4g}/hour",
                  c.utilization, c.on_demand_monthly_usd, c.monthly_usd, c.saving_monthly_usd,
                  c.break_even_utilization) for c in model.commitments)
    return Table(title="Optimal commitment", columns=cols, rows=rows)


def overhead_table(model: ReportModel) -> Table:
    """Operational activities per platform: hours per month × hourly rate."""
    cols = (Column("platform", "Platform"), Column("activity", "Activity"),
            Column("hours_per_month", "Hours / month", "number"), Column("usd_per_hour", "Rate (USD / hour)", "usd"),
            Column("monthly_usd", "Monthly (USD)", "usd"), *_converted_column(model, "monthly", "Monthly"),
            Column("basis", "How the hours are counted"), Column("tag", "Basis"), Column("source", "Source"))
    rows = tuple((r.platform, r.activity, r.hours_per_month, r.usd_per_hour, r.monthly_usd,
                  *_converted(model, r.monthly_usd), r.basis, r.tag, r.source) for r in model.overhead)
    return Table(title="Operational overhead", columns=cols, rows=rows)


def assumptions_table(model: ReportModel) -> Table:
    cols = (Column("group", "Kind"), Column("item", "Assumption"), Column("value", "Value / treatment"),
            Column("source", "Source"), Column("as_of", "As of"), Column("used_by", "Used by"))
    rows = tuple((a.group, a.item, a.value, a.source, a.as_of, ", ".join(a.used_by)) for a in model.assumptions)
    return Table(title="Assumptions", columns=cols, rows=rows)


def prices_table(model: ReportModel) -> Table:
    cols = (Column("price_key", "Price key"), Column("sku", "SKU"), Column("description", "Description"),
            Column("usage_type", "Usage type"), Column("unit", "Unit"),
            Column("usd_per_unit", "Unit price (USD)", "usd_unit"), Column("publication_date", "Published"),
            Column("price_ref", "Reference (SKU; adjustment)"), Column("used_by", "Used by"),
            Column("line_count", "Line items", "count"))
    rows = tuple((p.price_key, p.sku, p.description, p.usage_type, p.unit, p.usd_per_unit, p.publication_date,
                  p.price_ref, ", ".join(p.used_by), p.line_count) for p in model.prices_used)
    return Table(title="Prices used", columns=cols, rows=rows)


def notes_table(model: ReportModel) -> Table:
    """Platforms that cannot run the workload, and each platform's warnings."""
    rows = [(p, "unavailable", reason) for p, reason in model.unavailable]
    rows += [(s.platform, "warning", w) for s in model.summaries for w in s.warnings]
    return Table(title="Unavailable platforms and warnings",
                 columns=(Column("platform", "Platform"), Column("kind", "Kind"), Column("text", "Note")),
                 rows=tuple(rows))


def provenance_table(model: ReportModel) -> Table:
    """Scenario, region, price source and dates, generation time, display currency."""
    prov = model.provenance
    purchase = model.scenario.purchase
    rows: list[tuple[str, str]] = [
        ("Scenario", model.scenario.name), ("Description", model.scenario.description), ("Region", prov.region),
        ("Purchase option", f"{purchase.option.value}, Spot share {purchase.spot_share:g}"),
        ("Price source", prov.origin), ("Price data version", prov.version), ("Prices as of", prov.prices_as_of),
        *((f"{offer} published", date) for offer, date in prov.offers),
        *(("Price warning", w) for w in prov.warnings),
        *((("Price age", prov.stale_notice),) if prov.stale_notice else ()),
        ("Generated at", model.generated_at or "not recorded"),
        ("Amounts", "USD per month of 730 hours; annual = 12 months"),
    ]
    if model.currency is not None:
        rows.append(("Display currency", f"{model.currency.code} at {model.currency.rate_text} (user-set rate)"))
    if model.analysis.note:
        rows.append(("Analysis", model.analysis.note))
    return Table(title="Report", columns=(Column("field", "Field"), Column("value", "Value")), rows=tuple(rows))


def recommendation_table(model: ReportModel) -> Table:
    """The recommendation as (part, text) rows: ranking, reasons, caveats, confidence, break-evens."""
    rec = model.recommendation
    cols = (Column("part", "Part"), Column("text", "Text"))
    if rec is None:
        return Table(title="Recommendation", columns=cols, rows=((
            "Not available", model.analysis.note or NO_RECOMMENDATION),))
    rows = [("Ranking", " → ".join(rec.ranking))]
    rows += [("Reason", r) for r in rec.reasons]
    rows += [("Caveat", c) for c in rec.caveats]
    if rec.confidence:
        rows.append(("Confidence", rec.confidence))
    rows += [("Would flip if", b) for b in rec.break_evens]
    return Table(title="Recommendation", columns=cols, rows=tuple(rows))

