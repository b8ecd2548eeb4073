"""The project of `sitegen serve`, kept in memory between saves: each load reads only what changed.

``load_project`` (sitegen.pipeline) reads everything: 5 000 offers and six catalogues take many
seconds, and an editor's save changes one file. A LiveProject keeps what it read and, on the next
load, reads again only the content files whose modification time or size changed (sitegen.memo)
and only the catalogues whose ``.po`` changed, of those only the entries that changed when that is
all a translator did (sitegen.catalogue_edit). The checks across files (contacts named by offers,
links between entries) run on every load, and the problems of the files not read again are
reported again from memory: a load reports exactly what ``sitegen build`` would.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .body import make_markdown
from .catalogue_edit import ReadCatalogue, edited
from .clock import build_date
from .content import load_content
from .errors import Problem, Report
from .interface_strings import load_ui
from .languages import Language, LanguageCatalog
from .localize import Localizer
from .memo import FileMemo, Stat, stat_of
from .model import Content
from .pofile import po_path, pot_path
from .project import Project
from .theme import Theme, load_theme
from .translations import CatalogueReading, load_catalogs, publishable


class LiveProject:
    """One per preview session; ``load()`` after every save (never from two threads at once)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.md = make_markdown()
        self.files = FileMemo()
        self.catalogs: dict[str, LanguageCatalog] = {}
        self.read: dict[str, ReadCatalogue] = {}  # each catalogue's last reading, for reading a save by its changes
        self.sources: dict[str, object] = {}  # the German side of the catalogue checks (sitegen.checks)
        self.catalog_stats: dict[str, Stat] = {}
        self.catalog_shared: tuple[object, ...] = ()  # what, changed, makes every catalogue be read again
        self.catalog_problems: tuple[list[Problem], list[Problem]] = ([], [])  # errors, warnings
        self.languages: dict[str, tuple[object, Language, list[Problem], list[Problem]]] = {}

    def load(self, today: dt.date | None = None) -> Project:
        """The project as it is on disk now; raises BuildError with every problem, like load_project."""
        report = Report(self.root)
        content = load_content(self.root, report, self.md, today, memo=self.files)
        theme = load_theme(self.root, content.site.theme, content.site.path, report)
        catalogs = self._catalogs(content, report)
        report.raise_if_errors()
        languages = {lang: self._language(lang, theme, catalogs.get(lang), content, report) for lang in content.site.languages}
        report.raise_if_errors()
        return Project(content, theme, languages, report, today or build_date(content.site.timezone))

    def _catalogs(self, content: Content, report: Report) -> dict[str, LanguageCatalog]:
        """Every catalogue when the languages or ``messages.pot`` changed; else only the changed ``.po`` files."""
        langs = tuple(content.site.target_languages)
        stats = {lang: stat_of(po_path(self.root, lang)) for lang in langs}
        shared = (langs, stat_of(pot_path(self.root)), tuple(stat is None for stat in stats.values()))
        if shared != self.catalog_shared:
            # The warning about an outdated messages.pot compares it with the content: it is
            # made here, when locales/ changes, not on every save of an entry.
            local = Report(self.root)
            reading = CatalogueReading(self.root, langs, keep=True)
            self.catalogs = load_catalogs(self.root, langs, local, "build", True, content, reading)
            self.read = reading.read()
            self.catalog_problems = (local.errors, local.warnings)
        else:
            for lang in [lang for lang in langs if stats[lang] != self.catalog_stats.get(lang)]:
                local = Report(self.root)
                self.catalogs[lang] = self._catalog(lang, local)
                own = local.rel(po_path(self.root, lang))
                errors, warnings = self.catalog_problems
                self.catalog_problems = ([p for p in errors if p.path != own] + local.errors,
                                         [p for p in warnings if p.path != own] + local.warnings)  # fmt: skip
        self.catalog_shared, self.catalog_stats = shared, stats
        report.errors.extend(self.catalog_problems[0])
        report.warnings.extend(self.catalog_problems[1])
        return dict(self.catalogs)

    def _catalog(self, lang: str, report: Report) -> LanguageCatalog:
        """One language's catalogue after a save of its ``.po``: by the entries that changed, if that is all."""
        path = po_path(self.root, lang)
        before = self.read.pop(lang, None)
        try:
            data = path.read_bytes()
        except OSError:
            data = None
        now = edited(before, data, lang, self.md, self.sources) if before is not None and data is not None else None
        if now is None:
            reading = CatalogueReading(self.root, [lang], keep=True)
            catalog = load_catalogs(self.root, [lang], report, "build", True, reading=reading)[lang]
            self.read.update(reading.read())
            return catalog
        self.read[lang] = now
        return publishable(lang, path, now.checked, report, True)

    def _language(
        self, lang: str, theme: Theme, catalog: LanguageCatalog | None, content: Content, report: Report
    ) -> Language:
        """The language as pipeline.load_project makes it; the same object while nothing it is made of changed."""
        key = (theme, stat_of(theme.ui_catalogue(lang)), id(catalog), content.site.source_language)
        known = self.languages.get(lang)
        if known is not None and known[0] == key:
            report.errors.extend(known[2])
            report.warnings.extend(known[3])
            return known[1]
        errors, warnings = len(report.errors), len(report.warnings)
        ui = load_ui([theme.ui_catalogue(lang)], lang, report)
        if theme.extracts_own_strings and catalog:
            ui = ui.with_strings(catalog.translated, catalog.plural)
        language = Language(lang, catalog, Localizer(lang, ui), content.site.source_language)
        self.languages[lang] = (key, language, report.errors[errors:], report.warnings[warnings:])
        return language
