"""``sitegen extract`` and ``sitegen update``: the German messages into locales/messages.pot, and
from there into each language's .po file, which keeps every translation a translator made."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

from .body import make_markdown
from .clock import build_time
from .content import load_content, load_site
from .errors import Problem, Report
from .model import Content
from .pofile import msgid_key, po_path, pot_path, read_catalog, write_catalog
from .review import MinorEdit, carry_minor_edits
from .shown import content_messages
from .theme import load_theme

JINJA_METHOD = [("**.html", "jinja2.ext:babel_extract"), ("**.txt", "jinja2.ext:babel_extract")]
# The header comments: the template is sitegen's alone; in a .po file the translators edit the msgstr lines.
TEMPLATE_NOTE = ("Written by 'sitegen extract' from content/ and the project's theme: don't edit this template; "
                 "the translations go into locales/<lang>/LC_MESSAGES/messages.po.")  # fmt: skip
TRANSLATORS_NOTE = ("Translate in the msgstr lines, with Poedit, Weblate or a text editor. The msgid lines are "
                    "the German texts, kept up to date by 'sitegen update': don't change them.")  # fmt: skip
# what sitegen 0.1 wrote into every .po file, which told translators the opposite of their guide
_OLD_NOTE = "Written by 'sitegen extract' from content/ and the project's theme; do not edit by hand."


@dataclass(frozen=True, slots=True)
class Extracted:
    changed: bool  # whether messages.pot was written
    warnings: tuple[Problem, ...]


@dataclass(frozen=True, slots=True)
class Updated:
    languages: tuple[str, ...]  # the languages asked for
    written: tuple[str, ...]  # those whose .po file changed
    edits: tuple[MinorEdit, ...]  # with ``minor``: each changed text, and whether its translation stays
    warnings: tuple[Problem, ...]


class UnknownLanguages(ValueError):
    """``sitegen update -l`` named languages that site.yaml doesn't list (a usage error)."""


def extract_project(root: Path) -> Extracted:
    """Read the project's content and theme and write its messages.pot; raises BuildError on errors."""
    report = Report(root)
    content = load_content(root, report, make_markdown())
    theme = load_theme(root, content.site.theme, content.site.path, report)
    report.raise_if_errors()
    changed = extract(content, theme.own if theme.extracts_own_strings else None, build_time())
    return Extracted(changed, tuple(report.warnings))


def update_project(root: Path, languages: Iterable[str] = (), minor: bool = False) -> Updated:
    """Update the .po file of each of ``languages`` (default: every target language) from messages.pot."""
    report = Report(root)
    site = load_site(root, report)
    asked = tuple(languages) or site.target_languages
    unknown = [lang for lang in asked if lang not in site.languages]
    if unknown:
        raise UnknownLanguages(f"{', '.join(unknown)} not in site.yaml's languages")
    edits: list[MinorEdit] = []
    written = update(root, asked, report, build_time(), minor=minor, edits=edits)
    report.raise_if_errors()
    return Updated(asked, tuple(written), tuple(edits), tuple(report.warnings))


def build_template(content: Content, theme_dir: Path | None, creation_date: dt.datetime) -> Catalog:
    """The ``messages.pot`` catalogue: content messages, then the project theme's strings."""
    root = content.site.root
    catalog = Catalog(project=content.site.title.text, version="1", charset="utf-8", fuzzy=False,
                      creation_date=creation_date, msgid_bugs_address=content.site.publisher.email if content.site.publisher else None)  # fmt: skip
    catalog.header_comment = f"# Translations template for {content.site.title.text}.\n# {TEMPLATE_NOTE}"
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
    template_path = pot_path(root)
    if not template_path.is_file():
        report.error(template_path, 0, "missing: run `sitegen extract && sitegen update`")
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
            catalog.header_comment = _with_translators_note(catalog.header_comment)
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
            catalog.header_comment = _with_translators_note(catalog.header_comment)
            catalog.revision_date = now
            catalog.fuzzy = False
        if write_catalog(path, catalog, ('"POT-Creation-Date:', '"PO-Revision-Date:')):
            written.append(lang)
    return written


def _with_translators_note(comment: str) -> str:
    """A .po header comment with the translators' note in place of the template's (or the old) one.

    Anything else in the comment, such as the credits a translator's tool added, stays.
    """
    for note in (TEMPLATE_NOTE, _OLD_NOTE):
        wrapped = r"[\s#]+".join(map(re.escape, note.split()))  # Babel wraps a long comment over '# ' lines
        comment = re.sub(wrapped, lambda _: TRANSLATORS_NOTE, comment)
    return comment


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
