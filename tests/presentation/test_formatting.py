"""Numbers as people read them, human headers, and one name and colour per platform."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.costs.line_items import Category
from advisor.workload.platforms import Platform
from presentation.display import as_text, column_header, formatters, headers
from presentation.labels import (
    CATEGORY_COLORS,
    PLATFORM_COLORS,
    PLATFORM_LABELS,
    platform_color,
    platform_label,
    series_color,
)
from presentation.money import (
    MINUS,
    format_converted,
    format_count,
    format_hours,
    format_percent,
    format_quantity,
    format_signed_usd,
    format_unit_price,
    format_usd,
    plural,
)
from reports.currency import make_currency


def test_money_has_separators_and_a_real_minus_in_front() -> None:
    assert format_usd(1234567.891) == "$1,234,567.89"
    assert format_usd(-52.61) == f"{MINUS}$52.61" == "−$52.61"
    assert format_usd(-0.001) == "$0.00"  # rounds to nothing: no minus on a zero
    assert format_usd(None) == "" and format_usd(math.nan) == ""
    assert format_signed_usd(31) == "+$31.00" and format_signed_usd(-5) == "−$5.00" and format_signed_usd(0) == "$0.00"
    assert format_converted(-5, make_currency("EUR", 0.92)) == "−€4.60"


def test_rounding_fits_the_unit() -> None:
    assert format_unit_price(0.04048) == "$0.04048"
    assert format_unit_price(0.0000111) == "$0.0000111"
    assert format_unit_price(32.85) == "$32.85" and format_unit_price(0.1) == "$0.10"
    assert format_hours(18.2345) == "18.2" and format_hours(1460) == "1,460.0"
    assert format_count(1234.0) == "1,234" and format_count(3) == "3"
    assert format_quantity(1460.0) == "1,460" and format_quantity(0.125) == "0.125"
    assert format_percent(85.3) == "85%" and format_percent(12.34, 1) == "12.3%"
    assert format_quantity(math.inf) == "∞"


def test_singular_and_plural() -> None:
    assert plural(1, "node") == "1 node"
    assert plural(3, "node") == "3 nodes"
    assert plural(0, "cluster") == "0 clusters"
    assert plural(2, "policy") == "2 policies" and plural(2, "day") == "2 days"
    assert plural(1200, "replica") == "1,200 replicas"


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_money_text_reads_back_as_the_rounded_amount(usd: float) -> None:
    text = format_usd(usd)
    assert "-" not in text and "None" not in text
    number = float(text.replace(MINUS, "-").replace("$", "").replace(",", ""))
    assert number == pytest.approx(round(usd, 2), abs=0.006)


def test_human_headers() -> None:
    assert column_header("monthly_usd") == "Monthly (USD)"
    assert column_header("idle_usd_per_month") == "Idle (USD per month)"
    assert column_header("utilization_vcpu_pct") == "Utilization vCPU (%)"
    assert column_header("memory_gib") == "Memory (GiB)"
    assert column_header("price_ref") == "Price (SKU or assumption)"
    assert all("_" not in h for h in headers(pd.DataFrame(columns=["usd_per_unit", "publication_date",
                                                                   "operations_hours_per_month"])).values())


def test_a_table_reads_without_none_and_with_units() -> None:
    frame = pd.DataFrame({"name": ["api", None], "monthly_usd": [-52.61, None], "usd_per_unit": [0.04048, 1.0],
                          "monthly_hours": [18.234, 2.0], "node_count": [3, 1], "optimal": [True, False]})
    text = as_text(frame)
    assert list(text.columns) == ["Name", "Monthly (USD)", "Unit price (USD)", "Monthly hours", "Node count",
                                  "Optimal"]
    assert text.iloc[0].tolist() == ["api", "−$52.61", "$0.04048", "18.2", "3", "yes"]
    assert text.iloc[1].tolist() == ["", "", "$1.00", "2.0", "1", "no"]
    assert "optimal" not in formatters(frame)  # booleans stay checkboxes in the app


def test_every_platform_has_one_name_and_its_own_colour() -> None:
    assert set(PLATFORM_LABELS) == set(Platform) == set(PLATFORM_COLORS)
    assert len(set(PLATFORM_LABELS.values())) == len(Platform)
    assert len(set(PLATFORM_COLORS.values())) == len(Platform)
    assert platform_label("ecs-fargate") == "ECS on Fargate"
    for platform in Platform:  # by id, by enum and by name: the same colour
        assert series_color(platform.value) == series_color(platform_label(platform)) == platform_color(platform)


def test_every_cost_category_has_a_colour() -> None:
    assert {c.value for c in Category} <= set(CATEGORY_COLORS)
    assert series_color("operations (engineer time)") == CATEGORY_COLORS["operations"]


def test_app_and_report_charts_use_the_palette() -> None:
    from advisor.analysis.sweep import SweepResult
    from presentation.analysis_views import breakeven_figure
    from reports.charts import ChartSpec, plotly_figure

    spec = ChartSpec(title="t", platforms=("ecs-ec2", "eks-auto"),
                     series=(("compute", (1.0, 2.0)), ("operations", (1.0, 1.0))))
    figure = plotly_figure(spec)
    assert list(figure.data[0].x) == ["ECS on EC2", "EKS Auto Mode"]
    assert [bar.marker.color for bar in figure.data] == [CATEGORY_COLORS["compute"], CATEGORY_COLORS["operations"]]
    curves = {Platform.ECS_FARGATE: (1.0, 2.0), Platform.EKS_AUTO: (2.0, 1.0)}
    sweep = breakeven_figure(SweepResult(parameter="p", values=(1.0, 2.0), monthly_usd=curves, crossings=()))
    assert [line.line.color for line in sweep.data] == [platform_color(p) for p in curves]
