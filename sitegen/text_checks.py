"""The text of a translation: left in German, cut short at a line break, a word typed twice.

Three slips that leave every link and number intact and that a reader still trips over:

* a **copy of the source**: a msgstr equal to its German msgid (Poedit's "copy from source", a
  paste into the wrong box) is not a translation. It is shown as untranslated German, marked
  ``lang="de"``, and ``sitegen status`` counts it as "same as German". Texts of names, addresses,
  numbers or codes only ("DRK-Kreisverband Borken e.V.", "Herford", "09:00", an URL) stay the same in
  every language and are not copies; nor is a message with the flag ``#, ignore-same`` (Weblate's
  flag, which Poedit and Babel keep), with which a translator says "the same on purpose".
* **line breaks and whitespace**: ``msgfmt --check`` rejects a msgstr that does not start and end
  with ``\\n`` exactly where its msgid does, so that is an error; whitespace at the start or end
  that the source lacks, and a different number of hard line breaks, show on the page: warnings.
* a **doubled word** ("the the", "die die"): a warning. Doublings a language's grammar makes
  ("nous nous", "vous vous", Turkish "yavaş yavaş") are not reported.
* **Latin text in brackets** in a right-to-left translation: a warning (see bracket_warnings).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from itertools import pairwise

from babel import Locale, UnknownLocaleError

IGNORE_SAME = "ignore-same"
COPY_WARNING = ("the translation is the German text unchanged: it is shown as untranslated German; translate it, "
                "or add the flag '#, ignore-same' if it stays the same on purpose")  # fmt: skip
# Links, addresses, code, tags and placeholders: what a name-only text may contain besides names.
_NOT_WORDS = re.compile(r"\]\([^()]*\)|<[^<>]*>|`[^`]*`|(?<!\S)\S+://\S+|www\.\S+|(?<!\S)\S+@\S+|&#?\w+;|%\(\w+\)\w|\{[^{}]*\}")
# Every _NOT_WORDS match holds one of these: a text without any has nothing to blank out.
_NOT_WORDS_START = re.compile(r"\]\(|[<`@&{]|://|www\.|%\(")
_WORD = re.compile(r"[^\W\d_]+")
# Lower-case words that stand in names of organisations, places and people.
# Only these: "Ein Ausflug zum Wochenmarkt" is a title to translate, though every other word is capitalised.
NAME_PARTICLES = frozenset({"und", "der", "die", "das", "des", "von", "van", "de", "al", "el", "bin", "ibn",
                            "gmbh", "ggmbh", "mbh", "ag", "eg", "gbr", "kg"})  # fmt: skip
# A word after an apostrophe is a suffix (Turkish "Velen'de de": "in Velen, too").
# Possessive (++): a run of letters is never given back, which no match needs and which saves the
# engine retrying every shorter run.
_DOUBLED = re.compile(r"(?<![\w'’-])([^\W\d_]++)([ \u00a0]++)(\1)(?![\w-])", re.IGNORECASE)
# Words a language doubles by its grammar: French reflexives, Turkish reduplication.
GRAMMATICAL_DOUBLES = {
    "fr": frozenset({"nous", "vous"}),
    "en": frozenset({"had", "that"}),
    "tr": frozenset({"adım", "ara", "azar", "bir", "bol", "çeşit", "çift", "damla", "ev", "gün", "güle", "grup",
                     "iki", "kapı", "kat", "parça", "renk", "sık", "sıra", "tek", "teker", "türlü", "yavaş", "yer"}),
}  # fmt: skip
_PUNCTUATION = ".,;:!?()[]{}\"'«»„“”‚‘’*_`،؛؟"
_HARD_BREAK = re.compile(r"(?:\\|  )\n")


def has_words(text: str) -> bool:
    """Whether a text is prose rather than only names, numbers, codes or addresses.

    German writes every noun with a capital, so a text of capitalised words ("Rhein-Sieg-Kreis,
    Kommunales Integrationszentrum") reads as a name; one lower-case word that is not part of a
    name ("Wir lernen gemeinsam", "für") makes it prose.
    """
    words = _WORD.findall(_not_words_blanked(text))
    return any(len(w) > 1 and w[0].islower() and w.casefold() not in NAME_PARTICLES for w in words)


def _not_words_blanked(text: str) -> str:
    """``text`` with its links, addresses, code, tags and placeholders each made a space."""
    return _NOT_WORDS.sub(" ", text) if _NOT_WORDS_START.search(text) else text


def is_copy(msgid: object, msgstr: object, flags: Iterable[str] = (), locations: Iterable[tuple[str, object]] = ()) -> bool:
    """Whether a translation is its German source unchanged, and not on purpose.

    Interface strings of a project's own theme (found in ``themes/``) have English msgids, which
    an English translation rightly repeats; only content messages count.
    """
    if not isinstance(msgid, str) or not isinstance(msgstr, str) or not msgstr or IGNORE_SAME in flags:
        return False
    places = [str(path) for path, _ in locations]
    if places and all(p.startswith("themes/") for p in places):
        return False
    return msgstr.strip() == msgid.strip() and has_words(msgid)


def line_break_errors(source: str, translation: str) -> list[str]:
    """What ``msgfmt --check`` rejects: a msgstr that starts or ends with ``\\n`` unlike its msgid."""
    problems = []
    for where, test in (("starts", str.startswith), ("ends", str.endswith)):
        if test(source, "\n") and not test(translation, "\n"):
            problems.append(f"the source {where} with a line break ('\\n') and the translation does not: add it (msgfmt --check rejects the file otherwise)")  # fmt: skip
        elif test(translation, "\n") and not test(source, "\n"):
            problems.append(f"the translation {where} with a line break ('\\n') and the source does not: remove it (msgfmt --check rejects the file otherwise)")  # fmt: skip
    return problems


def whitespace_warnings(source: str, translation: str) -> list[str]:
    """Whitespace at the start or end, and hard line breaks, that differ from the source."""
    problems = []
    for where, edges in (("starts", (source[:1], translation[:1])), ("ends", (source[-1:], translation[-1:]))):
        in_source, in_translation = (edge.isspace() and edge != "\n" for edge in edges)
        if in_translation and not in_source:
            problems.append(f"the translation {where} with a space and the source does not: remove it")
        elif in_source and not in_translation:
            problems.append(f"the source {where} with a space and the translation does not")
    if "\n" in source or "\n" in translation:  # a hard line break ends a line
        breaks = [len(_HARD_BREAK.findall(s)) for s in (source, translation)]
        if breaks[0] != breaks[1]:
            problems.append(f"line breaks differ from the source: the source has {breaks[0]}, the translation {breaks[1]} (a line break is a '\\' at the end of a line)")  # fmt: skip
    return problems


def doubled_words(source: str, translation: str, lang: str) -> list[str]:
    """Each word written twice in a row ("the the") that the source does not double."""
    words = [w.strip(_PUNCTUATION) for w in translation.casefold().split()]
    if not any(a and a == b for a, b in pairwise(words)):
        return []  # most texts: no need for the slower pattern
    allowed = GRAMMATICAL_DOUBLES.get(lang.split("_")[0], frozenset())
    text = _not_words_blanked(translation)
    in_source: set[str] | None = None  # made when a doubling is not the language's own
    found = []
    for match in _DOUBLED.finditer(text):
        word = match.group(1).casefold()
        if word in allowed or match.group(0) in found:
            continue
        if in_source is None:
            in_source = {m.group(1).casefold() for m in _DOUBLED.finditer(source)}
        if word not in in_source:
            found.append(match.group(0))
    return [f"doubled word '{pair}': delete one" for pair in found]


# What a bracket check must not read as text: <bdi> isolates (and isolate controls, refused elsewhere)
# become one neutral character; link destinations, tags, code, addresses and placeholders a space.
_ISOLATED = re.compile(r"<bdi\b[^<>]*>.*?</bdi\s*>|[\u2066-\u2068].*?\u2069", re.IGNORECASE | re.DOTALL)
_NOT_BRACKETED_TEXT = re.compile(r"\]\([^()]*\)|<[^<>]*>|`[^`]*`|(?<!\S)\S+://\S+|%\(\w+\)\w|\{[^{}]*\}")


@cache
def is_rtl(lang: str) -> bool:
    """Whether a language is written right to left (Arabic, Persian, Hebrew …), as its locale says."""
    try:
        return Locale.parse(lang.replace("-", "_")).character_order == "right-to-left"
    except (ValueError, UnknownLocaleError):
        return False


def _latin_run(text: str, from_end: bool) -> str:
    """The Latin run a bracket's content starts (or ends) with: its text up to the first
    right-to-left letter, when that holds a Latin (strong left-to-right) letter; else ''."""
    chars = text[::-1] if from_end else text
    run = ""
    for ch in chars:
        if unicodedata.bidirectional(ch) in ("R", "AL"):
            break
        run += ch
    if from_end:
        run = run[::-1]
    if not any(unicodedata.bidirectional(ch) == "L" for ch in run):
        return ""
    return run.strip(" \t\n\u00a0" + _PUNCTUATION.replace("،", "").replace("؛", ""))


def bracket_warnings(translation: str, lang: str) -> list[str]:
    """Latin text at the edge of a bracket pair in a right-to-left translation, not isolated.

    In an Arabic sentence, "(Integrationskurs، BAMF)" is laid out by the Unicode bidi algorithm
    with its brackets taken for part of the Latin text; wherever the line breaks or Latin words
    stand beside it, the brackets show reversed or in the wrong place. Reported: each pair of
    round brackets whose content starts or ends with a Latin (strong left-to-right) run that is
    not inside ``<bdi>…</bdi>`` (or LRI/RLI/FSI…PDI, refused anyway as invisible controls).
    A warning: the translation is still published. Link destinations, tags, code, URLs and
    placeholders are not text in brackets; a bracket without its partner is not a pair.
    """
    if "(" not in translation or not is_rtl(lang):
        return []
    text = _NOT_BRACKETED_TEXT.sub(" ", _ISOLATED.sub("\ufffc", translation))
    found: list[str] = []
    opened: list[int] = []
    for i, ch in enumerate(text):
        if ch == "(":
            opened.append(i)
        elif ch == ")" and opened:
            inner = text[opened.pop() + 1 : i]
            for run in dict.fromkeys((_latin_run(inner, False), _latin_run(inner, True))):
                if run and run not in found:
                    found.append(run)
    found = [run for run in found if not any(f"({run})" in other for other in found)]  # nested: the outer pair's
    return [f"the Latin text '{run}' in brackets will show its brackets reversed in right-to-left text: wrap it in <bdi>…</bdi>"
            for run in found]  # fmt: skip
