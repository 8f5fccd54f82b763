"""CronJob schedules: parse the cron expression Kubernetes accepts and count runs per month.

Kubernetes validates ``spec.schedule`` with ``cron.ParseStandard`` from
github.com/robfig/cron/v3, so this parser follows that library:

- five fields, minute (0-59), hour (0-23), day of month (1-31), month (1-12 or
  JAN-DEC), day of week (0-6 or SUN-SAT; 7 is not accepted); names are
  case-insensitive;
- each field is a comma list of ``*`` or ``?``, ``N``, ``N-M``, each optionally with
  ``/step``; ``N/step`` means ``N-max/step``;
- descriptors ``@yearly`` ``@annually`` ``@monthly`` ``@weekly`` ``@daily``
  ``@midnight`` ``@hourly`` and ``@every <Go duration>``;
- a day matches when day of month **and** day of week match if either field is a bare
  ``*``/``?`` (a ``*/2`` step is not bare, robfig/cron v3's fix #70), and when either
  matches otherwise (Vixie cron's rule).

Runs per month
--------------
The advisor's month is 730 hours (:data:`advisor.workload.units.HOURS_PER_MONTH`, 365 d / 12 =
30.4167 days), so a daily job runs 30.4167 times and ``*/15 * * * *`` 2,920 times.
Calendar rules (31-day months, February 29th, weekdays) are averaged exactly over one
400-year Gregorian cycle of 146,097 days (exactly 20,871 weeks): runs per month =
(days in the cycle that match) × (runs per matching day) × 730 / (146,097 × 24).
Time zones and daylight-saving shifts do not change the count and are ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal
from functools import cache

from advisor.workload.units import HOURS_PER_MONTH, SECONDS_PER_HOUR

#: Days in one cycle of the Gregorian calendar, after which dates and weekdays repeat.
GREGORIAN_CYCLE_DAYS = 146_097
_CYCLE_START = date(2000, 1, 1)
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()


_FIELDS = (_Field("minute", 0, 59), _Field("hour", 0, 23), _Field("day of month", 1, 31),
           _Field("month", 1, 12, _MONTH_NAMES), _Field("day of week", 0, 6, _DAY_NAMES))
_DESCRIPTORS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
                "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *"}
_GO_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_GO_UNIT_SECONDS = {"ns": Decimal("1e-9"), "us": Decimal("1e-6"), "µs": Decimal("1e-6"), "μs": Decimal("1e-6"),
                    "ms": Decimal("1e-3"), "s": Decimal(1), "m": Decimal(60), "h": Decimal(3600)}


class CronError(ValueError):
    """A schedule Kubernetes would reject; the message says which part and what is allowed."""


@dataclass(frozen=True, slots=True)
class CronSchedule:
    """The parsed five fields; ``*_is_star`` records a bare ``*``/``?`` (for the day rule)."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days_of_month: frozenset[int]
    months: frozenset[int]
    days_of_week: frozenset[int]
    dom_is_star: bool
    dow_is_star: bool

    def day_matches(self, month: int, day: int, weekday: int) -> bool:
        """Whether a calendar day (weekday 0 = Sunday) is a run day."""
        if month not in self.months:
            return False
        dom, dow = day in self.days_of_month, weekday in self.days_of_week
        return (dom and dow) if (self.dom_is_star or self.dow_is_star) else (dom or dow)


def parse_cron(expression: str) -> CronSchedule:
    """Parse a standard five-field cron expression or descriptor (not ``@every``).

    Raises
    ------
    CronError
        Wrong number of fields, a value out of range, an unknown name or a bad step.
    """
    text = _DESCRIPTORS.get(expression.strip().lower(), expression)
    parts = text.split()
    if len(parts) != len(_FIELDS):
        raise CronError(f"{expression!r} has {len(parts)} fields; a schedule has 5 (minute hour day-of-month month "
                        "day-of-week) or is a descriptor such as @daily or @every 1h")
    values = [_parse_field(part, spec) for part, spec in zip(parts, _FIELDS, strict=True)]
    return CronSchedule(*(v[0] for v in values), dom_is_star=values[2][1], dow_is_star=values[4][1])


def _parse_field(text: str, spec: _Field) -> tuple[frozenset[int], bool]:
    chosen: set[int] = set()
    is_star = False
    for element in text.split(","):
        range_part, slash, step_text = element.partition("/")
        step = _integer(step_text, spec, element) if slash else 1
        if step < 1:
            raise CronError(f"{spec.name} {element!r}: the step must be a positive number")
        if range_part in ("*", "?"):
            low, high = spec.low, spec.high
            is_star = is_star or step == 1
        else:
            low_text, dash, high_text = range_part.partition("-")
            low = _value(low_text, spec, element)
            high = _value(high_text, spec, element) if dash else (spec.high if slash else low)
        if low > high:
            raise CronError(f"{spec.name} {element!r}: the range starts after it ends")
        chosen.update(range(low, high + 1, step))
    return frozenset(chosen), is_star


def _value(text: str, spec: _Field, element: str) -> int:
    if text.lower() in spec.names:
        number = spec.names.index(text.lower()) + (1 if spec.names is _MONTH_NAMES else 0)
    else:
        number = _integer(text, spec, element)
    if not spec.low <= number <= spec.high:
        raise CronError(f"{spec.name} {element!r}: {number} is outside {spec.low}-{spec.high}")
    return number


def _integer(text: str, spec: _Field, element: str) -> int:
    if not text.isdigit():
        names = f" or {spec.names[0].upper()}-{spec.names[-1].upper()}" if spec.names else ""
        raise CronError(f"{spec.name} {element!r}: {text!r} is not a number {spec.low}-{spec.high}{names}")
    return int(text)


@cache
def _cycle_day_counts() -> dict[tuple[int, int, int], int]:
    """Days in a 400-year cycle per (month, day of month, weekday with 0 = Sunday)."""
    counts: dict[tuple[int, int, int], int] = {}
    for offset in range(GREGORIAN_CYCLE_DAYS):
        day = _CYCLE_START + timedelta(days=offset)
        key = (day.month, day.day, day.isoweekday() % 7)
        counts[key] = counts.get(key, 0) + 1
    return counts


def runs_per_month(expression: str) -> float:
    """Average runs in a 730-hour month of a CronJob schedule.

    Parameters
    ----------
    expression : str
        ``spec.schedule`` as Kubernetes accepts it (see the module docstring).

    Returns
    -------
    float
        Runs per month [1/month]: 2,920 for ``*/15 * * * *``, 30.4167 for ``0 2 * * *``.

    Raises
    ------
    CronError
        The schedule is not valid.
    """
    text = expression.strip()
    if text.lower().startswith("@every"):
        return HOURS_PER_MONTH * SECONDS_PER_HOUR / _every_seconds(text)
    schedule = parse_cron(text)
    matching_days = sum(n for (month, day, weekday), n in _cycle_day_counts().items()
                        if schedule.day_matches(month, day, weekday))
    runs_per_day = len(schedule.minutes) * len(schedule.hours)
    return matching_days * runs_per_day * HOURS_PER_MONTH / (GREGORIAN_CYCLE_DAYS * 24)


def _every_seconds(text: str) -> float:
    """The interval of ``@every <Go duration>``; robfig/cron truncates it to whole seconds, minimum 1 s."""
    duration = text[len("@every"):].strip()
    parts = _GO_DURATION_PART.findall(duration)
    if not duration or "".join(n + u for n, u in parts) != duration:
        raise CronError(f"{text!r}: {duration!r} is not a Go duration such as 90s, 15m or 1h30m")
    seconds = sum(Decimal(n) * _GO_UNIT_SECONDS[u] for n, u in parts)
    return float(max(Decimal(1), seconds.to_integral_value(rounding=ROUND_FLOOR)))
