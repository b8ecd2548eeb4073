"""Quality checks of translation catalogues: what a translator's ``.po`` file must not do.

Translations are untrusted input. Each problem is a :class:`Finding` at a line of the ``.po``
file (the line of the message's ``msgid``, or of the header field). ``sitegen check`` reports
them as errors; ``sitegen build`` reports them as warnings and publishes the German source for
each message with a problem (``build --strict`` fails).

Checked for every translation that would be published (present and not fuzzy):

* links and link targets, emphasis, inline code and inline HTML tags are the same as in the
  source (compared on markdown-it's inline tokens, so ``[a](x)`` and ``<x>`` are both links);
* placeholders (``%(name)s``, ``%s``, ``{name}``) are the same as in the source;
* no bidi embedding, override or isolate controls (U+202A–U+202E, U+2066–U+2069): they are
  invisible, can run on into the rest of the page and can hide text ("Trojan source"). The
  marks U+200E, U+200F and U+061C are allowed: they have no scope and Arabic text needs them;
* no HTML the sanitiser would remove (``<script>``, ``on*`` attributes, ``javascript:`` links …).

Checked once per file: the ``Plural-Forms`` header gives CLDR's plural rule for the language,
the charset is UTF-8, no message appears twice (``read_po`` silently merges duplicates, ``msgfmt``
rejects them), and every string is closed (``read_po`` accepts an unclosed one).
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from babel.messages.pofile import unescape
from markdown_it import MarkdownIt

from .body import _ATTRIBUTES, _CLASSES, _SCHEMES, _TAGS, make_markdown

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Tags a translator may add although the source has none: isolating a word of the other direction.
FREE_TAGS = frozenset({"bdi"})

_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s*(.*)$")
_STRING = re.compile(r'^"(?:[^"\\]|\\.)*"\s*$')
_PLACEHOLDER = re.compile(
    r"%\([A-Za-z_]\w*\)[-#0 +]?\d*(?:\.\d+)?[sdifrxXeEgGcoa]"  # %(name)s
    r"|%[sdif]"  # %s
    r"|\{[A-Za-z_]\w*(?:\.\w+|\[\w+\])*(?:![rsa])?(?::[^{}]*)?\}"  # {name}, {name:>3}
    r"|\{\d*\}"  # {} {0}
)
_TAG = re.compile(r"^<(/?)([A-Za-z][A-Za-z0-9-]*)")
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_EMPHASIS = (("em_open", "*…*"), ("strong_open", "**…**"), ("s_open", "~~…~~"))


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


# --- a light .po scanner: lines, duplicates, header fields --------------------------------
@dataclass(slots=True)
class PoEntry:
    line: int  # the line of its msgid
    msgid: str
    context: str | None
    obsolete: bool
    fuzzy: bool
    msgstr: list[tuple[int, str]] = field(default_factory=list)  # (line, piece) of msgstr / msgstr[0]


def scan_po(text: str) -> tuple[list[PoEntry], list[Finding]]:
    """Every entry of a .po text with the line of its msgid, and unclosed strings.

    Babel's ``read_po`` keeps no line per duplicate and merges duplicates, so this scan is what
    names lines; it follows the PO grammar just far enough for that.
    """
    entries: list[PoEntry] = []
    unclosed: list[tuple[int, PoEntry | None]] = []
    flags: set[str] = set()
    context: str | None = None
    current: PoEntry | None = None
    keyword = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        obsolete = False
        if line.startswith("#~"):
            obsolete, line = True, line[2:].strip()
            if line.startswith("|") or not line:
                continue
        elif line.startswith("#,"):
            flags = {f.strip() for f in line[2:].split(",")}
            continue
        if not line or line.startswith("#"):
            continue
        if line.startswith('"'):
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
            current = PoEntry(number, value, context, obsolete, "fuzzy" in flags)
            entries.append(current)
            flags, context = set(), None
        elif keyword in ("msgstr", "msgstr[0]") and current is not None:
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
    if _STRING.match(text):
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
        message = f"duplicate {what}message: the same msgid is at line {other.line}; delete one of them"
        found.append(Finding(entry.line, message, entry.msgid if both_live and entry.msgid else None))
    return found


# --- the header ------------------------------------------------------------------------
def check_header(entries: list[PoEntry], lang: str) -> list[Finding]:
    header = next((e for e in entries if e.msgid == "" and e.context is None and not e.obsolete), None)
    if header is None:
        return [Finding(1, 'no header: the file needs the msgid "" entry with Content-Type and Plural-Forms')]
    fields: dict[str, tuple[str, int]] = {}
    pending = ""
    for line, piece in header.msgstr:
        pending += piece
        while "\n" in pending:
            text, pending = pending.split("\n", 1)
            name, sep, value = text.partition(":")
            if sep:
                fields.setdefault(name.strip().lower(), (value.strip(), line))
    if pending.strip():
        name, sep, value = pending.partition(":")
        if sep:
            fields.setdefault(name.strip().lower(), (value.strip(), header.msgstr[-1][0]))
    return _check_charset(fields, header.line) + _check_plural_forms(fields, header.line, lang)


def _check_charset(fields: dict[str, tuple[str, int]], header_line: int) -> list[Finding]:
    value, line = fields.get("content-type", ("", header_line))
    charset = re.search(r"charset\s*=\s*([^\s;]+)", value, re.I)
    if not charset:
        message = "no charset in the header: write 'Content-Type: text/plain; charset=UTF-8'"
        return [Finding(line, message, whole_file=True)]
    if charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        return [Finding(line, f"charset is '{charset.group(1)}', not UTF-8: save the file as UTF-8 and write 'charset=UTF-8' in Content-Type", whole_file=True)]  # fmt: skip
    return []


def expected_plural_forms(lang: str) -> str | None:
    try:
        return str(get_plural(lang).plural_forms)
    except (ValueError, TypeError):
        return None


def _check_plural_forms(fields: dict[str, tuple[str, int]], header_line: int, lang: str) -> list[Finding]:
    expected = expected_plural_forms(lang)
    if expected is None:
        return []
    if "plural-forms" not in fields:
        return [Finding(header_line, f"no Plural-Forms header; for '{lang}' CLDR gives '{expected}'")]
    value, line = fields["plural-forms"]
    if not _same_plural_rule(value, expected):
        return [Finding(line, f"Plural-Forms is '{value}', but for '{lang}' CLDR gives '{expected}'")]
    return []


def _parse_plural_forms(value: str) -> tuple[int, str] | None:
    match = re.fullmatch(r"\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*", value)
    return (int(match.group(1)), match.group(2)) if match else None


def _same_plural_rule(value: str, expected: str) -> bool:
    """Same number of forms and the same form for every n: equivalent formulas pass."""
    mine, cldr = _parse_plural_forms(value), _parse_plural_forms(expected)
    if mine is None or cldr is None or mine[0] != cldr[0]:
        return False
    try:
        f, g = gettext.c2py(mine[1]), gettext.c2py(cldr[1])
        return all(f(n) == g(n) for n in range(1001))
    except (ValueError, SyntaxError, RecursionError, ZeroDivisionError):
        return False


# --- one translation -------------------------------------------------------------------
@dataclass(slots=True)
class _Inline:
    links: Counter[str] = field(default_factory=Counter)
    emphasis: Counter[str] = field(default_factory=Counter)
    code: Counter[str] = field(default_factory=Counter)
    tags: Counter[str] = field(default_factory=Counter)
    unsafe: list[str] = field(default_factory=list)


def _inline(md: MarkdownIt, text: str) -> _Inline:
    facts = _Inline()
    children = md.parseInline(text)[0].children or []
    for tok in children:
        if tok.type == "link_open":
            facts.links[str(tok.attrs.get("href", ""))] += 1
        elif tok.type == "image":
            facts.links[str(tok.attrs.get("src", ""))] += 1
        elif tok.type in ("em_open", "strong_open", "s_open"):
            facts.emphasis[tok.type] += 1
        elif tok.type == "code_inline":
            facts.code[f"`{tok.content}`"] += 1
        elif tok.type == "html_inline":
            tag = _TAG.match(tok.content)
            if tag and tag.group(2).lower() not in FREE_TAGS and tag.group(2).lower() in _TAGS:  # others: unsafe
                facts.tags[f"<{tag.group(1)}{tag.group(2).lower()}>"] += 1
            if tag and not tag.group(1) and tag.group(2).lower() == "a" and (href := _HREF.search(tok.content)):
                facts.links[next(g for g in href.groups() if g is not None)] += 1
    scanner = _UnsafeHtml()
    scanner.feed(md.renderer.render(children, md.options, {}))
    scanner.close()
    facts.unsafe = scanner.found
    return facts


class _UnsafeHtml(HTMLParser):
    """What the allowlist sanitiser (sitegen.body.sanitize) would remove from rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def _add(self, what: str) -> None:
        if what not in self.found:
            self.found.append(what)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _TAGS:
            self._add(f"<{tag}>")
            return
        allowed = _ATTRIBUTES.get(tag, set()) | _ATTRIBUTES["*"]
        for name, value in attrs:
            if name == "class" and value and set(value.split()) <= _CLASSES.get(tag, set()):
                continue
            if name not in allowed:
                self._add(f"{name} attribute on <{tag}>")
            elif name == "href" and value:
                scheme = urlsplit(re.sub(r"[\x00-\x20]", "", value)).scheme.lower()
                if scheme and scheme not in _SCHEMES:
                    self._add(f"{scheme}: link")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag not in _TAGS:
            self._add(f"<{tag}>")

    def handle_comment(self, data: str) -> None:
        self._add("<!-- comment -->")

    def handle_decl(self, decl: str) -> None:
        self._add(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self._add(f"<?{data}>")


def _differ(what: str, source: Counter[str], translation: Counter[str]) -> list[str]:
    """``<what> differ(s) from the source: missing 'a'; not in the source 'b'``, in text order."""
    missing, extra = source - translation, translation - source
    if not missing and not extra:
        return []
    parts = []
    if missing:
        parts.append("missing " + ", ".join(f"'{x}'" for x in missing.elements()))
    if extra:
        parts.append("not in the source " + ", ".join(f"'{x}'" for x in extra.elements()))
    verb = "differ" if what.endswith("s") else "differs"
    return [f"{what} {verb} from the source: {'; '.join(parts)}"]


def placeholders(text: str) -> Counter[str]:
    return Counter(_PLACEHOLDER.findall(text))


def bidi_controls(text: str) -> list[str]:
    """The bidi embedding, override and isolate controls in a text, as 'U+202E (NAME)'."""
    found = sorted({ch for ch in text if ch in BIDI_CONTROLS})
    return [f"U+{ord(ch):04X} ({unicodedata.name(ch)})" for ch in found]


# Texts without any of these are plain: no markup, links, placeholders or bidi controls to compare.
_MARKUP = re.compile(r"[\[\]<>*_~`%{}&@\\\u202a-\u202e\u2066-\u2069]|://|\w\.[a-z]{2}", re.I)  # domains: linkified


def check_translation(
    md: MarkdownIt, source: str | tuple[str, ...], translation: str | tuple[str, ...], sources: dict[str, _Inline] | None = None
) -> list[str]:
    """The problems of one translation compared with its German source; [] when it may be published.

    ``sources`` remembers what each German text contains, so that a text translated into five
    languages is parsed once, not five times.
    """
    if isinstance(source, tuple) or isinstance(translation, tuple):
        return _check_plural(md, source, translation)
    if not _MARKUP.search(source) and not _MARKUP.search(translation):
        return []
    problems: list[str] = []
    if sources is None:
        src = _inline(md, source)
    elif (src := sources.get(source)) is None:  # type: ignore[assignment]
        src = sources[source] = _inline(md, source)
    tr = _inline(md, translation)
    problems += _differ("link targets", src.links, tr.links)
    for kind, mark in _EMPHASIS:
        if src.emphasis[kind] != tr.emphasis[kind]:
            problems.append(f"emphasis differs from the source: the source has {src.emphasis[kind]} {mark}, the translation {tr.emphasis[kind]}")  # fmt: skip
    problems += _differ("inline code", src.code, tr.code)
    problems += _differ("HTML tags", src.tags, tr.tags)
    problems += _differ("placeholders", placeholders(source), placeholders(translation))
    problems += _common(src, tr, source, translation)
    return problems


def _common(src: _Inline, tr: _Inline, source: str, translation: str) -> list[str]:
    problems = []
    bidi = [b for b in bidi_controls(translation) if b not in bidi_controls(source)]
    if bidi:
        problems.append(f"invisible bidi control character{'s' if len(bidi) > 1 else ''} {', '.join(bidi)}: remove {'them' if len(bidi) > 1 else 'it'} (to isolate a word of the other direction, write <bdi>word</bdi>)")  # fmt: skip
    unsafe = [u for u in tr.unsafe if u not in src.unsafe]
    if unsafe:
        problems.append(f"unsafe HTML that the site removes: {', '.join(unsafe)}")
    return problems


def _check_plural(md: MarkdownIt, source: str | tuple[str, ...], translation: str | tuple[str, ...]) -> list[str]:
    sources = source if isinstance(source, tuple) else (source,)
    forms = translation if isinstance(translation, tuple) else (translation,)
    allowed = sum((placeholders(s) for s in sources), Counter())
    problems: list[str] = []
    for form in forms:
        if not form:
            continue
        extra = set(placeholders(form)) - set(allowed)
        if extra:
            problems.append("placeholders differ from the source: not in the source " + ", ".join(f"'{x}'" for x in sorted(extra)))  # fmt: skip
        problems += _common(_inline(md, sources[0]), _inline(md, form), sources[0], form)
    return list(dict.fromkeys(problems))


# --- one catalogue ---------------------------------------------------------------------
def check_catalogue(
    data: bytes, catalog: Catalog, lang: str, md: MarkdownIt | None = None, sources: dict[str, _Inline] | None = None
) -> list[Finding]:
    """Every problem of one language's .po file (read already by Babel as ``catalog``), by line.

    Pass the same ``sources`` dict for every language of a project (see check_translation).
    """
    md = md or make_markdown()
    entries, findings = scan_po(data.decode("utf-8", errors="replace"))
    findings += duplicates(entries)
    findings += check_header(entries, lang)
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
        for problem in check_translation(md, message.id, message.string, sources):
            findings.append(Finding(line, problem, key))
    return sorted(findings, key=lambda f: (f.line, f.message))
