"""The report model: the estimate's numbers, provenance, assumptions, prices used, TCO ranking, currency."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor.costs.estimate import estimate
from advisor.workload.scenario import Scenario
from pricing.gaps import KNOWN_GAPS
from reports import FORMATS
from reports.currency import make_currency
from reports.errors import InvalidReportOption
from reports.model import NO_ANALYSIS_NOTE, Analysis, OverheadRow, Recommendation, build_report
from reports.tables import format_value, provenance_table, recommendation_table, summary_table


def test_summary_equals_the_estimate_and_ranks_cheapest_first(small_model, small_result):
    totals = {e.platform.value: e.monthly_usd for e in small_result.estimates}
    assert {s.platform: s.aws_monthly_usd for s in small_model.summaries} == totals
    monthly = [s.aws_monthly_usd for s in small_model.summaries]
    assert monthly == sorted(monthly) and [s.rank for s in small_model.summaries] == [1, 2, 3, 4, 5, 6]
    for s in small_model.summaries:
        assert math.fsum(v for _, v in s.category_monthly_usd) == pytest.approx(s.aws_monthly_usd, rel=1e-12)
        assert s.tco_monthly_usd is None and s.aws_annual_usd == 12 * s.aws_monthly_usd
    assert len(small_model.line_items) == sum(len(e.line_items) for e in small_result.estimates)
    assert small_model.analysis.note == NO_ANALYSIS_NOTE and not small_model.has_tco


def test_provenance_has_source_version_and_offer_dates(small_model, book):
    prov = small_model.provenance
    assert prov.origin == "bundled snapshot" and prov.version == book.version and prov.region == "eu-west-1"
    assert dict(prov.offers)["AmazonECS"].startswith("2025-") and prov.prices_as_of == max(dict(prov.offers).values())


def test_every_line_item_has_its_price_row(small_model):
    rows = small_model.prices_used
    assert sum(p.line_count for p in rows) == len(small_model.line_items)
    keys = {(p.price_key, p.price_ref, p.usd_per_unit) for p in rows}
    assert all((r.item.price_key, r.item.price_ref, r.item.usd_per_unit) in keys for r in small_model.line_items)
    fargate = next(p for p in rows if p.price_key == "fargate.vcpu_hour")
    assert fargate.sku and "Fargate" in fargate.description and fargate.usage_type.endswith("vCPU-Hours:perCPU")


def test_assumptions_cover_conventions_gaps_and_line_notes(book):
    scenario = Scenario.model_validate({
        "name": "auto", "platforms": ["eks-auto"], "assumptions": {"auto_mode_fee_fraction": 0.1},
        "services": [{"name": "a", "vcpu": 1, "memory_gib": 2, "replicas": 2}]})
    model = build_report(estimate(scenario, book), book)
    groups = {a.group for a in model.assumptions}
    assert groups == {"convention", "price gap", "scenario override", "line note"}
    gap_rows = [a for a in model.assumptions if a.group == "price gap"]
    assert [a.item for a in gap_rows] == [g.what for g in KNOWN_GAPS]
    assert all(a.source and a.as_of for a in gap_rows)
    override = next(a for a in model.assumptions if a.group == "scenario override")
    assert (override.item, override.value) == ("auto_mode_fee_fraction", "0.1")
    assert any("scenario override" in a.item and a.used_by == ("eks-auto",) for a in model.assumptions)


_OPS = st.floats(0, 50_000, allow_nan=False)


@given(ops=st.lists(_OPS, min_size=6, max_size=6), rate=st.floats(1, 300))
def test_tco_is_aws_plus_operations_and_ranks_by_it(small_result, book, ops, rate):
    platforms = [e.platform.value for e in small_result.estimates]
    overhead = tuple(OverheadRow(platform=p, activity="upgrades", hours_per_month=h / rate, usd_per_hour=rate,
                                 source="test") for p, h in zip(platforms, ops, strict=True))
    model = build_report(small_result, book, analysis=Analysis(overhead=overhead))
    assert model.has_tco
    for s in model.summaries:
        aws = small_result.by_platform(next(e.platform for e in small_result.estimates
                                            if e.platform.value == s.platform)).monthly_usd
        assert s.aws_monthly_usd == aws
        assert s.tco_monthly_usd == aws + s.operations_monthly_usd
        assert s.tco_annual_usd == 12 * s.tco_monthly_usd
    tco = [s.tco_monthly_usd for s in model.summaries]
    assert tco == sorted(tco)
    assert [c.key for c in summary_table(model).columns][4:8] == ["operations_hours_per_month",
                                                                  "operations_monthly_usd", "tco_monthly_usd",
                                                                  "tco_annual_usd"]


def test_recommendation_rows(small_result, book):
    rec = Recommendation(ranking=("ecs-fargate", "ecs-ec2"), reasons=("no idle nodes",), caveats=("small",),
                         confidence="high", break_evens=("above 12 replicas ecs-ec2 is cheaper",))
    model = build_report(small_result, book, analysis=Analysis(recommendation=rec))
    rows = recommendation_table(model).rows
    assert rows[0] == ("Ranking", "ecs-fargate → ecs-ec2") and ("Confidence", "high") in rows
    assert ("Would flip if", "above 12 replicas ecs-ec2 is cheaper") in rows
    assert model.recommendation.best == "ecs-fargate"


@pytest.mark.parametrize(("code", "rate", "amount", "shown"), [
    ("eur", 0.92, 1234.567, "€1,135.80"), ("KRW", 1400.5, 1000.0, "₩1,400,500"), ("CHF", 0.8, 1.0, "CHF 0.80")])
def test_currency_formats(code, rate, amount, shown):
    cur = make_currency(code, rate)
    assert cur.format(cur.convert(amount)) == shown


@pytest.mark.parametrize(("args", "field"), [
    (("EURO", 1.0), "currency"), (("E1R", 1.0), "currency"), (("EUR", 0.0), "usd_rate"),
    (("EUR", float("inf")), "usd_rate"), (("EUR", float("nan")), "usd_rate"), (("EUR", 1.0, ""), "currency_symbol"),
    (("EUR", 1.0, "€€€€€€"), "currency_symbol")])
def test_bad_currency_names_the_field(args, field):
    with pytest.raises(InvalidReportOption, match=f"^{field}: "):
        make_currency(*args)


def test_format_value_kinds(eur_model):
    assert format_value(1234.5, "usd", eur_model) == "$1,234.50"
    assert format_value(0.04048, "usd_unit", eur_model) == "$0.04048"
    assert format_value(217.26190476, "number", eur_model) == "217.2619"
    assert format_value(2190.0, "number", eur_model) == "2,190"
    assert format_value(0.801, "percent", eur_model) == "80.1%"
    assert format_value(None, "usd", eur_model) == "–"
    assert format_value(100.0, "converted", eur_model) == "€100.00"


def test_cli_offers_the_same_formats():
    from advisor_cli.report_cmd import FORMATS as CLI_FORMATS

    assert CLI_FORMATS == FORMATS


def test_reports_carry_the_optimal_commitment(small_model):
    """The commitment that minimizes the bill (advisor.costs.commitment_plan) is in every report."""
    from reports.json_export import report_document
    from reports.tables import commitment_table

    assert small_model.commitments and all(c.saving_monthly_usd > 0 for c in small_model.commitments)
    table = commitment_table(small_model)
    assert len(table.rows) == len(small_model.commitments)
    doc = report_document(small_model)
    assert any(p["optimal_commitment"] for p in doc["estimate"]["platforms"])


def test_prices_older_than_90_days_are_flagged_with_the_refresh_command(small_result, book, small_model):
    """At the report's generation time (2026-01-02) the EC2 (2025-04-04) and EBS (2024-07-18) prices are old."""
    notice = small_model.provenance.stale_notice
    assert notice.startswith("prices older than 90 days: 2024-07-18 (533 days): ebs.gp3_gb_month")
    assert notice.endswith("Refresh them with: advisor prices refresh --source bulk --region eu-west-1")
    assert ("Price age", notice) in provenance_table(small_model).rows
    earlier = build_report(small_result, book, generated_at="2025-06-01T00:00:00+00:00").provenance.stale_notice
    assert "ebs.gp3_gb_month" in earlier and "ec2.instance_hour" not in earlier  # 2025-04-04 was 58 days old
    assert build_report(small_result, book).provenance.stale_notice == ""  # no date, no age


def test_the_notice_is_in_every_format(small_model):
    from reports.html_export import to_html
    from reports.json_export import report_document

    notice = small_model.provenance.stale_notice
    assert f'<p class="note">Note: {notice}</p>' in to_html(small_model).decode()
    assert report_document(small_model)["prices"]["stale_notice"] == notice
