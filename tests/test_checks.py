"""Quality checks of translations: each problem as locales/<lang>/LC_MESSAGES/messages.po:<line>: message.

``sitegen check`` reports them as errors (exit 1); ``sitegen build`` warns and publishes German
for each offending message; ``build --strict`` fails.
"""

from __future__ import annotations

from pathlib import Path

import re
from itertools import pairwise

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import unescape
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.body import make_markdown
from sitegen.checks import check_translation, scan_po
from sitegen.message_checks import has_markup
from sitegen.cli import main
from sitegen.errors import BuildError
from sitegen.pipeline import build_site, load_project
from sitegen.text_checks import GRAMMATICAL_DOUBLES, doubled_words, whitespace_warnings

from .conftest import SITE_YAML, write_tree

EN = "locales/en/LC_MESSAGES/messages.po"
AR = "locales/ar/LC_MESSAGES/messages.po"

OFFER = """\
---
title: Kurs
summary: Ein Kurs.
category: sprache
---
Mehr unter [BAMF](https://www.bamf.de/) und **hier**.

Bitte `Ausweis` mitbringen, <abbr title="Deutsch als Zweitsprache">DaZ</abbr>.

Noch %(anzahl)s Plätze, Beginn {datum}.

Ein einfacher Satz.
"""

HEADER = (
    'msgid ""\n'
    'msgstr ""\n'
    '"Language: {lang}\\n"\n'
    '"Plural-Forms: {plural}\\n"\n'
    '"MIME-Version: 1.0\\n"\n'
    '"Content-Type: text/plain; charset={charset}\\n"\n'
    '"Content-Transfer-Encoding: 8bit\\n"\n'
)

# Line numbers, counted by hand: the header is lines 1-7, line 8 is empty.
BROKEN_EN = HEADER.format(lang="en", plural="nplurals=2; plural=(n != 1);", charset="UTF-8") + (
    "\n"
    'msgid "Mehr unter [BAMF](https://www.bamf.de/) und **hier**."\n'  # 9
    'msgstr "More at [BAMF](https://evil.example/) and **here**."\n'
    "\n"
    'msgid "Bitte `Ausweis` mitbringen, <abbr title=\\"Deutsch als Zweitsprache\\">DaZ</abbr>."\n'  # 12
    'msgstr "Please bring your ID, DaZ."\n'
    "\n"
    'msgid "Noch %(anzahl)s Plätze, Beginn {datum}."\n'  # 15
    'msgstr "%(count)s places left, starting {datum}."\n'
    "\n"
    'msgid "Ein einfacher Satz."\n'  # 18
    'msgstr "\u202eA simple sentence."\n'
    "\n"
    'msgid "Kurs"\n'  # 21
    'msgstr "Course <script>alert(1)</script>"\n'
    "\n"
    'msgid "Ein Kurs."\n'  # 24
    'msgstr "A course."\n'
    "\n"
    "#, fuzzy\n"
    'msgid "Ein Kurs."\n'  # 28
    'msgstr "One course."\n'
    "\n"
    'msgid "Sprachkurse"\n'  # 31
    'msgstr "Language <em>courses</em>"\n'
)

EXPECTED_EN = [
    f"{EN}:9: link targets differ from the source: missing 'https://www.bamf.de/'; not in the source 'https://evil.example/'",
    f"{EN}:12: HTML tags differ from the source: missing '<abbr>', '</abbr>'",
    f"{EN}:12: inline code differs from the source: missing '`Ausweis`'",
    f"{EN}:15: placeholders differ from the source: missing '%(anzahl)s'; not in the source '%(count)s'",
    f"{EN}:18: invisible bidi control character U+202E (RIGHT-TO-LEFT OVERRIDE): remove it "
    "(to isolate a word of the other direction, write <bdi>word</bdi>)",
    f"{EN}:21: unsafe HTML that the site removes: <script>",
    f"{EN}:28: duplicate message: the same msgid is at line 24; delete one of them",
    f"{EN}:31: HTML tags differ from the source: not in the source '<em>', '</em>'",
]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "site", {"content/site.yaml": SITE_YAML, "content/offers/kurs.md": OFFER})


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(argv)
    return code, capsys.readouterr().err.splitlines()


# --- one translation -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("source", "translation", "problems"),
    [
        ("Siehe [hier](https://a.de/).", "See [here](https://a.de/).", []),
        ("Siehe <https://a.de> und www.b.de", "See www.b.de and <https://a.de>", []),
        ("Siehe [hier](kontakt.md).", "See here.", ["link targets differ from the source: missing 'kontakt.md'"]),
        ("Ein Satz.", "A [sentence](https://x.example/).", ["link targets differ from the source: not in the source 'https://x.example/'"]),
        ("Ein Satz.", "A sentence, see evil.com.", ["link targets differ from the source: not in the source 'http://evil.com'"]),
        ("Ein *kurzer* Satz.", "A short sentence.", ["emphasis differs from the source: the source has 1 *…*, the translation 0"]),
        ("Ein **kurzer** Satz.", "A *short* sentence.", [
            "emphasis differs from the source: the source has 0 *…*, the translation 1",
            "emphasis differs from the source: the source has 1 **…**, the translation 0",
        ]),
        ("Ein ~~alter~~ Satz.", "An old sentence.", ["emphasis differs from the source: the source has 1 ~~…~~, the translation 0"]),
        ("Tippen Sie `ja`.", "Type `yes`.", ["inline code differs from the source: missing '`ja`'; not in the source '`yes`'"]),
        ("Hallo %(name)s, {n} Plätze", "Hello %(name)s, {n} places", []),
        ("Hallo %s", "Hello", ["placeholders differ from the source: missing '%s'"]),
        ("Zu 100 % sicher.", "100 % safe.", []),  # a percent sign in prose is no placeholder
        ("Ein Satz.", "\u2067A\u2069 sentence.", [
            "invisible bidi control characters U+2067 (RIGHT-TO-LEFT ISOLATE), U+2069 (POP DIRECTIONAL ISOLATE): "
            "remove them (to isolate a word of the other direction, write <bdi>word</bdi>)"
        ]),
        ("Ein Satz über Borken.", "\u200fجملة عن <bdi>Borken</bdi>.", []),  # RLM and <bdi> are allowed
        ("Ein Satz.", "A <span onclick='x()'>sentence</span>.", [
            "HTML tags differ from the source: not in the source '<span>', '</span>'",
            "unsafe HTML that the site removes: onclick attribute on <span>",
        ]),
        ("Ein <a href=\"https://a.de\">Link</a>.", "A <a href=\"javascript:alert(1)\">link</a>.", [
            "link targets differ from the source: missing 'https://a.de'; not in the source 'javascript:alert(1)'",
            "unsafe HTML that the site removes: javascript: link",
        ]),
        ("Ein Bild.", "An <img src=x onerror=alert(1)> image <!-- x -->.", [
            "link targets differ from the source: not in the source 'x'",
            "unsafe HTML that the site removes: <img>, <!-- comment -->",
        ]),
    ],
)
def test_check_translation(source: str, translation: str, problems: list[str]) -> None:
    assert check_translation(make_markdown(), source, translation) == problems


def test_plural_translation_may_leave_out_the_number_but_not_add_placeholders() -> None:
    md = make_markdown()
    assert check_translation(md, ("%(num)d offer", "%(num)d offers"), ("one offer", "%(num)d offers")) == []
    assert check_translation(md, ("%(num)d offer", "%(num)d offers"), ("%(num)d offer", "%(n)d offers")) == [
        "placeholders differ from the source: not in the source '%(n)d'"
    ]


def test_scan_finds_lines_duplicates_and_unclosed_strings() -> None:
    text = 'msgid ""\nmsgstr ""\n\nmsgctxt "a"\nmsgid "x"\nmsgstr "y"\n\nmsgid "x"\nmsgstr "z\n\n#~ msgid "x"\n#~ msgstr "old"\n'
    entries, findings = scan_po(text)
    assert [(e.line, e.context, e.msgid, e.obsolete) for e in entries] == [
        (1, None, "", False), (5, "a", "x", False), (8, None, "x", False), (11, None, "x", True)
    ]  # fmt: skip
    assert [(f.line, f.message, f.msgid) for f in findings] == [
        (9, "the string is not closed: a '\"' is missing at the end of the line", "x")
    ]


# The PO grammar of a quoted string, written out plainly: the scanner's short cut must agree with it.
PO_STRING = re.compile(r'"(?:[^"\\]|\\.)*"\s*')
STRING_ALPHABET = 'ab "\\ntä\u00a0\t'


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=STRING_ALPHABET, max_size=12), st.sampled_from(["msgid ", ""]))
def test_a_string_is_closed_and_read_exactly_as_the_po_grammar_and_babel_say(inner: str, keyword: str) -> None:
    line = f'"{inner}'.strip()
    if not line.startswith('"'):
        return
    text = f'msgid {line}\nmsgstr ""\n' if keyword else f'msgid "x"\n{line}\nmsgstr ""\n'  # a first line, or one more
    entries, findings = scan_po(text)
    closed = PO_STRING.fullmatch(line) is not None
    assert bool(findings) is not closed
    value = unescape(line.rstrip()) if closed else line.strip().strip('"')
    assert entries[-1].msgid == (value if keyword else "x" + value)


# What has_markup looks for, written as one pattern: the short cut must find exactly these.
MARKUP = re.compile(r"[\[\]<>*_~`%{}&@\\\u202a-\u202e\u2066-\u2069\x00-\x08\x0b-\x1f\x7f-\x9f]|://|\w\.[a-z]{2}", re.I)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="ab.Zé1 _:/@%<\u212a\u0131\u202e\x85", max_size=12))
def test_markup_is_found_as_its_definition_says(text: str) -> None:
    assert has_markup(text) == bool(MARKUP.search(text))


def _doubled_as_defined(source: str, translation: str, lang: str) -> list[str]:
    """doubled_words without its short cuts: every doubling of the translation, links and code blanked out."""
    not_words = re.compile(r"\]\([^()]*\)|<[^<>]*>|`[^`]*`|(?<!\S)\S+://\S+|www\.\S+|(?<!\S)\S+@\S+|&#?\w+;|%\(\w+\)\w|\{[^{}]*\}")
    doubled = re.compile(r"(?<![\w'’-])([^\W\d_]+)([ \u00a0]+)(\1)(?![\w-])", re.IGNORECASE)
    words = [w.strip(".,;:!?()[]{}\"'«»„“”‚‘’*_`،؛؟") for w in translation.casefold().split()]
    if not any(a and a == b for a, b in pairwise(words)):
        return []
    in_source = {m.group(1).casefold() for m in doubled.finditer(source)}
    found: list[str] = []
    for match in doubled.finditer(not_words.sub(" ", translation)):
        word = match.group(1).casefold()
        if word not in GRAMMATICAL_DOUBLES.get(lang, frozenset()) and word not in in_source and match.group(0) not in found:
            found.append(match.group(0))
    return [f"doubled word '{pair}': delete one" for pair in found]


WORD_PIECES = ["die", "Die", "nous", "bir", "в", "[die](x)", "<b>", "`die`", "http://x.de", "a@b.de", "&amp;",
               "%(n)s", "{n}", "(die)", "x.die", "-die", "'die", "5", "ß", "ss", " ", "  ", "\u00a0", "\n"]  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(WORD_PIECES), max_size=8), st.lists(st.sampled_from(WORD_PIECES), max_size=8),
       st.sampled_from(["de", "fr", "tr", "ru"]))  # fmt: skip
def test_doubled_words_short_cuts_find_what_the_definition_finds(source: list[str], translation: list[str], lang: str) -> None:
    source_text, translated = " ".join(source), " ".join(translation)
    assert doubled_words(source_text, translated, lang) == _doubled_as_defined(source_text, translated, lang)


def test_a_hard_line_break_lost_or_added_is_a_warning() -> None:
    lost = "line breaks differ from the source: the source has 1, the translation 0 (a line break is a '\\' at the end of a line)"
    added = "line breaks differ from the source: the source has 0, the translation 1 (a line break is a '\\' at the end of a line)"
    assert whitespace_warnings("Montag\\\nDienstag", "Monday Tuesday") == [lost]
    assert whitespace_warnings("Montag Dienstag", "Monday  \nTuesday") == [added]
    assert whitespace_warnings("Montag  \nDienstag", "Monday\\\nTuesday") == []  # two spaces or a backslash: both a break
    assert whitespace_warnings("Montag\nDienstag", "Monday Tuesday") == []  # a soft break is a space


# --- sitegen check: every problem as an error with its line ------------------------------
def test_check_names_every_broken_translation_by_file_and_line(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(site, {EN: BROKEN_EN})
    code, err = run(["check", str(site)], capsys)
    assert code == 1
    assert [line for line in err if line.startswith("locales/")] == EXPECTED_EN
    assert err[-1] == "sitegen: 8 errors"


def test_check_reports_header_problems_at_their_lines(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(site, {
        AR: HEADER.format(lang="ar", plural="nplurals=2; plural=n;", charset="ISO-8859-1") + '\nmsgid "Kurs"\nmsgstr "dawra"\n',
        EN: HEADER.format(lang="en", plural="nplurals=2; plural=n!=1;", charset="utf-8") + '\nmsgid "Kurs"\nmsgstr "Course"\n',
    })  # fmt: skip
    code, err = run(["check", str(site)], capsys)
    assert code == 1
    cldr = get_plural("ar").plural_forms
    assert [line for line in err if line.startswith("locales/")] == [
        f"{AR}:4: Plural-Forms formula 'n' picks form 2 for n=2, but nplurals=2 allows only 0 to 1; for 'ar' CLDR gives '{cldr}'",
        f"{AR}:6: charset is 'ISO-8859-1', not UTF-8: save the file as UTF-8 and write 'charset=UTF-8' in Content-Type",
    ]  # the English rule is written differently from CLDR's but is a valid rule: no error


def test_check_reports_syntax_errors_with_line(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = HEADER.format(lang="en", plural="nplurals=2; plural=(n != 1);", charset="UTF-8")
    write_tree(site, {EN: header + '\nmsgid "Kurs"\nmsgstrr "Course"\n'})
    code, err = run(["check", str(site)], capsys)
    assert code == 1
    assert [line for line in err if line.startswith(EN)] == [
        f"{EN}:10: not a valid .po file: Unknown or misformatted keyword on 9"
    ]  # Babel's message counts lines from 0
    write_tree(site, {EN: header + '\nmsgid "Kurs"\nmsgstr "Course\n'})
    code, err = run(["check", str(site)], capsys)
    assert code == 1
    assert [line for line in err if line.startswith(EN)] == [
        f"{EN}:10: the string is not closed: a '\"' is missing at the end of the line"
    ]


def test_fuzzy_translations_are_not_checked(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = HEADER.format(lang="en", plural="nplurals=2; plural=(n != 1);", charset="UTF-8")
    write_tree(site, {EN: header + '\n#, fuzzy\nmsgid "Kurs"\nmsgstr "<script>"\n'})
    assert run(["check", str(site)], capsys)[0] == 0


# --- sitegen build: a warning each, and German for each offending message -------------------
def test_build_warns_and_publishes_german_for_each_broken_translation(site: Path) -> None:
    write_tree(site, {EN: BROKEN_EN})
    result = build_site(site, search=False)
    warnings = [str(w) for w in result.warnings if w.path == EN]
    published = "; the German text is published instead"
    assert warnings == [w + published for w in EXPECTED_EN]
    page = (site / "_site/en/offers/kurs/index.html").read_text()
    assert '<h1><span lang="de">Kurs</span></h1>' in page
    assert "alert(1)" not in page and "evil.example" not in page and "\u202e" not in page
    assert '<span lang="de">Mehr unter <a href="https://www.bamf.de/"' in page
    assert '<span lang="de">Noch %(anzahl)s Plätze, Beginn {datum}.</span>' in page
    assert '<span lang="de">Ein einfacher Satz.</span>' in page
    assert "A course." not in page  # duplicate: neither copy is published
    assert "Language courses" not in (site / "_site/en/offers/index.html").read_text()


def test_build_strict_fails_on_a_broken_translation(site: Path) -> None:
    write_tree(site, {EN: BROKEN_EN})
    with pytest.raises(BuildError):
        build_site(site, strict=True, search=False)
    assert not (site / "_site").exists()


def test_a_wrong_charset_makes_the_whole_language_german_in_the_build(site: Path) -> None:
    header = HEADER.format(lang="en", plural="nplurals=2; plural=(n != 1);", charset="ISO-8859-1")
    write_tree(site, {EN: header + '\nmsgid "Kurs"\nmsgstr "Course"\n'})
    project = load_project(site)
    assert project.languages["en"].translate("Kurs") is None
    assert [str(w) for w in project.report.warnings if w.path == EN] == [
        f"{EN}:6: charset is 'ISO-8859-1', not UTF-8: save the file as UTF-8 and write 'charset=UTF-8' "
        "in Content-Type; the en pages show German"
    ]


def test_a_broken_po_file_is_a_warning_for_the_build(site: Path) -> None:
    header = HEADER.format(lang="en", plural="nplurals=2; plural=(n != 1);", charset="UTF-8")
    write_tree(site, {EN: header + '\nmsgid "Kurs"\nmsgstrr "Course"\n'})
    result = build_site(site, search=False)
    assert any(str(w).startswith(f"{EN}:10: not a valid .po file:") and str(w).endswith("the en pages show German")
               for w in result.warnings)  # fmt: skip
    assert '<h1><span lang="de">Kurs</span></h1>' in (site / "_site/en/offers/kurs/index.html").read_text()
