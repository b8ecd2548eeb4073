"""What a page shows: the translatable texts a reader sees on it, defined once.

The page's 'not yet translated' notice, the language switcher's 'partly translated' mark, the
status page and ``sitegen status`` all count these texts, so they always agree. A page shows
more than its own entry's texts: an offer's page shows its contacts' roles and its category and
audience labels, a contact's page the cards of its offers. Each text comes with the file it
stands in, so a translator can find it.

Links to other pages (the navigation, the footer, the status page's list) are not counted: each
of those pages counts its own title. The site's title stands in every page's header; every page
counts it, and the status page lists it once, under site.yaml.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .model import Contact, Content, Entry, Event, Msg, Offer, Organisation
from .plan import HOME_EVENTS, Group, Listing, PlannedPage, SitePlan

LABELLED_FILTERS = ("category", "audience")  # their labels are messages; languages and cities are names


@dataclass(frozen=True, slots=True)
class Shown:
    """One translatable text on a page, and the content file it stands in."""

    msg: Msg
    path: Path


def content_messages(content: Content) -> Iterator[tuple[Msg, Path]]:
    """Every translatable text of the published content, with the file it stands in: what the
    catalogues offer translators and what the coverage counts, whichever page shows it."""
    for msg in content.site.messages():
        yield msg, content.site.path
    for entry in content.entries():
        for msg in entry.messages():
            yield msg, entry.path


def page_texts(content: Content, plan: SitePlan, page: PlannedPage) -> tuple[Shown, ...]:
    """Every translatable text of ``page``: the site's title in its header, then the page's own."""
    site = content.site
    found = [Shown(site.title, site.path)]
    if page.entry is not None:
        found += entry_texts(content, page.entry)
    elif page.listing is not None:
        found += _listing(content, plan, page.listing)
    elif page.group is not None:
        found += _group(content, plan, page.group)
    elif page.kind == "home":
        found += [Shown(site.tagline, site.path)] if site.tagline else []
        found += _filter_labels(content, plan, LABELLED_FILTERS)
        found += _cards(content, content.events[:HOME_EVENTS])
    elif page.kind == "search":  # its list of topics, for readers without JavaScript
        found += _filter_labels(content, plan, ("category",))
    return tuple(found)


def entry_texts(content: Content, entry: Entry) -> list[Shown]:
    """What the page of ``entry`` shows besides the site's title: its own texts, then linked ones."""
    found = [Shown(msg, entry.path) for msg in entry.messages()]
    if isinstance(entry, Offer):
        found += _labels(content, entry)
        found += _roles(content, entry.contacts)  # a contact's card shows its role and office hours
    elif isinstance(entry, Contact):  # a contact: the cards of its offers
        found += _cards(content, content.offers_by_contact.get(entry.id, ()))
    elif isinstance(entry, Event):
        found += _labels(content, entry)
        found += _roles(content, entry.contacts)
    elif isinstance(entry, Organisation):
        if entry.kind_key in content.site.organisation_kinds:
            found.append(Shown(content.site.organisation_kinds[entry.kind_key], content.site.path))
        found += _roles(content, entry.contacts)
        found += _cards(content, content.offers_by_organisation.get(entry.id, ()))
        found += _cards(content, content.events_by_organisation.get(entry.id, ()))
    return found


def _roles(content: Content, contact_ids: tuple[str, ...]) -> list[Shown]:
    found = []
    for cid in contact_ids:
        contact = content.contacts_by_id.get(cid)
        if contact and contact.role:
            found.append(Shown(contact.role, contact.path))
        if contact:  # its card shows its office hours too
            found += [Shown(slot.note, contact.path) for slot in contact.hours if slot.note]
    return found


def _group(content: Content, plan: SitePlan, group: Group) -> list[Shown]:
    """An events or organisations listing: its cards, the label of its filter, the filters' labels."""
    site = content.site
    if group.section == "events":
        found = _cards(content, group.members)  # type: ignore[arg-type]
        tables = {"category": site.categories, "audience": site.audiences}
        filters = plan.event_filters
    else:
        found = []
        for org in group.members:
            found += [Shown(org.description, org.path)] if isinstance(org, Organisation) and org.description else []
            if isinstance(org, Organisation) and org.kind_key in site.organisation_kinds:
                found.append(Shown(site.organisation_kinds[org.kind_key], site.path))
        tables = {"kind": site.organisation_kinds}
        filters = plan.organisation_filters
    for kind, table in tables.items():
        found += [Shown(table[key], site.path) for key in filters.get(kind, {}) if key in table]
    return found


def _labels(content: Content, offer: Offer | Event) -> list[Shown]:
    site = content.site
    labels = [site.categories[offer.category], *(site.audiences[key] for key in offer.audiences)]
    return [Shown(label, site.path) for label in labels]


def _cards(content: Content, offers: Iterable[Offer | Event]) -> list[Shown]:
    """An offer's or event's card shows its title, its summary and its category's label."""
    site = content.site
    found = []
    for offer in offers:
        found += [Shown(offer.title, offer.path), Shown(offer.summary, offer.path)]
        found.append(Shown(site.categories[offer.category], site.path))
    return found


def _listing(content: Content, plan: SitePlan, listing: Listing) -> list[Shown]:
    found = _cards(content, listing.offers)
    if listing.filter_kind in LABELLED_FILTERS:
        table = content.site.categories if listing.filter_kind == "category" else content.site.audiences
        found.append(Shown(table[listing.filter_key or ""], content.site.path))
    return found + _filter_labels(content, plan, LABELLED_FILTERS)  # the filters beside the offers


def _filter_labels(content: Content, plan: SitePlan, kinds: tuple[str, ...]) -> list[Shown]:
    """The labels of the filters a page links to: those with at least one offer."""
    site = content.site
    tables = {"category": site.categories, "audience": site.audiences}
    return [Shown(tables[kind][key], site.path) for kind in kinds for key in plan.filters[kind]]
