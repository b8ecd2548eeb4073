"""Stage 3: the site plan — every page in every language, with its address, before anything renders.

Language is a field of each page: one plan holds all languages, and the same route exists in each.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from .model import Contact, Content, Event, Offer, Organisation, Page
from .routes import Routes

PER_PAGE = 20
_FILTERS = ("category", "audience", "language", "city")
EVENT_FILTERS = ("category", "audience", "language", "city")
ORGANISATION_FILTERS = ("kind", "city", "language")
HOME_EVENTS = 3  # the next events on the home page


@dataclass(frozen=True, slots=True)
class Group:
    """Events or organisations shown on one listing page, with the filter it applies."""

    section: str  # events, organisations
    members: tuple[Event, ...] | tuple[Organisation, ...]
    filter_kind: str | None = None
    filter_key: str | None = None


@dataclass(frozen=True, slots=True)
class Listing:
    """Offers shown on one listing page, with the filter it applies and its pagination."""

    offers: tuple[Offer, ...]
    filter_kind: str | None = None  # category, audience, language, city
    filter_key: str | None = None
    number: int = 1
    pages: int = 1
    total: int = 0


@dataclass(frozen=True, slots=True)
class PlannedPage:
    """One HTML page of one language. ``route`` is the same in every language."""

    lang: str
    route: str  # "" for home, "offers/x/" …; without the language prefix (see sitegen.routes)
    template: str
    kind: str  # home, offers, offer, contact, page, status, search
    entry: Offer | Contact | Page | Event | Organisation | None = None
    listing: Listing | None = None
    noindex: bool = False
    group: Group | None = None  # an events or organisations listing

    @property
    def url(self) -> str:
        """Address below the site root, e.g. ``de/offers/x/``."""
        return Routes.path(self.lang, self.route)

    @property
    def output(self) -> str:
        return Routes.page_file(self.lang, self.route)


@dataclass(frozen=True, slots=True)
class PageSpec:
    """A page before it has a language: the plan makes one PlannedPage of it per language."""

    route: str
    template: str
    kind: str
    entry: Offer | Contact | Page | Event | Organisation | None = None
    listing: Listing | None = None
    noindex: bool = False
    group: Group | None = None

    def in_language(self, lang: str) -> PlannedPage:
        return PlannedPage(lang, self.route, self.template, self.kind, self.entry, self.listing, self.noindex, self.group)


@dataclass(frozen=True, slots=True)
class SitePlan:
    pages: tuple[PlannedPage, ...]
    filters: dict[str, dict[str, tuple[Offer, ...]]] = field(hash=False)  # kind -> key -> offers
    city_names: dict[str, str] = field(hash=False)  # city slug -> city as written
    routes: Routes
    # kind -> key -> members, like ``filters`` (category, audience, language, city; kind, city, language)
    event_filters: dict[str, dict[str, tuple[Event, ...]]] = field(default_factory=dict, hash=False)
    organisation_filters: dict[str, dict[str, tuple[Organisation, ...]]] = field(default_factory=dict, hash=False)


UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slug(text: str) -> str:
    """ASCII address part of a name: 'Sankt Augustin' -> sankt-augustin, 'Köln' -> koeln."""
    text = text.lower().translate(UMLAUTS)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def sort_offers(offers: tuple[Offer, ...] | list[Offer]) -> tuple[Offer, ...]:
    return tuple(sorted(offers, key=lambda o: (o.title.text.casefold(), o.id)))


def plan_site(content: Content) -> SitePlan:
    """All pages of the site in every language, in a stable order."""
    offers = sort_offers(content.offers)
    filters, city_names = _filters(content, offers)
    specs = [PageSpec(Routes.home, "home.html", "home")]
    specs += _listings(offers, None, None)
    for kind, groups in filters.items():
        for key, members in groups.items():
            specs += _listings(members, kind, key)
    specs += [PageSpec(Routes.entry(o), "offer.html", "offer", o) for o in offers]
    specs += [PageSpec(Routes.entry(c), "contact.html", "contact", c) for c in content.contacts]
    specs += [PageSpec(Routes.entry(p), "page.html", "page", p) for p in content.pages]
    event_filters, organisation_filters, extra = _events_and_organisations(content, city_names)
    specs += extra
    specs.append(PageSpec(Routes.search, "search.html", "search", noindex=True))
    specs.append(PageSpec(Routes.status, "status.html", "status", noindex=True))
    pages = tuple(spec.in_language(lang) for lang in content.site.languages for spec in specs)
    return SitePlan(pages, filters, city_names, Routes(content.site.base_url), event_filters, organisation_filters)


def _events_and_organisations(content: Content, city_names: dict[str, str]) -> tuple[dict, dict, list[PageSpec]]:
    """The events listing with its filter pages and a page per event (when content/events/ has
    any, past ones too: the listing and its feed stay where subscribers found them); likewise
    the organisations."""
    specs: list[PageSpec] = []
    event_groups: dict[str, dict[str, list[Event]]] = {k: defaultdict(list) for k in EVENT_FILTERS}
    for event in content.events:
        event_groups["category"][event.category].append(event)
        for key in event.audiences:
            event_groups["audience"][key].append(event)
        for code in event.languages_spoken:
            event_groups["language"][code].append(event)
        if event.address:
            city_names.setdefault(slug(event.address.city), event.address.city)
            event_groups["city"][slug(event.address.city)].append(event)
    event_filters = {kind: {key: tuple(m[key]) for key in sorted(m)} for kind, m in event_groups.items()}
    if content.has_events:
        specs.append(PageSpec(Routes.events(), "events.html", "events", group=Group("events", content.events)))
        for kind, groups in event_filters.items():
            for key, members in groups.items():
                specs.append(PageSpec(Routes.events(kind, key), "events.html", "events",
                                      group=Group("events", members, kind, key), noindex=True))  # fmt: skip
        specs += [PageSpec(Routes.entry(e), "event.html", "event", e) for e in content.events]
    orgs = tuple(sorted(content.organisations, key=lambda o: (o.name.casefold(), o.id)))
    org_groups: dict[str, dict[str, list[Organisation]]] = {k: defaultdict(list) for k in ORGANISATION_FILTERS}
    for org in orgs:
        if org.kind_key:
            org_groups["kind"][org.kind_key].append(org)
        for code in org.languages_spoken:
            org_groups["language"][code].append(org)
        if org.city:
            city_names.setdefault(slug(org.city), org.city)
            org_groups["city"][slug(org.city)].append(org)
    org_filters = {kind: {key: tuple(m[key]) for key in sorted(m)} for kind, m in org_groups.items()}
    if orgs:
        specs.append(PageSpec(Routes.organisations(), "organisations.html", "organisations", group=Group("organisations", orgs)))
        for kind, groups in org_filters.items():
            for key, members in groups.items():
                specs.append(PageSpec(Routes.organisations(kind, key), "organisations.html", "organisations",
                                      group=Group("organisations", members, kind, key), noindex=True))  # fmt: skip
        specs += [PageSpec(Routes.entry(o), "organisation.html", "organisation", o) for o in orgs]
    return event_filters, org_filters, specs


def _listings(offers: tuple[Offer, ...], kind: str | None, key: str | None) -> list[PageSpec]:
    count = max(1, -(-len(offers) // PER_PAGE))
    found = []
    for number in range(1, count + 1):
        chunk = offers[(number - 1) * PER_PAGE : number * PER_PAGE]
        listing = Listing(chunk, kind, key, number, count, len(offers))
        # Filtered and later pages are for people, not for search engines' index.
        found.append(PageSpec(Routes.listing(kind, key, number), "offers.html", "offers", listing=listing,
                              noindex=kind is not None or number > 1))  # fmt: skip
    return found


def _filters(content: Content, offers: tuple[Offer, ...]) -> tuple[dict[str, dict[str, tuple[Offer, ...]]], dict[str, str]]:
    groups: dict[str, dict[str, list[Offer]]] = {k: defaultdict(list) for k in _FILTERS}
    city_names: dict[str, str] = {}
    city_slugs: dict[str, str] = {}  # thousands of offers, a few dozen cities
    for offer in offers:
        groups["category"][offer.category].append(offer)
        for key in offer.audiences:
            groups["audience"][key].append(offer)
        for code in offer.languages_spoken:
            groups["language"][code].append(offer)
        if offer.address:
            city = offer.address.city
            key = city_slugs.get(city) or city_slugs.setdefault(city, slug(city))
            city_names.setdefault(key, city)
            groups["city"][key].append(offer)
    ordered = {kind: {key: tuple(members[key]) for key in sorted(members)} for kind, members in groups.items()}
    return ordered, city_names
