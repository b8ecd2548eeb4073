"""A translator's save in `sitegen serve` is read by its changed entries: always with the result
of reading the whole file (sitegen.catalogue_edit)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.body import make_markdown
from sitegen.catalogue_edit import ReadCatalogue, edited
from sitegen.pofile import po_path
from sitegen.translations import CatalogueReading

from .conftest import GOLDEN_PROJECT

MSGSTR = re.compile(r'^msgstr "(.*)"$', re.MULTILINE)


@pytest.fixture(scope="module")
def golden(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(shutil.copytree(GOLDEN_PROJECT / "locales", tmp_path_factory.mktemp("golden") / "locales")).parent


def whole(root: Path, lang: str, text: str) -> ReadCatalogue:
    """``text`` as the catalogue of ``lang``, read as a whole (no cache)."""
    po_path(root, lang).write_text(text, encoding="utf-8")
    return CatalogueReading(root, [lang], cache=False, keep=True).read()[lang]


def by_entries(before: ReadCatalogue, lang: str, text: str) -> ReadCatalogue | None:
    return edited(before, text.encode(), lang, make_markdown(), {})


def assert_same(found: ReadCatalogue | None, expected: ReadCatalogue) -> None:
    assert found is not None
    assert found.data == expected.data
    for name in ("translated", "fuzzy", "findings", "plural", "plural_forms", "same"):
        assert getattr(found.checked, name) == getattr(expected.checked, name), name


def replace_msgstr(text: str, n: int, new: str) -> str:
    """The n-th msgstr after the header's replaced by ``new`` (already in .po syntax, maybe several lines)."""
    found = list(MSGSTR.finditer(text))[1:][n]
    return text[: found.start()] + new + text[found.end() :]


def with_problems(text: str) -> str:
    """The golden catalogue with three findings spread over it, for edits before them to move."""
    for source, translation in (("Raum 2 im Erdgeschoss", "الغرفة 3"), ("5 Euro pro Termin", "6 يورو"), ("Büro 3", "مكتب 8")):
        text = text.replace(f'msgid "{source}"\nmsgstr ""', f'msgid "{source}"\nmsgstr "{translation}"')
    return text


ORIGINAL = with_problems((GOLDEN_PROJECT / "locales/ar/LC_MESSAGES/messages.po").read_text(encoding="utf-8"))
ENTRIES = len(MSGSTR.findall(ORIGINAL)) - 1


def read_and_edit(golden: Path, edit):  # type: ignore[no-untyped-def]
    """The Arabic catalogue read whole, and its text after ``edit`` (which must change it)."""
    text = edit(ORIGINAL)
    assert text != ORIGINAL
    return whole(golden, "ar", ORIGINAL), text


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda t: replace_msgstr(t, 0, 'msgstr "وكالة الاندماج"'), id="a translation changed"),
        pytest.param(lambda t: replace_msgstr(t, 4, 'msgstr "عائلات"'), id="an empty one translated"),
        pytest.param(lambda t: replace_msgstr(t, 0, 'msgstr ""'), id="a translation emptied"),
        pytest.param(lambda t: replace_msgstr(t, 1, 'msgstr "عروض للمهاجرين 2026"'), id="a number added"),
        pytest.param(lambda t: replace_msgstr(t, 1, 'msgstr ""\n"عروض "\n"للمهاجرين"'), id="two lines more: findings after it move"),
        pytest.param(lambda t: replace_msgstr(t, 2, 'msgstr "Sprachkurse"'), id="a copy of the German"),
        pytest.param(lambda t: t.replace('#: content/site.yaml:12\nmsgid', '#, fuzzy\n#: content/site.yaml:12\nmsgid'), id="made fuzzy"),
        pytest.param(lambda t: t.replace('msgstr "دورات اللغة"\n', 'msgstr "دورات اللغة"\n\n'), id="a blank line added"),
    ],
)  # fmt: skip
def test_an_edited_entry_reads_as_the_whole_file_does(golden: Path, edit) -> None:  # type: ignore[no-untyped-def]
    before, text = read_and_edit(golden, edit)
    found = by_entries(before, "ar", text)
    assert_same(found, whole(golden, "ar", text))


def test_the_finding_of_an_edited_entry_is_at_its_line(golden: Path) -> None:
    before = whole(golden, "ar", ORIGINAL)
    source = "Der Goldverein berät Zugewanderte seit 1990."
    text = ORIGINAL.replace(f'msgid "{source}"\nmsgstr ""', f'msgid "{source}"\nmsgstr ""\n"الجمعية "\n"منذ 1909."')
    assert text != ORIGINAL
    found = by_entries(before, "ar", text)
    assert found is not None
    line = text.splitlines().index(f'msgid "{source}"') + 1
    assert [(f.line, f.message) for f in found.checked.findings if f.msgid == source] == [
        (line, "the number '1990' is missing from the translation (found '1909')")
    ]


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(lambda t: t.replace('"Language: ar\\n"', '"Language: ar\\n"\n"X-Note: 1\\n"'), id="the header"),
        pytest.param(lambda t: t + '\nmsgid "Neu"\nmsgstr "جديد"\n', id="an entry added"),
        pytest.param(lambda t: t.replace('msgid "Sprachkurse"', 'msgid "Sprachkurs"'), id="a msgid changed"),
        pytest.param(lambda t: replace_msgstr(t, 0, 'msgstr "وكالة'), id="a string left open"),
        pytest.param(lambda t: t.replace('msgid "Sprachkurse"\n', 'msgid "Sprachkurse"\n\n'), id="an entry split"),
    ],
)  # fmt: skip
def test_any_other_change_reads_the_whole_file(golden: Path, edit) -> None:  # type: ignore[no-untyped-def]
    before, text = read_and_edit(golden, edit)
    assert by_entries(before, "ar", text) is None


PIECES = st.sampled_from(["وكالة", "عروض", "13 Uhr", "09:00", "https://example.org", "**مهم**", "  ", "\\n", "Beratung", "[x](y)", ""])
EDITS = st.lists(
    st.tuples(
        st.integers(0, ENTRIES - 1),
        st.lists(PIECES, min_size=0, max_size=3),
        st.booleans(),  # written over two lines
        st.booleans(),  # made fuzzy
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_random_translators_edits_read_as_the_whole_file(golden: Path, edits: list[tuple[int, list[str], bool, bool]]) -> None:
    before = whole(golden, "ar", ORIGINAL)
    text = ORIGINAL
    for n, pieces, two_lines, fuzzy in edits:
        value = " ".join(pieces)
        new = f'msgstr ""\n"{value}"\n"."' if two_lines else f'msgstr "{value}"'
        text = replace_msgstr(text, n, new)
        if fuzzy:
            found = list(MSGSTR.finditer(text))[1:][n]
            start = text.rfind("\n\n", 0, found.start()) + 2
            if not text.startswith("#, fuzzy", start):
                text = text[:start] + "#, fuzzy\n" + text[start:]
    found = by_entries(before, "ar", text) if text != ORIGINAL else before
    assert_same(found, whole(golden, "ar", text))
