"""The data that flows between the stages: frozen, explicit, one kind of object per thing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

KIND_FOLDERS = {"offer": "offers", "contact": "contacts", "page": "pages", "event": "events",
                "organisation": "organisations"}  # kind -> folder in content/


@dataclass(frozen=True, slots=True)
class Msg:
    """A translatable German text where it stands: the unit of a gettext message."""

    text: str
    line: int
    field: str


@dataclass(frozen=True, slots=True)
class Phone:
    written: str  # as the editor wrote it, shown to readers
    e164: str  # for tel: links and vCards


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    postal_code: str
    city: str
    name: str | None = None
    room: Msg | None = None


@dataclass(frozen=True, slots=True)
class Slot:
    """One line of opening hours: weekly days, an nth weekday of the month, or by appointment."""

    days: tuple[str, ...] = ()
    nth: tuple[int, ...] = ()  # with one weekday in ``days``: 2 = second, -1 = last of the month
    start: dt.time | None = None
    end: dt.time | None = None
    by_appointment: bool = False
    note: Msg | None = None


@dataclass(frozen=True, slots=True)
class Registration:
    required: bool
    url: str | None = None
    note: Msg | None = None


@dataclass(frozen=True, slots=True)
class CourseDate:
    start: dt.datetime
    end: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Body:
    """A Markdown body parsed once; ``segments`` are its translatable blocks in order."""

    tokens: tuple[Any, ...]  # markdown-it tokens of the German source
    segments: tuple[Msg, ...]
    links: tuple[tuple[str, int], ...]  # (href, line) of every link in the source
    # the body's link reference definitions (``[label]: address``): every block, in every
    # language, resolves ``[text][label]`` with them; markdown-it's env["references"]
    references: Any = field(default_factory=dict)
    # width and height of each image the body shows, by its address as written (see sitegen.media)
    image_sizes: Any = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Offer:
    id: str
    path: Path
    title: Msg
    summary: Msg
    category: str
    body: Body
    audiences: tuple[str, ...] = ()
    languages_spoken: tuple[str, ...] = ()
    provider: str | None = None
    contacts: tuple[str, ...] = ()
    address: Address | None = None
    hours: tuple[Slot, ...] = ()
    cost: Msg | None = None  # None with cost_free: free of charge; None alone: not stated
    cost_free: bool = False
    registration: Registration | None = None
    dates: tuple[CourseDate, ...] = ()
    updated: dt.date | None = None
    valid_until: dt.date | None = None
    draft: bool = False

    kind = "offer"

    def messages(self) -> list[Msg]:
        return _listed_texts(self, self.hours)


@dataclass(frozen=True, slots=True)
class Contact:
    id: str
    path: Path
    name: str | None = None
    role: Msg | None = None
    organisation: str | None = None
    address: Address | None = None
    phone: Phone | None = None
    mobile: Phone | None = None
    fax: Phone | None = None
    email: str | None = None
    website: str | None = None
    languages_spoken: tuple[str, ...] = ()
    hours: tuple[Slot, ...] = ()

    kind = "contact"

    def messages(self) -> list[Msg]:
        found = [self.role] if self.role else []
        if self.address and self.address.room:
            found.append(self.address.room)
        return found + [s.note for s in self.hours if s.note]


@dataclass(frozen=True, slots=True)
class Page:
    id: str
    path: Path
    title: Msg
    body: Body
    translate: bool = True

    kind = "page"

    def messages(self) -> list[Msg]:
        return [self.title, *self.body.segments] if self.translate else []


@dataclass(frozen=True, slots=True)
class Publisher:
    name: str
    street: str | None = None
    postal_code: str | None = None
    city: str | None = None
    phone: Phone | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class SiteConfig:
    root: Path
    title: Msg
    tagline: Msg | None
    base_url: str  # always ends with "/"
    source_language: str
    country: str
    languages: tuple[str, ...]  # source language first is not required; this is switcher order
    timezone: str
    publisher: Publisher | None
    categories: dict[str, Msg] = field(hash=False)
    audiences: dict[str, Msg] = field(hash=False)
    theme: str | None = None
    path: Path = Path("content/site.yaml")
    organisation_kinds: dict[str, Msg] = field(default_factory=dict, hash=False)  # key -> German label

    @property
    def target_languages(self) -> tuple[str, ...]:
        return tuple(lang for lang in self.languages if lang != self.source_language)

    def messages(self) -> list[Msg]:
        found = [self.title]
        if self.tagline:
            found.append(self.tagline)
        return found + list(self.categories.values()) + list(self.audiences.values()) + list(self.organisation_kinds.values())


@dataclass(frozen=True, slots=True)
class Recurrence:
    """A series: weekly on ``days``, or monthly on the ``nth`` ``days[0]`` of the month (like hours slots).

    Times are clock times at the site's place (``site.timezone``), on every date, across
    daylight-saving changes; ``first`` is the first date of the series, ``until`` the last one.
    """

    days: tuple[str, ...]
    start: dt.time
    end: dt.time
    first: dt.date
    nth: tuple[int, ...] = ()  # empty: weekly
    until: dt.date | None = None
    excluded: tuple[dt.date, ...] = ()

    @property
    def monthly(self) -> bool:
        return bool(self.nth)

    @property
    def slot(self) -> Slot:
        """The series' weekdays and times as an hours slot, which the reader's locale can say."""
        return Slot(self.days, self.nth, self.start, self.end)


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One date of an event: local times of the site's time zone; dates alone for whole days."""

    start: dt.datetime | dt.date
    end: dt.datetime | dt.date | None = None

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, dt.datetime)

    @property
    def first_day(self) -> dt.date:
        return self.start.date() if isinstance(self.start, dt.datetime) else self.start

    @property
    def last_day(self) -> dt.date:
        end = self.end or self.start
        return end.date() if isinstance(end, dt.datetime) else end


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    path: Path
    title: Msg
    summary: Msg
    category: str
    body: Body
    audiences: tuple[str, ...] = ()
    languages_spoken: tuple[str, ...] = ()
    organiser: str | None = None  # an organisation id
    contacts: tuple[str, ...] = ()
    address: Address | None = None
    online: bool = False
    online_url: str | None = None
    cost: Msg | None = None
    cost_free: bool = False
    registration: Registration | None = None
    when: Occurrence | None = None  # a single date or range, or …
    recurrence: Recurrence | None = None  # … a series
    upcoming: tuple[Occurrence, ...] = ()  # its dates from the build date on (a series: the next ones)
    draft: bool = False

    kind = "event"

    @property
    def month(self) -> dt.date:
        """The first day of the month of its next date: the listing groups events by it."""
        return (self.upcoming[0].first_day if self.upcoming else dt.date.max).replace(day=1)

    def messages(self) -> list[Msg]:
        return _listed_texts(self, ())


@dataclass(frozen=True, slots=True)
class Organisation:
    id: str
    path: Path
    name: str  # a proper name, never translated
    kind_key: str
    description: Msg | None = None
    address: Address | None = None
    website: str | None = None
    email: str | None = None
    phone: Phone | None = None
    contacts: tuple[str, ...] = ()
    languages_spoken: tuple[str, ...] = ()
    city: str | None = None  # the address's city, or ``city:`` alone for one that publishes no address

    kind = "organisation"

    def messages(self) -> list[Msg]:
        found = [self.description] if self.description else []
        if self.address and self.address.room:
            found.append(self.address.room)
        return found


Entry = Offer | Contact | Page | Event | Organisation


@dataclass(frozen=True)  # no slots: cached_property needs an instance __dict__
class Content:
    """Everything read from ``content/``, validated and cross-checked; only published entries."""

    site: SiteConfig
    offers: tuple[Offer, ...]
    contacts: tuple[Contact, ...]
    pages: tuple[Page, ...]
    events: tuple[Event, ...] = ()  # upcoming ones, by their next date
    organisations: tuple[Organisation, ...] = ()
    has_events: bool = False  # content/events/ has entries (past ones too): the events pages and feed exist

    def entries(self) -> list[Entry]:
        return [*self.offers, *self.contacts, *self.pages, *self.events, *self.organisations]

    @cached_property
    def organisations_by_id(self) -> dict[str, Organisation]:
        return {o.id: o for o in self.organisations}

    @cached_property
    def offers_by_organisation(self) -> dict[str, tuple[Offer, ...]]:
        """The offers whose ``provider`` is an organisation's id."""
        found: dict[str, list[Offer]] = {}
        for offer in self.offers:
            if offer.provider in self.organisations_by_id:
                found.setdefault(offer.provider, []).append(offer)
        return {oid: tuple(offers) for oid, offers in found.items()}

    @cached_property
    def events_by_organisation(self) -> dict[str, tuple[Event, ...]]:
        found: dict[str, list[Event]] = {}
        for event in self.events:
            if event.organiser:
                found.setdefault(event.organiser, []).append(event)
        return {oid: tuple(events) for oid, events in found.items()}

    @cached_property
    def contacts_by_id(self) -> dict[str, Contact]:
        return {c.id: c for c in self.contacts}

    @cached_property
    def offers_by_contact(self) -> dict[str, tuple[Offer, ...]]:
        """The offers naming each contact, in the order of ``offers``."""
        found: dict[str, list[Offer]] = {}
        for offer in self.offers:
            for cid in offer.contacts:
                found.setdefault(cid, []).append(offer)
        return {cid: tuple(offers) for cid, offers in found.items()}

    @cached_property
    def published(self) -> frozenset[tuple[str, str]]:
        """(folder, id) of every entry on the site, e.g. ("offers", "hausaufgabenhilfe")."""
        return frozenset(
            [("offers", o.id) for o in self.offers] + [("contacts", c.id) for c in self.contacts] + [("pages", p.id) for p in self.pages]
            + [("events", e.id) for e in self.events] + [("organisations", o.id) for o in self.organisations]
        )


def _listed_texts(entry: Offer | Event, hours: tuple[Slot, ...]) -> list[Msg]:
    """The translatable texts of an offer or an event, in the order the page shows them."""
    found = [entry.title, entry.summary]
    if entry.address and entry.address.room:
        found.append(entry.address.room)
    found += [slot.note for slot in hours if slot.note]
    if entry.cost:
        found.append(entry.cost)
    if entry.registration and entry.registration.note:
        found.append(entry.registration.note)
    return found + list(entry.body.segments)
