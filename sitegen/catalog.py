"""Stage 2: gettext catalogues — extract the German messages, update the .po files, load them."""

from __future__ import annotations

import datetime as dt
import gettext
import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import PoFileError, read_po, write_po

from .errors import Report
from .model import Content, Msg

JINJA_METHOD = [("**.html", "jinja2.ext:babel_extract"), ("**.txt", "jinja2.ext:babel_extract")]


@dataclass(frozen=True, slots=True)
class LanguageCatalog:
    """The usable translations of one language, and what is missing from them."""

    lang: str
    path: Path
    exists: bool
    translated: dict[str, str]  # msgid -> msgstr, only present and not fuzzy
    fuzzy: frozenset[str]

    def get(self, msgid: str) -> str | None:
        return self.translated.get(msgid)


def po_path(root: Path, lang: str) -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / "messages.po"


def pot_path(root: Path) -> Path:
    return root / "locales" / "messages.pot"


# --- extract ---------------------------------------------------------------------------
def content_messages(content: Content) -> Iterator[tuple[Msg, Path]]:
    """Every translatable text of the published content, with the file it stands in."""
    for msg in content.site.messages():
        yield msg, content.site.path
    for entry in content.entries():
        for msg in entry.messages():
            yield msg, entry.path


def build_template(content: Content, theme_dir: Path | None, creation_date: dt.datetime) -> Catalog:
    """The ``messages.pot`` catalogue: content messages, then the project theme's strings."""
    root = content.site.root
    catalog = Catalog(project=content.site.title.text, version="1", charset="utf-8", fuzzy=False,
                      creation_date=creation_date, msgid_bugs_address=content.site.publisher.email if content.site.publisher else None)  # fmt: skip
    catalog.header_comment = (
        f"# Translations template for {content.site.title.text}.\n"
        "# Written by 'sitegen extract' from content/ and the project's theme; do not edit by hand."
    )
    for msg, path in content_messages(content):
        if msg.text:
            catalog.add(msg.text, locations=[(_rel(path, root), msg.line)], auto_comments=[msg.field])
    if theme_dir and (theme_dir / "templates").is_dir():
        found = extract_from_dir(theme_dir / "templates", method_map=JINJA_METHOD, comment_tags=("Translators:",))
        for filename, lineno, message, comments, context in found:
            location = (_rel(theme_dir / "templates" / filename, root), lineno)
            catalog.add(message, locations=[location], auto_comments=comments, context=context)
    return catalog


def _rel(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def write_catalog(path: Path, catalog: Catalog, ignore_header_lines: tuple[str, ...] = ()) -> bool:
    """Write a .po/.pot only when its messages changed; returns whether it wrote.

    Lines starting with ``ignore_header_lines`` (dates) don't count as a change, so that
    ``extract`` and ``update`` leave files untouched when nothing changed.
    """
    buf = io.BytesIO()
    write_po(buf, catalog, width=76, include_previous=True)
    new = buf.getvalue()
    if path.exists():
        old = path.read_bytes()

        def strip(data: bytes) -> list[bytes]:
            return [ln for ln in data.splitlines() if not ln.startswith(tuple(h.encode() for h in ignore_header_lines))]

        if strip(old) == strip(new):
            return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(new)
    os.replace(tmp, path)
    return True


def extract(content: Content, theme_dir: Path | None, now: dt.datetime) -> bool:
    """Write ``locales/messages.pot``; returns whether it changed."""
    template = build_template(content, theme_dir, now)
    return write_catalog(pot_path(content.site.root), template, ('"POT-Creation-Date:',))


def update(root: Path, languages: Iterable[str], report: Report, now: dt.datetime) -> list[str]:
    """Create or update each language's .po from the template; returns the languages written.

    Babel's update keeps translations of unchanged text, marks translations of changed text
    fuzzy (the closest old message, for a translator to review) and makes deleted text obsolete.
    """
    template_path = pot_path(root)
    if not template_path.is_file():
        report.error(template_path, 0, "missing; run 'sitegen extract' first")
        return []
    template = _read(template_path, None, report)
    written = []
    for lang in languages:
        path = po_path(root, lang)
        if path.exists():
            catalog = _read(path, lang, report)
            if catalog is None:
                continue
            catalog.update(template, update_creation_date=True)
        else:
            catalog = _read(template_path, lang, report)
            catalog.locale = Locale.parse(lang)
            catalog.revision_date = now
            catalog.fuzzy = False
        if write_catalog(path, catalog, ('"POT-Creation-Date:', '"PO-Revision-Date:')):
            written.append(lang)
    return written


def _read(path: Path, lang: str | None, report: Report) -> Catalog | None:
    try:
        with path.open("rb") as f:
            return read_po(f, locale=lang, abort_invalid=True)
    except PoFileError as exc:
        report.error(path, int(getattr(exc, "lineno", 0)) + 1, f"not a valid .po file: {exc}")
    except (UnicodeDecodeError, ValueError) as exc:
        report.error(path, 0, f"cannot be read: {exc}")
    return None


# --- load ------------------------------------------------------------------------------
def load_catalogs(root: Path, languages: Iterable[str], report: Report) -> dict[str, LanguageCatalog]:
    """The usable content translations of each target language; a missing .po is a warning."""
    found = {}
    for lang in languages:
        path = po_path(root, lang)
        if not path.is_file():
            report.warn(path, 0, f"no catalogue for '{lang}' yet: the {lang} pages show German (run 'sitegen update')")
            found[lang] = LanguageCatalog(lang, path, False, {}, frozenset())
            continue
        catalog = _read(path, lang, report)
        if catalog is None:
            found[lang] = LanguageCatalog(lang, path, False, {}, frozenset())
            continue
        translated, fuzzy = {}, set()
        for message in catalog:
            if not message.id or not isinstance(message.id, str):
                continue
            if message.fuzzy:
                fuzzy.add(message.id)
            elif isinstance(message.string, str) and message.string:
                translated[message.id] = message.string
        found[lang] = LanguageCatalog(lang, path, True, translated, frozenset(fuzzy))
    return found


class UiTranslations:
    """Interface strings (English msgids, with plurals) for one language, as gettext does."""

    def __init__(self, singular: dict[str, str], plural: dict[str, tuple[str, ...]], plural_expr: str) -> None:
        self.singular, self.plural = singular, plural
        self.plural_fn = gettext.c2py(plural_expr)

    def gettext(self, message: str) -> str:
        return self.singular.get(message) or message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        forms = self.plural.get(singular)
        if forms and all(forms):
            return forms[min(self.plural_fn(n), len(forms) - 1)]
        return singular if n == 1 else plural


def load_ui(paths: Iterable[Path], lang: str, report: Report) -> UiTranslations:
    """Interface translations for ``lang`` from several .po files; later files win."""
    singular: dict[str, str] = {}
    plural: dict[str, tuple[str, ...]] = {}
    expr = "(n != 1)"
    for path in paths:
        if not path.is_file():
            continue
        catalog = _read(path, lang, report)
        if catalog is None:
            continue
        expr = catalog.plural_expr
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            if isinstance(message.id, tuple):
                plural[message.id[0]] = tuple(message.string)
            elif message.string:
                singular[message.id] = message.string
    return UiTranslations(singular, plural, expr)
