"""A light, line-exact scanner of ``.po`` files: entries with their lines, duplicates, findings.

Babel's ``read_po`` forgets where things stand and forgives what ``msgfmt`` rejects (unclosed
strings, duplicate messages), so the checks read the file once more, line by line, with this.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from babel.messages.pofile import unescape

_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s*(.*)$")
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"\s*')  # fullmatch: a closed string
DUPLICATE = "duplicate "  # how the finding of a msgid written twice starts


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one line of a catalogue.

    ``msgid`` names the message whose translation must not be published; it is None for
    problems of the file as a whole (header, syntax).
    """

    line: int
    message: str
    msgid: str | None = None
    whole_file: bool = False  # no translation of the file can be trusted (wrong charset)
    warning: bool = False  # a warning even for ``sitegen check``; the translation is not rejected for it


@dataclass(slots=True)
class PoEntry:
    line: int  # the line of its msgid
    msgid: str
    context: str | None
    obsolete: bool
    fuzzy: bool
    msgstr: list[tuple[int, str]] = field(default_factory=list)  # (line, piece) of msgstr / msgstr[0]
    plural: bool = False  # has a msgid_plural
    forms: list[int] = field(default_factory=list)  # the N of each msgstr[N]
    references: list[str] = field(default_factory=list)  # its '#:' places: 'content/offers/x.md:12'


def scan_po(text: str) -> tuple[list[PoEntry], list[Finding]]:
    """Every entry of a .po text with the line of its msgid, and unclosed strings.

    Babel's ``read_po`` keeps no line per duplicate and merges duplicates, so this scan is what
    names lines; it follows the PO grammar just far enough for that.
    """
    entries: list[PoEntry] = []
    unclosed: list[tuple[int, PoEntry | None]] = []
    flags: set[str] = set()
    references: list[str] = []
    context: str | None = None
    current: PoEntry | None = None
    keyword = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        obsolete = False
        if line[0] == "#":
            mark = line[1:2]
            if mark == ",":
                flags = {f.strip() for f in line[2:].split(",")}
                continue
            if mark == ":":
                references += line[2:].split()
                continue
            if mark != "~":
                continue  # a comment
            obsolete, line = True, line[2:].strip()
            if not line or line[0] in "|#":
                continue
        if line[0] == '"':
            value, closed = _string(line)
            if not closed:
                unclosed.append((number, current))
            if keyword == "msgid" and current is not None:
                current.msgid += value
            elif keyword == "msgctxt":
                context = (context or "") + value
            elif keyword in ("msgstr", "msgstr[0]") and current is not None:
                current.msgstr.append((number, value))
            continue
        match = _KEYWORD.match(line)
        if not match:
            continue  # read_po has reported it already
        keyword, rest = match.groups()
        value, closed = _string(rest)
        if keyword == "msgctxt":
            context = value
        elif keyword == "msgid":
            current = PoEntry(number, value, context, obsolete, "fuzzy" in flags, references=references)
            entries.append(current)
            flags, context, references = set(), None, []
        elif keyword == "msgid_plural" and current is not None:
            current.plural = True
        if keyword.startswith("msgstr[") and current is not None:
            digits = keyword[len("msgstr[") : -1]
            current.forms.append(int(digits) if len(digits) <= 6 else 10**6)  # int() of 5000 digits raises
        if keyword in ("msgstr", "msgstr[0]") and current is not None:
            current.msgstr.append((number, value))
        if not closed:
            unclosed.append((number, None if keyword == "msgctxt" else current))
    findings = [
        Finding(number, "the string is not closed: a '\"' is missing at the end of the line",
                entry.msgid if entry is not None and entry.msgid and not entry.obsolete else None)
        for number, entry in unclosed
    ]  # fmt: skip
    return entries, findings


def _string(text: str) -> tuple[str, bool]:
    if "\\" not in text:  # most lines: closed when the first '"' after the opening one ends it
        body = text.rstrip()
        if len(body) >= 2 and body[0] == '"' and body.find('"', 1) == len(body) - 1:
            return body[1:-1], True
    elif _STRING.fullmatch(text):
        return unescape(text.rstrip()), True
    return text.strip().strip('"'), False


def duplicates(entries: Iterable[PoEntry]) -> list[Finding]:
    """Every second occurrence of a msgid (with its context), as msgfmt rejects them."""
    first: dict[tuple[str | None, str], PoEntry] = {}
    found = []
    for entry in entries:
        key = (entry.context, entry.msgid)
        if key not in first:
            first[key] = entry
            continue
        other = first[key]
        both_live = not entry.obsolete and not other.obsolete
        what = "obsolete " if entry.obsolete or other.obsolete else ""
        message = f"{DUPLICATE}{what}message: the same msgid is at line {other.line}; delete one of them"
        found.append(Finding(entry.line, message, entry.msgid if both_live and entry.msgid else None))
    return found
