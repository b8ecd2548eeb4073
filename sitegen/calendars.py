"""iCalendar files of events, written with the ``icalendar`` library (RFC 5545).

One file per event (``events/<id>/<id>.ics``) and one feed per language to subscribe to
(``events/events.ics``). A series is one VEVENT with an RRULE and EXDATEs, its times local
times of the site's time zone (a TZID and a VTIMEZONE built from the tz database), so it stays
at the same clock time across daylight-saving changes. UIDs are derived from the site's address
and the event's id: the same in every language and every build, so a subscribed calendar
updates an event instead of adding it twice. The library escapes every property value and folds
lines; texts here are translations (untrusted) and lose their control characters first, so none
can add a line, a property or an event of its own.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Iterable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar

from .languages import Language
from .model import Event, Occurrence, Offer, SiteConfig
from .recurrence import first_date, rrule

# Control characters but the line break (which the library writes as \n) and the tab.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _text(value: str) -> str:
    value = re.sub(r"\r\n?|[\u2028\u2029\x85]", "\n", value)
    return _CONTROL.sub("", value)


def event_uid(site: SiteConfig, event: Event) -> str:
    return f"{uuid.uuid5(uuid.NAMESPACE_URL, f'{site.base_url}events/{event.id}')}"


def _moment(value: dt.datetime | dt.date, zone: ZoneInfo) -> dt.datetime | dt.date:
    return value.replace(tzinfo=zone) if isinstance(value, dt.datetime) else value


def location(event: Event, language: Language) -> str:
    """Where, as one line: the address (with its room in ``language``) and/or the online address."""
    parts = []
    if event.address:
        addr = event.address
        room = language.publish(addr.room).text
        parts.append(", ".join(x for x in (addr.name, room, addr.street, f"{addr.postal_code} {addr.city}") if x))
    if event.online_url:
        parts.append(event.online_url)
    return " · ".join(parts)


def _vevent(event: Event, site: SiteConfig, language: Language, page_url: str, stamp: dt.datetime) -> icalendar.Event:
    zone = ZoneInfo(site.timezone)
    title, summary = language.publish(event.title), language.publish(event.summary)
    ve = icalendar.Event()
    ve.add("uid", event_uid(site, event))
    ve.add("dtstamp", stamp.astimezone(dt.timezone.utc))
    if event.recurrence:
        rule = event.recurrence
        day = first_date(rule) or rule.first
        ve.add("dtstart", dt.datetime.combine(day, rule.start, zone))
        ve.add("dtend", dt.datetime.combine(day, rule.end, zone))
        until = dt.datetime.combine(rule.until, rule.start, zone).astimezone(dt.timezone.utc) if rule.until else None
        ve.add("rrule", rrule(rule, until))
        excluded = [dt.datetime.combine(d, rule.start, zone) for d in rule.excluded if d >= day]
        if excluded:
            ve.add("exdate", excluded)
    elif event.when:
        when: Occurrence = event.when
        ve.add("dtstart", _moment(when.start, zone))
        if when.end is not None:
            end = when.end
            if not isinstance(end, dt.datetime):
                end = end + dt.timedelta(days=1)  # DTEND of a whole day is the next day (exclusive)
            ve.add("dtend", _moment(end, zone))
        elif when.all_day:
            ve.add("dtend", when.first_day + dt.timedelta(days=1))
    ve.add("summary", _text(title.text), parameters={"LANGUAGE": title.lang})
    ve.add("description", _text(f"{summary.text}\n\n{page_url}"), parameters={"LANGUAGE": summary.lang})
    if where := location(event, language):
        ve.add("location", _text(where))
    ve.add("url", page_url)
    return ve


def _calendar(name: str, site: SiteConfig, events: Iterable[Event]) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//sitegen//sitegen//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    # X- properties have no type of their own in the library: vText escapes them like SUMMARY
    cal.add("x-wr-calname", icalendar.vText(" ".join(_text(name).split())))
    cal.add("x-wr-timezone", site.timezone)
    return cal


def _with_timezone(cal: icalendar.Calendar, site: SiteConfig, events: list[Event]) -> bytes:
    """The calendar with a VTIMEZONE covering its events' years (up to five years of a series without end)."""
    if any(isinstance(o.start, dt.datetime) for e in events for o in _dates(e)):
        years = [y for e in events for y in _years(e)]
        zone = icalendar.Timezone.from_tzid(site.timezone, first_date=dt.date(min(years), 1, 1),
                                            last_date=dt.date(max(years) + 1, 1, 1))  # fmt: skip
        cal.subcomponents.insert(0, zone)
    return cal.to_ical()


def _dates(event: Event) -> list[Occurrence]:
    if event.recurrence:
        rule = event.recurrence
        day = first_date(rule) or rule.first
        return [Occurrence(dt.datetime.combine(day, rule.start), dt.datetime.combine(day, rule.end))]
    return [event.when] if event.when else []


def _years(event: Event) -> list[int]:
    if event.recurrence:
        rule = event.recurrence
        last = rule.until.year if rule.until else rule.first.year + 5
        return [rule.first.year, last]
    if event.when:
        return [event.when.first_day.year, event.when.last_day.year]
    return []


def event_ics(event: Event, site: SiteConfig, language: Language, page_url: str, stamp: dt.datetime) -> bytes:
    """One event as a calendar file in ``language``; ``page_url`` is its page."""
    cal = _calendar(language.publish(event.title).text, site, [event])
    cal.add_component(_vevent(event, site, language, page_url, stamp))
    return _with_timezone(cal, site, [event])


def events_feed(events: tuple[Event, ...], site: SiteConfig, language: Language, page_urls: dict[str, str],
                stamp: dt.datetime, name: str) -> bytes:  # fmt: skip
    """Every upcoming event in ``language``, to subscribe to; calendar apps refresh it daily."""
    cal = _calendar(name, site, events)
    cal.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT24H")
    for event in events:
        cal.add_component(_vevent(event, site, language, page_urls[event.id], stamp))
    return _with_timezone(cal, site, list(events))


# --- an offer's course dates ------------------------------------------------------------------------
def _offer_location(offer: Offer, language: Language) -> str:
    addr = offer.address
    if not addr:
        return ""
    room = language.publish(addr.room).text
    return ", ".join(x for x in (addr.name, room, addr.street, f"{addr.postal_code} {addr.city}") if x)


def offer_ics(offer: Offer, site: SiteConfig, language: Language, page_url: str, stamp: dt.datetime | dt.date) -> bytes:
    """The course dates of an offer as a calendar file in ``language``; ``page_url`` is the offer's page.

    One VEVENT per date, its UID (``<id>-<start>@<host>``) unchanged since the first release, so
    calendars that imported an earlier file update their entries.
    """
    zone = ZoneInfo(site.timezone)
    title, summary = language.publish(offer.title), language.publish(offer.summary)
    cal = icalendar.Calendar()
    for name, value in (("prodid", "-//sitegen//sitegen//EN"), ("version", "2.0"), ("calscale", "GREGORIAN"),
                        ("method", "PUBLISH")):  # fmt: skip
        cal.add(name, value)
    if not isinstance(stamp, dt.datetime):
        stamp = dt.datetime(stamp.year, stamp.month, stamp.day, tzinfo=dt.timezone.utc)
    host = urlsplit(site.base_url).hostname or "localhost"
    where = _offer_location(offer, language)
    for when in offer.dates:
        ve = icalendar.Event()
        ve.add("uid", f"{offer.id}-{when.start:%Y%m%dT%H%M}@{host}")
        ve.add("dtstamp", stamp.astimezone(dt.timezone.utc) if stamp.tzinfo else stamp.replace(tzinfo=dt.timezone.utc))
        ve.add("dtstart", when.start.replace(tzinfo=zone))
        if when.end:
            ve.add("dtend", when.end.replace(tzinfo=zone))
        ve.add("summary", _text(title.text), parameters={"LANGUAGE": title.lang})
        ve.add("description", _text(f"{summary.text}\n\n{page_url}"), parameters={"LANGUAGE": summary.lang})
        if where:
            ve.add("location", _text(where))
        ve.add("url", page_url)
        cal.add_component(ve)
    if offer.dates:
        first = min(d.start for d in offer.dates)
        last = max((d.end or d.start) for d in offer.dates)
        cal.subcomponents.insert(0, icalendar.Timezone.from_tzid(
            site.timezone, first_date=dt.date(first.year - 1, 1, 1), last_date=dt.date(last.year + 1, 1, 1)))  # fmt: skip
    return cal.to_ical()
