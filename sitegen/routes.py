"""The route table: every address of the site, and nowhere else.

A *route* is a page's address below its language, the same in every language: ``""`` (home),
``offers/``, ``offers/category/<key>/``, ``offers/<id>/``, ``contacts/<id>/``, ``<page-id>/``.
The table turns a route into each form its readers need:

* the file a page is written to (``de/offers/<id>/index.html``);
* a link relative to the page that links, so every link works under any base path;
* an absolute URL (canonical and alternate links, sitemap, vCard, calendar, JSON-LD);
* the path below the host (the 404 page, which is served at any address, and robots.txt).

Templates, the plan, the sitemap and the download files all ask here; none builds a path itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import urlsplit

from .model import Entry

# Where each kind of entry lives below a language: pages sit directly under it.
ENTRY_SECTIONS = {"offer": "offers/", "contact": "contacts/", "page": "", "event": "events/", "organisation": "organisations/"}
DOWNLOAD_SUFFIXES = {"offer": ".ics", "contact": ".vcf", "event": ".ics"}  # calendars, a contact's vCard


@dataclass(frozen=True, slots=True)
class Routes:
    """The route table of one site; ``base_url`` is site.yaml's, always ending with ``/``."""

    base_url: str

    # --- routes: addresses below a language ------------------------------------------------
    home: ClassVar[str] = ""
    search: ClassVar[str] = "search/"
    status: ClassVar[str] = "status/"

    @staticmethod
    def listing(filter_kind: str | None = None, filter_key: str | None = None, number: int = 1) -> str:
        """An offer listing: all offers, or one filter's (``offers/city/borken/``), page ``number``."""
        base = f"offers/{filter_kind}/{filter_key}/" if filter_kind else "offers/"
        return base if number == 1 else f"{base}page/{number}/"

    @staticmethod
    def events(filter_kind: str | None = None, filter_key: str | None = None) -> str:
        """The upcoming events, all or one filter's: ``events/``, ``events/category/<key>/``."""
        return f"events/{filter_kind}/{filter_key}/" if filter_kind else "events/"

    events_feed: ClassVar[str] = "events/events.ics"  # every upcoming event of a language, to subscribe to

    @staticmethod
    def organisations(filter_kind: str | None = None, filter_key: str | None = None) -> str:
        """The organisations, all or one filter's: ``organisations/``, ``organisations/kind/<key>/``."""
        return f"organisations/{filter_kind}/{filter_key}/" if filter_kind else "organisations/"

    @staticmethod
    def entry_of(kind: str, entry_id: str) -> str:
        """The page of an entry of ``kind`` (offer, contact, page): ``offers/<id>/``, ``<page-id>/``."""
        return f"{ENTRY_SECTIONS[kind]}{entry_id}/"

    @staticmethod
    def entry(entry: Entry) -> str:
        return Routes.entry_of(entry.kind, entry.id)

    @staticmethod
    def download_file(entry: Entry) -> str:
        """The name of an offer's calendar or a contact's vCard, which sits beside the entry's page."""
        return f"{entry.id}{DOWNLOAD_SUFFIXES[entry.kind]}"

    @staticmethod
    def download(entry: Entry) -> str:
        return Routes.entry(entry) + Routes.download_file(entry)

    # --- files of the site, below its root --------------------------------------------------
    root_page: ClassVar[str] = "index.html"  # offers the languages
    not_found: ClassVar[str] = "404.html"
    sitemap: ClassVar[str] = "sitemap.xml"
    robots: ClassVar[str] = "robots.txt"

    @staticmethod
    def static(name: str) -> str:
        """A file of the theme's static/ folder (``sitegen.css``), below the site's root."""
        return f"static/{name}"

    @staticmethod
    def path(lang: str, route: str) -> str:
        """A route of a language below the site's root: ``de/offers/<id>/``; ``de/`` for home."""
        return f"{lang}/{route}"

    @staticmethod
    def page_file(lang: str, route: str) -> str:
        """The file a page is written to: an ``index.html``, so any static host serves clean URLs."""
        return f"{Routes.path(lang, route)}index.html"

    # --- links ------------------------------------------------------------------------------
    @staticmethod
    def up_to_root(from_path: str) -> str:
        """The relative way from a page (its path below the root, ``de/offers/x/``) up to the root."""
        return "../" * from_path.count("/")

    def absolute(self, path: str = "") -> str:
        """The URL of a path below the site's root; the site's own URL for ``""``."""
        return f"{self.base_url}{path}"

    @property
    def base_path(self) -> str:
        """The site's root on its host: ``/`` or, for ``https://example.github.io/site/``, ``/site/``."""
        return urlsplit(self.base_url).path or "/"

    def from_host(self, path: str = "") -> str:
        """A path below the site's root as seen from the host's root: ``/site/de/status/``."""
        return f"{self.base_path}{path}"
