"""Reading events (``content/events/<id>.md``) and organisations (``content/organisations/<id>.yaml``).

Each field is read by the same types as an offer's (sitegen.fields), so every problem comes with
its line and all of them are reported at once. content.py splits the files and calls these.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from markdown_it import MarkdownIt

from .body_checks import load_body
from .errors import Report
from .fields import _GERMAN_DATE, Fields
from .model import Event, Msg, Occurrence, Organisation, Recurrence, SiteConfig
from .recurrence import first_date, occurrences
from .spelling import did_you_mean
from .yamlio import Node

NEXT_DATES = 6  # how many dates of a series its page shows (its calendar file has the rule itself)


def _when(f: Fields, key: str, required: bool = False) -> dt.datetime | dt.date | None:
    """A date and time (01.02.2027 18:00), or a date alone (01.02.2027) for a whole day."""
    value = f.text(key, required)
    if value is None:
        return None
    if _GERMAN_DATE.fullmatch(value) or (len(value) == 10 and value[4:5] == "-"):
        return f.date(key)
    return f.datetime(key)


def _ids(f: Fields, key: str, known: set[str], unloaded: set[str], folder: str, suffix: str) -> tuple[str, ...]:
    found = []
    for value, line in f.words(key):
        if value in known:
            found.append(value)
        elif value not in unloaded:
            hint = did_you_mean(value, known | unloaded)
            f.error(line, f"unknown {folder[:-1]} '{value}': there is no content/{folder}/{value}{suffix}{hint}")
    return tuple(found)


def read_event(path: Path, node: Node, body: str, body_line: int, site: SiteConfig, report: Report, md: MarkdownIt,
               contacts: tuple[set[str], set[str]], organisations: tuple[set[str], set[str]]) -> Event | None:  # fmt: skip
    """One event; ``contacts`` and ``organisations`` are (loaded ids, ids of files that failed to load)."""
    f = Fields(report, path, node, country=site.country)
    cost_text = f.text("cost")
    organiser = None
    if (name := f.text("organiser")) is not None:
        known, unloaded = organisations
        if name in known:
            organiser = name
        elif name not in unloaded:
            f.error(f.line("organiser"), f"unknown organisation '{name}': there is no content/organisations/{name}.yaml"
                                         f"{did_you_mean(name, known | unloaded)}")  # fmt: skip
    when, recurrence = _event_time(f)
    event = Event(
        id=path.stem,
        path=path,
        title=f.msg("title", required=True) or Msg("", 1, "title"),
        summary=f.msg("summary", required=True, max_len=300) or Msg("", 1, "summary"),
        category=f.key("category", site.categories, "category", required=True) or "",
        body=load_body(md, body, body_line, path, report),
        audiences=f.keys("audiences", site.audiences, "audience"),
        languages_spoken=f.languages("languages_spoken"),
        organiser=organiser,
        contacts=_ids(f, "contacts", *contacts, "contacts", ".yaml"),
        address=f.address(),
        online="online" in f.values,
        online_url=f.url("online"),
        cost=Msg(cost_text, f.line("cost"), "cost") if cost_text and cost_text.lower() != "free" else None,
        cost_free=bool(cost_text) and cost_text.lower() == "free",
        registration=f.registration(),
        when=when,
        recurrence=recurrence,
        draft=f.boolean("draft"),
    )
    f.finish(suggest=("start", "end", "repeat", "address", "online"))
    return event


def _event_time(f: Fields) -> tuple[Occurrence | None, Recurrence | None]:
    """``start`` (and ``end``), or ``repeat``: exactly one of them."""
    if "repeat" in f.values:
        for key in ("start", "end"):
            if key in f.values:
                f.used.add(key)
                f.error(f.line(key), f"'{key}' does not go with 'repeat': a series has its first date in repeat.start")
        return None, _repeat(f)
    if "start" not in f.values:
        f.error(f.node.line, "an event needs 'start' (a date, or a date and time) or 'repeat' (a series)")
        f.used.add("start")
        return None, None
    start, end = _when(f, "start", True), _when(f, "end")
    if start is None:
        return None, None
    if end is not None:
        if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
            f.error(f.line("end"), "'end' must be written like 'start': both dates, or both dates with a time")
            end = None
        elif end < start:  # type: ignore[operator]
            f.error(f.line("end"), "'end' is before 'start'")
            end = None
    return Occurrence(start, end), None


def _repeat(f: Fields) -> Recurrence | None:
    sub = f.sub("repeat", True)
    if sub is None or not isinstance(sub.node.value, dict):  # not a mapping: Fields said so
        return None
    if sub.boolean("by_appointment"):  # a slot kind that has no dates
        sub.error(sub.line("by_appointment"), "'repeat.by_appointment' has no dates: write days or weekday with nth")
    slot = sub.read_slot()
    first = sub.date("start")
    if "start" not in sub.values:
        sub.error(sub.node.line, "'repeat.start' is required: the first date of the series, e.g. start: 14.01.2027")
    until = sub.date("until")
    excluded = []
    for item in sub.items("except"):
        one = Fields(sub.report, sub.path, Node({"except": item}, item.line, {"except": item.line}), "repeat", sub.country)
        if (day := one.date("except")) is not None:
            excluded.append(day)
    if first and until and until < first:
        sub.error(sub.line("until"), "'repeat.until' is before 'repeat.start'")
        until = None
    sub.finish(suggest=("days", "weekday", "nth", "except"))
    if slot is None or first is None or slot.start is None or slot.end is None:
        return None
    rule = Recurrence(slot.days, slot.start, slot.end, first, slot.nth, until, tuple(sorted(set(excluded))))
    if first_date(rule) is None:
        sub.error(sub.node.line, "this series has no date at all between its start and until")
        return None
    return rule


def with_upcoming(event: Event, today: dt.date) -> Event:
    """The event with its dates from ``today`` on; none when it is past (the build leaves it out)."""
    if event.recurrence:
        upcoming = occurrences(event.recurrence, today, NEXT_DATES)
    elif event.when and event.when.last_day >= today:
        upcoming = (event.when,)
    else:
        upcoming = ()
    return dataclasses.replace(event, upcoming=upcoming)


def sort_events(events: list[Event]) -> tuple[Event, ...]:
    def key(e: Event) -> tuple[str, str, str]:
        first = e.upcoming[0].start if e.upcoming else dt.date.max
        return (first.isoformat() if isinstance(first, dt.datetime) else f"{first.isoformat()}T00:00"), e.title.text.casefold(), e.id

    return tuple(sorted(events, key=key))


def read_organisation(path: Path, node: Node, site: SiteConfig, report: Report,
                      contacts: tuple[set[str], set[str]]) -> Organisation | None:  # fmt: skip
    if node.value == {}:
        report.error(path, 1, "is empty")
        return None
    f = Fields(report, path, node, country=site.country)
    kinds = site.organisation_kinds
    if "kind" in f.values and not kinds:
        f.error(f.line("kind"), "site.yaml has no 'organisation_kinds' yet: add e.g. organisation_kinds: {verein: Verein}")
        f.used.add("kind")
        kind = ""
    else:
        kind = f.key("kind", kinds, "organisation kind", required=True) or ""
    org = Organisation(
        id=path.stem,
        path=path,
        name=f.text("name", required=True) or "",
        kind_key=kind,
        description=f.msg("description", max_len=1000),
        address=f.address(),
        website=f.url("website"),
        email=f.email("email"),
        phone=f.phone("phone"),
        contacts=_ids(f, "contacts", *contacts, "contacts", ".yaml"),
        languages_spoken=f.languages("languages_spoken"),
    )
    city = f.text("city")
    if city and org.address:
        f.error(f.line("city"), "'city' is for an organisation without an address; the address already has its city")
    org = dataclasses.replace(org, city=org.address.city if org.address else city)
    f.finish()
    return org
