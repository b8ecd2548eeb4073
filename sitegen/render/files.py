"""Every file of the site, planned before any is written.

Each file is an OutputFile: its path below the site's root, what produces it (named in
messages) and how to make its bytes. The whole list is checked once, before anything is
written: no two producers may claim one path, and none may write outside the site.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..calendars import event_ics, events_feed, offer_ics
from ..clock import calendar_stamp
from ..formats import vcard
from ..media import media_files
from ..output import DuplicateOutput
from ..plan import SitePlan
from ..project import Project
from ..routes import Routes
from ..sitefiles import robots, sitemap
from ..symlinks import regular_files
from ..theme import Theme
from .renderer import NOT_FOUND_TEMPLATE, ROOT_TEMPLATE, Renderer


@dataclass(frozen=True, slots=True)
class OutputFile:
    path: str  # below the site's root, with '/' between folders
    producer: str  # what makes it, as a message names it: "page de/offers/x/", "themes/default/static/a.css"
    make: Callable[[], bytes]


def site_files(renderer: Renderer, project: Project, plan: SitePlan) -> list[OutputFile]:
    """The pages of the plan, then every other file: downloads, root and 404 pages, sitemap, robots.txt,
    content/media/ and the theme's static files."""
    files = [OutputFile(page.output, f"page /{page.url}", partial(renderer.page, page)) for page in plan.pages]
    stamp = calendar_stamp()  # read once: every calendar of one build carries the same DTSTAMP
    files += download_files(renderer, plan, stamp)
    files += event_files(renderer, plan, stamp)
    site, routes = project.content.site, plan.routes
    root_page = renderer.context(site.source_language, "")
    # The 404 page is served at any address, so its links start at the site's base path.
    not_found = renderer.context(site.source_language, "", up=routes.base_path)
    files += [
        OutputFile(routes.root_page, "the root page", partial(renderer.render, ROOT_TEMPLATE, root_page, "")),
        OutputFile(routes.not_found, "the 404 page",
                   partial(renderer.render, NOT_FOUND_TEMPLATE, not_found, routes.not_found)),
        OutputFile(routes.sitemap, "the sitemap", partial(sitemap, site, plan)),
        OutputFile(routes.robots, "robots.txt", partial(robots, site, plan)),
    ]  # fmt: skip
    media = media_files(site.root / "content")  # content/media/, published at /media/
    files += [OutputFile(name, project.report.rel(path), path.read_bytes) for name, path in media.items()]
    return files + static_files(project.theme, project.report.rel)


def download_files(renderer: Renderer, plan: SitePlan, stamp: dt.datetime) -> list[OutputFile]:
    """Every offer's calendar and every contact's vCard, in every language."""
    view, routes = renderer.view, plan.routes
    found = []
    for lang, language in view.languages.items():
        for offer in view.content.offers:
            if offer.dates:
                page_url = routes.absolute(routes.path(lang, Routes.entry(offer)))
                make = partial(offer_ics, offer, view.site, language, page_url, stamp)
                path = routes.path(lang, Routes.download(offer))
                found.append(OutputFile(path, f"calendar of offer {offer.id}", make))
        for contact in view.content.contacts:
            path = routes.path(lang, Routes.download(contact))
            make = partial(vcard, contact, view.site, language, routes.absolute(path))
            found.append(OutputFile(path, f"vCard of contact {contact.id}", make))
    return found


def event_files(renderer: Renderer, plan: SitePlan, stamp: dt.datetime) -> list[OutputFile]:
    """Every event's calendar, and each language's feed of all upcoming events (when the site has events)."""
    view, routes = renderer.view, plan.routes
    if not view.content.has_events:
        return []
    found = []
    for lang, language in view.languages.items():
        urls = {e.id: routes.absolute(routes.path(lang, Routes.entry(e))) for e in view.content.events}
        for event in view.content.events:
            make = partial(event_ics, event, view.site, language, urls[event.id], stamp)
            found.append(OutputFile(routes.path(lang, Routes.download(event)), f"calendar of event {event.id}", make))
        # Translators never see this name as a message of its own: the site's title, then "Events"
        name = f"{language.publish(view.site.title).text} – {language.ui.gettext('Events')}"
        make = partial(events_feed, view.content.events, view.site, language, urls, stamp, name)
        found.append(OutputFile(routes.path(lang, Routes.events_feed), "the events feed", make))
    return found


def static_files(theme: Theme, rel: Callable[[Path], str]) -> list[OutputFile]:
    """The theme's static files; a project theme's file replaces the default theme's of the same name."""
    found: dict[str, Path] = {}
    for folder in theme.static_dirs:
        for path in regular_files(folder):  # links were refused before the build; never followed
            found[Routes.static(path.relative_to(folder).as_posix())] = path
    return [OutputFile(name, rel(found[name]), found[name].read_bytes) for name in sorted(found)]


def check_paths(files: list[OutputFile]) -> None:
    """Raise DuplicateOutput, naming both producers, when two files claim one path or one lies outside the site."""
    producers: dict[str, str] = {}
    for file in files:
        parts = file.path.split("/")
        if file.path.startswith("/") or "\\" in file.path or any(part in ("", ".", "..") for part in parts):
            raise DuplicateOutput(f"{file.path!r} ({file.producer}) would lie outside the site")
        if file.path in producers:
            twice = f"by {producers[file.path]} and by {file.producer}"
            raise DuplicateOutput(f"{file.path} would be written twice: {twice}")
        producers[file.path] = file.producer
