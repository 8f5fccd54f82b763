"""CSV: the line items (one row each, the columns of ``advisor estimate --format csv``) and a summary.

The report's CSV is two files, so each stays one plain table a spreadsheet or pandas
reads as is:

- ``<name>.csv``: every platform's line items; a display currency adds ``monthly_<code>``.
- ``<name>-summary.csv``: one row per platform with the AWS bill, the operations hours,
  rate and cost, the TCO and its range, which reconciles the line items with the
  headline: per platform, the line items' ``monthly_usd`` add up to ``aws_monthly_usd``,
  ``operations_hours_per_month × engineer_rate_usd_per_hour`` is ``operations_monthly_usd``
  and ``aws_monthly_usd + operations_monthly_usd`` is ``tco_monthly_usd``.  Platforms that
  cannot run the workload get a row with the reason.

Numbers are written unquoted at full precision (Python's shortest round-trip form), so
a reader gets back exactly the estimate's floats; text goes through the project's one
formula-neutralizing rule (:mod:`presentation.csv_text`).
"""

from __future__ import annotations

from typing import Any

from presentation.csv_text import records_csv
from presentation.estimate_tables import LINE_ITEM_COLUMNS, line_item_record
from reports.model import ReportModel

SUMMARY_COLUMNS: tuple[str, ...] = (
    "platform", "rank", "recommended", "line_items", "aws_monthly_usd", "aws_annual_usd",
    "operations_hours_per_month", "engineer_rate_usd_per_hour", "operations_monthly_usd", "tco_monthly_usd",
    "tco_annual_usd", "tco_low_monthly_usd", "tco_high_monthly_usd", "tco_range_basis", "prices_as_of", "note",
)


def to_csv(model: ReportModel) -> bytes:
    """The line items as UTF-8 CSV (with a byte-order mark, so Excel detects the encoding)."""
    extra = f"monthly_{model.currency.code.lower()}" if model.currency else None
    records = []
    for row in model.line_items:
        record = line_item_record(row.platform, row.item)
        if extra and model.currency:
            record[extra] = model.currency.convert(row.item.monthly_usd)
        records.append(record)
    return records_csv([*LINE_ITEM_COLUMNS, *([extra] if extra else [])], records)


def _summary_record(model: ReportModel, index: int) -> dict[str, Any]:
    s = model.summaries[index]
    rec = model.recommendation
    rate = next((r.usd_per_hour for r in model.overhead if r.platform == s.platform), None)
    low, high = s.tco_range_monthly_usd or (None, None)
    return {
        "platform": s.platform, "rank": s.rank, "recommended": bool(rec and rec.best == s.platform),
        "line_items": sum(1 for r in model.line_items if r.platform == s.platform),
        "aws_monthly_usd": s.aws_monthly_usd, "aws_annual_usd": s.aws_annual_usd,
        "operations_hours_per_month": s.operations_hours_per_month, "engineer_rate_usd_per_hour": rate,
        "operations_monthly_usd": s.operations_monthly_usd, "tco_monthly_usd": s.tco_monthly_usd,
        "tco_annual_usd": s.tco_annual_usd, "tco_low_monthly_usd": low, "tco_high_monthly_usd": high,
        "tco_range_basis": model.analysis.range_basis if low is not None else "",
        "prices_as_of": model.provenance.prices_as_of, "note": "; ".join(s.warnings),
    }


def summary_csv(model: ReportModel) -> bytes:
    """Per-platform totals (bill, operations, TCO and its range), ranked, then the platforms not priced."""
    code = model.currency.code.lower() if model.currency else None
    columns = [*SUMMARY_COLUMNS, *([f"aws_monthly_{code}", f"tco_monthly_{code}"] if code else [])]
    records = []
    for index in range(len(model.summaries)):
        record = _summary_record(model, index)
        if code and model.currency:
            tco = record["tco_monthly_usd"]
            record[f"aws_monthly_{code}"] = model.currency.convert(record["aws_monthly_usd"])
            record[f"tco_monthly_{code}"] = None if tco is None else model.currency.convert(tco)
        records.append(record)
    records += [{"platform": platform, "prices_as_of": model.provenance.prices_as_of, "note": f"not priced: {reason}"}
                for platform, reason in model.unavailable]
    return records_csv(columns, records)
