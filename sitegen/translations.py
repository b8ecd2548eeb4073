"""Stage 2 at build time: each language's usable translations, checked, and cached between builds.

Every .po file is read and checked (sitegen.checks) before a translation is published; the
result is cached between builds (sitegen.catalogue_cache). Reading and checking is the slow
part of a first build, and independent of the content: ``CatalogueReading`` starts it in child
processes as soon as ``site.yaml`` names the languages, while the parent reads the content
(see sitegen.pipeline).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from .body import make_markdown
from .catalogue_cache import (
    Checked, cache_name, catalogue_cache_folder, checker_fingerprint, copies, file_message, load_cached,
    load_message_problems, message_cache_name, store, store_message_problems,
)  # fmt: skip
from .catalogue_edit import ReadCatalogue
from .checks import check_catalogue, scan_po
from .errors import Problem, Report
from .interface_strings import PluralTranslation, plural_rule
from .languages import LanguageCatalog
from .model import Content
from .parallel import Forked, cpu_count
from .pofile import msgid_key, po_path, pot_path, read_catalog
from .poheader import rule_of
from .shown import content_messages

Result = tuple["Checked | None", list[Problem]]  # what reading one .po found, and the problems of reading it


class CatalogueReading:
    """Each language's .po file read and checked, from the cache or in child processes started now.

    ``results()`` waits for them. The children are forked before the content is read, so they
    carry little memory, and the parent reads the content meanwhile.
    """

    def __init__(
        self, root: Path, languages: Iterable[str], mode: str = "build", cache: bool = True, keep: bool = False
    ) -> None:  # fmt: skip
        """``keep``: ``read()`` gives each catalogue's bytes too (`sitegen serve` reads a save by its changes)."""
        self.root, self.build = root, mode != "check"
        self.kept: dict[str, bytes] = {}
        self.fingerprint = checker_fingerprint() if cache else ""
        self.folder = catalogue_cache_folder(root) if cache else None
        self.found: dict[str, Result] = {}
        self.missing: list[str] = []
        todo: list[tuple[str, Path, bytes]] = []
        for lang in languages:
            path = po_path(root, lang)
            if not path.is_file():
                self.missing.append(lang)
                continue
            data = path.read_bytes()
            if keep:
                self.kept[lang] = data
            cached = load_cached(self.folder / cache_name(lang, data, self.fingerprint)) if self.folder else None
            if cached is None:
                todo.append((lang, path, data))
            else:
                self.found[lang] = (cached, [])
        # One more child than cores: the parent reads the content meanwhile, and a share of one big
        # catalogue less does not hold up the rest. Biggest files first, each to the lightest share.
        shares: list[list[tuple[str, Path, bytes]]] = [[] for _ in range(min(len(todo), cpu_count() + 1))]
        for item in sorted(todo, key=lambda item: -len(item[2])):
            min(shares, key=lambda share: sum(len(data) for _, _, data in share)).append(item)
        self.todo = todo
        self.pending = Forked(self.read_and_check, shares) if todo else None

    def read_and_check(self, share: Sequence[tuple[str, Path, bytes]]) -> list[tuple[str, Result]]:
        md, sources = make_markdown(), {}  # the German side of the checks, shared by the share's languages
        done = []
        for lang, path, data in share:
            memo = self.folder / message_cache_name(lang) if self.folder else None
            known = load_message_problems(memo, self.fingerprint) if memo else {}
            seen: dict[str, Any] | None = {} if memo else None  # filled for the cache only
            result = _read_and_check(self.root, lang, path, data, self.build, md, sources, known, seen)
            done.append((lang, result))
            if memo and seen is not None and result[0] is not None:
                store_message_problems(memo, self.fingerprint, seen)
        return done

    def results(self) -> dict[str, Result]:
        """What each language's .po file holds (None: unreadable), with the problems of reading it."""
        if self.pending is not None:
            for share in self.pending.results():
                self.found.update(share)
            self.pending = None
            for lang, _path, data in self.todo:
                checked = self.found[lang][0]
                if self.folder and checked is not None:
                    store(self.folder / cache_name(lang, data, self.fingerprint), checked)
        return self.found

    def read(self) -> dict[str, ReadCatalogue]:
        """Each catalogue read without a problem of the file, with its bytes (made with ``keep``)."""
        return {
            lang: ReadCatalogue(self.kept[lang], checked)
            for lang, (checked, problems) in self.results().items()
            if checked is not None and not problems and lang in self.kept
        }  # fmt: skip

    def cancel(self) -> None:
        if self.pending is not None:
            self.pending.cancel()


def load_catalogs(
    root: Path, languages: Iterable[str], report: Report, mode: str = "build", cache: bool = True,
    content: Content | None = None, reading: CatalogueReading | None = None,
) -> dict[str, LanguageCatalog]:  # fmt: skip
    """The usable content translations of each target language; a missing .po is a warning.

    With ``content``, a ``locales/messages.pot`` that no longer has its German texts is a warning too.

    Every catalogue passes the quality checks of :mod:`sitegen.checks`. With ``mode="check"``
    each problem is an error; with ``mode="build"`` it is a warning, and a message with a
    problem is left out, so its German source is published. ``cache=False`` reads everything anew.
    ``reading`` is the reading of these languages started earlier with the same mode and cache.
    """
    build, languages = mode != "check", list(languages)
    reading = reading or CatalogueReading(root, languages, mode, cache)
    if reading.missing:  # one line for all of them: a new site has no catalogue at all
        report.warn(root / "locales", 0, f"no translations yet for {', '.join(reading.missing)}: their pages show German. "
                                         "To start translating: sitegen extract && sitegen update")  # fmt: skip

    # Not when no catalogue exists at all: the line above says what to run already.
    texts = {msg.text for msg, _ in content_messages(content) if msg.text} if content is not None else set()
    if content is not None and len(reading.missing) < len(languages) and (stale := template_problem(root, texts)):
        report.warn(pot_path(root), 0, stale)

    found: dict[str, LanguageCatalog] = {}
    results = reading.results()
    for lang in languages:
        path = po_path(root, lang)
        if lang not in results:
            found[lang] = LanguageCatalog(lang, path, False, {}, frozenset())
            continue
        checked, problems = results[lang]
        (report.warnings if build else report.errors).extend(problems)
        if checked is None:  # unreadable; reported above
            found[lang] = LanguageCatalog(lang, path, False, {}, frozenset())
        else:
            found[lang] = publishable(lang, path, checked, report, build)
    return found


def template_problem(root: Path, texts: set[str]) -> str | None:
    """Why ``locales/messages.pot`` does not hold the German ``texts`` of the content, or None.

    Then translators don't see the new texts and ``sitegen update`` would bring them old ones.
    """
    path = pot_path(root)
    if not path.is_file():
        return None  # catalogues written by hand or by pybabel elsewhere: nothing to compare with
    entries, _ = scan_po(path.read_text(encoding="utf-8", errors="replace"))
    live = [e for e in entries if e.msgid and not e.obsolete]
    new = texts - {e.msgid for e in live}
    gone = {e.msgid for e in live if any(r.startswith("content/") for r in e.references)} - texts
    if not new and not gone:
        return None
    changes = [f"{len(new)} new or changed German text{'s' if len(new) != 1 else ''}"] if new else []
    changes += [f"{len(gone)} deleted"] if gone else []
    return f"out of date ({', '.join(changes)} since the last `sitegen extract`): run `sitegen extract && sitegen update`"


def _read_and_check(
    root: Path, lang: str, path: Path, data: bytes, build: bool, md: Any, sources: dict[str, Any],
    known: dict[str, Any], seen: dict[str, Any] | None,
) -> Result:  # fmt: skip
    """Read one .po file with Babel and run every check on it; the problems of reading it."""
    local = Report(root)
    scanned = scan_po(data.decode("utf-8", errors="replace"))  # once, for reading and for checking
    catalog = read_catalog(path, lang, local, warn=build, data=data, scanned=scanned)
    if catalog is None:
        return None, local.errors + local.warnings
    translated: dict[str, str] = {}
    fuzzy: set[str] = set()
    plural: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        if message.id:
            file_message(message, translated, fuzzy, plural)
    findings = check_catalogue(data, catalog, lang, md, sources, known, seen, scanned)
    checked = Checked(translated, frozenset(fuzzy), tuple(findings), plural, plural_rule(catalog).header, copies(findings))
    return checked, local.errors + local.warnings


def publishable(lang: str, path: Path, checked: Checked, report: Report, build: bool) -> LanguageCatalog:
    """Report the findings and leave out every translation that has one, but for warnings.

    A copy of the German text is left out too, so that the page marks it as German.
    """
    rejected: set[str] = set()
    for finding in checked.findings:
        if finding.warning:
            report.warn(path, finding.line, finding.message)
            continue
        if finding.whole_file:
            rejected.update(checked.translated, checked.plural)
        elif finding.msgid is not None:
            rejected.add(msgid_key(finding.msgid))
        if not build:
            report.error(path, finding.line, finding.message)
        elif finding.whole_file:
            report.warn(path, finding.line, f"{finding.message}; the {lang} pages show German")
        elif finding.msgid is not None:
            report.warn(path, finding.line, f"{finding.message}; the German text is published instead")
        else:
            report.warn(path, finding.line, finding.message)
    translated = {k: v for k, v in checked.translated.items() if k not in rejected and k not in checked.same}
    rule = rule_of(checked.plural_forms)
    plural = {k: PluralTranslation(v, rule) for k, v in checked.plural.items() if k not in rejected} if rule else {}
    same = checked.same - rejected
    return LanguageCatalog(lang, path, True, translated, checked.fuzzy, frozenset(rejected), plural, same)


