"""The dates of an event series: weekly on given days, or monthly on the nth weekday.

Dates and clock times are those of the site's place: the series "every 2nd Thursday at 18:00"
stays at 18:00 on the clock before and after a daylight-saving change, which is what RFC 5545
means by a DTSTART with a TZID and an RRULE, and what ``rrule`` below writes into calendars.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from typing import Any

from .fields import WEEKDAYS
from .model import Occurrence, Recurrence

RRULE_DAYS = {"mo": "MO", "tu": "TU", "we": "WE", "th": "TH", "fr": "FR", "sa": "SA", "su": "SU"}


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date | None:
    """The ``nth`` (1..5, or -1 for the last) ``weekday`` (0 = Monday) of a month; None if it has none."""
    days = [d for d in range(1, calendar.monthrange(year, month)[1] + 1) if dt.date(year, month, d).weekday() == weekday]
    if nth == -1:
        return dt.date(year, month, days[-1])
    return dt.date(year, month, days[nth - 1]) if nth <= len(days) else None


def series_dates(rule: Recurrence) -> Iterator[dt.date]:
    """Every date of the series from its first date on, in order, without the excluded ones."""
    excluded = set(rule.excluded)
    if rule.monthly:
        weekday = WEEKDAYS.index(rule.days[0])
        year, month = rule.first.year, rule.first.month
        while True:
            found = sorted(d for n in rule.nth if (d := _nth_weekday(year, month, weekday, n)))
            for day in found:
                if rule.until and day > rule.until:
                    return
                if day >= rule.first and day not in excluded:
                    yield day
            month += 1
            if month > 12:
                year, month = year + 1, 1
            if year > 2099:
                return
    else:
        weekdays = {WEEKDAYS.index(d) for d in rule.days}
        day = rule.first
        while day.year <= 2099:
            if rule.until and day > rule.until:
                return
            if day.weekday() in weekdays and day not in excluded:
                yield day
            day += dt.timedelta(days=1)


def occurrences(rule: Recurrence, since: dt.date, limit: int) -> tuple[Occurrence, ...]:
    """At most ``limit`` dates of the series on or after ``since``."""
    found = []
    for day in series_dates(rule):
        if day < since:
            continue
        found.append(Occurrence(dt.datetime.combine(day, rule.start), dt.datetime.combine(day, rule.end)))
        if len(found) >= limit:
            break
    return tuple(found)


def first_date(rule: Recurrence) -> dt.date | None:
    """The series' first actual date (its ``first`` may not be one of its weekdays)."""
    return next(series_dates(rule), None)


def rrule(rule: Recurrence, until_utc: dt.datetime | None) -> dict[str, Any]:
    """The series as an iCalendar RRULE (for ``icalendar``); ``until_utc`` is the last start in UTC."""
    found: dict[str, Any] = {"freq": "monthly" if rule.monthly else "weekly"}
    if rule.monthly:
        found["byday"] = [f"{n}{RRULE_DAYS[rule.days[0]]}" for n in rule.nth]
    else:
        found["byday"] = [RRULE_DAYS[d] for d in rule.days]
        found["wkst"] = "MO"
    if until_utc is not None:
        found["until"] = until_utc
    return found
