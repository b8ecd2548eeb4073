"""Review of changed German text: fuzzy after a change, minor edits carried over, deletions obsolete."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from sitegen.pofile import po_bytes
from sitegen.cli import main
from sitegen.pipeline import build_site, load_project
from sitegen.review import changed_characters, excerpt, why_not_minor
from sitegen.status import coverage

from .conftest import SITE_YAML, write_tree

EN = "locales/en/LC_MESSAGES/messages.po"
LONG = (
    "Das Rote Kreuz im Kreis Borken bietet Integrationskurse im Auftrag des [Bundesamtes für Migration "
    "und Flüchtlinge](https://www.bamf.de/) an. Neue Kurse beginnen mehrmals im Jahr."
)
OFFER = f"""\
---
title: Kurs
summary: Ein Kurs für Mütter.
category: sprache
---
Wir lernen gemeinsam Deutch.

Der Kurs beginnt um 9 Uhr.

{LONG}

Bitte bringen Sie Ihren Ausweis mit.
"""
TRANSLATIONS = {
    "Kurs": "Course",
    "Ein Kurs für Mütter.": "A course for mothers.",
    "Wir lernen gemeinsam Deutch.": "We learn German together.",
    "Der Kurs beginnt um 9 Uhr.": "The course starts at 9 am.",
    LONG: "The Red Cross runs integration courses for the [Federal Office](https://www.bamf.de/).",
    "Bitte bringen Sie Ihren Ausweis mit.": "Please bring your ID.",
}


@pytest.fixture
def site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    root = write_tree(tmp_path / "site", {"content/site.yaml": SITE_YAML, "content/offers/kurs.md": OFFER})
    assert main(["extract", str(root)]) == 0 and main(["update", str(root), "-l", "en"]) == 0
    translate(root, TRANSLATIONS)
    capsys.readouterr()
    return root


def translate(root: Path, strings: dict[str, str]) -> None:
    path = root / EN
    catalog = read_po(path.open("rb"), locale="en")
    for msgid, msgstr in strings.items():
        catalog[msgid].string = msgstr
    path.write_bytes(po_bytes(catalog))


def edit(root: Path, old: str, new: str) -> None:
    path = root / "content/offers/kurs.md"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def entries(root: Path) -> dict[str, tuple[str, bool]]:
    """msgid -> (msgstr, fuzzy) of the English catalogue, and '#~ msgid' -> msgstr for obsolete ones."""
    catalog = read_po((root / EN).open("rb"), locale="en")
    found = {m.id: (m.string, m.fuzzy) for m in catalog if m.id}
    found.update({f"#~ {m.id}": (m.string, m.fuzzy) for m in catalog.obsolete.values()})
    return found


def update(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> list[str]:
    assert main(["extract", str(root)]) == 0
    capsys.readouterr()
    assert main(["update", str(root), "-l", "en", *extra]) == 0
    return [line for line in capsys.readouterr().err.splitlines() if not line.startswith(("updated", "unchanged"))]


def msgfmt_check(path: Path) -> None:
    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt (GNU gettext) is not installed")
    done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


# --- a changed German text becomes fuzzy, and the site shows German for it ---------------------
def test_changed_text_becomes_fuzzy_and_the_site_shows_german(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(site, "Neue Kurse beginnen mehrmals im Jahr.", "Neue Kurse beginnen viermal im Jahr.")
    assert update(site, capsys) == []
    new = LONG.replace("mehrmals", "viermal")
    found = entries(site)
    assert found[new] == (TRANSLATIONS[LONG], True)
    assert LONG not in found and f"#~ {LONG}" not in found
    assert all(found[k] == (v, False) for k, v in TRANSLATIONS.items() if k != LONG)  # the others untouched
    text = (site / EN).read_text()
    assert '#, fuzzy\n#| msgid ""\n#| "Das Rote Kreuz im Kreis Borken' in text  # the old text, for the reviewer
    msgfmt_check(site / EN)
    before = text
    assert update(site, capsys) == [] and (site / EN).read_text() == before  # stable: left untouched

    project = load_project(site)
    assert project.languages["en"].catalog is not None and new in project.languages["en"].catalog.fuzzy
    assert project.languages["en"].translate(new) is None  # LanguageCatalog.get ignores fuzzy
    assert coverage(project).total("en").fuzzy == 1
    build_site(site, search=False)
    page = (site / "_site/en/offers/kurs/index.html").read_text()
    assert '<p><span lang="de">Das Rote Kreuz im Kreis Borken' in page
    assert "viermal im Jahr.</span></p>" in page and "Federal Office" not in page
    assert "<p>We learn German together.</p>" in page


def test_clearing_fuzzy_publishes_the_translation_again(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(site, "mehrmals", "viermal")
    update(site, capsys)
    new = LONG.replace("mehrmals", "viermal")
    path = site / EN
    catalog = read_po(path.open("rb"), locale="en")
    catalog[new].flags.discard("fuzzy")
    catalog[new].string = "The Red Cross runs courses for the [Federal Office](https://www.bamf.de/), four times a year."
    path.write_bytes(po_bytes(catalog))
    assert load_project(site).languages["en"].translate(new) == catalog[new].string


# --- minor edits -------------------------------------------------------------------------
def test_minor_edit_keeps_the_translation_published(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(site, "Wir lernen gemeinsam Deutch.", "Wir lernen gemeinsam Deutsch.")
    assert update(site, capsys, "--minor") == [
        "content/offers/kurs.md:6: translation kept [en]: 'Wir lernen gemeinsam Deutch.' -> 'Wir lernen gemeinsam Deutsch.'"
    ]
    assert entries(site)["Wir lernen gemeinsam Deutsch."] == ("We learn German together.", False)
    assert "#|" not in (site / EN).read_text()
    assert load_project(site).languages["en"].translate("Wir lernen gemeinsam Deutsch.") == "We learn German together."
    msgfmt_check(site / EN)


def test_minor_keeps_only_minor_edits(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(site, "Deutch", "Deutsch")  # a typo: minor
    edit(site, "um 9 Uhr", "um 10 Uhr")  # two characters, but a number: never minor
    edit(site, "Bitte bringen Sie Ihren Ausweis mit.", "Bitte bringen Sie Ihren Pass mit.")  # a real change
    edit(site, "mehrmals", "mehrmals ")  # a second space: whitespace changes count as nothing
    lines = update(site, capsys, "--minor")
    assert lines == [
        "content/offers/kurs.md:6: translation kept [en]: 'Wir lernen gemeinsam Deutch.' -> 'Wir lernen gemeinsam Deutsch.'",
        "content/offers/kurs.md:8: left fuzzy for review, numbers changed [en]: 'Der Kurs beginnt um 9 Uhr.' -> 'Der Kurs beginnt um 10 Uhr.'",
        "content/offers/kurs.md:10: translation kept [en]: '…e beginnen mehrmals im Jahr.' -> '…e beginnen mehrmals  im Jahr.'",
        "content/offers/kurs.md:12: left fuzzy for review, 5 characters changed (a minor edit changes at most 3) [en]: "
        "'Bitte bringen Sie Ihren Ausweis mit.' -> 'Bitte bringen Sie Ihren Pass mit.'",
    ]
    found = entries(site)
    assert found["Wir lernen gemeinsam Deutsch."][1] is False
    assert found["Der Kurs beginnt um 10 Uhr."] == ("The course starts at 9 am.", True)
    assert found["Bitte bringen Sie Ihren Pass mit."] == ("Please bring your ID.", True)


def test_minor_leaves_earlier_fuzzy_translations_for_review(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(site, "Bitte bringen Sie Ihren Ausweis mit.", "Bitte bringen Sie Ihren Pass mit.")
    update(site, capsys)  # a real change, updated without --minor: fuzzy
    edit(site, "Bitte bringen Sie Ihren Pass mit.", "Bitte bringen Sie Ihren Pass mit!")  # then a minor edit of it
    assert update(site, capsys, "--minor") == [
        "content/offers/kurs.md:12: left fuzzy for review, its translation needed review already [en]: "
        "'Bitte bringen Sie Ihren Pass mit.' -> 'Bitte bringen Sie Ihren Pass mit!'"
    ]
    assert entries(site)["Bitte bringen Sie Ihren Pass mit!"] == ("Please bring your ID.", True)
    edit(site, "Kurs für Mütter", "Kurs für Mütter")  # nothing changed
    assert update(site, capsys, "--minor") == ["no changed text found: nothing to carry over"]


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("Wir lernen Deutch.", "Wir lernen Deutsch.", None),
        ("Strasse", "Straße", None),
        ("Ein  Satz .", "Ein Satz.", None),  # whitespace does not count
        ("Beginn 9:00", "Beginn 9:30", "numbers changed"),
        ("Siehe [hier](a.md).", "Siehe [hier](b.md).", "link targets changed"),
        ("Ein *Kurs*.", "Ein **Kurs**.", "markup changed"),
        ("Hallo %(name)s", "Hallo %(nam)s", "placeholders changed"),
        ("Die Teilnahme ist kostenlos.", "Die Teilnahme ist nicht kostenlos.", "5 characters changed (a minor edit changes at most 3)"),
    ],
)
def test_what_counts_as_a_minor_edit(old: str, new: str, reason: str | None) -> None:
    assert why_not_minor(old, new) == reason


def test_changed_characters_and_excerpt() -> None:
    assert changed_characters("Deutch", "Deutsch") == 1
    assert changed_characters("a  b", "a b") == 0
    assert excerpt("Der Kurs beginnt um 9 Uhr am Montag im Saal.", "Der Kurs beginnt um 10 Uhr am Montag im Saal.", 5, 20) == (
        "…t um 9 Uhr …", "…t um 10 Uhr …"
    )
    assert excerpt("Kurz.", "Kurz!") == ("Kurz.", "Kurz!")


# --- deleted text --------------------------------------------------------------------------
def test_deleted_text_becomes_obsolete_and_comes_back_translated(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(site, "Bitte bringen Sie Ihren Ausweis mit.\n", "")
    update(site, capsys)
    found = entries(site)
    assert found["#~ Bitte bringen Sie Ihren Ausweis mit."] == ("Please bring your ID.", False)
    assert "Bitte bringen Sie Ihren Ausweis mit." not in found
    assert {k: v for k, v in found.items() if v[0] and not k.startswith("#~ ")} == {
        k: (v, False) for k, v in TRANSLATIONS.items() if k != "Bitte bringen Sie Ihren Ausweis mit."
    }  # every other translation as it was, none fuzzy
    assert '#~ msgid "Bitte bringen Sie Ihren Ausweis mit."\n#~ msgstr "Please bring your ID."' in (site / EN).read_text()
    msgfmt_check(site / EN)

    edit(site, "Der Kurs beginnt", "Bitte bringen Sie Ihren Ausweis mit.\n\nDer Kurs beginnt")  # restored
    update(site, capsys)
    found = entries(site)
    assert found["Bitte bringen Sie Ihren Ausweis mit."] == ("Please bring your ID.", False)
    assert "#~ Bitte bringen Sie Ihren Ausweis mit." not in found  # no duplicate for msgfmt to reject
    msgfmt_check(site / EN)
