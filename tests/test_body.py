"""Markdown bodies: segmentation into messages, rendering per language, sanitising."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.body import make_markdown, parse_body, render_body
from sitegen.markdown_parser import is_plain_text

SOURCE = """\
# Unser Kurs

Ein Absatz mit
harter Umbruch-Zeile  
und **fett** und [Link](anderes.md).

- Erster Punkt
  - Unterpunkt mit *Betonung*
- Zweiter
  Punkt

| Tag | Zeit |
|:----|-----:|
| Montag | 9 Uhr |

> Ein Zitat
> über zwei Zeilen.

```
code bleibt
```

<div>HTML-Block</div>
"""


def segments(text: str, first_line: int = 1) -> list[tuple[str, int, str]]:
    body = parse_body(make_markdown(), text, first_line)
    return [(m.text, m.line, m.field) for m in body.segments]


def test_blocks_become_messages_with_their_lines() -> None:
    assert segments(SOURCE, first_line=10) == [
        ("Unser Kurs", 10, "body heading"),
        ("Ein Absatz mit harter Umbruch-Zeile\\\nund **fett** und [Link](anderes.md).", 12, "body paragraph"),
        ("Erster Punkt", 16, "body list item"),
        ("Unterpunkt mit *Betonung*", 17, "body list item"),
        ("Zweiter Punkt", 18, "body list item"),
        ("Tag", 21, "body table cell"),
        ("Zeit", 21, "body table cell"),
        ("Montag", 23, "body table cell"),
        ("9 Uhr", 23, "body table cell"),
        ("Ein Zitat über zwei Zeilen.", 25, "body quote"),
    ]


def test_nested_list_indented_by_two_spaces_is_nested() -> None:
    html = render_body(make_markdown(), parse_body(make_markdown(), "- a\n  - b\n", 1), lambda s: s, lambda h: h, "")
    assert html == "<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n</ul>\n"


def test_german_fallback_is_marked_and_translations_used() -> None:
    md = make_markdown()
    body = parse_body(md, "Hallo *Welt*.\n\nZweiter Absatz.\n", 1)
    html = render_body(md, body, {"Hallo *Welt*.": "مرحبا *عالم*."}.get, lambda h: h, 'lang="de" dir="ltr"')
    assert html == '<p>مرحبا <em>عالم</em>.</p>\n<p><span lang="de" dir="ltr">Zweiter Absatz.</span></p>\n'


def test_headings_start_at_h2_and_do_not_skip_levels() -> None:
    md = make_markdown()
    html = render_body(md, parse_body(md, "# Eins\n\n#### Vier\n", 1), lambda s: s, lambda h: h, "")
    assert html == "<h2>Eins</h2>\n<h3>Vier</h3>\n"


def test_script_and_unsafe_links_from_translations_are_removed() -> None:
    md = make_markdown()
    body = parse_body(md, "Text.\n", 1)
    evil = 'Text <script>alert(1)</script><img src=x onerror=alert(1)> [a](javascript:alert(1)) <a href="javascript:x" onclick="y">b</a>'
    html = render_body(md, body, {"Text.": evil}.get, lambda h: h, "")
    assert html == '<p>Text  [a](javascript:alert(1)) <a rel="noopener noreferrer">b</a></p>\n'


def test_table_alignment_becomes_classes_not_inline_styles() -> None:
    md = make_markdown()
    html = render_body(md, parse_body(md, "| a | b |\n|:-|-:|\n| 1 | 2 |\n", 1), lambda s: s, lambda h: h, "")
    assert 'class="align-right"' in html and "style" not in html


def test_autolinks_render_as_links() -> None:
    md = make_markdown()
    html = render_body(md, parse_body(md, "Siehe https://example.org/x.\n", 1), lambda s: s, lambda h: h, "")
    assert '<a href="https://example.org/x" rel="noopener noreferrer">https://example.org/x</a>' in html


# --- plain text takes a short cut: it must come out exactly as the full render would make it ---
PLAIN_ALPHABET = "abcxyzÄöüß ARZ019.,;:-+=#$%^{}()/?'|“”„«»–—…مرحباًПривет\u200e\u200f\t\n\r\u00a0!&*<>[\\]_`~\"@"


def _full_inline(md, text: str) -> str:  # type: ignore[no-untyped-def]
    from sitegen.sanitiser import sanitize

    return sanitize(md.renderer.renderInline(md.parseInline(text, {"references": {}})[0].children, md.options, {}))


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=PLAIN_ALPHABET, min_size=1, max_size=40))
def test_a_text_taken_as_plain_renders_as_itself(text: str) -> None:
    md = make_markdown()
    if is_plain_text(text):
        assert _full_inline(md, text) == text


def test_the_short_cut_is_taken_for_ordinary_sentences_and_not_for_markup() -> None:
    assert is_plain_text("Wir treffen uns jeden Montag von 9 bis 12 Uhr: Kinder sind willkommen.")
    assert is_plain_text("نلتقي كل يوم اثنين")
    for text in ("**fett**", "a_b_", "`code`", "[Link](x)", "drk.de", "info@drk.de", "https://x", "a &amp; b",
                 "\"quoted\"", "a\u00a0b", "a ~~b~~"):  # fmt: skip
        assert not is_plain_text(text), text
