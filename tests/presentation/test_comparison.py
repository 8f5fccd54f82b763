"""The scenario comparison (presentation/comparison.py) on either basis: TCO with its ranges, or the AWS bill alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.decision.tco import Metric, tco
from advisor.decision.uncertainty import tco_ranges
from advisor.workload.spec_io import parse_scenario
from presentation.comparison import cheapest_frame, comparison_figure, comparison_frame
from presentation.labels import platform_label
from pricing.active import load_pricebook

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LABELS = ["small-api", "microservices-shop"]


@pytest.fixture(scope="module")
def results():
    book = load_pricebook(None)
    return [tco(parse_scenario((EXAMPLES / f"{n}.yaml").read_text(), n), book) for n in ("small-api", "microservices")]


def test_tco_rows_carry_the_recommendations_ranges(results) -> None:
    ranges = [tco_ranges(r) for r in results]
    frame = comparison_frame(results, LABELS, Metric.TCO, ranges)
    for label, result, drawn in zip(LABELS, results, ranges, strict=True):
        rows = frame[frame["scenario"] == label].set_index("platform")
        for p in result.platforms:
            r = drawn.of(p.platform)
            row = rows.loc[p.platform.value]
            assert row["monthly_usd"] == pytest.approx(p.tco_monthly_usd)
            assert (row["p10_usd"], row["p50_usd"], row["p90_usd"]) == pytest.approx((r.p10_usd, r.p50_usd, r.p90_usd))
            assert row["probability_cheapest_pct"] == pytest.approx(100 * r.probability_cheapest)
        assert rows["probability_cheapest_pct"].sum() == pytest.approx(100.0)
    cheapest = cheapest_frame(results, LABELS, Metric.TCO, ranges)
    leader = results[1].ranked()[0]
    assert cheapest["cheapest"].tolist()[1] == platform_label(leader.platform)
    assert cheapest["probability_cheapest_pct"].tolist()[1] == pytest.approx(
        100 * ranges[1].of(leader.platform).probability_cheapest)


def test_the_aws_bill_alone_ranks_by_the_bill_and_has_no_range(results) -> None:
    ranges = [tco_ranges(r, Metric.AWS) for r in results]
    frame = comparison_frame(results, LABELS, Metric.AWS, ranges)
    first = frame[frame["scenario"] == LABELS[1]]
    assert first["monthly_usd"].tolist() == pytest.approx([p.aws_monthly_usd for p in results[1].ranked(Metric.AWS)])
    assert first[["p10_usd", "p90_usd", "probability_cheapest_pct"]].isna().all().all()
    deltas = first.set_index("platform")["vs_first_monthly_usd"]
    base = {p.platform.value: p.aws_monthly_usd for p in results[0].platforms}
    for p in results[1].platforms:
        assert deltas[p.platform.value] == pytest.approx(p.aws_monthly_usd - base[p.platform.value])
    assert all(trace.error_y.array is None for trace in comparison_figure(frame, Metric.AWS).data)


def test_the_chart_whiskers_span_p10_to_p90(results) -> None:
    ranges = [tco_ranges(r) for r in results]
    frame = comparison_frame(results, LABELS, Metric.TCO, ranges)
    figure = comparison_figure(frame, Metric.TCO)
    assert "whiskers P10–P90" in figure.layout.title.text
    for trace in figure.data:
        rows = frame[frame["label"] == trace.name]
        tops = [y + up for y, up in zip(trace.y, trace.error_y.array, strict=True)]
        bottoms = [y - down for y, down in zip(trace.y, trace.error_y.arrayminus, strict=True)]
        assert tops == pytest.approx(rows["p90_usd"].tolist())
        assert bottoms == pytest.approx(rows["p10_usd"].tolist())


def test_ranges_must_match_the_scenarios(results) -> None:
    with pytest.raises(ValueError, match="1 cost ranges for 2 scenarios"):
        comparison_frame(results, LABELS, Metric.TCO, [tco_ranges(results[0])])
