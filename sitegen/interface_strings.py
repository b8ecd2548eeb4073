"""The theme's interface strings (English msgids, with plural forms), translated per language."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog

from .errors import Report
from .message_checks import format_problem
from .pofile import read_catalog
from .poheader import PluralRule, rule_of


@dataclass(frozen=True, slots=True)
class PluralTranslation:
    """The forms of one plural message and the rule of the catalogue it comes from.

    Each catalogue's own Plural-Forms header decides which form is which (GNU gettext's French
    rule has two forms, CLDR's three), so a form is always picked by the rule it was written for.
    """

    forms: tuple[str, ...]
    rule: PluralRule

    def pick(self, n: int) -> str | None:
        """The form for ``n``; None when that form is missing (not translated yet)."""
        index = self.rule.index(n)
        return self.forms[index] if index < len(self.forms) and self.forms[index] else None


def plural_rule(catalog: Catalog) -> PluralRule:
    """The rule of a catalogue's own Plural-Forms header (checked before it was read)."""
    return rule_of(catalog.plural_forms) or PluralRule(2, "(n != 1)")


class UiTranslations:
    """Interface strings (English msgids, with plurals) for one language, as gettext does."""

    def __init__(self, singular: dict[str, str], plural: dict[str, PluralTranslation]) -> None:
        self.singular, self.plural = singular, plural

    def with_strings(self, more: dict[str, str], more_plural: dict[str, PluralTranslation] | None = None) -> UiTranslations:
        """These translations with ``more`` (a project theme's own strings) taking precedence."""
        return UiTranslations({**self.singular, **more}, {**self.plural, **(more_plural or {})})

    def gettext(self, message: str) -> str:
        return self.singular.get(message) or message

    def pgettext(self, context: str, message: str) -> str:
        """A string with a msgctxt (stored as gettext does, context + EOT + message)."""
        return self.singular.get(f"{context}\x04{message}") or message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        found = self.plural.get(singular)
        if found and all(found.forms) and (form := found.pick(n)) is not None:
            return form
        return singular if n == 1 else plural


def load_ui(paths: Iterable[Path], lang: str, report: Report) -> UiTranslations:
    """Interface translations for ``lang`` from several .po files; later files win."""
    singular: dict[str, str] = {}
    plural: dict[str, PluralTranslation] = {}
    for path in paths:
        if not path.is_file():
            continue
        catalog = read_catalog(path, lang, report)
        if catalog is None:
            continue
        rule = plural_rule(catalog)
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            if problem := _format_problem(message.id, message.string):
                report.warn(path, int(message.lineno or 0), f"{problem}; the English text is shown instead")
                continue
            if isinstance(message.id, tuple):
                plural[message.id[0]] = PluralTranslation(tuple(message.string), rule)
            elif message.string:
                singular[f"{message.context}\x04{message.id}" if message.context else message.id] = message.string
    return UiTranslations(singular, plural)


def _format_problem(msgid: str | tuple[str, ...], msgstr: str | tuple[str, ...]) -> str | None:
    """Why an interface translation can't be %-formatted the way templates format it, or None."""
    if isinstance(msgid, tuple):
        source = " ".join(msgid)
        return next((p for form in msgstr if form and (p := format_problem(source, form, plural=True))), None)
    return format_problem(msgid, msgstr) if isinstance(msgstr, str) and msgstr else None
