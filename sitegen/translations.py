"""Stage 2 at build time: each language's usable translations, checked, and cached between builds.

Reading and checking a catalogue is most of a warm build's load time, yet translators change
their .po files far less often than editors change content. So the result of reading and checking
one .po file is kept in the user's cache folder (``$XDG_CACHE_HOME/sitegen/``, by default
``~/.cache/sitegen/``), under a hash of its bytes and of everything else that decides the result:
sitegen's code and the versions of Python and of the libraries the checks use. An unchanged
catalogue is then one small JSON read. ``build --clean`` ignores the cache.

The cache is never inside the project and never pickled: a file committed to a project (a pull
request's ``.sitegen-cache/``) must neither run code when read nor claim that a malicious
catalogue was checked and found clean. Results are plain JSON, checked field by field when
read; anything unexpected counts as no cached result.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from . import __version__
from .body import make_markdown
from .checks import Finding, check_catalogue, scan_po
from .errors import Problem, Report
from .interface_strings import PluralTranslation, plural_rule
from .languages import LanguageCatalog
from .model import Content
from .parallel import cpu_count, fork_map
from .pofile import msgid_key, po_path, pot_path, read_catalog
from .poheader import rule_of
from .shown import content_messages
from .text_checks import COPY_WARNING

# The libraries whose behaviour decides the findings: Babel reads the file, markdown-it-py
# (with linkify-it-py and uc-micro-py) parses each text, nh3 decides what the sanitiser removes.
CHECKING_LIBRARIES = ("babel", "markdown-it-py", "mdit-py-plugins", "linkify-it-py", "uc-micro-py", "nh3")
CACHE_FORMAT = 3  # 1 was the pickle in <project>/.sitegen-cache/, which is never read; 3 added warnings and copies


@dataclass(frozen=True, slots=True)
class Checked:
    """What one .po file holds and what is wrong with it, before deciding what to publish."""

    translated: dict[str, str]  # msgid -> msgstr, present and not fuzzy (checks not applied yet)
    fuzzy: frozenset[str]
    findings: tuple[Finding, ...]
    plural: dict[str, tuple[str, ...]]  # msgid -> its forms, present and not fuzzy
    plural_forms: str  # the file's own rule, 'nplurals=N; plural=…;'
    same: frozenset[str] = frozenset()  # msgids whose translation is the German text unchanged (text_checks.is_copy)


def load_catalogs(
    root: Path, languages: Iterable[str], report: Report, mode: str = "build", cache: bool = True,
    content: Content | None = None,
) -> dict[str, LanguageCatalog]:  # fmt: skip
    """The usable content translations of each target language; a missing .po is a warning.

    With ``content``, a ``locales/messages.pot`` that no longer has its German texts is a warning too.

    Every catalogue passes the quality checks of :mod:`sitegen.checks`. With ``mode="check"``
    each problem is an error; with ``mode="build"`` it is a warning, and a message with a
    problem is left out, so its German source is published. ``cache=False`` reads everything anew.
    """
    build, languages = mode != "check", list(languages)
    fingerprint = checker_fingerprint() if cache else ""
    folder = catalogue_cache_folder(root) if cache else None
    found: dict[str, LanguageCatalog] = {}
    todo: list[tuple[str, Path, bytes]] = []
    checked: dict[str, Checked | None] = {}
    missing: list[str] = []
    for lang in languages:
        path = po_path(root, lang)
        if not path.is_file():
            missing.append(lang)
            found[lang] = LanguageCatalog(lang, path, False, {}, frozenset())
            continue
        data = path.read_bytes()
        checked[lang] = load_cached(folder / cache_name(lang, data, fingerprint)) if folder else None
        if checked[lang] is None:
            todo.append((lang, path, data))

    if missing:  # one line for all of them: a new site has no catalogue at all
        report.warn(root / "locales", 0, f"no translations yet for {', '.join(missing)}: their pages show German. "
                                         "To start translating: sitegen extract && sitegen update")  # fmt: skip

    # Not when no catalogue exists at all: the line above says what to run already.
    texts = {msg.text for msg, _ in content_messages(content) if msg.text} if content is not None else set()
    if content is not None and len(missing) < len(languages) and (stale := template_problem(root, texts)):
        report.warn(pot_path(root), 0, stale)

    def read_and_check(share: Sequence[tuple[str, Path, bytes]]) -> list[tuple[str, Checked | None, list[Problem]]]:
        md, sources = make_markdown(), {}  # the German side of the checks, shared by the share's languages
        done = []
        for lang, path, data in share:
            memo = folder / message_cache_name(lang) if folder else None
            known, seen = load_message_problems(memo, fingerprint) if memo else {}, {}
            done.append((lang, *_read_and_check(root, lang, path, data, build, md, sources, known, seen)))
            if memo and done[-1][1] is not None:
                store_message_problems(memo, fingerprint, seen)
        return done

    # Reading and checking is the slow part (a first build, or after an update of sitegen):
    # languages are independent, so they are shared out among the CPU cores.
    jobs = min(cpu_count(), len(todo)) if len(todo) > 1 else 1
    for share in fork_map(read_and_check, [todo[i::jobs] for i in range(jobs)]):
        for lang, result, problems in share:
            checked[lang] = result
            (report.warnings if build else report.errors).extend(problems)
    for lang, _path, data in todo:
        result = checked[lang]
        if folder and result is not None:
            store(folder / cache_name(lang, data, fingerprint), result)
    for lang in languages:
        if lang in found:
            continue
        path, result = po_path(root, lang), checked[lang]
        if result is None:  # unreadable; reported above
            found[lang] = LanguageCatalog(lang, path, False, {}, frozenset())
        else:
            found[lang] = _publishable(lang, path, result, report, build)
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
    known: dict[str, Any], seen: dict[str, Any],
) -> tuple[Checked | None, list[Problem]]:  # fmt: skip
    """Read one .po file with Babel and run every check on it; the problems of reading it."""
    local = Report(root)
    catalog = read_catalog(path, lang, local, warn=build, data=data)
    if catalog is None:
        return None, local.errors + local.warnings
    translated, fuzzy, plural = {}, set(), {}
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            if isinstance(message.id, str):
                fuzzy.add(message.id)
        elif isinstance(message.id, tuple) and isinstance(message.string, tuple) and all(message.string):
            plural[message.id[0]] = tuple(message.string)  # a project theme's ngettext strings
        elif isinstance(message.id, str) and isinstance(message.string, str) and message.string:
            translated[message.id] = message.string
    findings = check_catalogue(data, catalog, lang, md, sources, known, seen)
    same = {f.msgid for f in findings if f.message == COPY_WARNING}  # the check has decided what is a copy
    checked = Checked(translated, frozenset(fuzzy), tuple(findings), plural, plural_rule(catalog).header, frozenset(same))
    return checked, local.errors + local.warnings


def _publishable(lang: str, path: Path, checked: Checked, report: Report, build: bool) -> LanguageCatalog:
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


# --- the cache --------------------------------------------------------------------------
def user_cache_folder() -> Path | None:
    """``$XDG_CACHE_HOME/sitegen``, else ``~/.cache/sitegen``; None when there is no home folder."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative path is invalid and is ignored
        try:
            base = str(Path.home() / ".cache")
        except RuntimeError:
            return None
    return Path(base) / "sitegen"


def catalogue_cache_folder(root: Path) -> Path | None:
    """Where the checked catalogues of the project at ``root`` are kept: one folder per project."""
    base = user_cache_folder()
    project = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return base / "catalogues" / project if base else None


def checker_fingerprint() -> str:
    """Everything besides the .po file that decides what checking it finds.

    All of sitegen's modules count, not only the checks: what a check finds also depends on the
    code it calls, and a list of files to hash would go stale without anyone noticing.
    """
    digest = hashlib.sha256(f"format {CACHE_FORMAT}; sitegen {__version__}; python {sys.version}".encode())
    for name in CHECKING_LIBRARIES:
        try:
            digest.update(f"; {name} {version(name)}".encode())
        except PackageNotFoundError:
            digest.update(f"; {name} not installed".encode())
    for module in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()


def cache_name(lang: str, data: bytes, fingerprint: str) -> str:
    key = hashlib.sha256(f"{fingerprint}\0{lang}\0".encode() + data).hexdigest()[:32]
    return f"{re.sub(r'[^A-Za-z0-9_-]', '_', lang)}-{key}.json"  # a language code is a safe file name


def message_cache_name(lang: str) -> str:
    return f"messages-{re.sub(r'[^A-Za-z0-9_-]', '_', lang)}.json"


def load_message_problems(path: Path, fingerprint: str) -> dict[str, list[tuple[str, bool]]]:
    """The problems of each message checked by an earlier build (sitegen.checks.message_key)."""
    try:
        value = json.loads(path.read_bytes())
        if not isinstance(value, dict) or value.get("format") != CACHE_FORMAT or value.get("fingerprint") != fingerprint:
            return {}
        known = {}
        for key, problems in value["problems"].items():
            known[key] = [(text, warning) for text, warning in problems if isinstance(text, str) and isinstance(warning, bool)]
            if len(known[key]) != len(problems):
                return {}
        return known
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}  # anything unexpected counts as nothing checked


def store_message_problems(path: Path, fingerprint: str, seen: dict[str, list[tuple[str, bool]]]) -> None:
    """Keep the problems of this catalogue's messages only: the file stays the size of the catalogue."""
    value = {"format": CACHE_FORMAT, "fingerprint": fingerprint, "problems": seen}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass


def load_cached(path: Path) -> Checked | None:
    """The cached result in ``path``; None when there is none or it is not exactly what store wrote."""
    try:
        value = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    try:
        return _from_json(value)
    except (TypeError, ValueError, KeyError):
        return None


def _from_json(value: Any) -> Checked:
    def strings(items: Any) -> list[str]:
        if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
            raise TypeError("not a list of strings")
        return items

    def text_map(items: Any) -> dict[str, str]:
        if not isinstance(items, dict) or not all(isinstance(v, str) for v in items.values()):
            raise TypeError("not a map of strings")
        return items

    if not isinstance(value, dict) or value.get("format") != CACHE_FORMAT:
        raise ValueError("another format")
    findings = []
    for item in value["findings"]:
        line, message, msgid, whole_file, warning = item
        if type(line) is not int or not isinstance(message, str) or not isinstance(whole_file, bool) or not isinstance(warning, bool):
            raise TypeError("not a finding")
        if msgid is not None and not isinstance(msgid, str):
            raise TypeError("not a msgid")
        findings.append(Finding(line, message, msgid, whole_file, warning))
    if not isinstance(value["plural"], dict) or not isinstance(value["plural_forms"], str):
        raise TypeError("not plural forms")
    plural = {key: tuple(strings(forms)) for key, forms in value["plural"].items()}
    return Checked(text_map(value["translated"]), frozenset(strings(value["fuzzy"])), tuple(findings), plural, value["plural_forms"], frozenset(strings(value["same"])))  # fmt: skip


def store(path: Path, checked: Checked) -> None:
    """Keep one cached result per language: the old ones are for .po files that no longer exist."""
    value = {
        "format": CACHE_FORMAT,
        "translated": checked.translated,
        "fuzzy": sorted(checked.fuzzy),
        "findings": [[f.line, f.message, f.msgid, f.whole_file, f.warning] for f in checked.findings],
        "plural": {key: list(forms) for key, forms in checked.plural.items()},
        "plural_forms": checked.plural_forms,
        "same": sorted(checked.same),
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob(f"{path.name.rsplit('-', 1)[0]}-*.json"):
            old.unlink(missing_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")  # two builds at once must not mix
        tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # no writable cache folder: the build still works, it is only slower
