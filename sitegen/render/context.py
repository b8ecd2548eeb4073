"""What a template calls for the page it renders, as ``c``: links relative to the page, texts
in the page's language with German where a translation is missing, labels, the page's body.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import NamedTuple, TypeVar
from urllib.parse import urlsplit

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from ..body import BlockCache, render_body
from ..content import content_link_target
from ..media import media_target
from ..model import KIND_FOLDERS, Address, Body, Msg
from ..plan import Listing, PlannedPage, slug
from ..routes import Routes
from .view import SiteView

FOLDER_KINDS = {folder: kind for kind, folder in KIND_FOLDERS.items()}
T = TypeVar("T")


class FilterLink(NamedTuple):
    key: str
    url: str
    label: Markup
    count: int


class PageContext:
    """The helpers of one page in one language; made for each rendered page and file."""

    def __init__(
        self, view: SiteView, md: MarkdownIt, blocks: BlockCache, lang: str, path: str, up: str | None = None,
        made: dict[tuple[object, ...], tuple[tuple[object, ...], Markup]] | None = None,
        page: PlannedPage | None = None,
    ) -> None:  # fmt: skip
        """``path`` is the page's place below the site's root (``de/offers/x/``, ``""`` for the
        root page); ``up`` is how its links reach the root, by default relative to ``path``;
        ``blocks`` are the body blocks rendered so far and ``made`` the cards (see ``once``),
        both shared by every page of the process; ``page`` is the planned page rendered, if any."""
        self.view, self.md, self.blocks, self.lang, self.path = view, md, blocks, lang, path
        self.page = page
        self.made = {} if made is None else made
        self.language = view.languages[lang]
        self.up = Routes.up_to_root(path) if up is None else up
        self.source_attrs = self.language.source_attributes  # for elements holding German

    # --- addresses (see sitegen.routes) -----------------------------------------------------
    def url(self, route: str, lang: str | None = None) -> str:
        """A link to a route of this (or another) language: relative, so it works under any base path."""
        return self.up + Routes.path(lang or self.lang, route)

    def absolute(self, route: str, lang: str | None = None) -> str:
        return self.view.routes.absolute(Routes.path(lang or self.lang, route))

    def static(self, name: str) -> str:
        """A link to a file of the theme's static/ folder."""
        return self.up + Routes.static(name)

    def site_root(self) -> str:
        """A link to the site's root, which offers every language."""
        return self.up

    def once(self, macro: Callable[..., str], *args: object) -> Markup:
        """``macro(*args)``, made once per language and link depth and reused on every page of the
        process: for a macro whose output depends only on its arguments, the language and where
        links lead, such as a card (an offer's card stands on ~7 listings, a contact's on each of
        its offers' pages). Arguments count by identity; the page's ``c`` and ``fmt`` by language."""
        key = (getattr(macro, "name", macro), self.lang, self.up, *(id(a) for a in args if a is not self))
        found = self.made.get(key)
        if found is None:
            found = self.made[key] = (args, Markup(macro(*args)))  # the arguments kept alive: their ids stay theirs
        return found[1]

    # --- texts --------------------------------------------------------------------------------
    def t(self, msg: Msg | None) -> Markup:
        """A translatable text; German in an element marked as German when no translation is usable.
        A translator's ``<bdi>`` around a word of the other direction stays an element (languages.Published)."""
        if msg is None:
            return Markup("")
        published = self.language.publish(msg)
        if published.fallback:
            return Markup(f"<span {self.source_attrs}>{escape(published.text)}</span>")
        return published.html

    def plain(self, msg: Msg | None) -> str:
        """A translatable text as plain text, for attributes and <title>."""
        return self.language.publish(msg).text

    def body(self, body: Body, source_path: Path) -> Markup:
        """A Markdown body in this language; links to other entries lead to their pages in it."""
        folder = source_path.parent.name
        published = self.view.content.published

        def resolve(href: str) -> str:
            media = media_target(href, folder)
            if media is not None:  # an image or file of content/media/, at the site's /media/
                return self.up + media
            target = content_link_target(href, folder)
            if target is None:
                return href
            target_folder, _, name = target.partition("/")
            entry_id = name.rsplit(".", 1)[0]
            fragment = urlsplit(href).fragment
            route = Routes.entry_of(FOLDER_KINDS[target_folder], entry_id)
            if (target_folder, entry_id) not in published:
                route = Routes.listing()  # the target is a draft or has expired
            return self.url(route) + (f"#{fragment}" if fragment else "")

        return Markup(render_body(self.md, body, self.language.translate, resolve, self.source_attrs, self.blocks))

    def partly_translated(self, page: PlannedPage, lang: str | None = None) -> bool:
        """Whether ``page``, the page being rendered, shows some German in ``lang`` (default: its own
        language); see sitegen.shown.

        Only for the page being rendered: a page that told about other pages' German would have to
        be made again whenever any page of the site gained or lost a translation (sitegen.render.reuse).
        """
        if self.page is None or page.route != self.page.route:
            raise jinja2.TemplateRuntimeError("c.partly_translated(page) tells about the page being rendered only")
        return (lang or self.lang, page.route) in self.view.partly

    # --- labels and filters -------------------------------------------------------------------
    def label(self, kind: str, key: str) -> Markup:
        """A taxonomy label (category, audience), a spoken language's or a city's name."""
        if kind == "language":
            return escape(self.language.fmt.language_name(key))
        if kind == "city":
            return escape(self.view.plan.city_names.get(key, key))
        site = self.view.site
        if kind == "kind":  # an organisation's kind (site.yaml's organisation_kinds)
            return self.t(site.organisation_kinds.get(key))
        table = site.categories if kind == "category" else site.audiences
        return self.t(table.get(key))

    def by_label(self, kind: str, keys: Iterable[str]) -> list[str]:
        """Filter keys in the order of their labels in the page's language (accents ignored)."""

        def order(key: str) -> tuple[str, str]:
            label = str(self.label(kind, key).striptags())
            base = unicodedata.normalize("NFKD", label.casefold())
            return "".join(ch for ch in base if not unicodedata.combining(ch)), key

        return sorted(keys, key=order)

    def filter_links(self, kind: str) -> tuple[FilterLink, ...]:
        """The offer filter ``kind``'s links (key, url, label, count), in the order of their labels:
        the same on every listing page of a language and link depth, so made once for all of them."""
        routes, offers = self.view.routes, self.view.filters[kind]
        return self._made_once(("filter_links", kind), lambda: tuple(
            FilterLink(k, self.url(routes.listing(kind, k)), self.label(kind, k), len(offers[k]))
            for k in self.by_label(kind, offers)
        ))  # fmt: skip

    def page_urls(self, listing: Listing) -> tuple[str, ...]:
        """The links to each page of ``listing``'s series, the first page's first; made once per
        series, language and link depth (a series of 50 pages links all 50 from each of them)."""
        kind, key, routes = listing.filter_kind, listing.filter_key, self.view.routes
        return self._made_once(("page_urls", kind, key, listing.pages), lambda: tuple(
            self.url(routes.listing(kind, key, n)) for n in range(1, listing.pages + 1)
        ))  # fmt: skip

    def _made_once(self, what: tuple[object, ...], make: Callable[[], T]) -> T:
        """``make()``, kept for every page of this language and link depth in the process (see ``once``)."""
        key = (PageContext, *what, self.lang, self.up)  # never a macro's key: those start with its name
        if key not in self.made:
            self.made[key] = ((), make())  # type: ignore[assignment]
        return self.made[key][1]  # type: ignore[return-value]

    @staticmethod
    def city_key(address: Address | None) -> str:
        """The key of an address's city in the city filter ('' for none)."""
        return slug(address.city) if address else ""
