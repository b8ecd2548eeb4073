"""schema.org JSON-LD for offers, contacts and the publisher: plain data, which templates get
through ``view.ld`` (sitegen.render.view.LinkedData).

Each function returns a dict for ``json.dumps``; the page template writes it inside
``<script type="application/ld+json">`` through the ``tojson_ld`` filter, which escapes it for
that place. Texts come in already translated (or German), so nothing here knows about languages.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from .model import Address, Contact, Event, Offer, Organisation, SiteConfig, Slot

_SCHEMA_DAYS = {"mo": "Monday", "tu": "Tuesday", "we": "Wednesday", "th": "Thursday", "fr": "Friday",
                "sa": "Saturday", "su": "Sunday"}  # fmt: skip


def _postal(addr: Address | None, site: SiteConfig) -> dict[str, Any] | None:
    if not addr:
        return None
    found = {"@type": "PostalAddress", "streetAddress": addr.street, "postalCode": addr.postal_code,
             "addressLocality": addr.city, "addressCountry": site.country}  # fmt: skip
    return found


def _opening_hours(slots: tuple[Slot, ...]) -> list[dict[str, Any]]:
    """Weekly slots only: schema.org has no way to say 'second Tuesday' or 'by appointment'."""
    return [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": [f"https://schema.org/{_SCHEMA_DAYS[d]}" for d in s.days],
         "opens": f"{s.start:%H:%M}", "closes": f"{s.end:%H:%M}"}  # fmt: skip
        for s in slots
        if s.days and not s.nth and s.start and s.end
    ]


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def publisher_ld(site: SiteConfig, title: str) -> dict[str, Any] | None:
    """The site's publisher as a schema.org Organization, with the WebSite it publishes (home page)."""
    pub = site.publisher
    if not pub:
        return None
    address = None
    if pub.street or pub.city:
        address = _clean({"@type": "PostalAddress", "streetAddress": pub.street, "postalCode": pub.postal_code,
                          "addressLocality": pub.city, "addressCountry": site.country})  # fmt: skip
    org = _clean({
        "@type": "Organization", "@id": f"{site.base_url}#publisher", "name": pub.name, "url": site.base_url,
        "address": address, "telephone": pub.phone.e164 if pub.phone else None, "email": pub.email,
    })  # fmt: skip
    website = {"@type": "WebSite", "@id": f"{site.base_url}#website", "name": title, "url": site.base_url,
               "inLanguage": list(site.languages), "publisher": {"@id": org["@id"]}}  # fmt: skip
    return {"@context": "https://schema.org", "@graph": [org, website]}


def contact_point(contact: Contact, role: str, url: str) -> dict[str, Any]:
    """How to reach a contact, as a schema.org ContactPoint."""
    return _clean({
        "@type": "ContactPoint", "name": contact.name or role, "contactType": role, "url": url,
        "telephone": contact.phone.e164 if contact.phone else None,
        "faxNumber": contact.fax.e164 if contact.fax else None, "email": contact.email,
        "availableLanguage": list(contact.languages_spoken), "hoursAvailable": _opening_hours(contact.hours),
    })  # fmt: skip


def contact_ld(contact: Contact, site: SiteConfig, role: str, url: str) -> dict[str, Any]:
    """A named contact as a schema.org Person with a ContactPoint; a role-only one as a ContactPoint."""
    point = contact_point(contact, role, url)
    if not contact.name:
        return {"@context": "https://schema.org", **point, "@id": f"{url}#contact"}
    org = _clean({"@type": "Organization", "name": contact.organisation, "url": contact.website})
    return _clean({
        "@context": "https://schema.org", "@type": "Person", "@id": f"{url}#person", "name": contact.name,
        "url": url, "jobTitle": role, "worksFor": org if contact.organisation else None,
        "telephone": contact.phone.e164 if contact.phone else None, "email": contact.email,
        "address": _postal(contact.address, site), "knowsLanguage": list(contact.languages_spoken),
        "contactPoint": point,
    })  # fmt: skip


def offer_ld(offer: Offer, site: SiteConfig, texts: dict[str, str], url: str, category: str,
             audiences: list[str], contacts: list[dict[str, Any]]) -> dict[str, Any]:  # fmt: skip
    """An offer: a schema.org Course with its dates when it has course dates, else a Service.

    ``texts`` has the published ``title``, ``summary`` and ``cost`` in the page's language;
    ``contacts`` are ContactPoints (see contact_point) of the offer's contacts.
    """
    place = None
    if offer.address:
        place = _clean({"@type": "Place", "name": offer.address.name, "address": _postal(offer.address, site)})
    provider = _clean({"@type": "Organization", "name": offer.provider, "contactPoint": contacts}) if offer.provider else None
    price = _price(offer.cost_free, texts.get("cost"), url)
    audience = [{"@type": "Audience", "audienceType": a} for a in audiences]
    common = {
        "@context": "https://schema.org", "@id": f"{url}#offer", "name": texts["title"],
        "description": texts["summary"], "url": url, "provider": provider, "audience": audience, "offers": price,
    }  # fmt: skip
    if offer.dates:
        instances = [
            _clean({"@type": "CourseInstance", "courseMode": "onsite", "location": place,
                    "startDate": d.start.isoformat(timespec="minutes"),
                    "endDate": d.end.isoformat(timespec="minutes") if d.end else None})  # fmt: skip
            for d in offer.dates
        ]
        return _clean({**common, "@type": "Course", "about": category, "inLanguage": list(offer.languages_spoken),
                       "isAccessibleForFree": True if offer.cost_free else None, "hasCourseInstance": instances})  # fmt: skip
    channel = None
    if place or contacts:
        channel = _clean({"@type": "ServiceChannel", "serviceLocation": place,
                          "servicePhone": contacts[0] if contacts else None,
                          "availableLanguage": list(offer.languages_spoken)})  # fmt: skip
    return _clean({
        **common, "@type": "Service", "serviceType": category,
        "areaServed": offer.address.city if offer.address else None, "availableChannel": channel,
        "hoursAvailable": _opening_hours(offer.hours),
    })  # fmt: skip


# --- events and organisations ---------------------------------------------------------------
def _iso(value: Any, zone: Any) -> str:
    """A local date and time with the site's offset at that moment (schema.org wants ISO 8601)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=zone).isoformat(timespec="minutes")
    return value.isoformat()


def organisation_ld(org: Organisation, site: SiteConfig, description: str, url: str, kind: str,
                    contacts: list[dict[str, Any]]) -> dict[str, Any]:  # fmt: skip
    """An organisation of the network as a schema.org Organization."""
    return _clean({
        "@context": "https://schema.org", "@type": "Organization", "@id": f"{url}#organisation", "name": org.name,
        "description": description, "url": url, "sameAs": org.website, "email": org.email,
        "telephone": org.phone.e164 if org.phone else None, "address": _postal(org.address, site),
        "knowsLanguage": list(org.languages_spoken), "additionalType": kind, "contactPoint": contacts,
    })  # fmt: skip


def event_ld(event: Event, site: SiteConfig, texts: dict[str, str], url: str, organiser: dict[str, Any] | None,
             audiences: list[str], location: str) -> dict[str, Any]:  # fmt: skip
    """An event as a schema.org Event; a series as an Event with its schedule and next dates as subEvents.

    ``texts`` has the published ``title``, ``summary`` and ``cost``; ``organiser`` a short Organization.
    """
    zone = ZoneInfo(site.timezone)
    places: list[dict[str, Any]] = []
    if event.address:
        places.append(_clean({"@type": "Place", "name": event.address.name, "address": _postal(event.address, site)}))
    if event.online_url:
        places.append({"@type": "VirtualLocation", "url": event.online_url})
    mode = ("Mixed" if event.address else "Online") if event.online_url else "Offline"
    price = _price(event.cost_free, texts.get("cost"), url)
    first = event.upcoming[0] if event.upcoming else None
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Event", "@id": f"{url}#event", "name": texts["title"],
        "description": texts["summary"], "url": url, "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": f"https://schema.org/{mode}EventAttendanceMode",
        "location": places[0] if len(places) == 1 else places, "organizer": organiser, "offers": price,
        "inLanguage": list(event.languages_spoken), "isAccessibleForFree": True if event.cost_free else None,
        "audience": [{"@type": "Audience", "audienceType": a} for a in audiences],
        "startDate": _iso(first.start, zone) if first else None,
        "endDate": _iso(first.end, zone) if first and first.end else None,
    }  # fmt: skip
    if event.recurrence:
        rule = event.recurrence
        days = [f"https://schema.org/{_SCHEMA_DAYS[d]}" for d in rule.days]
        data["eventSchedule"] = _clean({
            "@type": "Schedule", "repeatFrequency": "P1M" if rule.monthly else "P1W", "byDay": days,
            "byMonthWeek": list(rule.nth) if rule.monthly else None, "startDate": rule.first.isoformat(),
            "endDate": rule.until.isoformat() if rule.until else None, "startTime": f"{rule.start:%H:%M}",
            "endTime": f"{rule.end:%H:%M}", "scheduleTimezone": site.timezone,
            "exceptDate": [d.isoformat() for d in rule.excluded],
        })  # fmt: skip
        data["subEvent"] = [
            {"@type": "Event", "name": texts["title"], "startDate": _iso(o.start, zone), "endDate": _iso(o.end, zone)}
            for o in event.upcoming if o.end
        ]  # fmt: skip
    return _clean(data)


def _price(free: bool, cost: str | None, url: str) -> dict[str, Any] | None:
    """schema.org ``offers`` of an offer or event: free of charge, or its published cost text."""
    if free:
        return {"@type": "Offer", "price": "0", "priceCurrency": "EUR", "url": url}
    if cost:
        return {"@type": "Offer", "description": cost, "url": url}
    return None
