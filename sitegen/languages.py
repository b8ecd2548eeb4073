"""One language of the site: what it publishes, and how German shows where a translation is missing.

A translation is published only when it is present, not fuzzy and passes the checks; otherwise
the German source shows, marked as German (``lang="de"``, and ``dir="ltr"`` on right-to-left
pages) so that screen readers and browsers read it right. That rule lives here and nowhere else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from .interface_strings import PluralTranslation, UiTranslations
from .localize import Localizer
from .model import Msg


@dataclass(frozen=True, slots=True)
class LanguageCatalog:
    """The usable translations of one language, and what is missing from them."""

    lang: str
    path: Path
    exists: bool
    translated: dict[str, str]  # msgid -> msgstr, only present, not fuzzy and passing the checks
    fuzzy: frozenset[str]
    rejected: frozenset[str] = frozenset()  # present and not fuzzy, but failing a check (sitegen.checks)
    plural: dict[str, PluralTranslation] = field(default_factory=dict)  # a project theme's plural strings
    same_as_source: frozenset[str] = frozenset()  # the German text unchanged: shown as German (text_checks.is_copy)

    def get(self, msgid: str) -> str | None:
        """The translation to publish, or None: fuzzy, rejected and copied translations are never published."""
        return self.translated.get(msgid)


# A translator's isolate of a word of the other direction (message_checks.FREE_TAGS), in a text
# that is not Markdown (a title, a note): <bdi>…</bdi>, or with dir="ltr", "rtl" or "auto".
_ISOLATE = re.compile(r'<bdi(?: dir="(ltr|rtl|auto)")?>([^<>]*)</bdi>')
# Its plain-text form (the Unicode isolates the element stands for): LRI, RLI or FSI … PDI.
_ISOLATE_CONTROLS = {"ltr": "\u2066", "rtl": "\u2067", "auto": "\u2068", None: "\u2068"}


@dataclass(frozen=True, slots=True)
class Published:
    """A text as a page of one language publishes it, and the language it is in."""

    text: str  # plain text: a translator's <bdi>x</bdi> as FSI x PDI, for <title>, vCards, calendars
    lang: str
    fallback: bool  # True: the source (German) text, shown because no translation is usable
    written: str | None = None  # the translation as written, when it has <bdi> isolates

    @property
    def html(self) -> Markup:
        """The text for a page: escaped, a translator's <bdi> isolates kept as elements."""
        if self.written is None:
            return escape(self.text)
        out, last = Markup(""), 0
        for match in _ISOLATE.finditer(self.written):
            out += escape(self.written[last : match.start()])
            out += Markup('<bdi dir="{}">').format(match.group(1)) if match.group(1) else Markup("<bdi>")
            out += escape(match.group(2)) + Markup("</bdi>")
            last = match.end()
        return out + escape(self.written[last:])


@dataclass(frozen=True)
class Language:
    """Everything a page needs to speak one language: content translations, interface strings, formats."""

    code: str
    catalog: LanguageCatalog | None  # None for the source language
    fmt: Localizer
    source: str  # the site's source language, shown where a translation is missing

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

    def publish(self, msg: Msg | None) -> Published:
        """The text a page of this language shows for ``msg``: its translation, else the German source."""
        if msg is None or not msg.text:
            return Published("", self.code, False)
        text = self.translate(msg.text)
        if text is None:
            return Published(msg.text, self.source, True)
        if "<bdi" in text and _ISOLATE.search(text):
            plain = _ISOLATE.sub(lambda m: f"{_ISOLATE_CONTROLS[m.group(1)]}{m.group(2)}\u2069", text)
            return Published(plain, self.code, False, text)
        return Published(text, self.code, False)

    @property
    def source_attributes(self) -> Markup:
        """The attributes of an element that holds German on this language's pages."""
        return Markup('lang="{}"').format(self.source) + Markup(' dir="ltr"' if self.rtl else "")

    def missing(self, texts: Iterable[Msg]) -> int:
        """How many of ``texts`` show in German on this language's pages."""
        if self.catalog is None:
            return 0
        return sum(1 for m in texts if m.text and self.catalog.get(m.text) is None)
