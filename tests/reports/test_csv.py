"""CSV read back with the csv module: one row per line item, the estimate's exact numbers, inert text."""

import csv
import io

import pytest

from presentation.estimate_tables import LINE_ITEM_COLUMNS
from reports.csv_export import to_csv
from reports.safety import FORMULA_TRIGGERS

from .conftest import HOSTILE_NAMES


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_every_line_item_with_its_exact_numbers(small_model, small_result):
    rows = _rows(to_csv(small_model))
    items = [(e.platform.value, li) for e in small_result.estimates for li in e.line_items]
    assert len(rows) == len(items)
    for row, (platform, li) in zip(rows, items, strict=True):
        assert row["platform"] == platform and row["name"] == li.name
        assert float(row["quantity"]) == li.quantity
        assert float(row["usd_per_unit"]) == li.usd_per_unit
        assert float(row["monthly_usd"]) == li.monthly_usd
        assert row["price_ref"] == li.price_ref and row["publication_date"] == li.publication_date
    for est in small_result.estimates:
        # Same terms in the same order: the sum is bit-for-bit the estimate's total.
        assert sum(float(r["monthly_usd"]) for r in rows if r["platform"] == est.platform.value) == est.monthly_usd


def test_columns_match_advisor_estimate_csv_plus_the_converted_amount(eur_model):
    rows = _rows(to_csv(eur_model))
    assert list(rows[0]) == [*LINE_ITEM_COLUMNS, "monthly_eur"]
    for row in rows:
        assert float(row["monthly_eur"]) == pytest.approx(float(row["monthly_usd"]) * 0.92, rel=1e-12)


def test_numbers_are_unquoted_and_text_is_quoted(small_model):
    """QUOTE_NONNUMERIC: a spreadsheet reads numbers as numbers and every text cell as text."""
    first = to_csv(small_model).decode("utf-8-sig").splitlines()[1]
    assert first.startswith('"ecs-ec2","prod","control-plane","ECS control plane (no charge)",730,"hours",0.0,0.0,')


def test_hostile_names_come_out_inert(hostile_model):
    rows = _rows(to_csv(hostile_model))
    cells = [v for row in rows for v in row.values()]
    assert not [c for c in cells if c.startswith(FORMULA_TRIGGERS)]
    assert {r["environment"] for r in rows} == {"'" + HOSTILE_NAMES[2]}
    names = " ".join(r["name"] for r in rows)
    assert all(n in names for n in HOSTILE_NAMES)  # still readable inside the text
