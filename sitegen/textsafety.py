"""Invisible characters that have no place in an editor's text.

Control characters (C0, DEL, C1) come from pasted text and break vCards, calendars and terminals;
the bidi embedding, override and isolate controls can make a text display as something else than it
says (a phone number or a link that reads backwards). The marks LRM, RLM and ALM (U+200E, U+200F,
U+061C) only nudge neutral characters and stay allowed: right-to-left writers need them.
"""

from __future__ import annotations

import re
import unicodedata

BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
LINE_BREAK_AND_TAB = "\n\t"
CANDIDATES = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # what is_refused() refuses

# Control characters have no Unicode name; these are the ones pasted text actually carries.
CONTROL_NAMES = {
    "\x00": "NULL", "\x07": "BELL", "\x08": "BACKSPACE", "\t": "CHARACTER TABULATION",
    "\n": "LINE FEED", "\x0b": "LINE TABULATION", "\x0c": "FORM FEED", "\r": "CARRIAGE RETURN",
    "\x1b": "ESCAPE", "\x7f": "DELETE", "\x85": "NEXT LINE",
}  # fmt: skip


def is_control(char: str) -> bool:
    """A C0 or C1 control character, or DEL."""
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F


def is_refused(char: str, allowed: str = LINE_BREAK_AND_TAB) -> bool:
    """A control or bidi control character, except those in ``allowed``."""
    return char not in allowed and (is_control(char) or char in BIDI_CONTROLS)


def refused_characters(text: str, allowed: str = LINE_BREAK_AND_TAB) -> list[str]:
    """The distinct refused characters of ``text``, in the order they first occur."""
    return [c for c in dict.fromkeys(CANDIDATES.findall(text)) if c not in allowed]


def describe(char: str) -> str:
    """``U+202E RIGHT-TO-LEFT OVERRIDE``: how an editor can find the character in any tool."""
    name = CONTROL_NAMES.get(char) or unicodedata.name(char, "CONTROL CHARACTER" if is_control(char) else "NONCHARACTER")
    return f"U+{ord(char):04X} {name}"


def refusal(what: str, char: str) -> str:
    """The error message for ``char`` found in ``what`` (a field name, 'the text' …)."""
    harm = " that can disguise text" if char in BIDI_CONTROLS else ""
    return f"{what} contains {describe(char)}, an invisible control character{harm}: remove it"


def visible(text: str) -> str:
    """``text`` for an error message: one line, refused characters shown as ``\\u202e``."""
    if text.isprintable() and not BIDI_CONTROLS.intersection(text):
        return text
    return "".join(f"\\u{ord(c):04x}" if is_refused(c, allowed="") else c for c in text)
