"""The checked-catalogue cache: what reading and checking a .po file found, kept between builds.

Reading and checking a catalogue is most of a warm build's load time, yet translators change
their .po files far less often than editors change content. So the result of reading and checking
one .po file is kept in the user's cache folder (``$XDG_CACHE_HOME/sitegen/``, by default
``~/.cache/sitegen/``), under a hash of its bytes and of everything else that decides the result:
sitegen's code and the versions of Python and of the libraries the checks use. An unchanged
catalogue is then one small JSON read; after a translator's edit only the edited messages are
checked again (each message's problems are kept too). ``build --clean`` ignores the cache.

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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Message

from . import __version__
from .checks import Finding
from .text_checks import COPY_WARNING
from .fingerprint import fingerprint

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


def file_message(message: Message, translated: dict[str, str], fuzzy: set[str], plural: dict[str, tuple[str, ...]]) -> None:
    """Put one message Babel read where a Checked keeps it: fuzzy, a plural's forms or a translation
    (an empty one nowhere)."""
    if message.fuzzy:
        if isinstance(message.id, str):
            fuzzy.add(message.id)
    elif isinstance(message.id, tuple) and isinstance(message.string, tuple) and all(message.string):
        plural[message.id[0]] = tuple(message.string)  # a project theme's ngettext strings
    elif isinstance(message.id, str) and isinstance(message.string, str) and message.string:
        translated[message.id] = message.string


def copies(findings: Iterable[Finding]) -> frozenset[str]:
    """The msgids whose translation the checks found to be the German text unchanged (the checks
    decide what is a copy: text_checks.is_copy)."""
    return frozenset(f.msgid for f in findings if f.message == COPY_WARNING and f.msgid is not None)


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
    package = Path(__file__).resolve().parent
    text = f"format {CACHE_FORMAT}; sitegen {__version__}; python {sys.version}"
    return fingerprint(text, CHECKING_LIBRARIES, package.glob("*.py"), package)


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
