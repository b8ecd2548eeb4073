"""Latin text on right-to-left pages: isolated by the theme, and by the translation itself (issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.pipeline import build_site
from sitegen.text_checks import bracket_warnings

from .conftest import CONTACT, SITE_YAML, write_tree

AR = "locales/ar/LC_MESSAGES/messages.po"
HEADER = (
    'msgid ""\nmsgstr ""\n"Language: ar\\n"\n'
    '"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);\\n"\n'
    '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
)  # lines 1-7
OFFER = """\
---
title: Integrationskurs Deutsch (BAMF) in Borken
summary: Ein Kurs.
category: sprache
contacts: [anna]
---
Ein Kurs.
"""
TITLE = 'msgid "Integrationskurs Deutsch (BAMF) in Borken"\n'  # line 9
BAD = "دورة الاندماج للغة الألمانية (Integrationskurs، BAMF) في Borken"
GOOD = "دورة الاندماج للغة الألمانية (<bdi>Integrationskurs، BAMF</bdi>) في Borken"
WARNING = ("the Latin text 'Integrationskurs، BAMF' in brackets will show its brackets reversed in right-to-left text: "
           "wrap it in <bdi>…</bdi>")  # fmt: skip


def project(tmp_path: Path, title: str) -> Path:
    return write_tree(tmp_path / "site", {
        "content/site.yaml": SITE_YAML, "content/offers/kurs.md": OFFER, "content/contacts/anna.yaml": CONTACT,
        AR: HEADER + "\n" + TITLE + f'msgstr "{title}"\n',
    })  # fmt: skip


@pytest.mark.parametrize(
    ("translation", "lang", "warnings"),
    [
        (BAD, "ar", [WARNING]),
        (GOOD, "ar", []),
        (BAD, "en", []),  # left-to-right text: brackets show right anyway
        ("يُرجى إحضار الشهادة (مثلًا B1).", "ar", ["the Latin text 'B1' in brackets will show its brackets reversed in right-to-left text: wrap it in <bdi>…</bdi>"]),  # fmt: skip
        ("يُرجى إحضار الشهادة (مثلًا <bdi>B1</bdi>).", "ar", []),
        ("مركز الاندماج (عربي) في <bdi>(BAMF)</bdi>", "ar", []),  # Arabic in brackets; a whole isolated pair
        ("انظر [الموقع](https://www.bamf.de/(x)) و%(name)s و(٢٠٢٤) و{n}", "ar", []),  # link, placeholders, digits
    ],
)
def test_latin_text_in_brackets_of_a_right_to_left_translation(translation: str, lang: str, warnings: list[str]) -> None:
    assert bracket_warnings(translation, lang) == warnings


def test_check_warns_of_latin_text_in_brackets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = project(tmp_path, BAD)
    assert main(["check", str(site)]) == 0  # a warning: the translation is still published
    assert f"warning: {AR}:9: {WARNING}" in capsys.readouterr().err.splitlines()


def test_check_is_quiet_about_isolated_latin_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = project(tmp_path, GOOD)
    assert main(["check", str(site)]) == 0
    assert not [line for line in capsys.readouterr().err.splitlines() if line.startswith(f"warning: {AR}")]


def test_arabic_page_isolates_latin_text_in_title_and_breadcrumbs(tmp_path: Path) -> None:
    site = project(tmp_path, GOOD)
    build_site(site, search=False)
    page = (site / "_site/ar/offers/kurs/index.html").read_text()
    title = "دورة الاندماج للغة الألمانية (<bdi>Integrationskurs، BAMF</bdi>) في Borken"
    assert f"<h1>{title}</h1>" in page
    assert f'<span aria-current="page"><bdi>{title}</bdi></span>' in page  # the last crumb
    assert f'<a href="../../ar/offers/kurs/">{title}</a>' in (site / "_site/ar/offers/index.html").read_text()  # card
    # plain text (the tab's title, calendars, vCards) gets the isolate as Unicode FSI … PDI
    assert "<title>دورة الاندماج للغة الألمانية (\u2068Integrationskurs، BAMF\u2069) في Borken – " in page
    contact = (site / "_site/ar/contacts/anna/index.html").read_text()
    assert '<h1><bdi>Anna Beispiel</bdi></h1>' in contact
    assert '<span aria-current="page"><bdi>Anna Beispiel</bdi></span>' in contact
    assert '<a href="tel:+492861939414" dir="ltr">' in contact
