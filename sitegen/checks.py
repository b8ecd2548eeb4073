"""Quality checks of translation catalogues: what a translator's ``.po`` file must not do.

Translations are untrusted input. Each problem is a :class:`Finding` at a line of the ``.po``
file (the line of the message's ``msgid``, or of the header field). ``sitegen check`` reports
them as errors; ``sitegen build`` reports them as warnings and publishes the German source for
each message with a problem (``build --strict`` fails).

Checked for every translation that would be published (present and not fuzzy): links,
markup, placeholders, invisible and control characters and unsafe HTML, compared with its
source (see sitegen.message_checks, which says what a translation must keep); its numbers
(sitegen.number_checks); line breaks that ``msgfmt --check`` rejects (sitegen.text_checks).
Warnings, which don't keep a translation from being published, even for ``sitegen check``:
whitespace and hard line breaks that differ, doubled words, and a translation that is a copy
of its German source (which is then shown as German; see sitegen.text_checks).

Checked once per file: the charset is UTF-8 (sitegen.poheader, which also checks, before Babel
reads the file, what would make it unreadable: an unknown charset, an unusable ``Plural-Forms``,
plural messages with the wrong number of forms), no message appears twice (``read_po`` silently
merges duplicates, ``msgfmt`` rejects them), and every string is closed (``read_po`` accepts an
unclosed one).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from babel.messages.catalog import Catalog, Message
from markdown_it import MarkdownIt

from .body import make_markdown
from .message_checks import InlineFacts, check_translation
from .number_checks import number_problems
from .poheader import blocking_problems, check_header
from .poscan import Finding, PoEntry, duplicates, scan_po
from .text_checks import COPY_WARNING, bracket_warnings, doubled_words, is_copy, line_break_errors, whitespace_warnings

__all__ = ["Finding", "PoEntry", "check_catalogue", "check_translation", "scan_po", "unreadable"]


# --- the header (see sitegen.poheader) ---------------------------------------------------
def unreadable(
    data: bytes, lang: str | None, template: bool = False, scanned: tuple[list[PoEntry], list[Finding]] | None = None
) -> list[Finding]:
    """What keeps Babel from reading a catalogue safely (charset, Plural-Forms), by line.

    The header's other problems come with them, so that one run names every one.
    ``scanned`` is ``scan_po`` of ``data`` when the caller has it already.
    """
    entries, _ = scanned or scan_po(data.decode("utf-8", errors="replace"))
    blocking = blocking_problems(entries, lang, template)
    if not blocking or template:
        return [Finding(p.line, p.message, whole_file=True) for p in blocking]
    also = [p for p in check_header(entries) if p not in blocking]
    return sorted((Finding(p.line, p.message, whole_file=True) for p in [*blocking, *also]), key=lambda f: (f.line, f.message))


# --- one catalogue ---------------------------------------------------------------------
def check_catalogue(
    data: bytes, catalog: Catalog, lang: str, md: MarkdownIt | None = None, sources: dict[str, InlineFacts] | None = None,
    known: Mapping[str, list[tuple[str, bool]]] | None = None, seen: dict[str, list[tuple[str, bool]]] | None = None,
    scanned: tuple[list[PoEntry], list[Finding]] | None = None,
) -> list[Finding]:  # fmt: skip
    """Every problem of one language's .po file (read already by Babel as ``catalog``), by line.

    Pass the same ``sources`` dict for every language of a project (see check_translation).
    A message's problems depend only on the message itself (see message_key), so a translator's
    edit needs only the edited messages checked again: ``known`` holds the problems, as
    (text, warning), of messages checked before; ``seen`` receives those of every message here.
    ``scanned`` is ``scan_po`` of ``data`` when the caller has it already (reading scans too).
    """
    md = md or make_markdown()
    known = known or {}
    keyed = bool(known) or seen is not None  # without a memo to read or fill, no message needs its key
    entries, scan_findings = scanned or scan_po(data.decode("utf-8", errors="replace"))
    findings = list(scan_findings)
    findings += duplicates(entries)
    findings += [Finding(p.line, p.message, whole_file=p.whole_file) for p in check_header(entries)]
    lines: dict[tuple[str | None, str], int] = {}
    for entry in entries:
        if not entry.obsolete:
            lines.setdefault((entry.context, entry.msgid), entry.line)
    for message in catalog:
        if not message.id or message.fuzzy or not message.string:
            continue
        if isinstance(message.string, tuple) and not any(message.string):
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        line = lines.get((message.context, key)) or int(message.lineno or 0)
        memo = message_key(message, lang) if keyed else ""
        problems = known.get(memo)
        if problems is None:
            problems = message_problems(message, lang, md, sources)
        if seen is not None:
            seen[memo] = problems
        findings += [Finding(line, problem, key, warning=warning) for problem, warning in problems]
    return sorted(findings, key=lambda f: (f.line, f.message))


def message_problems(message: Message, lang: str, md: MarkdownIt, sources: dict[str, InlineFacts] | None) -> list[tuple[str, bool]]:
    """The problems of one translation, as (text, warning)."""
    problems = [(problem, False) for problem in check_translation(md, message.id, message.string, sources)]
    problems += [(problem, False) for problem in text_errors(message.id, message.string)]
    problems += [(problem, True) for problem in text_warnings(message.id, message.string, lang)]
    if is_copy(message.id, message.string, message.flags, message.locations):
        problems.append((COPY_WARNING, True))
    return problems


def message_key(message: Message, lang: str) -> str:
    """A hash of everything message_problems reads: the texts, the flags, the references, the language."""
    parts = (lang, message.id, message.string, sorted(message.flags), list(message.locations))
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def text_errors(source: str | tuple[str, ...], translation: str | tuple[str, ...]) -> list[str]:
    """Changed numbers, and line breaks msgfmt rejects (in every plural form, against both msgids)."""
    if isinstance(source, str) and isinstance(translation, str):
        return number_problems(source, translation) + line_break_errors(source, translation)
    sources = source if isinstance(source, tuple) else (source,)
    forms = translation if isinstance(translation, tuple) else (translation,)
    problems = [p for form in forms if form for s in sources for p in line_break_errors(s, form)]
    return list(dict.fromkeys(problems))


def text_warnings(source: str | tuple[str, ...], translation: str | tuple[str, ...], lang: str) -> list[str]:
    if not isinstance(source, str) or not isinstance(translation, str):
        return []
    return whitespace_warnings(source, translation) + doubled_words(source, translation, lang) + bracket_warnings(translation, lang)
