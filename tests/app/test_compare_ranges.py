"""AppTest tests of the Compare page's ranges and of the TCO / AWS-bill switch kept in the URL."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.decision.recommend import recommend
from advisor.decision.tco import Metric, tco
from presentation.labels import PLATFORM_LABELS
from presentation.money import format_money
from presentation.uncertainty_views import ranges_view
from tests.app.helpers import DEFAULT_EXAMPLE, cards, example, goto, rendered, run_app


def test_cards_show_each_range_and_the_chance_of_being_cheapest(cache_dir: Path, book) -> None:
    at = run_app()
    result = tco(example(DEFAULT_EXAMPLE), book)
    ranges = recommend(result, solve_replicas=False).ranges
    for platform in result.platforms:
        r = ranges.of(platform.platform)
        line = (f"P10–P90 {format_money(r.p10_usd, digits=0)}–{format_money(r.p90_usd, digits=0)} · cheapest in "
                f"{100 * r.probability_cheapest:.0f}% of draws")
        assert any(line in c.value for c in at.caption), line
    table = next(d.value for d in at.dataframe if "probability_cheapest_pct" in d.value.columns)
    expected = ranges_view(ranges, result)
    assert table["p50_usd"].tolist() == pytest.approx(expected["p50_usd"].tolist())
    assert table["probability_cheapest_pct"].sum() == pytest.approx(100.0)
    assert "is cheapest in 100% of 2,000 draws" in rendered(at.success[0].value)  # the confidence, from the draws


def test_bill_only_switch_ranks_by_the_aws_bill_and_stays_in_the_url(cache_dir: Path, book) -> None:
    at = run_app()
    assert "basis" not in at.query_params
    assert "TCO = AWS bill + engineer time" in at.info[0].value
    at.sidebar.radio(key="comparison_basis").set_value("aws").run()
    assert at.query_params["basis"] == "bill"
    assert "AWS bill alone" in at.info[0].value
    result = tco(example(DEFAULT_EXAMPLE), book)
    expected = {PLATFORM_LABELS[p.platform]: format_money(p.aws_monthly_usd) for p in result.ranked(Metric.AWS)}
    assert cards(at) == expected and list(cards(at)) == list(expected)
    assert next(m.delta for m in at.metric if m.label in expected) == "lowest AWS bill"
    goto(at, "analyse")
    assert at.radio(key="analysis_metric").value is Metric.AWS  # the Analyse page starts from the switch
    shared = run_app({"basis": "bill"})
    assert cards(shared) == expected
    assert at.query_params["basis"] == "bill"
