"""Stage 4: render planned pages to HTML with Jinja, one language context per language."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from .body import render_body
from .catalog import LanguageCatalog, UiTranslations
from .content import content_link_target
from .localize import Localizer
from .model import KIND_FOLDERS, Body, Content, Msg, Offer, entry_route
from .plan import PlannedPage, SitePlan
from .theme import TemplateLoader


@dataclass(frozen=True)
class Language:
    """Everything a page needs to speak one language: content translations, UI strings, formats."""

    code: str
    catalog: LanguageCatalog | None  # None for the source language
    fmt: Localizer
    missing_by_route: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def ui(self) -> UiTranslations:
        return self.fmt.ui

    @property
    def rtl(self) -> bool:
        return self.fmt.direction == "rtl"

    def translate(self, msgid: str) -> str | None:
        """The published text of a message: the translation, or None when German must show."""
        if self.catalog is None:
            return msgid
        return self.catalog.get(msgid)

    def missing(self, messages: list[Msg]) -> int:
        if self.catalog is None:
            return 0
        return sum(1 for m in messages if m.text and self.catalog.get(m.text) is None)


FOLDER_KINDS = {folder: kind for kind, folder in KIND_FOLDERS.items()}


def make_environment(template_dirs: list[Path]) -> jinja2.Environment:
    """One Jinja environment per build: the project's theme first, then the default theme."""
    env = jinja2.Environment(
        loader=TemplateLoader([str(d) for d in template_dirs]),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.newstyle_gettext = True  # type: ignore[attr-defined]  # what install_gettext_callables sets
    env.filters["tojson_ld"] = _json_ld
    return env


def _json_ld(data: Any) -> Markup:
    """JSON-LD safe inside <script>: no '</script>' or '<!--' can end or change the element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # These characters only occur inside JSON strings, where \uXXXX means the same character.
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return Markup(text)


class PageContext:
    """The helpers a template calls; one per rendered page, so links can be relative to it."""

    def __init__(self, md: MarkdownIt, content: Content, plan: SitePlan, languages: dict[str, Language],
                 lang: str, page_url: str) -> None:  # fmt: skip
        self.md, self.content, self.plan, self.languages = md, content, plan, languages
        self.language = language = languages[lang]
        self.lang = lang
        self.prefix = "../" * page_url.count("/")
        self._fallback = f'lang="{content.site.source_language}"' + (' dir="ltr"' if language.rtl else "")

    # --- addresses ---------------------------------------------------------------------
    def url(self, route: str, lang: str | None = None) -> str:
        """Relative link to a route of this (or another) language: works under any base path."""
        return f"{self.prefix}{lang or self.lang}/{route}"

    def root(self, path: str) -> str:
        return f"{self.prefix}{path}"

    def absolute(self, route: str, lang: str | None = None) -> str:
        return f"{self.content.site.base_url}{lang or self.lang}/{route}"


    # --- text --------------------------------------------------------------------------
    def t(self, msg: Msg | None) -> Markup:
        """A translatable text; German in a lang="de" element when no translation is usable."""
        if msg is None:
            return Markup("")
        text = self.language.translate(msg.text)
        if text is None:
            return Markup(f"<span {self._fallback}>{escape(msg.text)}</span>")
        return escape(text)

    def plain(self, msg: Msg | None) -> str:
        """A translatable text as plain text, for attributes and <title>."""
        if msg is None:
            return ""
        return self.language.translate(msg.text) or msg.text

    def body(self, body: Body, source_path: Path) -> Markup:
        folder = source_path.parent.name
        published = self.content.published

        def resolve(href: str) -> str:
            target = content_link_target(href, folder)
            if target is None:
                return href
            target_folder, _, name = target.partition("/")
            entry_id = name.rsplit(".", 1)[0]
            fragment = urlsplit(href).fragment
            route = entry_route(FOLDER_KINDS[target_folder], entry_id)
            if (target_folder, entry_id) not in published:
                route = "offers/"  # the target is a draft or has expired
            return self.url(route) + (f"#{fragment}" if fragment else "")

        return Markup(render_body(self.md, body, self.language.translate, resolve, self._fallback))

    def missing(self, page: PlannedPage, lang: str | None = None) -> int:
        """How many texts of a page have no usable translation in ``lang`` (default: this page's)."""
        language = self.languages[lang or self.lang]
        # Every page asks this for all languages (the switcher); each answer is computed once.
        if page.route not in language.missing_by_route:
            language.missing_by_route[page.route] = language.missing(page_messages(self.content, page))
        return language.missing_by_route[page.route]

    def label(self, kind: str, key: str) -> Markup:
        """A taxonomy label (category, audience), a spoken language's or a city's name."""
        if kind == "language":
            return escape(self.language.fmt.language_name(key))
        if kind == "city":
            return escape(self.plan.city_names.get(key, key))
        table = self.content.site.categories if kind == "category" else self.content.site.audiences
        return self.t(table.get(key))


def render_page(env: jinja2.Environment, ctx: PageContext, page: PlannedPage, extra: dict[str, Any]) -> str:
    """HTML of one planned page; pages render independently of each other."""
    return render_template(env, page.template, ctx, page=page, **extra)


def render_template(env: jinja2.Environment, name: str, ctx: PageContext, **extra: Any) -> str:
    ui = ctx.language.ui
    gettext = _gettext(ui)
    return env.get_template(name).render(
        c=ctx, site=ctx.content.site, content=ctx.content, lang=ctx.lang, fmt=ctx.language.fmt,
        gettext=gettext, ngettext=_ngettext(ui), _=gettext, **extra,
    )  # fmt: skip


def _gettext(ui: UiTranslations) -> Any:
    @jinja2.pass_context
    def gettext(context: jinja2.runtime.Context, message: str, **variables: Any) -> str:
        return interface_text(ui.gettext(message), message, variables, context.eval_ctx.autoescape)

    return gettext


def _ngettext(ui: UiTranslations) -> Any:
    @jinja2.pass_context
    def ngettext(context: jinja2.runtime.Context, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        source = singular if num == 1 else plural
        return interface_text(ui.ngettext(singular, plural, num), source, variables, context.eval_ctx.autoescape)

    return ngettext


def interface_text(translation: str, source: str, variables: dict[str, Any], autoescape: bool) -> str:
    """An interface string for a template: escaped text, filled in with escaped variables.

    Jinja's own i18n marks a translation as Markup, so a catalogue could add tags or attributes
    to every page; a translation can change words, never the page. When a translation doesn't
    format (a lone '%'; ``sitegen check`` reports it, the build leaves such a translation out)
    the English source is shown instead of failing the build.
    """
    text = escape(translation) if autoescape else translation
    if not variables:
        return text
    try:
        return text % variables
    except (KeyError, ValueError, TypeError, IndexError, OverflowError):
        fallback = escape(source) if autoescape else source
        return fallback % variables  # the theme's own string: an error here is the template's


def page_messages(content: Content, page: PlannedPage) -> list[Msg]:
    """The translatable texts a page shows, for its 'not yet translated' notice and the switcher."""
    site, entry = content.site, page.entry
    found = [site.title]
    if isinstance(entry, Offer):
        found += entry.messages() + [site.categories[entry.category]] + [site.audiences[a] for a in entry.audiences]
        found += [m for cid in entry.contacts for m in content.contacts_by_id[cid].messages()]
    elif entry is not None:
        found += entry.messages()
    elif page.listing:
        found += [m for o in page.listing.offers for m in (o.title, o.summary)]
        if page.listing.filter_kind in ("category", "audience"):
            table = site.categories if page.listing.filter_kind == "category" else site.audiences
            found.append(table[page.listing.filter_key or ""])
    elif page.kind == "home":
        found += [m for m in (site.tagline,) if m] + list(site.categories.values())
    return found
