"""Stage 2: gettext catalogues — extract the German messages, update the .po files, load them."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import PoFileError, normalize, read_po, unescape, write_po

from .checks import unreadable
from .errors import Report
from .message_checks import format_problem
from .model import Content, Msg
from .poheader import PluralRule, rule_of

JINJA_METHOD = [("**.html", "jinja2.ext:babel_extract"), ("**.txt", "jinja2.ext:babel_extract")]


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

    def get(self, msgid: str) -> str | None:
        """The translation to publish, or None: fuzzy and rejected translations are never published."""
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


def po_bytes(catalog: Catalog, width: int = 76) -> bytes:
    """The .po text of a catalogue, with the previous text of fuzzy messages as ``#|`` lines.

    Babel's ``write_po(include_previous=True)`` wraps a long previous msgid like a comment
    (``#| msgid "" "Das Rote …`` across lines), which msgfmt, Poedit and Weblate reject; so each
    previous text is written as a placeholder and then replaced by proper ``#|`` string lines.
    """
    tokens: dict[str, tuple[str, str]] = {}
    saved = []
    for number, message in enumerate(catalog):
        if message.id and message.previous_id:
            saved.append((message, message.previous_id))
            ids = []
            for keyword, text in zip(("msgid", "msgid_plural"), message.previous_id):
                token = f"SITEGENPREVIOUS{number}{keyword.upper().replace('_', '')}"
                tokens[f'#| {keyword} "{token}"'] = (keyword, text)
                ids.append(token)
            message.previous_id = ids
    buf = io.BytesIO()
    try:
        write_po(buf, catalog, width=width, include_previous=True)
    finally:
        for message, previous in saved:
            message.previous_id = previous
    if not tokens:
        return buf.getvalue()
    text = buf.getvalue().decode(catalog.charset or "utf-8")
    for placeholder, (keyword, previous) in tokens.items():
        lines = normalize(previous, width=width).splitlines()
        written = (f"#| {keyword} {line}" if i == 0 else f"#| {line}" for i, line in enumerate(lines))
        text = text.replace(placeholder, "\n".join(written))
    return text.encode(catalog.charset or "utf-8", "backslashreplace")


def write_catalog(path: Path, catalog: Catalog, ignore_header_lines: tuple[str, ...] = ()) -> bool:
    """Write a .po/.pot only when its messages changed; returns whether it wrote.

    Lines starting with ``ignore_header_lines`` (dates) don't count as a change, so that
    ``extract`` and ``update`` leave files untouched when nothing changed.
    """
    new = po_bytes(catalog)
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


def update(root: Path, languages: Iterable[str], report: Report, now: dt.datetime, *,
           minor: bool = False, edits: list | None = None) -> list[str]:  # fmt: skip
    """Create or update each language's .po from the template; returns the languages written.

    Babel's update keeps translations of unchanged text, marks translations of changed text
    fuzzy (the closest old message, for a translator to review) and makes deleted text obsolete.
    Text that comes back after it was deleted gets its obsolete translation back.
    With ``minor`` (``sitegen update --minor``) the translations of minor edits stay
    published (see sitegen.review); each decision is appended to ``edits``.
    """
    from .review import carry_minor_edits

    template_path = pot_path(root)
    if not template_path.is_file():
        report.error(template_path, 0, "missing; run 'sitegen extract' first")
        return []
    template = read_catalog(template_path, None, report)
    if template is None:
        return []
    written = []
    for lang in languages:
        path = po_path(root, lang)
        if path.exists():
            catalog = read_catalog(path, lang, report)
            if catalog is None:
                continue
            _revive_obsolete(catalog, template)
            before = {msgid_key(m.id) for m in catalog if m.id}
            was_fuzzy = {msgid_key(m.id) for m in catalog if m.id and m.fuzzy}
            previous = {msgid_key(m.id): m.previous_id for m in catalog if m.id and m.fuzzy and m.previous_id}
            catalog.update(template, update_creation_date=True)
            for message in catalog:  # Babel drops the previous text of a message that stays fuzzy
                if message.id and message.fuzzy and not message.previous_id and msgid_key(message.id) in previous:
                    message.previous_id = previous[msgid_key(message.id)]
            _drop_obsolete_duplicates(catalog)
            if minor:
                found = carry_minor_edits(catalog, before, was_fuzzy, lang)
                if edits is not None:
                    edits.extend(found)
        else:
            catalog = read_catalog(template_path, lang, report)
            if catalog is None:
                continue
            catalog.locale = Locale.parse(lang)
            catalog.revision_date = now
            catalog.fuzzy = False
        if write_catalog(path, catalog, ('"POT-Creation-Date:', '"PO-Revision-Date:')):
            written.append(lang)
    return written


def _restore_previous(catalog: Catalog) -> None:
    """Read ``#| msgid "…"`` (the text a fuzzy translation was made for) back as ``previous_id``.

    Babel's reader takes these lines for translator comments and would write them back as
    ``# | msgid …``; Poedit and Weblate show the previous text as a diff when it stays ``#|``.
    """
    for message in [*catalog, *catalog.obsolete.values()]:
        lines = [c for c in message.user_comments if c.startswith("|")]
        if not lines:
            continue
        message.user_comments = [c for c in message.user_comments if not c.startswith("|")]
        parts: dict[str, str] = {}
        keyword = ""
        for line in lines:
            text = line[1:].strip()
            match = re.match(r"(msgctxt|msgid_plural|msgid)\s+(\".*\")$", text)
            if match:
                keyword, text = match.groups()
            elif not text.startswith('"'):
                continue
            try:
                parts[keyword] = parts.get(keyword, "") + unescape(text)
            except (ValueError, IndexError):
                continue
        if "msgid" in parts:
            message.previous_id = [parts["msgid"]] + ([parts["msgid_plural"]] if "msgid_plural" in parts else [])


def msgid_key(msgid: str | tuple[str, ...]) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


def _revive_obsolete(catalog: Catalog, template: Catalog) -> None:
    """An obsolete (``#~``) message whose text is back in the template becomes live again.

    The German text is exactly the one it was translated from, so the translation still fits;
    without this Babel would add the text untranslated next to its obsolete copy, a duplicate
    ``msgfmt`` rejects.
    """
    for key, message in list(catalog.obsolete.items()):
        if template.get(message.id, message.context) is not None and catalog.get(message.id, message.context) is None:
            del catalog.obsolete[key]
            catalog[message.id] = message


def _drop_obsolete_duplicates(catalog: Catalog) -> None:
    for key, message in list(catalog.obsolete.items()):
        if catalog.get(message.id, message.context) is not None:
            del catalog.obsolete[key]


def read_catalog(
    path: Path, lang: str | None, report: Report, warn: bool = False, data: bytes | None = None
) -> Catalog | None:
    """Read a .po/.pot; a broken file is an error (a warning with ``warn``, for the build).

    The header is checked before Babel sees the file (sitegen.poheader): Babel trusts its
    charset and Plural-Forms, and a translator's file must not make it fail or eat memory.
    """
    problem = report.warn if warn else report.error
    suffix = f"; the {lang} pages show German" if warn and lang else ""
    try:
        data = path.read_bytes() if data is None else data
        if blocking := unreadable(data, lang, template=path.suffix == ".pot"):
            for finding in blocking:
                problem(path, finding.line, f"{finding.message}{suffix}")
            return None
        catalog = read_po(io.BytesIO(data), locale=lang, abort_invalid=True)
        _restore_previous(catalog)
        return catalog
    except PoFileError as exc:
        problem(path, int(getattr(exc, "lineno", 0)) + 1, f"not a valid .po file: {exc}{suffix}")
    except (UnicodeDecodeError, ValueError, LookupError, OSError) as exc:
        problem(path, 0, f"cannot be read: {exc}{suffix}")
    return None


# --- load: see sitegen.translations for the content catalogues --------------------------
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
                singular[message.id] = message.string
    return UiTranslations(singular, plural)


def _format_problem(msgid: str | tuple[str, ...], msgstr: str | tuple[str, ...]) -> str | None:
    """Why an interface translation can't be %-formatted the way templates format it, or None."""
    if isinstance(msgid, tuple):
        source = " ".join(msgid)
        return next((p for form in msgstr if form and (p := format_problem(source, form, plural=True))), None)
    return format_problem(msgid, msgstr) if isinstance(msgstr, str) and msgstr else None
