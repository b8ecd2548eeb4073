"""One frozen view of the whole site, made once per build and handed to every template as ``view``.

A template sees its own page through ``c`` (sitegen.render.context) and the site through
``view``: the languages, the plan with its filters and routes, the indices templates look
things up in, the translation coverage for the status page, which pages show some German, and
schema.org linked data.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from ..calendars import location
from ..languages import Language
from ..linked_data import contact_ld, contact_point, event_ld, offer_ld, organisation_ld, publisher_ld
from ..model import Contact, Content, Event, Msg, Offer, Organisation, SiteConfig
from ..plan import PlannedPage, SitePlan
from ..project import Project
from ..routes import Routes
from ..shown import page_texts
from ..status import CoverageReport, coverage


@dataclass(frozen=True)
class SiteView:
    """Everything templates may know about the site besides the page they render."""

    content: Content
    languages: Mapping[str, Language]  # every language of the site, in the switcher's order
    plan: SitePlan
    coverage: CoverageReport  # the status page's numbers (sitegen.status)
    partly: frozenset[tuple[str, str]]  # (lang, route) of every page that shows some German: c.partly_translated

    @property
    def site(self) -> SiteConfig:
        return self.content.site

    @property
    def routes(self) -> Routes:
        return self.plan.routes

    @property
    def filters(self) -> dict[str, dict[str, tuple[Offer, ...]]]:
        """Filter kind -> key -> its offers, for every filter with at least one offer."""
        return self.plan.filters

    @property
    def contacts_by_id(self) -> dict[str, Contact]:
        return self.content.contacts_by_id

    @property
    def offers_by_contact(self) -> dict[str, tuple[Offer, ...]]:
        return self.content.offers_by_contact

    @property
    def ld(self) -> LinkedData:
        return LinkedData(self.content)


def site_view(project: Project, plan: SitePlan) -> SiteView:
    """The view of one build: what every page shows is counted here once, for all of them."""
    return SiteView(project.content, project.languages, plan, coverage(project), german_shown(project, plan, plan.pages))


def german_shown(project: Project, plan: SitePlan, pages: Iterable[PlannedPage]) -> frozenset[tuple[str, str]]:
    """(lang, route) for each route of ``pages`` that shows some German to readers of lang."""
    partly = set()
    counted: set[str] = set()
    for page in pages:  # a route's texts are the same in every language
        if page.route in counted:
            continue
        counted.add(page.route)
        texts = [shown.msg for shown in page_texts(project.content, plan, page)]
        partly.update((lang, page.route) for lang, language in project.languages.items() if language.missing(texts))
    return frozenset(partly)


class PageTexts(Protocol):
    """What linked data needs of a page's helpers (sitegen.render.context.PageContext)."""

    def plain(self, msg: Msg | None) -> str: ...

    def absolute(self, route: str, lang: str | None = None) -> str: ...


@dataclass(frozen=True, slots=True)
class LinkedData:
    """schema.org objects for templates, in the page's language: ``{{ view.ld.offer(c, offer)|tojson_ld }}``."""

    content: Content

    def publisher(self, c: PageTexts) -> dict[str, Any] | None:
        return publisher_ld(self.content.site, c.plain(self.content.site.title))

    def contact(self, c: PageTexts, contact: Contact) -> dict[str, Any]:
        return contact_ld(contact, self.content.site, c.plain(contact.role), c.absolute(Routes.entry(contact)))

    def offer(self, c: PageTexts, offer: Offer) -> dict[str, Any]:
        site = self.content.site
        texts = {"title": c.plain(offer.title), "summary": c.plain(offer.summary), "cost": c.plain(offer.cost)}
        points = self._points(c, offer.contacts)
        category = c.plain(site.categories.get(offer.category))
        audiences = [c.plain(site.audiences.get(a)) for a in offer.audiences]
        if offer.provider and (org := self.content.organisations_by_id.get(offer.provider)):
            offer = dataclasses.replace(offer, provider=org.name)  # an organisation's id: its name
        return offer_ld(offer, site, texts, c.absolute(Routes.entry(offer)), category, audiences, points)

    def _points(self, c: PageTexts, contact_ids: tuple[str, ...]) -> list[dict[str, Any]]:
        contacts = self.content.contacts_by_id
        return [
            contact_point(contacts[cid], c.plain(contacts[cid].role), c.absolute(Routes.entry(contacts[cid])))
            for cid in contact_ids
            if cid in contacts
        ]

    def organisation(self, c: PageTexts, org: Organisation) -> dict[str, Any]:
        site = self.content.site
        kind = c.plain(site.organisation_kinds.get(org.kind_key))
        return organisation_ld(org, site, c.plain(org.description), c.absolute(Routes.entry(org)), kind,
                               self._points(c, org.contacts))  # fmt: skip

    def event(self, c: PageTexts, event: Event, language: Any) -> dict[str, Any]:
        site = self.content.site
        texts = {"title": c.plain(event.title), "summary": c.plain(event.summary), "cost": c.plain(event.cost)}
        organiser = None
        if event.organiser and (org := self.content.organisations_by_id.get(event.organiser)):
            organiser = {"@type": "Organization", "name": org.name, "url": c.absolute(Routes.entry(org))}
        audiences = [c.plain(site.audiences.get(a)) for a in event.audiences]
        return event_ld(event, site, texts, c.absolute(Routes.entry(event)), organiser, audiences,
                        location(event, language))  # fmt: skip
