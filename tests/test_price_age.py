"""presentation.price_age: the 90-day notice, from the dates the line items carry."""

from __future__ import annotations

from datetime import UTC, datetime

from presentation.price_age import (
    MAX_PRICE_AGE_DAYS,
    age_days,
    refresh_command,
    stale_notice,
    stale_prices,
    status_with_ages,
)

NOW = datetime(2026, 1, 1, 12, tzinfo=UTC)


def test_age_in_whole_days():
    assert age_days("2025-12-31T23:59:00Z", NOW) == 1
    assert age_days("2025-10-03", NOW) == 90
    assert age_days("not a date", NOW) is None


def test_only_prices_over_90_days_are_flagged_oldest_first():
    dates = {"a": "2025-10-03", "b": "2025-10-02", "c": "2024-07-18T13:53:37Z", "d": ""}
    assert [(s.label, s.published, s.age_days) for s in stale_prices(dates, NOW)] == [
        ("c", "2024-07-18", 532), ("b", "2025-10-02", 91)]
    assert MAX_PRICE_AGE_DAYS == 90


def test_the_notice_groups_by_date_and_names_the_refresh():
    notice = stale_notice({"ec2.instance_hour": "2025-04-04", "ebs.gp3_gb_month": "2024-07-18",
                           "ec2.other": "2025-04-04", "fresh": "2025-12-01"}, ["us-east-2"], NOW)
    assert notice == ("prices older than 90 days: 2024-07-18 (532 days): ebs.gp3_gb_month; 2025-04-04 (272 days): "
                      "ec2.instance_hour, ec2.other. Refresh them with: advisor prices refresh --source bulk "
                      "--region us-east-2")
    assert stale_notice({"fresh": "2025-12-01"}, ["us-east-2"], NOW) is None


def test_refresh_command():
    assert refresh_command(["a", "b", "a"]) == "advisor prices refresh --source bulk --region a --region b"
    assert refresh_command(None) == "advisor prices refresh --source bulk --all-regions"


def test_status_ages_and_the_regions_to_refresh():
    status = {"regions": {
        "old": {"oldest_price": "2024-07-18", "offers": {"AmazonEC2": {"published": "2025-10-28",
                                                                       "oldest_price": "2024-07-18"}}},
        "new": {"oldest_price": "2025-12-20", "offers": {"AmazonEC2": {"published": "2025-12-20"}}}}}
    aged = status_with_ages(status, NOW)
    assert aged["regions"]["old"]["age_days"] == 532
    assert aged["regions"]["old"]["offers"]["AmazonEC2"]["age_days"] == 532
    assert aged["regions"]["new"]["offers"]["AmazonEC2"]["age_days"] == 12
    assert aged["stale_notice"].endswith("--region old")
