"""CronJob schedules: runs per 730-hour month, computed exactly over the 400-year Gregorian cycle."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importers.cron import GREGORIAN_CYCLE_DAYS, CronError, parse_cron, runs_per_month

MONTH_DAYS = 730 / 24  # the advisor's month: 730 h = 30.41666... days


@pytest.mark.parametrize(("schedule", "expected"), [
    ("*/15 * * * *", 2920),                 # 4 an hour × 730 hours
    ("0 2 * * *", MONTH_DAYS),              # once a day: 30.4167
    ("* * * * *", 43800),                   # every minute of 730 hours
    ("0 * * * *", 730),
    ("@hourly", 730),
    ("@daily", MONTH_DAYS),
    ("@midnight", MONTH_DAYS),
    ("0 0 * * 0", MONTH_DAYS / 7),          # weekly: 4.345 (146,097 days are exactly 20,871 weeks)
    ("@weekly", MONTH_DAYS / 7),
    ("0 9 * * MON-FRI", MONTH_DAYS * 5 / 7),
    ("0 9 * * 1-5", MONTH_DAYS * 5 / 7),
    ("30 8,12,17 * * *", 3 * MONTH_DAYS),
    ("0 0 1 * *", MONTH_DAYS / (365.2425 / 12)),   # monthly: 12 a year, a year is 365.2425 days
    ("@monthly", MONTH_DAYS / (365.2425 / 12)),
    ("@yearly", MONTH_DAYS / 365.2425),
    ("@every 1h30m", 730 / 1.5),
    ("@every 90s", 730 * 40),
])
def test_known_schedules(schedule, expected):
    assert runs_per_month(schedule) == pytest.approx(expected, rel=1e-12)


def test_february_29th_runs_97_times_in_400_years():
    """97 leap years per Gregorian cycle."""
    per_cycle = runs_per_month("0 0 29 2 *") * GREGORIAN_CYCLE_DAYS * 24 / 730
    assert per_cycle == pytest.approx(97)


def test_day_of_month_or_day_of_week_when_both_are_restricted():
    """Vixie cron (and robfig/cron): 1st of the month OR a Monday."""
    both = runs_per_month("0 0 1 * MON")
    first, mondays, first_and_monday = (runs_per_month("0 0 1 * *"), runs_per_month("0 0 * * MON"),
                                        runs_per_month("0 0 1 * *") / 7)
    assert both == pytest.approx(first + mondays - first_and_monday, rel=1e-3)


def test_a_stepped_star_is_not_a_bare_star():
    """robfig/cron v3 fix #70: '*/2' in day-of-month restricts it, so day-of-week is OR-ed."""
    schedule = parse_cron("0 0 */2 * 1")
    assert not schedule.dom_is_star and not schedule.dow_is_star
    assert parse_cron("0 0 * * 1").dom_is_star
    assert parse_cron("0 0 ? * 1").dom_is_star


def test_n_slash_step_means_n_to_max():
    assert parse_cron("5/20 * * * *").minutes == {5, 25, 45}
    assert parse_cron("10-30/10 * * * *").minutes == {10, 20, 30}


def test_names_are_case_insensitive():
    assert parse_cron("0 0 * jan,Mar sun").months == {1, 3}
    assert parse_cron("0 0 * * SAT").days_of_week == {6}


@pytest.mark.parametrize(("schedule", "message"), [
    ("* * * *", "has 4 fields"),
    ("60 * * * *", "60 is outside 0-59"),
    ("0 24 * * *", "outside 0-23"),
    ("0 0 0 * *", "outside 1-31"),
    ("0 0 * 13 *", "outside 1-12"),
    ("0 0 * * 7", "outside 0-6"),
    ("*/0 * * * *", "positive"),
    ("0 0 * * FUN", "not a number"),
    ("5-1 * * * *", "starts after it ends"),
    ("@every soon", "Go duration"),
    ("@fortnightly", "has 1 fields"),
])
def test_invalid_schedules_say_what_is_wrong(schedule, message):
    with pytest.raises(CronError, match=message):
        runs_per_month(schedule)


fields = st.tuples(st.sets(st.integers(0, 59), min_size=1, max_size=5),
                   st.sets(st.integers(0, 23), min_size=1, max_size=5))


@given(fields)
def test_daily_schedules_run_minutes_times_hours_times_days(minutes_hours):
    minutes, hours = minutes_hours
    expression = f"{','.join(map(str, sorted(minutes)))} {','.join(map(str, sorted(hours)))} * * *"
    assert runs_per_month(expression) == pytest.approx(len(minutes) * len(hours) * MONTH_DAYS)


@given(st.sets(st.integers(0, 6), min_size=1, max_size=6), st.integers(0, 6))
def test_adding_a_weekday_adds_a_seventh_of_the_daily_runs(days, extra):
    base = runs_per_month(f"0 0 * * {','.join(map(str, sorted(days)))}")
    grown = runs_per_month(f"0 0 * * {','.join(map(str, sorted(days | {extra})))}")
    assert grown - base == pytest.approx((len(days | {extra}) - len(days)) * MONTH_DAYS / 7)
