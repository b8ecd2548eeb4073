"""Stage 2 at build time: each language's usable translations, checked, and cached between builds.

Reading and checking a catalogue is most of a warm build's load time, yet translators change
their .po files far less often than editors change content. So the result of reading and checking
one .po file is kept in ``.sitegen-cache/`` under the hash of its bytes (and of sitegen's own
checking code); an unchanged catalogue is then one pickle load. ``build --clean`` ignores it.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .body import make_markdown
from .catalog import LanguageCatalog, _msgid, _read, po_path
from .checks import Finding, check_catalogue
from .errors import Problem, Report
from .parallel import cpu_count, fork_map

CACHE_DIR = ".sitegen-cache"


@dataclass(frozen=True, slots=True)
class Checked:
    """What one .po file holds and what is wrong with it, before deciding what to publish."""

    translated: dict[str, str]  # msgid -> msgstr, present and not fuzzy (checks not applied yet)
    fuzzy: frozenset[str]
    findings: tuple[Finding, ...]


def load_catalogs(
    root: Path, languages: Iterable[str], report: Report, mode: str = "build", cache: bool = True
) -> dict[str, LanguageCatalog]:
    """The usable content translations of each target language; a missing .po is a warning.

    Every catalogue passes the quality checks of :mod:`sitegen.checks`. With ``mode="check"``
    each problem is an error; with ``mode="build"`` it is a warning, and a message with a
    problem is left out, so its German source is published. ``cache=False`` reads everything anew.
    """
    build = mode != "check"
    found: dict[str, LanguageCatalog] = {}
    todo: list[tuple[str, Path, bytes]] = []
    checked: dict[str, Checked | None] = {}
    for lang in languages:
        path = po_path(root, lang)
        if not path.is_file():
            report.warn(path, 0, f"no catalogue for '{lang}' yet: the {lang} pages show German (run 'sitegen update')")
            found[lang] = LanguageCatalog(lang, path, False, {}, frozenset())
            continue
        data = path.read_bytes()
        checked[lang] = _load_cached(_cache_file(root, lang, data)) if cache else None
        if checked[lang] is None:
            todo.append((lang, path, data))

    def read_and_check(share: Sequence[tuple[str, Path, bytes]]) -> list[tuple[str, Checked | None, list[Problem]]]:
        md, sources = make_markdown(), {}  # the German side of the checks, shared by the share's languages
        return [(lang, *_read_and_check(root, lang, path, data, build, md, sources)) for lang, path, data in share]

    # Reading and checking is the slow part (a first build, or after an update of sitegen):
    # languages are independent, so they are shared out among the CPU cores.
    jobs = min(cpu_count(), len(todo)) if len(todo) > 1 else 1
    for share in fork_map(read_and_check, [todo[i::jobs] for i in range(jobs)]):
        for lang, result, problems in share:
            checked[lang] = result
            (report.warnings if build else report.errors).extend(problems)
    for lang, _path, data in todo:
        if checked[lang] is not None:
            _store(_cache_file(root, lang, data), checked[lang])
    for lang in languages:
        if lang in found:
            continue
        path, result = po_path(root, lang), checked[lang]
        if result is None:  # unreadable; reported above
            found[lang] = LanguageCatalog(lang, path, False, {}, frozenset())
        else:
            found[lang] = _publishable(lang, path, result, report, build)
    return found


def _read_and_check(
    root: Path, lang: str, path: Path, data: bytes, build: bool, md: Any, sources: dict[str, Any]
) -> tuple[Checked | None, list[Problem]]:
    """Read one .po file with Babel and run every check on it; the problems of reading it."""
    local = Report(root)
    catalog = _read(path, lang, local, warn=build, data=data)
    if catalog is None:
        return None, local.errors + local.warnings
    translated, fuzzy = {}, set()
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        if message.fuzzy:
            fuzzy.add(message.id)
        elif isinstance(message.string, str) and message.string:
            translated[message.id] = message.string
    findings = check_catalogue(data, catalog, lang, md, sources)
    return Checked(translated, frozenset(fuzzy), tuple(findings)), local.errors + local.warnings


def _publishable(lang: str, path: Path, checked: Checked, report: Report, build: bool) -> LanguageCatalog:
    """Report the findings and leave out every translation that has one."""
    rejected: set[str] = set()
    for finding in checked.findings:
        if finding.whole_file:
            rejected.update(checked.translated)
        elif finding.msgid is not None:
            rejected.add(_msgid(finding.msgid))
        if not build:
            report.error(path, finding.line, finding.message)
        elif finding.whole_file:
            report.warn(path, finding.line, f"{finding.message}; the {lang} pages show German")
        elif finding.msgid is not None:
            report.warn(path, finding.line, f"{finding.message}; the German text is published instead")
        else:
            report.warn(path, finding.line, finding.message)
    translated = {k: v for k, v in checked.translated.items() if k not in rejected}
    return LanguageCatalog(lang, path, True, translated, checked.fuzzy, frozenset(rejected))


def _code_version() -> str:
    """sitegen's version and its checking code: a changed check must not reuse old results."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for name in ("checks.py", "catalog.py", "translations.py", "body.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


def _cache_file(root: Path, lang: str, data: bytes) -> Path:
    key = hashlib.sha256(data + _code_version().encode()).hexdigest()[:32]
    return root / CACHE_DIR / "catalogues" / f"{lang}-{key}.pickle"


def _load_cached(path: Path) -> Checked | None:
    try:
        with path.open("rb") as f:
            value: Any = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return value if isinstance(value, Checked) else None


def _store(path: Path, checked: Checked) -> None:
    """Keep one cached result per language: the old ones are for .po files that no longer exist."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"{path.name.split('-')[0]}-*.pickle"):
            old.unlink(missing_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(pickle.dumps(checked, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(path)
    except OSError:
        pass  # a read-only project still builds; it is only slower
