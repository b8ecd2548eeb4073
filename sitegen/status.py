"""Translation coverage: per language and per entry, which texts are published translated.

Counted per language are the messages the site actually uses (:func:`sitegen.shown.content_messages`),
each distinct msgid once. Counted per entry are the texts its page shows (:mod:`sitegen.shown`:
its own, its contacts' roles, its labels …), so an entry is complete exactly when its page has no
'not yet translated' notice for any reason but the site's title, which site.yaml's entry counts.
Every message of a target language is in exactly one state:

* ``translated`` — a translation is published;
* ``fuzzy`` — the German source changed since it was translated; German is shown until a
  translator reviews it (shown as "outdated" to readers);
* ``failed_check`` — a translation is there, but fails a check of ``sitegen check``
  (links, placeholders, unsafe HTML …); German is shown;
* ``untranslated`` — no translation yet; German is shown;
* ``same_as_source`` — the translation is the German text unchanged, not marked ``#, ignore-same``
  (sitegen.text_checks): German is shown, as German. The text table shows this column only when
  some language has such a copy.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.numbers import format_percent

from .languages import LanguageCatalog
from .model import Contact, Msg, Organisation
from .routes import Routes
from .shown import Shown, content_messages, entry_texts

if TYPE_CHECKING:
    from .project import Project

STATES = ("translated", "fuzzy", "failed_check", "untranslated", "same_as_source")
LABELS = {"translated": "translated", "fuzzy": "fuzzy", "failed_check": "failed check", "untranslated": "untranslated",
          "same_as_source": "same as German"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Counts:
    translated: int = 0
    fuzzy: int = 0
    failed_check: int = 0
    untranslated: int = 0
    same_as_source: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.failed_check + self.untranslated + self.same_as_source

    def percent(self, state: str = "translated") -> float:
        """Share of ``state`` in %, rounded down to 0.1: 100.0 only when all of them are."""
        if not self.total:
            return 100.0 if state == "translated" else 0.0
        return math.floor(1000 * getattr(self, state) / self.total) / 10

    def percent_text(self, locale: Any, state: str = "translated") -> str:
        """The share as a reader of ``locale`` writes a percentage (``83,3 %``, ``%83,3``)."""
        # A Decimal: 24.1 / 100 as a float is 0.24100000000000002, shown with all its digits.
        share = Decimal(str(self.percent(state))) / 100
        return format_percent(share, locale=locale, decimal_quantization=False)

    def as_json(self) -> dict[str, Any]:
        return {**{s: getattr(self, s) for s in STATES}, "total": self.total, "percent": self.percent()}


@dataclass(frozen=True, slots=True)
class Pending:
    """A message of an entry that some language does not publish translated yet."""

    msgid: str
    path: str  # the file it stands in, relative to the project root: an offer shows its contacts' roles too
    line: int
    field: str
    states: tuple[tuple[str, str], ...]  # (lang, state) for every target language

    def state(self, lang: str) -> str:
        return dict(self.states)[lang]


@dataclass(frozen=True, slots=True)
class EntryStatus:
    kind: str  # site, offer, contact, page, event, organisation
    id: str
    path: str  # relative to the project root
    route: str  # the page's route without the language prefix
    title: Msg | None  # its translatable title (offer, page, site) or role (contact)
    name: str | None  # a contact's name (not translated)
    counts: tuple[tuple[str, Counts], ...]  # (lang, counts)
    pending: tuple[Pending, ...]

    def count(self, lang: str) -> Counts:
        return dict(self.counts)[lang]

    @property
    def label(self) -> str:
        """``offers/<id>``, ``contacts/<id>``, ``pages/<id>`` or ``site.yaml``, as in content/."""
        return "site.yaml" if self.kind == "site" else f"{self.kind}s/{self.id}"

    @property
    def complete(self) -> bool:
        return not self.pending


@dataclass(frozen=True, slots=True)
class CoverageReport:
    source_language: str
    languages: tuple[str, ...]  # the target languages, in the site's order
    catalogues: tuple[tuple[str, str, bool], ...]  # (lang, path, exists)
    totals: tuple[tuple[str, Counts], ...]
    entries: tuple[EntryStatus, ...]

    def total(self, lang: str) -> Counts:
        return dict(self.totals)[lang]

    @property
    def messages(self) -> int:
        return self.totals[0][1].total if self.totals else 0

    def as_json(self, entries: bool = False) -> dict[str, Any]:
        return as_json(self, entries)


def state(catalog: LanguageCatalog | None, msgid: str) -> str:
    if catalog is None or not catalog.exists:
        return "untranslated"
    if catalog.get(msgid) is not None:
        return "translated"
    if msgid in catalog.rejected:
        return "failed_check"
    if msgid in catalog.fuzzy:
        return "fuzzy"
    if msgid in catalog.same_as_source:
        return "same_as_source"
    return "untranslated"


def _count(states: list[str]) -> Counts:
    return Counts(*(states.count(s) for s in STATES))


def coverage(project: Project) -> CoverageReport:
    """How much of the site each target language publishes translated, overall and per entry."""
    content = project.content
    site = content.site
    langs = site.target_languages
    catalogs = {lang: project.languages[lang].catalog if lang in project.languages else None for lang in langs}

    def rel(path: Any) -> str:
        return project.report.rel(path)

    all_ids: dict[str, None] = {}
    for msg, _ in content_messages(content):
        if msg.text:
            all_ids.setdefault(msg.text)
    totals = tuple((lang, _count([state(catalogs[lang], m) for m in all_ids])) for lang in langs)

    entries = []
    if states := _states([Shown(msg, site.path) for msg in site.messages()], catalogs, rel):
        entries.append(EntryStatus("site", "site", rel(site.path), Routes.home, site.title, None, *states))
    for entry in content.entries():
        if isinstance(entry, Organisation):  # a proper name, not translated
            title, name = entry.description, entry.name
        else:
            title, name = (entry.role, entry.name or None) if isinstance(entry, Contact) else (entry.title, None)
        if states := _states(entry_texts(content, entry), catalogs, rel):
            route = Routes.entry(entry)
            entries.append(EntryStatus(entry.kind, entry.id, rel(entry.path), route, title, name, *states))
    catalogues = tuple(
        (lang, rel(c.path) if c else f"locales/{lang}/LC_MESSAGES/messages.po", bool(c and c.exists))
        for lang, c in catalogs.items()
    )
    return CoverageReport(site.source_language, langs, catalogues, totals, tuple(entries))


def _states(
    texts: list[Shown], catalogs: dict[str, LanguageCatalog | None], rel: Callable[[Path], str]
) -> tuple[tuple[tuple[str, Counts], ...], tuple[Pending, ...]] | None:
    """Counts per language and the pending texts of one entry's page; None when it shows none."""
    first: dict[str, Shown] = {}
    for shown in texts:
        if shown.msg.text:
            first.setdefault(shown.msg.text, shown)
    if not first:
        return None  # German only (translate: false)
    table = {m: tuple((lang, state(catalog, m)) for lang, catalog in catalogs.items()) for m in first}
    counts = tuple((lang, _count([dict(table[m])[lang] for m in first])) for lang in catalogs)
    pending = tuple(
        Pending(m, rel(first[m].path), first[m].msg.line, first[m].msg.field, table[m])
        for m in first
        if any(s != "translated" for _, s in table[m])
    )
    return counts, pending


def as_json(report: CoverageReport, entries: bool = False) -> dict[str, Any]:
    """For CI and badges: counts and the translated percentage per language (and per entry)."""
    paths = {lang: (path, exists) for lang, path, exists in report.catalogues}
    data: dict[str, Any] = {
        "source_language": report.source_language,
        "messages": report.messages,
        "languages": {
            lang: {**counts.as_json(), "catalogue": paths[lang][0], "exists": paths[lang][1]}
            for lang, counts in report.totals
        },
    }
    if entries:
        data["entries"] = [
            {
                "kind": e.kind,
                "id": e.id,
                "path": e.path,
                "route": e.route,
                "languages": {
                    lang: {
                        **counts.as_json(),
                        "pending": [
                            {"msgid": p.msgid, "path": p.path, "line": p.line, "state": p.state(lang)}
                            for p in e.pending
                            if p.state(lang) != "translated"
                        ],
                    }
                    for lang, counts in e.counts
                },
            }
            for e in report.entries
        ]
    return data


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        padded = (c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths)))
        return "  ".join(padded).rstrip()

    return [line(header), *map(line, rows)]


def format_table(report: CoverageReport, entries: bool = False) -> str:
    """Plain-text tables for a terminal: per language, and with ``entries`` per entry and language."""
    out = [f"{report.messages} texts in the source language ({report.source_language})", ""]
    if not report.languages:
        return "\n".join([*out, "no target languages in site.yaml"])
    states = [s for s in STATES if s != "same_as_source" or any(c.same_as_source for _, c in report.totals)]
    header = ["language", *(LABELS[s] for s in states), "total"]
    rows = []
    for lang, counts in report.totals:
        rows.append([lang, *(f"{getattr(counts, s)} ({counts.percent(s):.1f} %)" for s in states), str(counts.total)])
    out += _table(header, rows, set(range(1, len(header))))
    missing = [lang for lang, _, exists in report.catalogues if not exists]
    if missing:
        out += ["", f"no catalogue yet for: {', '.join(missing)} (run `sitegen extract && sitegen update`)"]
    if entries:
        header = ["entry", "language", *(LABELS[s] for s in states), "total"]
        rows = [
            [e.label, lang, *(str(getattr(c, s)) for s in states), str(c.total)]
            for e in report.entries
            for lang, c in e.counts
            if c.translated != c.total
        ]
        done = sum(1 for e in report.entries if e.complete)
        out.append("")
        if rows:
            out += _table(header, rows, set(range(2, len(header))))
        out.append(f"{done} of {len(report.entries)} entries are fully translated in every language"
                   + (" (not listed)" if rows and done else ""))  # fmt: skip
    return "\n".join(out)
