"""The header of a ``.po`` file (charset, ``Plural-Forms``), checked before anything trusts it.

A catalogue comes from a translator (less trusted than an editor), and Babel's ``read_po``
believes its header: ``nplurals=5000000`` makes it build a list of five million strings for
every plural message, and an unknown ``charset`` makes it raise ``LookupError``. So each
catalogue's header is checked here first (``blocking_problems``, run by sitegen.checks.unreadable
when a file is read), on the same view of the header that Babel gets (the email parser), and a
file that fails is not handed to Babel at all.

``Plural-Forms`` rule: a header a translator's tool wrote is valid when it parses, its formula
picks a form in range for every number, and every plural message has exactly that many forms.
It need not be CLDR's rule: GNU gettext, Poedit and Weblate write their own (French
``nplurals=2; plural=(n > 1);``, Turkish ``nplurals=1; plural=0;``), and those are right too.
A file without ``Plural-Forms`` is fine as long as it has no plural messages (content
catalogues rarely have any); with plural messages nobody could tell which form is which.
"""

from __future__ import annotations

import codecs
import gettext
from collections.abc import Callable
from dataclasses import dataclass, field
from email import message_from_string
from email.message import Message

from babel.messages.plurals import get_plural

from .poscan import PoEntry

# CLDR's languages have at most six plural forms (Arabic, Cornish).
MAX_PLURALS = 6
# The longest rule Babel writes for a new catalogue (Cornish) has 492 characters.
MAX_RULE_LENGTH = 600
FORMULA_CHARACTERS = frozenset("n0123456789 \t()!=<>&|?:%+-*/")
# Every n from 0 to 1000, then around each power of ten and the C integer limits: rules test
# n % 10, n % 100 and n % 1000000, so these reach every branch real rules have.
SAMPLE_NUMBERS = (
    *range(1001),
    *(10**k + d for k in range(3, 20) for d in (0, 1, 2, 3, 5, 11, 21, 101)),
    *(2**31 - 1, 2**32 - 1, 2**63 - 1, 2**64 - 1),
)


class PluralFormsError(ValueError):
    """A Plural-Forms value that cannot be used; the message says why, for the translator."""


@dataclass(frozen=True, slots=True)
class PluralRule:
    """``nplurals`` and the ``plural`` formula of one catalogue; ``index(n)`` picks the form."""

    count: int
    formula: str
    _pick: Callable[[int], int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_pick", gettext.c2py(self.formula))

    @property
    def header(self) -> str:
        return f"nplurals={self.count}; plural={self.formula};"

    def index(self, n: int) -> int:
        """The form for ``n``; checked for SAMPLE_NUMBERS, and kept in range for any other n."""
        try:
            return min(max(int(self._pick(n)), 0), self.count - 1)
        except (ArithmeticError, ValueError, TypeError):
            return self.count - 1


def shown(text: str) -> str:
    """A translator's text as an error message may print it: no terminal control characters."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def cldr_plural_forms(lang: str | None) -> str | None:
    """The Plural-Forms Babel writes into a new catalogue for ``lang`` (from CLDR)."""
    try:
        return str(get_plural(lang).plural_forms) if lang else None
    except (ValueError, TypeError, LookupError):
        return None


def parse_plural_forms(value: str) -> PluralRule:
    """The rule a Plural-Forms value gives; PluralFormsError when it is not a usable rule.

    Split by hand rather than with a regular expression: a translator's header may be thousands
    of characters of spaces, and a backtracking pattern takes cubic time on those.
    """
    if len(value) > MAX_RULE_LENGTH:
        raise PluralFormsError(f"Plural-Forms is {len(value)} characters long; a plural rule has at most {MAX_RULE_LENGTH}")  # fmt: skip
    unreadable = f"Plural-Forms '{shown(value.strip())}' cannot be read: write 'nplurals=N; plural=EXPRESSION;'"
    parts: dict[str, str] = {}
    for part in value.split(";"):
        if not part.strip():
            continue
        name, equals, text = part.partition("=")
        name = name.strip().lower()
        if not equals or name not in ("nplurals", "plural") or name in parts:
            raise PluralFormsError(unreadable)
        parts[name] = text.strip()
    count_text, formula = parts.get("nplurals", ""), parts.get("plural", "")
    if not (count_text.isascii() and count_text.isdigit()) or not formula or set(formula) - FORMULA_CHARACTERS:
        raise PluralFormsError(unreadable)
    count = int(count_text)
    if not 1 <= count <= MAX_PLURALS:
        raise PluralFormsError(f"Plural-Forms has nplurals={count}; a language has 1 to {MAX_PLURALS} plural forms")
    try:
        pick = gettext.c2py(formula)
    except (ValueError, SyntaxError, RecursionError):
        raise PluralFormsError(f"Plural-Forms formula '{formula}' is not a C expression of n") from None
    for n in SAMPLE_NUMBERS:
        try:
            form = pick(n)
        except ArithmeticError:
            raise PluralFormsError(f"Plural-Forms formula '{formula}' cannot be computed for n={n}") from None
        if not 0 <= form < count:
            last = "msgstr[0]" if count == 1 else f"0 to {count - 1}"
            raise PluralFormsError(f"Plural-Forms formula '{formula}' picks form {form} for n={n}, but nplurals={count} allows only {last}")  # fmt: skip
    return PluralRule(count, formula)


# --- the header as Babel reads it ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class HeaderProblem:
    line: int
    message: str
    whole_file: bool = True  # no translation of the file can be trusted


@dataclass(frozen=True, slots=True)
class HeaderField:
    name: str  # lower case
    value: str
    line: int


def header_entries(entries: list[PoEntry]) -> list[PoEntry]:
    """The entries Babel takes for the header: every live ``msgid ""``, with or without context."""
    return [e for e in entries if e.msgid == "" and not e.obsolete]


def header_fields(header: PoEntry) -> list[HeaderField]:
    """The header's fields in order, parsed as Babel parses them (``email.message_from_string``)."""
    text = "".join(piece for _, piece in header.msgstr)
    found: list[HeaderField] = []
    seen: dict[str, int] = {}
    for name, value in message_from_string(text).items():
        name = name.strip().lower()
        seen[name] = seen.get(name, 0) + 1
        found.append(HeaderField(name, str(value).strip(), _line_of(header, name, seen[name])))
    return found


def _line_of(header: PoEntry, name: str, occurrence: int) -> int:
    """The line where the ``occurrence``-th field ``name`` starts (the header's line if not found)."""
    for line, piece in header.msgstr:
        if piece.lstrip().lower().startswith(name + ":"):
            occurrence -= 1
            if occurrence == 0:
                return line
    return header.line


def header_params(value: str) -> dict[str, str]:
    """``a=b; c=d`` parameters as Babel reads them (its ``parse_separated_header``)."""
    message = Message()
    message["content-type"] = value
    return {str(k).lower(): str(v) for k, v in message.get_params() or []}


def content_charset(fields: list[HeaderField], header_line: int) -> tuple[str, int]:
    """The charset Babel decodes the file with ('' for none: Babel keeps UTF-8), and its line."""
    for f in reversed(fields):  # Babel applies the fields in order: the last one wins
        if f.name == "content-type":
            charset = header_params(f.value).get("charset", "").strip()
            return ("" if charset.lower() == "charset" else charset), f.line  # gettext's placeholder
    return "", header_line


def charset_message(charset: str) -> str:
    return f"charset is '{shown(charset)}', not UTF-8: save the file as UTF-8 and write 'charset=UTF-8' in Content-Type"


def is_text_encoding(charset: str) -> bool:
    """Whether Python (and so Babel) can decode text in ``charset``: rot13 and base64 are not."""
    try:
        codecs.lookup(charset)
        b"msgid".decode(charset)
    except (LookupError, ValueError):
        return False
    return True


# --- what keeps a file from being read at all -------------------------------------------------
def blocking_problems(entries: list[PoEntry], lang: str | None, template: bool = False) -> list[HeaderProblem]:
    """The header problems that make a catalogue unusable, found before Babel reads it.

    An unknown charset, a second header, an unusable Plural-Forms, plural messages without
    Plural-Forms, and plural messages whose number of forms differs from ``nplurals``: msgfmt
    rejects such a file as a whole, and Babel would pad or cut the forms without a word.
    A template (``.pot``) has no plural rule of its own, so only its charset is checked.
    """
    headers = header_entries(entries)
    found = [HeaderProblem(h.line, f'a second header (msgid "") after the one at line {headers[0].line}: delete it')
             for h in headers[1:]]  # fmt: skip
    fields = header_fields(headers[0]) if headers else []
    charset, line = content_charset(fields, headers[0].line if headers else 1)
    if charset and not is_text_encoding(charset):
        found.append(HeaderProblem(line, charset_message(charset)))
    if not template:
        found += _plural_problems(entries, fields, headers[0].line if headers else 1, lang)
    return sorted(found, key=lambda f: (f.line, f.message))


def _plural_problems(entries: list[PoEntry], fields: list[HeaderField], header_line: int, lang: str | None) -> list[HeaderProblem]:
    plural_entries = [e for e in entries if e.plural and not e.obsolete]
    rules = [f for f in fields if f.name == "plural-forms"]
    cldr = cldr_plural_forms(lang)
    example = f"; for '{lang}' CLDR gives '{cldr}'" if cldr else ""
    if not rules:
        if not plural_entries:
            return []
        message = f"no Plural-Forms header, but the file has plural messages: add one{example}"
        return [HeaderProblem(header_line, message)]
    found = [HeaderProblem(f.line, f"Plural-Forms appears twice in the header (first at line {rules[0].line}): keep one")
             for f in rules[1:]]  # fmt: skip
    try:
        rule = parse_plural_forms(rules[0].value)
    except PluralFormsError as exc:
        return [*found, HeaderProblem(rules[0].line, f"{exc}{example}")]
    babel = header_params(f" ;{rules[0].value}")  # what Babel will use; must be the same rule
    if babel.get("nplurals") != str(rule.count) or babel.get("plural") != rule.formula:
        found.append(HeaderProblem(rules[0].line, f"Plural-Forms '{shown(rules[0].value)}' cannot be read: write 'nplurals=N; plural=EXPRESSION;'"))  # fmt: skip
    for entry in plural_entries:
        if sorted(entry.forms) != list(range(rule.count)):
            found.append(HeaderProblem(entry.line, _forms_message(entry.forms, rule.count)))
    for entry in entries:  # an obsolete message is never shown, but Babel refuses one with too many forms
        if entry.obsolete and entry.plural and any(i >= rule.count for i in entry.forms):
            found.append(HeaderProblem(entry.line, f"obsolete {_forms_message(entry.forms, rule.count)}, or delete it"))
    return found


def _forms_message(forms: list[int], count: int) -> str:
    written = ", ".join(f"msgstr[{i}]" for i in forms[:8]) + (" …" if len(forms) > 8 else "")
    wanted = "msgstr[0]" if count == 1 else f"msgstr[0] to msgstr[{count - 1}]"
    return f"plural message with {written or 'no msgstr[N]'}, but Plural-Forms has nplurals={count}: write {wanted}"


def check_header(entries: list[PoEntry]) -> list[HeaderProblem]:
    """Header problems that leave the file readable: no header, a charset other than UTF-8.

    A catalogue in another charset is read correctly, but a site in six languages needs one
    encoding everywhere, and a tool that saved Latin-1 once may have mangled text already.
    """
    headers = header_entries(entries)
    if not headers:
        return [HeaderProblem(1, 'no header: the file needs the msgid "" entry with Content-Type: text/plain; charset=UTF-8', False)]
    charset, line = content_charset(header_fields(headers[0]), headers[0].line)
    if not charset:
        return [HeaderProblem(line, "no charset in the header: write 'Content-Type: text/plain; charset=UTF-8'")]
    if charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        return [HeaderProblem(line, charset_message(charset))]
    return []


def rule_of(value: str | None) -> PluralRule | None:
    """The rule of a Plural-Forms value that passed ``blocking_problems``; None for anything else."""
    try:
        return parse_plural_forms(value) if value else None
    except PluralFormsError:
        return None
