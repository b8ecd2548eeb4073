"""Editor Markdown as untrusted-enough input: no block swallows another, the sanitiser's removals
are reported with their line, invisible controls are refused, and limits keep every body fast."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markdown_it.rules_inline.linkify import linkify as upstream_linkify

from sitegen.body import make_markdown, parse_body, render_body
from sitegen.body_checks import MAX_BLOCK_CHARS, MAX_BLOCKS, MAX_BODY_CHARS, MAX_NESTING

from .badinput import assert_rejected, problems, run
from .conftest import OFFER, write_tree
from .markdown_oracle import github_render

EXAMPLES = json.loads((Path(__file__).parent / "data" / "commonmark-0.31.2-examples.json").read_text(encoding="utf-8"))
# GitHub's extensions, written for this project: tables, strikethrough, extended autolinks.
GFM_EXAMPLES = [
    "| a | b |\n| --- | --- |\n| c | d |\n",
    "| links | mitte | rechts |\n|:-----|:------:|------:|\n| 1 | 2 | 3 |\n",
    "| a \\| b | c |\n|---|---|\n| `x \\| y` | **z** |\n",
    "| a | b |\n|---|---|\n| nur eins |\n| eins | zwei | drei |\n",
    "| a |\n|---|\n> Zitat nach der Tabelle\n",
    "Text ~~gestrichen~~ und ~einfach~.\n",
    "Siehe www.example.org, https://example.org/pfad?x=1. und info@example.org!\n",
    "(https://example.org/klammer_(x)) und https://example.org/a).\n",
    "**fett https://example.org/** und https://example.org/*stern*\n",
    "- [ ] Aufgabe\n- [x] erledigt\n",
    "1. eins\n   - zwei\n     > drei\n",
    "Zeile mit hartem Umbruch  \nweiter\\\nund weiter\n",
    "<strong>fett</strong> und <title>Titel</title> und <style>x</style>.\n",
]
HEAD = OFFER[: OFFER.index("---\n", 4) + 4]  # the offer's front matter: its body starts on line 14
OFFER_PATH = "content/offers/deutsch-muetter.md"


def render(source: str, translations: dict[str, str] | None = None, fallback: str = "") -> str:
    md = make_markdown()
    return render_body(md, parse_body(md, source, 1), (translations or {}).get, lambda h: h, fallback)


def page_body(root: Path, lang: str = "de") -> str:
    """The body of the offer as published."""
    page = (root / "_site" / lang / "offers" / "deutsch-muetter" / "index.html").read_text(encoding="utf-8")
    found = re.search(r'<div class="body">\n(.*?)\n</div>', page, re.S)
    assert found, page
    return found.group(1)


def warnings(err: str) -> list[str]:
    return [line for line in problems(err) if line.startswith("warning: content/")]


# --- translation equal to its source: byte-identical, for every CommonMark and GFM example ---


def test_every_commonmark_example_translated_as_itself_gives_the_german_html() -> None:
    assert len(EXAMPLES) == 652
    md = make_markdown()
    differ = []
    for number, source in enumerate(EXAMPLES, start=1):
        body = parse_body(md, source, 1)
        german = render_body(md, body, lambda msgid: None, lambda h: h, "")
        same = render_body(md, body, lambda msgid: msgid, lambda h: h, 'lang="de" dir="ltr"')
        if german != same:
            differ.append(number)
    assert differ == []


@pytest.mark.parametrize("source", GFM_EXAMPLES)
def test_gfm_example_translated_as_itself_gives_the_german_html(source: str) -> None:
    assert render(source, {m.text: m.text for m in parse_body(make_markdown(), source, 1).segments}) == render(source)


def test_sanitising_block_by_block_changes_nothing_for_markdown_without_html() -> None:
    """For Markdown without raw HTML, the page is what GitHub shows (tests/markdown_oracle.py);
    test_markdown_gfm.py lists the examples with raw HTML, which differ on purpose."""
    md = make_markdown()
    checked, differ = 0, []
    for number, source in enumerate(EXAMPLES + GFM_EXAMPLES, start=1):
        body = parse_body(md, source, 1)
        if any(t.type == "html_block" or any(c.type == "html_inline" for c in t.children or ()) for t in body.tokens):
            continue
        checked += 1
        if render_body(md, body, lambda msgid: None, lambda h: h, "") != github_render(source):
            differ.append(number)
    assert (checked, differ) == (592, [])


# --- no block swallows another ---


@pytest.mark.parametrize(
    ("tag", "html"),
    [
        ("style", "<p>Vorher </p>\n<p>Nachher.</p>\n"),
        ("script", "<p>Vorher </p>\n<p>Nachher.</p>\n"),
        ("template", "<p>Vorher </p>\n<p>Nachher.</p>\n"),
        ("textarea", "<p>Vorher mitte</p>\n<p>Nachher.</p>\n"),
        ("title", "<p>Vorher mitte</p>\n<p>Nachher.</p>\n"),
        ("xmp", "<p>Vorher mitte</p>\n<p>Nachher.</p>\n"),
        ("iframe", "<p>Vorher mitte</p>\n<p>Nachher.</p>\n"),
        ("noscript", "<p>Vorher mitte</p>\n<p>Nachher.</p>\n"),
        ("plaintext", "<p>Vorher mitte</p>\n<p>Nachher.</p>\n"),
    ],
)
def test_an_unclosed_element_in_a_paragraph_ends_with_the_paragraph(tag: str, html: str) -> None:
    assert render(f"Vorher <{tag}>mitte\n\nNachher.\n") == html


def test_an_html_block_ends_at_its_blank_line() -> None:
    assert render("<title>\nmitte\n\nNachher.\n") == "\nmitte\n<p>Nachher.</p>\n"
    assert render("<template>\nmitte\n\nNachher.\n") == "<p>Nachher.</p>\n"
    assert render("- a <style>x\n- b\n") == "<ul>\n<li>a </li>\n<li>b</li>\n</ul>\n"


def test_a_translation_cannot_swallow_the_next_block() -> None:
    source = "Eins.\n\nZwei.\n"
    assert render(source, {"Eins.": "One <textarea>one", "Zwei.": "Two."}) == "<p>One one</p>\n<p>Two.</p>\n"
    assert render(source, {"Eins.": "One <style>one"}, 'lang="de"') == '<p>One </p>\n<p><span lang="de">Zwei.</span></p>\n'


@pytest.mark.parametrize(
    ("html", "message"),
    [
        ("<style>\nbody {}", "raw HTML <style> is never closed, so all the text after it is taken into it: close it with </style>"),
        ("<script>\nalert(1)", "raw HTML <script> is never closed, so all the text after it is taken into it: close it with </script>"),
        ("<textarea>\nText", "raw HTML <textarea> is never closed, so all the text after it is taken into it: close it with </textarea>"),
        ("<pre>\nCode", "raw HTML <pre> is never closed, so all the text after it is taken into it: close it with </pre>"),
        ("<!-- Notiz", "HTML comment '<!--' is never closed, so all the text after it is taken into it: close it with -->"),
    ],
)  # fmt: skip
def test_a_raw_html_block_never_closed_is_an_error(
    capsys: pytest.CaptureFixture[str], project: Path, html: str, message: str
) -> None:
    bad = {OFFER_PATH: HEAD + f"Vorher.\n\n{html}\n\nNachher.\n"}
    assert_rejected(capsys, project, bad, [f"{OFFER_PATH}:16: {message}"], "check")


# --- what the sanitiser removes is a warning, an error with --strict ---


def test_raw_html_the_sanitiser_removes_is_a_warning_with_its_line(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_tree(project, {OFFER_PATH: HEAD + (
        "Erster Absatz.\n\n"
        "Text <script>alert(1)</script> und <b onclick=\"x()\">fett</b>.\n\n"
        "<iframe src=\"https://example.org/\">\n\n"
        "[Klick](javascript:alert(1)) und <a href=\"javascript:alert(1)\">hier</a>.\n\n"
        "<img src=\"logo.png\" alt=\"Logo\"> <!-- eine Notiz bleibt unerwähnt -->\n"
    )})  # fmt: skip
    expected = [
        f"warning: {OFFER_PATH}:16: raw HTML <script> is removed by the sanitiser: the page leaves it out with everything inside it",
        f"warning: {OFFER_PATH}:16: raw HTML onclick attribute on <b> is removed by the sanitiser: the page shows the <b> without it",
        f"warning: {OFFER_PATH}:18: raw HTML <iframe> is removed by the sanitiser: the page shows only the text inside it",
        f"warning: {OFFER_PATH}:20: link 'javascript:alert(1)' is removed by the sanitiser: only http, https, mailto and tel links are published; the page shows only the link text",
        f"warning: {OFFER_PATH}:22: raw HTML <img> is removed by the sanitiser: write an image in Markdown, ![what it shows](../media/name.png), with the file in content/media/",
    ]  # fmt: skip
    code, _, err = run(capsys, "build", str(project), "--no-search")
    assert (code, warnings(err)) == (0, expected), err
    assert page_body(project) == (
        "<p>Erster Absatz.</p>\n"
        "<p>Text  und <b>fett</b>.</p>\n\n"
        "<p>[Klick](javascript:alert(1)) und <a rel=\"noopener noreferrer\">hier</a>.</p>\n"
        "<p> </p>\n"
    )
    code, _, err = run(capsys, "build", str(project), "--no-search", "--strict")
    errors = [line for line in problems(err) if line.startswith("content/")]
    assert (code, errors) == (1, [line.removeprefix("warning: ") for line in expected]), err


# --- invisible characters ---


def test_bidi_controls_typed_or_as_character_references_are_errors(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    bad = {OFFER_PATH: HEAD + "Erster Absatz.\n\nPreis: \u202e05 €\u202c.\n\nSiehe &#x202E;Text&#8236; und &#8295;x&#x2069;.\n"}
    expected = [
        f"{OFFER_PATH}:16: this line contains U+202C POP DIRECTIONAL FORMATTING, an invisible control character that can disguise text: remove it",
        f"{OFFER_PATH}:16: this line contains U+202E RIGHT-TO-LEFT OVERRIDE, an invisible control character that can disguise text: remove it",
        f"{OFFER_PATH}:18: this line contains &#8236;, the character reference for U+202C POP DIRECTIONAL FORMATTING, an invisible control character that can disguise text: remove it",
        f"{OFFER_PATH}:18: this line contains &#8295;, the character reference for U+2067 RIGHT-TO-LEFT ISOLATE, an invisible control character that can disguise text: remove it",
        f"{OFFER_PATH}:18: this line contains &#x202E;, the character reference for U+202E RIGHT-TO-LEFT OVERRIDE, an invisible control character that can disguise text: remove it",
        f"{OFFER_PATH}:18: this line contains &#x2069;, the character reference for U+2069 POP DIRECTIONAL ISOLATE, an invisible control character that can disguise text: remove it",
    ]  # fmt: skip
    assert_rejected(capsys, project, bad, expected, "build", "--no-search")


def test_direction_marks_stay_allowed(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_tree(project, {OFFER_PATH: HEAD + "Kurs \u200fمرحبا\u200e 2 und &#x061C;x &rlm;.\n"})
    code, _, err = run(capsys, "build", str(project), "--no-search")
    assert (code, warnings(err)) == (0, []), err
    assert page_body(project) == "<p>Kurs \u200fمرحبا\u200e 2 und \u061cx \u200f.</p>\n"


def test_control_characters_in_a_body_are_errors(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    bad = {OFFER_PATH: HEAD + "Tab\tbleibt.\n\nKlingel\x07 und Seite\x0c.\n"}
    expected = [
        f"{OFFER_PATH}:16: this line contains U+0007 BELL, an invisible control character: remove it",
        f"{OFFER_PATH}:16: this line contains U+000C FORM FEED, an invisible control character: remove it",
    ]  # fmt: skip
    assert_rejected(capsys, project, bad, expected, "check")


# --- limits: an error with its line, before anything slow runs ---


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("Absatz.\n\n" + "x" * MAX_BODY_CHARS, 14, f"the body has {MAX_BODY_CHARS + 9:,} characters; a body may have at most {MAX_BODY_CHARS:,}: shorten it or split it into several pages"),
        ("Absatz.\n\n" + "x://" * 10_000 + "\n", 16, f"this paragraph has 40,000 characters; a paragraph may have at most {MAX_BLOCK_CHARS:,}: split it"),
        ("Absatz.\n\n" + "[" * 50_000 + "\n", 16, f"this paragraph has 50,000 characters; a paragraph may have at most {MAX_BLOCK_CHARS:,}: split it"),
        ("## " + "*" * 20_000 + "\n", 14, f"this heading has 20,000 characters; a heading may have at most {MAX_BLOCK_CHARS:,}: split it"),
        ("Absatz.\n\n" + ">" * 10_000 + " tief\n", 16, f"lists and quotes are nested {MAX_NESTING + 1} deep here; they may be nested at most {MAX_NESTING} deep"),
        ("".join("  " * i + "- Punkt\n" for i in range(300)), 14 + MAX_NESTING, f"lists and quotes are nested {MAX_NESTING + 1} deep here; they may be nested at most {MAX_NESTING} deep"),
        ("|a|\n|-|\n" + "|b|\n" * MAX_BLOCKS, 14 + MAX_BLOCKS + 1, f"here the body passes {MAX_BLOCKS:,} blocks (paragraphs, headings, list items, table cells), the most a body may have: shorten it or split it into several pages"),
    ],
    ids=["body", "x-scheme", "brackets", "heading", "quotes", "list", "cells"],
)  # fmt: skip
def test_a_body_over_the_limits_is_an_error(
    capsys: pytest.CaptureFixture[str], project: Path, body: str, line: int, message: str
) -> None:
    assert_rejected(capsys, project, {OFFER_PATH: HEAD + body}, [f"{OFFER_PATH}:{line}: {message}"], "build", "--no-search")


def test_addresses_with_brackets_build_with_a_warning(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_tree(project, {OFFER_PATH: HEAD + "<http://[x>\n\n[a](http://[x) und http://[y]/\n"})
    code, _, err = run(capsys, "build", str(project), "--no-search")
    assert (code, warnings(err)) == (0, [
        f"warning: {OFFER_PATH}:14: link 'http://[x' is removed by the sanitiser: it is not a valid address; the page shows only the link text",
        f"warning: {OFFER_PATH}:16: link 'http://[x' is removed by the sanitiser: it is not a valid address; the page shows only the link text",
    ]), err  # fmt: skip
    assert page_body(project) == (
        '<p><a rel="noopener noreferrer">http://[x</a></p>\n'
        '<p><a rel="noopener noreferrer">a</a> und http://[y]/</p>\n'
    )


def test_long_runs_within_the_limits_build(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    write_tree(project, {OFFER_PATH: HEAD + "*" * 50_000 + "\n\n" + "x://" * 2_000 + "\n\n" + "[" * 9_000 + "\n"})
    code, _, err = run(capsys, "build", str(project), "--no-search")
    assert (code, warnings(err)) == (0, []), err
    assert page_body(project) == "<hr>\n<p>" + "x://" * 2_000 + "</p>\n<p>" + "[" * 9_000 + "</p>\n"


@pytest.mark.parametrize(
    "text",
    ["http://example.org/a", "xhttp://a.de", "foo+bar://a.de", "a" * 70 + "http://a.de", "HTTPS://A.DE/x*",
     "**https://a.de/**", "ftp://a.de ftp://b.de", "mailto://x", "http:// a", "[https://a.de](https://b.de)",
     "x://" * 50, "\\http://a.de", "~~https://a.de~~", "(http://a.de/(x))"],
)  # fmt: skip
def test_the_linear_scheme_autolink_rule_links_as_markdown_it_does(text: str) -> None:
    ours = make_markdown()
    upstream = make_markdown()
    upstream.inline.ruler.at("linkify", upstream_linkify)
    assert ours.render(text) == upstream.render(text)
