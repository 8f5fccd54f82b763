"""Uncertainty views: the basis statement, the ranges table and chart, the Sobol table and chart."""


import pytest

from advisor.analysis.global_sensitivity import sobol_ranking
from advisor.decision.tco import Metric
from advisor.decision.uncertainty import tco_ranges
from presentation.labels import platform_color, platform_label
from presentation.uncertainty_views import (
    basis_statement,
    ranges_figure,
    ranges_view,
    sobol_figure,
    sobol_view,
)


def test_basis_says_which_number_is_compared(microservices_tco):
    tco_text = basis_statement(microservices_tco, Metric.TCO)
    assert tco_text.startswith("Comparing **TCO = AWS bill + engineer time** at $90/h")
    assert basis_statement(microservices_tco, Metric.AWS).startswith("Comparing the **AWS bill alone**")


def test_ranges_view_follows_the_ranking_and_the_chart_its_numbers(microservices_tco):
    ranges = tco_ranges(microservices_tco)
    view = ranges_view(ranges, microservices_tco)
    assert view["platform"].tolist() == [p.platform.value for p in microservices_tco.ranked()]
    assert view["point_usd"].tolist() == pytest.approx([p.tco_monthly_usd for p in microservices_tco.ranked()])
    assert view["probability_cheapest_pct"].sum() == pytest.approx(100.0)
    band, p50, point = ranges_figure(ranges, microservices_tco).data
    first = platform_label(microservices_tco.ranked()[0].platform)
    at = list(band.y).index(first)
    assert band.base[at] == pytest.approx(view["p10_usd"][0])
    assert band.base[at] + band.x[at] == pytest.approx(view["p90_usd"][0])
    assert p50.x[list(p50.y).index(first)] == pytest.approx(view["p50_usd"][0])
    assert point.x[list(point.y).index(first)] == pytest.approx(view["point_usd"][0])
    assert list(band.marker.color) == [platform_color(p) for p in view["platform"][::-1]]  # the palette


def test_sobol_view_and_chart_most_decisive_first(microservices_tco):
    ranking = sobol_ranking(microservices_tco, base_samples=64)
    view = sobol_view(ranking)
    assert view["total"].tolist() == sorted(view["total"], reverse=True)
    total, alone = sobol_figure(ranking).data
    assert total.y[-1] == view["label"][0] and total.x[-1] == pytest.approx(view["total"][0])  # top bar
    assert alone.x[-1] == pytest.approx(view["first_order"][0])
