"""Markdown as GitHub shows it: every block rendered on its own gives the page GitHub would show,
reference links resolve in every language, and joining a block's lines never changes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.body import make_markdown, parse_body, render_body
from sitegen.message_checks import check_translation

from .badinput import assert_rejected, run
from .conftest import OFFER, write_tree
from .markdown_oracle import github_render
from .test_trust_markdown import EXAMPLES, GFM_EXAMPLES

# Examples of the GitHub Flavored Markdown Spec 0.29 (https://github.github.com/gfm/, CC-BY-SA 4.0):
# its extensions, tables, strikethrough and extended autolinks.
GFM_SPEC_EXAMPLES = [
    "| foo | bar |\n| --- | --- |\n| baz | bim |\n",
    "| abc | defghi |\n:-: | -----------:\nbar | baz\n",
    "| f\\|oo  |\n| ------ |\n| b `\\|` az |\n| b **\\|** im |\n",
    "| abc | def |\n| --- | --- |\n| bar | baz |\n> bar\n",
    "| abc | def |\n| --- | --- |\n| bar | baz |\nbar\n\nbar\n",
    "| abc | def |\n| --- |\n| bar |\n",
    "| abc | def |\n| --- | --- |\n| bar |\n| bar | baz | boo |\n",
    "| abc | def |\n| --- | --- |\n",
    "~~Hi~~ Hello, world!\n",
    "This ~~has a\n\nnew paragraph~~.\n",
    "www.commonmark.org\n",
    "Visit www.commonmark.org/help for more information.\n",
    "Visit www.commonmark.org.\n\nVisit www.commonmark.org/a.b.\n",
    "www.google.com/search?q=Markup+(business)\n\nwww.google.com/search?q=Markup+(business)))\n",
    "www.google.com/search?q=(business))+ok\n",
    "www.google.com/search?q=commonmark&hl=en\n\nwww.google.com/search?q=commonmark&hl;\n",
    "www.commonmark.org/he<lp\n",
    "http://commonmark.org\n\n(Visit https://encrypted.google.com/search?q=Markup+(business))\n",
    "foo@bar.baz\n",
    "hello@mail+xyz.example isn't valid, but hello+xyz@mail.example is.\n",
]
ALL_EXAMPLES = EXAMPLES + GFM_EXAMPLES + GFM_SPEC_EXAMPLES
# Where the page differs from GitHub on purpose, all of it raw HTML (docs/editing.md, "Was anders
# ist"): each block is sanitised on its own, so an element left open in one block ends with it
# (148, 167, 187, 190, 191, 344, 476, 477, 494, 613–616, 630, 631, 642, 643), and a raw <img> is
# removed (475): images are written in Markdown, from content/media/.
DIFFER_ON_PURPOSE = [148, 167, 187, 190, 191, 344, 475, 476, 477, 494, 613, 614, 615, 616, 630, 631, 642, 643]
HEAD = OFFER[: OFFER.index("---\n", 4) + 4]  # the offer's front matter: its body starts on line 14
OFFER_PATH = "content/offers/deutsch-muetter.md"
EN = "locales/en/LC_MESSAGES/messages.po"
PO_HEADER = 'msgid ""\nmsgstr ""\n"Language: en\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'  # fmt: skip


def render(source: str, translations: dict[str, str] | None = None, fallback: str = "") -> str:
    md = make_markdown()
    return render_body(md, parse_body(md, source, 1), (translations or {}).get, lambda h: h, fallback)


def messages(source: str) -> list[str]:
    return [m.text for m in parse_body(make_markdown(), source, 1).segments]


def page_body(root: Path, lang: str) -> str:
    page = (root / "_site" / lang / "offers" / "deutsch-muetter" / "index.html").read_text(encoding="utf-8")
    start = page.index('<div class="body">\n') + len('<div class="body">\n')
    return page[start : page.index("\n</div>", start)]


def po(entries: dict[str, str]) -> str:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    return PO_HEADER + "".join(f"msgid {quoted(k)}\nmsgstr {quoted(v)}\n\n" for k, v in entries.items())


# --- the page is what GitHub shows ---


def test_every_spec_example_renders_as_github_shows_it_but_raw_html_on_purpose() -> None:
    assert (len(EXAMPLES), len(GFM_EXAMPLES), len(GFM_SPEC_EXAMPLES)) == (652, 13, 20)
    differ = [n for n, source in enumerate(ALL_EXAMPLES, start=1) if render(source) != github_render(source)]
    assert differ == DIFFER_ON_PURPOSE
    assert all("<" in ALL_EXAMPLES[n - 1] for n in differ)


def test_every_spec_example_translated_as_itself_gives_the_german_html() -> None:
    md = make_markdown()
    for source in ALL_EXAMPLES:
        body = parse_body(md, source, 1)
        german = render_body(md, body, lambda msgid: None, lambda h: h, "")
        assert render_body(md, body, lambda msgid: msgid, lambda h: h, 'lang="de"') == german, source


# --- reference links ---

REFERENCES = 'Melden Sie sich [hier][anmeldung] an.\n\n[Anmeldung]: https://example.org/anmeldung "Anmeldung"\n'


def test_reference_links_resolve_in_every_block() -> None:
    assert render("Siehe [BAMF] und [hier][bamf].\n\n- [Kurse][]\n\n[bamf]: https://www.bamf.de/\n[kurse]: https://example.org/k\n") == (
        '<p>Siehe <a href="https://www.bamf.de/" rel="noopener noreferrer">BAMF</a> und '
        '<a href="https://www.bamf.de/" rel="noopener noreferrer">hier</a>.</p>\n'
        '<ul>\n<li><a href="https://example.org/k" rel="noopener noreferrer">Kurse</a></li>\n</ul>\n'
    )  # fmt: skip


def test_a_translation_keeps_the_label_and_gets_the_same_link() -> None:
    assert messages(REFERENCES) == ["Melden Sie sich [hier][anmeldung] an."]
    assert render(REFERENCES, {"Melden Sie sich [hier][anmeldung] an.": "Sign up [here][anmeldung]."}) == (
        '<p>Sign up <a href="https://example.org/anmeldung" title="Anmeldung" rel="noopener noreferrer">here</a>.</p>\n'
    )


def test_a_translation_that_loses_a_reference_link_shows_german() -> None:
    german = '<p><span lang="de">Melden Sie sich <a href="https://example.org/anmeldung" title="Anmeldung" rel="noopener noreferrer">hier</a> an.</span></p>\n'  # fmt: skip
    for lost in ("Sign up [here][registration].", "Sign up here.", "Sign up [here](https://example.org/anmeldung)."):
        assert render(REFERENCES, {"Melden Sie sich [hier][anmeldung] an.": lost}, 'lang="de"') == german, lost


def test_a_translation_can_not_use_a_label_its_block_does_not_use() -> None:
    source = "Eins [a].\n\nZwei.\n\n[a]: https://a.example/\n[b]: https://b.example/\n"
    assert render(source, {"Zwei.": "Two [b] and [b][]."}) == (
        '<p>Eins <a href="https://a.example/" rel="noopener noreferrer">a</a>.</p>\n<p>Two [b] and [b][].</p>\n'
    )


def test_the_check_compares_reference_labels_of_a_translation() -> None:
    md, source = make_markdown(), "Melden Sie sich [hier][anmeldung] an."
    assert check_translation(md, source, "Sign up [here][Anmeldung].") == []
    assert check_translation(md, source, "Sign up [here][registration].") == [
        "link targets differ from the source: missing '[anmeldung]'; not in the source '[registration]'"
    ]
    assert check_translation(md, source, "Sign up here.") == [
        "link targets differ from the source: missing '[anmeldung]'"
    ]
    assert check_translation(md, "Preis [ermäßigt 3 €].", "Price [reduced €3].") == []  # brackets as prose


def test_reference_links_to_entries_lead_to_the_page_in_each_language(
    capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    write_tree(project, {
        OFFER_PATH: HEAD + "Mehr [über uns][verein].\n\n[verein]: ../pages/ueber-uns.md\n",
        EN: po({"Mehr [über uns][verein].": "More [about us][verein]."}),
    })  # fmt: skip
    code, _, err = run(capsys, "build", str(project), "--no-search")
    assert code == 0, err
    assert (
        page_body(project, "de")
        == '<p>Mehr <a href="../../../de/ueber-uns/" rel="noopener noreferrer">über uns</a>.</p>\n'
    )
    assert (
        page_body(project, "en")
        == '<p>More <a href="../../../en/ueber-uns/" rel="noopener noreferrer">about us</a>.</p>\n'
    )


def test_a_dead_reference_link_is_an_error_at_its_definition(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    bad = {OFFER_PATH: HEAD + "Siehe [Impressum][i] und [hier][i].\n\nText.\n\n[i]: ../pages/impressum.md\n"}
    assert_rejected(
        capsys, project, bad, [f"{OFFER_PATH}:18: link to '../pages/impressum.md': no such entry in content/"], "check"
    )


# --- joining a block's lines never changes what it shows ---


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("Eine Zeile\nund die nächste.\n", "Eine Zeile und die nächste."),
        ("Harter  \nUmbruch und\\\nnoch einer.\n", "Harter\\\nUmbruch und\\\nnoch einer."),
        ("Vor dem Umbruch \\\nweiter.\n", "Vor dem Umbruch \\\nweiter."),
        ("Ein Pfad C:\\\\  \nweiter.\n", "Ein Pfad C:\\\\  \nweiter."),
        ("``\nfoo\nbar  \nbaz\n``\n", "``\nfoo\nbar  \nbaz\n``"),
        ("`code  \nspan` und `foo \n` und `a   b \nc`\n", "`code  \nspan` und `foo \n` und `a   b \nc`"),
        ("Text <span\ntitle=\"x\">y</span>\n", "Text <span\ntitle=\"x\">y</span>"),
        ("[link](<foo\nbar>)\n", "[link](<foo\nbar>)"),
        ("[a](<b\n\"c>) d\n", "[a](<b\n\"c>) d"),
        ("[a](/url \"Titel\nüber zwei Zeilen\")\n", "[a](/url \"Titel\nüber zwei Zeilen\")"),
    ],
    ids=["soft", "hard", "space-before-backslash", "escaped-backslash", "code-block-span", "code-spans", "raw-html",
         "angle-link", "angle-not-link", "link-title"],
)  # fmt: skip
def test_the_message_of_a_block_shows_what_the_block_shows(source: str, message: str) -> None:
    assert messages(source) == [message]
    # a block whose line ends can't all be joined keeps them: a line end shows as a space
    assert render(source) == github_render(source, softbreak=" " if "\n" not in message.replace("\\\n", "") else "\n")
    assert render(source, {message: message}) == render(source)
