"""One translation compared with its German source: a translation can change words, never the page.

Translations are untrusted input (SPEC §4). A translation may be published only when, compared
with its source, it has

* the same link targets: every URL the rendered HTML carries (``href``, ``src`` …), read with an
  HTML parser from what markdown-it renders, so ``[a](x)``, ``<x>``, ``<a href="x">`` and
  character references all count as the browser will see them;
* the same emphasis, inline code and inline HTML tags;
* the same placeholders (``%(name)s``, ``%s``, ``{name}``), and, where the source is a
  ``%``-formatted interface string, no lone ``%`` that would break the formatting;
* no bidi embedding, override or isolate controls (U+202A–U+202E, U+2066–U+2069), however
  written (``&#x202E;`` too): invisible, they can run on into the rest of the page and hide
  text ("Trojan source"). The marks U+200E, U+200F and U+061C are allowed: they have no scope
  and Arabic text needs them;
* no control characters (C0 but tab and line feed, so carriage returns too; DEL; C1): a CR
  would start new properties in a vCard or calendar file, the others are invisible;
* no HTML the sanitiser would remove (``<script>``, ``on*`` attributes, ``javascript:`` links …).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from .body import ALLOWED_ATTRIBUTES, ALLOWED_CLASSES, ALLOWED_TAGS, LINK_SCHEMES, labels_as_links
from .textsafety import BIDI_CONTROLS, CONTROL_NAMES, refused_characters

# Tags a translator may add although the source has none: isolating a word of the other direction.
FREE_TAGS = frozenset({"bdi"})
# Attributes whose value is an address a browser follows or loads, on any element.
URL_ATTRIBUTES = frozenset({"href", "src", "srcset", "cite", "action", "formaction", "poster", "data",
                            "background", "longdesc", "ping", "xlink:href"})  # fmt: skip

_PLACEHOLDER = re.compile(
    r"%\([A-Za-z_]\w*\)[-#0 +]?\d*(?:\.\d+)?[sdifrxXeEgGcoa]"  # %(name)s
    r"|%[sdif]"  # %s
    r"|\{[A-Za-z_]\w*(?:\.\w+|\[\w+\])*(?:![rsa])?(?::[^{}]*)?\}"  # {name}, {name:>3}
    r"|\{\d*\}"  # {} {0}
)
_FORMAT_NAME = re.compile(r"%\(([^)]*)\)")
_TAG = re.compile(r"^<(/?)([A-Za-z][A-Za-z0-9-]*)")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_EMPHASIS = (("em_open", "*…*"), ("strong_open", "**…**"), ("s_open", "~~…~~"))
# Texts without any of these are plain: no markup, links, placeholders or invisible characters.
_MARKUP_CHARACTER = re.compile(r"[\[\]<>*_~`%{}&@\\\u202a-\u202e\u2066-\u2069\x00-\x08\x0b-\x1f\x7f-\x9f]")
# A name with a dot, "drk.de": written from its dot, which the regex engine finds fast, rather
# than from any word character, which it would try at every position of the text.
_DOTTED_NAME = re.compile(r"\.(?<=\w\.)[a-z]{2}", re.I)


@dataclass(slots=True)
class InlineFacts:
    """What one text contains that a translation must keep: links, markup, unsafe HTML."""

    links: Counter[str] = field(default_factory=Counter)
    emphasis: Counter[str] = field(default_factory=Counter)
    code: Counter[str] = field(default_factory=Counter)
    tags: Counter[str] = field(default_factory=Counter)
    unsafe: list[str] = field(default_factory=list)


def inline_facts(md: MarkdownIt, text: str) -> InlineFacts:
    facts = InlineFacts()
    # a reference link ([text][label]) counts as a link to "[label]": see labels_as_links
    children = md.parseInline(text, labels_as_links(text))[0].children or []
    for tok in children:
        if tok.type in ("em_open", "strong_open", "s_open"):
            facts.emphasis[tok.type] += 1
        elif tok.type == "code_inline":
            facts.code[f"`{tok.content}`"] += 1
        elif tok.type == "html_inline":
            tag = _TAG.match(tok.content)
            if tag and tag.group(2).lower() not in FREE_TAGS and tag.group(2).lower() in ALLOWED_TAGS:  # others: unsafe
                facts.tags[f"<{tag.group(1)}{tag.group(2).lower()}>"] += 1
    # Links are read from the HTML the page would get, by a real HTML parser: a regex can't tell
    # an attribute from text inside another attribute's value (title='href="…"').
    page = RenderedHtml()
    page.feed(md.renderer.render(children, md.options, {}))
    page.close()
    facts.links, facts.unsafe = page.links, page.unsafe
    return facts


class RenderedHtml(HTMLParser):
    """The addresses in rendered HTML, and what the allowlist sanitiser (body.sanitize) would remove."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # attribute values decoded as a browser does
        self.links: Counter[str] = Counter()
        self.unsafe: list[str] = []

    def _add(self, what: str) -> None:
        if what not in self.unsafe:
            self.unsafe.append(what)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in URL_ATTRIBUTES and value is not None:
                self.links[value] += 1
        if tag not in ALLOWED_TAGS:
            self._add(f"<{tag}>")
            return
        allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ALLOWED_ATTRIBUTES["*"]
        for name, value in attrs:
            if name == "class" and value and set(value.split()) <= ALLOWED_CLASSES.get(tag, set()):
                continue
            if name not in allowed:
                self._add(f"{name} attribute on <{tag}>")
            elif name == "href" and value:
                # Browsers ignore control characters and spaces in a scheme ("jav\tascript:").
                scheme = _SCHEME.match(re.sub(r"[\x00-\x20]", "", value))
                if scheme and scheme.group(1).lower() not in LINK_SCHEMES:
                    self._add(f"{scheme.group(1).lower()}: link")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag not in ALLOWED_TAGS:
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
    """The bidi embedding, override and isolate controls in a text, as 'U+202E (NAME)'.

    Character references (``&#x202E;``, ``&#8238;``) count too: the page gets the character.
    """
    found = sorted({ch for ch in text + html.unescape(text) if ch in BIDI_CONTROLS})
    return [f"U+{ord(ch):04X} ({unicodedata.name(ch)})" for ch in found]


def control_characters(text: str) -> list[str]:
    """Control characters in a text, as 'U+000D (CARRIAGE RETURN)'; tab and line feed are allowed."""
    found = sorted(ch for ch in refused_characters(text) if ch not in BIDI_CONTROLS)
    return [f"U+{ord(ch):04X} ({CONTROL_NAMES.get(ch, 'CONTROL CHARACTER')})" for ch in found]


def format_problem(source: str, translation: str, plural: bool = False) -> str | None:
    """Why ``translation`` can't stand where its interface string is %-formatted, or None.

    Templates format a string with the placeholders of its English source (``num`` too for a
    plural), so a lone ``%`` in the translation would break the page: ``100%`` must be ``100%%``.
    A text whose source has no ``%(name)s`` is not formatted (unless plural), so its ``%`` is prose.
    A placeholder the source doesn't have is reported by the placeholder comparison.
    """
    names = _FORMAT_NAME.findall(source)
    if not names and not plural:
        return None
    probe = {name: 0 for name in [*names, *_FORMAT_NAME.findall(translation), "num"]}
    try:
        translation % probe  # noqa: B018  # only whether it formats
    except (ValueError, TypeError, KeyError, IndexError, OverflowError):
        return "a '%' that starts no placeholder: write '%%' for a percent sign"
    return None


def check_translation(
    md: MarkdownIt, source: str | tuple[str, ...], translation: str | tuple[str, ...],
    sources: dict[str, InlineFacts] | None = None,
) -> list[str]:  # fmt: skip
    """The problems of one translation compared with its German source; [] when it may be published.

    ``sources`` remembers what each German text contains, so that a text translated into five
    languages is parsed once, not five times.
    """
    if isinstance(source, tuple) or isinstance(translation, tuple):
        return _check_plural(md, source, translation)
    if not has_markup(source) and not has_markup(translation):
        return []
    problems: list[str] = []
    if sources is None:
        src = inline_facts(md, source)
    elif (src := sources.get(source)) is None:  # type: ignore[assignment]
        src = sources[source] = inline_facts(md, source)
    tr = inline_facts(md, translation)
    problems += _differ("link targets", src.links, tr.links)
    for kind, mark in _EMPHASIS:
        if src.emphasis[kind] != tr.emphasis[kind]:
            problems.append(f"emphasis differs from the source: the source has {src.emphasis[kind]} {mark}, the translation {tr.emphasis[kind]}")  # fmt: skip
    problems += _differ("inline code", src.code, tr.code)
    problems += _differ("HTML tags", src.tags, tr.tags)
    problems += _differ("placeholders", placeholders(source), placeholders(translation))
    if problem := format_problem(source, translation):
        problems.append(problem)
    problems += _common(src, tr, source, translation)
    return problems


def has_markup(text: str) -> bool:
    """Whether ``text`` may hold markup, a link, a placeholder or an invisible character; a
    translation and source without any have nothing to compare."""
    return bool(_MARKUP_CHARACTER.search(text)) or "://" in text or bool(_DOTTED_NAME.search(text))


def _common(src: InlineFacts, tr: InlineFacts, source: str, translation: str) -> list[str]:
    problems = []
    bidi = [b for b in bidi_controls(translation) if b not in bidi_controls(source)]
    if bidi:
        problems.append(f"invisible bidi control character{'s' if len(bidi) > 1 else ''} {', '.join(bidi)}: remove {'them' if len(bidi) > 1 else 'it'} (to isolate a word of the other direction, write <bdi>word</bdi>)")  # fmt: skip
    controls = control_characters(translation)
    if controls:
        problems.append(f"control character{'s' if len(controls) > 1 else ''} {', '.join(controls)}: remove {'them' if len(controls) > 1 else 'it'}")  # fmt: skip
    unsafe = [u for u in tr.unsafe if u not in src.unsafe]
    if unsafe:
        problems.append(f"unsafe HTML that the site removes: {', '.join(unsafe)}")
    return problems


def _check_plural(md: MarkdownIt, source: str | tuple[str, ...], translation: str | tuple[str, ...]) -> list[str]:
    sources = source if isinstance(source, tuple) else (source,)
    forms = translation if isinstance(translation, tuple) else (translation,)
    allowed = sum((placeholders(s) for s in sources), Counter())
    problems: list[str] = []
    source_facts = inline_facts(md, sources[0])
    for form in forms:
        if not form:
            continue
        extra = set(placeholders(form)) - set(allowed)
        if extra:
            problems.append("placeholders differ from the source: not in the source " + ", ".join(f"'{x}'" for x in sorted(extra)))  # fmt: skip
        if problem := format_problem(" ".join(sources), form, plural=True):
            problems.append(problem)
        problems += _common(source_facts, inline_facts(md, form), sources[0], form)
    return list(dict.fromkeys(problems))
