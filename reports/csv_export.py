"""CSV: every platform's line items, one row each, with the columns of ``advisor estimate --format csv``.

Text cells that a spreadsheet would run as formulas are neutralized; numbers are
written unquoted at full precision (Python's shortest round-trip form), so a reader
gets back exactly the estimate's floats.  A display currency adds ``monthly_<code>``.
"""

from __future__ import annotations

import csv
import io

from presentation.estimate_tables import LINE_ITEM_COLUMNS, line_item_record
from reports.model import ReportModel
from reports.safety import neutralize_cell


def to_csv(model: ReportModel) -> bytes:
    """The line items as UTF-8 CSV (with a byte-order mark, so Excel detects the encoding)."""
    extra = f"monthly_{model.currency.code.lower()}" if model.currency else None
    columns = [*LINE_ITEM_COLUMNS, *([extra] if extra else [])]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writeheader()
    for row in model.line_items:
        record = line_item_record(row.platform, row.item)
        if extra and model.currency:
            record[extra] = model.currency.convert(row.item.monthly_usd)
        writer.writerow({k: neutralize_cell(v) for k, v in record.items()})
    return buffer.getvalue().encode("utf-8-sig")
