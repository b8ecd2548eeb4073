"""Stage 3: the site plan — every page in every language, with its address, before anything renders.

Language is a field of each page: one plan holds all languages, and the same route exists in each.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from .model import Contact, Content, Offer, Page

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
    route: str  # "" for home, "offers/x/" …; without the language prefix
    template: str
    kind: str  # home, offers, offer, contact, page, status, search
    entry: Offer | Contact | Page | None = None
    listing: Listing | None = None
    noindex: bool = False

    @property
    def url(self) -> str:
        """Address below the site root, e.g. ``de/offers/x/``."""
        return f"{self.lang}/{self.route}"

    @property
    def output(self) -> str:
        return f"{self.url}index.html"


@dataclass(frozen=True, slots=True)
class SitePlan:
    pages: tuple[PlannedPage, ...]
    filters: dict[str, dict[str, tuple[Offer, ...]]] = field(hash=False)  # kind -> key -> offers
    city_names: dict[str, str] = field(hash=False)  # city slug -> city as written


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
    routes: list[tuple[str, str, str, object, Listing | None, bool]] = [("", "home.html", "home", None, None, False)]
    routes += _listing_routes("offers/", offers, None, None)
    for kind, groups in filters.items():
        for key, members in groups.items():
            routes += _listing_routes(f"offers/{kind}/{key}/", members, kind, key)
    routes += [(o.route, "offer.html", "offer", o, None, False) for o in offers]
    routes += [(c.route, "contact.html", "contact", c, None, False) for c in content.contacts]
    routes += [(p.route, "page.html", "page", p, None, False) for p in content.pages]
    routes.append(("search/", "search.html", "search", None, None, True))
    routes.append(("status/", "status.html", "status", None, None, True))
    pages = tuple(
        PlannedPage(lang, route, template, kind, entry, listing, noindex)  # type: ignore[arg-type]
        for lang in content.site.languages
        for route, template, kind, entry, listing, noindex in routes
    )
    return SitePlan(pages, filters, city_names)


def _listing_routes(base: str, offers: tuple[Offer, ...], kind: str | None, key: str | None) -> list:
    count = max(1, -(-len(offers) // PER_PAGE))
    found = []
    for number in range(1, count + 1):
        chunk = offers[(number - 1) * PER_PAGE : number * PER_PAGE]
        route = base if number == 1 else f"{base}page/{number}/"
        listing = Listing(chunk, kind, key, number, count, len(offers))
        # Filtered and later pages are for people, not for search engines' index.
        found.append((route, "offers.html", "offers", None, listing, kind is not None or number > 1))
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
