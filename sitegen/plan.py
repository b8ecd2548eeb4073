"""Stage 3: the site plan — every page in every language, with its address, before anything renders.

Language is a field of each page: one plan holds all languages, and the same route exists in each.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from .model import Contact, Content, Offer, Page
from .routes import Routes

PER_PAGE = 20
_FILTERS = ("category", "audience", "language", "city")


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
    entry: Offer | Contact | Page | None = None
    listing: Listing | None = None
    noindex: bool = False

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
    entry: Offer | Contact | Page | None = None
    listing: Listing | None = None
    noindex: bool = False

    def in_language(self, lang: str) -> PlannedPage:
        return PlannedPage(lang, self.route, self.template, self.kind, self.entry, self.listing, self.noindex)


@dataclass(frozen=True, slots=True)
class SitePlan:
    pages: tuple[PlannedPage, ...]
    filters: dict[str, dict[str, tuple[Offer, ...]]] = field(hash=False)  # kind -> key -> offers
    city_names: dict[str, str] = field(hash=False)  # city slug -> city as written
    routes: Routes


def slug(text: str) -> str:
    """ASCII address part of a name: 'Sankt Augustin' -> sankt-augustin, 'Köln' -> koeln."""
    text = text.lower().translate(str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}))
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
    specs.append(PageSpec(Routes.search, "search.html", "search", noindex=True))
    specs.append(PageSpec(Routes.status, "status.html", "status", noindex=True))
    pages = tuple(spec.in_language(lang) for lang in content.site.languages for spec in specs)
    return SitePlan(pages, filters, city_names, Routes(content.site.base_url))


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
    for offer in offers:
        groups["category"][offer.category].append(offer)
        for key in offer.audiences:
            groups["audience"][key].append(offer)
        for code in offer.languages_spoken:
            groups["language"][code].append(offer)
        if offer.address:
            city_names.setdefault(slug(offer.address.city), offer.address.city)
            groups["city"][slug(offer.address.city)].append(offer)
    ordered = {kind: {key: tuple(members[key]) for key in sorted(members)} for kind, members in groups.items()}
    return ordered, city_names
